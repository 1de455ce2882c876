"""A client copy's PDF: the watermark on every page (page furniture, never read as the text)
and the recipient's id in the XMP metadata, in every variant; never the recipient's token; a
plain export carries neither."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pikepdf
import pypdf
import pytest
from conftest import CONFIG, RICH
from test_intel_pdf import artifact_text, assert_page_furniture
from test_newsroom_pdf import (
    everything,
    page_texts,
    pdf_problems,
    render_pdf,
    save,
    write_source,
)

from briefexport.config import CopiesSettings, Settings, load_settings
from briefexport.model import Recipient
from briefexport.render.context import RenderContext
from briefexport.source.edition import read_edition
from briefexport.writers import writer_for

NAMESPACE = "https://briefexport.example/ns/1.0/"
RECIPIENT_KEY = f"{{{NAMESPACE}}}recipient"
TOKEN = "9f1c2e7ab04d4c55b1e3a6d8c0f27e41"
RECIPIENT = Recipient(id="acme-07", name="Jo Bloggs", organisation="Acme Shipping",
                      email="jo@acme.example", tier="standard", token=TOKEN)
WATERMARK = "Prepared for Acme Shipping · acme-07 · not for redistribution"
VARIANTS = [None, "pdf/a-3b", "pdf/ua-1"]


@pytest.fixture(scope="module")
def settings() -> Settings:
    return load_settings(CONFIG)


@pytest.fixture(scope="module")
def build(settings, tmp_path_factory):
    """``build(variant, recipient=RECIPIENT)``: the rich example's PDF, made once each."""
    root = tmp_path_factory.mktemp("copies")
    made: dict[tuple[str | None, str | None], Path] = {}

    def make(variant: str | None = None, recipient: Recipient | None = RECIPIENT) -> Path:
        key = (variant, recipient.id if recipient else None)
        if key not in made:
            data = render_pdf(RICH, settings, variant=variant, recipient=recipient)
            name = f"{key[1] or 'plain'}-{(variant or 'tagged').replace('/', '')}"
            made[key] = save(root, name, data)
        return made[key]
    return make


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v or "tagged")
def test_every_page_carries_the_watermark_as_page_furniture(build, variant):
    assert_page_furniture(build(variant), WATERMARK, "Prepared for")


def test_the_watermark_is_in_the_footer_under_the_classification(build):
    from test_intel_pdf import word_boxes

    path = build()
    for index in range(len(page_texts(path))):
        words = word_boxes(path, index)
        height = float(pypdf.PdfReader(path).pages[index].mediabox.height)
        width = float(pypdf.PdfReader(path).pages[index].mediabox.width)
        bottom_margin = height - 26 / 25.4 * 72
        (prepared,) = [w for w in words if w[4] == "Prepared"]
        (redistribution,) = [w for w in words if w[4] == "redistribution"]
        (confidential,) = [w for w in words if w[4] == "CONFIDENTIAL" and w[1] > bottom_margin]
        assert prepared[1] > confidential[3]  # on the line under the classification
        assert redistribution[3] < height - 24  # well inside the paper
        centre = (prepared[0] + redistribution[2]) / 2
        assert abs(centre - width / 2) < 3  # centred, on one line
        assert abs(prepared[1] - redistribution[1]) < 1


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v or "tagged")
def test_the_xmp_names_the_recipient_under_briefexports_namespace(build, variant):
    with pikepdf.open(build(variant)) as pdf:
        meta = pdf.open_metadata()
        assert meta.get(RECIPIENT_KEY) == "acme-07"
        if variant == "pdf/a-3b":
            assert (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) == ("3", "B")
            # PDF/A admits the property only with its schema described.
            xml = pdf.Root.Metadata.read_bytes().decode("utf-8")
            assert f"<pdfaSchema:namespaceURI>{NAMESPACE}</pdfaSchema:namespaceURI>" in xml
            assert "<pdfaProperty:name>recipient</pdfaProperty:name>" in xml
        if variant == "pdf/ua-1":
            assert meta.get("pdfuaid:part") == "1"
        assert meta.get("dc:title") == str(pdf.docinfo["/Title"])


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v or "tagged")
def test_a_plain_export_has_neither_watermark_nor_recipient(build, variant):
    path = build(variant, recipient=None)
    assert all("Prepared for" not in text for text in page_texts(path))
    with pikepdf.open(path) as pdf:
        if variant is None:
            assert "/Metadata" not in pdf.Root  # as before: no XMP for the default variant
        else:
            assert pdf.open_metadata().get(RECIPIENT_KEY) is None
        assert NAMESPACE.encode() not in b"".join(
            o.read_bytes() for o in pdf.objects if isinstance(o, pikepdf.Stream))


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v or "tagged")
def test_the_token_is_nowhere_in_the_pdf(build, variant):
    data = build(variant).read_bytes()
    assert TOKEN.encode() not in data
    assert TOKEN not in everything(data)
    assert "acme-07" in everything(data)  # the search sees the metadata and the pages


