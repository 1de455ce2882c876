"""The structure-tree checks of a tagged PDF, read with pikepdf: what veraPDF would check of
PDF/UA-1 that the `pdfua` checker does not, for any PDF the tests make.

    problems = structure_problems(Path("report.pdf"))
    assert problems == []

Each problem is one line naming the element and what is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

_MCID_RE = re.compile(rb"/(\w+)\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")
_ARTIFACT_RE = re.compile(rb"/Artifact\s*(<<[^>]*>>\s*BDC|BMC)")


@dataclass
class Element:
    obj: pikepdf.Dictionary
    role: str
    page: int | None
    parent: Element | None
    kids: list[Element] = field(default_factory=list)
    mcids: list[tuple[int | None, int]] = field(default_factory=list)  # (page, mcid)
    annotations: list[pikepdf.Dictionary] = field(default_factory=list)

    def walk(self):
        yield self
        for kid in self.kids:
            yield from kid.walk()

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


@dataclass
class Tree:
    pdf: pikepdf.Pdf
    root: Element
    page_of: dict[tuple[int, int], int]

    def elements(self, role: str | None = None) -> list[Element]:
        return [e for e in self.root.walk() if role is None or e.role == role]


def _name(value: object) -> str:
    return str(value) if value is not None else ""


def read_tree(pdf: pikepdf.Pdf) -> Tree:
    """The structure tree as plain Python objects."""
    pages = {page.objgen: i for i, page in enumerate(pdf.pages)}
    page_of: dict[tuple[int, int], int] = {}

    def build(obj: pikepdf.Dictionary, parent: Element | None) -> Element:
        page = pages.get(obj.Pg.objgen) if "/Pg" in obj else (parent.page if parent else None)
        element = Element(obj, _name(obj.get("/S")), page, parent)
        kids = obj.get("/K")
        if kids is None:
            kids = []
        elif not isinstance(kids, pikepdf.Array):
            kids = [kids]
        for kid in kids:
            if isinstance(kid, int):
                element.mcids.append((page, int(kid)))
            elif isinstance(kid, pikepdf.Dictionary):
                kind = _name(kid.get("/Type"))
                if kind == "/MCR":
                    mcr_page = pages.get(kid.Pg.objgen) if "/Pg" in kid else page
                    element.mcids.append((mcr_page, int(kid.MCID)))
                elif kind == "/OBJR":
                    element.annotations.append(kid.Obj)
                else:
                    element.kids.append(build(kid, element))
        return element

    tree_root = pdf.Root.StructTreeRoot
    top = tree_root.K
    docs = list(top) if isinstance(top, pikepdf.Array) else [top]
    root = Element(tree_root, "/StructTreeRoot", None, None)
    root.kids = [build(d, root) for d in docs]
    return Tree(pdf, root, page_of)


def _content(page: pikepdf.Page) -> bytes:
    contents = page.obj.get("/Contents")
    if isinstance(contents, pikepdf.Array):
        return b"".join(c.read_bytes() for c in contents)
    return contents.read_bytes() if contents is not None else b""


def _text_of(element: Element, texts: dict[tuple[int, int], str]) -> str:
    return "".join(texts.get(m, "") for e in element.walk() for m in e.mcids)


def structure_problems(path: Path | str, *, articles: int | None = None) -> list[str]:
    """Everything wrong with the tagged structure of the PDF at ``path``.

    ``articles``: how many ``Art`` elements there must be (one per story).
    """
    problems: list[str] = []
    with pikepdf.open(path) as pdf:
        tree = read_tree(pdf)
        elements = tree.elements()

        # Marked content: every MCID drawn on a page is reachable from the root, and the parent
        # tree maps it back to the element that holds it; page furniture is an Artifact.
        held = {m: e for e in elements for m in e.mcids}
        nums = _parent_tree(pdf.Root.StructTreeRoot.ParentTree)
        for index, page in enumerate(pdf.pages):
            drawn = {int(m.group(2)) for m in _MCID_RE.finditer(_content(page))}
            for mcid in sorted(drawn):
                element = held.get((index, mcid))
                if element is None:
                    problems.append(f"page {index + 1}: marked content {mcid} is in no element "
                                    "reachable from the structure tree (an orphan)")
                    continue
                mapped = nums.get(int(page.obj.get("/StructParents", -1)))
                if not isinstance(mapped, pikepdf.Array) or mcid >= len(mapped) \
                        or mapped[mcid].objgen != element.obj.objgen:
                    problems.append(f"page {index + 1}: the parent tree does not map marked "
                                    f"content {mcid} to its {element.role}")
            for page_mcid in [m for m in held if m[0] == index]:
                if page_mcid[1] not in drawn:
                    problems.append(f"page {index + 1}: {held[page_mcid].role} names marked "
                                    f"content {page_mcid[1]}, which the page does not draw")

        # Headings nest without skipping a level, in reading order.
        previous = 0
        for element in elements:
            match = re.fullmatch(r"/H([1-6])", element.role)
            if not match:
                continue
            level = int(match.group(1))
            if level > previous + 1:
                problems.append(f"page {(element.page or 0) + 1}: H{level} follows "
                                f"H{previous or '(none)'}: a heading level is skipped")
            if not any(e.mcids for e in element.walk()):
                problems.append(f"page {(element.page or 0) + 1}: an empty H{level}")
            previous = level

        # IDs: unique, and every one (and every /Headers reference) in the IDTree.
        ids = [str(e.obj.ID) for e in elements if "/ID" in e.obj]
        if len(ids) != len(set(ids)):
            problems.append("structure element IDs are not unique")
        id_tree = _names(pdf.Root.StructTreeRoot.get("/IDTree"))
        if "\0unsorted" in id_tree:
            problems.append("the /IDTree's keys are not sorted")
        for key in ids:
            if key not in id_tree:
                problems.append(f"ID {key!r} is not in the structure tree's /IDTree")
        for element in elements:
            attributes = element.obj.get("/A")
            if isinstance(attributes, pikepdf.Dictionary) and "/Headers" in attributes:
                for key in attributes.Headers:
                    if str(key) not in id_tree:
                        problems.append(f"{element.role} /Headers names {str(key)!r}, which "
                                        "is in no /IDTree")

        # Notes: an ID and a label; one placed after its call is the note of the link the
        # call follows (same URL), on the call's page or the next.
        for note in tree.elements("/Note"):
            where = f"page {(note.page or 0) + 1}"
            if "/ID" not in note.obj:
                problems.append(f"{where}: a Note without an /ID")
            if not note.kids or note.kids[0].role != "/Lbl":
                problems.append(f"{where}: a Note whose first kid is not its label (Lbl)")
            siblings = note.parent.kids if note.parent is not None else []
            at = siblings.index(note)
            if at >= 2 and siblings[at - 1].role == "/Reference":
                linked, called = _link_uri(note), _link_uri(siblings[at - 2])
                call_page = siblings[at - 1].page or 0
                if linked != called or not call_page <= (note.page or 0) <= call_page + 1:
                    problems.append(f"{where}: a Note ({linked}) after the call of another "
                                    f"link ({called}, page {call_page + 1})")
        for element in elements:
            if element.role == "/NonStruct" and element.parent is tree.root.kids[0] and any(
                    e.role == "/Link" for e in element.walk()):
                problems.append(f"page {(element.page or 0) + 1}: a NonStruct with links at "
                                "the top of the tree (an untagged footnote area?)")

        # Tables: header cells have a scope.
        for cell in tree.elements("/TH"):
            attributes = cell.obj.get("/A")
            if not isinstance(attributes, pikepdf.Dictionary) or "/Scope" not in attributes:
                problems.append(f"page {(cell.page or 0) + 1}: a TH without /Scope")

        # Figures: alternate text and a bounding box inside their page, in user space.
        for figure in tree.elements("/Figure"):
            if not str(figure.obj.get("/Alt", "")).strip():
                problems.append(f"page {(figure.page or 0) + 1}: a Figure without /Alt")
            attributes = figure.obj.get("/A")
            if isinstance(attributes, pikepdf.Dictionary) and "/BBox" in attributes:
                x1, y1, x2, y2 = (float(v) for v in attributes.BBox)
                media = [float(v) for v in pdf.pages[figure.page or 0].mediabox]
                if not (media[0] <= x1 < x2 <= media[2] and media[1] <= y1 < y2 <= media[3]):
                    problems.append(f"page {(figure.page or 0) + 1}: Figure /BBox "
                                    f"{[x1, y1, x2, y2]} is not inside the page {media}")
                elif not _image_inside(pdf.pages[figure.page or 0], (x1, y1, x2, y2),
                                       [m for p, m in figure.mcids if p == figure.page]):
                    problems.append(f"page {(figure.page or 0) + 1}: Figure /BBox "
                                    f"{[x1, y1, x2, y2]} does not hold what the figure draws")

        # Links: each annotation belongs to one Link, which the annotation points back to,
        # and has an alternate description and QuadPoints within its /Rect.
        owner = {a.objgen: e for e in elements for a in e.annotations}
        for index, page in enumerate(pdf.pages):
            for annotation in page.obj.get("/Annots", []) or []:
                if _name(annotation.get("/Subtype")) != "/Link":
                    continue
                element = owner.get(annotation.objgen)
                if element is None or element.role != "/Link":
                    problems.append(f"page {index + 1}: a link annotation in no Link element")
                    continue
                key = annotation.get("/StructParent")
                if key is None or nums.get(int(key)) is None or \
                        nums[int(key)].objgen != element.obj.objgen:
                    problems.append(f"page {index + 1}: a link annotation's /StructParent "
                                    "does not lead back to its Link")
                if not str(annotation.get("/Contents", "")).strip():
                    problems.append(f"page {index + 1}: a link annotation without /Contents")
                if "/QuadPoints" not in annotation:
                    problems.append(f"page {index + 1}: a link annotation without QuadPoints")

        # PDF/A-3: each attachment listed once.
        files = pdf.Root.get("/AF")
        if files is not None:
            refs = [f.objgen for f in files]
            if len(refs) != len(set(refs)):
                problems.append("the catalog's /AF lists an attachment more than once")

        if articles is not None:
            found = len(tree.elements("/Art"))
            if found != articles:
                problems.append(f"{found} Art elements for {articles} stories")
    return problems


def _link_uri(element: Element) -> str | None:
    """The URI of the first link annotation in ``element``."""
    for node in element.walk():
        for annotation in node.annotations:
            action = annotation.get("/A")
            if action is not None and "/URI" in action:
                return str(action.URI)
    return None


def _parent_tree(node: pikepdf.Dictionary) -> dict[int, pikepdf.Object]:
    out: dict[int, pikepdf.Object] = {}
    if "/Nums" in node:
        nums = node.Nums
        for i in range(0, len(nums), 2):
            out[int(nums[i])] = nums[i + 1]
    for kid in node.get("/Kids", []) or []:
        out.update(_parent_tree(kid))
    return out


def _names(node: pikepdf.Dictionary | None) -> set[str]:
    if node is None:
        return set()
    out: set[str] = set()
    if "/Names" in node:
        names = node.Names
        keys = [str(names[i]) for i in range(0, len(names), 2)]
        if keys != sorted(keys, key=lambda k: k.encode()):
            out.add("\0unsorted")
        out.update(keys)
    for kid in node.get("/Kids", []) or []:
        out |= _names(kid)
    return out


def _multiply(m: tuple[float, ...], n: tuple[float, ...]) -> tuple[float, ...]:
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _drawn_box(page: pikepdf.Page, mcid: int) -> tuple[float, float, float, float] | None:
    """The bounding box, in user space, of what the marked content ``mcid`` draws."""
    ctm: tuple[float, ...] = (1, 0, 0, 1, 0, 0)
    stack: list[tuple[float, ...]] = []
    marks: list[int | None] = []
    points: list[tuple[float, float]] = []

    def add(x: float, y: float) -> None:
        a, b, c, d, e, f = ctm
        points.append((a * x + c * y + e, b * x + d * y + f))

    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "q":
            stack.append(ctm)
        elif op == "Q" and stack:
            ctm = stack.pop()
        elif op == "cm":
            ctm = _multiply(tuple(float(v) for v in operands), ctm)
        elif op in ("BDC", "BMC"):
            props = operands[1] if op == "BDC" and len(operands) > 1 else None
            marks.append(int(props.MCID) if isinstance(props, pikepdf.Dictionary)
                         and "/MCID" in props else None)
        elif op == "EMC" and marks:
            marks.pop()
        elif mcid in marks:
            values = [float(v) for v in operands if isinstance(v, int | float)
                      or type(v).__name__ == "Decimal"]
            if op == "re" and len(values) == 4:
                x, y, w, h = values
                add(x, y)
                add(x + w, y + h)
            elif op in ("m", "l", "c", "v", "y"):
                for i in range(0, len(values) - 1, 2):
                    add(values[i], values[i + 1])
            elif op == "Do":
                add(0, 0)
                add(1, 1)
    if not points:
        return None
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _image_inside(page: pikepdf.Page, box: tuple[float, float, float, float],
                  mcids: list[int]) -> bool:
    """Whether what the figure's marked content draws lies inside ``box`` (2 pt slack)."""
    x1, y1, x2, y2 = box
    for mcid in mcids:
        drawn = _drawn_box(page, mcid)
        if drawn is None:
            continue
        dx1, dy1, dx2, dy2 = drawn
        if not (x1 - 2 <= dx1 and dx2 <= x2 + 2 and y1 - 2 <= dy1 and dy2 <= y2 + 2):
            return False
    return True


