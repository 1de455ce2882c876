"""One PDF link annotation per link: merging WeasyPrint's per-box links, then /QuadPoints.

The two functions are tried on fake documents first (pages with ``.links`` tuples whose boxes
point into an lxml tree), then once through the real writer, read back with pikepdf.
"""

from __future__ import annotations

import io
import re
import subprocess
from decimal import Decimal

import pikepdf
import pydyf
import pytest
from lxml import html as lxml_html
from pdfread import tool

from briefexport.config import Settings
from briefexport.render.context import RenderContext
from briefexport.source.briefing import read
from briefexport.writers import get_format
from briefexport.writers.pdf.links import add_quad_points, merge_link_boxes

TREE = """<html><body>
<p id="p1">Intro <a id="a1" href="https://one.example/">first <em id="em1">line</em>
  <span id="s1"><b id="b1">deep</b></span></a> and
  <a id="a2" href="https://one.example/">again</a>
  <a id="a3" href="https://two.example/">other</a></p>
<p id="p2">no anchor <i id="i2">here</i></p>
</body></html>"""


class Box:
    """What WeasyPrint hands back in ``page.links``: a box that knows its element."""

    def __init__(self, element=None, name: str = "") -> None:
        if element is not None:
            self.element = element
        self.name = name

    def __repr__(self) -> str:
        return f"Box({self.name})"


class Page:
    def __init__(self, links, height: float = 1000.0) -> None:
        self.links = links
        self.height = height


class Document:
    def __init__(self, *pages: Page) -> None:
        self.pages = list(pages)


@pytest.fixture
def tree():
    root = lxml_html.document_fromstring(TREE)
    return root, {e.get("id"): e for e in root.iter() if e.get("id")}


def box(ids, name: str) -> Box:
    return Box(ids[name], name)


# --------------------------------------------------------------------------- merge_link_boxes


def test_boxes_of_one_anchor_on_one_page_merge_into_their_union(tree):
    root, ids = tree
    first, em, deep = box(ids, "a1"), box(ids, "em1"), box(ids, "b1")
    links = [
        ("external", "https://one.example/", (100.0, 10.0, 300.0, 20.0), first),
        ("external", "https://one.example/", (300.0, 10.0, 340.0, 20.0), em),
        ("external", "https://one.example/", (20.0, 25.0, 200.0, 35.0), deep),
    ]
    document = Document(Page(links))
    pieces = merge_link_boxes(document, root)
    assert document.pages[0].links is links  # changed in place
    assert links == [("external", "https://one.example/", (20.0, 10.0, 340.0, 35.0), first)]
    assert pieces == [(0, first, [(100.0, 10.0, 300.0, 20.0), (300.0, 10.0, 340.0, 20.0),
                                  (20.0, 25.0, 200.0, 35.0)])]


def test_different_anchors_with_the_same_target_stay_separate(tree):
    root, ids = tree
    a1, a2, a3 = box(ids, "a1"), box(ids, "a2"), box(ids, "a3")
    links = [
        ("external", "https://one.example/", (0.0, 0.0, 10.0, 10.0), a1),
        ("external", "https://one.example/", (20.0, 0.0, 30.0, 10.0), a2),
        ("external", "https://two.example/", (40.0, 0.0, 50.0, 10.0), a3),
    ]
    expected = list(links)
    assert merge_link_boxes(Document(Page(links)), root) == []
    assert links == expected


def test_boxes_of_one_anchor_on_different_pages_stay_separate(tree):
    root, ids = tree
    end_of_page, em, start_of_next = box(ids, "a1"), box(ids, "em1"), box(ids, "s1")
    page1 = [("external", "https://one.example/", (50.0, 900.0, 400.0, 920.0), end_of_page),
             ("external", "https://one.example/", (10.0, 925.0, 90.0, 945.0), em)]
    page2 = [("external", "https://one.example/", (10.0, 40.0, 80.0, 60.0), start_of_next)]
    document = Document(Page(page1), Page(page2))
    pieces = merge_link_boxes(document, root)
    assert page1 == [("external", "https://one.example/", (10.0, 900.0, 400.0, 945.0),
                      end_of_page)]
    assert page2 == [("external", "https://one.example/", (10.0, 40.0, 80.0, 60.0),
                      start_of_next)]
    # Only the page where the link was laid out in two boxes needs QuadPoints.
    assert pieces == [(0, end_of_page, [(50.0, 900.0, 400.0, 920.0), (10.0, 925.0, 90.0, 945.0)])]


