"""Hostile text stays text in every output: no markup, no script links, no templates, no
injected headers, and the PDF fetches nothing it is not allowed to."""

from __future__ import annotations

import email
import email.policy
import http.server
import io
import re
import threading
from email.message import EmailMessage
from typing import ClassVar

import pikepdf
import pytest
from lxml import etree
from lxml import html as lxml_html
from pdfread import uris
from pypdf import PdfReader

from briefexport.api import ExportOptions, export_one
from briefexport.config import PortalSettings, Settings
from briefexport.source.briefing import read
from briefexport.source.typography import smarten

HOSTILE = """\
---
title: "Coup {{ 7*7 }}\\r\\nBcc: victim@example.com\\r\\n\\r\\n<b>body</b>"
slug: MALI
date: 2026-05-25
author: "</mj-text><mj-raw><p id=\\"author-injected\\">x</p></mj-raw><mj-text>"
summary: "Preview <script>alert('summary')</script> {{ 7*7 }} stays text."
cta:
  - label: "Run it </mj-button><mj-raw><p id=\\"cta-injected\\">x</p></mj-raw> »"
    url: "javascript:alert('cta')"
  - label: "Safe portal »"
    url: "https://portal.example/ok"
---

Raw <script>alert('body')</script> and <img src=x onerror=alert(1)> stay text.

<div onclick="alert(2)">a raw block</div>

Jinja {{ 7*7 }} and {% if true %}JINJA{% endif %} and {{ lipsum() }} stay.

MJML </mj-text><mj-raw><p id="body-injected">x</p></mj-raw><mj-text> stays text.

Refused: [one](javascript:alert(1)), [two](JaVaScRiPt:alert(2)), [three](&#106;avascript:alert(3)),
[four](<java\tscript:alert(4)>), [five](vbscript:msgbox(5)), [six](file:///etc/passwd),
[seven](data:text/html;base64,PHNjcmlwdD4=), [eight]( javascript:alert(8)).

Kept: [the report](https://ok.example/report) and <https://auto.example/x>.

![svg](data:image/svg+xml;base64,PHN2Zz48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+PC9zdmc+)
![pixel](data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==)
"""

REFUSED_TEXTS = ("one", "two", "three", "four", "five", "six", "seven", "eight")
# Source text stays text, set as prose is: its straight quotes become typographic ones.
LITERALS = tuple(smarten(s, "en") for s in (
    "<script>alert('body')</script>", "<img src=x onerror=alert(1)>", "{{ 7*7 }}",
    "{% if true %}JINJA{% endif %}", "{{ lipsum() }}", "</mj-text><mj-raw>"))
ALLOWED_URLS = {"https://ok.example/report", "https://auto.example/x",
                "https://portal.example/ok"}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    source = folder / "hostile.md"
    source.write_text(HOSTILE, encoding="utf-8")
    settings = Settings(portal=PortalSettings(url=None))
    result = export_one(source, settings, ExportOptions(out_dir=folder / "out"))
    assert result.ok, result.error
    files = {p.suffix.lstrip("."): p for p in result.files}
    return source, result, files


def squash(text: str) -> str:
    """Whitespace and the report's hyphenation breaks removed, to search laid-out text."""
    return re.sub(r"\s+", "", text.replace("\u2010\n", "").replace("\u00ad", ""))


def test_every_refused_link_is_warned_about_and_keeps_its_text(hostile):
    source, result, _ = hostile
    refused = [w for w in result.warnings if w.code == "refused-link"]
    # 8 body links, the front-matter call to action and the SVG image.
    assert len(refused) == 10
    briefing = read(source, Settings())
    assert {link.text: link.url for link in briefing.links if link.text in REFUSED_TEXTS} == {
        text: None for text in REFUSED_TEXTS}


