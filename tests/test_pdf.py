"""The PDF report, read back with pypdf and pikepdf, printed with poppler, scanned by zbar."""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys

import pikepdf
import pypdf
import pytest
from click.testing import CliRunner
from conftest import CONFIG, EXAMPLES, FIXTURES, PORTAL, RICH, SEED, SEED_LINKS
from pdfread import (
    annotations,
    fonts,
    joined,
    outline,
    page_texts,
    rasterize,
    scan_qr,
    squash,
    tool,
)
from pdfstructure import body_link_uris, links

from briefexport.api import ExportOptions, export_one, read
from briefexport.cli import main
from briefexport.config import load_settings
from briefexport.render.context import RenderContext
from briefexport.writers import get_format

MANY = FIXTURES / "sahel-many-links.md"
RICH_HEADLINE = "BURKINA FASO: Jihadist fuel blockade tightens around Ouagadougou"
#: The font families the report names; nothing else may end up in a PDF.
FAMILIES = ("Noto-Serif", "Noto-Sans", "DejaVu-Sans-Mono")


def contact_uris(briefing):
    """The ``mailto:`` and ``tel:`` links of the contact line that closes the body."""
    contact = briefing.contact
    return [u for u in (contact.mailto, contact.tel) if u] if contact else []


def printed(uri: str) -> str:
    """How a link's target is printed: a URL as it is, the contact's address and number as
    their text (compared without spaces, as ``squash`` does)."""
    if uri.startswith("mailto:"):
        return uri.removeprefix("mailto:")
    if uri.startswith("tel:"):
        return uri.removeprefix("tel:").lstrip("+")
    return uri


def in_text(uri: str, text: str) -> bool:
    """Whether ``uri`` is printed in ``text`` (squashed; phone numbers by their digits)."""
    if uri.startswith("tel:"):
        return printed(uri) in "".join(c for c in text if c.isdigit())
    return squash(printed(uri)) in text


def export_pdf(source, settings, out, **pdf):
    """Export ``source`` to PDF with ``[pdf]`` settings changed; return (path, warnings)."""
    if pdf:
        settings = settings.replace(pdf=dataclasses.replace(settings.pdf, **pdf))
    result = export_one(source, settings, ExportOptions(out_dir=out, formats=("pdf",)))
    assert result.ok, result.error
    return result.files[0], [str(w) for w in result.warnings]


@pytest.fixture(scope="module")
def many_pdf(tmp_path_factory, settings):
    path, warnings = export_pdf(MANY, settings, tmp_path_factory.mktemp("many"))
    assert warnings == []
    return path


@pytest.fixture(scope="module")
def variants(tmp_path_factory, settings):
    """The seed and the rich example in each PDF variant."""
    out = {}
    for variant in ("pdf/ua-1", "pdf/a-3b", "pdf/a-3a"):
        folder = tmp_path_factory.mktemp(variant.replace("/", "-"))
        for source in (SEED, RICH):
            out[variant, source.name] = export_pdf(source, settings, folder, variant=variant)[0]
    return out


# ------------------------------------------------------------------ links on screen and paper


def test_seed_pdf_has_one_link_per_link_and_cta(seed_outputs, settings):
    uris = body_link_uris(seed_outputs["pdf"])
    contact = contact_uris(read(SEED, settings))
    assert contact == ["mailto:sahel-desk@meridian-risk.example", "tel:+442079460300"]
    assert sorted(uris) == sorted([*SEED_LINKS.values(), PORTAL, *contact])
    # Each footnote's URL is a link too.
    assert sorted(u for u, _, in_note in links(seed_outputs["pdf"]) if in_note) == sorted(
        SEED_LINKS.values())


def test_rich_pdf_has_one_link_per_link_and_cta(rich_outputs):
    briefing = read(RICH, load_settings(CONFIG))
    expected = [link.url for link in briefing.links] + [c.url for c in briefing.ctas]
    assert len(expected) == 7  # a key judgement's link, four in the body, two CTAs
    uris = body_link_uris(rich_outputs["pdf"])
    assert sorted(uris) == sorted(expected + contact_uris(briefing))


