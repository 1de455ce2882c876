"""The preflight: ``check_source`` findings and the ``check`` command."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import CONFIG, EXAMPLES, RICH, SEED

from briefexport.commands.check import (
    CLIENT_SUPPORT,
    Finding,
    check_briefing,
    check_source,
    has_failures,
)
from briefexport.config import EmailSettings, PortalSettings, Settings, load_settings
from briefexport.source.briefing import read


def run(*args: object):
    return CliRunner().invoke(main_cli(), [str(a) for a in args])


def main_cli():
    from briefexport.cli import main
    return main


def codes(findings: list[Finding]) -> list[tuple[str, str, int | None]]:
    """The warnings and errors, less the client-support lint's (tests/test_client_support.py)."""
    return [(f.severity, f.code, f.line) for f in findings
            if f.severity != "info" and f.code != CLIENT_SUPPORT]


#: A desk whose email footer is complete, so that only the source's own findings remain.
DESK = Settings(email=EmailSettings(unsubscribe_url="https://desk.example/unsubscribe",
                                    postal_address="1 Example Street, London"))

FRONT = "---\ntitle: Junta expels envoy\ndate: 2026-05-25\nsummary: {summary}\n---\n"
GOOD_SUMMARY = "The junta expelled the envoy after a row over the election timetable."


def source_with(write_source, body: str, summary: str = GOOD_SUMMARY):
    return write_source(FRONT.format(summary=summary) + body)


def test_a_clean_briefing_has_no_findings_but_the_email_size(write_source):
    path = source_with(write_source, "\nThe [statement](https://gov.example/statement) "
                                     "was read on television.\n\n[Client Portal >>](https://p.example/)\n")
    findings = check_source(path, DESK)
    assert codes(findings) == []
    # What the template uses that some clients lack has a fallback: infos, each of them.
    assert {f.severity for f in findings if f.code == CLIENT_SUPPORT} == {"info"}
    (info,) = [f for f in findings if f.code != CLIENT_SUPPORT]
    assert (info.severity, info.code) == ("info", "email-size")
    assert "kB of the 102 kB budget" in info.message


@pytest.mark.parametrize(("body", "expected"), [
    ("\nSee [Chad](#).\n", [("error", "unresolved-link", 7)]),
    ("\n[Portal >>](#)\n", [("error", "cta-no-url", 7)]),
    ("\nSee [the page](/briefings/chad).\n", [("warning", "relative-url", 7)]),
    ("\nSee [the page](https://a.example/x) and [below](#outlook).\n",
     [("warning", "relative-url", 7)]),
    ("\nSee [the page](http://a.example/x).\n", [("warning", "insecure-url", 7)]),
    ("\nFor details [click here](https://a.example/x).\n",
     [("warning", "vague-link-text", 7)]),
    ("\nRead [more](https://a.example/x).\n", [("warning", "vague-link-text", 7)]),
    ("\nSee <https://a.example/x>.\n", [("warning", "bare-url", 7)]),
    ("\nSee [https://a.example/x](https://a.example/x).\n", [("warning", "bare-url", 7)]),
    ("\nSee [](https://a.example/x).\n", [("error", "empty-link-text", 7)]),
    ("\n[Map >>](https://m.example/)\n\n[Map >>](https://m.example/other)\n",
     [("warning", "duplicate-cta", 9)]),
    ("\n[Map >>](https://m.example/)\n\n[Chart >>](https://m.example/)\n",
     [("warning", "duplicate-cta", 9)]),
    ("\n![](chart.png)\n", [("warning", "figure-no-caption", 7), ("warning", "figure-url", 7),
                            ("warning", "image-no-alt", 7)]),
    ("\nCasualties: TK.\n", [("error", "leftover-marker", 7)]),
    ("\n- first\n- TODO: check the figure\n", [("error", "leftover-marker", 8)]),
    ("\n> XXX confirm with the desk\n", [("error", "leftover-marker", 7)]),
    ("\n| a | b |\n|---|---|\n| TK | 1 |\n", [("error", "leftover-marker", 9)]),
    ("\nA TKO and todo and xxx are words.\n", []),
    ("\nSee [one](javascript:alert(1)).\n", [("error", "refused-link", 7)]),
    ("\nThe ID is " + "x" * 90 + " here.\n", [("warning", "unwrappable-line", 7)]),
    # A URL in running text is not a link, and the wire text never breaks it: no finding.
    ("\nA long https://" + "x" * 90 + ".example/ URL stays whole.\n", []),
])
def test_findings(write_source, body, expected):
    findings = check_source(source_with(write_source, body), DESK)
    assert codes(findings) == expected


@pytest.mark.parametrize(("summary", "finding"), [
    ("Too short.", ("warning", "summary-length", 4)),
    ("x " * 60, ("warning", "summary-length", 4)),
    ("A summary with TK in it that is long enough to fit the preview.",
     ("error", "leftover-marker", None)),
])
def test_summary_findings(write_source, summary, finding):
    findings = check_source(source_with(write_source, "\nBody.\n", summary=summary), DESK)
    assert codes(findings) == [finding]


def test_missing_date_and_summary(write_source):
    path = write_source("---\ntitle: T\n---\n\n## Only a heading\n")
    assert codes(check_source(path, DESK)) == [
        ("warning", "missing-date", None), ("warning", "missing-summary", None)]


def test_unreadable_source_is_one_error_finding(write_source):
    path = write_source(b"\xff\xfe\x00")
    (finding,) = check_source(path, DESK)
    assert (finding.severity, finding.code, finding.path) == ("error", "unreadable", str(path))
    assert "UTF-16" in finding.message


