"""Footnotes as ``Note`` elements, each right after the ``Reference`` that calls it.

WeasyPrint tags a page's footnote area as a ``NonStruct`` at the end of the page, one ``Span``
per note (its marker, then its text), and the call in the text as a ``NonStruct`` after the
link it annotates.  A report's footnote is a link's URL, so a note is matched to its call by
that URL: the first body ``Link`` to the same URL that a ``NonStruct`` follows, on the note's
page or before it (WeasyPrint may carry a note over to the next page, never back).  The note
becomes a ``Note`` (with the ``/ID`` PDF/UA requires, listed in the ``/IDTree``) whose marker is
its ``Lbl``, and it moves into the reading order after its call, which becomes a ``Reference``.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from briefexport.writers.pdf.tagging.tree import PdfObjects


def _uri(objects: PdfObjects, link: Any) -> str | None:
    annotation = objects.first_annotation(link)
    if annotation is None:
        return None
    uri = (objects.get(annotation).get("A") or {}).get("URI")
    return str(uri.string) if uri is not None else None


def _is_footnote_area(objects: PdfObjects, element: Any) -> bool:
    kids = objects.kids(element)
    return (objects.role(element) == "/NonStruct" and bool(kids)
            and all(objects.role(k) == "/Span" and any(objects.role(e) == "/Link"
                                                      for e in objects.walk(k))
                    for k in kids))


def make_notes(objects: PdfObjects) -> None:
    """Turn every footnote into a ``Note`` and move it beside its call."""
    import pydyf

    areas = [e for e in objects.kids(objects.document) if _is_footnote_area(objects, e)]
    if not areas:
        return
    area_refs = {a.reference for a in areas}
    # Body links followed by a call, in reading order: (URL, page, call element).
    calls: list[tuple[str | None, int, Any]] = []
    for top in objects.kids(objects.document):
        if top.reference in area_refs:
            continue
        for parent in objects.walk(top):
            kids = objects.kids(parent)
            for link, after in pairwise(kids):
                if objects.role(link) == "/Link" and objects.role(after) == "/NonStruct":
                    calls.append((_uri(objects, link), objects.page_index(after["Pg"]), after))
    ids: list[tuple[str, bytes]] = []
    for area in areas:
        for note in objects.kids(area):
            note["S"] = "/Note"
            note_id = f"note-{len(ids) + 1}"
            note["ID"] = pydyf.String(note_id)
            ids.append((note_id, note.reference))
            marker = objects.kids(note)[0]
            if objects.role(marker) == "/NonStruct":
                marker["S"] = "/Lbl"
            link = next((e for e in objects.walk(note) if objects.role(e) == "/Link"), None)
            url = _uri(objects, link) if link is not None else None
            page = objects.page_index(note["Pg"])
            match = next((i for i, (u, p, _) in enumerate(calls) if u == url and p <= page),
                         None)
            if match is None:
                continue  # no call found: the note stays where it is, a Note all the same
            call = calls.pop(match)[2]
            call["S"] = "/Reference"
            objects.detach(note)
            objects.insert_after(call, note)
        if not objects.kids(area):
            objects.detach(area)
            area.clear()
    _add_id_tree(objects, ids)


def _add_id_tree(objects: PdfObjects, ids: list[tuple[str, bytes]]) -> None:
    """The ``/IDTree`` name tree: keys sorted by their bytes, as name trees require."""
    import pydyf

    names = pydyf.Array()
    for key, ref in sorted(ids, key=lambda pair: pair[0].encode()):
        names.extend([pydyf.String(key), ref])
    tree = pydyf.Dictionary({"Names": names})
    objects.pdf.add_object(tree)
    objects.struct_root["IDTree"] = tree.reference
