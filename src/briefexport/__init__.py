"""briefexport: one briefing source → PDF client report, HTML email and wire text."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from briefexport.errors import BriefexportError

if TYPE_CHECKING:
    from briefexport.api import (
        ExportOptions,
        ExportResult,
        copies,
        export,
        export_edition,
        export_one,
        read,
        render,
    )

__all__ = ["BriefexportError", "ExportOptions", "ExportResult", "__version__", "copies",
           "export", "export_edition", "export_one", "read", "render"]

# `briefexport --help` and a text-only export should not pay for the API's imports (nor for
# importlib.metadata) before they need them, so these names are resolved on first use (PEP 562).
_API_NAMES = frozenset({"ExportOptions", "ExportResult", "copies", "export", "export_edition",
                        "export_one", "read", "render"})


def __getattr__(name: str) -> Any:
    if name in _API_NAMES:
        from briefexport import api

        return getattr(api, name)
    if name == "__version__":
        from briefexport.about import version

        return version()
    raise AttributeError(f"module 'briefexport' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
