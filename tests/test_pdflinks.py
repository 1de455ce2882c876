"""One link annotation per line fragment of a link, one Link element per link.

The functions are tried on fake documents first (pages with ``.links`` tuples whose boxes
point into an lxml tree), then once through the real writer, read back with pikepdf.
"""

from __future__ import annotations

import io
import re
import subprocess

import pikepdf
import pydyf
import pytest
from lxml import html as lxml_html
from pdfread import tool
from pdfstructure import links as link_elements

from briefexport.config import Settings
from briefexport.render.context import RenderContext
from briefexport.source.briefing import read
from briefexport.writers import get_format
from briefexport.writers.pdf.links import name_annotations, own_link_boxes

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


# --------------------------------------------------------------------------- own_link_boxes


def test_only_the_anchors_own_boxes_keep_their_links(tree):
    root, ids = tree
    first, em, deep, second = box(ids, "a1"), box(ids, "em1"), box(ids, "b1"), box(ids, "a1")
    links = [
        ("external", "https://one.example/", (100.0, 10.0, 300.0, 20.0), first),
        ("external", "https://one.example/", (300.0, 10.0, 340.0, 20.0), em),
        ("external", "https://one.example/", (20.0, 25.0, 200.0, 35.0), deep),
        ("external", "https://one.example/", (20.0, 25.0, 120.0, 35.0), second),
    ]
    document = Document(Page(links))
    kept = own_link_boxes(document, root)
    assert document.pages[0].links is links  # changed in place
    assert [link[3] for link in links] == [first, second]  # one per line fragment
    assert kept == {id(first): ids["a1"], id(second): ids["a1"]}


def test_a_box_inside_an_anchor_without_its_own_box_on_the_page_keeps_its_link(tree):
    root, ids = tree
    end_of_page, start_of_next = box(ids, "a1"), box(ids, "s1")
    page1 = [("external", "https://one.example/", (50.0, 900.0, 400.0, 920.0), end_of_page)]
    page2 = [("external", "https://one.example/", (10.0, 40.0, 80.0, 60.0), start_of_next)]
    kept = own_link_boxes(Document(Page(page1), Page(page2)), root)
    assert [link[3] for link in page1 + page2] == [end_of_page, start_of_next]
    assert kept[id(start_of_next)] is ids["a1"]


def test_boxes_outside_any_anchor_are_kept_as_they_are(tree):
    root, ids = tree
    outside, bare = box(ids, "p2"), Box(name="no element")
    links = [("external", "https://one.example/", (0.0, 0.0, 1.0, 1.0), outside),
             ("internal", "#gao", (4.0, 4.0, 5.0, 5.0), bare)]
    expected = list(links)
    assert own_link_boxes(Document(Page(links)), root) == {}
    assert links == expected


class Annotated(Box):
    """A kept box after ``write_pdf`` has given it its annotation dictionary."""

    def __init__(self, element, name: str, reference: bytes, rect) -> None:
        super().__init__(element, name)
        annotation = pydyf.Dictionary({"Type": "/Annot", "Rect": pydyf.Array(rect)})
        annotation.number = int(reference.split()[0])
        self.link_annotation = annotation


def test_each_annotation_gets_its_own_quad_and_the_anchors_title(tree):
    _, ids = tree
    ids["a2"].set("title", "The second link")
    one = Annotated(ids["a1"], "a1", b"7 0 R", [7.5, 735.0, 82.5, 720.0])
    two = Annotated(ids["a1"], "a1", b"8 0 R", [0.0, 720.0, 37.5, 705.0])
    other = Annotated(ids["a2"], "a2", b"9 0 R", [50.0, 720.0, 60.0, 705.0])
    document = Document(Page([("external", "u", (0, 0, 0, 0), b) for b in (one, two, other)]))
    groups = name_annotations(document, {id(b): b.element for b in (one, two, other)})
    # Upper-left, upper-right, lower-left, lower-right, in PDF points.
    assert list(one.link_annotation["QuadPoints"]) == [7.5, 735.0, 82.5, 735.0,
                                                       7.5, 720.0, 82.5, 720.0]
    assert list(two.link_annotation["QuadPoints"]) == [0.0, 720.0, 37.5, 720.0,
                                                       0.0, 705.0, 37.5, 705.0]
    assert other.link_annotation["Contents"].string == "The second link"
    assert "Contents" not in one.link_annotation
    assert groups[b"7 0 R"] == groups[b"8 0 R"] != groups[b"9 0 R"]


# --------------------------------------------------------------------------- the real writer

LONG_URL = "https://portal.example/briefings/2021-05-mali-transition"
#: Forty words a column cannot hold on one line, none of which can be hyphenated.
WORDS = [f"w{n:02d}" for n in range(1, 41)]


def test_a_wrapped_link_has_one_annotation_per_line_and_one_link_element(tmp_path):
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
        annots = [a for a in page.get("/Annots", []) if a.get("/Subtype") == "/Link"
                  and str(a.A.URI) == LONG_URL]
        rects, quads = [], []
        for annot in annots:
            # Any two opposite corners make a PDF rectangle (WeasyPrint writes top first).
            x1, y1, x2, y2 = (float(x) for x in annot.Rect)
            rects.append([min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)])
            quads.append([float(x) for x in annot.QuadPoints])
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

    # The footnote's URL is a link to the same address; keep the text's annotations.
    body = [i for i, r in enumerate(rects)
            if any(r[0] - 0.01 <= x1 and r[1] - 0.01 <= y1 and x2 <= r[2] + 0.01
                   and y2 <= r[3] + 0.01 for x1, y1, x2, y2 in words.values())]
    assert len(body) == len(rects) - 1
    rects, quads = [rects[i] for i in body], [quads[i] for i in body]
    # One annotation per line, each with one quad equal to its rectangle.
    assert len(rects) == len(lines)
    epsilon = 0.01
    for rect, quad in zip(rects, quads, strict=True):
        ulx, uly, urx, ury, llx, lly, lrx, lry = quad
        assert (uly, llx, lrx) == (ury, ulx, urx) and lly == lry
        assert [round(v, 2) for v in (ulx, lly, urx, uly)] == [round(v, 2) for v in rect]
    # Each word of the link inside its own line's rectangle, and no rectangle spans two lines.
    for word, (x1, y1, x2, y2) in words.items():
        holders = [r for r in rects if r[0] - epsilon <= x1 and x2 <= r[2] + epsilon
                   and r[1] - epsilon <= y1 and y2 <= r[3] + epsilon]
        assert len(holders) == 1, word
    for rect in rects:
        inside = {round(y1, 1) for x1, y1, x2, y2 in words.values()
                  if rect[1] - epsilon <= y1 and y2 <= rect[3] + epsilon}
        assert len(inside) == 1, rect
    # The structure tree holds the link once, with every fragment's annotation.
    assert (LONG_URL, len(lines), False) in link_elements(path)
    assert (LONG_URL, 1, True) in link_elements(path)  # and its note's URL, in a Note
