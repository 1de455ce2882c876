"""The one way every command talks to the terminal.

Results go to stdout (the files written, a report), everything else to stderr as one line each
(``briefexport: error: …``, ``briefexport: warning: …``).  Every line passes through
:func:`printable`, so text from a source can never drive the terminal.  A progress bar, when
asked for, stays below the lines printed above it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING, NoReturn

import click

if TYPE_CHECKING:
    from briefexport.pipeline import ExportResult

PROGRAM = "briefexport"
_BAR_WIDTH = 36


def printable(text: object) -> str:
    """``text`` with control characters escaped: source text must not drive the terminal."""
    return "".join(ch if ch.isprintable() or ch == " " else ascii(ch)[1:-1]
                   for ch in str(text))


def printable_json(data: object) -> str:
    """``data`` as indented JSON whose every non-printable character is a ``\\u`` escape.

    ``json.dumps`` escapes only the C0 controls; DEL, C1 controls and bidirectional
    overrides from a source would otherwise reach the terminal as they are.
    """
    import json

    def escape(ch: str) -> str:
        if ch.isprintable() or ch in " \n":
            return ch
        code = ord(ch)
        if code > 0xFFFF:  # JSON spells an astral character as a surrogate pair
            code -= 0x10000
            return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
        return f"\\u{code:04x}"

    return "".join(escape(ch) for ch in json.dumps(data, indent=2, ensure_ascii=False))


class Reporter:
    """Prints a command's results and messages; optionally keeps a progress bar on stderr."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet
        self._bar: tuple[str, int] | None = None  # (label, total)
        self._done = 0

    # ---- lines

    def _echo(self, line: str, err: bool) -> None:
        if self._bar is not None:
            self._clear_bar()
        click.echo(printable(line), err=err)
        if self._bar is not None:
            self._draw_bar()

    def result(self, line: object) -> None:
        """A line of the command's result on stdout (a file written, a report line)."""
        self._echo(str(line), err=False)

    def json(self, data: object) -> None:
        """A result as JSON on stdout, every non-printable character escaped."""
        click.echo(printable_json(data))

    def files(self, paths: Iterable[Path]) -> None:
        """The files a command wrote, one per line, unless quiet."""
        if not self.quiet:
            for path in paths:
                self.result(path)

    def note(self, message: str) -> None:
        """A remark for the person at the terminal, on stderr."""
        self._echo(message, err=True)

    def warning(self, message: object) -> None:
        """One ``briefexport: warning:`` line."""
        self._echo(f"{PROGRAM}: warning: {message}", err=True)

    def error(self, message: object) -> None:
        """One ``briefexport: error:`` line."""
        self._echo(f"{PROGRAM}: error: {message}", err=True)

    def export_result(self, result: ExportResult) -> bool:
        """What ``export``, ``edition`` and ``watch`` print for one source: its warnings, its
        error, the files written.  True when it exported."""
        for warning in result.warnings:
            self.warning(warning)
        if result.error:
            self.error(result.error)
        self.files(result.files)
        return result.ok

    def fail(self, message: object, code: int = 1) -> NoReturn:
        """One error line, then exit with ``code``; no traceback."""
        self.error(message)
        sys.exit(code)

    # ---- the progress bar

    def start_progress(self, total: int, label: str = "Exporting") -> None:
        """Show a bar for ``total`` steps, when stderr is a terminal and not quiet."""
        if self.quiet or total < 2 or not _is_terminal(sys.stderr):
            return
        self._bar, self._done = (label, total), 0
        self._draw_bar()

    def advance(self, _step: object = None) -> None:
        """One step done."""
        if self._bar is not None:
            self._done += 1
            self._draw_bar()

    def end_progress(self) -> None:
        """Take the bar away for good, leaving what was printed above it."""
        if self._bar is not None:
            self._clear_bar()
            self._bar = None

    def _draw_bar(self) -> None:
        assert self._bar is not None
        label, total = self._bar
        filled = _BAR_WIDTH * self._done // total
        sys.stderr.write(f"\r{label}  [{'#' * filled}{'-' * (_BAR_WIDTH - filled)}]  "
                         f"{self._done}/{total}")
        sys.stderr.flush()

    def _clear_bar(self) -> None:
        sys.stderr.write("\r\033[K")
        sys.stderr.flush()


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # replaced or closed streams
        return False


#: For code with no reporter of its own at hand (option callbacks, settings loading).
default_reporter = Reporter()
