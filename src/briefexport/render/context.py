"""What every writer is handed besides the document: the settings and a sink for warnings."""

from __future__ import annotations

from dataclasses import dataclass, field

from briefexport.config import Settings
from briefexport.model import Diagnostic, Document


@dataclass
class RenderContext:
    """The settings a document is rendered with, and the warnings rendering it raised."""

    settings: Settings
    warnings: list[Diagnostic] = field(default_factory=list)

    def warn(self, origin: Document, message: str, code: str = "warning",
             line: int | None = None) -> None:
        """Record a warning about ``origin`` (a briefing or an edition)."""
        self.warnings.append(Diagnostic(str(origin.source), line, message, code))

    def adopt(self, warnings: list[Diagnostic]) -> None:
        """Add ``warnings`` raised by a nested render, each once."""
        for warning in warnings:
            if warning not in self.warnings:
                self.warnings.append(warning)
