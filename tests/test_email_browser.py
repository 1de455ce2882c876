"""The email in a real browser: Debian's Chromium driven by Playwright, with axe-core injected.

Phone (375 px) and desktop (600 px) widths, light and dark colour schemes.  Screenshots and
axe's findings go to tests/artifacts/ for a person to look at.  Locally these tests skip when
Chromium or the npm tools are missing; under CI (the CI variable set) they fail instead.
"""

from __future__ import annotations

import json

import pytest
from conftest import PORTAL, ROOT
from emailkit import EXAMPLE_SOURCES, axe_script, chromium, rendered, require

ARTIFACTS = ROOT / "tests" / "artifacts"
AXE_RULES = ["color-contrast", "link-name", "image-alt", "html-has-lang"]
WIDTHS = (375, 600)
SCHEMES = ("light", "dark")


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def axe_source():
    return axe_script().read_text(encoding="utf-8")


#: Where the example config hosts the figures; the browser gets them from examples/ instead.
ASSETS = "https://assets.meridian-risk.example/briefings/"


def serve(route, requests: list[str]) -> None:
    """A figure at the example's asset URL comes from examples/ (a mail client fetches it from
    the desk's server); any other request is refused and recorded."""
    url = route.request.url
    local = ROOT / "examples" / url[len(ASSETS):] if url.startswith(ASSETS) else None
    if local and local.resolve().is_relative_to(ROOT / "examples") and local.is_file():
        route.fulfill(path=str(local))
    else:
        requests.append(url)
        route.abort()


def open_email(browser, html: str, width: int, scheme: str):
    page = browser.new_page(viewport={"width": width, "height": 800})
    # Nothing may leave the machine: an email must not need the network to render (but for
    # its figures, which a mail client fetches from [email] asset_base_url).
    requests: list[str] = []
    page.route("**/*", lambda route: serve(route, requests))
    page.emulate_media(color_scheme=scheme)
    page.set_content(html, wait_until="load")
    page.requests = requests  # type: ignore[attr-defined]
    return page


CASES = [(s, w, c) for s in EXAMPLE_SOURCES for w in WIDTHS for c in SCHEMES]


@pytest.mark.parametrize(("source", "width", "scheme"), CASES,
                         ids=[f"{s.stem}-{w}-{c}" for s, w, c in CASES])
def test_layout_and_accessibility(browser, axe_source, source, width, scheme):
    html = rendered(source, "mailchimp").html
    page = open_email(browser, html, width, scheme)
    try:
        assert page.requests == []

        # No horizontal scrolling at phone or desktop width.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{overflow}px of horizontal overflow"

        # The call to action: visible, inside the viewport, at least 44 x 44 px.
        cta = page.locator(f'a[href^="{PORTAL}?"]')
        assert cta.count() == 1
        assert cta.is_visible()
        box = cta.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, box
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, box

        # Body text at 16 px; no visible text under 14 px outside the legal footer.
        sizes = page.evaluate("""() => [...document.querySelectorAll('.bx-text p, .bx-text li')]
            .map(e => parseFloat(getComputedStyle(e).fontSize))""")
        assert sizes and min(sizes) >= 16, sizes
        small = page.evaluate("""() => {
            const out = [];
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const node = walker.currentNode, el = node.parentElement;
                if (!node.textContent.trim() || !el.checkVisibility()) continue;
                if (el.closest('.bx-muted')) continue;  // the legal footer
                const size = parseFloat(getComputedStyle(el).fontSize);
                if (size < 14) out.push([node.textContent.trim().slice(0, 40), size]);
            }
            return out;
        }""")
        assert small == []

        # Dark mode really applies: the card and the body text change colour.
        card_bg = page.evaluate(
            "getComputedStyle(document.querySelector('.bx-card')).backgroundColor")
        text_colour = page.evaluate(
            "getComputedStyle(document.querySelector('.bx-text p')).color")
        if scheme == "dark":
            assert (card_bg, text_colour) == ("rgb(27, 33, 41)", "rgb(230, 233, 237)")
        else:
            assert (card_bg, text_colour) == ("rgb(255, 255, 255)", "rgb(31, 35, 40)")

        page.add_script_tag(content=axe_source)
        result = page.evaluate(
            "rules => axe.run(document, {runOnly: {type: 'rule', values: rules}})", AXE_RULES)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = f"email-{source.stem}-{width}-{scheme}"
        summary = {
            "violations": [{"id": v["id"], "nodes": [n["html"][:200] for n in v["nodes"]]}
                           for v in result["violations"]],
            "passes": {p["id"]: len(p["nodes"]) for p in result["passes"]},
            "incomplete": {i["id"]: len(i["nodes"]) for i in result["incomplete"]},
        }
        (ARTIFACTS / f"{name}.axe.json").write_text(json.dumps(summary, indent=2))
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        assert summary["violations"] == []
        # The rules ran and found something to check (not an empty pass).
        assert summary["passes"].get("color-contrast", 0) > 10
        assert summary["passes"].get("link-name", 0) >= 3
        assert summary["passes"].get("html-has-lang") == 1
    finally:
        page.close()