@pytest.mark.parametrize("which", ["seed", "rich"])
def test_every_link_url_is_printed_on_its_page(which, seed_outputs, rich_outputs):
    path = {"seed": seed_outputs, "rich": rich_outputs}[which]["pdf"]
    texts = [squash(t) for t in page_texts(path)]
    for page, uri in annotations(path):
        assert in_text(uri, texts[page]), (page, uri)


def test_footnotes_are_numbered_notes_at_the_foot_of_the_page(seed_outputs):
    first = page_texts(seed_outputs["pdf"])[0]
    lines = [line.strip() for line in first.splitlines()]
    chad = SEED_LINKS["Chad"]
    note = next(i for i, line in enumerate(lines) if line.startswith("1. https://"))
    assert squash("".join(lines[note:note + 2])).startswith(squash("1." + chad))
    # The note sits below the body text, above the running footer.
    assert lines.index(next(x for x in lines if "Page 1 of" in x)) > note
    assert any("Chad1" in squash(line) for line in lines[:note])  # the call after the link


def test_endnotes_list_each_url_once_at_the_end(tmp_path, settings):
    path, _ = export_pdf(RICH, settings, tmp_path, link_urls="endnotes")
    texts = page_texts(path)
    last = " ".join(texts[-1].split())
    assert "Links" in last
    expected = ["https://portal.meridian-risk.example/briefings/2026-09-burkina-faso-convoys",
                "https://lefaso.net/",
                "https://portal.meridian-risk.example/countries/burkina-faso"]
    squashed = squash(texts[-1])
    positions = [squashed.index(squash(f"{n}.{url}")) for n, url in enumerate(expected, 1)]
    assert positions == sorted(positions)
    # Still clickable, and each listed URL is a link too; no footnotes at the page foot.
    briefing = read(RICH, settings)
    assert len(links(path)) == (len(briefing.links) + len(briefing.ctas)
                                + len(contact_uris(briefing)) + len(expected))
    assert "1. https://" not in texts[0]


def test_link_urls_none_prints_no_body_url(tmp_path, settings):
    path, _ = export_pdf(SEED, settings, tmp_path, link_urls="none")
    text = squash("".join(page_texts(path)))
    for url in SEED_LINKS.values():
        assert squash(url) not in text
    assert squash(PORTAL) in text  # the call to action still shows its URL
    assert sorted(body_link_uris(path)) == sorted([*SEED_LINKS.values(), PORTAL,
                                                   *contact_uris(read(SEED, settings))])


def test_many_links_stay_clickable_across_page_breaks(many_pdf):
    briefing = read(MANY, load_settings(CONFIG))
    links = [link.url for link in briefing.links] + [c.url for c in briefing.ctas]
    assert len(briefing.links) >= 25
    found = annotations(many_pdf)
    pages = len(pypdf.PdfReader(many_pdf).pages)
    assert pages >= 3
    assert {p for p, _ in found} == set(range(pages))  # links on every page
    # Each link is one Link element, or one per page when a page break splits it.
    uris = body_link_uris(many_pdf)
    for url in set(links):
        assert links.count(url) <= uris.count(url) <= links.count(url) + 1, url
    # Each URL is printed at the foot of its link's page; WeasyPrint may carry a note that
    # no longer fits over to the next page (as the CSS footnote rules allow), never further.
    texts = [squash(t) for t in page_texts(many_pdf)]
    carried = 0
    for page, uri in found:
        if not in_text(uri, texts[page]):
            carried += 1
            assert in_text(uri, texts[page + 1]), (page, uri)
    assert carried <= 2


# ------------------------------------------------------------------ design and paged media


def test_seed_pdf_text(seed_outputs):
    content = joined(seed_outputs["pdf"])
    assert "Meridian Risk Intelligence" in content
    assert "MALI" in content
    assert "Second coup d’état another blow" in content
    assert "Client Portal" in content
    assert "porous borders" in content
    assert "Page 1 of" in content


