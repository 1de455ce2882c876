"""Client details of the HTML email: table header scopes, and what keeps iOS from restyling
dates, addresses and numbers."""

from __future__ import annotations

import pytest
from conftest import RICH
from emailkit import EDITIONS, EXAMPLE_SOURCES, rendered, rendered_edition
from lxml import html as lhtml


def documents():
    return [*(rendered(s).html for s in EXAMPLE_SOURCES),
            *(rendered_edition(e).html for e in EDITIONS)]


def test_header_cells_name_their_column():
    doc = lhtml.fromstring(rendered(RICH).html.encode("utf-8"))
    headers = doc.xpath("//th")
    assert len(headers) == 4
    assert {th.get("scope") for th in headers} == {"col"}


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
