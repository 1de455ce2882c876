"""The intelligence product in the HTML email and the .eml: TLP marking and classification,
risk rating, key judgements, figures, contact, disclaimer and copyright.

Read back with real readers: lxml on the final HTML, the standard library's ``email`` parser
on the .eml, and Debian's Chromium with axe-core for the labels' contrast and the figure's
width on a phone.
"""

from __future__ import annotations

import dataclasses
import email
from email import policy

import pytest
from conftest import PORTAL, RICH, SEED
from emailkit import axe_script, chromium, example_settings, rendered
from lxml import html as lhtml

from briefexport import colour
from briefexport.api import render
from briefexport.choices import TLP_COLOURS
from briefexport.render.context import RenderContext
from briefexport.source.briefing import read
from briefexport.source.edition import read_edition
from briefexport.writers import get_format

ASSET_BASE = "https://assets.meridian-risk.example/briefings/"
FIGURE_ALT = ("Schematic map of Burkina Faso: the N1 corridor to Abidjan and the N4 to Lomé are "
              "restricted, with attacks along both; the N3 to Tema is open")
FIGURE_CAPTION = ("Fuel corridors into Ouagadougou and attacks since October. Source: "
                  "Meridian Risk Intelligence")


def doc_of(html: str):
    return lhtml.fromstring(html.encode("utf-8"))


def words(element) -> str:
    return " ".join(element.text_content().split())


def style_of(element) -> dict[str, str]:
    """An element's inline style as a map, names and values lower-cased."""
    pairs = (d.split(":", 1) for d in (element.get("style") or "").split(";") if ":" in d)
    return {k.strip().lower(): v.strip().lower() for k, v in pairs}


def position(doc, element) -> int:
    """``element``'s place in document order."""
    return next(i for i, e in enumerate(doc.iter()) if e is element)


@pytest.fixture(scope="module")
def rich():
    """Burkina Faso with the example config, UTM parameters on (generic profile)."""
    return rendered(RICH, "generic")


@pytest.fixture(scope="module")
def rich_doc(rich):
    return doc_of(rich.html)


# ---------------------------------------------------------------- handling: TLP, classification


def test_tlp_label_in_firsts_colour_on_black_at_the_start_of_the_body(rich_doc):
    (label,) = rich_doc.xpath("//span[contains(@class,'bx-tlp')]")
    assert words(label) == "TLP:AMBER"
    style = style_of(label)
    assert style["color"] == TLP_COLOURS["TLP:AMBER"].lower() == "#ffc000"
    assert style["background-color"] == "#000000"
    assert colour.contrast(style["color"], style["background-color"]) >= 4.5
    # The first thing the card shows: before the slug and the headline.
    h1 = rich_doc.xpath("//h1")[0]
    kicker = rich_doc.xpath("//td[contains(@class,'bx-kicker')]")[0]
    assert position(rich_doc, label) < position(rich_doc, kicker) < position(rich_doc, h1)
    # ...and nothing visible but the preheader comes before it in the body.
    body = rich_doc.xpath("//body")[0]
    def preheader(e) -> bool:
        return any("bx-preheader" in (a.get("class") or "") for a in (e, *e.iterancestors()))

    before = [e for e in body.iter() if isinstance(e.tag, str) and (e.text or "").strip()
              and position(rich_doc, e) < position(rich_doc, label) and not preheader(e)]
    assert [words(e) for e in before] == ["Meridian Risk Intelligence"]  # the masthead


def test_classification_beside_the_label_in_brand_colours(rich_doc):
    (label,) = rich_doc.xpath("//span[contains(@class,'bx-classification')]")
    assert words(label) == "CLIENT CONFIDENTIAL"
    tlp = rich_doc.xpath("//span[contains(@class,'bx-tlp')]")[0]
    assert label.getparent() is tlp.getparent()  # the same row
    assert style_of(label)["color"] == "#12355b"  # the brand colour, readable on white
    assert colour.contrast("#12355b", "#ffffff") >= 4.5


