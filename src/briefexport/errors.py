"""The tool's own exceptions; the CLI turns them into one-line messages."""

from __future__ import annotations

from pathlib import Path


class BriefexportError(Exception):
    """An error the user can act on: bad input, bad config, a failed export.

    ``path`` names the file at fault and ``line`` (1-based) the place in it, when known.
    """

    def __init__(self, message: str, path: str | Path | None = None,
                 line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class SourceError(BriefexportError):
    """The briefing source cannot be read or is malformed."""


class ConfigError(BriefexportError):
    """The configuration file cannot be read or is malformed."""


class RenderError(BriefexportError):
    """A writer could not produce its output."""


class StrictError(BriefexportError):
    """``--strict`` turned warnings into a failure."""
