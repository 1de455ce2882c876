"""Writers: one per output format, each turning a :class:`Briefing` into bytes or text.

A writer never opens output files; :mod:`briefexport.api` writes what it returns.  Heavy
libraries (WeasyPrint, the MJML binding) are imported by the writer module that needs them, and
the registry imports writer modules only when their format is asked for.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

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

#: What ``export`` writes when no format is named.
DEFAULT_FORMATS: tuple[str, ...] = ("pdf", "html", "txt")

_instances: dict[str, Writer] = {}


def formats() -> list[str]:
    """Every format name the registry knows."""
    return list(REGISTRY)


def get_writer(name: str) -> Writer:
    """The (cached, per-process) writer for a format name."""
    if name not in _instances:
        try:
            target = REGISTRY[name]
        except KeyError:
            raise ValueError(f"unknown format '{name}' (choose from {', '.join(REGISTRY)})"
                             ) from None
        module, attr = target.split(":")
        factory: Callable[[], Writer] = getattr(importlib.import_module(module), attr)
        _instances[name] = factory()
    return _instances[name]