def test_subject_and_title_carry_marking_then_classification(rich, rich_doc):
    subject = ("[TLP:AMBER] [CLIENT CONFIDENTIAL] BURKINA FASO: Jihadist fuel blockade "
               "tightens around Ouagadougou")
    msg = email.message_from_bytes(rich.eml, policy=policy.default)
    assert msg["Subject"] == subject
    assert rich_doc.xpath("//title")[0].text == subject


def test_seed_without_handling_has_its_plain_headline_and_no_label():
    out = rendered(SEED, "generic")
    doc = doc_of(out.html)
    headline = "MALI: Second coup d’état another blow for anti-terror efforts"
    assert email.message_from_bytes(out.eml, policy=policy.default)["Subject"] == headline
    assert doc.xpath("//title")[0].text == headline
    assert not doc.xpath("//span[contains(@class,'bx-tlp') or contains(@class,'bx-level')]")
    assert not doc.xpath("//*[contains(@class,'bx-judgements')]")


def test_a_classification_alone_leads_the_subject(write_source):
    settings = example_settings("generic")
    path = write_source("---\ntitle: Port strike spreads\nslug: GHANA\ndate: 2026-01-05\n"
                        "classification: RESTRICTED\nmarking: red\n---\nDockers struck.\n")
    data, _ = render(read(path, settings), "eml", settings)
    subject = email.message_from_bytes(data, policy=policy.default)["Subject"]
    assert subject == "[TLP:RED] [RESTRICTED] GHANA: Port strike spreads"
    path = write_source("---\ntitle: Port strike spreads\nslug: GHANA\ndate: 2026-01-05\n"
                        "classification: RESTRICTED\n---\nDockers struck.\n", "b.md")
    data, _ = render(read(path, settings), "eml", settings)
    subject = email.message_from_bytes(data, policy=policy.default)["Subject"]
    assert subject == "[RESTRICTED] GHANA: Port strike spreads"


# ---------------------------------------------------------------- risk rating


def test_risk_rating_in_words_near_the_headline_with_its_categories(rich_doc):
    settings = example_settings("generic")
    (table,) = rich_doc.xpath("//table[contains(@class,'bx-risk-table')]")
    rows = [(words(tr.xpath("th")[0]), words(tr.xpath("td")[0])) for tr in table.iter("tr")]
    assert rows == [("Overall risk", "High ↑ Rising"), ("Security", "Extreme"),
                    ("Political", "High"), ("Operational", "High")]
    # Between the headline and the key judgements.
    h1 = rich_doc.xpath("//h1")[0]
    box = rich_doc.xpath("//table[contains(@class,'bx-box')]")[0]
    assert position(rich_doc, h1) < position(rich_doc, table) < position(rich_doc, box)
    # Each level's label: its word, on the configured colour, text at 4.5:1 or more.
    labels = table.xpath(".//span[contains(@class,'bx-level')]")
    assert [words(s) for s in labels] == ["High", "Extreme", "High", "High"]
    for span in labels:
        background, text = settings.risk.palette(words(span).lower())
        style = style_of(span)
        assert (style["background-color"], style["color"]) == (background.lower(), text.lower())
        assert colour.contrast(style["color"], style["background-color"]) >= 4.5
    # The arrow is shown beside the trend's word, and hidden from screen readers.
    assert table.xpath(".//span[@aria-hidden='true']/text()") == ["↑"]


# ---------------------------------------------------------------- key judgements


