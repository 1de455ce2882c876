"""The HTML email, parsed with lxml."""

from __future__ import annotations

import dataclasses
import re

import pytest
from click.testing import CliRunner
from conftest import CONFIG, PORTAL, RICH, SEED, SEED_LINKS
from emailkit import ESPS, EXAMPLE_SOURCES, example_settings, rendered
from lxml import html as lhtml

from briefexport.api import render
from briefexport.cli import main
from briefexport.render.context import RenderContext
from briefexport.source.briefing import read
from briefexport.source.typography import smarten
from briefexport.writers import get_format
from briefexport.writers.email.html import preheader


def parse(path):
    return lhtml.fromstring(path.read_bytes())


def test_seed_email_links_and_button(seed_outputs):
    doc = parse(seed_outputs["html"])
    hrefs = {a.text_content().strip(): a.get("href") for a in doc.iter("a")}
    for name, url in SEED_LINKS.items():
        assert hrefs[name] == url
    buttons = [a for a in doc.iter("a") if a.get("href") == PORTAL]
    assert len(buttons) == 1
    assert "Client Portal" in buttons[0].text_content()
    # The button is MJML's bulletproof table button: a bgcolor cell around the link.
    cell = buttons[0].getparent()
    assert cell.tag == "td" and cell.get("bgcolor")


def test_seed_email_head(seed_outputs):
    doc = parse(seed_outputs["html"])
    assert doc.get("lang") == "en"
    viewport = doc.xpath("//meta[@name='viewport']/@content")
    assert viewport and "width=device-width" in viewport[0]
    assert doc.xpath("//title")[0].text == (
        "MALI: Second coup d’état another blow for anti-terror efforts")
    assert not doc.xpath("//script")
    assert not doc.xpath("//link[@rel='stylesheet']")
    assert "fonts.googleapis.com" not in seed_outputs["html"].read_text(encoding="utf-8")


def test_preview_text_is_the_summary(seed_outputs):
    doc = parse(seed_outputs["html"])
    body = doc.xpath("//body")[0]
    first = body[0]
    assert "display:none" in first.get("style", "").replace(" ", "")
    assert first.text_content().startswith("The second coup d’état in less than a year")


def test_language_comes_from_the_briefing(write_source):
    path = write_source("---\ntitle: Coup\nlang: fr\n---\nTexte.\n")
    out, _ = render(read(path), "html")
    assert lhtml.fromstring(out.encode()).get("lang") == "fr"


def test_mjml_looking_text_stays_text(write_source):
    path = write_source("---\ntitle: '</mj-text><mj-raw><script>x</script></mj-raw> & <b>'\n---\n"
                        "Body </mj-text><mj-button href='https://evil.example/'>Pay</mj-button> "
                        "a < b.\n")
    out, _ = render(read(path), "html")
    doc = lhtml.fromstring(out.encode())
    assert not doc.xpath("//script")
    assert not [a for a in doc.iter("a") if "evil" in (a.get("href") or "")]
    assert smarten("</mj-text><mj-button href='https://evil.example/'>Pay</mj-button> a < b.",
                   "en") in (
        doc.text_content())


def test_rich_email_table_list_and_two_ctas(rich_outputs):
    doc = parse(rich_outputs["html"])
    assert doc.xpath("//table//th[normalize-space()='Corridor']")
    assert len(doc.xpath("//ol/li")) == 3
    hrefs = [a.get("href") for a in doc.iter("a")]
    assert PORTAL in hrefs
    assert "https://portal.meridian-risk.example/maps/burkina-faso-routes" in hrefs


# ---- preheader, head, inlined CSS, size budget

FILLER = "\u034f\u200c\u00a0"


def preheader_div(html: str):
    body = lhtml.fromstring(html.encode("utf-8")).xpath("//body")[0]
    return body[0]


@pytest.mark.parametrize("source", EXAMPLE_SOURCES, ids=lambda p: p.stem)
def test_preheader_first_hidden_sized_and_padded(source):
    div = preheader_div(rendered(source).html)
    style = div.get("style").replace(" ", "")
    assert "display:none" in style and "max-height:0" in style
    content = div.text_content()
    text = content.rstrip(FILLER)
    assert 40 <= len(text) <= 100, text
    padding = content[len(text):]
    assert len(padding) >= 3 * (150 - len(text)) - 2 and set(padding) <= set(FILLER)


def test_rich_preheader_is_its_summary_cut_at_a_word():
    text = preheader_div(rendered(RICH).html).text_content().rstrip(FILLER)
    assert text == ("A JNIM blockade of fuel convoys is squeezing the capital’s supply lines "
                    "and raising the risk of…")


def test_short_summary_is_lengthened_from_the_lead(write_source):
    path = write_source("---\ntitle: Port closed\nsummary: Port shut.\n---\n"
                        "Port shut. The authorities closed the port of Tema on Monday after "
                        "a strike by dock workers over unpaid wages.\n")
    text = preheader(read(path))
    assert 40 <= len(text) <= 100
    assert text.startswith("Port shut. The authorities closed the port of Tema")


def test_tiny_briefing_preheader_uses_the_headline(write_source):
    path = write_source("---\ntitle: Coup attempt foiled in the capital\nslug: GUINEA\n---\n"
                        "Calm.\n")
    text = preheader(read(path))
    assert text == "Calm. GUINEA: Coup attempt foiled in the capital"