def test_masthead_kicker_standfirst_and_meta_line(rich_outputs):
    first = " ".join(page_texts(rich_outputs["pdf"])[0].split())
    assert "CLIENT CONFIDENTIAL" in first
    order = ["Meridian Risk Intelligence", "BURKINA FASO",
             "Jihadist fuel blockade tightens around Ouagadougou",
             "A JNIM blockade of fuel convoys is squeezing",
             "20 November 2026 · Sahel Desk · West Africa · Ref. SAH-2026-114", "Overview"]
    positions = [first.index(item) for item in order]
    assert positions == sorted(positions)


@pytest.mark.parametrize("which", ["rich", "many"])
def test_running_header_and_footer_on_every_page(which, rich_outputs, many_pdf):
    path = rich_outputs["pdf"] if which == "rich" else many_pdf
    label = "CLIENT CONFIDENTIAL" if which == "rich" else "RESTRICTED"
    headline = RICH_HEADLINE if which == "rich" else (
        "SAHEL: Sahel security outlook for the coming quarter")
    texts = [" ".join(t.split()) for t in page_texts(path)]
    assert len(texts) >= 2
    for number, text in enumerate(texts, 1):
        assert f"Page {number} of {len(texts)}" in text
        assert "Meridian Risk Intelligence" in text
        assert text.count(label) >= 1
    # The running headline: on every page but the first (which has the masthead instead).
    assert headline not in texts[0]
    assert all(headline in text for text in texts[1:])


def test_standfirst_never_repeats_the_lead(seed_outputs, rich_outputs):
    # The seed's summary is its lead's first sentence: printed once, not twice.
    assert joined(seed_outputs["pdf"]).count("The second coup d’état in less than a year") == 1
    # The rich example's summary is its own text: printed as the standfirst.
    assert joined(rich_outputs["pdf"]).count("A JNIM blockade of fuel convoys") == 1


def test_no_classification_no_label(seed_outputs):
    text = joined(seed_outputs["pdf"])
    assert "CONFIDENTIAL" not in text and "RESTRICTED" not in text


def test_body_is_hyphenated_and_copies_back_whole(seed_outputs, rich_outputs):
    """Hyphenation leaves 3 letters at least on either side, never splits a capitalised word
    (a name), and poppler (what PDF viewers on Linux copy with) gives the word whole."""
    broken = []
    for path in (seed_outputs["pdf"], rich_outputs["pdf"]):
        raw = "\n".join(page_texts(path))
        found = re.findall(r"(\w+)-\n(\w+)", raw)
        poppler = subprocess.run([tool("pdftotext"), str(path), "-"], capture_output=True,
                                 text=True, check=True).stdout
        for head, tail in found:
            assert len(head) >= 3 and len(tail) >= 3, (head, tail)
            assert not head[0].isupper(), (head, tail)
            # poppler joins a word hyphenated across two lines of one text block; a line that
            # a struck-through word splits into blocks of their own stays apart.
            assert head + tail in poppler or f"{head}-\n\n{tail}" in poppler, (head, tail)
            assert f"{head}\u2010" not in poppler
        broken += found
    assert broken, "no hyphenated line break in the body"


@pytest.mark.parametrize(("size", "box"), [("A4", (595.28, 841.89)), ("letter", (612, 792)),
                                           ("A4 landscape", (841.89, 595.28))])
def test_page_size(tmp_path, settings, size, box):
    path, _ = export_pdf(SEED, settings, tmp_path, page_size=size)
    for page in pypdf.PdfReader(path).pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
            box, abs=0.5)


def test_every_font_is_embedded_and_named_by_the_report(seed_outputs, rich_outputs,
                                                        many_pdf):
    for path in (seed_outputs["pdf"], rich_outputs["pdf"], many_pdf):
        used = fonts(path)
        assert used, path
        assert all(used.values()), used
        assert all(name.startswith(FAMILIES) for name in used), used
    assert any(name.startswith("DejaVu-Sans-Mono") for name in fonts(many_pdf))


