"""Page furniture (running heads, brand, classification, "Page X of Y") as Artifacts.

WeasyPrint tags the margin boxes' text like body text but leaves their structure elements out
of the tree (ISO 32000-1 has no place for them before PDF 2.0), so their marked content points
to elements nothing reaches.  Such content is page furniture: it becomes
``/Artifact <</Type /Pagination>>`` and leaves the parent tree.
"""

from __future__ import annotations

from typing import Any

from briefexport.writers.pdf.tagging.tree import PdfObjects


def mark_page_furniture(objects: PdfObjects) -> None:
    """Turn the content of unreachable structure elements into pagination artifacts."""
    import pydyf

    reachable = {element.reference for element in objects.walk()}
    nums = objects.parent_tree()
    for at in range(0, len(nums), 2):
        page_index, elements = nums[at], nums[at + 1]
        if not isinstance(elements, list):
            continue  # an annotation's entry
        orphans = {mcid for mcid, ref in enumerate(elements)
                   if ref != b"null" and ref not in reachable}
        if not orphans:
            continue
        stream = objects.get(objects.pages[page_index]["Contents"]).stream
        for i in range(len(stream) - 2):
            properties = stream[i + 1]
            if (stream[i + 2] == b"BDC" and isinstance(properties, dict)
                    and properties.get("MCID") in orphans):
                stream[i] = "/Artifact"
                stream[i + 1] = pydyf.Dictionary({"Type": "/Pagination"})
        for mcid in orphans:
            elements[mcid] = b"null"
    _clear_unreachable(objects, reachable)


def _clear_unreachable(objects: PdfObjects, reachable: set[Any]) -> None:
    """Empty the structure elements nothing reaches (pydyf cannot drop an object)."""
    for obj in objects.pdf.objects:
        if (isinstance(obj, dict) and obj.get("Type") == "/StructElem"
                and obj is not objects.document
                and getattr(obj, "reference", None) not in reachable):
            obj.clear()
