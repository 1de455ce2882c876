"""Wire conventions in the source and the wire text: embargo, urgency, kills, corrections,
and the 7-bit ASCII wire.  The clock for embargoes is set with BRIEFEXPORT_NOW."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CONFIG, RICH

from briefexport.api import read, render
from briefexport.cli import main
from briefexport.config import Settings, load_settings

HEAD = "---\ntitle: Fuel blockade tightens\nslug: BURKINA FASO\ndate: 2026-11-20\n"
BODY = "Fighters attacked convoys near Côte d’Ivoire. The secret word is ZEBRA.\n"


def source(tmp_path: Path, front: str, body: str = BODY) -> Path:
    path = tmp_path / "brief.md"
    path.write_text(f"{HEAD}{front}---\n{body}", encoding="utf-8")
    return path


def wire(path: Path, settings: Settings | None = None) -> list[str]:
    settings = settings or Settings()
    text, _ = render(read(path, settings), "txt", settings)
    return text.splitlines()


BAD_VALUES = [
    ("embargo-naive", "embargo: 2026-12-03T06:00:00\n", "embargo", 5, "needs a time zone"),
    ("embargo-word", "embargo: tomorrow\n", "embargo", 5, "must be a moment"),
    ("urgency-zero", "urgency: 0\n", "urgency", 5, "from 1 (flash) to 9"),
    ("urgency-word", "urgency: high\n", "urgency", 5, "from 1 (flash) to 9"),
    ("status", "status: killed\n", "status", 5, "usable, withheld, canceled"),
    ("version", "version: 0\n", "version", 5, "whole number from 1"),
    ("corrections-v1", "corrections:\n  - {date: 2026-11-21, note: x}\n", "corrections", 5,
     "set 'version' above 1"),
    ("correction-note", "version: 2\ncorrections:\n  - {date: 2026-11-21}\n", "corrections",
     7, "entry 1 needs a 'date' and a 'note'"),
    ("correction-date", "version: 2\ncorrections:\n  - {date: soon, note: x}\n",
     "corrections", 7, "YYYY-MM-DD"),
]


@pytest.mark.parametrize(("front", "key", "line", "fragment"),
                         [case[1:] for case in BAD_VALUES], ids=[c[0] for c in BAD_VALUES])
def test_a_bad_value_is_one_line_naming_the_key_and_line(tmp_path, front, key, line,
                                                          fragment):
    path = source(tmp_path, front)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["export", str(path), "-o", str(out)])
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert lines[0].startswith(f"briefexport: error: {path}:{line}:"), lines[0]
    assert f"'{key}'" in lines[0] and fragment in lines[0], lines[0]
    assert not out.exists() or not any(out.iterdir())


def test_out_of_range_moments_are_one_error(tmp_path, monkeypatch):
    path = source(tmp_path, "embargo: 9999-12-31T23:59:59-14:00\n")
    for command in (["export", str(path), "-o", str(tmp_path / "out")], ["check", str(path)]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 1 and "Traceback" not in result.output, result.output
        assert f"{path}:5:" in result.output and "'embargo' is out of range" in result.output
    monkeypatch.setenv("BRIEFEXPORT_NOW", "9999-12-31T23:59:59-14:00")
    result = CliRunner().invoke(main, ["export", str(source(tmp_path, "")), "-o",
                                       str(tmp_path / "out2")])
    assert result.exit_code == 2 and "BRIEFEXPORT_NOW is out of range" in result.output


def test_a_kill_notice_keeps_no_correction(tmp_path):
    briefing = read(source(tmp_path, "status: canceled\nversion: 2\ncorrections:\n"
                                     "  - {date: 2026-11-21, note: KILLSECRET}\n"))
    assert briefing.meta.corrections == ()
    data, _ = render(briefing, "json")
    assert "KILLSECRET" not in data


def test_a_later_version_with_an_empty_list_of_corrections_only_warns(tmp_path):
    briefing = read(source(tmp_path, "version: 2\ncorrections: []\n"))
    assert [w.code for w in briefing.warnings] == ["no-corrections"]


def test_a_later_version_without_corrections_is_a_warning(tmp_path):
    briefing = read(source(tmp_path, "version: 3\n"))
    [warning] = [w for w in briefing.warnings if w.code == "no-corrections"]
    assert warning.line == 5 and "version 3" in warning.message


def test_the_embargo_line_follows_the_slug_line_until_it_lifts(tmp_path, monkeypatch):
    path = source(tmp_path, "embargo: 2026-12-03T07:00:00+01:00\n")
    assert read(path).meta.embargo.isoformat() == "2026-12-03T06:00:00+00:00"
    monkeypatch.setenv("BRIEFEXPORT_NOW", "2026-12-03T05:59:00Z")
    lines = wire(path)
    assert lines[:3] == ["BURKINA FASO: Fuel blockade tightens",
                         "EMBARGOED UNTIL 2026-12-03 06:00 UTC", "20 November 2026"]
    monkeypatch.setenv("BRIEFEXPORT_NOW", "2026-12-03T06:00:00Z")
    assert not any("EMBARGO" in line for line in wire(path))


def test_a_bad_clock_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFEXPORT_NOW", "2026-12-03 06:00")
    result = CliRunner().invoke(main, ["export", str(source(tmp_path, "")), "-o",
                                       str(tmp_path / "out")])
    assert result.exit_code == 2 and "BRIEFEXPORT_NOW" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


@pytest.mark.parametrize(("urgency", "word"), [(1, "FLASH"), (2, "BULLETIN"), (3, "URGENT"),
                                               (4, None), (9, None)])
def test_the_top_three_urgencies_open_the_slug_line(tmp_path, urgency, word):
    first = wire(source(tmp_path, f"urgency: {urgency}\n"))[0]
    expected = "BURKINA FASO: Fuel blockade tightens"
    assert first == (f"{word} {expected}" if word else expected)
    assert read(source(tmp_path, "")).meta.urgency == 5


def test_a_kill_notice_says_nothing_else(tmp_path):
    path = source(tmp_path, "reference: SAH-2026-114\nstatus: canceled\nmarking: amber\n"
                            "key_judgements: [ZEBRA judgement]\nrisk: high\n"
                            "cta:\n  - {label: ZEBRA map, url: 'https://x.example/zebra'}\n",
                  BODY + "\n[Client Portal >>](#)\n\n![ZEBRA](zebra.png \"ZEBRA\")\n")
    settings = load_settings(CONFIG)
    briefing = read(path, settings)
    assert briefing.meta.killed and not briefing.blocks and not briefing.links
    assert not briefing.warnings  # the withdrawn content's placeholder warns no more
    assert wire(path, settings) == [
        "KILL BURKINA FASO: Fuel blockade tightens",
        "This briefing has been withdrawn and must not be used.", "Ref. SAH-2026-114", "",
        "ENDS"]
    for fmt in ("txt", "eml"):
        data, _ = render(briefing, fmt, settings)
        raw = data if isinstance(data, bytes) else data.encode()
        assert b"ZEBRA" not in raw and b"zebra" not in raw, fmt


def test_corrections_are_listed_before_ends_and_the_slug_says_corrected(tmp_path):
    lines = wire(source(tmp_path, "version: 2\ncorrections:\n"
                                  "  - {date: 2026-11-21, note: 'Ten convoys, not eleven.'}\n"
                                  "  - {date: 2026-11-22, note: Added the N3.}\n"))
    assert lines[0] == "CORRECTED BURKINA FASO: Fuel blockade tightens"
    start = lines.index("CORRECTIONS:")
    assert lines[start + 1:start + 3] == ["- 2026-11-21: Ten convoys, not eleven.",
                                          "- 2026-11-22: Added the N3."]
    body = next(i for i, line in enumerate(lines) if line.startswith("Fighters attacked"))
    assert lines[-1] == "ENDS" and body < start


def test_the_ascii_wire_is_7_bit_wraps_and_keeps_every_url(tmp_path):
    settings = load_settings(CONFIG)
    ascii_settings = settings.replace(wire=dataclasses.replace(settings.wire, ascii=True))
    text, _ = render(read(RICH, ascii_settings), "txt", ascii_settings)
    assert text.isascii()
    assert "Cote" in text or "Lome" in text
    unicode_text, _ = render(read(RICH, settings), "txt", settings)
    urls = [w for w in unicode_text.split() if w.startswith("https://")]
    assert urls and all(url in text for url in urls)
    assert all(len(line) <= settings.text.width for line in text.splitlines()
               if "https://" not in line)
    assert "JNIM's blockade" in text and "“" not in text
    # The .eml's plain part is not the wire: it keeps its typography.
    data, _ = render(read(RICH, ascii_settings), "eml", ascii_settings)
    assert b"=E2=80=99" in data or "’".encode() in data


def test_a_non_ascii_autolink_stays_the_same_address_in_ascii(tmp_path):
    path = source(tmp_path, "", "See <https://example.com/ä> and « ceci » — Łódź.\n")
    text, _ = render(read(path), "txt", Settings().replace(wire=dataclasses.replace(
        Settings().wire, ascii=True)))
    assert "https://example.com/%C3%A4" in text and "https://example.com/a " not in text
    assert '"ceci" -- Lodz.' in text and text.isascii()


def test_ascii_on_the_command_line(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["export", str(source(tmp_path, "")), "-f", "txt",
                                       "--ascii", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "brief.txt").read_bytes().isascii()