def test_a_word_wider_than_the_column_is_wrapped_inside_the_page(tmp_path, write_source):
    word = "x" * 5000 + "y" * 3000
    path, _ = export_pdf(write_source(f"# Long word\n\nBefore {word} after.\n"),
                         load_settings(None), tmp_path)
    reader = pypdf.PdfReader(path)
    width = float(reader.pages[0].mediabox.width)
    # poppler's word boxes: every piece of the word ends inside the right margin.
    boxes = subprocess.run([tool("pdftotext"), "-bbox", str(path), "-"], capture_output=True,
                           text=True, check=True).stdout
    right = [float(x) for x in re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)"',
                                          boxes)]
    assert len(right) > 100 and max(right) < width - 40
    # The text keeps every letter, with nothing added: no zero-width space, no hyphen (the
    # running head and footer, between the pages, have no x or y).
    text = "".join("".join(page.extract_text().split()) for page in reader.pages)
    assert (text.count("x"), text.count("y")) == (5000, 3000)
    assert "\u200b" not in text and "-" not in text and "\u2010" not in text


def test_cta_qr_code_scans_to_its_url(tmp_path, seed_outputs):
    pages = len(pypdf.PdfReader(seed_outputs["pdf"]).pages)
    found = []
    for page in range(1, pages + 1):
        found += scan_qr(rasterize(seed_outputs["pdf"], page, tmp_path))
    assert found == [PORTAL]


def test_logo_is_drawn_in_the_masthead(tmp_path, settings):
    from PIL import Image, ImageChops

    with_logo, _ = export_pdf(SEED, settings, tmp_path / "a")
    without = settings.replace(brand=dataclasses.replace(settings.brand, logo=None))
    no_logo, _ = export_pdf(SEED, without, tmp_path / "b")
    a = Image.open(rasterize(with_logo, 1, tmp_path / "a", dpi=50)).convert("L")
    b = Image.open(rasterize(no_logo, 1, tmp_path / "b", dpi=50)).convert("L")
    # The masthead's first centimetres: the logo's strokes darken them.
    box = (50, 40, 90, 100)
    assert ImageChops.difference(a.crop(box), b.crop(box)).getbbox() is not None
    assert a.crop(box).getextrema()[0] < 128


def test_missing_logo_warns_and_exports(tmp_path, settings):
    missing = settings.replace(brand=dataclasses.replace(settings.brand, logo="nope.svg"))
    path, warnings = export_pdf(SEED, missing, tmp_path)
    assert any("nope.svg" in w and "no such file" in w for w in warnings), warnings
    assert path.stat().st_size > 0


# ------------------------------------------------------------------ structure and metadata


def test_outline_titles_and_pages(rich_outputs, many_pdf):
    assert outline(rich_outputs["pdf"]) == [
        (0, RICH_HEADLINE, 0), (1, "Overview", 0), (2, "What has changed", 0),
        (2, "Supply routes at a glance", 1), (2, "Outlook", 1)]
    entries = outline(many_pdf)
    assert [t for _, t, _ in entries] == [
        "SAHEL: Sahel security outlook for the coming quarter", "Mali", "Burkina Faso",
        "Niger", "Coastal states", "Outlook"]
    texts = page_texts(many_pdf)
    for _, title, page in entries[1:]:
        assert title in texts[page]
    assert [p for _, _, p in entries] == sorted(p for _, _, p in entries)
    assert entries[-1][2] >= 3


def test_seed_pdf_metadata(seed_outputs):
    meta = pypdf.PdfReader(seed_outputs["pdf"]).metadata
    assert meta.title == "MALI: Second coup d’état another blow for anti-terror efforts"
    assert meta.subject.startswith("The second coup d’état in less than a year")
    with pikepdf.open(seed_outputs["pdf"]) as pdf:
        assert str(pdf.Root.get("/Lang", "")) == "en"


