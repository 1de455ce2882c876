"""What briefexport's email uses on purpose, knowing some clients lack it, and what they get.

One entry per caniemail feature the built-in templates (MJML's output, the body renderer's HTML
and the inliner's) use where a client of ``choices.CLIENT_FAMILIES`` lacks it in whole or in
part.  Each says what those clients get instead, or that the email keeps to the part they
support (the parts caniemail's notes say they lack).  Where that can be read from the email,
``holds`` checks it on every email the lint sees, so that a template or a theme that stops
keeping to it turns the info back into a warning.

A feature the email uses that is not here is reported as a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from briefexport.commands.clientsupport.reader import Fact, Usage
from briefexport.record import record

Check = Callable[[Usage], bool]


def _always(usage: Usage) -> bool:
    return True


@record
class Fallback:
    says: str
    """What the clients that lack the feature get, or why the email's use of it is safe."""
    holds: Check = _always
    """Whether ``says`` is true of an email."""
    then: str = ""
    """What to do where it is not."""


# --------------------------------------------------------------------------- checks


def declared(usage: Usage, prop: str) -> list[tuple[str, str]]:
    """(element or ``""`` for a style sheet, value) of each declaration of ``prop`` or of one of
    its sides' properties (``margin-top`` for ``margin``)."""
    return usage.declared.get(prop, [])


def only(prop: str, *values: str) -> Check:
    """Every value of ``prop`` is one of ``values``."""
    return lambda usage: all(value in values for _, value in declared(usage, prop))


def never(*facts: Fact) -> Check:
    return lambda usage: not usage.facts & set(facts)


def none_match(prop: str, pattern: str) -> Check:
    """No value of ``prop`` matches ``pattern`` (a regular expression)."""
    return lambda usage: not any(re.search(pattern, value) for _, value in declared(usage, prop))


def attribute_only_on(attribute: str, *tags: str) -> Check:
    return lambda usage: all(f[1] in tags for f in usage.facts
                             if f[0] == "element-attribute" and f[2] == attribute)


def every(*checks: Check) -> Check:
    return lambda usage: all(check(usage) for check in checks)


def _sized_images(usage: Usage) -> bool:
    return ("unsized", "img") not in usage.facts


def _borders(usage: Usage) -> bool:
    # Outlook for Windows: no border over 8px, and none it can trust on a <p> or a <div>
    # (but MJML's divider, whose ghost table it draws instead; see reader.py).
    widths = [float(n) for _, value in declared(usage, "border")
              for n in re.findall(r"(?<![\w.])(\d+(?:\.\d+)?)px", value)]
    return all(w <= 8 for w in widths) and not any(f[0] == "border-on" for f in usage.mso)


def _exact_line_heights(usage: Usage) -> bool:
    # Outlook for Windows misreads px and em line heights without mso-line-height-rule.
    return all(f[3] == "exactly" for f in usage.mso
               if f[0] == "line-height" and re.search(r"\d(px|em)\b", f[2]))


def _hidden_everywhere(usage: Usage) -> bool:
    # Outlook for Windows: display:none is not inherited by nested tables, nor works on <img>.
    return all(f[1] != "img" and f[2] == "all" for f in usage.facts if f[0] == "display-none")


def uses(prop: str) -> Check:
    return lambda usage: ("property", prop) in usage.facts


def _pixels_per_inch(usage: Usage) -> bool:
    percent = any(f[:3] == ("element-attribute", "img", "width") and f[3].endswith("%")
                  for f in usage.facts)
    return ("mso-pixels-per-inch", "96") in usage.facts and not percent


def _plain_lists(usage: Usage) -> bool:
    return ("attribute", "reversed") not in usage.facts and not any(
        f[:3] == ("element-attribute", "li", "value") for f in usage.facts)


# --------------------------------------------------------------------------- the fallbacks

_LIGHT = ("clients without it show the light palette, which is inlined and keeps 4.5:1 "
          "contrast on its own")
_INLINED = ("every rule that styles the light layout is inlined too; what stays only in "
            "<style> (dark mode, MJML's wide-screen widths, Apple's and Outlook.com's own "
            "rules) is extra")
_IMAGE_WIDTH = ("Outlook for Windows shows an image without a width attribute at its own "
                "width: give each image one")

