"""The newsroom's handling in the PDF: embargo, kill, correction and conditional blocks, in the
report and in an edition, read back with pikepdf, pypdf and the outside checkers.

- An embargo is page furniture at the top of every page and an Info entry while it holds
  (``BRIEFEXPORT_NOW`` sets the moment), and nowhere once lifted.
- A kill is the kicker ``KILL …``, the headline, the kill line and the reference: nothing of the
  source's content is anywhere in the file (page text, strings, any stream, the metadata), and
  PDF/A-3 attaches nothing.
- A correction's kicker is ``CORRECTED …`` everywhere the kicker goes, and its corrections are
  a tagged box (a heading and a list) after the body.
- The PDF renders its own view of conditional blocks; the wire text it attaches the wire's.
"""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
from pathlib import Path

import pikepdf
import pypdf
import pytest
from conftest import CONFIG
from pdfread import outline, tool
from pdfstructure import read_tree, structure_problems
from test_intel_pdf import (
    _png,
    artifact_text,
    assert_page_furniture,
    element_text,
    letters,
    tagged_text,
)
from test_pdf_validity import PDFUA_CRASHES, pdfua

from briefexport.api import ExportOptions, export_edition, read, render
from briefexport.config import Settings, load_settings
from briefexport.model import Recipient
from briefexport.source.newsroom import KILL_NOTICE

BEFORE = "2026-11-25T00:00:00Z"
AFTER = "2026-12-03T06:00:01Z"
NOTICE = "EMBARGOED UNTIL 2026-12-03 06:00 UTC"
MOMENT = "2026-12-03T06:00:00Z"
TITLE = "Junta extends the transition"
#: Words that stand only in the source's content: body, judgement, risk category, contact,
#: figure, link, call to action, heading, table.  None may survive a kill.
CONTENT_WORDS = ("Quillwort", "Zephyrine", "Marmoset", "Tamarisk", "Obsidiana", "Vespertine",
                 "Bramblewood", "Halcyonic", "Cormorant", "Wolframite")
FILLER = ("The council met again on Monday and the Halcyonic committee said that the "
          "transition would run for another two years, while the opposition parties, "
          "which had boycotted the talks, called for elections before the rainy season.")


def source_text(front: str = "", paragraphs: int = 14) -> str:
    """A briefing of two pages or more whose content words are :data:`CONTENT_WORDS`."""
    filler = "\n\n".join([FILLER] * paragraphs)
    return f"""---
title: {TITLE}
slug: MALI
date: 2026-11-20
reference: MLI-2026-201
classification: CLIENT CONFIDENTIAL
marking: TLP:AMBER
key_judgements:
  - The Quillwort faction will very likely hold the capital.
risk:
  overall: high
  zephyrine: extreme
contact:
  name: Marmoset Desk
  email: desk@meridian-risk.example
{front}---

The Tamarisk council met on Monday; see the [Obsidiana report](https://obsidiana.example/r).

## Vespertine outlook

{filler}

| Corridor | Status |
| --- | --- |
| Cormorant | Open |

![Bramblewood map](map.png "Bramblewood corridors. Source: desk")

[Read the Wolframite brief >>](https://portal.example/wolframite)
"""


def write_source(folder: Path, name: str, front: str = "", **kwargs: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "map.png").write_bytes(_png(160, 100))
    path = folder / f"{name}.md"
    path.write_text(source_text(front, **kwargs), encoding="utf-8")
    return path


def with_variant(settings: Settings, variant: str | None) -> Settings:
    return settings.replace(pdf=dataclasses.replace(settings.pdf, variant=variant))