def test_key_judgements_boxed_first_with_stamped_links(rich_doc):
    (box,) = rich_doc.xpath("//table[contains(@class,'bx-box')]")
    heading = box.xpath(".//h2")
    assert [words(h) for h in heading] == ["Key judgements"]
    items = [words(li) for li in box.xpath(".//ul/li")]
    assert items == [
        "JNIM’s blockade of the N1 and N4 corridors will very likely outlast the dry season.",
        "Diesel rationing in Ouagadougou makes protests over fuel likely within weeks.",
        "Escorted convoys are no safer than unescorted ones; see our previous assessment."]
    assert box.xpath(".//li[1]/strong/text()") == ["N1 and N4 corridors"]
    # A box: its cell has a background and a rule of its own.
    cell = box.xpath(".//td[contains(@class,'bx-box-cell')]")[0]
    assert "background-color" in style_of(cell) and "border-left" in style_of(cell)
    # Before the body: the body's first heading follows it.
    overview = rich_doc.xpath("//h2[normalize-space()='Overview']")[0]
    assert position(rich_doc, box) < position(rich_doc, overview)
    # Its link is the placeholder resolved and stamped with the campaign, as in the body.
    (link,) = box.xpath(".//a")
    body_links = [a.get("href") for a in rich_doc.xpath(
        "//td[contains(@class,'bx-text') and not(contains(@class,'bx-judgements'))]//a")
        if words(a) == "previous assessment"]
    assert body_links == [link.get("href")]
    assert link.get("href") == ("https://portal.meridian-risk.example/briefings/"
                                "2026-09-burkina-faso-convoys?utm_source=briefing&"
                                "utm_medium=email&utm_campaign=burkina-faso-2026-11-20")


# ---------------------------------------------------------------- figures


def test_figure_is_the_hosted_image_with_alt_width_and_caption(rich, rich_doc):
    (img,) = rich_doc.xpath("//img")
    assert img.get("src") == ASSET_BASE + "maps/burkina-faso-corridors.png"
    assert img.get("alt") == FIGURE_ALT
    assert img.get("width") == "552"  # the 600 px email less its 24 px sides, for Outlook
    style = style_of(img)
    assert style["width"] == "100%" and style["max-width"] == "552px"
    assert style["height"] == "auto"
    caption = img.getparent().getnext()
    assert words(caption) == f"Figure 1: {FIGURE_CAPTION}"
    assert not [w for w in rich.warnings if "figure" in w.lower()]


def test_an_absolute_https_image_is_used_as_it_is(write_source):
    settings = example_settings("generic")
    path = write_source("---\ntitle: Routes\ndate: 2026-01-05\n---\nThe corridors:\n\n"
                        '![Map of the corridors](https://cdn.example/maps/r.png "Corridors.")\n\n'
                        "![Second map](maps/second.png)\n")
    html, warnings = render(read(path, settings), "html", settings)
    imgs = doc_of(html).xpath("//img")
    assert [(i.get("src"), i.get("alt"), i.get("width")) for i in imgs] == [
        ("https://cdn.example/maps/r.png", "Map of the corridors", "552"),
        (ASSET_BASE + "maps/second.png", "Second map", "552")]
    assert not [w for w in warnings if w.code == "figure-url"]


def test_without_a_base_url_the_caption_links_to_the_portal_and_warns():
    base = example_settings("generic")
    settings = base.replace(email=dataclasses.replace(base.email, asset_base_url=None))
    briefing = read(RICH, settings)
    html, warnings = render(briefing, "html", settings)
    doc = doc_of(html)
    assert not doc.xpath("//img")
    (caption,) = doc.xpath("//p[contains(@class,'bx-caption')]")
    assert words(caption).startswith(f"Figure 1: {FIGURE_CAPTION}")
    (link,) = caption.xpath(".//a")
    assert link.get("href").split("?")[0] == PORTAL
    assert "utm_campaign=burkina-faso-2026-11-20" in link.get("href")
    assert "Client Portal" in words(link)
    (warning,) = [w for w in warnings if w.code == "figure-url"]
    assert "figure 1" in warning.message and "maps/burkina-faso-corridors.png" in warning.message
    assert warning.line == briefing.figures[0].line and warning.path == str(RICH)


# ---------------------------------------------------------------- contact, disclaimer, copyright