def test_axe_does_flag_poor_contrast(browser, axe_source):
    """The accessibility check can fail: the same email with grey-on-white body text."""
    html = rendered(EXAMPLE_SOURCES[0], "mailchimp").html.replace(
        "</head>", "<style>.bx-text p { color: #bbbbbb !important; }</style></head>")
    page = open_email(browser, html, 600, "light")
    try:
        page.add_script_tag(content=axe_source)
        result = page.evaluate(
            "rules => axe.run(document, {runOnly: {type: 'rule', values: rules}})", AXE_RULES)
        assert "color-contrast" in [v["id"] for v in result["violations"]]
    finally:
        page.close()


def test_images_keep_their_alt_text(browser, axe_source, write_source):
    """No example has an image, so one is made here: axe's image-alt rule must pass on it."""
    from emailkit import example_settings

    from briefexport.api import render
    from briefexport.source.briefing import read

    settings = example_settings("mailchimp")
    path = write_source("---\ntitle: Routes\ndate: 2026-01-05\n---\nThe corridors:\n\n"
                        "![Map of the N1 and N4 corridors](https://maps.example/routes.png)\n")
    html, _ = render(read(path, settings), "html", settings)
    page = open_email(browser, html, 375, "light")
    try:
        assert page.locator('img[alt="Map of the N1 and N4 corridors"]').count() == 1
        page.add_script_tag(content=axe_source)
        result = page.evaluate(
            "rules => axe.run(document, {runOnly: {type: 'rule', values: rules}})", AXE_RULES)
        assert result["violations"] == []
        assert [p["id"] for p in result["passes"] if p["id"] == "image-alt"] == ["image-alt"]
        # The image never pushes the layout wider than a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        page.close()


EDITION_CASES = [(m, w, c) for m in ("full", "teaser") for w in WIDTHS for c in SCHEMES]


@pytest.mark.parametrize(("mode", "width", "scheme"), EDITION_CASES,
                         ids=[f"edition-{m}-{w}-{c}" for m, w, c in EDITION_CASES])
