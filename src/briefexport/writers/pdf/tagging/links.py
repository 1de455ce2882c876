"""One ``Link`` element per link, however many lines it was laid out on.

Each line fragment of a link has an annotation of its own (see
:mod:`briefexport.writers.pdf.links`), and WeasyPrint a ``Link`` element per fragment; the
fragments of one ``<a>`` that follow each other in one parent become one element that holds
every fragment's text and annotation.
"""

from __future__ import annotations

from typing import Any

from briefexport.writers.pdf.tagging.tree import PdfObjects


def link_group(objects: PdfObjects, element: Any, groups: dict[bytes, int]) -> int | None:
    """The ``<a>`` (by number) a ``Link`` element's first annotation belongs to."""
    annotation = objects.first_annotation(element)
    return groups.get(annotation) if annotation is not None else None


def merge_link_fragments(objects: PdfObjects, groups: dict[bytes, int]) -> None:
    """Merge consecutive ``Link`` siblings of the same ``<a>``."""
    for parent in list(objects.walk()):
        previous: Any = None
        previous_group: int | None = None
        for kid in objects.kids(parent):
            group = link_group(objects, kid, groups) if objects.role(kid) == "/Link" else None
            if group is not None and group == previous_group:
                objects.merge(previous, kid)
                continue
            previous, previous_group = kid, group
