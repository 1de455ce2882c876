"""Header cells with ``/Scope``, and no ``/Headers`` that point into a missing ``/IDTree``.

WeasyPrint gives every ``TH`` an ``/ID`` and every ``TD`` ``/Headers`` naming them, but writes
no ``/IDTree`` for the IDs (ISO 32000-1 §14.7.2 requires one).  The report's tables are
simple (a header row, or header cells at the start of rows), so ``/Scope`` alone tells each
cell its headers: it replaces both.
"""

from __future__ import annotations

from briefexport.writers.pdf.tagging.tree import PdfObjects


def scope_header_cells(objects: PdfObjects) -> None:
    """``/Scope /Column`` on header-row cells, ``/Row`` on the others; no IDs or Headers."""
    import pydyf

    for element in objects.walk():
        role = objects.role(element)
        if role == "/TH":
            row = objects.parent(element)
            section = objects.parent(row) if row is not None else None
            in_head = section is not None and objects.role(section) == "/THead"
            first_row = section is not None and section.get("K", [None])[0] == row.reference
            scope = "/Column" if in_head or (first_row and _all_headers(objects, row)) else "/Row"
            attributes = element.get("A") or pydyf.Dictionary({"O": "/Table"})
            attributes["Scope"] = scope
            element["A"] = attributes
            element.pop("ID", None)
        elif role == "/TD" and element.get("A") is not None:
            element["A"].pop("Headers", None)


def _all_headers(objects: PdfObjects, row: object) -> bool:
    return all(objects.role(cell) == "/TH" for cell in objects.kids(row))