def test_edition_layout_contents_and_accessibility(browser, axe_source, mode, width, scheme):
    import dataclasses

    from emailkit import EDITIONS, example_settings

    from briefexport.render.context import RenderContext
    from briefexport.source.edition import read_edition
    from briefexport.writers import get_format

    base = example_settings("mailchimp")
    settings = base.replace(edition=dataclasses.replace(base.edition, email_mode=mode))
    edition = read_edition(EDITIONS[0], settings)
    html = get_format("html").edition().render(edition, RenderContext(settings))
    page = open_email(browser, html, width, scheme)
    try:
        assert page.requests == []
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{overflow}px of horizontal overflow"
        # Every button: visible and at least 44 px tall, within the viewport.
        buttons = page.locator(".bx-button a")
        # Teasers: a button per story; in full, the portal's shared button shows once.
        assert buttons.count() >= (len(edition.briefings) if mode == "teaser" else 2)
        for i in range(buttons.count()):
            box = buttons.nth(i).bounding_box()
            assert box["height"] >= 44 and 0 <= box["x"] <= box["x"] + box["width"] <= width
        # The contents list jumps to each story inside the email.
        for index in range(len(edition.briefings)):
            anchor = edition.anchor(index)
            page.evaluate("window.scrollTo(0, 0)")
            page.locator(f'a[href="#{anchor}"]').click()
            top, at_end = page.evaluate(
                f"""[document.getElementById('{anchor}').getBoundingClientRect().top,
                     Math.abs(window.scrollY + innerHeight
                              - document.documentElement.scrollHeight) <= 2]""")
            # The story's anchor is at the top of the window, or the window is at the end.
            assert abs(top) <= 2 or (at_end and 0 <= top < 800), (anchor, top)
            assert page.evaluate("window.scrollY") > 0
        page.evaluate("window.scrollTo(0, 0)")
        if scheme == "dark":
            assert page.evaluate("getComputedStyle(document.querySelector('.bx-card'))"
                                 ".backgroundColor") == "rgb(27, 33, 41)"
            # The rule between stories takes the dark canvas colour, not a white line.
            assert page.evaluate(
                "getComputedStyle(document.querySelector('.bx-story > table > tbody > tr > td'))"
                ".borderTopColor") == page.evaluate("getComputedStyle(document.body)"
                                                    ".backgroundColor")
        page.add_script_tag(content=axe_source)
        result = page.evaluate(
            "rules => axe.run(document, {runOnly: {type: 'rule', values: rules}})", AXE_RULES)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"edition-{mode}-{width}-{scheme}.png"),
                        full_page=True)
        assert [v["id"] for v in result["violations"]] == []
        assert {p["id"] for p in result["passes"]} >= {"color-contrast", "link-name",
                                                       "html-has-lang"}
    finally:
        page.close()


#: Labels that stress the width estimate: wide, narrow, capitals, digits, accents.
HARD_LABELS = ("WWW MMM @@@ →", "illi ftjr →", "Read more: BURKINA FASO →", "0123456789 →",
               "Téléchargez la carte des risques →", "Über die Lage in Ouagadougou →")


def test_the_outlook_button_is_wide_enough_for_its_label_in_arial(browser):
    """Outlook for Windows draws the button as a VML shape of a size fixed in advance.  Each
    example's labels and some hard ones, measured in Arial Bold's metrics (Liberation Sans,
    metric-compatible), must fit in it, or Word wraps them out of the shape."""
    from test_email_clients import vml_buttons

    from briefexport.writers.email.button import PAD_X, button_box

    labels = {label for s in EXAMPLE_SOURCES for _, label, _ in vml_buttons(rendered(s).html)}
    page = browser.new_page(viewport={"width": 800, "height": 600})
    try:
        for label in sorted(labels | set(HARD_LABELS)):
            text_width, fallback = page.evaluate(
                """label => [`bold 16px "Liberation Sans", monospace`, 'bold 16px monospace']
                   .map(font => { const s = document.createElement('span');
                     s.style.cssText = `font: ${font}; white-space: nowrap`;
                     s.textContent = label; document.body.appendChild(s);
                     return s.getBoundingClientRect().width; })""", label)
            require(text_width != fallback, "the Liberation Sans font (fonts-liberation2)")
            room = button_box(label).width - 2 * PAD_X
            assert text_width <= room, (label, text_width, room)
            # ...and not absurdly wider: a button is as long as its words.
            assert room <= text_width * 1.2 + 8, (label, text_width, room)
    finally:
        page.close()