def test_boxes_outside_any_anchor_are_kept_as_they_are(tree):
    root, ids = tree
    outside, italic, bare = box(ids, "p2"), box(ids, "i2"), Box(name="no element")
    anchored, more = box(ids, "a3"), box(ids, "a3")
    stray = Box(lxml_html.fragment_fromstring("<a href='x'>not in the tree</a>"), "stray")
    links = [
        ("external", "https://one.example/", (0.0, 0.0, 1.0, 1.0), outside),
        ("external", "https://two.example/", (5.0, 5.0, 9.0, 9.0), anchored),
        ("external", "https://one.example/", (2.0, 2.0, 3.0, 3.0), italic),
        ("internal", "#gao", (4.0, 4.0, 5.0, 5.0), bare),
        ("external", "https://two.example/", (1.0, 6.0, 8.0, 12.0), more),
        ("external", "https://one.example/", (2.0, 2.0, 3.0, 3.0), stray),
    ]
    pieces = merge_link_boxes(Document(Page(links)), root)
    assert links == [
        ("external", "https://one.example/", (0.0, 0.0, 1.0, 1.0), outside),
        ("external", "https://two.example/", (1.0, 5.0, 9.0, 12.0), anchored),
        ("external", "https://one.example/", (2.0, 2.0, 3.0, 3.0), italic),
        ("internal", "#gao", (4.0, 4.0, 5.0, 5.0), bare),
        ("external", "https://one.example/", (2.0, 2.0, 3.0, 3.0), stray),
    ]
    assert pieces == [(0, anchored, [(5.0, 5.0, 9.0, 9.0), (1.0, 6.0, 8.0, 12.0)])]


def test_one_anchor_with_two_targets_stays_two_links(tree):
    root, ids = tree
    a, em = box(ids, "a1"), box(ids, "em1")
    links = [("external", "https://one.example/", (0.0, 0.0, 1.0, 1.0), a),
             ("internal", "#part", (2.0, 0.0, 3.0, 1.0), em)]
    expected = list(links)
    assert merge_link_boxes(Document(Page(links)), root) == []
    assert links == expected


def test_pieces_list_only_merged_links_in_page_order(tree):
    root, ids = tree
    a1, em1, a2, a3, s1 = (box(ids, n) for n in ("a1", "em1", "a2", "a3", "s1"))
    page1 = [("external", "https://one.example/", (0.0, 0.0, 10.0, 10.0), a1),
             ("external", "https://one.example/", (0.0, 10.0, 10.0, 20.0), a2),
             ("external", "https://one.example/", (0.0, 20.0, 10.0, 30.0), em1)]
    page2 = [("external", "https://two.example/", (0.0, 0.0, 5.0, 5.0), a3),
             ("external", "https://one.example/", (0.0, 0.0, 5.0, 5.0), s1),
             ("external", "https://two.example/", (0.0, 5.0, 5.0, 10.0), a3)]
    pieces = merge_link_boxes(Document(Page([]), Page(page1), Page(page2)), root)
    assert pieces == [
        (1, a1, [(0.0, 0.0, 10.0, 10.0), (0.0, 20.0, 10.0, 30.0)]),
        (2, a3, [(0.0, 0.0, 5.0, 5.0), (0.0, 5.0, 5.0, 10.0)]),
    ]
    assert [(t, r, b) for _, t, r, b in page1] == [
        ("https://one.example/", (0.0, 0.0, 10.0, 30.0), a1),
        ("https://one.example/", (0.0, 10.0, 10.0, 20.0), a2)]
    assert [(t, r, b) for _, t, r, b in page2] == [
        ("https://two.example/", (0.0, 0.0, 5.0, 10.0), a3),
        ("https://one.example/", (0.0, 0.0, 5.0, 5.0), s1)]


# --------------------------------------------------------------------------- add_quad_points


class Annotated:
    """A kept box after ``write_pdf`` has given it its annotation dictionary."""

    def __init__(self) -> None:
        self.link_annotation: dict = {"Type": "/Annot"}


def test_quad_points_are_pdf_points_with_y_flipped():
    kept = Annotated()
    pieces = [(0, kept, [(10.0, 20.0, 110.0, 40.0), (0.0, 40.0, 50.0, 60.0)])]
    add_quad_points(Document(Page([], height=1000.0)), pieces)
    quads = kept.link_annotation["QuadPoints"]
    assert isinstance(quads, pydyf.Array)
    # Upper-left, upper-right, lower-left, lower-right; 1 CSS px is 0.75 pt.
    assert list(quads) == [7.5, 735.0, 82.5, 735.0, 7.5, 720.0, 82.5, 720.0,
                           0.0, 720.0, 37.5, 720.0, 0.0, 705.0, 37.5, 705.0]
    assert kept.link_annotation["Type"] == "/Annot"
    assert quads.data == (b"[7.5 735 82.5 735 7.5 720 82.5 720 "
                          b"0 720 37.5 720 0 705 37.5 705]")


def test_quad_points_use_the_height_of_the_links_page_and_the_zoom():
    first, second = Annotated(), Annotated()
    document = Document(Page([], height=1000.0), Page([], height=400.0))
    pieces = [(1, first, [(4.0, 100.0, 8.0, 120.0), (0.0, 120.0, 2.0, 140.0)]),
              (0, second, [(0.0, 0.0, 4.0, 4.0), (0.0, 996.0, 4.0, 1000.0)])]
    add_quad_points(document, pieces, zoom=2)
    assert list(first.link_annotation["QuadPoints"]) == [
        6.0, 450.0, 12.0, 450.0, 6.0, 420.0, 12.0, 420.0,
        0.0, 420.0, 3.0, 420.0, 0.0, 390.0, 3.0, 390.0]
    assert list(second.link_annotation["QuadPoints"]) == [
        0.0, 1500.0, 6.0, 1500.0, 0.0, 1494.0, 6.0, 1494.0,
        0.0, 6.0, 6.0, 6.0, 0.0, 0.0, 6.0, 0.0]


