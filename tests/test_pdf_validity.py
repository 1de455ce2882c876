"""The PDF report judged by tools nobody here wrote, and read as a typographer would.

Every example and the edition, in every PDF variant, goes through:
- the PyPI checker ``pdfua`` (the machine-checkable part of PDF/UA-1);
- ``qpdf --check`` (syntax and streams);
- :func:`pdfstructure.structure_problems`, our reading of the structure tree with pikepdf
  (orphaned content, heading levels, notes, tables, figures, links, attachments).

Each PDF's pages are printed to ``tests/artifacts/pdf/`` for a person to look at.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import shutil
import statistics
import subprocess
import sys
from functools import cache
from itertools import pairwise
from pathlib import Path

import pikepdf
import pypdf
import pytest
from conftest import CONFIG, EXAMPLES, ROOT
from lxml import html as lxml_html
from pdfread import page_texts, tool
from pdfstructure import Element, links, read_tree, structure_problems

from briefexport.api import ExportOptions, export_one
from briefexport.choices import PDF_VARIANTS
from briefexport.config import load_settings
from briefexport.pipeline import export_edition
from briefexport.source.edition import read_edition

ARTIFACTS = ROOT / "tests" / "artifacts" / "pdf"
EDITION = EXAMPLES / "editions" / "sahel-weekly-12.toml"
SOURCES = {p.stem: p for p in sorted(EXAMPLES.glob("*.md")) + sorted(EXAMPLES.glob("*.txt"))}
DOCUMENTS = [*SOURCES, "sahel-weekly-12"]
VARIANTS = [None, *PDF_VARIANTS]
#: pdfua 0.1.3's empty-heading rule crashes on a heading whose /K is an array (it asks the
#: array for an attribute); structure_problems checks that rule ("an empty H…") instead.
PDFUA_CRASHES = {"UA-14-001"}


@cache
def _build(document: str, variant: str | None, root: Path) -> Path:
    settings = load_settings(CONFIG)
    settings = settings.replace(pdf=dataclasses.replace(settings.pdf, variant=variant))
    out = root / f"{document}-{(variant or 'tagged').replace('/', '')}"
    options = ExportOptions(out_dir=out, formats=("pdf",))
    if document in SOURCES:
        result = export_one(SOURCES[document], settings, options)
    else:
        result = export_edition(EDITION, settings, options)
    assert result.ok, result.error
    assert result.warnings == (), result.warnings
    (path,) = result.files
    return path


@pytest.fixture(scope="session")
def build(tmp_path_factory):
    root = tmp_path_factory.mktemp("validity")

    def make(document: str, variant: str | None = None) -> Path:
        return _build(document, variant, root)
    return make


def pdfua(path: Path) -> dict:
    """The pdfua checker's JSON report of one file."""
    result = subprocess.run([sys.executable, "-m", "pdfua", "check", "--format", "json",
                             str(path)], capture_output=True, text=True)
    assert result.returncode in (0, 1, 2, 3), result.stderr
    return json.loads(result.stdout)


