"""The one reporter every command prints through: control characters never reach the terminal,
JSON stays valid and escaped, and the progress bar stays below the lines printed above it."""

from __future__ import annotations

import io
import json
import sys

import pytest
from click.testing import CliRunner

from briefexport.cli import main
from briefexport.cli.report import Reporter, printable, printable_json

HOSTILE = "A\x1b[31mred\x07 \x9b2J \u202ereversed\u202c \U000e0041 end"


def test_printable_escapes_every_control_and_format_character():
    shown = printable(HOSTILE)
    assert shown == ("A\\x1b[31mred\\x07 \\x9b2J \\u202ereversed\\u202c \\U000e0041 end")
    assert shown.isprintable()


def test_printable_json_is_valid_json_with_nothing_unprintable():
    data = {"message": HOSTILE, "path": "café.md", "n": [1, None]}
    text = printable_json(data)
    assert json.loads(text) == data  # the escapes are JSON's own, surrogate pairs included
    assert all(ch.isprintable() or ch in " \n" for ch in text)
    assert "café" in text  # printable non-ASCII stays readable


def test_every_kind_of_line_is_escaped(capsys):
    reporter = Reporter()
    reporter.result(HOSTILE)
    reporter.note(HOSTILE)
    reporter.warning(HOSTILE)
    reporter.error(HOSTILE)
    reporter.json({"x": HOSTILE})
    out, err = capsys.readouterr()
    for stream in (out, err):
        assert "\x1b" not in stream and "\x9b" not in stream and "\u202e" not in stream
    assert err.splitlines() == [printable(HOSTILE), f"briefexport: warning: {printable(HOSTILE)}",
                                f"briefexport: error: {printable(HOSTILE)}"]


def test_fail_exits_with_one_error_line(capsys):
    with pytest.raises(SystemExit) as exited:
        Reporter().fail("bad\nthing", code=2)
    assert exited.value.code == 2
    assert capsys.readouterr().err == "briefexport: error: bad\\nthing\n"


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal_and_below_the_lines(monkeypatch, capsys):
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    reporter = Reporter()
    reporter.start_progress(2)
    reporter.warning("w")
    reporter.advance()
    reporter.advance()
    reporter.end_progress()
    drawn = terminal.getvalue()
    assert "Exporting  [" in drawn and "0/2" in drawn and "2/2" in drawn
    # The warning is printed after the bar's line is cleared, and the bar drawn again.
    assert drawn.index("\r\x1b[K") < drawn.index("briefexport: warning: w")
    assert drawn.endswith("\r\x1b[K")
    quiet = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", quiet)
    Reporter(quiet=True).start_progress(5)
    Reporter().start_progress(1)  # one source needs no bar
    assert quiet.getvalue() == ""


def test_no_bar_when_stderr_is_not_a_terminal(monkeypatch):
    plain = io.StringIO()
    monkeypatch.setattr(sys, "stderr", plain)
    reporter = Reporter()
    reporter.start_progress(3)
    reporter.advance()
    reporter.end_progress()
    assert plain.getvalue() == ""


def test_check_escapes_source_text_in_both_report_formats(tmp_path):
    source = tmp_path / "brief.md"
    # YAML refuses a raw ESC, and the reader turns C0 controls into spaces; a bidirectional
    # override is a format character, which both keep.
    source.write_text("---\ntitle: Evil \u202e title\nsummary: \u202eTK\n---\n\nBody.\n",
                      encoding="utf-8")
    for fmt in ("text", "json"):
        result = CliRunner().invoke(main, ["check", str(source), "--format", fmt])
        assert result.exit_code == 1  # the leftover TK
        assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    report = json.loads(result.stdout)
    assert any("TK" in f["message"] for f in report["files"][0]["findings"])


def test_init_and_theme_copy_print_escaped_paths(tmp_path):
    folder = tmp_path / "desk\x1b[31m"
    result = CliRunner().invoke(main, ["init", str(folder)])
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stdout and "desk\\x1b[31m" in result.stdout
    result = CliRunner().invoke(main, ["theme", "copy", str(folder / "theme"), "--force",
                                       "--format", "text"])
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stdout and result.stdout.count("\n") >= 2
