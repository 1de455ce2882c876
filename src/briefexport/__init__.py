"""briefexport: one briefing source → PDF client report, HTML email and wire text."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("briefexport")
except PackageNotFoundError:  # a source checkout that was never installed
    __version__ = "0+unknown"

from briefexport.api import ExportResult, export, export_one, read
from briefexport.errors import BriefexportError

__all__ = ["BriefexportError", "ExportResult", "__version__", "export", "export_one", "read"]