# --------------------------------------------------------------------------- outside checkers


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v or "tagged")
@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_pdf_passes_pdfua_qpdf_and_the_structure_checks(build, document, variant):
    path = build(document, variant)
    report = pdfua(path)
    findings = [f"{f['rule_id']}: {f['message']}" for f in report["findings"]]
    if variant != "pdf/ua-1":
        # Only a PDF/UA file declares PDF/UA in its XMP metadata; the others rightly lack it.
        findings = [f for f in findings if not f.startswith("UA-28-004")]
    assert findings == []
    assert {s["rule_id"] for s in report["skipped"]} <= PDFUA_CRASHES

    check = subprocess.run([tool("qpdf"), "--check", str(path)], capture_output=True,
                           text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No syntax or stream encoding errors" in check.stdout

    stories = 3 if document == "sahel-weekly-12" else 1
    assert structure_problems(path, articles=stories) == []


def test_pages_are_printed_for_a_person_to_look_at(build):
    """Every example and the edition as PNG pages in tests/artifacts/pdf/ (kept by CI)."""
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    for document in DOCUMENTS:
        path = build(document, "pdf/ua-1")
        subprocess.run([tool("pdftoppm"), "-r", "60", "-png", str(path),
                        str(ARTIFACTS / document)], check=True)
        pages = len(pypdf.PdfReader(path).pages)
        assert len(list(ARTIFACTS.glob(f"{document}-*.png"))) == pages


# --------------------------------------------------------------------------- structure


def _tree(path: Path):
    pdf = pikepdf.open(path)
    return pdf, read_tree(pdf)


def test_the_body_starts_at_h2_whatever_level_the_source_uses(build):
    # niger-uranium-exports.md starts its body at "## Implications".
    pdf, tree = _tree(build("niger-uranium-exports"))
    with pdf:
        roles = [e.role for e in tree.elements() if re.fullmatch(r"/H\d", e.role)]
    assert roles == ["/H1", "/H2"]


def test_running_heads_and_page_numbers_are_pagination_artifacts(build):
    path = build("mali-second-coup")
    with pikepdf.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            content = page.Contents.read_bytes()
            artifacts = re.findall(rb"/Artifact\s*<<\s*/Type\s*/Pagination\s*>>\s*BDC", content)
            # Brand and "Page X of Y" on every page; the running headline from page 2 on.
            assert len(artifacts) >= (2 if number == 1 else 3), number


def test_footnotes_are_notes_after_their_calls_and_their_urls_are_links(build, settings):
    path = build("mali-second-coup")
    pdf, tree = _tree(path)
    with pdf:
        notes = tree.elements("/Note")
        assert len(notes) == 4
        for note in notes:
            parent = note.parent
            at = parent.kids.index(note)
            assert parent.kids[at - 1].role == "/Reference"
            assert parent.kids[at - 2].role == "/Link"
            assert note.kids[0].role == "/Lbl"
        ids = [str(n.obj.ID) for n in notes]
        assert ids == [f"note-{n}" for n in range(1, 5)]
    noted = [uri for uri, _, in_note in links(path) if in_note]
    text_links = [uri for uri, _, in_note in links(path) if not in_note]
    assert noted == [u for u in text_links if u in noted] and len(noted) == 4


def test_header_cells_have_a_scope_and_no_dangling_headers(build):
    pdf, tree = _tree(build("burkina-faso-fuel-blockade"))
    with pdf:
        headers = tree.elements("/TH")
        assert len(headers) == 8  # the risk rating's four columns, the corridors' four
        assert {str(h.obj.A.Scope) for h in headers} == {"/Column"}
        assert all("/Headers" not in c.obj.get("/A", {}) for c in tree.elements("/TD"))


def test_figure_boxes_are_in_user_space_around_the_qr_code(build):
    path = build("mali-second-coup")
    pdf, tree = _tree(path)
    with pdf:
        (figure,) = tree.elements("/Figure")
        x1, y1, x2, y2 = (float(v) for v in figure.obj.A.BBox)
        page = pdf.pages[figure.page]
        width, height = float(page.mediabox[2]), float(page.mediabox[3])
    # The 22 mm QR code (62.4 pt), in the left part of the page, below its top.
    assert 60 < x2 - x1 < 65 and 60 < y2 - y1 < 65
    assert 0 < x1 < width / 2 and 0 < y1 < y2 < height


def test_pdf_a_3_lists_each_attachment_once(build):
    with pikepdf.open(build("mali-second-coup", "pdf/a-3b")) as pdf:
        refs = [f.objgen for f in pdf.Root.AF]
        assert len(refs) == len(set(refs)) == 2


def test_one_article_per_story(build):
    pdf, tree = _tree(build("sahel-weekly-12"))
    with pdf:
        articles = tree.elements("/Art")
        assert len(articles) == 3
        # The seed runs over two pages: its one article holds content from both.
        pages = {p for e in articles[0].walk() for p, _ in e.mcids}
        assert len(pages) == 2


def test_the_logo_is_page_furniture_and_the_brand_name_is_read_once(build):
    pdf, tree = _tree(build("mali-second-coup"))
    with pdf:
        assert tree.elements("/Figure") != [] and all(
            "logo" not in str(f.obj.get("/Alt", "")) for f in tree.elements("/Figure"))
    assert page_texts(build("mali-second-coup"))[0].count("Meridian Risk Intelligence") == 2


# --------------------------------------------------------------------------- the contents page


def test_each_contents_entry_is_one_link_named_by_its_headline(build, settings):
    path = build("sahel-weekly-12")
    edition = read_edition(EDITION, settings)
    pdf, tree = _tree(path)
    with pdf:
        contents_page = 1
        entries = [e for e in tree.elements("/Link") if e.page == contents_page
                   and all(str(a.get("/Dest", "")).startswith("story-") for a in e.annotations)
                   and e.annotations]
        assert [len(e.annotations) for e in entries] == [1, 1, 1]
        assert [str(e.annotations[0].Contents) for e in entries] == [
            b.meta.headline for b in edition.briefings]
        # No leader dots in the text: the leader is a drawn border.
        marked = sum(len(e.mcids) for e in tree.elements() if e.page == contents_page)
        assert marked < 40
    text = page_texts(path)[contents_page]
    assert "..." not in text and ". ." not in text


# --------------------------------------------------------------------------- typography


@pytest.mark.parametrize("extract", ["pypdf", "pdftotext", "mutool"])
def test_letter_spaced_labels_extract_whole(build, extract):
    for document, words in [("mali-second-coup", ["MALI"]),
                            ("burkina-faso-fuel-blockade", ["BURKINA FASO",
                                                            "CLIENT CONFIDENTIAL"]),
                            ("niger-uranium-exports", ["NIGER"])]:
        path = build(document)
        if extract == "pypdf":
            text = "\n".join(page_texts(path))
        elif extract == "pdftotext":
            text = subprocess.run([tool("pdftotext"), str(path), "-"], capture_output=True,
                                  text=True, check=True).stdout
        else:
            text = subprocess.run([tool("mutool"), "draw", "-q", "-F", "txt", str(path)],
                                  capture_output=True, text=True, check=True).stdout
        lines = {" ".join(line.split()) for line in text.splitlines()}
        for word in words:
            assert word in lines or any(line.startswith(word + " ") or line.endswith(
                " " + word) for line in lines), (document, word)


def test_quotes_and_dashes_are_typographic_by_language(tmp_path, settings):
    """In the PDF, the email and the wire text alike; code and URLs untouched."""
    cases = {
        "en": ("He said \"no\" -- twice... and 'maybe' --- it's `a--b` at "
               "<https://x.example/a--b...>",
               "He said “no” – twice… and ‘maybe’ — it’s a--b at https://x.example/a--b..."),
        "fr": ('Il a dit "non" -- deux fois...', "Il a dit «\u202fnon\u202f» – deux fois…"),
        "de": ("Er sagte \"nein\" und 'ja'.", "Er sagte „nein“ und ‚ja‘."),
    }
    for lang, (source, expected) in cases.items():
        path = tmp_path / f"{lang}.md"
        path.write_text(f"---\ntitle: Titre {lang}\nlang: {lang}\n---\n\n{source}\n",
                        encoding="utf-8")
        result = export_one(path, settings, ExportOptions(out_dir=tmp_path / lang,
                                                          formats=("pdf", "html", "txt")))
        assert result.ok, result.error
        files = {p.suffix: p for p in result.files}
        # Narrow no-break spaces are drawn as space by the PDF; compare without them.
        plain = expected.replace("\u202f", "")
        pdf_text = "".join(page_texts(files[".pdf"])).replace("\u200b", "")
        assert plain in " ".join(pdf_text.replace("\u202f", "").split()), (lang, pdf_text)
        html = lxml_html.fromstring(files[".html"].read_bytes()).text_content()
        assert expected in html, lang
        wire = " ".join(files[".txt"].read_text(encoding="utf-8").split())
        assert " ".join(expected.split(" at ")[0].split()) in wire, lang


@pytest.mark.parametrize(("lang", "words", "names_break"), [
    ("en", "Ouagadougou Koudougou Tillabéri Tombouctou administrations internationales "
           "Bobo-Dioulasso Kaya Ouahigouya responsibilities extraordinarily ", False),
    # German capitalises every noun: capitals say nothing of names there.
    ("de", "Sicherheitsbehörden Ausnahmezustand Verwaltungsreform Treibstofflieferungen "
           "Ouagadougou Grenzschutzbehörde ", True),
])
def test_names_are_never_hyphenated(tmp_path, settings, lang, words, names_break):
    source = tmp_path / f"{lang}.md"
    source.write_text(f"---\ntitle: Names\nlang: {lang}\n---\n\n{words * 30}\n",
                      encoding="utf-8")
    result = export_one(source, settings, ExportOptions(out_dir=tmp_path, formats=("pdf",)))
    (path,) = result.files
    breaks = re.findall(r"(\w+)[-\u2010]\n(\w+)", "\n".join(page_texts(path)))
    assert breaks, "nothing hyphenated at all"
    # A break at a hyphen of the word itself (Bobo-Dioulasso) is no hyphenation.
    capitalised = [b for b in breaks if b[0][0].isupper() and f"{b[0]}-{b[1]}" not in words]
    assert bool(capitalised) == names_break, capitalised


def test_body_lines_hold_55_to_75_characters_on_a4_and_letter(tmp_path, settings):
    for size in ("A4", "letter"):
        changed = settings.replace(pdf=dataclasses.replace(settings.pdf, page_size=size))
        result = export_one(SOURCES["mali-second-coup"], changed,
                            ExportOptions(out_dir=tmp_path / size, formats=("pdf",)))
        (path,) = result.files
        assert len(pypdf.PdfReader(path).pages) == 2  # the seed stays two pages
        text = subprocess.run([tool("pdftotext"), "-layout", str(path), "-"],
                              capture_output=True, text=True, check=True).stdout
        # Full justified lines of the body: long lines that are not the last of a paragraph.
        lines = [" ".join(line.split()) for line in text.splitlines()]
        lines = [line for line in lines if len(line) > 45
                 and not line.startswith(("1.", "2.", "3.", "4.", "https://"))]
        average = sum(len(line) for line in lines) / len(lines)
        assert 55 <= average <= 75, (size, average)


def test_a_url_never_stretches_its_line(build):
    """ECOWAS's bare URL in the Burkina Faso report: its line and the line before keep the
    page's usual word spacing (no space wider than twice the page's median)."""
    path = build("burkina-faso-fuel-blockade")
    box = subprocess.run([tool("pdftotext"), "-bbox", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    page = next(p for p in box.split("<page ") if "ecowas" in p)
    words = [(float(m[1]), float(m[2]), float(m[3]), m[4]) for m in re.finditer(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
        page)]
    # The URL's first word (it may break after "https://"), and the word before it: their
    # lines are the URL's and the one a URL moved whole to the next line would stretch.
    at = next(i for i, w in enumerate(words) if w[3].startswith("https://")
              and "ecowas" in w[3] + words[i + 1][3])
    def gaps(y: float) -> list[float]:
        line = sorted(w for w in words if abs(w[1] - y) < 1)
        return [b[0] - a[2] for a, b in pairwise(line)]

    usual = statistics.median(g for y in {w[1] for w in words} for g in gaps(y))
    for y in {words[at][1], words[at - 1][1]}:
        assert max(gaps(y)) <= 2 * usual, (y, gaps(y), usual)


# --------------------------------------------------------------------------- layout


#: The body's line height in points (11 pt × 1.5).
LINE = 16.5


def _pages_of_stories(path: Path) -> list[list[int]]:
    """Each story's pages (0-based): an edition's from its story anchors, else every page."""
    reader = pypdf.PdfReader(path)
    starts = sorted(reader.get_destination_page_number(d)
                    for name, d in reader.named_destinations.items()
                    if re.fullmatch(r"story-\d+", name))
    if not starts:
        return [list(range(len(reader.pages)))]
    ends = [*starts[1:], len(reader.pages)]
    return [list(range(a, b)) for a, b in zip(starts, ends, strict=True)]


def test_no_heading_ends_a_page(build):
    for document in DOCUMENTS:
        pdf, tree = _tree(build(document))
        with pdf:
            for heading in tree.elements():
                if not re.fullmatch(r"/H[2-6]", heading.role):
                    continue
                siblings = heading.parent.kids
                after = siblings[siblings.index(heading) + 1:]
                if not after:
                    continue
                follower: Element = after[0]
                first = min(p for e in follower.walk() for p, _ in e.mcids)
                assert first == heading.page, (document, heading.page)


def _first_block_on(tree, page: int) -> str:
    """The role of the block that starts ``page``: the nearest paragraph, heading, list, table,
    quote or box (``Div``) around the page's first marked content in reading order."""
    for element in tree.elements():
        if any(p == page for p, _ in element.mcids):
            chain = [element, *element.ancestors()]
            for role in ("/Table", "/BlockQuote"):
                if any(e.role == role for e in chain):
                    return role
            for node in chain:
                if re.fullmatch(r"/(P|H\d|L|Figure|Div)", node.role):
                    return node.role
    return ""


def test_a_heading_keeps_two_lines_of_what_follows_wherever_it_falls(tmp_path, settings):
    """Sections of 1 to 6 lines put a heading at every height of the page in turn."""
    words = "the junta said that the convoys would resume within days of the talks"
    sections = []
    for n in range(36):
        length = 1 + (n * 5) % 6
        text = " ".join([words] * length)[: 68 * length]
        sections.append(f"## Section {n + 1}\n\n{text}.\n")
    source = tmp_path / "sections.md"
    source.write_text("MALI: Sections\n\n" + "\n".join(sections), encoding="utf-8")
    result = export_one(source, settings, ExportOptions(out_dir=tmp_path, formats=("pdf",)))
    (path,) = result.files
    pdf, tree = _tree(path)
    with pdf:
        assert len(pdf.pages) >= 4
        for heading in tree.elements("/H2"):
            siblings = heading.parent.kids
            follower = siblings[siblings.index(heading) + 1]
            on_page = {m for e in follower.walk() for p, m in e.mcids if p == heading.page}
            total = {(p, m) for e in follower.walk() for p, m in e.mcids}
            # One text box per line in these plain paragraphs: two on the heading's page.
            assert len(on_page) >= min(2, len(total)), (heading.page, len(on_page))


def test_no_page_but_a_storys_last_is_more_than_a_quarter_empty(build):
    for document in DOCUMENTS:
        path = build(document)
        reader = pypdf.PdfReader(path)
        box = subprocess.run([tool("pdftotext"), "-bbox", str(path), "-"],
                             capture_output=True, text=True, check=True).stdout
        pages = box.split("<page ")[1:]
        for story in _pages_of_stories(path):
            for index in story[:-1]:
                height = float(reader.pages[index].mediabox.height)
                words = [(float(m[1]), float(m[2])) for m in re.finditer(
                    r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"',
                    pages[index])]
                top, bottom = 24 / 25.4 * 72, height - 26 / 25.4 * 72
                body = [w for w in words if w[0] > top and w[1] < bottom
                        and w[1] - w[0] > 10.5]
                notes = [w for w in words if w[0] > max(b[1] for b in body)
                         and w[1] < bottom]
                floor = min((w[0] for w in notes), default=bottom)
                gap = floor - max(b[1] for b in body)
                assert gap / (bottom - top) <= 0.25, (document, index + 1, gap)
                # Text moves to the next page only when it cannot fit: before a paragraph or a
                # list, less than three lines and a paragraph's space stay empty (two lines at
                # least go on either side of a break); before a heading, less than the heading
                # and two lines.  A box (call to action, table, quote) moves whole.
                with pikepdf.open(path) as pdf:
                    follows = _first_block_on(read_tree(pdf), index + 1)
                room = {"/P": 3 * LINE + 8, "/L": 3 * LINE + 8}.get(
                    follows, 5 * LINE if follows.startswith("/H") else None)
                if room is not None:
                    assert gap < room, (document, index + 1, follows, gap)


def test_the_running_headline_is_not_on_a_storys_first_page(build, settings):
    path = build("sahel-weekly-12")
    edition = read_edition(EDITION, settings)
    texts = page_texts(path)
    for story, pages in zip(edition.briefings, _pages_of_stories(path), strict=True):
        heads = [story.meta.headline in " ".join(texts[p].split()) for p in pages]
        assert heads == [False] + [True] * (len(pages) - 1), story.meta.headline


def test_the_editions_cover_has_no_footnote(build):
    path = build("sahel-weekly-12")
    cover, contents = page_texts(path)[:2]
    assert "https://" not in cover
    assert "Notes to the introduction" in contents
    assert "https://portal.meridian-risk.example/briefings" in contents


# --------------------------------------------------------------------------- editions


def test_each_story_keeps_its_classification_and_the_cover_shows_it(build, settings):
    path = build("sahel-weekly-12")
    edition = read_edition(EDITION, settings)
    texts = page_texts(path)
    assert "CLIENT CONFIDENTIAL" in texts[0]  # the cover: the stories' label
    for story, pages in zip(edition.briefings, _pages_of_stories(path), strict=True):
        label = story.meta.classification
        for page in pages:
            shown = "CLIENT CONFIDENTIAL" in texts[page]
            assert shown == bool(label), (story.meta.slug, page + 1)


def test_a_story_without_a_date_takes_the_editions(tmp_path, settings):
    source = tmp_path / "undated.md"
    source.write_text("MALI: Undated story\n\nText.\n", encoding="utf-8")
    edition_file = tmp_path / "ed.toml"
    edition_file.write_text('title = "Weekly"\ndate = 2026-11-27\nbriefings = ["undated.md"]\n',
                            encoding="utf-8")
    edition = read_edition(edition_file, settings)
    assert edition.briefings[0].meta.date == dt.date(2026, 11, 27)
    seed_edition = read_edition(EDITION, settings)
    assert seed_edition.briefings[0].meta.date == dt.date(2026, 11, 27)


def test_edition_takes_pdf_variant(tmp_path):
    result = subprocess.run([sys.executable, "-m", "briefexport", "edition", str(EDITION),
                             "--config", str(CONFIG), "-o", str(tmp_path), "-f", "pdf",
                             "--pdf-variant", "pdf/ua-1"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    with pikepdf.open(tmp_path / "sahel-weekly-12.pdf") as pdf:
        assert b"pdfuaid" in pdf.Root.Metadata.read_bytes()


# --------------------------------------------------------------------------- found in review


def test_an_introduction_citing_a_storys_url_takes_none_of_its_notes(tmp_path, settings):
    shared_url = "https://shared.example/a"
    for name in ("one", "two"):
        (tmp_path / f"{name}.md").write_text(
            f"---\ntitle: Story {name}\nslug: MALI\ndate: 2026-11-20\n---\n\n"
            f"Text citing [our source]({shared_url}) in story {name}.\n", encoding="utf-8")
    (tmp_path / "ed.toml").write_text(
        'title = "Weekly"\ndate = 2026-11-27\n'
        f'intro = "The week, from [our source]({shared_url})."\n'
        'briefings = ["one.md", "two.md"]\n', encoding="utf-8")
    result = export_edition(tmp_path / "ed.toml", settings,
                            ExportOptions(out_dir=tmp_path / "out", formats=("pdf",)))
    (path,) = result.files
    assert structure_problems(path, articles=2) == []
    pdf, tree = _tree(path)
    with pdf:
        notes = tree.elements("/Note")
        assert [n.page for n in notes] == [2, 3]  # each in its own story, none on the cover
        assert all(any(a.role == "/Art" for a in n.ancestors()) for n in notes)


def test_the_contents_section_is_not_merged_into_the_cover(build):
    pdf, tree = _tree(build("sahel-weekly-12"))
    with pdf:
        sections = [e for e in tree.root.kids[0].kids if e.role == "/Sect"]
        assert len(sections) == 5  # cover, contents, three stories
        cover_pages = {p for e in sections[0].walk() for p, _ in e.mcids}
        assert cover_pages == {0}


def test_urls_in_the_text_keep_their_quotes_and_dashes(tmp_path, settings):
    url = "https://o.example/o'brien--x"
    source = tmp_path / "urls.md"
    source.write_text(f"---\ntitle: URLs\n---\n\nAutolink <{url}> and plain {url}/y "
                      "with a \"quote\".\n", encoding="utf-8")
    result = export_one(source, settings, ExportOptions(out_dir=tmp_path, formats=("pdf",
                                                                                   "txt")))
    files = {p.suffix: p for p in result.files}
    text = "".join(page_texts(files[".pdf"])).replace("\u200b", "")
    assert url in "".join(text.split()) and f"{url}/y" in "".join(text.split())
    assert "“quote”" in text
    assert [u for u, _, in_note in links(files[".pdf"]) if in_note] == []  # no note: URL shown
    wire = files[".txt"].read_text(encoding="utf-8")
    assert url in wire and "[1]" not in wire


def test_a_long_unbroken_url_stays_inside_the_page(tmp_path, settings):
    url = "https://x.example/" + "A" * 110
    source = tmp_path / "long.md"
    source.write_text(f"---\ntitle: Long\n---\n\nSee <{url}> for the data.\n", encoding="utf-8")
    result = export_one(source, settings, ExportOptions(out_dir=tmp_path, formats=("pdf",)))
    (path,) = result.files
    box = subprocess.run([tool("pdftotext"), "-bbox", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    width = float(re.search(r'<page width="([\d.]+)"', box)[1])
    right = max(float(x) for x in re.findall(r'xMax="([\d.]+)"', box))
    assert right <= width * (1 - 0.18) + 1


def test_names_stay_unhyphenated_only_while_a_report_is_laid_out(build):
    import pyphen

    build("mali-second-coup")  # a report was laid out in this process
    assert pyphen.Pyphen(lang="en").positions("Ouagadougou")
