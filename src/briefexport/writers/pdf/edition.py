"""An edition's PDF: cover, contents with page numbers, one briefing per section.

Each story is the single-briefing report's article (``pdf/article.html.j2``: its own TLP label,
classification and embargo on its pages, footnotes, figures found beside its own file,
call-to-action boxes with QR codes, its contact and corrections, or its kill notice alone); the
cover and contents carry the most restrictive marking of the stories and the latest embargo
still holding, and the brand's colophon closes the edition once.  A client copy carries the
watermark on every page and the recipient's id in its XMP metadata, as a report does.  All is
laid out by the same :class:`~briefexport.writers.pdf.report.PdfWriter` (fonts, stylesheets,
sandbox, variants) with ``styles/edition.css`` over ``styles/report.css``.
Under PDF/A-3 the edition carries every briefing's source (not a killed one's) and the
edition's wire text.
"""

from __future__ import annotations

from typing import Any

from briefexport.model import Edition
from briefexport.render.clock import build_time, w3c_date
from briefexport.render.context import RenderContext
from briefexport.render.handling import notice
from briefexport.render.templating import render
from briefexport.writers.base import shared
from briefexport.writers.pdf.logo import logo_ratio
from briefexport.writers.pdf.report import PdfWriter, held_embargo, marking_context, watermark
from briefexport.writers.text.edition import EditionTextWriter

STYLESHEET = "edition.css"


class EditionPdfWriter:
    """Edition → PDF bytes."""

    template = "pdf/edition.html.j2"

    def render(self, edition: Edition, ctx: RenderContext) -> bytes:
        source = edition  # the wire text attached under PDF/A-3 is the wire's own view
        edition = edition.for_output("pdf")
        pdf = shared(PdfWriter)
        now = build_time()
        articles = [pdf.article(b, ctx, id_prefix=f"{edition.anchor(i)}-")
                    for i, b in enumerate(edition.briefings)]
        stories = [{"briefing": a.briefing, "meta": a.briefing.meta, "article": a,
                    "anchor": edition.anchor(i)} for i, a in enumerate(articles)]
        # The cover carries no footnote: the introduction's URLs are endnotes, listed on the
        # contents page (unless the settings print no URLs at all).
        no_urls = ctx.settings.pdf.link_urls == "none"
        intro = pdf.renderer(ctx, "none" if no_urls else "endnotes", origin=edition)
        intro_html = intro.blocks(edition.intro)
        logo = pdf.logo_path(ctx)
        embargo = held_embargo(edition)
        html = render(self.template, ctx.settings.themes, edition=edition, stories=stories,
                      intro=intro_html, intro_notes=intro.endnotes.items(),
                      brand=ctx.settings.brand, logo_url=logo.as_uri() if logo else None,
                      logo_ratio=logo_ratio(logo) if logo else 1, settings=ctx.settings,
                      embargo=notice(embargo),
                      embargo_until=w3c_date(embargo) if embargo else None,
                      watermark=watermark(ctx.settings, ctx.recipient),
                      **marking_context())

        def attachments() -> list[Any]:
            wire = ctx.render_with(shared(EditionTextWriter), source, report=False)
            return pdf.provenance(source.briefings, f"{edition.stem}.wire.txt", wire,
                                  "The plain-text wire version of this edition", now)

        images = [*intro.images, *(i for a in articles for i in a.renderer.images)]
        return pdf.layout(html, edition, ctx, (STYLESHEET,), images=images, now=now,
                          attachments=attachments)
