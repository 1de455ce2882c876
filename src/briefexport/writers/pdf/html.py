"""The report's body HTML: URL notes for paper readers, call-to-action boxes with QR codes,
figures with their captions, and break opportunities in runs too long for the column."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urljoin

from markupsafe import Markup, escape

from briefexport.model import (
    Briefing,
    CallToAction,
    Document,
    Figure,
    Image,
    LinkSpan,
    Text,
    plain_text,
)
from briefexport.render.html import HtmlRenderer
from briefexport.render.references import References
from briefexport.render.templating import render
from briefexport.writers.pdf.qr import qr_png_data_uri

#: The partial template a figure is drawn with; a theme replaces it like any template.
FIGURE_TEMPLATE = "pdf/figure.html.j2"

#: A run of this many characters without a space gets a break opportunity every
#: ``_BREAK_EVERY`` of them (a column holds about 70).
_LONG_RUN_RE = re.compile(r"[^\s\u200b]{40,}")
_BREAK_EVERY = 10
_ZWSP = "\u200b"
#: Where a printed URL may break: after a slash (not inside ``//``), a dot, a hyphen, and the
#: query's separators.  Breaking there keeps a justified line from stretching around a URL
#: that would otherwise move whole to the next line.
_URL_BREAK_RE = re.compile(r"(?<=[^/]/)(?=[^/])|(?<=[.?&=#_-])(?=.)")
def standfirst(briefing: Briefing) -> str | None:
    """The summary, unless it merely repeats the start of the lead.

    A briefing without a ``summary`` gets its lead's first sentence as one; printed above
    the lead it would be read twice.
    """
    return None if briefing.summary_repeats_lead else briefing.meta.summary


def _breakable(run: re.Match[str]) -> str:
    word = run.group()
    return _ZWSP.join(word[i:i + _BREAK_EVERY] for i in range(0, len(word), _BREAK_EVERY))


class PdfHtmlRenderer(HtmlRenderer):
    """Body HTML for the report: URL notes for paper readers, CTA boxes with QR codes.

    ``link_urls`` is ``footnotes`` (a ``float: footnote`` note after each link), ``endnotes``
    (a numbered call, the URLs listed after the body) or ``none``.

    ``origin`` is the briefing (or edition) whose text this renders: a relative image source
    is resolved against its file's folder here, not against the document's base URL (an
    edition's folder is not its stories'), and the images are kept with their origin so that
    a blocked one is reported against the file and line that wrote it.  ``themes`` is the
    template search path of the figure template.
    """

    def __init__(self, link_urls: str = "footnotes", *, origin: Document | None = None,
                 themes: Sequence[Path] = ()) -> None:
        self.link_urls = link_urls
        self.endnotes = References()
        self.origin = origin
        self.themes = tuple(themes)
        self.images: list[tuple[Image, Document | None]] = []
        self.base = (origin.source.resolve().parent.as_uri() + "/"
                     if origin is not None else None)

    def text(self, node: Text) -> Markup:
        # WeasyPrint lets a word wider than the column run off the page, and overflow-wrap,
        # which would wrap it, makes its layout quadratic (a 50,000-letter word: 3 minutes).
        # Zero-width spaces in long runs give the line breaker places to break; WeasyPrint
        # draws nothing for them and they stay out of the PDF's text.
        return escape(_LONG_RUN_RE.sub(_breakable, node.text))

    @staticmethod
    def url_text(url: str) -> Markup:
        """A URL as printed: with break opportunities after its slashes and dots, and inside a
        long run without either (as any long run of text gets)."""
        return escape(_LONG_RUN_RE.sub(_breakable, _URL_BREAK_RE.sub(_ZWSP, url)))

    def link_span(self, node: LinkSpan) -> Markup:
        html = super().link_span(node)
        url = self.href(node.link)
        if url is None:
            return html
        if plain_text(node.children).strip() == url:
            # An autolink already prints its URL, so no note; and a URL must not gain
            # hyphens when it wraps, so it gets a class the stylesheet keeps unhyphenated.
            return Markup('<span class="url"><a href="%s">%s</a></span>') % (
                url, self.url_text(url))
        if self.link_urls == "footnotes":
            # The note's URL is a link of its own: the footnote is read (and clicked) apart
            # from the text that calls it.
            return html + Markup('<span class="link-note"><a href="%s">%s</a></span>') % (
                url, self.url_text(url))
        if self.link_urls == "endnotes":
            # A span, not <sup>: the tagged PDF reads it as text (Span), never as a footnote's
            # call (WeasyPrint tags both <sup> and ::footnote-call as NonStruct).
            return html + Markup('<span class="endnote-call">%d</span>') % (
                self.endnotes.number(url))
        return html

    def call_to_action(self, node: CallToAction) -> Markup:
        url = self.href(node.link)
        if url is None:
            return Markup('<div class="cta cta-unresolved"><p class="cta-label">%s</p></div>'
                          ) % node.label
        # One <a> for label and URL, so the box is one link annotation; the QR code beside it
        # serves paper readers.
        return Markup(
            '<div class="cta">'
            '<img class="cta-qr" src="{qr}" alt="QR code for {url}">'
            '<a class="cta-link" href="{url}"><span class="cta-label">{label}</span>'
            '<span class="cta-url">{shown}</span></a>'
            '</div>').format(qr=qr_png_data_uri(url), url=url, label=node.label,
                             shown=self.url_text(url))

    def image_src(self, node: Image) -> str:
        """The image's URL, a relative one resolved against its briefing's folder."""
        return urljoin(self.base, node.src) if self.base else node.src

    def image(self, node: Image) -> Markup:
        self.images.append((node, self.origin))  # to name the source line if it is blocked
        return Markup('<img src="{0}" alt="{1}">').format(self.image_src(node), node.alt)

    def figure(self, node: Figure) -> Markup:
        """The figure template (``pdf/figure.html.j2``): the image, then its caption."""
        self.images.append((node.image, self.origin))
        return Markup(render(
            FIGURE_TEMPLATE, self.themes, id=f"{self.id_prefix}figure-{node.number}",
            number=node.number, label=f"Figure {node.number}", src=self.image_src(node.image),
            alt=node.image.alt, caption=node.caption).strip())
