"""Real-world Markdown: every example of the CommonMark spec through the reader, the preflight
and every writer, plus the regression cases kept in ``tests/fixtures/regressions``.

The spec examples come from the ``commonmark-spec`` npm package, which ``make test`` installs
(pinned) and turns into JSON with the package's own extractor; see the Makefile.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT
from lxml import html as lxml_html
from pdfread import uris
from pypdf import PdfReader

from briefexport.api import render
from briefexport.commands.check import check_briefing
from briefexport.config import PortalSettings, Settings
from briefexport.errors import BriefexportError, SourceError
from briefexport.model import Briefing
from briefexport.source.briefing import parse, read

SPEC_JSON = Path(os.environ.get("BRIEFEXPORT_COMMONMARK_SPEC",
                                ROOT / ".npm-tools" / "commonmark-spec-0.31.2.json"))
SETTINGS = Settings(portal=PortalSettings(url="https://portal.example/briefings"))


def load_examples() -> list[dict]:
    if not SPEC_JSON.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{SPEC_JSON} is missing: `make test` installs it")
        pytest.skip(f"{SPEC_JSON} is missing: run `make test` to install it")
    return json.loads(SPEC_JSON.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def examples() -> list[dict]:
    return load_examples()


def source_of(example: dict) -> str:
    # The spec writes a tab as →.
    return example["markdown"].replace("\u2192", "\t")


def resolved(briefing: Briefing) -> set[str]:
    return {link.url for link in (*briefing.links, *(c.link for c in briefing.ctas))
            if link.url}


def test_the_spec_is_all_there(examples):
    assert len(examples) == 652
    assert len({e["section"] for e in examples}) == 26


def test_every_spec_example_exports_to_text_and_email_with_its_links(examples):
    rendered = refused = links = 0
    for example in examples:
        number = example["number"]
        # Once as a body under a headline, once as the whole file (the first line becomes
        # the headline, and `---` may open front matter).
        for text in (f"Example {number}\n\n" + source_of(example), source_of(example)):
            try:
                briefing = parse(text, Path(f"example-{number}.md"), SETTINGS)
            except SourceError:
                refused += 1
                continue
            try:
                wire, _ = render(briefing, "txt", SETTINGS)
                email, _ = render(briefing, "html", SETTINGS)
                check_briefing(briefing, SETTINGS)
            except BriefexportError:
                refused += 1
                continue
            except Exception as exc:  # a foreign error: the case to keep as a regression
                pytest.fail(f"spec example {number} broke: {type(exc).__name__}: {exc}")
            rendered += 1
            hrefs = set(lxml_html.fromstring(email.encode("utf-8")).xpath("//a/@href"))
            for url in resolved(briefing):
                links += 1
                assert url in wire, (number, url)
                assert url in hrefs, (number, url)
    # Every example renders as a body; as a whole file a few have no headline line.
    assert rendered >= 652 + 500
    assert links > 100
    assert refused < 150


def test_every_spec_section_exports_to_pdf_with_its_links(examples):
    sections: dict[str, list[dict]] = {}
    for example in examples:
        sections.setdefault(example["section"], []).append(example)
    for name, members in sections.items():
        text = f"Spec: {name}\n\n" + "\n\n".join(source_of(e) for e in members)
        briefing = parse(text, Path("section.md"), SETTINGS)
        pdf, _ = render(briefing, "pdf", SETTINGS)
        linked = uris(pdf)
        for url in resolved(briefing):
            if url.startswith(("https:", "http:", "mailto:")):
                assert url in linked, (name, url)


# --------------------------------------------------------------------------- regressions

REGRESSIONS = FIXTURES / "regressions"

#: file → what it once did wrong, and the error it must now give (None: it must export).
EXPECTED = {
    "date-month-13.md": "month must be in 1..12",
    "date-year-0.md": "year 0 is out of range",
    "deep-yaml.md": "nested too deeply",
    "deep-quotes.md": None,
    "deep-lists.md": None,
    "deep-emphasis.md": None,
    "tab-in-autolink-scheme.md": None,
    "control-characters-in-title.md": None,
}


def test_every_regression_fixture_is_listed():
    assert sorted(p.name for p in REGRESSIONS.glob("*.md")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_regression(name):
    path = REGRESSIONS / name
    if EXPECTED[name] is not None:
        with pytest.raises(SourceError) as info:
            read(path, SETTINGS)
        assert EXPECTED[name] in str(info.value)
        return
    briefing = read(path, SETTINGS)
    outputs = {fmt: render(briefing, fmt, SETTINGS)[0] for fmt in ("txt", "html", "pdf")}
    wire, email = outputs["txt"], outputs["html"]
    assert "KEEP-ME" in wire and "KEEP-ME" in lxml_html.fromstring(email).text_content()
    pdf_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(outputs["pdf"])).pages)
    assert "KEEP-ME" in pdf_text.replace("\u2010\n", "").replace("\n", "")
    assert "java%09script" not in wire and "java%09script" not in email
    assert not any(ord(c) < 32 and c not in "\n\t" for c in briefing.meta.headline)
