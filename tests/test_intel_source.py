"""The intelligence product's front matter (marking, key judgements, risk, contact) and
figures, read from source; each bad value is one error line naming the key and its line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CONFIG, RICH

from briefexport.api import read
from briefexport.cli import main
from briefexport.config import ContactSettings, RiskSettings, Settings, load_settings
from briefexport.model import Figure, LinkSpan, plain_text

HEAD = "---\ntitle: Strike\nslug: MALI\ndate: 2026-02-03\n"


def source(tmp_path: Path, front: str, body: str = "Dockers strike in Bamako.\n") -> Path:
    path = tmp_path / "brief.md"
    path.write_text(f"{HEAD}{front}---\n{body}", encoding="utf-8")
    return path


#: name, front-matter lines (after line 4), the key the error names, its line, a fragment.
BAD_VALUES = [
    ("marking-word", "marking: SECRET\n", "marking", 5, "TLP 2.0 label"),
    ("marking-tlp1-white", "marking: TLP:WHITE\n", "marking", 5, "TLP:CLEAR"),
    ("marking-list", "marking: [amber]\n", "marking", 5, "TLP 2.0 label"),
    ("risk-level", "risk: catastrophic\n", "risk", 5, "level on the scale"),
    ("risk-overall", "risk:\n  overall: severe\n", "risk", 6, "'overall'"),
    ("risk-trend", "risk:\n  overall: high\n  trend: up\n", "risk", 7,
     "'trend' must be one of rising, steady, falling"),
    ("risk-category", "risk:\n  overall: low\n  security: dire\n", "risk", 7, "'security'"),
    ("risk-list", "risk: [high]\n", "risk", 5, "must be a level or a map"),
    ("contact-text", "contact: call Jo\n", "contact", 5, "map of name, email and phone"),
    ("contact-key", "contact:\n  name: Jo\n  fax: 123\n", "contact", 5, "map of name"),
    ("contact-email", "contact:\n  name: Jo\n  email: jo-at-example\n", "contact", 7,
     "'email' is not an address"),
    ("contact-phone", "contact:\n  phone: call me maybe\n", "contact", 6,
     "'phone' is not a phone number"),
    ("judgements-map", "key_judgements:\n  one: A\n", "key_judgements", 5,
     "must be a list of sentences"),
    ("judgements-nested", "key_judgements:\n  - [a, b]\n", "key_judgements", 5,
     "must be a list of sentences"),
]


@pytest.mark.parametrize(("front", "key", "line", "fragment"),
                         [case[1:] for case in BAD_VALUES], ids=[c[0] for c in BAD_VALUES])
def test_a_bad_value_is_one_line_naming_the_key_and_line(tmp_path, front, key, line,
                                                          fragment):
    path = source(tmp_path, front)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["export", str(path), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert lines[0].startswith(f"briefexport: error: {path}:{line}:"), lines[0]
    assert f"'{key}'" in lines[0] and fragment in lines[0], lines[0]
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize(("written", "label"), [
    ("TLP:AMBER+STRICT", "TLP:AMBER+STRICT"), ("amber", "TLP:AMBER"),
    ("tlp:clear", "TLP:CLEAR"), ("'TLP: RED'", "TLP:RED"), ("Green", "TLP:GREEN"),
    ("amber+strict", "TLP:AMBER+STRICT"),
])
def test_a_marking_is_written_as_first_writes_it(tmp_path, written, label):
    assert read(source(tmp_path, f"marking: {written}\n")).meta.marking == label


def test_risk_levels_are_on_the_configured_scale_in_any_case(tmp_path):
    briefing = read(source(tmp_path, "risk:\n  overall: HIGH\n  trend: Rising\n"
                                     "  Security: extreme\n  political: low\n"))
    risk = briefing.risk
    assert (risk.overall, risk.trend) == ("high", "rising")
    assert risk.categories == (("Security", "extreme"), ("political", "low"))
    assert risk.line == 5
    assert read(source(tmp_path, "risk: Medium\n")).risk.overall == "medium"
    # A desk's own scale: the default words are no longer levels.
    scale = Settings(risk=RiskSettings(levels=("green", "amber", "red"), colors={}))
    assert read(source(tmp_path, "risk: Amber\n"), scale).risk.overall == "amber"
    with pytest.raises(Exception, match="green, amber, red"):
        read(source(tmp_path, "risk: high\n"), scale)


def test_every_risk_colour_gets_a_text_colour_of_at_least_4_5_to_1():
    """Black or white: on any colour one of them reaches √21 ≈ 4.58:1."""
    from briefexport.colour import contrast

    scale = RiskSettings(levels=("a", "b", "c", "d"),
                         colors={"a": "#777777", "b": "#ff0000", "c": "#0000ff"})
    for level in scale.levels:  # d has no colour: the neutral grey
        background, text = scale.palette(level)
        assert contrast(background, text) >= 4.5, (level, background, text)
    for level in RiskSettings().levels:
        assert contrast(*RiskSettings().palette(level)) >= 5.1


def test_a_risk_map_without_overall_reads_and_is_left_to_check(tmp_path):
    risk = read(source(tmp_path, "risk:\n  security: high\n")).risk
    assert risk.overall is None and risk.categories == (("security", "high"),)


def test_key_judgements_come_first_with_their_links_and_make_the_summary(tmp_path):
    briefing = read(source(tmp_path, "links:\n  port: https://example.com/port\n"
                                     "key_judgements:\n"
                                     "  - The strike will *very likely* spread to the [port](#).\n"
                                     "  - Fuel prices rise.\n"),
                    load_settings(CONFIG))
    first, _ = briefing.key_judgements
    assert plain_text(first) == "The strike will very likely spread to the port."
    assert briefing.meta.summary == "The strike will very likely spread to the port."
    [span] = [n for n in first if isinstance(n, LinkSpan)]
    assert span.link.url == "https://example.com/port" and span.link.line == 8
    assert briefing.links[0] is span.link  # first in the link list, as in every output
    assert briefing.key_judgements_line == 7
    # An explicit summary wins.
    assert read(source(tmp_path, "summary: Dockers strike.\nkey_judgements: [A.]\n")
                ).meta.summary == "Dockers strike."


def test_contact_comes_from_the_front_matter_else_the_config(tmp_path):
    settings = Settings(contact=ContactSettings(name="Desk", email="desk@example.com"))
    own = read(source(tmp_path, "contact:\n  name: Jo Bloggs\n  phone: +44 (0)20 7946-0018\n"),
               settings).contact
    assert (own.name, own.email, own.phone) == ("Jo Bloggs", None, "+44 (0)20 7946-0018")
    assert own.tel == "tel:+4402079460018"
    default = read(source(tmp_path, ""), settings).contact
    assert (default.name, default.mailto) == ("Desk", "mailto:desk@example.com")
    assert read(source(tmp_path, "")).contact is None


def test_a_lone_image_paragraph_is_a_numbered_figure(tmp_path):
    body = ("Lead.\n\n![Map of Mali](maps/mali.png \"Routes. Source: desk\")\n\n"
            "Text with ![an icon](i.png) inline.\n\n- ![in a list](l.png)\n\n"
            "![Second](b.png)\n")
    briefing = read(source(tmp_path, "", body))
    figures = briefing.figures
    assert [(f.number, f.image.src, f.caption) for f in figures] == [
        (1, "maps/mali.png", "Routes. Source: desk"), (2, "b.png", None)]
    assert all(isinstance(f, Figure) for f in figures)
    assert figures[0].line == 8


def test_the_rich_example_has_every_part(tmp_path):
    briefing = read(RICH, load_settings(CONFIG))
    assert briefing.meta.marking == "TLP:AMBER"
    assert len(briefing.key_judgements) == 3
    assert briefing.risk.overall == "high" and len(briefing.risk.categories) == 3
    assert briefing.contact.name and briefing.figures


@pytest.mark.parametrize(("table", "fragment"), [
    ('[risk]\nlevels = ["low", "low"]\n', "distinct"),
    ('[risk]\ncolors = { medium = "#fff8" }\n', "hex colour"),
    ('[risk]\ncolors = { severe = "#000000" }\n', "not in risk.levels"),
    ('[email]\nasset_base_url = "http://assets.example/"\n', "https://"),
])
def test_bad_risk_and_asset_settings_are_config_errors(tmp_path, table, fragment):
    config = tmp_path / "briefexport.toml"
    config.write_text(table, encoding="utf-8")
    result = CliRunner().invoke(main, ["export", str(RICH), "--config", str(config),
                                       "-o", str(tmp_path / "out")])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert fragment in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()