def test_boxes_without_an_annotation_are_skipped():
    none, missing, kept = Box(name="none"), Box(name="missing"), Annotated()
    none.link_annotation = None  # type: ignore[attr-defined]
    rects = [(0.0, 0.0, 4.0, 4.0), (0.0, 4.0, 4.0, 8.0)]
    add_quad_points(Document(Page([], height=8.0)), [(0, none, rects), (0, missing, rects),
                                                      (0, kept, rects)])
    assert none.link_annotation is None  # type: ignore[attr-defined]
    assert not hasattr(missing, "link_annotation")
    assert list(kept.link_annotation["QuadPoints"]) == [0.0, 6.0, 3.0, 6.0, 0.0, 3.0, 3.0, 3.0,
                                                        0.0, 3.0, 3.0, 3.0, 0.0, 0.0, 3.0, 0.0]


def test_nothing_to_merge_writes_nothing():
    add_quad_points(Document(), [])  # no pages needed when there are no pieces


# --------------------------------------------------------------------------- the real writer

LONG_URL = "https://portal.example/briefings/2021-05-mali-transition"
#: Forty words a column cannot hold on one line, none of which can be hyphenated.
WORDS = [f"w{n:02d}" for n in range(1, 41)]


def test_a_wrapped_link_is_one_annotation_with_one_quad_per_line(tmp_path):
    source = tmp_path / "wrapped.md"
    source.write_text("MALI: Junta extends transition\n\n"
                      f"The council said [{' '.join(WORDS)}]({LONG_URL}) on Monday.\n",
                      encoding="utf-8")
    ctx = RenderContext(Settings())
    pdf = get_format("pdf").briefing().render(read(source), ctx)
    assert ctx.warnings == []
    path = tmp_path / "wrapped.pdf"
    path.write_bytes(pdf)

    # Where poppler finds each word of the link text, in PDF coordinates (y up).
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) == 1
        page = doc.pages[0]
        height = float(page.mediabox[3])
        links = [a for a in page.get("/Annots", []) if a.get("/Subtype") == "/Link"]
        assert len(links) == 1
        (annot,) = links
        assert str(annot.A.URI) == LONG_URL
        # Any two opposite corners make a PDF rectangle (WeasyPrint writes top before bottom).
        x1, y1, x2, y2 = (float(x) for x in annot.Rect)
        rect = [min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)]
        quads = [float(x) for x in annot.QuadPoints]
    bbox = subprocess.run([tool("pdftotext"), "-bbox", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    words = {m["word"]: (float(m["x1"]), height - float(m["y2"]), float(m["x2"]),
                         height - float(m["y1"]))
             for m in re.finditer(r'<word xMin="(?P<x1>[\d.]+)" yMin="(?P<y1>[\d.]+)" '
                                  r'xMax="(?P<x2>[\d.]+)" yMax="(?P<y2>[\d.]+)">'
                                  r"(?P<word>w\d\d)</word>", bbox)}
    assert sorted(words) == WORDS
    lines = sorted({round(y1, 1) for _, y1, _, _ in words.values()}, reverse=True)
    assert len(lines) >= 2

    assert len(quads) == 8 * len(lines)
    epsilon = 0.01
    quad_boxes = []
    for n in range(0, len(quads), 8):
        ulx, uly, urx, ury, llx, lly, lrx, lry = quads[n:n + 8]
        # A rectangle, corners in the order upper-left, upper-right, lower-left, lower-right.
        assert (uly, llx, lrx) == (ury, ulx, urx) and lly == lry and ulx < urx and lly < uly
        assert rect[0] - epsilon <= ulx and urx <= rect[2] + epsilon
        assert rect[1] - epsilon <= lly and uly <= rect[3] + epsilon
        quad_boxes.append((ulx, lly, urx, uly))
    # One quad per line, top to bottom, and each word of the link inside its line's quad.
    for word, (x1, y1, x2, y2) in words.items():
        index = lines.index(round(y1, 1))
        qx1, qy1, qx2, qy2 = quad_boxes[index]
        assert qx1 - epsilon <= x1 and x2 <= qx2 + epsilon, word
        assert qy1 - epsilon <= y1 and y2 <= qy2 + epsilon, word
    # The Rect is the union of the quads, nothing more.
    union = [min(q[0] for q in quad_boxes), min(q[1] for q in quad_boxes),
             max(q[2] for q in quad_boxes), max(q[3] for q in quad_boxes)]
    assert [round(Decimal(x), 2) for x in union] == [round(Decimal(x), 2) for x in rect]
