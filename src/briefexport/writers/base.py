"""One instance of each writer class per process (and the writer protocol, from the context).

A module of its own, below the format table, so that a writer that needs another
(``shared(PdfWriter)``) imports neither the table nor the writer modules it names.
"""

from __future__ import annotations

from typing import Any, TypeVar

from briefexport.render.context import Writer

__all__ = ["Writer", "shared"]

W = TypeVar("W")


_instances: dict[type[Any], Any] = {}


def shared(cls: type[W]) -> W:
    """The one instance of writer class ``cls`` in this process: fonts, parsed stylesheets and
    compiled templates are built once and reused by every document."""
    instance = _instances.get(cls)
    if instance is None:
        instance = _instances[cls] = cls()
    return instance