@pytest.mark.parametrize("source", EXAMPLE_SOURCES, ids=lambda p: p.stem)
@pytest.mark.parametrize("esp", ESPS)
def test_nothing_active_and_nothing_external(source, esp):
    html = rendered(source, esp).html
    doc = lhtml.fromstring(html.encode("utf-8"))
    for tag in ("script", "form", "iframe", "object", "embed", "link", "input", "base"):
        assert not doc.xpath(f"//{tag}"), tag
    assert "@import" not in html and "javascript:" not in html.lower()
    assert not [e for e in doc.iter() if any(a.lower().startswith("on") for a in e.attrib)]


def test_dark_mode_head(seed_outputs):
    html = seed_outputs["html"].read_text(encoding="utf-8")
    doc = parse(seed_outputs["html"])
    assert doc.xpath("//meta[@name='color-scheme']/@content") == ["light dark"]
    assert doc.xpath("//meta[@name='supported-color-schemes']/@content") == ["light dark"]
    css = "\n".join(s.text_content() for s in doc.xpath("//style"))
    assert "@media (prefers-color-scheme: dark)" in css
    assert re.search(r"\[data-ogsc\] \.bx-text a[^{]*\{ color: #[0-9a-f]{6} !important", css)
    assert re.search(r"\[data-ogsb\] \.bx-card[^{]*\{ background", css)
    assert "@media only screen and (min-width:480px)" in html  # MJML's responsive rules kept


def test_css_is_inlined_and_outlook_comments_survive(settings):
    briefing = read(RICH, settings)
    writer = get_format("html").briefing()
    compiled = writer._mjml2html(writer.mjml(briefing, RenderContext(settings)), fonts={})
    final = rendered(RICH).html
    for marker in ("<!--[if mso | IE]>", "<![endif]-->", "<!--[if mso]>",
                   "<!--[if lte mso 11]>", "<!--[if !mso]><!-->", "<o:OfficeDocumentSettings>"):
        assert final.count(marker) == compiled.count(marker) > 0, marker
    doc = lhtml.fromstring(final.encode("utf-8"))
    # The body's own CSS now sits on the elements, for Gmail's apps.
    body_links = doc.xpath("//td[contains(@class,'bx-text')]//a")
    assert body_links and all("color: #12355b" in a.get("style", "") for a in body_links)
    cells = doc.xpath("//td[contains(@class,'bx-text')]//th")
    assert cells and all("font-size: 15px" in c.get("style", "") for c in cells)


@pytest.mark.parametrize("source", EXAMPLE_SOURCES, ids=lambda p: p.stem)
def test_declared_font_sizes(source):
    """Nothing under 14px but the hidden preheader (1px) and MJML's layout cells (0px)."""
    html = rendered(source).html
    sizes = [float(s) for s in re.findall(r"font-size:\s*([\d.]+)px", html)]
    assert sizes and all(s >= 14 or s in (0, 1) for s in sizes), sorted(set(sizes))
    doc = lhtml.fromstring(html.encode("utf-8"))
    text_divs = doc.xpath("//td[contains(@class,'bx-text')]/div")
    assert text_divs and all("font-size:16px" in d.get("style").replace(" ", "")
                             for d in text_divs)


def test_example_config_gives_no_email_warnings():
    for source in EXAMPLE_SOURCES:
        for esp in ESPS:
            warnings = rendered(source, esp).warnings
            if esp == "generic":
                # The example's unsubscribe page is one for everyone: fine for the footer,
                # never a one-click header, and the .eml says why it has none.
                assert len(warnings) == 1 and warnings[0].startswith(
                    "List-Unsubscribe left out of the .eml"), warnings
            else:
                assert warnings == (), (source, esp)


def test_size_budget_warnings(write_source):
    base = example_settings("generic")
    big = write_source("---\ntitle: Long\n---\n" + "\n\n".join(
        f"Paragraph {n}: " + "the convoy was attacked near the border again. " * 20
        for n in range(110)) + "\n")
    html, warnings = render(read(big, base), "html", base)
    size = len(html.encode("utf-8"))
    assert size > 102_000
    (clip,) = [w for w in warnings if w.code == "email-clipped"]
    assert f"{size / 1000:.1f} kB" in clip.message and "Gmail clips" in clip.message

    smaller = base.replace(email=dataclasses.replace(base.email, size_warning_kb=10))
    html, warnings = render(read(RICH, smaller), "html", smaller)
    assert 10_000 < len(html.encode()) < 102_000
    assert [w.code for w in warnings] == ["email-size"]


def test_clipped_email_fails_under_strict_and_writes_nothing(write_source, tmp_path):
    big = write_source("Long\n\n" + "\n\n".join(
        "Attacks on the corridor continued through the week. " * 20 for _ in range(110)))
    out = tmp_path / "out"
    args = ["export", str(big), "--config", str(CONFIG), "-o", str(out), "-f", "html"]
    result = CliRunner().invoke(main, [*args, "--strict"])
    assert result.exit_code == 1
    assert "Gmail clips messages at 102 kB" in result.stderr
    assert not out.exists() or not any(out.iterdir())
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0 and "Gmail clips" in result.stderr
    assert (out / "brief.html").stat().st_size > 102_000


def test_seed_size_is_well_under_budget():
    for esp in ESPS:
        assert len(rendered(SEED, esp).html.encode()) < 90_000
