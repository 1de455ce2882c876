"""Client details of the HTML email: table header scopes, and what keeps iOS from restyling
dates, addresses and numbers."""

from __future__ import annotations

import re

import pytest
from conftest import RICH
from emailkit import EDITIONS, EXAMPLE_SOURCES, rendered, rendered_edition
from lxml import html as lhtml

from briefexport.writers.email.button import MAX_WIDTH, PAD_X, button_box


def documents():
    return [*(rendered(s).html for s in EXAMPLE_SOURCES),
            *(rendered_edition(e).html for e in EDITIONS)]


def test_header_cells_name_their_column():
    doc = lhtml.fromstring(rendered(RICH).html.encode("utf-8"))
    headers = doc.xpath("//td[contains(@class,'bx-text')]//th")
    assert len(headers) == 4
    assert {th.get("scope") for th in headers} == {"col"}
    # ...and the risk table's header cells name their row (overall, then each category).
    rows = doc.xpath("//table[contains(@class,'bx-risk-table')]//th")
    assert len(rows) == 4 and {th.get("scope") for th in rows} == {"row"}
    assert len(doc.xpath("//th")) == 8


@pytest.mark.parametrize("index", range(len(EXAMPLE_SOURCES) + len(EDITIONS)))
def test_ios_keeps_its_hands_off(index):
    html = documents()[index]
    doc = lhtml.fromstring(html.encode("utf-8"))
    metas = {m.get("name"): m.get("content") for m in doc.xpath("//head/meta[@name]")}
    assert "x-apple-disable-message-reformatting" in metas
    assert {"telephone=no", "date=no", "address=no"} <= {
        part.strip() for part in (metas.get("format-detection") or "").split(",")}
    styles = " ".join(doc.xpath("//head/style/text()"))
    assert "a[x-apple-data-detectors]" in styles


@pytest.mark.parametrize("index", range(len(EXAMPLE_SOURCES) + len(EDITIONS)))
def test_the_preview_text_is_hidden_from_outlook_too_and_not_by_colour(index):
    doc = lhtml.fromstring(documents()[index].encode("utf-8"))
    body = doc.xpath("//body")[0]
    preview = body[0]
    style = preview.get("style", "").replace(" ", "")
    assert "display:none" in style and "mso-hide:all" in style
    # White text and 1px fonts are what spam filters score as hidden text.
    assert "color" not in style and "font-size" not in style
    assert preview.text_content().strip()


def test_the_specific_call_to_action_comes_first_and_as_the_button():
    """Burkina Faso's body ends with the portal's front page, its front matter offers the route
    map: the map is the button, first; the portal follows as a link."""
    doc = lhtml.fromstring(rendered(RICH).html.encode("utf-8"))
    buttons = [" ".join(a.text_content().split()) for a in doc.xpath("//td[contains("
               "concat(' ', @class, ' '), ' bx-button ')]//a")]
    links = [" ".join(a.text_content().split()) for a in doc.iter("a")]
    assert buttons == ["Download the route risk map →"]
    assert links.index("Download the route risk map →") < links.index("Client Portal →")


def test_a_briefing_with_only_the_portals_call_to_action_keeps_its_button():
    from emailkit import EXAMPLE_SOURCES as sources

    seed = next(s for s in sources if s.stem == "mali-second-coup")
    doc = lhtml.fromstring(rendered(seed).html.encode("utf-8"))
    buttons = [" ".join(a.text_content().split()) for a in doc.xpath("//td[contains("
               "concat(' ', @class, ' '), ' bx-button ')]//a")]
    assert buttons == ["Client Portal →"]


# ---- the call-to-action button in Outlook for Windows

def every_email():
    """Each example, and each edition in full and as teasers: (name, final HTML)."""
    return [*((s.stem, rendered(s).html) for s in EXAMPLE_SOURCES),
            *((f"{e.stem}-{mode}", rendered_edition(e, mode=mode).html)
              for e in EDITIONS for mode in ("full", "teaser"))]


EMAILS = every_email()

_MSO_ONLY = re.compile(r"<!--\[if mso(?: \| IE)?\]>(.*?)<!\[endif\]-->", re.S)
_NOT_MSO = re.compile(r"<!--\[if !mso(?: \| IE)?\]><!-->.*?<!--<!\[endif\]-->", re.S)


def as_outlook(html: str) -> str:
    """The HTML Word renders: what ``[if mso]`` hides from others shown, ``[if !mso]`` gone."""
    return _MSO_ONLY.sub(lambda m: m.group(1), _NOT_MSO.sub("", html))


def buttons(html: str) -> list[tuple[str, str]]:
    """(href, label) of MJML's buttons, as every client but Outlook for Windows shows them."""
    doc = lhtml.fromstring(html.encode("utf-8"))
    return [(a.get("href"), " ".join(a.text_content().split())) for a in doc.xpath(
        "//td[contains(concat(' ', @class, ' '), ' bx-button ')]//a")]


def vml_buttons(html: str) -> list[tuple[str, str, str]]:
    """(href, label, style) of the VML buttons in the HTML Outlook for Windows renders."""
    shapes = re.findall(r'<v:roundrect\b([^>]*)>(.*?)</v:roundrect>', as_outlook(html), re.S)
    found = []
    for attrs, inner in shapes:
        href = lhtml.fromstring(f"<a {attrs}></a>").get("href")
        style = re.search(r'style="([^"]*)"', attrs).group(1)
        label = " ".join(lhtml.fromstring(f"<div>{inner}</div>").text_content().split())
        found.append((href, label, style))
    return found


@pytest.mark.parametrize(("name", "html"), EMAILS, ids=[n for n, _ in EMAILS])
def test_outlook_for_windows_gets_a_button_that_is_a_link_over_its_whole_area(name, html):
    """Word ignores a link's padding: MJML's button is clickable on its text alone there.
    Each button is a VML shape for Outlook instead, the same link with the same words, and
    Outlook sees only the shape (the conditional markup survived MJML and the inliner)."""
    ordinary = buttons(html)
    assert ordinary, name
    assert [(href, label) for href, label, _ in vml_buttons(html)] == ordinary
    assert buttons(as_outlook(html)) == []  # no second, half-clickable button
    # ...and no other client sees the shape: it is inside a comment for them.
    doc = lhtml.fromstring(html.encode("utf-8"))
    assert not [e for e in doc.iter() if isinstance(e.tag, str) and "roundrect" in e.tag]


@pytest.mark.parametrize(("name", "html"), EMAILS, ids=[n for n, _ in EMAILS])
def test_the_outlook_button_is_sized_for_its_label(name, html):
    for _, label, style in vml_buttons(html):
        width = int(re.search(r"width:(\d+)px", style).group(1))
        height = int(re.search(r"height:(\d+)px", style).group(1))
        assert (width, height) == (button_box(label).width, button_box(label).height)
        assert 2 * PAD_X < width <= MAX_WIDTH and height >= 48


def test_a_long_label_wraps_inside_a_taller_shape_at_the_widest():
    box = button_box("Read the full assessment of fuel convoy routes around Ouagadougou →")
    assert box.width == MAX_WIDTH and box.height == 2 * 20 + 2 * 14
    assert button_box("Go →").width < button_box("Client Portal →").width < MAX_WIDTH