def artifact_count(path: Path | str) -> int:
    """How many Artifact marked-content sequences the pages hold."""
    with pikepdf.open(path) as pdf:
        return sum(len(_ARTIFACT_RE.findall(_content(page))) for page in pdf.pages)


def texts_by_role(path: Path | str, role: str) -> list[int]:
    """How many elements of ``role`` each page holds (page order)."""
    with pikepdf.open(path) as pdf:
        tree = read_tree(pdf)
        counts = [0] * len(pdf.pages)
        for element in tree.elements(role):
            counts[element.page or 0] += 1
        return counts


def links(path: Path | str) -> list[tuple[str, int, bool]]:
    """Each ``Link`` element in reading order: (its URI or destination, how many annotations
    it holds, whether it is inside a ``Note``)."""
    out = []
    with pikepdf.open(path) as pdf:
        for element in read_tree(pdf).elements("/Link"):
            targets = []
            for annotation in element.annotations:
                action = annotation.get("/A")
                targets.append(str(action.URI) if action is not None and "/URI" in action
                               else str(annotation.get("/Dest", "")))
            in_note = any(a.role == "/Note" for a in element.ancestors())
            out.append((targets[0] if targets else "", len(targets), in_note))
    return out


def body_link_uris(path: Path | str) -> list[str]:
    """The URI of every link of the text (not the URLs printed in its notes)."""
    return [uri for uri, _, in_note in links(path) if not in_note]