def test_contact_closes_the_body_with_mailto_and_tel(rich_doc):
    (para,) = rich_doc.xpath("//td[contains(@class,'bx-contact')]//p")
    assert words(para) == ("Questions: Amina Traoré, Sahel Desk, "
                           "sahel-desk@meridian-risk.example, +44 20 7946 0321")
    assert [a.get("href") for a in para.iter("a")] == [
        "mailto:sahel-desk@meridian-risk.example", "tel:+442079460321"]
    # After every part of the body, the calls to action included, and before the footer.
    portal = [a for a in rich_doc.iter("a") if (a.get("href") or "").startswith(PORTAL + "?")]
    footer = rich_doc.xpath("//td[contains(@class,'bx-muted')]")[0]
    assert position(rich_doc, portal[-1]) < position(rich_doc, para) < position(rich_doc,
                                                                                  footer)


def test_the_seed_gets_the_configs_contact():
    doc = doc_of(rendered(SEED, "generic").html)
    (para,) = doc.xpath("//td[contains(@class,'bx-contact')]//p")
    assert words(para) == "Questions: Sahel Desk, sahel-desk@meridian-risk.example, " \
                          "+44 20 7946 0300"
    assert [a.get("href") for a in para.iter("a")] == [
        "mailto:sahel-desk@meridian-risk.example", "tel:+442079460300"]


@pytest.mark.parametrize("source", [RICH, SEED], ids=lambda p: p.stem)
def test_disclaimer_and_copyright_close_the_footer(source):
    settings = example_settings("generic")
    doc = doc_of(rendered(source, "generic").html)
    footer = [words(td) for td in doc.xpath("//td[contains(@class,'bx-muted')]")]
    assert footer[-2:] == [settings.brand.disclaimer, settings.brand.copyright]
    assert footer[0].startswith("Meridian Risk Intelligence")


# ---------------------------------------------------------------- editions


