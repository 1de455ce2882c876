"""One link annotation per line fragment of a link, each covering that fragment's text only.

WeasyPrint lays a link wrapped over two lines out as two boxes of its ``<a>``, and gives boxes
inside the ``<a>`` (an ``<em>`` in it, the call-to-action's label) annotations of their own,
which lie inside the ``<a>``'s.  Here, before the PDF is written, only the ``<a>``'s own boxes
keep an annotation: a click opens the link on its text and nowhere else.  After the PDF is
built (:func:`name_annotations`), each annotation gets ``/QuadPoints`` for its rectangle and
the ``<a>``'s ``title`` as its alternate text, and the fragments are reported so that
:mod:`~briefexport.writers.pdf.tagging.links` can make them one ``Link`` element.
"""

from __future__ import annotations

from typing import Any

Rect = tuple[float, float, float, float]


def own_link_boxes(document: Any, root: Any) -> dict[int, Any]:
    """Keep, on each page, only the annotations of boxes that are an ``<a>`` itself.

    ``root`` is the parsed HTML tree (``weasyprint.HTML.etree_element``).  A box inside an
    ``<a>`` keeps its annotation only when its ``<a>`` has no box of its own on that page.
    Returns each kept box (by ``id``) → the ``<a>`` element it belongs to.
    """
    owner: dict[Any, Any] = {}
    for anchor in root.iter("a"):
        for element in anchor.iter():
            owner.setdefault(element, anchor)
    kept: dict[int, Any] = {}
    for page in document.pages:
        own = {owner.get(getattr(box, "element", None)) for *_, box in page.links
               if getattr(box, "element", None) is not None
               and owner.get(box.element) is box.element}
        links = []
        for link in page.links:
            element = getattr(link[3], "element", None)
            anchor = owner.get(element)
            if anchor is not None and anchor is not element and anchor in own:
                continue  # inside its <a>, whose own box already carries the link
            links.append(link)
            if anchor is not None:
                kept[id(link[3])] = anchor
        page.links[:] = links
    return kept


def name_annotations(document: Any, kept: dict[int, Any]) -> dict[bytes, int]:
    """Finish the annotations of ``document`` once the PDF is built (in a ``write_pdf``
    finisher): ``/QuadPoints`` over each rectangle, the ``<a>``'s ``title`` as ``/Contents``.

    Returns each annotation's PDF reference → a number shared by the fragments of one ``<a>``.
    """
    import pydyf

    groups: dict[bytes, int] = {}
    numbers: dict[int, int] = {}
    for page in document.pages:
        for _, _, _, box in page.links:
            annotation = getattr(box, "link_annotation", None)
            if annotation is None:
                continue
            x1, y1, x2, y2 = (float(v) for v in annotation["Rect"])
            # Upper-left, upper-right, lower-left, lower-right: the order viewers expect.
            top, bottom = max(y1, y2), min(y1, y2)
            annotation["QuadPoints"] = pydyf.Array([x1, top, x2, top, x1, bottom, x2, bottom])
            anchor = kept.get(id(box))
            if anchor is None:
                continue
            title = anchor.get("title")
            if title:
                annotation["Contents"] = pydyf.String(title)
            groups[annotation.reference] = numbers.setdefault(id(anchor), len(numbers))
    return groups