def test_rich_pdf_metadata(rich_outputs):
    meta = pypdf.PdfReader(rich_outputs["pdf"]).metadata
    assert meta.title == RICH_HEADLINE
    assert meta.author == "Sahel Desk"
    assert meta.subject.startswith("A JNIM blockade of fuel convoys")
    assert meta["/Keywords"] == "Burkina Faso, JNIM, logistics, fuel"
    assert meta["/CreationDate"] == "D:20261120000000Z"
    assert meta["/ModDate"].startswith("D:")
    assert meta["/Creator"] == "briefexport"
    assert meta["/reference"] == "SAH-2026-114"
    assert meta["/region"] == "West Africa"
    with pikepdf.open(rich_outputs["pdf"]) as pdf:
        assert str(pdf.Root.Lang) == "en"
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True


def test_tagged_by_default(seed_outputs, rich_outputs):
    for path in (seed_outputs["pdf"], rich_outputs["pdf"]):
        with pikepdf.open(path) as pdf:
            assert "/StructTreeRoot" in pdf.Root
            assert bool(pdf.Root.MarkInfo.Marked) is True
            assert str(pdf.Root.Lang) == "en"
            kinds = set()
            stack = [pdf.Root.StructTreeRoot]
            while stack:
                node = stack.pop()
                if isinstance(node, pikepdf.Dictionary):
                    if "/S" in node:
                        kinds.add(str(node.S))
                    kids = node.get("/K")
                    if isinstance(kids, pikepdf.Array):
                        stack.extend(kids)
                    elif isinstance(kids, pikepdf.Dictionary):
                        stack.append(kids)
            assert {"/H1", "/P", "/Link"} <= kinds, kinds
            # Links are reachable in structure order and described for assistive tools.
            for page in pdf.pages:
                if "/Annots" in page:
                    assert str(page.Tabs) == "/S"
                    for annot in page.Annots:
                        assert "/StructParent" in annot and str(annot.Contents)


def test_pdf_is_structurally_sound(seed_outputs, rich_outputs, many_pdf, variants):
    for path in (seed_outputs["pdf"], rich_outputs["pdf"], many_pdf, *variants.values()):
        with pikepdf.open(path) as pdf:
            assert pdf.check_pdf_syntax() == [], path
            assert len(pdf.pages) >= 1


# ------------------------------------------------------------------ variants


def test_pdf_ua_1(variants):
    for source in (SEED, RICH):
        with pikepdf.open(variants["pdf/ua-1", source.name]) as pdf:
            meta = pdf.open_metadata()
            assert meta.get("pdfuaid:part") == "1"
            assert "/StructTreeRoot" in pdf.Root
            assert str(pdf.Root.Lang) == "en"
            assert not pdf.attachments


@pytest.mark.parametrize(("variant", "conformance"), [("pdf/a-3b", "B"), ("pdf/a-3a", "A")])
def test_pdf_a_3_embeds_source_and_wire_text(variants, settings, variant, conformance):
    for source in (SEED, RICH):
        with pikepdf.open(variants[variant, source.name]) as pdf:
            meta = pdf.open_metadata()
            assert meta.get("pdfaid:part") == "3"
            assert meta.get("pdfaid:conformance") == conformance
            files = {name: spec for name, spec in pdf.attachments.items()}
            wire_name = source.stem + ".wire.txt"
            assert sorted(files) == sorted([source.name, wire_name])
            assert files[source.name].get_file().read_bytes() == source.read_bytes()
            wire = get_format("txt").briefing().render(read(source, settings),
                                                       RenderContext(settings))
            assert files[wire_name].get_file().read_bytes() == wire.encode("utf-8")
            relations = {str(f.FS.F if "/FS" in f else f.F): str(f.AFRelationship)
                         for f in pdf.Root.AF}
            assert relations == {source.name: "/Source", wire_name: "/Alternative"}
            if conformance == "A":
                assert "/StructTreeRoot" in pdf.Root


def test_tagged_pdf_without_variant_has_no_attachments(seed_outputs):
    with pikepdf.open(seed_outputs["pdf"]) as pdf:
        assert not pdf.attachments
        assert pdf.open_metadata().get("pdfaid:part") is None


# ------------------------------------------------------------------ reproducible, CLI, config


