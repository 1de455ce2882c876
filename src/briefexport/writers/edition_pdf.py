"""An edition's PDF: cover, contents with page numbers, one briefing per section.

Laid out by the single-briefing :class:`~briefexport.writers.pdf.PdfWriter` (same fonts,
stylesheets and sandbox) with ``styles/edition.css`` on top of ``styles/report.css``.
"""

from __future__ import annotations

from typing import cast

from briefexport.model import Edition
from briefexport.templating import render
from briefexport.writers import RenderContext, get_writer
from briefexport.writers.pdf import PdfHtmlRenderer, PdfWriter

STYLESHEET = "edition.css"


class EditionPdfWriter:
    """Edition → PDF bytes."""

    extension = ".pdf"
    template = "pdf/edition.html.j2"

    def html(self, edition: Edition, ctx: RenderContext) -> str:
        """The edition's HTML, before layout."""
        stories = []
        for index, briefing in enumerate(edition.briefings):
            renderer = PdfHtmlRenderer()
            renderer.id_prefix = f"{edition.anchor(index)}-"
            stories.append({"briefing": briefing, "meta": briefing.meta,
                            "anchor": edition.anchor(index),
                            "body": renderer.blocks(briefing.blocks)})
        return render(self.template, ctx.settings.themes, edition=edition, stories=stories,
                      intro=PdfHtmlRenderer().blocks(edition.intro),
                      brand=ctx.settings.brand, settings=ctx.settings)

    def render(self, edition: Edition, ctx: RenderContext) -> bytes:
        pdf = cast(PdfWriter, get_writer("pdf"))
        return pdf.layout(self.html(edition, ctx), edition, ctx, (STYLESHEET,))
