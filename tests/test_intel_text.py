"""The wire text of an intelligence product, line by line: marking first, risk, key
judgements, figures, contact, then the disclaimer and copyright before ENDS."""

from __future__ import annotations

import dataclasses
import email
from email import policy
from pathlib import Path

from conftest import CONFIG, RICH, SEED

from briefexport.api import read, render
from briefexport.config import load_settings
from briefexport.render.context import RenderContext
from briefexport.source.edition import read_edition
from briefexport.writers import get_format


def wire(path: Path, width: int | None = None) -> list[str]:
    settings = load_settings(CONFIG)
    if width:
        settings = settings.replace(text=dataclasses.replace(settings.text, width=width))
    text, _ = render(read(path, settings), "txt", settings)
    return text.splitlines()


def test_the_rich_example_line_by_line():
    lines = wire(RICH)
    assert lines[0] == "TLP:AMBER | CLIENT CONFIDENTIAL"
    assert lines[1].startswith("BURKINA FASO: Jihadist fuel blockade")
    assert lines[2] == "20 November 2026"
    assert lines[3:7] == ["RISK: HIGH, rising ↑", "- Security: extreme", "- Political: high",
                          "- Operational: high"]
    start = lines.index("KEY JUDGEMENTS:")
    items = lines[start + 1:lines.index("", start)]
    assert [line for line in items if line.startswith("- ")] == [
        "- JNIM’s blockade of the N1 and N4 corridors will very likely outlast",
        "- Diesel rationing in Ouagadougou makes protests over fuel likely",
        "- Escorted convoys are no safer than unescorted ones; see our"]
    assert all(line.startswith("  ") for line in items if not line.startswith("- "))
    # The judgement's link is the first a reader meets: reference 1, shared with the body's.
    assert items[-1] == "  previous assessment [1]."
    assert ("[1] https://portal.meridian-risk.example/briefings/2026-09-burkina-faso-convoys"
            in lines)
    assert start < lines.index("Overview")
    figure = next(i for i, line in enumerate(lines) if line.startswith("[Figure 1: "))
    assert lines[figure + 1].startswith("  ") and lines[figure + 1].endswith("]")
    questions = next(i for i, line in enumerate(lines) if line.startswith("Questions: "))
    contact = " ".join(lines[questions:questions + 2])
    assert contact == ("Questions: Amina Traoré, Sahel Desk, sahel-desk@meridian-risk.example,"
                       " +44 20 7946 0321")
    assert questions < lines.index("Links:")
    assert lines[-3:] == ["© 2026 Meridian Risk Intelligence Ltd. All rights reserved.", "",
                          "ENDS"]
    assert lines[-6].startswith("This briefing is provided for the information")
    assert max(len(line) for line in lines if "https://" not in line) <= 69


def test_a_phone_number_is_never_broken_across_lines():
    for width in (40, 52, 69):
        lines = wire(RICH, width)
        assert any("+44 20 7946 0321" in line for line in lines), width


def test_the_seed_gains_only_the_configs_contact_and_closing():
    lines = wire(SEED)
    assert lines[0].startswith("MALI: Second coup")  # no marking, no classification line
    assert not any(line.startswith(("RISK:", "KEY JUDGEMENTS:", "[Figure")) for line in lines)
    assert any(line.startswith("Questions: Sahel Desk") for line in lines)
    assert lines[-1] == "ENDS" and "All rights reserved" in lines[-3]


def test_the_emails_plain_part_keeps_the_disclaimer_before_the_signature():
    settings = load_settings(CONFIG)
    data, _ = render(read(RICH, settings), "eml", settings)
    plain = email.message_from_bytes(data, policy=policy.default).get_body(("plain",))
    lines = plain.get_content().splitlines()
    assert lines[0] == "TLP:AMBER | CLIENT CONFIDENTIAL"
    assert "KEY JUDGEMENTS:" in lines
    rights = next(i for i, line in enumerate(lines) if "All rights reserved" in line)
    assert rights < lines.index("-- ")
    assert "ENDS" not in lines


def story(folder: Path, name: str, marking: str | None) -> str:
    mark = f"marking: {marking}\n" if marking else ""
    (folder / f"{name}.md").write_text(
        f"---\ntitle: {name} story\nslug: {name.upper()}\ndate: 2026-11-20\n{mark}---\n"
        f"Something happened in {name}.\n", encoding="utf-8")
    return f"{name}.md"


def test_an_edition_opens_with_its_most_restrictive_marking_and_each_story_its_own(tmp_path):
    files = [story(tmp_path, "mali", "TLP:GREEN"), story(tmp_path, "niger", "amber+strict"),
             story(tmp_path, "chad", None)]
    (tmp_path / "weekly.toml").write_text(
        'title = "Sahel Weekly"\nnumber = 3\ndate = 2026-11-27\n'
        f"briefings = {files!r}\n".replace("'", '"'), encoding="utf-8")
    settings = load_settings(CONFIG)
    edition = read_edition(tmp_path / "weekly.toml", settings)
    assert edition.marking == "TLP:AMBER+STRICT"
    text = get_format("txt").edition().render(edition, RenderContext(settings))
    lines = text.splitlines()
    assert lines[0] == "TLP:AMBER+STRICT"
    rule = "=" * settings.text.width
    heads = [lines[i + 1:i + 3] for i, line in enumerate(lines) if line == rule][:3]
    assert heads[0] == ["TLP:GREEN", "1. MALI: mali story"]
    assert heads[1] == ["TLP:AMBER+STRICT", "2. NIGER: niger story"]
    assert heads[2][0] == "3. CHAD: chad story"
    assert lines[-1] == "ENDS" and "All rights reserved" in lines[-3]