def test_same_source_gives_the_same_bytes_in_two_processes(tmp_path):
    outputs = []
    for hash_seed in ("1", "2"):  # different hash seeds: no set or dict order may leak
        out = tmp_path / hash_seed
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600", "PYTHONHASHSEED": hash_seed}
        subprocess.run([sys.executable, "-m", "briefexport", "export", str(RICH),
                        "--config", str(CONFIG), "-o", str(out), "-f", "pdf",
                        "--pdf-variant", "pdf/a-3b"], env=env, check=True,
                       capture_output=True)
        outputs.append(out / "burkina-faso-fuel-blockade.pdf")
    assert outputs[0].read_bytes() == outputs[1].read_bytes()
    assert pypdf.PdfReader(outputs[0]).metadata["/ModDate"] == "D:20260101000000Z"


def test_cli_pdf_variant_flag_overrides_config(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[pdf]\nvariant = "pdf/ua-1"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["export", str(SEED), "--config", str(cfg), "-o",
                                       str(tmp_path), "-f", "pdf", "--pdf-variant",
                                       "pdf/a-3b"])
    assert result.exit_code == 0, result.output
    with pikepdf.open(tmp_path / "mali-second-coup.pdf") as pdf:
        assert pdf.open_metadata().get("pdfaid:part") == "3"
        assert pdf.open_metadata().get("pdfuaid:part") is None
    result = CliRunner().invoke(main, ["export", str(SEED), "--config", str(cfg), "-o",
                                       str(tmp_path / "ua"), "-f", "pdf"])
    assert result.exit_code == 0, result.output
    with pikepdf.open(tmp_path / "ua" / "mali-second-coup.pdf") as pdf:
        assert pdf.open_metadata().get("pdfuaid:part") == "1"


def test_cli_refuses_unknown_variant(tmp_path):
    result = CliRunner().invoke(main, ["export", str(SEED), "-o", str(tmp_path),
                                       "--pdf-variant", "pdf/x-4"])
    assert result.exit_code == 2
    assert "pdf/x-4" in result.stderr
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(("content", "message"), [
    ('[pdf]\nvariant = "pdf/a-1b"\n', "'pdf.variant' must be one of"),
    ('[pdf]\nlink_urls = "sidenotes"\n', "'pdf.link_urls' must be one of"),
    ('[pdf]\npage_size = "A4; } body { color: red"\n', "'pdf.page_size' must be one of"),
    ("[pdf]\nallow_remote = 1\n", "'pdf.allow_remote' must be bool"),
])
def test_bad_pdf_settings_are_config_errors(tmp_path, content, message):
    cfg = tmp_path / "c.toml"
    cfg.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["export", str(SEED), "--config", str(cfg), "-o",
                                       str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"briefexport: error: {cfg}: ")
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_pdf_settings_from_config(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[pdf]\npage_size = "letter"\nlink_urls = "endnotes"\n'
                   'variant = "pdf/a-3a"\nallow_remote = true\n[brand]\nlogo = "x.svg"\n',
                   encoding="utf-8")
    s = load_settings(cfg)
    assert (s.pdf.page_size, s.pdf.link_urls, s.pdf.variant, s.pdf.allow_remote) == (
        "letter", "endnotes", "pdf/a-3a", True)
    assert s.brand.logo == "x.svg" and s.base_dir == tmp_path.resolve()


def test_writer_reuses_font_config_and_parsed_stylesheets(settings):
    from briefexport.writers.pdf.report import PdfWriter

    writer = get_format("pdf").briefing()
    briefing = read(SEED, settings)
    writer.render(briefing, RenderContext(settings))
    fonts_before, sheets_before = writer.font_config, PdfWriter.stylesheet.cache_info()
    writer.render(briefing, RenderContext(settings))
    sheets_after = PdfWriter.stylesheet.cache_info()
    assert writer.font_config is fonts_before
    assert get_format("pdf").briefing() is writer
    assert sheets_after.misses == sheets_before.misses
    assert sheets_after.hits > sheets_before.hits