def test_email_has_no_injected_markup_and_no_script_links(hostile):
    _, _, files = hostile
    tree = lxml_html.fromstring(files["html"].read_bytes())
    assert tree.xpath("//script") == []
    assert tree.xpath("//iframe|//object|//embed|//form") == []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        assert not any(name.lower().startswith("on") for name in element.attrib), element.tag
        assert not element.tag.startswith("mj-"), element.tag
    assert tree.xpath("//*[@id='body-injected' or @id='author-injected' or @id='cta-injected']"
                      ) == []
    hrefs = set(tree.xpath("//a/@href"))
    assert hrefs == ALLOWED_URLS
    sources = tree.xpath("//img/@src")
    assert all(s.startswith("data:image/png;") for s in sources), sources
    text = tree.text_content()
    for literal in LITERALS:
        assert literal in text, literal
    for word in REFUSED_TEXTS:
        assert re.search(rf"\b{word}\b", text)
    assert "49" not in text and "JINJA" in text


def test_email_title_and_preview_stay_text(hostile):
    _, _, files = hostile
    tree = lxml_html.fromstring(files["html"].read_bytes())
    title = tree.findtext(".//title")
    assert title == "MALI: Coup {{ 7*7 }} Bcc: victim@example.com <b>body</b>"
    assert "\n" not in title and "\r" not in title
    assert smarten("Preview <script>alert('summary')</script> {{ 7*7 }} stays text.", "en") in (
        tree.text_content())


def test_pdf_shows_the_text_and_links_only_where_allowed(hostile):
    _, _, files = hostile
    reader = PdfReader(io.BytesIO(files["pdf"].read_bytes()))
    text = squash("\n".join(page.extract_text() for page in reader.pages))
    for literal in LITERALS:
        assert squash(literal) in text, literal
    assert "49" not in text
    linked = uris(files["pdf"])
    assert linked <= ALLOWED_URLS | {"https://portal.example/ok"}
    assert "https://ok.example/report" in linked
    with pikepdf.open(files["pdf"]) as pdf:
        names = {str(k) for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary)
                 for k in obj}
    assert "/JS" not in names and "/JavaScript" not in names and "/Launch" not in names


def test_text_keeps_everything_as_written_and_no_script_url(hostile):
    _, _, files = hostile
    text = files["txt"].read_text(encoding="utf-8")
    joined = " ".join(text.split())
    for literal in LITERALS:
        assert literal in joined, literal
    assert "49" not in text
    lowered = re.sub(r"\s+", "", text.lower())
    for scheme in ("javascript:", "vbscript:", "file:", "data:text"):
        assert scheme not in lowered
    assert "Run it" in text and "Safe portal >> https://portal.example/ok" in text


def test_headline_cannot_inject_mail_headers(hostile):
    source, _, _ = hostile
    briefing = read(source, Settings())
    headline = briefing.meta.headline
    assert not any(c in headline for c in "\r\n\x0b\x0c\x85\u2028\u2029")
    message = EmailMessage(policy=email.policy.SMTP)
    message["Subject"] = headline
    message["To"] = "client@example.com"
    message.set_content("body")
    parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    assert parsed["Bcc"] is None
    assert parsed["Subject"] == headline
    assert list(parsed.keys()) == ["Subject", "To", "Content-Type",
                                   "Content-Transfer-Encoding", "MIME-Version"]


# --------------------------------------------------------------------------- PDF sandbox


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.requests.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server():
    _Recorder.requests = []
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", _Recorder.requests
    httpd.shutdown()
    httpd.server_close()


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8cf0000000301010018dd8db00000000049454e44ae426082")


