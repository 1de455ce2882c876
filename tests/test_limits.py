"""Pathological sizes: 10,000 levels of nesting and a 1 MB line, through the reader and every
writer.  Nothing may raise ``RecursionError`` and no text may be silently lost."""

from __future__ import annotations

import io

import pikepdf
import pytest
from lxml import html as lxml_html
from pypdf import PdfReader

from briefexport.api import ExportOptions, export_one
from briefexport.config import Settings
from briefexport.limits import MAX_INLINE_DEPTH, MAX_NESTING
from briefexport.source.briefing import read

DEEP = 10_000

NESTED = {
    "bullet-lists": "- " * DEEP + "DEEPEST",
    "ordered-lists": "1. " * DEEP + "DEEPEST",
    "block-quotes": ">" * DEEP + " DEEPEST",
    "quotes-and-lists": "> - " * (DEEP // 2) + "DEEPEST",
    "line-per-level": "".join(">" * n + f" level {n}\n" for n in range(1, 300)) + (
        ">" * 300 + " DEEPEST"),
    "emphasis": "*a " * 2000 + "DEEPEST" + " b*" * 2000,
    "strong": "**s " * 2000 + "DEEPEST" + " s**" * 2000,
    "links-in-emphasis": "_" * 2000 + "[DEEPEST](https://deep.example/)" + "_" * 2000,
    "images": "![" * 3000 + "DEEPEST" + "](x.png)" * 3000,
    "brackets": "[" * DEEP + "DEEPEST" + "]" * DEEP,
}


def pdf_text(path) -> str:
    """The PDF's text, with the report's automatic hyphenation undone."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(path.read_bytes())).pages)
    return text.replace("\u2010\n", "").replace("-\n", "").replace("\n", " ")


def html_text(path) -> str:
    """The email's visible text plus image alt texts (a reader sees those too)."""
    tree = lxml_html.fromstring(path.read_bytes())
    return tree.text_content() + " ".join(tree.xpath("//img/@alt"))


@pytest.mark.parametrize("name", list(NESTED))
def test_deep_nesting_exports_everywhere_without_losing_text(tmp_path, name):
    source = tmp_path / f"{name}.md"
    source.write_text("MALI: Deep\n\nLead paragraph.\n\n" + NESTED[name] + "\n\nAFTERWARDS\n")
    result = export_one(source, Settings(), ExportOptions(out_dir=tmp_path / "out"))
    assert result.ok, result.error
    files = {p.suffix: p for p in result.files}
    text = files[".txt"].read_text(encoding="utf-8")
    page = html_text(files[".html"])
    pdf = pdf_text(files[".pdf"])
    for word in ("DEEPEST", "AFTERWARDS"):
        assert word in text
        assert word in page
        assert word in pdf or name == "images"  # an image's alt text is not PDF text


def test_content_past_the_nesting_cap_is_kept_as_text_with_a_warning(tmp_path):
    source = tmp_path / "deep.md"
    source.write_text("T\n\n" + ">" * DEEP + " kept\n")
    briefing = read(source)
    deep = [w for w in briefing.warnings if w.code == "too-deep"]
    assert len(deep) == 1 and f"more than {MAX_NESTING} levels" in deep[0].message
    assert deep[0].line == 3


def test_emphasis_past_the_cap_is_flattened_with_a_warning(tmp_path):
    source = tmp_path / "deep.md"
    source.write_text("T\n\n" + "**s " * 500 + "bold" + " s**" * 500 + "\n")
    briefing = read(source)
    stack, deepest, texts = [(briefing.blocks[0], 0)], 0, []
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if hasattr(node, "text"):
            texts.append(node.text)
        stack.extend((child, depth + 1) for child in getattr(node, "children", ()))
    assert deepest <= MAX_INLINE_DEPTH + 1  # the paragraph, then the capped emphasis
    assert "bold" in "".join(texts)
    assert sum(t.count("s") for t in texts) == 1000  # every wrapper's text is still there
    assert any("flattened" in w.message for w in briefing.warnings)


def test_ordinary_nesting_is_not_flattened(tmp_path):
    source = tmp_path / "ok.md"
    source.write_text("T\n\n" + "".join("  " * n + f"- level {n}\n" for n in range(8))
                      + "\n> > > quoted *em **strong** em*\n")
    assert read(source).warnings == ()


MEGABYTE = 1_048_576


@pytest.fixture(scope="module")
def long_lines(tmp_path_factory):
    folder = tmp_path_factory.mktemp("long")
    prose = folder / "prose.md"
    words = "convoy " * (MEGABYTE // 7 + 1)
    prose.write_text(f"T\n\nSTART {words}END\n")
    word = folder / "word.md"
    word.write_text("T\n\nSTART " + "x" * MEGABYTE + " END\n")
    return prose, word


def test_one_megabyte_line_of_prose_in_text_and_email(long_lines, tmp_path):
    prose, _ = long_lines
    assert prose.stat().st_size > MEGABYTE
    result = export_one(prose, Settings(), ExportOptions(out_dir=tmp_path, formats=("txt", "html")))
    assert result.ok, result.error
    text = (tmp_path / "prose.txt").read_text(encoding="utf-8")
    assert text.count("convoy") == MEGABYTE // 7 + 1
    assert max(len(line) for line in text.splitlines()) <= 69
    page = lxml_html.fromstring((tmp_path / "prose.html").read_bytes()).text_content()
    # The body holds every word; the preview text may repeat the start of the line.
    assert page.count("convoy") >= MEGABYTE // 7 + 1
    assert "END" in page


@pytest.mark.parametrize("size", [
    64 * 1024,
    # The whole megabyte takes minutes (the PDF's line breaker): `make test-all` runs it.
    pytest.param(MEGABYTE, marks=pytest.mark.slow, id="megabyte"),
])
def test_one_unbreakable_word_in_every_format(tmp_path, size):
    # One unbreakable run: the slowest case for a line breaker (the PDF of a megabyte of
    # prose is ~400 pages; benchmarks/long_line.py shows its time grows linearly).
    word = tmp_path / "word.md"
    word.write_text("T\n\nSTART " + "x" * size + " END\n")
    result = export_one(word, Settings(), ExportOptions(out_dir=tmp_path))
    assert result.ok, result.error
    text = (tmp_path / "word.txt").read_text(encoding="utf-8")
    assert "x" * size in text
    page = lxml_html.fromstring((tmp_path / "word.html").read_bytes()).text_content()
    assert "x" * size in page
    with pikepdf.open(tmp_path / "word.pdf") as pdf:
        assert len(pdf.pages) >= 1
