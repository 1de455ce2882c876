"""Property tests: whatever the source, the tool either exports it or raises its own error,
and every link it resolved reaches every output.

Bounded for a two-core CI: the reader, the text and the email get many examples; the PDF,
which takes a WeasyPrint layout per example, gets few.  Examples are derandomised so that a
CI run is repeatable; nothing is stored between runs.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html
from pdfread import uris

from briefexport.api import render
from briefexport.config import PortalSettings, Settings
from briefexport.errors import BriefexportError
from briefexport.model import Briefing
from briefexport.source.briefing import parse

SETTINGS = Settings(portal=PortalSettings(url="https://portal.example/briefings"),
                    links={"Chad": "https://portal.example/chad"})

FAST = settings(max_examples=800, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SLOW = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# --------------------------------------------------------------------------- strategies

ODD_URLS = [
    "https://example.com/a", "HTTPS://EXAMPLE.COM/UPPER", "https://example.com/ünïcödé",
    "https://example.com/?q=<a>&b=\"c\"", "https://example.com/(paren)", "http://plain.example/",
    "mailto:desk@example.com", "tel:+441234", "ftp://files.example/x", "//proto.example/x",
    "/relative/path", "relative.html", "#section", "#", "", "javascript:alert(1)",
    "JaVaScRiPt:alert(1)", "vbscript:x", "file:///etc/passwd", "data:text/html,<b>x</b>",
    "data:image/png;base64,AAAA", "https://example.com/%20space", "https://ex.example/a_b*c*",
    "https://例え.jp/パス", "https://example.com/" + "long" * 40,
]

unicode_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",),
                           exclude_characters="\x00"),
    max_size=30)
words = st.one_of(
    st.sampled_from(["convoy", "Chad", "coup d'état", "Ouagadougou", "TK", "{{ 7*7 }}",
                     "<script>x</script>", "&amp;", "&#0;", "\\*", "`", "*", "_", "[", "]",
                     "»", ">>", "→", "é", "中文", "🇲🇱", "\u200b", "\u202e", "\t", "  "]),
    unicode_text)
urls = st.one_of(st.sampled_from(ODD_URLS), unicode_text.map(lambda t: "https://x.example/" + t))


@st.composite
def inline(draw: st.DrawFn, depth: int = 0) -> str:
    kind = draw(st.sampled_from(["word", "word", "em", "strong", "code", "link", "ref",
                                 "image", "auto", "strike", "break"]))
    if depth > 2:
        kind = "word"
    if kind == "word":
        return draw(words)
    if kind in ("em", "strong", "strike"):
        mark = {"em": "*", "strong": "**", "strike": "~~"}[kind]
        return mark + draw(inline(depth + 1)) + mark
    if kind == "code":
        return "`" + draw(words) + "`"
    if kind == "link":
        title = draw(st.sampled_from(["", ' "a title"']))
        return f"[{draw(inline(depth + 1))}](<{draw(urls)}>{title})"
    if kind == "ref":
        return f"[{draw(words)}][r]"
    if kind == "image":
        return f"![{draw(words)}]({draw(urls)})"
    if kind == "auto":
        return f"<{draw(urls)}>"
    return "  \n"


paragraph = st.lists(inline(), min_size=1, max_size=8).map(" ".join)


@st.composite
def block(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["p", "p", "p", "h", "ul", "ol", "quote", "code", "table",
                                 "cta", "html", "hr", "raw"]))
    if kind == "p":
        return draw(paragraph)
    if kind == "h":
        return "#" * draw(st.integers(1, 6)) + " " + draw(paragraph)
    if kind in ("ul", "ol"):
        items = draw(st.lists(paragraph, min_size=1, max_size=4))
        indent = draw(st.integers(0, 3))
        return "\n".join(" " * (indent * (i % 2)) + ("1. " if kind == "ol" else "- ") + item
                         for i, item in enumerate(items))
    if kind == "quote":
        return "\n".join("> " + line for line in draw(st.lists(paragraph, min_size=1,
                                                                max_size=3)))
    if kind == "code":
        return "```" + draw(st.sampled_from(["", "python", "{{x}}"])) + "\n" + draw(
            unicode_text) + "\n```"
    if kind == "table":
        cols = draw(st.integers(1, 3))
        rows = draw(st.lists(st.lists(paragraph, min_size=cols, max_size=cols), max_size=3))
        head = "| " + " | ".join(f"h{i}" for i in range(cols)) + " |"
        sep = "|" + "|".join(draw(st.sampled_from(["---", ":--", "--:", ":-:"]))
                             for _ in range(cols)) + "|"
        return "\n".join([head, sep] + ["| " + " | ".join(c.replace("|", "\\|") for c in r)
                                        + " |" for r in rows])
    if kind == "cta":
        return f"[{draw(words)} {draw(st.sampled_from(['>>', '»', '›', '→']))}]({draw(urls)})"
    if kind == "html":
        return "<div onclick=\"x()\">" + draw(words) + "</div>"
    if kind == "hr":
        return "---"
    return draw(unicode_text)


yaml_values = st.one_of(
    st.none(), st.booleans(), st.integers(-10, 10**6), unicode_text,
    st.sampled_from(["2026-05-25", "2026-13-45", "soon", "[a, b", "{a: 1}", "|", "&a", "*a",
                     "!!binary AAAA", "'quoted'", "\"dq\\u0000\"", "2026-05-25 10:00:00"]),
    st.lists(unicode_text, max_size=3))
front_matter_keys = st.sampled_from(["title", "slug", "date", "author", "tags", "lang",
                                     "summary", "classification", "cta", "links", "extra"])


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    if not draw(st.booleans()):
        return ""
    lines = []
    for key in draw(st.lists(front_matter_keys, max_size=5, unique=True)):
        if key == "cta":
            lines.append(f"cta:\n  - label: {draw(words)!r}\n    url: {draw(urls)!r}")
        elif key == "links":
            lines.append(f"links:\n  Chad: {draw(urls)!r}")
        else:
            value = draw(yaml_values)
            lines.append(f"{key}: {value!r}" if draw(st.booleans()) else f"{key}: {value}")
    closing = draw(st.sampled_from(["---", "---", "...", ""]))
    return "---\n" + "\n".join(lines) + "\n" + closing + "\n"


@st.composite
def briefing_source(draw: st.DrawFn) -> str:
    headline = draw(st.sampled_from(["MALI: Coup", "# NIGER: Junta", "Plain headline", ""]))
    blocks = draw(st.lists(block(), max_size=6))
    refs = draw(st.sampled_from(["", "\n\n[r]: https://ref.example/r \"Ref\""]))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = draw(front_matter()) + headline + "\n\n" + "\n\n".join(blocks) + refs + "\n"
    return text.replace("\n", newline)


# --------------------------------------------------------------------------- properties


def read_or_none(text: str) -> Briefing | None:
    """The briefing, or None when the reader refused it with its own error."""
    try:
        return parse(text, Path("fuzz.md"), SETTINGS)
    except BriefexportError:
        return None


def resolved_urls(briefing: Briefing) -> set[str]:
    return {link.url for link in briefing.links if link.url} | {
        c.url for c in briefing.ctas if c.url}


def hrefs(html: str) -> set[str]:
    tree = lxml_html.fromstring(html.encode("utf-8"))
    return set(tree.xpath("//a/@href"))


# Found by this test: front-matter URLs were kept raw (a trailing space, a control character)
# while the outputs normalised them, so the link was not the same in every output.
CTA_URL_CASE = "---\ncta:\n  - label: 'convoy'\n    url: 'https://x.example/{}'\n---\nT\n"


@FAST
@given(briefing_source())
@example(CTA_URL_CASE.format("\\x1f"))
@example(CTA_URL_CASE.format(" "))
def test_reader_text_and_email_never_fail_with_a_foreign_error(text):
    briefing = read_or_none(text)
    if briefing is None:
        return
    try:
        wire, _ = render(briefing, "txt", SETTINGS)
        email, _ = render(briefing, "html", SETTINGS)
    except BriefexportError:
        return
    assert isinstance(wire, str) and wire.endswith("ENDS\n")
    links = hrefs(email)
    for url in resolved_urls(briefing):
        assert url in wire, url
        assert url in links, url
    for url in links:
        assert not url.strip().lower().startswith(("javascript:", "vbscript:", "file:")), url
    assert briefing.meta.headline == " ".join(briefing.meta.headline.split())


@FAST
@given(st.text(max_size=400))
def test_any_text_reads_or_fails_with_a_source_error(text):
    briefing = read_or_none(text)
    if briefing is not None:
        render(briefing, "txt", SETTINGS)


@FAST
@given(st.binary(max_size=200))
def test_any_bytes_fail_cleanly(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("bytes") / "b.md"
    path.write_bytes(data)
    from briefexport.source.briefing import read
    try:
        read(path, SETTINGS)
    except BriefexportError as exc:
        assert "\n" not in str(exc)


@SLOW
@given(briefing_source())
def test_pdf_never_fails_with_a_foreign_error_and_keeps_every_link(text):
    briefing = read_or_none(text)
    if briefing is None:
        return
    try:
        pdf, _ = render(briefing, "pdf", SETTINGS)
    except BriefexportError:
        return
    linked = uris(pdf)
    for url in resolved_urls(briefing):
        if url.lower().startswith(("https:", "http:", "mailto:")):
            assert url in linked, (url, linked)