def test_pdf_fetches_no_resource_of_any_type_outside_the_sandbox(tmp_path, server):
    base, requests = server
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "leak.png").write_bytes(PNG)
    (secret / "leak.css").write_text("body { color: red }")
    theme = tmp_path / "theme"
    (theme / "styles").mkdir(parents=True)
    (theme / "templates" / "pdf").mkdir(parents=True)
    (theme / "styles" / "report.css").write_text(
        f"@import url({base}/import.css);\n"
        f"@font-face {{ font-family: X; src: url({base}/font.woff); }}\n"
        f"body {{ background: url({base}/background.png); font-family: X; }}\n"
        f"li {{ list-style-image: url(file://{secret}/leak.png); }}\n"
        f"h1 {{ background-image: url(../../secret/leak.png); }}\n")
    (theme / "templates" / "pdf" / "report.html.j2").write_text(
        '<!DOCTYPE html><html><head><title>{{ meta.headline }}</title>'
        f'<link rel="stylesheet" href="{base}/link.css">'
        f'<link rel="stylesheet" href="file://{secret}/leak.css">'
        f'<style>@import "{base}/style-import.css";</style></head><body>'
        f'<img src="{base}/img.png"><object data="{base}/object.svg"></object>'
        f'<embed src="{base}/embed.png"><iframe src="{base}/frame.html"></iframe>'
        f'<svg width="10" height="10"><image href="{base}/svg-image.png" width="10" '
        'height="10"/></svg>'
        f'<video poster="{base}/poster.png"></video>'
        '<h1>{{ meta.title }}</h1><ul><li>item</li></ul>'
        '{% for article in articles %}{{ article.html }}{% endfor %}</body></html>')
    source = tmp_path / "brief" / "brief.md"
    source.parent.mkdir()
    (source.parent / "allowed.png").write_bytes(PNG)
    source.write_text(f"MALI: Sandbox\n\n![allowed](allowed.png) ![remote]({base}/source.png) "
                      f"![absolute]({secret}/leak.png) ![relative](../secret/leak.png) "
                      f"![file](file://{secret}/leak.png)\n")
    settings = Settings(themes=(theme,))
    result = export_one(source, settings, ExportOptions(out_dir=tmp_path / "out",
                                                        formats=("pdf",)))
    assert result.ok, result.error
    assert requests == []
    blocked = [w.message for w in result.warnings if w.code == "blocked-resource"]
    assert any(f"{base}/source.png" in m for m in blocked)
    assert any("leak.png" in m for m in blocked)
    # Only the one image beside the briefing is embedded; everything outside stayed out.
    pages = PdfReader(io.BytesIO(result.files[0].read_bytes())).pages
    assert sum(len(page.images) for page in pages) == 1


def test_text_outputs_are_well_formed_for_xml_readers(hostile):
    # MJML output is HTML, not XML, but lxml's HTML parser must see one document.
    _, _, files = hostile
    tree = lxml_html.fromstring(files["html"].read_bytes())
    assert tree.tag == "html"
    assert len(tree.xpath("//body")) == 1
    assert etree.tostring(tree)  # serialises without errors


def test_front_matter_and_config_urls_obey_the_same_scheme_rules(write_source):
    path = write_source(
        "---\ntitle: T\nlinks:\n  Chad: ' javascript:alert(1)'\n"
        "cta:\n  - label: Map\n    url: \"data:text/html,<script>x</script>\"\n---\n"
        "See [Chad](#) and [Mali](#) and [spaced](#).\n")
    settings = Settings(links={"Mali": "VBScript:msgbox(1)",
                               "spaced": " https://ok.example/a\x07b c "})
    briefing = read(path, settings)
    assert {link.text: link.url for link in briefing.links} == {
        "Chad": None, "Mali": None, "spaced": "https://ok.example/a%07b%20c"}
    assert briefing.ctas[0].url is None
    assert sum(w.code == "refused-link" for w in briefing.warnings) == 3


def test_eml_headers_cannot_be_injected_and_parts_stay_text(hostile, tmp_path):
    source, _, _ = hostile
    result = export_one(source, Settings(portal=PortalSettings(url=None)),
                        ExportOptions(out_dir=tmp_path, formats=("eml",)))
    assert result.ok, result.error
    raw = result.files[0].read_bytes()
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Bcc"] is None
    assert message.get_all("Subject") == [
        "MALI: Coup {{ 7*7 }} Bcc: victim@example.com <b>body</b>"]
    header_block = raw.split(b"\r\n\r\n", 1)[0] if b"\r\n\r\n" in raw else raw.split(
        b"\n\n", 1)[0]
    assert b"\nBcc:" not in header_block and b"\r\nBcc:" not in header_block
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert smarten("<script>alert('body')</script>", "en") in " ".join(plain.split())
    tree = lxml_html.fromstring(html.encode("utf-8"))
    assert tree.xpath("//script") == []
    assert "{{ 7*7 }}" in tree.text_content() and "49" not in tree.text_content()
    for href in tree.xpath("//a/@href"):
        assert href.startswith(("https://", "mailto:")), href
