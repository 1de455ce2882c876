"""Finishing the tagged PDF WeasyPrint builds, before it is written.

WeasyPrint's structure tree falls short of PDF/UA-1 in ways only the finished PDF shows; each
module mends one of them on the ``pydyf.PDF`` in a ``write_pdf`` finisher (:func:`finish_tags`):

- :mod:`.artifacts`: running heads and page numbers become Artifacts;
- :mod:`.articles`: one ``Art`` (and ``Sect``) per story, not one per page;
- :mod:`.links`: the line fragments of one link become one ``Link`` element;
- :mod:`.notes`: footnotes become ``Note`` elements beside the ``Reference`` that calls them;
- :mod:`.tables`: header cells get ``/Scope``;
- :mod:`.figures`: figure bounding boxes in PDF user space.
"""

from __future__ import annotations

from typing import Any

from briefexport.writers.pdf.tagging.articles import merge_articles
from briefexport.writers.pdf.tagging.artifacts import mark_page_furniture
from briefexport.writers.pdf.tagging.figures import fix_figure_boxes
from briefexport.writers.pdf.tagging.links import merge_link_fragments
from briefexport.writers.pdf.tagging.notes import make_notes
from briefexport.writers.pdf.tagging.tables import scope_header_cells
from briefexport.writers.pdf.tagging.tree import PdfObjects


def finish_tags(pdf: Any, link_groups: dict[bytes, int]) -> None:
    """Mend the structure tree of ``pdf`` in place; ``link_groups`` names the ``<a>`` each
    link annotation belongs to (see :func:`~briefexport.writers.pdf.links.name_annotations`).
    """
    objects = PdfObjects(pdf)
    if objects.document is None:
        return  # not tagged
    mark_page_furniture(objects)
    merge_link_fragments(objects, link_groups)
    # Notes first: a page's footnote area sits between the pieces of an article.
    make_notes(objects)
    merge_articles(objects)
    scope_header_cells(objects)
    fix_figure_boxes(objects)