# ------------------------------------------------------------------ every bundled example

EXAMPLE_SOURCES = sorted([*EXAMPLES.glob("*.md"), *EXAMPLES.glob("*.txt")])


@pytest.fixture(scope="module")
def example_pdfs(tmp_path_factory, settings):
    out = tmp_path_factory.mktemp("examples")
    return {source: export_pdf(source, settings, out) for source in EXAMPLE_SOURCES}


@pytest.mark.parametrize("source", EXAMPLE_SOURCES, ids=lambda p: p.name)
def test_every_example_holds_the_report_guarantees(example_pdfs, settings, source):
    path, warnings = example_pdfs[source]
    assert warnings == []
    briefing = read(source, settings)
    expected = [link.url for link in briefing.links if link.url] + [
        c.url for c in briefing.ctas if c.url] + contact_uris(briefing)
    found = annotations(path)
    assert sorted(body_link_uris(path)) == sorted(expected)
    texts = page_texts(path)
    for page, uri in found:
        assert in_text(uri, squash(texts[page])), (page, uri)
    for number, text in enumerate(texts, 1):
        assert f"Page {number} of {len(texts)}" in " ".join(text.split())
    used = fonts(path)
    assert used and all(used.values()) and all(n.startswith(FAMILIES) for n in used)
    with pikepdf.open(path) as pdf:
        assert pdf.check_pdf_syntax() == []
        assert "/StructTreeRoot" in pdf.Root
        assert str(pdf.Root.Lang) == briefing.meta.lang
        # The raster images are the figures' and one grey, unsmoothed QR code per distinct
        # call to action (the logo is a vector drawing).
        images = {x.objgen: x for page in pdf.pages
                  for x in (page.Resources.get("/XObject") or {}).values()
                  if x.get("/Subtype") == "/Image"}
        codes = [x for x in images.values()
                 if x.get("/Interpolate") is False and x.ColorSpace == "/DeviceGray"]
        assert len(codes) == len({c.url for c in briefing.ctas if c.url})
        assert len(images) == len(briefing.figures) + len(codes)
    meta = pypdf.PdfReader(path).metadata
    assert meta.title == briefing.meta.headline
    if briefing.meta.reference:
        assert meta["/reference"] == briefing.meta.reference


def test_brand_colours_reach_the_page(tmp_path, settings):
    red = settings.replace(brand=dataclasses.replace(settings.brand, color="#ff0000"))
    path, warnings = export_pdf(SEED, red, tmp_path)
    assert warnings == []
    with pikepdf.open(path) as pdf:
        content = pdf.pages[0].Contents.read_bytes() if not isinstance(
            pdf.pages[0].Contents, pikepdf.Array) else b"".join(
            c.read_bytes() for c in pdf.pages[0].Contents)
    assert b"1 0 0 rg" in content  # the headline, filled in the brand colour
    bad = settings.replace(brand=dataclasses.replace(settings.brand, color="red; } x {"))
    _, warnings = export_pdf(SEED, bad, tmp_path / "bad")
    assert any("is not a CSS colour" in w for w in warnings)


def test_hyphenation_follows_the_briefing_language(write_source, tmp_path, settings):
    words = ("Les responsabilités gouvernementales extraordinairement compliquées "
             "empêchent manifestement l'administration transitionnelle ") * 12
    source = write_source(f"---\ntitle: Essai\nlang: fr\n---\n\n{words}\n")
    path, _ = export_pdf(source, settings, tmp_path)
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == "fr"
    # Every break falls where French rules allow (English patterns would split
    # "re-sponsabilités" or "trans-itionnelle"); pyphen's French dictionary is the judge.
    import pyphen

    french = pyphen.Pyphen(lang="fr")
    raw = "\n".join(page_texts(path))
    breaks = re.findall(r"(\w+)-\n(\w+)", raw)
    assert len(breaks) >= 3, raw
    for head, tail in breaks:
        assert len(head) >= 3 and len(tail) >= 3, (head, tail)
        assert len(head) in french.positions(head + tail), (head, tail)
