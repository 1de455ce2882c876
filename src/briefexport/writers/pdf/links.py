"""One PDF link annotation per link (per page), however many boxes the link was laid out in.

WeasyPrint gives every box inside an ``<a>`` its own annotation: a link wrapped over two lines,
or one holding ``<em>`` or block children (the call-to-action box), becomes several annotations.
Readers and accessibility checkers expect one: here the boxes of one ``<a>`` on one page are
merged into a single annotation whose ``/Rect`` covers them all and whose ``/QuadPoints`` name
each piece, so viewers that honour QuadPoints still only react on the link's own text.
"""

from __future__ import annotations

from typing import Any

Rect = tuple[float, float, float, float]


def merge_link_boxes(document: Any, root: Any) -> list[tuple[int, Any, list[Rect]]]:
    """Merge ``document``'s per-box links in place; return what needs ``/QuadPoints``.

    ``root`` is the parsed HTML tree (``weasyprint.HTML.etree_element``); each box's element
    is traced back to the ``<a>`` it belongs to.  Returns ``(page index, kept box, rects)``
    for every link that was laid out in more than one box.
    """
    owner: dict[Any, Any] = {}
    for anchor in root.iter("a"):
        for element in anchor.iter():
            owner.setdefault(element, anchor)
    pieces: list[tuple[int, Any, list[Rect]]] = []
    for index, page in enumerate(document.pages):
        merged: list[tuple[Any, ...]] = []
        slot: dict[tuple[int, str], int] = {}
        rects: dict[int, list[Rect]] = {}
        for link_type, target, rect, box in page.links:
            anchor = owner.get(getattr(box, "element", None))
            key = (id(anchor), target)
            if anchor is None or key not in slot:
                if anchor is not None:
                    slot[key] = len(merged)
                rects[len(merged)] = [rect]
                merged.append((link_type, target, rect, box))
                continue
            at = slot[key]
            kind, first_target, union, first_box = merged[at]
            union = (min(union[0], rect[0]), min(union[1], rect[1]),
                     max(union[2], rect[2]), max(union[3], rect[3]))
            merged[at] = (kind, first_target, union, first_box)
            rects[at].append(rect)
        page.links[:] = merged
        pieces.extend((index, merged[at][3], found) for at, found in rects.items()
                      if len(found) > 1)
    return pieces


def add_quad_points(document: Any, pieces: list[tuple[int, Any, list[Rect]]],
                    zoom: float = 1) -> None:
    """Write ``/QuadPoints`` on the merged annotations (call from a ``write_pdf`` finisher)."""
    import pydyf

    scale = zoom * 0.75  # CSS px → PDF points, as WeasyPrint's own page matrix does
    for index, box, rects in pieces:
        annotation = getattr(box, "link_annotation", None)
        if annotation is None:
            continue
        height = document.pages[index].height
        quads: list[float] = []
        for x1, y1, x2, y2 in rects:
            top, bottom = (height - y1) * scale, (height - y2) * scale
            left, right = x1 * scale, x2 * scale
            # Upper-left, upper-right, lower-left, lower-right: the order viewers expect.
            quads += [left, top, right, top, left, bottom, right, bottom]
        annotation["QuadPoints"] = pydyf.Array(quads)
