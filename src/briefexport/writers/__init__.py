"""Writers: one per output format, each turning a :class:`Briefing` into bytes or text.

A writer never opens output files; :mod:`briefexport.api` writes what it returns.  Heavy
libraries (WeasyPrint, the MJML binding) are imported by the writer module that needs them, and
the registry imports writer modules only when their format is asked for.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from briefexport.config import Settings
from briefexport.model import Briefing, Diagnostic


@dataclass
class RenderContext:
    """What a writer needs besides the briefing: the settings and a sink for warnings."""

    settings: Settings
    warnings: list[Diagnostic] = field(default_factory=list)

    def warn(self, briefing: Briefing, message: str, code: str = "warning",
             line: int | None = None) -> None:
        """Record a warning about ``briefing``."""
        self.warnings.append(Diagnostic(str(briefing.source), line, message, code))


class Writer(Protocol):
    """A format's writer."""

    #: The output file's extension, with its dot.
    extension: str

    def render(self, briefing: Briefing, ctx: RenderContext) -> bytes | str:
        """Render ``briefing``; add warnings to ``ctx``; raise ``RenderError`` on failure."""
        ...


#: Format name → "module:attribute" of a zero-argument factory returning a :class:`Writer`.
REGISTRY: dict[str, str] = {
    "pdf": "briefexport.writers.pdf:PdfWriter",
    "html": "briefexport.writers.email:EmailWriter",
    "txt": "briefexport.writers.text:TextWriter",
    "eml": "briefexport.writers.eml:EmlWriter",
}

#: Format name → writer of a newsletter edition (an :class:`~briefexport.model.Edition`).
EDITION_REGISTRY: dict[str, str] = {
    "pdf": "briefexport.writers.edition_pdf:EditionPdfWriter",
    "html": "briefexport.writers.edition_email:EditionEmailWriter",
    "txt": "briefexport.writers.edition_text:EditionTextWriter",
}

#: What ``export`` writes when no format is named.
DEFAULT_FORMATS: tuple[str, ...] = ("pdf", "html", "txt")

_instances: dict[str, Any] = {}


def formats() -> list[str]:
    """Every format name the registry knows."""
    return list(REGISTRY)


def _instance(registry: dict[str, str], name: str) -> Any:
    target = registry.get(name)
    if target is None:
        raise ValueError(f"unknown format '{name}' (choose from {', '.join(registry)})")
    if target not in _instances:
        module, attr = target.split(":")
        factory: Callable[[], Any] = getattr(importlib.import_module(module), attr)
        _instances[target] = factory()
    return _instances[target]


def get_writer(name: str) -> Writer:
    """The (cached, per-process) writer for a format name."""
    return _instance(REGISTRY, name)


def get_edition_writer(name: str) -> Any:
    """The (cached, per-process) edition writer for a format name."""
    return _instance(EDITION_REGISTRY, name)
