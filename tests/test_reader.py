"""The reader: source text → document model."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import SEED, SEED_LINKS

from briefexport.config import Settings, load_settings
from briefexport.errors import SourceError
from briefexport.model import (
    CallToAction,
    Emphasis,
    Heading,
    LinkSpan,
    ListBlock,
    Paragraph,
    Table,
    plain_text,
)
from briefexport.source.briefing import read
from briefexport.source.headline import first_sentence, split_slug


def test_seed_headline_is_split_into_slug_and_title(settings):
    b = read(SEED, settings)
    assert b.meta.slug == "MALI"
    assert b.meta.title == "Second coup d’état another blow for anti-terror efforts"
    assert b.meta.headline == "MALI: Second coup d’état another blow for anti-terror efforts"
    # The headline line is not repeated as the first paragraph.
    assert isinstance(b.blocks[0], Paragraph)
    assert plain_text(b.blocks[0].children).startswith("The second coup d’état")


def test_seed_links_resolve_from_config_with_lines(settings):
    b = read(SEED, settings)
    assert {link.text: link.url for link in b.links} == SEED_LINKS
    assert all(link.placeholder for link in b.links)
    lines = {link.text: link.line for link in b.links}
    assert lines == {"Chad": 5, "August 2020 coup d’état": 7, "by no means": 11,
                     "Nigeria’s": 11}
    assert b.warnings == ()


def test_seed_cta_takes_the_portal_url(settings):
    b = read(SEED, settings)
    assert len(b.ctas) == 1
    cta = b.ctas[0]
    assert cta.label == "Client Portal"
    assert cta.url == settings.portal.url
    assert isinstance(b.blocks[-1], CallToAction)
    assert cta.line == 13


def test_seed_without_config_warns_about_five_placeholders():
    b = read(SEED, Settings())
    placeholders = [w for w in b.warnings if w.code == "placeholder"]
    assert len(placeholders) == 5
    assert "line" not in str(placeholders[0])
    assert str(placeholders[0]).endswith(":5: unresolved placeholder link 'Chad'")
    assert all(link.url is None for link in b.links)
    assert b.ctas[0].url is None


def test_summary_defaults_to_first_sentence(settings):
    b = read(SEED, settings)
    assert b.meta.summary == (
        "The second coup d’état in less than a year is yet another major setback for "
        "international efforts to contain the spread of jihadist militants across the Sahel, "
        "following last month’s coup d’état over in Chad.")


@pytest.mark.parametrize(("line", "slug", "title"), [
    ("MALI: Coup", "MALI", "Coup"),
    ("BURKINA FASO: Blockade", "BURKINA FASO", "Blockade"),
    ("DR CONGO: M23 advances", "DR CONGO", "M23 advances"),
    ("CÔTE D'IVOIRE: Vote", "CÔTE D'IVOIRE", "Vote"),
    ("Mali: not a slug", None, "Mali: not a slug"),
    ("Why it matters: a headline", None, "Why it matters: a headline"),
    ("No colon here", None, "No colon here"),
])
def test_split_slug(line, slug, title):
    assert split_slug(line) == (slug, title)


def test_first_sentence_keeps_abbreviations_of_lower_case():
    assert first_sentence("It rose 3.5 per cent. Then it fell.") == "It rose 3.5 per cent."


@pytest.mark.parametrize(("text", "first"), [
    ("Col. Assimi Goïta seized power again. The junta said little.",
     "Col. Assimi Goïta seized power again."),
    ("Gen. A. B. Tiani met Mr. Smith in Niamey. Talks failed.",
     "Gen. A. B. Tiani met Mr. Smith in Niamey."),
    ("The U.S. Treasury and the U.N. envoy agreed. Sanctions follow.",
     "The U.S. Treasury and the U.N. envoy agreed."),
    ('He said "it is over." Then he left.', 'He said "it is over."'),
    ("Prices rose. Fuel ran out.", "Prices rose."),
    ("No full stop at all", "No full stop at all"),
    (". Starts with a stop. Then more.", "."),  # no word before the stop: no crash
])
def test_first_sentence_reads_past_titles_and_initials(text, first):
    assert first_sentence(text) == first


def test_front_matter(write_source):
    path = write_source(
        "---\ntitle: Fuel blockade\nslug: BURKINA FASO\ndate: 2026-11-20\nauthor: Desk\n"
        "tags: [a, b]\nlang: fr\nsummary: Short.\nclassification: CONFIDENTIAL\n"
        "reference: X-1\nmood: grim\nlinks:\n  here: https://example.org/here\n"
        "cta:\n  - label: Map »\n    url: https://example.org/map\n---\n\n"
        "Body with a [link](#) and [here](#).\n")
    b = read(path, Settings(links={"link": "https://example.org/link"}))
    m = b.meta
    assert (m.title, m.slug, m.date, m.author, m.tags, m.lang) == (
        "Fuel blockade", "BURKINA FASO", dt.date(2026, 11, 20), "Desk", ("a", "b"), "fr")
    assert (m.summary, m.classification, m.reference) == ("Short.", "CONFIDENTIAL", "X-1")
    assert m.extra_dict == {"mood": "grim"}
    assert [w.code for w in b.warnings] == ["unknown-key"]
    assert "mood" in b.warnings[0].message
    assert [(link.text, link.url) for link in b.links] == [
        ("link", "https://example.org/link"), ("here", "https://example.org/here")]
    assert [(c.label, c.url) for c in b.ctas] == [("Map", "https://example.org/map")]
    assert b.links[0].line == 19  # the line of "Body with…"


def test_front_matter_links_win_over_config(write_source):
    path = write_source("---\ntitle: T\nlinks:\n  x: https://fm.example/\n---\n[x](#)\n")
    b = read(path, Settings(links={"x": "https://config.example/"}))
    assert b.links[0].url == "https://fm.example/"


def test_heading_headline(write_source):
    b = read(write_source("\n# NIGER: Junta *expels* envoy\n\nLead text.\n"))
    assert (b.meta.slug, b.meta.title) == ("NIGER", "Junta expels envoy")
    assert len(b.blocks) == 1


def test_bom_and_crlf_are_accepted(write_source):
    path = write_source("\ufeffMALI: Title\r\n\r\nFirst [a](https://a.example/).\r\nSecond.\r\n"
                        .encode())
    b = read(path)
    assert b.meta.headline == "MALI: Title"
    assert b.links[0].url == "https://a.example/"
    assert "\r" not in plain_text(b.blocks[0].children)


def test_reference_links_and_autolinks(write_source):
    b = read(write_source("T\n\nSee [the map][m] and <https://auto.example/x>.\n\n"
                          "[m]: https://map.example/ \"Map\"\n"))
    assert [(link.text, link.url, link.title) for link in b.links] == [
        ("the map", "https://map.example/", "Map"),
        ("https://auto.example/x", "https://auto.example/x", None)]


def test_raw_html_is_kept_as_text(write_source):
    b = read(write_source("T\n\n<script>alert(1)</script>\n\nA <b>bold</b> claim.\n"))
    texts = [plain_text(block.children) for block in b.blocks]
    assert texts == ["<script>alert(1)</script>", "A <b>bold</b> claim."]


def test_cta_detection(write_source):
    b = read(write_source("T\n\n[Portal >>](#)\n\n[Map »](https://m.example/)\n\n"
                          "[Next ›](https://n.example/)\n\n[Go →](https://g.example/)\n\n"
                          "Read the [report >>](https://r.example/) now.\n\n[Plain](https://p.example/)\n"),
             Settings(links={}, portal=load_settings().portal.__class__(url="https://portal/")))
    assert [(c.label, c.url) for c in b.ctas] == [
        ("Portal", "https://portal/"), ("Map", "https://m.example/"),
        ("Next", "https://n.example/"), ("Go", "https://g.example/")]
    # A link inside a sentence, or without an arrow, is an ordinary link.
    assert [link.text for link in b.links] == ["report >>", "Plain"]


def test_markdown_constructs(write_source):
    b = read(write_source("T\n\n## Sub\n\n- a\n- b\n\n1. x\n2. y\n\n"
                          "| h | n |\n|---|--:|\n| a | 1 |\n\n~~gone~~ **bold**\n"))
    kinds = [type(x) for x in b.blocks]
    assert kinds == [Heading, ListBlock, ListBlock, Table, Paragraph]
    assert b.blocks[0].id == "sub"
    assert b.blocks[2].ordered and not b.blocks[1].ordered
    table = b.blocks[3]
    assert [plain_text(c.children) for c in table.header] == ["h", "n"]
    assert table.header[1].align == "right"
    assert [e.kind for e in b.blocks[4].children if isinstance(e, Emphasis)] == [
        "strike", "strong"]


def test_refused_link_schemes_keep_their_text(write_source):
    b = read(write_source("T\n\n[click](javascript:alert(1)) [v](VBScript:x) [f](file:///etc/passwd)"
                          " [d](data:text/html,x)\n"))
    spans = [c for c in b.blocks[0].children if isinstance(c, LinkSpan)]
    assert [s.link.url for s in spans] == [None, None, None, None]
    assert [plain_text(s.children) for s in spans] == ["click", "v", "f", "d"]
    assert sum(w.code == "refused-link" for w in b.warnings) == 4


def test_date_falls_back_to_default_then_mtime(write_source):
    path = write_source("T\n\nBody.\n")
    assert read(path, default_date=dt.date(2020, 1, 2)).meta.date == dt.date(2020, 1, 2)
    assert read(path).meta.date == dt.date.fromtimestamp(path.stat().st_mtime)


@pytest.mark.parametrize(("content", "message"), [
    (b"", "is empty"),
    (b"  \n\n ", "contains only white space"),
    (b"T\n\n\xff\xfe bad", "not UTF-8: invalid byte 0xff at byte offset 3"),
    ("T".encode("utf-16"), "UTF-16"),
    (b"T\x00x", "NUL byte"),
    (b"---\ntitle: x\n", "never closed"),
    (b"---\ntitle: [x\n---\n", "not valid YAML"),
    (b"---\n- a\n- b\n---\n", "must be a mapping"),
    (b"---\ntitle: T\ndate: soon\n---\n", "'date' must be a date"),
    (b"---\ntitle: T\ntags: {a: 1}\n---\n", "'tags' must be a list"),
    (b"---\ntitle: T\ncta:\n  - label: X\n---\n", "has no 'url'"),
])
def test_bad_sources_fail_with_one_clear_message(write_source, content, message):
    path = write_source(content)
    with pytest.raises(SourceError) as info:
        read(path)
    assert message in str(info.value)
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(SourceError, match="no such file"):
        read(tmp_path / "nope.md")
    with pytest.raises(SourceError, match="is a folder"):
        read(tmp_path)


def test_yaml_error_names_its_line(write_source):
    path = write_source("---\ntitle: ok\nsummary: [unclosed\nx: 1\n---\nBody\n")
    with pytest.raises(SourceError) as info:
        read(path)
    assert info.value.line is not None and info.value.line >= 3