def render_pdf(path: Path, settings: Settings, *, now: str = BEFORE,
               variant: str | None = None, recipient: Recipient | None = None) -> bytes:
    """The PDF of ``path`` as ``api.render`` makes it, at the moment ``now``."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFEXPORT_NOW", now)
        chosen = with_variant(settings, variant)
        pdf, warnings = render(read(path, chosen), "pdf", chosen, recipient=recipient)
    assert isinstance(pdf, bytes)
    assert [w for w in warnings if w.code != "placeholder"] == [], warnings
    return pdf


def save(tmp: Path, name: str, data: bytes) -> Path:
    path = tmp / f"{name}.pdf"
    path.write_bytes(data)
    return path


def page_texts(path: Path) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in pypdf.PdfReader(path).pages]


def _strings(obj: object, out: list[str], depth: int = 0) -> None:
    """Every string inside a direct dictionary or array (indirect ones are visited apart)."""
    if depth > 50:
        return
    if isinstance(obj, pikepdf.String):
        out.append(str(obj))
    elif isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        for _, value in obj.items():
            if not (isinstance(value, pikepdf.Object) and value.is_indirect):
                _strings(value, out, depth + 1)
    elif isinstance(obj, pikepdf.Array):
        for value in obj:
            if not (isinstance(value, pikepdf.Object) and value.is_indirect):
                _strings(value, out, depth + 1)


def everything(data: bytes) -> str:
    """All a reader could get out of a PDF, as text: each page's extracted text, every
    string object (Info, outline, alt texts, link URIs…), every stream decompressed (the
    pages' content, the XMP metadata, attached files, fonts), the XMP as pikepdf reads it and
    every attachment."""
    parts = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            contents = page.obj.Contents
            streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
            parts.extend(s.read_bytes().decode("latin-1") for s in streams)
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                try:
                    parts.append(obj.read_bytes().decode("latin-1"))
                except pikepdf.PdfError:
                    parts.append(obj.read_raw_bytes().decode("latin-1"))
            _strings(obj, parts)
        parts.append(str(pdf.open_metadata()))
        parts.extend(spec.get_file().read_bytes().decode("utf-8", "replace")
                     for spec in pdf.attachments.values())
    return "\n".join(parts)


def found_words(data: bytes) -> set[str]:
    """The content words anywhere in the PDF, letters only (a hyphenated line break, an
    encoding's escapes cannot hide one)."""
    text = everything(data)
    squashed = letters(text).lower()
    return {w for w in CONTENT_WORDS if w in text or w.lower() in squashed}


def pdf_problems(path: Path, variant: str | None, articles: int = 1) -> list[str]:
    """What pdfua, qpdf and the structure checks find wrong with ``path``."""
    report = pdfua(path)
    findings = [f"{f['rule_id']}: {f['message']}" for f in report["findings"]]
    if variant != "pdf/ua-1":
        findings = [f for f in findings if not f.startswith("UA-28-004")]
    skipped = {s["rule_id"] for s in report["skipped"]} - PDFUA_CRASHES
    findings += [f"skipped {rule}" for rule in sorted(skipped)]
    check = subprocess.run([tool("qpdf"), "--check", str(path)], capture_output=True,
                           text=True)
    if check.returncode != 0 or "No syntax or stream encoding errors" not in check.stdout:
        findings.append(f"qpdf: {check.stdout} {check.stderr}")
    return findings + structure_problems(path, articles=articles)


@pytest.fixture(scope="module")
def settings() -> Settings:
    return load_settings(CONFIG)


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("newsroom")
    corrections = ("version: 2\ncorrections:\n"
                   "  - date: 2026-11-21\n    note: Corrected the day the council met.\n"
                   "  - date: 2026-11-22\n    note: Named the second corridor correctly.\n")
    return {
        "plain": write_source(root / "plain", "plain"),
        "embargo": write_source(root / "embargo", "embargo", f"embargo: {MOMENT}\n"),
        "kill": write_source(root / "kill", "kill", "status: canceled\n"),
        "correction": write_source(root / "correction", "correction", corrections),
    }


@pytest.fixture(scope="module")
def build(sources, settings, tmp_path_factory):
    """``build(name, variant=None)``: the PDF file of one of :func:`sources`, made once."""
    root = tmp_path_factory.mktemp("newsroom-pdf")
    made: dict[tuple[str, str | None], Path] = {}

    def make(name: str, variant: str | None = None) -> Path:
        key = (name, variant)
        if key not in made:
            data = render_pdf(sources[name], settings, variant=variant)
            made[key] = save(root, f"{name}-{(variant or 'tagged').replace('/', '')}", data)
        return made[key]
    return make


# --------------------------------------------------------------------------- embargo


def test_an_embargo_is_on_every_page_while_it_holds_and_nowhere_after(
        sources, settings, tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFEXPORT_NOW", BEFORE)
    held = save(tmp_path, "held", render(read(sources["embargo"], settings), "pdf",
                                         settings)[0])
    assert_page_furniture(held, NOTICE, "EMBARGOED")
    with pikepdf.open(held) as pdf:
        info = {str(k): str(v) for k, v in pdf.docinfo.items()}
    assert info["/embargo"] == MOMENT
    assert [v for v in info.values() if "2026-12-03" in v] == [MOMENT]

    monkeypatch.setenv("BRIEFEXPORT_NOW", AFTER)
    lifted = save(tmp_path, "lifted", render(read(sources["embargo"], settings), "pdf",
                                             settings)[0])
    assert all("EMBARGOED" not in text for text in page_texts(lifted))
    assert "EMBARGOED" not in everything(lifted.read_bytes())
    with pikepdf.open(lifted) as pdf:
        assert "/embargo" not in pdf.docinfo
        assert not any("2026-12-03" in str(v) for v in pdf.docinfo.values())


def test_the_embargo_sits_above_the_labels_at_the_top_right(build):
    from test_intel_pdf import word_boxes

    path = build("embargo")
    for index in range(len(page_texts(path))):
        words = word_boxes(path, index)
        top_margin = 24 / 25.4 * 72
        (embargoed,) = [w for w in words if w[4] == "EMBARGOED"]
        (label,) = [w for w in words if w[4] == "TLP:AMBER"]
        assert embargoed[3] < top_margin and embargoed[3] <= label[1]  # above the labels
        assert embargoed[1] > 12  # not at the paper's very edge
        utc = [w for w in words if w[4] == "UTC" and abs(w[1] - embargoed[1]) < 2]
        # Right-aligned with the TLP label's box (its text sits inside a 1.5 mm padding).
        assert utc and 0 <= utc[0][2] - label[2] < 6


def test_a_plain_briefing_has_no_embargo(build):
    path = build("plain")
    assert "EMBARGOED" not in everything(path.read_bytes())
    with pikepdf.open(path) as pdf:
        assert "/embargo" not in pdf.docinfo


# --------------------------------------------------------------------------- kill


def test_a_kill_is_its_kicker_headline_notice_and_reference_only(build):
    path = build("kill")
    texts = page_texts(path)
    assert len(texts) == 1
    first = texts[0]
    headline = f"KILL MALI {TITLE}"
    assert first.index("KILL MALI") < first.index(TITLE) < first.index(KILL_NOTICE) < \
        first.index("Ref. MLI-2026-201")
    assert headline in first
    # What the body stood in (the standfirst, the judgements, the risk, the contact) is gone.
    for gone in ("Key judgements", "Overall risk", "Questions:", "Figure 1", "20 November"):
        assert gone not in first, gone
    with pikepdf.open(path) as pdf:
        assert str(pdf.docinfo["/Title"]) == f"KILL MALI: {TITLE}"
        assert str(pdf.docinfo["/Subject"]) == KILL_NOTICE
        tree = read_tree(pdf)
        (h1,) = tree.elements("/H1")
        assert element_text(path, h1) == TITLE
        assert not tree.elements("/Figure") and not tree.elements("/Table")
        assert not tree.elements("/Link")
    assert [title for _, title, _ in outline(path)] == [f"KILL MALI: {TITLE}"]


@pytest.mark.parametrize("variant", [None, "pdf/a-3b", "pdf/ua-1"], ids=lambda v: v or "tagged")
def test_nothing_of_a_killed_briefings_content_is_anywhere_in_the_file(build, variant):
    data = build("kill", variant).read_bytes()
    assert found_words(data) == set()
    # The same source, not killed, has every word somewhere: the search finds what is there.
    assert found_words(build("plain", variant).read_bytes()) == set(CONTENT_WORDS)


def test_a_kill_under_pdf_a_3_attaches_nothing(build):
    with pikepdf.open(build("kill", "pdf/a-3b")) as pdf:
        assert not pdf.attachments
        assert "/AF" not in pdf.Root
        assert "/EmbeddedFiles" not in pdf.Root.get("/Names", {})
        meta = pdf.open_metadata()
        assert (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) == ("3", "B")
    with pikepdf.open(build("plain", "pdf/a-3b")) as pdf:
        assert sorted(pdf.attachments) == ["plain.md", "plain.wire.txt"]


# --------------------------------------------------------------------------- correction


def test_a_corrections_kicker_is_corrected_everywhere(build):
    path = build("correction")
    texts = page_texts(path)
    assert len(texts) >= 2
    assert f"CORRECTED MALI {TITLE}" in texts[0]
    for text in texts[1:]:  # the running head
        assert f"CORRECTED MALI: {TITLE}" in text
    assert outline(path)[0][1] == f"CORRECTED MALI: {TITLE}"
    with pikepdf.open(path) as pdf:
        assert str(pdf.docinfo["/Title"]) == f"CORRECTED MALI: {TITLE}"


def test_the_corrections_are_a_tagged_box_after_the_body(build):
    path = build("correction")
    with pikepdf.open(path) as pdf:
        tree = read_tree(pdf)
        boxes = [e for e in tree.elements() if e.role in ("/Sect", "/Aside")
                 and e.kids and element_text(path, e.kids[0]) == "Corrections"]
        (box,) = boxes
        heading, items = box.kids[0], box.kids[1]
        assert re.fullmatch(r"/H[1-6]", heading.role) and items.role == "/L"
        entries = [element_text(path, k) for k in items.kids if k.role == "/LI"]
        assert [e.strip(" •") for e in entries] == [
            "21 November 2026: Corrected the day the council met.",
            "22 November 2026: Named the second corridor correctly."]
        assert any(a.role == "/Art" for a in box.ancestors())
        # After the body: after its last paragraph and its call to action, in reading order.
        order = tree.elements()
        body_text = [e for e in order if e.role == "/P" and "Halcyonic" in element_text(
            path, e)]
        assert order.index(box) > order.index(body_text[-1])
        cta = next(e for e in order if e.role == "/Link" and "Wolframite" in element_text(
            path, e))
        assert order.index(box) > order.index(cta)
    last = page_texts(path)[-1]
    assert last.index("Wolframite") < last.index("Corrections") < last.index(
        "Meridian Risk Intelligence Ltd")


def test_a_first_version_has_no_corrections_box(build):
    text = " ".join(page_texts(build("plain")))
    assert "Corrections" not in text and "CORRECTED" not in text


# --------------------------------------------------------------------------- conditional blocks


CONDITIONAL = """---
title: Conditional
slug: MALI
date: 2026-11-20
---
Open lead for everyone.

::: only pdf
The annexed map shows the Pangolinid corridors.
:::

::: only email
Reply to this email to reach the Axolotlan desk.
:::

::: only wire
Wire desks: Narwhalish copy follows.
:::

::: only pdf email
Shared by pdf and email: Okapiform.
:::

::: tier premium
Premium readers only: Capybarine sources.
:::
"""


def test_the_pdf_shows_its_own_blocks_and_attaches_the_wires_view(tmp_path, settings):
    path = tmp_path / "conditional.md"
    path.write_text(CONDITIONAL, encoding="utf-8")
    data = render_pdf(path, settings, variant="pdf/a-3b")
    text = " ".join(" ".join(page_texts(save(tmp_path, "conditional", data))).split())
    assert "Pangolinid" in text and "Okapiform" in text
    assert "Axolotlan" not in text and "Narwhalish" not in text
    # A plain export is for the lowest tier: the premium block is in none of its parts.
    assert "Capybarine" not in everything(data)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        files = {name: spec.get_file().read_bytes().decode("utf-8")
                 for name, spec in pdf.attachments.items()}
    briefing = read(path, settings)
    wire, _ = render(briefing, "txt", settings)
    assert files["conditional.wire.txt"] == wire
    assert "Narwhalish" in wire and "Pangolinid" not in wire
    # The source attached is the text the reader kept: every output's blocks, no higher tier's.
    assert files["conditional.md"] == briefing.text
    assert "Axolotlan" in files["conditional.md"] and "Capybarine" not in files["conditional.md"]


# --------------------------------------------------------------------------- editions


@pytest.fixture(scope="module")
def edition_pdf(tmp_path_factory, settings) -> dict[str | None, Path]:
    """An edition of three stories: embargoed until 3 December, corrected and embargoed until
    5 December, killed; made tagged and as PDF/A-3b."""
    root = tmp_path_factory.mktemp("newsroom-edition")
    stories = root / "stories"
    write_source(stories, "early", f"embargo: {MOMENT}\n", paragraphs=2)
    write_source(stories, "late", "embargo: 2026-12-05T06:00:00Z\nversion: 2\ncorrections:\n"
                 "  - date: 2026-11-21\n    note: Corrected a date.\n", paragraphs=2)
    write_source(stories, "killed", "status: canceled\n", paragraphs=2)
    (root / "weekly.toml").write_text(
        'title = "Sahel Weekly"\nnumber = 14\ndate = 2026-11-27\n'
        'briefings = ["stories/early.md", "stories/late.md", "stories/killed.md"]\n',
        encoding="utf-8")
    out = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFEXPORT_NOW", BEFORE)
        for variant in (None, "pdf/a-3b"):
            result = export_edition(root / "weekly.toml", with_variant(settings, variant),
                                    ExportOptions(out_dir=root / str(variant).replace("/", ""),
                                                  formats=("pdf",)))
            assert result.ok, result.error
            out[variant] = result.files[0]
    return out


def test_an_edition_carries_the_latest_embargo_on_its_cover_and_each_storys_own(edition_pdf):
    from test_intel_pdf import story_pages

    path = edition_pdf[None]
    late = "EMBARGOED UNTIL 2026-12-05 06:00 UTC"
    assert late in artifact_text(path, 0) and late in artifact_text(path, 1)
    assert NOTICE not in artifact_text(path, 0)
    expected = [NOTICE, late, None]
    for pages, notice in zip(story_pages(path), expected, strict=True):
        for index in pages:
            furniture = artifact_text(path, index)
            assert re.findall(r"EMBARGOED UNTIL [\d-]+ [\d:]+ UTC", furniture) == (
                [notice] if notice else []), index
            assert "EMBARGOED" not in tagged_text(path, index)
    with pikepdf.open(path) as pdf:
        assert str(pdf.docinfo["/embargo"]) == "2026-12-05T06:00:00Z"
    assert structure_problems(path, articles=3) == []


def test_an_editions_contents_and_stories_use_the_kicker(edition_pdf):
    from test_intel_pdf import story_pages

    path = edition_pdf[None]
    contents = " ".join(page_texts(path)[1].split())
    assert f"MALI {TITLE}" in contents
    assert f"CORRECTED MALI {TITLE}" in contents and f"KILL MALI {TITLE}" in contents
    titles = [title for _, title, _ in outline(path)]
    assert f"CORRECTED MALI: {TITLE}" in titles and f"KILL MALI: {TITLE}" in titles
    killed = " ".join(page_texts(path)[p] for p in story_pages(path)[2])
    assert KILL_NOTICE in killed and "Halcyonic" not in killed
    corrected = " ".join(page_texts(path)[p] for p in story_pages(path)[1])
    assert "Corrections" in corrected and "21 November 2026: Corrected a date." in corrected


def test_an_edition_under_pdf_a_3_attaches_no_killed_source(edition_pdf):
    with pikepdf.open(edition_pdf["pdf/a-3b"]) as pdf:
        assert sorted(pdf.attachments) == ["early.md", "late.md", "weekly.wire.txt"]


# --------------------------------------------------------------------------- outside checkers


@pytest.mark.parametrize("variant", [None, "pdf/a-3b", "pdf/ua-1"], ids=lambda v: v or "tagged")
@pytest.mark.parametrize("name", ["kill", "correction", "embargo"])
def test_kills_corrections_and_embargoes_pass_the_checkers(build, name, variant):
    assert pdf_problems(build(name, variant), variant) == []


def test_the_edition_passes_the_checkers(edition_pdf):
    for variant, path in edition_pdf.items():
        assert pdf_problems(path, variant, articles=3) == [], variant
