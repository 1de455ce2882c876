"""The PDF report, read back with pypdf and pikepdf."""

from __future__ import annotations

import pikepdf
import pypdf
from conftest import PORTAL, SEED_LINKS


def uris(path):
    reader = pypdf.PdfReader(path)
    out = []
    for page in reader.pages:
        for annot in page.get("/Annots", []) or []:
            annot = annot.get_object()
            if annot.get("/Subtype") == "/Link" and "/A" in annot:
                out.append(annot["/A"].get("/URI"))
    return out


def text(path):
    """The PDF's text with hyphenation breaks ("bor‐ ders") joined again."""
    raw = "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    return raw.replace("\u2010\n", "").replace("\u2010 ", "")


def test_seed_pdf_has_one_annotation_per_link_and_cta(seed_outputs):
    assert sorted(uris(seed_outputs["pdf"])) == sorted([*SEED_LINKS.values(), PORTAL])


def test_seed_pdf_text(seed_outputs):
    content = " ".join(text(seed_outputs["pdf"]).split())
    assert "Meridian Risk Intelligence" in content
    assert "MALI" in content
    assert "Second coup d'état another blow" in content
    assert "Client Portal" in content
    assert "porous borders" in content
    assert "Page 1 of" in content


def test_seed_pdf_metadata(seed_outputs):
    meta = pypdf.PdfReader(seed_outputs["pdf"]).metadata
    assert meta.title == "MALI: Second coup d'état another blow for anti-terror efforts"
    assert meta.subject.startswith("The second coup d'état in less than a year")
    with pikepdf.open(seed_outputs["pdf"]) as pdf:
        assert str(pdf.Root.get("/Lang", "")) == "en"


def test_rich_pdf_metadata_and_links(rich_outputs):
    path = rich_outputs["pdf"]
    meta = pypdf.PdfReader(path).metadata
    assert meta.author == "Sahel Desk"
    assert "JNIM" in meta.get("/Keywords", "")
    assert meta.get("/CreationDate", "").startswith("D:20261120")
    links = uris(path)
    for url in ("https://lefaso.net/", "https://www.ecowas.int/",
                "https://portal.meridian-risk.example/countries/burkina-faso",
                "https://portal.meridian-risk.example/maps/burkina-faso-routes", PORTAL):
        assert url in links
    assert "CLIENT CONFIDENTIAL" in text(path)


def test_pdf_is_structurally_sound(seed_outputs):
    with pikepdf.open(seed_outputs["pdf"]) as pdf:
        assert pdf.check_pdf_syntax() == []
        assert len(pdf.pages) >= 1
