"""The intelligence product in the PDF: key judgements, risk rating, TLP marking, figures,
contact and colophon, read back with pikepdf, pypdf and poppler.

The TLP label and the classification are page furniture: drawn on every page (in the page's
text) but only inside ``/Artifact`` marked content, never in the structure tree.  To tell the
two apart, :func:`drawn_text` extracts a page's text after dropping the text-showing operators
outside (or inside) the marked content asked for.
"""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pypdf
import pytest
from conftest import EXAMPLES, RICH, SEED
from pdfread import annotations, page_texts, tool
from pdfstructure import Element, read_tree, structure_problems

from briefexport.api import ExportOptions, export_edition, export_one, read
from briefexport.choices import TLP_BACKGROUND, TLP_COLOURS
from briefexport.model import plain_text

Stack = list[tuple[str, int | None]]
TEXT_SHOWING = {"Tj", "TJ", "'", '"'}
#: The disclaimer and copyright of examples/briefexport.toml.
DISCLAIMER = "This briefing is provided for the information of Meridian Risk Intelligence"
COPYRIGHT = "© 2026 Meridian Risk Intelligence Ltd. All rights reserved."


def letters(text: str) -> str:
    """The letters of ``text``, nothing else."""
    return re.sub(r"[\W\d_]", "", text)


def rgb(hex_colour: str) -> tuple[float, float, float]:
    """A hex colour as the fill colour operands a PDF writes (``1 0.752941 0 rg``)."""
    value = hex_colour.lstrip("#")
    return tuple(round(int(value[i:i + 2], 16) / 255, 4) for i in (0, 2, 4))  # type: ignore[return-value]


# --------------------------------------------------------------------------- reading helpers


def _instructions(page: pikepdf.Page):
    """Each content-stream instruction with the marked-content stack around it."""
    stack: Stack = []
    for instruction in pikepdf.parse_content_stream(page):
        operands, operator = instruction.operands, str(instruction.operator)
        if operator == "BDC":
            props = operands[1] if len(operands) > 1 else None
            mcid = (int(props.MCID) if isinstance(props, pikepdf.Dictionary)
                    and "/MCID" in props else None)
            stack.append((str(operands[0]), mcid))
        elif operator == "BMC":
            stack.append((str(operands[0]), None))
        yield instruction, operator, list(stack)
        if operator == "EMC" and stack:
            stack.pop()


def drawn_text(path: Path, page_index: int, keep: Callable[[Stack], bool]) -> str:
    """The page's text as pypdf extracts it, from the text-showing operators whose
    marked-content stack ``keep`` accepts (every other operator is kept as it is)."""
    with pikepdf.open(path) as pdf:
        page = pdf.pages[page_index]
        kept = [instruction for instruction, operator, stack in _instructions(page)
                if operator not in TEXT_SHOWING or keep(stack)]
        page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(kept))
        buffer = io.BytesIO()
        pdf.save(buffer)
    return pypdf.PdfReader(buffer).pages[page_index].extract_text()


def in_artifact(stack: Stack) -> bool:
    return any(tag == "/Artifact" for tag, _ in stack)


def tagged_text(path: Path, page_index: int) -> str:
    """What the page draws as tagged content: what the structure tree holds."""
    return " ".join(drawn_text(path, page_index, lambda s: not in_artifact(s)).split())


def artifact_text(path: Path, page_index: int) -> str:
    """What the page draws as page furniture."""
    return " ".join(drawn_text(path, page_index, in_artifact).split())


def element_text(path: Path, element: Element) -> str:
    """The text an element (and its descendants) marks, page by page."""
    marked = {m for e in element.walk() for m in e.mcids}
    pages = sorted({p for p, _ in marked if p is not None})
    return " ".join(" ".join(drawn_text(
        path, page, lambda s, page=page: any((page, mcid) in marked for _, mcid in s)
    ).split()) for page in pages)


def assert_page_furniture(path: Path, shown: str, word: str) -> None:
    """``shown`` is drawn on every page (two at least) as page furniture, and ``word`` is in
    neither a page's tagged text nor any element of the structure tree."""
    texts = [" ".join(text.split()) for text in page_texts(path)]
    assert len(texts) >= 2
    for index, text in enumerate(texts):
        assert shown in text, index
        assert shown in artifact_text(path, index), index
        assert word not in tagged_text(path, index), index
    with pikepdf.open(path) as pdf:
        tree = read_tree(pdf)
        assert all(word not in element_text(path, e) for e in tree.root.kids)


