"""The HTML email, parsed with lxml."""

from __future__ import annotations

from conftest import PORTAL, SEED_LINKS
from lxml import html as lhtml

from briefexport.api import render
from briefexport.reader import read


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
        "MALI: Second coup d'état another blow for anti-terror efforts")
    assert not doc.xpath("//script")
    assert not doc.xpath("//link[@rel='stylesheet']")
    assert "fonts.googleapis.com" not in seed_outputs["html"].read_text(encoding="utf-8")


def test_preview_text_is_the_summary(seed_outputs):
    doc = parse(seed_outputs["html"])
    body = doc.xpath("//body")[0]
    first = body[0]
    assert "display:none" in first.get("style", "").replace(" ", "")
    assert first.text_content().startswith("The second coup d'état in less than a year")


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
    assert "</mj-text><mj-button href='https://evil.example/'>Pay</mj-button> a < b." in (
        doc.text_content())


def test_rich_email_table_list_and_two_ctas(rich_outputs):
    doc = parse(rich_outputs["html"])
    assert doc.xpath("//table//th[normalize-space()='Corridor']")
    assert len(doc.xpath("//ol/li")) == 3
    hrefs = [a.get("href") for a in doc.iter("a")]
    assert PORTAL in hrefs
    assert "https://portal.meridian-risk.example/maps/burkina-faso-routes" in hrefs