def write_edition(tmp_path, markings):
    names = []
    for n, marking in enumerate(markings):
        line = f"marking: {marking}\n" if marking else ""
        (tmp_path / f"s{n}.md").write_text(
            f"---\ntitle: Story {n}\nslug: PLACE{n}\ndate: 2026-11-2{n}\n{line}"
            f"summary: A summary of story {n} that is long enough for a preview.\n---\n"
            f"Body of story {n}.\n", encoding="utf-8")
        names.append(f'"s{n}.md"')
    path = tmp_path / "weekly.toml"
    path.write_text(f'title = "Weekly"\nnumber = 3\nbriefings = [{", ".join(names)}]\n',
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("mode", ["full", "teaser"])
def test_edition_carries_the_most_restrictive_marking_on_top_and_each_storys_own(
        tmp_path, mode):
    base = example_settings("generic")
    settings = base.replace(edition=dataclasses.replace(base.edition, email_mode=mode))
    edition = read_edition(write_edition(tmp_path, ["TLP:GREEN", "amber+strict", None]),
                           settings)
    html = get_format("html").edition().render(edition, RenderContext(settings))
    doc = doc_of(html)
    assert doc.xpath("//title")[0].text == "[TLP:AMBER+STRICT] Weekly, No. 3"
    labels = doc.xpath("//span[contains(@class,'bx-tlp')]")
    # The top, then the first two stories (the third has no marking).
    assert [words(s) for s in labels] == ["TLP:AMBER+STRICT", "TLP:GREEN", "TLP:AMBER+STRICT"]
    assert [style_of(s)["color"] for s in labels] == ["#ffc000", "#33ff00", "#ffc000"]
    assert {style_of(s)["background-color"] for s in labels} == {"#000000"}
    contents = doc.xpath("//a[@href='#story-1']")[0]
    assert position(doc, labels[0]) < position(doc, contents)
    # Each story's label sits in that story's section, after its jump target.
    for index, text in ((0, "TLP:GREEN"), (1, "TLP:AMBER+STRICT")):
        target = doc.xpath(f"//a[@name='story-{index + 1}']")[0]
        (row,) = target.xpath("ancestor::td[1]")
        assert [words(s) for s in row.xpath(".//span[contains(@class,'bx-tlp')]")] == [text]
    third = doc.xpath("//a[@name='story-3']")[0].xpath("ancestor::td[1]")[0]
    assert not third.xpath(".//span[contains(@class,'bx-tlp')]")


# ---------------------------------------------------------------- in Chromium


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


LABELS = ".bx-tlp, .bx-level, .bx-classification"


def label_contrast(page) -> dict:
    """axe's color-contrast rule run on the labels alone."""
    page.add_script_tag(content=axe_script().read_text(encoding="utf-8"))
    return page.evaluate(
        """sel => axe.run(document.querySelectorAll(sel),
                          {runOnly: {type: 'rule', values: ['color-contrast']}})""", LABELS)


def painted(page) -> list[list[str]]:
    """Each label's words, text colour and background as the browser paints them."""
    return page.evaluate("""sel => [...document.querySelectorAll(sel)].map(e => {
        const s = getComputedStyle(e); return [e.textContent, s.color, s.backgroundColor]; })""",
                         LABELS)


@pytest.mark.parametrize("scheme", ["light", "dark", "outlook.com"])
def test_labels_keep_their_colours_and_contrast_in_light_and_dark(browser, scheme):
    from test_email_browser import open_email

    html = rendered(RICH, "mailchimp").html
    if scheme == "outlook.com":
        # Outlook.com's dark mode marks what it recolours: its [data-ogsc]/[data-ogsb] rules
        # apply, in a browser that is otherwise light.
        html = html.replace("<body", "<body data-ogsc data-ogsb", 1)
    page = open_email(browser, html, 375, "dark" if scheme == "dark" else "light")
    try:
        card = page.evaluate("getComputedStyle(document.querySelector('.bx-card'))"
                             ".backgroundColor")
        # The dark styles did apply around the labels...
        assert card == ("rgb(255, 255, 255)" if scheme == "light" else "rgb(27, 33, 41)")
        seen = {text: (fg, bg) for text, fg, bg in painted(page)}
        # ...and never to the labels' own colours.
        assert seen["TLP:AMBER"] == ("rgb(255, 192, 0)", "rgb(0, 0, 0)")
        assert seen["High"] == ("rgb(0, 0, 0)", "rgb(245, 124, 0)")
        assert seen["Extreme"] == ("rgb(255, 255, 255)", "rgb(198, 40, 40)")
        result = label_contrast(page)
        assert result["violations"] == []
        [passed] = [p for p in result["passes"] if p["id"] == "color-contrast"]
        assert len(passed["nodes"]) == 6  # TLP, classification, 4 levels
    finally:
        page.close()


def test_axe_does_flag_a_label_recoloured_in_dark_mode(browser):
    """The check above can fail: a dark style that turns the orange label's text white."""
    from test_email_browser import open_email

    html = rendered(RICH, "mailchimp").html.replace(
        "</head>", "<style>@media (prefers-color-scheme: dark) { .bx-level-3 "
        "{ color: #ffffff !important; } }</style></head>")
    page = open_email(browser, html, 375, "dark")
    try:
        result = label_contrast(page)
        flagged = [n["html"] for v in result["violations"] for n in v["nodes"]]
        assert len(flagged) == 3 and all(">High<" in h for h in flagged)
    finally:
        page.close()


@pytest.mark.parametrize("width", [375, 600])
def test_the_figure_is_fluid_on_a_phone(browser, width):
    from test_email_browser import open_email

    page = open_email(browser, rendered(RICH, "mailchimp").html, width, "light")
    try:
        assert page.requests == []
        img = page.locator("img")
        img.scroll_into_view_if_needed()
        page.wait_for_function("document.querySelector('img').complete")
        assert page.evaluate("document.querySelector('img').naturalWidth") == 1600  # it loaded
        box = img.bounding_box()
        column = width - 2 * 24 if width < 600 else 552
        assert box["width"] == pytest.approx(column, abs=1)
        assert box["height"] == pytest.approx(column * 1000 / 1600, abs=2)  # its own ratio
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
    finally:
        page.close()
