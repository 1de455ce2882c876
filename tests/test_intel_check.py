"""check on the intelligence product, the wire conventions and the conditional blocks."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CONFIG, RICH

from briefexport.cli import main
from briefexport.commands.check import check_source
from briefexport.config import load_settings

HEAD = ("---\ntitle: Strike\nslug: MALI\ndate: 2026-11-20\n"
        "summary: Dockers in Bamako strike for a third day, halting fuel deliveries.\n")


def findings(tmp_path: Path, front: str, body: str = "Dockers strike.\n"):
    path = tmp_path / "brief.md"
    path.write_text(f"{HEAD}{front}---\n{body}", encoding="utf-8")
    return {(f.code, f.severity, f.line) for f in check_source(path, load_settings(CONFIG))
            if f.code != "client-support"}


def codes(found) -> set[str]:
    return {code for code, _, _ in found}


def test_the_rich_example_has_no_error_and_no_intelligence_warning():
    found = check_source(RICH, load_settings(CONFIG))
    assert not [f for f in found if f.severity == "error"]
    assert not {f.code for f in found} & {
        "key-judgements-many", "key-judgement-long", "risk-no-overall", "figure-no-caption",
        "figure-url", "tlp-red-email", "image-no-alt"}


def test_too_many_and_too_long_judgements_warn(tmp_path):
    long = " ".join(["word"] * 41)
    found = findings(tmp_path, f"key_judgements: [a, b, c, d, e, f, '{long}']\n")
    assert ("key-judgements-many", "warning", 6) in found
    assert ("key-judgement-long", "warning", 6) in found
    assert "key-judgement-long" not in codes(findings(tmp_path, "key_judgements: [a, b]\n"))


def test_a_risk_without_an_overall_level_is_an_error(tmp_path):
    assert ("risk-no-overall", "error", 6) in findings(tmp_path, "risk:\n  security: high\n")
    assert "risk-no-overall" not in codes(findings(tmp_path, "risk: high\n"))


def test_figures_without_caption_alt_or_email_url_warn(tmp_path, monkeypatch):
    found = findings(tmp_path, "", "Lead.\n\n![](maps/x.png)\n")
    assert {("figure-no-caption", "warning", 9), ("image-no-alt", "warning", 9)} <= found
    # The example config has an asset base URL: no figure-url; without one, a warning.
    assert "figure-url" not in codes(found)
    bare = tmp_path / "bare.md"
    bare.write_text(f"{HEAD}---\nLead.\n\n![Map](maps/x.png \"Caption\")\n", encoding="utf-8")
    assert "figure-url" in {f.code for f in check_source(bare)}


def test_tlp_red_warns_that_an_email_is_no_place_for_it(tmp_path):
    assert ("tlp-red-email", "warning", 6) in findings(tmp_path, "marking: red\n")
    assert "tlp-red-email" not in codes(findings(tmp_path, "marking: amber\n"))


def test_an_embargo_is_an_error_until_it_lifts_then_an_info(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFEXPORT_NOW", "2026-12-03T05:00:00Z")
    assert ("embargoed", "error", 6) in findings(tmp_path, "embargo: 2026-12-03T06:00:00Z\n")
    monkeypatch.setenv("BRIEFEXPORT_NOW", "2026-12-03T06:00:00Z")
    assert ("embargo-lifted", "info", 6) in findings(tmp_path, "embargo: 2026-12-03T06:00:00Z\n")


def test_kill_withheld_and_corrections(tmp_path):
    # A kill notice keeps nothing of its source, not even its text: no line to point at.
    assert ("killed", "info", None) in findings(tmp_path, "status: canceled\n")
    assert ("withheld", "info", 6) in findings(tmp_path, "status: withheld\n")
    assert ("no-corrections", "warning", 6) in findings(tmp_path, "version: 2\n")


def test_check_lists_every_conditional_block_and_who_gets_it(tmp_path):
    body = ("Lead.\n\n::: tier premium\nSecret.\n\n::: only pdf\nMap.\n:::\n:::\n\n"
            "::: only email wire\nReply.\n:::\n\n::: mystery\nKept.\n:::\n")
    path = tmp_path / "brief.md"
    path.write_text(f"{HEAD}---\n{body}", encoding="utf-8")
    blocks = [f for f in check_source(path, load_settings(CONFIG))
              if f.code == "conditional-block"]
    assert [(f.line, f.details["condition"], f.details["outputs"], f.details["tiers"])
            for f in blocks] == [
        (9, "tier premium", ["pdf", "email", "wire"], ["premium"]),
        (12, "only pdf", ["pdf"], ["standard", "premium"]),
        (17, "only email wire", ["email", "wire"], ["standard", "premium"]),
        (21, "mystery", ["pdf", "email", "wire"], ["standard", "premium"])]
    result = CliRunner().invoke(main, ["check", str(path), "--config", str(CONFIG)])
    assert f"{path}:9: info: '::: tier premium' (lines 9–15): pdf, email, wire of tier " \
           "premium and up (premium) [conditional-block]" in result.output
    assert f"{path}:21: warning: unknown condition '::: mystery'" in result.output


@pytest.mark.parametrize("source", [RICH])
def test_the_json_report_carries_the_new_findings(tmp_path, source):
    result = CliRunner().invoke(main, ["check", str(source), "--config", str(CONFIG),
                                       "--format", "json"])
    assert result.exit_code == 0, result.output