def test_the_watermark_pattern_comes_from_the_config(settings, tmp_path):
    custom = settings.replace(copies=CopiesSettings(
        watermark="Licensed to {name} of {organisation} ({id})"))
    path = save(tmp_path, "custom", render_pdf(RICH, custom, recipient=RECIPIENT))
    for text in page_texts(path):
        assert "Licensed to Jo Bloggs of Acme Shipping (acme-07)" in text
        assert "Prepared for" not in text
    # A recipient without an organisation is named by their name, not by a blank.
    nameless = dataclasses.replace(RECIPIENT, organisation="")
    path = save(tmp_path, "nameless", render_pdf(RICH, settings, recipient=nameless))
    assert "Prepared for Jo Bloggs · acme-07 · not for redistribution" in page_texts(path)[0]


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v or "tagged")
def test_a_copy_passes_the_checkers(build, variant):
    assert pdf_problems(build(variant), variant) == []


def test_an_editions_copy_is_marked_on_every_page_and_in_its_xmp(settings, tmp_path):
    stories = tmp_path / "stories"
    for name in ("one", "two"):
        write_source(stories, name, paragraphs=2)
    (tmp_path / "ed.toml").write_text(
        'title = "Sahel Weekly"\nnumber = 15\ndate = 2026-11-27\n'
        'briefings = ["stories/one.md", "stories/two.md"]\n', encoding="utf-8")
    edition = read_edition(tmp_path / "ed.toml", settings)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFEXPORT_NOW", "2026-11-25T00:00:00Z")
        data = writer_for("pdf", edition).render(edition, RenderContext(settings,
                                                                        recipient=RECIPIENT))
    assert isinstance(data, bytes)
    path = save(tmp_path, "edition", data)
    texts = page_texts(path)
    assert len(texts) >= 4  # cover, contents, two stories
    for index, text in enumerate(texts):
        assert WATERMARK in text and WATERMARK in artifact_text(path, index), index
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert pdf.open_metadata().get(RECIPIENT_KEY) == "acme-07"
    assert TOKEN not in everything(data)
    assert pdf_problems(path, None, articles=2) == []


def test_a_theme_that_drops_the_watermark_fails_the_copy_not_the_plain_export(settings,
                                                                             tmp_path):
    """A stylesheet copied before copies had a watermark leaves it out of the margins: the copy
    is refused rather than made without its mark."""
    from briefexport.errors import RenderError

    styles = tmp_path / "theme" / "styles"
    styles.mkdir(parents=True)
    (styles / "report.css").write_text('@page { margin: 20mm; }\nhtml { font-family: '
                                       '"Noto Serif"; }\n', encoding="utf-8")
    themed = settings.replace(themes=(tmp_path / "theme",))
    with pytest.raises(RenderError, match=r"watermark is not in the margins of page 1(, \d+)+:"):
        render_pdf(RICH, themed, recipient=RECIPIENT)
    assert render_pdf(RICH, themed)[:5] == b"%PDF-"
