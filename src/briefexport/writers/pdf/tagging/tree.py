"""A typed view of the PDF WeasyPrint is about to write (a ``pydyf.PDF``), for the finishing
steps: follow references, walk the structure tree, read and rewrite its parent tree.

pydyf keeps an indirect reference as the bytes ``b"12 0 R"`` and the object itself at
``pdf.objects[12]``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

Ref = bytes


def is_ref(value: object) -> bool:
    """Whether ``value`` is an indirect reference as pydyf writes them."""
    return isinstance(value, bytes) and value.endswith(b" R")


class PdfObjects:
    """The objects of one ``pydyf.PDF`` and its structure tree."""

    def __init__(self, pdf: Any) -> None:
        self.pdf = pdf
        self._objects: dict[bytes, Any] = {}
        root = self.get(pdf.catalog.get("StructTreeRoot"))
        self.struct_root: Any = root
        self.document: Any = self.get(root["K"][0]) if root is not None else None
        # pydyf keeps the page tree's kids flat: number, generation, "R", number, …
        kids = pdf.pages["Kids"]
        self.pages: list[Any] = [pdf.objects[int(kids[i])] for i in range(0, len(kids), 3)]
        self._page_index = {page.reference: i for i, page in enumerate(self.pages)}

    def get(self, ref: object) -> Any:
        """The object ``ref`` points to (``None`` for ``None``)."""
        if ref is None:
            return None
        key = ref if isinstance(ref, bytes) else str(ref).encode()
        found = self._objects.get(key)
        if found is None:
            found = self._objects[key] = self.pdf.objects[int(key[:key.index(b" ")])]
        return found

    def page_index(self, page_ref: Ref) -> int:
        """The 0-based number of the page ``page_ref`` points to."""
        return self._page_index[page_ref]

    def page_height(self, page_ref: Ref) -> float:
        """The page's height in PDF points."""
        box = self.get(page_ref)["MediaBox"]
        return float(box[3]) - float(box[1])

    # ---- the structure tree

    def kids(self, element: Any) -> list[Any]:
        """The structure elements among ``element``'s kids (not MCIDs or object refs)."""
        out = []
        for kid in element.get("K", ()):
            if kid.__class__ is bytes:  # a reference (an MCID is an int)
                obj = self.get(kid)
                if obj.get("Type") == "/StructElem":
                    out.append(obj)
        return out

    def walk(self, element: Any = None) -> Iterator[Any]:
        """Every structure element under ``element`` (the Document by default), in order,
        ``element`` itself first."""
        stack = [element if element is not None else self.document]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(self.kids(node)))

    def role(self, element: Any) -> str:
        """``/P``, ``/Link``, …"""
        return str(element.get("S", ""))

    def first_annotation(self, element: Any) -> bytes | None:
        """The reference of the first annotation among ``element``'s kids (its OBJRs)."""
        for kid in element.get("K", ()):
            if is_ref(kid):
                obj = self.get(kid)
                if obj.get("Type") == "/OBJR":
                    ref: bytes = obj["Obj"]
                    return ref
        return None

    def parent(self, element: Any) -> Any:
        return self.get(element.get("P"))

    def detach(self, element: Any) -> None:
        """Take ``element`` out of its parent's kids."""
        parent = self.parent(element)
        parent["K"][:] = [k for k in parent["K"] if k != element.reference]

    def insert_after(self, anchor: Any, element: Any) -> None:
        """Put ``element`` among ``anchor``'s parent's kids, right after ``anchor``."""
        parent = self.parent(anchor)
        kids = parent["K"]
        kids.insert(kids.index(anchor.reference) + 1, element.reference)
        element["P"] = parent.reference

    # ---- the parent tree: MCIDs and annotations back to their structure elements

    def parent_tree(self) -> list[Any]:
        """The parent tree's ``/Nums`` array: ``[page, [elements by MCID], …, key, element]``."""
        return self.get(self.struct_root["ParentTree"])["Nums"]

    def merge(self, first: Any, later: Any) -> None:
        """Move ``later``'s kids to the end of ``first``'s and drop ``later``: two pieces of
        one element (laid out on two pages, or on two lines) become one.

        A bare MCID is relative to its element's page, so one from another page becomes a
        marked-content reference that names its page.
        """
        import pydyf

        for kid in later.get("K", ()):
            if isinstance(kid, int) and later.get("Pg") != first.get("Pg"):
                mcr = pydyf.Dictionary({"Type": "/MCR", "Pg": later["Pg"], "MCID": kid})
                self.pdf.add_object(mcr)
                kid = mcr.reference
            elif is_ref(kid):
                obj = self.get(kid)
                if obj.get("Type") == "/StructElem":
                    obj["P"] = first.reference
            first["K"].append(kid)
        self.point_parent_tree(later, first)
        self.detach(later)
        later.clear()  # unreachable now; an empty dictionary in the file

    def point_parent_tree(self, old: Any, new: Any) -> None:
        """Make every parent-tree entry that names ``old`` name ``new``."""
        nums = self.parent_tree()
        for at in range(1, len(nums), 2):
            value = nums[at]
            if isinstance(value, list):
                value[:] = [new.reference if v == old.reference else v for v in value]
            elif value == old.reference:
                nums[at] = new.reference
