"""PDF/A-3 attachments, listed once.

WeasyPrint 70 lists each attachment twice in the catalog's ``/AF`` array: once from the
embedded-files name tree and once from the file specification objects themselves.
"""

from __future__ import annotations

from typing import Any


def list_attachments_once(pdf: Any) -> None:
    """Drop the repeated references of the catalog's ``/AF`` (a ``write_pdf`` finisher step)."""
    files = pdf.catalog.get("AF")
    if files:
        files[:] = list(dict.fromkeys(files))
