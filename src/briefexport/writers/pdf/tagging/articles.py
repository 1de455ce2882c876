"""One ``Art`` per story, not one per page.

WeasyPrint builds the structure tree page by page, so an ``<article>`` (and an edition's story
``<section>``) laid out over two pages becomes two elements.  A story's first piece holds its
headline (the only ``H1`` of an article), so an article piece without one continues the article
before it, and a section piece holding such an article continues the section before it (an
edition's contents section, which holds no article, never continues its cover).  Inside a
merged article, the body ``Div`` split by the same page break is joined too.
"""

from __future__ import annotations

from typing import Any

from briefexport.writers.pdf.tagging.tree import PdfObjects

_CONTAINERS = ("/Sect", "/Art")


def merge_articles(objects: PdfObjects) -> None:
    """Join the per-page pieces of each story section, article and article body."""
    _merge_children(objects, objects.document)


def _has_headline(objects: PdfObjects, element: Any) -> bool:
    return any(objects.role(e) == "/H1" for e in objects.walk(element))


def _continues(objects: PdfObjects, previous: Any, kid: Any) -> bool:
    """Whether ``kid`` (a Sect or Art piece) is the next page's piece of ``previous``."""
    if _has_headline(objects, kid):
        return False
    if objects.role(kid) == "/Art":
        return True
    return all(any(objects.role(e) == "/Art" for e in objects.kids(piece))
               for piece in (previous, kid))


def _merge_children(objects: PdfObjects, parent: Any) -> None:
    previous: Any = None
    for kid in objects.kids(parent):
        role = objects.role(kid)
        continues = (previous is not None and objects.role(previous) == role
                     and previous.get("Pg") != kid.get("Pg")
                     and ((role in _CONTAINERS and _continues(objects, previous, kid))
                          or (role == "/Div" and objects.role(parent) == "/Art")))
        if continues:
            objects.merge(previous, kid)
        else:
            previous = kid
    for kid in objects.kids(parent):
        if objects.role(kid) in _CONTAINERS:
            _merge_children(objects, kid)