def artifact_paints(path: Path, page_index: int) -> list[tuple[str, tuple[float, ...]]]:
    """Inside artifacts, each text shown and each area filled, with the fill colour then."""
    found = []
    fill: tuple[float, ...] = (0, 0, 0)
    with pikepdf.open(path) as pdf:
        for instruction, operator, stack in _instructions(pdf.pages[page_index]):
            if operator == "rg":
                fill = tuple(round(float(v), 4) for v in instruction.operands)
            elif operator == "q":
                continue
            elif in_artifact(stack) and operator in TEXT_SHOWING | {"f", "F", "f*"}:
                found.append(("text" if operator in TEXT_SHOWING else "fill", fill))
    return found


def word_boxes(path: Path, page_index: int) -> list[tuple[float, float, float, float, str]]:
    """poppler's word boxes of one page: (xMin, yMin, xMax, yMax, word), y from the top."""
    box = subprocess.run([tool("pdftotext"), "-bbox", "-f", str(page_index + 1), "-l",
                          str(page_index + 1), str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    return [(float(m[1]), float(m[2]), float(m[3]), float(m[4]), m[5]) for m in re.finditer(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
        box)]


def story_pages(path: Path) -> list[list[int]]:
    """Each story's pages (0-based), from the edition's ``story-N`` anchors."""
    reader = pypdf.PdfReader(path)
    starts = sorted(reader.get_destination_page_number(d)
                    for name, d in reader.named_destinations.items()
                    if re.fullmatch(r"story-\d+", name))
    ends = [*starts[1:], len(reader.pages)]
    return [list(range(a, b)) for a, b in zip(starts, ends, strict=True)]


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def rich_pdf(tmp_path_factory, settings) -> Path:
    out = tmp_path_factory.mktemp("intel-rich")
    result = export_one(RICH, settings, ExportOptions(out_dir=out, formats=("pdf",)))
    assert result.ok, result.error
    assert result.warnings == (), result.warnings
    (path,) = result.files
    return path


@pytest.fixture(scope="module")
def seed_pdf(tmp_path_factory, settings) -> Path:
    out = tmp_path_factory.mktemp("intel-seed")
    result = export_one(SEED, settings, ExportOptions(out_dir=out, formats=("pdf",)))
    assert result.ok, result.error
    (path,) = result.files
    return path


def _briefing(folder: Path, name: str, marking: str | None, extra: str = "",
              body: str = "") -> Path:
    front = f"marking: {marking}\n" if marking else ""
    path = folder / f"{name}.md"
    path.write_text(f"---\ntitle: The {name} story\nslug: MALI\ndate: 2026-11-20\n{front}"
                    f"classification: CLIENT CONFIDENTIAL\n{extra}---\n\n"
                    f"The {name} story's lead paragraph, long enough to be a paragraph.\n\n"
                    f"{body}", encoding="utf-8")
    return path


def _png(width: int, height: int) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (18, 53, 91)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def marked_edition(tmp_path_factory, settings) -> Path:
    """Three stories marked TLP:GREEN, TLP:AMBER+STRICT and not at all, in a folder beside
    the edition's; the first has a figure relative to its own folder."""
    root = tmp_path_factory.mktemp("intel-edition")
    stories = root / "stories"
    (stories / "maps").mkdir(parents=True)
    (stories / "maps" / "map.png").write_bytes(_png(300, 200))
    _briefing(stories, "green", "TLP:GREEN",
              body='![A map of the region](maps/map.png "The region. Source: desk")\n')
    _briefing(stories, "strict", "amber+strict", extra="contact:\n  name: Strict Desk\n"
              "  email: strict@meridian-risk.example\n")
    _briefing(stories, "plain", None)
    editions = root / "editions"
    editions.mkdir()
    (editions / "weekly.toml").write_text(
        'title = "Sahel Weekly"\nnumber = 13\ndate = 2026-11-27\n'
        'briefings = ["../stories/green.md", "../stories/strict.md", "../stories/plain.md"]\n',
        encoding="utf-8")
    result = export_edition(editions / "weekly.toml", settings,
                            ExportOptions(out_dir=root / "out", formats=("pdf",)))
    assert result.ok, result.error
    assert result.warnings == (), result.warnings
    (path,) = result.files
    return path


# --------------------------------------------------------------------------- key judgements


def test_key_judgements_are_a_list_with_its_heading_in_a_section_before_the_body(rich_pdf,
                                                                                 settings):
    briefing = read(RICH, settings)
    with pikepdf.open(rich_pdf) as pdf:
        tree = read_tree(pdf)
        boxes = [e for e in tree.elements() if e.role in ("/Sect", "/Aside")
                 and any(k.role == "/L" for k in e.kids)]
        (box,) = boxes
        heading, items = box.kids[0], box.kids[1]
        assert re.fullmatch(r"/H[1-6]", heading.role) and items.role == "/L"
        assert element_text(rich_pdf, heading) == "Key judgements"
        entries = [k for k in items.kids if k.role == "/LI"]
        assert len(entries) == len(briefing.key_judgements) == 3
        for entry, judgement in zip(entries, briefing.key_judgements, strict=True):
            text = element_text(rich_pdf, next(k for k in entry.kids if k.role == "/LBody"))
            # Letters only: a line may hyphenate a word, a link adds its footnote's number.
            assert letters(plain_text(judgement)) in letters(text), text
        # Inside the article, after the headline and before the body's first heading.
        assert any(a.role == "/Art" for a in box.ancestors())
        order = [e for e in tree.elements() if e is box or e.role in ("/H1", "/H2")]
        assert [e.role for e in order[:3]] == ["/H1", box.role, "/H2"]
        assert element_text(rich_pdf, order[3]) == "Overview"


def test_a_judgements_link_is_a_link_and_its_url_the_first_footnote(rich_pdf, settings):
    url = "https://portal.meridian-risk.example/briefings/2026-09-burkina-faso-convoys"
    with pikepdf.open(rich_pdf) as pdf:
        tree = read_tree(pdf)
        (box,) = [e for e in tree.elements() if e.role == "/Sect"]
        uris = [str(a.A.URI) for e in box.walk() if e.role == "/Link"
                for a in e.annotations if "/A" in a]
    assert url in uris
    first = page_texts(rich_pdf)[0]
    assert "".join(first.split()).find("1." + url) >= 0


def test_judgement_links_take_the_first_endnotes(tmp_path, settings):
    changed = settings.replace(pdf=dataclasses.replace(settings.pdf, link_urls="endnotes"))
    result = export_one(RICH, changed, ExportOptions(out_dir=tmp_path, formats=("pdf",)))
    (path,) = result.files
    text = "".join("".join(page_texts(path)).split())
    assert "1.https://portal.meridian-risk.example/briefings/2026-09-burkina-faso-convoys" in text
    assert "2.https://lefaso.net/" in text


def test_no_judgements_no_box(seed_pdf):
    with pikepdf.open(seed_pdf) as pdf:
        assert read_tree(pdf).elements("/Sect") == []
    assert "Key judgements" not in "".join(page_texts(seed_pdf))


# --------------------------------------------------------------------------- risk


def test_the_risk_rating_is_said_in_words_under_the_headline(rich_pdf, settings):
    first = " ".join(page_texts(rich_pdf)[0].split())
    order = ["Jihadist fuel blockade", "Overall risk", "High", "Rising ↑", "Key judgements"]
    positions = [first.index(item) for item in order]
    assert positions == sorted(positions), first
    # One column per named category, each level a word.
    assert re.search(r"Security\s+Political\s+Operational", first), first
    assert re.search(r"Extreme\s+High\s+High", first), first
    with pikepdf.open(rich_pdf) as pdf:
        tables = read_tree(pdf).elements("/Table")
        risk = next(t for t in tables if "Overall risk" in element_text(rich_pdf, t))
        headers = [e for e in risk.walk() if e.role == "/TH"]
        assert [element_text(rich_pdf, h) for h in headers] == [
            "Overall risk", "Security", "Political", "Operational"]


def test_each_level_is_drawn_on_its_configured_colour(rich_pdf, settings):
    with pikepdf.open(rich_pdf) as pdf:
        fills = {tuple(round(float(v), 4) for v in i.operands)
                 for i in pikepdf.parse_content_stream(pdf.pages[0])
                 if str(i.operator) == "rg"}
    for level in ("high", "extreme"):
        background, text = settings.risk.palette(level)
        assert rgb(background) in fills and rgb(text) in fills, level
    assert rgb(settings.risk.palette("low")[0]) not in fills  # no level the briefing lacks


# --------------------------------------------------------------------------- TLP marking


def test_the_tlp_label_and_classification_are_artifacts_on_every_page(rich_pdf):
    pages = len(pypdf.PdfReader(rich_pdf).pages)
    assert pages >= 2
    for index in range(pages):
        assert "TLP:AMBER" in page_texts(rich_pdf)[index]
        furniture = artifact_text(rich_pdf, index)
        assert "TLP:AMBER" in furniture and "CLIENT CONFIDENTIAL" in furniture, index
        tagged = tagged_text(rich_pdf, index)
        assert "TLP:" not in tagged and "CLIENT CONFIDENTIAL" not in tagged, index
    with pikepdf.open(rich_pdf) as pdf:
        tree = read_tree(pdf)
        assert all("TLP:" not in element_text(rich_pdf, e) for e in tree.root.kids)


def test_the_tlp_label_is_firsts_amber_on_black_at_the_top_right(rich_pdf):
    amber, black = rgb(TLP_COLOURS["TLP:AMBER"]), rgb(TLP_BACKGROUND)
    assert amber == (1.0, 0.7529, 0.0)
    for index in range(len(pypdf.PdfReader(rich_pdf).pages)):
        paints = artifact_paints(rich_pdf, index)
        assert ("text", amber) in paints, index
        # The black ground is filled before the label's text is shown on it.
        assert paints.index(("fill", black)) < paints.index(("text", amber)), index
        words = word_boxes(rich_pdf, index)
        width = float(pypdf.PdfReader(rich_pdf).pages[index].mediabox.width)
        (label,) = [w for w in words if w[4] == "TLP:AMBER"]
        classification = [w for w in words if w[4] == "CONFIDENTIAL"]
        top_margin = 24 / 25.4 * 72
        assert label[0] > width / 2 and label[3] < top_margin, label
        assert label[2] == max(w[2] for w in words if w[3] < top_margin)  # rightmost
        # The classification beside it, on the same line, before it.
        assert any(abs(c[1] - label[1]) < 2 and c[2] < label[0] for c in classification)


def test_the_marking_is_in_the_metadata_once(rich_pdf, seed_pdf):
    with pikepdf.open(rich_pdf) as pdf:
        info = {str(k): str(v) for k, v in pdf.docinfo.items()}
    assert info["/marking"] == "TLP:AMBER"
    assert list(info.values()).count("TLP:AMBER") == 1
    with pikepdf.open(seed_pdf) as pdf:
        assert "/marking" not in pdf.docinfo


def test_a_briefing_without_marking_or_classification_has_no_label(seed_pdf):
    text = "".join(page_texts(seed_pdf))
    assert "TLP:" not in text and "CONFIDENTIAL" not in text
    with pikepdf.open(seed_pdf) as pdf:
        for page in pdf.pages:
            colours = {tuple(round(float(v), 4) for v in i.operands)
                       for i in pikepdf.parse_content_stream(page) if str(i.operator) == "rg"}
            assert rgb(TLP_COLOURS["TLP:AMBER"]) not in colours


# --------------------------------------------------------------------------- figures


def test_the_figure_is_a_figure_with_its_alt_text_and_a_caption(rich_pdf, settings):
    (figure,) = read(RICH, settings).figures
    with pikepdf.open(rich_pdf) as pdf:
        tree = read_tree(pdf)
        (image,) = [e for e in tree.elements("/Figure")
                    if not str(e.obj.get("/Alt", "")).startswith("QR code")]
        assert str(image.obj.Alt) == figure.image.alt
        group = image.parent
        captions = [k for k in group.kids if k.role == "/Caption"]
        assert len(captions) == 1 and group.kids.index(captions[0]) > group.kids.index(image)
        caption = element_text(rich_pdf, captions[0])
        assert caption == f"Figure 1: {figure.caption}".replace("  ", " ")
        # Never apart from its caption: one page for both.
        assert {p for e in captions[0].walk() for p, _ in e.mcids} == {image.page}
        # Inside the text column, at the image's own aspect ratio (1600 × 1000).
        x1, y1, x2, y2 = (float(v) for v in image.obj.A.BBox)
        page = pdf.pages[image.page]
        width = float(page.mediabox[2])
        assert 0.18 * width - 1 <= x1 < x2 <= 0.82 * width + 1
        assert (x2 - x1) / (y2 - y1) == pytest.approx(1.6, rel=0.02)
        assert x2 - x1 == pytest.approx(0.64 * width, rel=0.02)  # across the column
    assert structure_problems(rich_pdf) == []


def test_a_figure_without_a_title_is_numbered_all_the_same(tmp_path, settings):
    (tmp_path / "map.png").write_bytes(_png(40, 20))
    source = tmp_path / "untitled.md"
    source.write_text("---\ntitle: Untitled\n---\n\nLead.\n\n![A map](map.png)\n",
                      encoding="utf-8")
    result = export_one(source, settings, ExportOptions(out_dir=tmp_path / "out",
                                                        formats=("pdf",)))
    assert result.warnings == ()
    with pikepdf.open(result.files[0]) as pdf:
        (caption,) = read_tree(pdf).elements("/Caption")
        assert element_text(result.files[0], caption) == "Figure 1"


# --------------------------------------------------------------------------- contact, colophon


def test_the_contact_closes_the_body_with_mailto_and_tel_links(rich_pdf):
    texts = [" ".join(t.split()) for t in page_texts(rich_pdf)]
    last = texts[-1]
    line = ("Questions: Amina Traoré, Sahel Desk, sahel-desk@meridian-risk.example, "
            "+44 20 7946 0321")
    assert line in last
    # After the last call to action, before the colophon.
    assert last.index("Download the route risk map") < last.index("Questions:") < last.index(
        DISCLAIMER)
    uris = [uri for _, uri in annotations(rich_pdf)]
    assert "mailto:sahel-desk@meridian-risk.example" in uris
    assert "tel:+442079460321" in uris
    with pikepdf.open(rich_pdf) as pdf:
        links = {str(a.A.URI): element for element in read_tree(pdf).elements("/Link")
                 for a in element.annotations if "/A" in a}
    assert element_text(rich_pdf, links["tel:+442079460321"]) == "+44 20 7946 0321"


def test_disclaimer_and_copyright_close_the_last_page_only(rich_pdf, seed_pdf):
    for path in (rich_pdf, seed_pdf):
        texts = [" ".join(t.split()) for t in page_texts(path)]
        assert DISCLAIMER in texts[-1] and COPYRIGHT in texts[-1]
        assert texts[-1].rindex(COPYRIGHT) > texts[-1].rindex("Questions:")
        assert not any(DISCLAIMER in t or COPYRIGHT in t for t in texts[:-1])
        # Content, not furniture: read by a screen reader too.
        assert COPYRIGHT in tagged_text(path, len(texts) - 1)


def test_the_seed_gets_the_configs_contact(seed_pdf):
    last = " ".join(page_texts(seed_pdf)[-1].split())
    assert "Questions: Sahel Desk, sahel-desk@meridian-risk.example, +44 20 7946 0300" in last


def test_no_brand_lines_no_colophon(tmp_path, settings):
    plain = settings.replace(brand=dataclasses.replace(settings.brand, disclaimer=None,
                                                       copyright=None))
    result = export_one(SEED, plain, ExportOptions(out_dir=tmp_path, formats=("pdf",)))
    text = "".join(page_texts(result.files[0]))
    assert DISCLAIMER not in text and "All rights reserved" not in text


# --------------------------------------------------------------------------- editions


def test_an_edition_marks_its_cover_with_the_most_restrictive_and_each_story_its_own(
        marked_edition):
    stories = story_pages(marked_edition)
    assert len(stories) == 3
    cover = artifact_text(marked_edition, 0)
    assert "TLP:AMBER+STRICT" in cover
    assert "TLP:AMBER+STRICT" in artifact_text(marked_edition, 1)  # the contents page
    expected = ["TLP:GREEN", "TLP:AMBER+STRICT", None]
    for pages, marking in zip(stories, expected, strict=True):
        for index in pages:
            furniture = artifact_text(marked_edition, index)
            labels = re.findall(r"TLP:[A-Z+]+", furniture)
            assert labels == ([marking] if marking else []), (index, furniture)
            assert "TLP:" not in tagged_text(marked_edition, index)
            paints = artifact_paints(marked_edition, index)
            if marking:
                assert ("text", rgb(TLP_COLOURS[marking])) in paints
    green = rgb(TLP_COLOURS["TLP:GREEN"])
    assert green == (0.2, 1.0, 0.0)
    assert ("text", green) not in artifact_paints(marked_edition, 0)
    with pikepdf.open(marked_edition) as pdf:
        assert str(pdf.docinfo["/marking"]) == "TLP:AMBER+STRICT"
    assert structure_problems(marked_edition, articles=3) == []


def test_an_edition_closes_each_story_with_its_contact_and_itself_with_the_colophon(
        marked_edition):
    texts = [" ".join(t.split()) for t in page_texts(marked_edition)]
    stories = story_pages(marked_edition)
    for pages, name in zip(stories, ["Sahel Desk", "Strict Desk", "Sahel Desk"], strict=True):
        story = " ".join(texts[p] for p in pages)
        assert f"Questions: {name}" in story
        assert story.count("Questions:") == 1
    whole = " ".join(texts)
    assert whole.count(COPYRIGHT) == 1 and whole.count(DISCLAIMER) == 1
    assert COPYRIGHT in texts[-1]


def test_an_edition_finds_each_storys_figure_beside_the_story(marked_edition):
    """The figure is relative to its briefing's folder, not to the edition's."""
    with pikepdf.open(marked_edition) as pdf:
        figures = [e for e in read_tree(pdf).elements("/Figure")
                   if str(e.obj.get("/Alt", "")) == "A map of the region"]
        assert len(figures) == 1
        images = [x for page in pdf.pages
                  for x in (page.Resources.get("/XObject") or {}).values()
                  if x.get("/Subtype") == "/Image" and int(x.Width) == 300]
        assert images


def test_the_bundled_edition_finds_the_burkina_faso_map(settings, tmp_path):
    result = export_edition(EXAMPLES / "editions" / "sahel-weekly-12.toml", settings,
                            ExportOptions(out_dir=tmp_path, formats=("pdf",)))
    assert result.ok, result.error
    assert result.warnings == ()
    with pikepdf.open(result.files[0]) as pdf:
        alts = [str(e.obj.get("/Alt", "")) for e in read_tree(pdf).elements("/Figure")]
    assert any(alt.startswith("Schematic map of Burkina Faso") for alt in alts)


def test_a_storys_image_outside_its_folder_stays_blocked_and_names_the_story(tmp_path,
                                                                             settings):
    stories = tmp_path / "stories"
    stories.mkdir()
    (tmp_path / "secret.png").write_bytes(_png(17, 9))
    story = _briefing(stories, "leaky", None, body="![A secret](../secret.png \"Secret\")\n")
    editions = tmp_path / "editions"
    editions.mkdir()
    (editions / "ed.toml").write_text('title = "Weekly"\nbriefings = ["../stories/leaky.md"]\n',
                                      encoding="utf-8")
    result = export_edition(editions / "ed.toml", settings,
                            ExportOptions(out_dir=tmp_path / "out", formats=("pdf",)))
    assert result.ok, result.error
    (warning,) = [w for w in result.warnings if w.code == "blocked-resource"]
    assert Path(warning.path).resolve() == story.resolve() and warning.line == 10
    assert "../secret.png" in warning.message and "outside the allowed folders" in \
        warning.message


# --------------------------------------------------------------------------- themes


def test_a_theme_replaces_the_risk_block_and_the_figure_template(tmp_path, settings):
    theme = tmp_path / "theme" / "templates" / "pdf"
    theme.mkdir(parents=True)
    (theme / "article.html.j2").write_text(
        '{% extends "!default/pdf/article.html.j2" %}'
        '{% block risk %}<p>THEMED RISK {{ risk.overall }}</p>{% endblock %}\n',
        encoding="utf-8")
    (theme / "figure.html.j2").write_text(
        '<div class="figure"><img src="{{ src }}" alt="{{ alt }}">'
        "<figcaption>THEMED {{ label }}</figcaption></div>\n", encoding="utf-8")
    themed = settings.replace(themes=(tmp_path / "theme",))
    result = export_one(RICH, themed, ExportOptions(out_dir=tmp_path / "out", formats=("pdf",)))
    assert result.ok and result.warnings == (), result.warnings
    text = " ".join(" ".join(page_texts(result.files[0])).split())
    assert "THEMED RISK high" in text and "THEMED Figure 1" in text
    assert "Overall risk" not in text and "Key judgements" in text  # the rest is untouched