def test_email_over_budget_is_an_error(write_source):
    paragraph = "The convoy was attacked near the border crossing at dawn. " * 20
    path = source_with(write_source, "\n" + "\n\n".join([paragraph] * 120) + "\n")
    findings = check_source(path, DESK)
    (size,) = [f for f in findings if f.code == "email-too-large"]
    assert size.severity == "error"
    kilobytes = float(size.message.split("the email is ")[1].split(" kB")[0])
    assert kilobytes * 1000 > EmailSettings().size_limit_kb * 1000
    assert has_failures(findings)


def test_check_briefing_works_on_an_already_read_briefing(settings):
    briefing = read(SEED, settings)
    findings = check_briefing(briefing, settings)
    # The seed has no front matter: its date is the file's, as check_source also says.
    assert codes(findings) == [("warning", "missing-date", None),
                               ("warning", "summary-length", None)]
    assert codes(findings) == codes(check_source(SEED, settings))
    assert all(f.path == str(SEED) for f in findings)


def test_finding_is_frozen_and_serialisable():
    finding = Finding("warning", "bare-url", 3, "message", "hint", "a.md")
    with pytest.raises(AttributeError):
        finding.line = 4  # type: ignore[misc]
    assert json.loads(json.dumps(finding.to_dict())) == {
        "severity": "warning", "code": "bare-url", "line": 3, "message": "message",
        "hint": "hint", "path": "a.md", "details": None}
    assert str(finding) == "a.md:3: warning: message [bare-url]"


def test_has_failures():
    warning = Finding("warning", "c", None, "m", "h", "p")
    assert not has_failures([warning])
    assert has_failures([warning], strict=True)
    assert not has_failures([Finding("info", "c", None, "m", "h", "p")], strict=True)


# --------------------------------------------------------------------------- the examples


def test_examples_have_only_the_findings_that_are_really_there(settings):
    # The seed has no front matter: no date, and its first sentence (the summary) is long.
    assert codes(check_source(SEED, settings)) == [
        ("warning", "missing-date", None), ("warning", "summary-length", None)]
    # The rich example's summary is 125 characters and it links the bare ECOWAS URL.
    assert codes(check_source(RICH, settings)) == [
        ("warning", "summary-length", 9), ("warning", "bare-url", 63)]
    # The Niger example's summary is 116 characters.
    assert codes(check_source(EXAMPLES / "niger-uranium-exports.md", settings)) == [
        ("warning", "summary-length", 8)]


def test_seed_without_config_has_five_unresolved_links():
    findings = check_source(SEED, DESK.replace(portal=PortalSettings(url=None)))
    assert [f.code for f in findings if f.severity == "error"] == [
        "unresolved-link", "unresolved-link", "unresolved-link", "unresolved-link",
        "cta-no-url"]
    assert [f.line for f in findings if f.severity == "error"] == [5, 7, 11, 11, 13]


# --------------------------------------------------------------------------- the command


def test_check_command_text_output_and_exit_codes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("check", SEED, RICH, "--config", CONFIG)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert f"{RICH}:63: warning: the link text is a bare URL: https://www.ecowas.int/ " \
           "[bare-url]" in lines
    assert "    fix: give the link a descriptive text" in lines
    lint = sum(f.severity == "warning" and f.code == CLIENT_SUPPORT
               for source in (SEED, RICH) for f in check_source(source, load_settings(CONFIG)))
    assert lines[-1] == f"2 files checked: 0 error(s), {4 + lint} warning(s)"
    assert list(tmp_path.iterdir()) == []  # check writes nothing
    strict = run("check", SEED, "--config", CONFIG, "--strict")
    assert strict.exit_code == 1
    assert f"{SEED}: FAIL: 0 error(s), 2 warning(s)" in strict.stdout


def test_check_command_fails_on_errors(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no ./briefexport.toml: the seed's links stay unresolved
    result = run("check", SEED)
    assert result.exit_code == 1
    assert f"{SEED}:5: error: unresolved placeholder link 'Chad' [unresolved-link]" in (
        result.stdout.splitlines())


def test_check_command_json(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"")
    result = run("check", RICH, bad, "--config", CONFIG, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    rich, empty = report["files"]
    found = rich["findings"] + empty["findings"]
    assert report["counts"] == {s: sum(f["severity"] == s for f in found)
                                for s in ("error", "warning", "info")}
    assert report["counts"]["error"] == 1
    assert rich["ok"] is True and rich["path"] == str(RICH)
    assert {f["code"] for f in rich["findings"]} == {"summary-length", "bare-url", "email-size",
                                                     CLIENT_SUPPORT}
    assert empty["findings"] == [{"severity": "error", "code": "unreadable", "line": None,
                                  "message": "is empty",
                                  "hint": "fix the file so that it can be read",
                                  "path": str(bad), "details": None}]


def test_check_command_max_size(tmp_path):
    big = tmp_path / "big.md"
    big.write_text("T\n\n" + "word " * 300_000 + "\n")
    refused = run("check", big, "--max-size", "1", "--format", "json")
    assert refused.exit_code == 1
    (finding,) = json.loads(refused.stdout)["files"][0]["findings"]
    assert "over the 1 MB limit" in finding["message"]
    raised = run("check", big, "--max-size", "2", "--format", "json")
    codes_found = {f["code"] for f in json.loads(raised.stdout)["files"][0]["findings"]}
    assert "unreadable" not in codes_found
    assert "email-too-large" in codes_found


def test_check_command_bad_config(tmp_path):
    bad = tmp_path / "c.toml"
    bad.write_text("[brand\n")
    result = run("check", SEED, "--config", bad)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"briefexport: error: {bad}: invalid TOML")