FALLBACKS: dict[str, Fallback] = {
    # Layout: MJML's columns, and the ghost tables Outlook for Windows reads instead.
    "css-at-media": Fallback(
        "without it MJML's columns stack at full width; Outlook for Windows lays them out by "
        "the ghost tables in its conditional comments",
        never(("nested-at-rule", "media", "media"))),
    "css-display": Fallback(
        "only block, inline-block and none, no flex or grid; Outlook for Windows, which reads "
        "none alone, gets MJML's columns from the ghost tables",
        only("display", "block", "inline-block", "none")),
    "css-width": Fallback(
        "Outlook for Windows, which ignores it on a <div>, <p> or image, gets MJML's columns "
        "from the ghost tables and each image's width from its width attribute; a paragraph "
        "is full width anyway",
        every(_sized_images,
              lambda usage: all(value == "100%" for tag, value in declared(usage, "width")
                                if tag in ("p", "span", "body"))),
        _IMAGE_WIDTH),
    "css-max-width": Fallback(
        "Outlook for Windows, which reads it on tables only, gets MJML's columns' width from "
        "the ghost tables and each image's from its width attribute, and hides the preview "
        "text by mso-hide:all", _sized_images, _IMAGE_WIDTH),
    "css-margin": Fallback(
        "never negative; Outlook for Windows, which ignores margin:auto and the body's margin, "
        "gets the email centred by the ghost tables", none_match("margin", r"(^|\s)-[\d.]")),
    "css-padding": Fallback(
        "Outlook for Windows keeps padding on table cells only, where MJML puts the layout's; "
        "elsewhere (lists, quotes, labels, links) it only sets the text tighter"),
    "html-width": Fallback(
        "no image's width is in %, and the Outlook settings in <head> set 96 pixels per inch, "
        "so sizes hold at 120 dpi", _pixels_per_inch),
    "html-align": Fallback(
        "tables are only centred (left and right are on cells), which Outlook for Mac supports",
        never(("element-attribute", "table", "align", "left"),
              ("element-attribute", "table", "align", "right"))),
    "html-doctype": Fallback("MJML's table layout does not rely on standards mode"),
    "html-body": Fallback("the canvas colour and the whole email are on MJML's wrapper <div> "
                          "too"),
    # Dark mode: an extra over the light palette.
    "css-at-media-prefers-color-scheme": Fallback(_LIGHT),
    "css-color-scheme": Fallback(_LIGHT),
    "html-meta-color-scheme": Fallback(_LIGHT),
    # Styles in <head>: extras over the inlined styles.
    "html-style": Fallback(_INLINED + "; no <style> is in <body>, where Gmail drops it",
                           never(("style-in-body",))),
    "css-selector-attribute": Fallback(_INLINED),
    "css-selector-child": Fallback(_INLINED),
    "css-selector-class": Fallback(_INLINED),
    "css-selector-descendant": Fallback(_INLINED),
    "css-selector-grouping": Fallback(_INLINED),
    "css-selector-id": Fallback(_INLINED),
    "css-selector-type": Fallback(_INLINED),
    "css-important": Fallback(
        "only in <style> rules (Outlook for Windows ignores it inline), in lowercase (Gmail) "
        "and after a space (Outlook)",
        never(("important", "inline"), ("important", "not-lowercase"),
              ("important", "no-space-before"))),
    # The hidden preview text: hidden four ways, so that every client reads one.
    "css-display-none": Fallback(
        "what it hides is hidden by mso-hide:all in Outlook for Windows too, and the preview "
        "text by max-height and overflow where it is ignored", _hidden_everywhere),
    "css-max-height": Fallback(
        "only max-height:0, to hide the preview text, which Outlook for Windows hides by "
        "mso-hide:all", only("max-height", "0", "0px")),
    "css-opacity": Fallback(
        "only opacity:0, to hide the preview text, which display:none, max-height and "
        "mso-hide:all hide as well", only("opacity", "0")),
    "css-overflow": Fallback(
        "only overflow:hidden, to hide the preview text, which Outlook for Windows hides by "
        "mso-hide:all", only("overflow", "hidden")),
    # Values inside what the clients support (the parts caniemail's notes say they lack).
    "css-background": Fallback("plain colours only: no image, gradient or list",
                               none_match("background", r"[(,/]")),
    "css-border": Fallback("8px wide or less, and on a <p> or <div> only as MJML's divider, "
                           "which Outlook for Windows gets as a ghost table", _borders),
    "css-border-radius": Fallback(
        "Outlook for Windows shows square corners (its call-to-action button is its own VML "
        "shape, round); no elliptical radius with /, which Yahoo lacks",
        none_match("border-radius", "/")),
    "css-font-size": Fallback("in px, never rem", none_match("font-size", r"\drem\b")),
    "css-font-weight": Fallback("keywords (bold, normal), never numbers",
                                none_match("font-weight", r"\d")),
    "css-height": Fallback("only height:auto, which a client that ignores it (or reads it as "
                           "min-height) shows the same", only("height", "auto")),
    "css-letter-spacing": Fallback("small positive values, never em",
                                   none_match("letter-spacing", r"(^|\s)-|\dem\b")),
    "css-line-height": Fallback(
        "where Outlook for Windows reads a px or em line height, mso-line-height-rule:exactly "
        "is beside it", _exact_line_heights,
        "add mso-line-height-rule:exactly beside px and em line heights"),
    "css-text-align": Fallback("never start, end or match-parent",
                               none_match("text-align", r"\b(start|end|match-parent)\b")),
    "css-text-decoration": Fallback(
        "only underline and none; where it is ignored, links keep the client's own underline",
        only("text-decoration", "underline", "none")),
    "css-text-transform": Fallback("never lowercase",
                                   none_match("text-transform", r"\blowercase\b")),
    "css-white-space": Fallback(
        "never pre; where white-space is ignored, code blocks keep their line breaks (they are "
        "<pre>) and a label may wrap", none_match("white-space", r"^pre$")),
    "css-overflow-wrap": Fallback(
        "word-wrap:break-word, its older name, is beside it for the clients that read that; "
        "Outlook for Windows reads neither", uses("word-wrap")),
    "css-word-wrap": Fallback(
        "overflow-wrap:break-word is beside it for the clients that read that; Outlook for "
        "Windows reads neither", uses("overflow-wrap")),
    "css-word-break": Fallback(
        "only break-word and normal; where it is ignored, word-wrap:break-word breaks long "
        "words", only("word-break", "break-word", "normal")),
    "css-cursor": Fallback("only cursor:auto, the default anyway", only("cursor", "auto")),
    "css-direction": Fallback("only direction:ltr, the default anyway", only("direction", "ltr")),
    "css-word-spacing": Fallback("only word-spacing:normal, the default anyway",
                                 only("word-spacing", "normal")),
    "css-outline": Fallback("only outline:none (MJML's image reset): a client that ignores it "
                            "draws no outline either", only("outline", "none")),
    "html-lists": Fallback("plain lists: no reversed attribute and no value on an item",
                           _plain_lists),
    "html-mailto-links": Fallback("no mailto link sets bcc, which Yahoo's Android app drops",
                                  never(("mailto", "bcc"))),
    # Attributes that only say more to the clients that read them.
    "html-aria-label": Fallback(
        "only MJML's label of the wrapper <div>, the email's title, which its headline shows",
        attribute_only_on("aria-label", "div")),
    "html-aria-hidden": Fallback(
        "only on the risk trend's arrow, beside the trend in words: a client that drops it "
        "has the arrow read aloud after the word, which says nothing new",
        attribute_only_on("aria-hidden", "span")),
    "html-dir": Fallback("only on <html> and MJML's wrapper <div>, never on a link",
                         attribute_only_on("dir", "html", "div")),
    "html-lang": Fallback("only on <html> and MJML's wrapper <div>, never on a cell",
                          attribute_only_on("lang", "html", "div")),
    "html-role": Fallback("role=presentation is on layout tables, where every client reads it; "
                          "where the others are dropped, nothing changes on screen"),
    "html-target": Fallback("only target=_blank: the link opens in a new window either way",
                            lambda usage: all(f[3] == "_blank" for f in usage.facts
                                              if f[:3] == ("element-attribute", "a", "target"))),
}
