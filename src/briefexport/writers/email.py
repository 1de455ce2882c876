"""The responsive HTML email: an MJML template compiled by mjml-python (MRML).

The template (``email/briefing.mjml.j2``) is rendered by Jinja2 with autoescaping, so text from
the source can never open or close an MJML tag; body HTML comes from :class:`HtmlRenderer`,
which escapes every text node.  Calls to action become ``mj-button`` elements, which MRML
compiles into bulletproof table buttons that work in Outlook.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from briefexport.errors import RenderError
from briefexport.htmlrender import HtmlRenderer, segments
from briefexport.model import Briefing
from briefexport.templating import render
from briefexport.writers import RenderContext


class EmailHtmlRenderer(HtmlRenderer):
    """Body HTML for the inside of ``mj-text``."""


class EmailWriter:
    """Briefing → HTML email."""

    extension = ".html"
    template = "email/briefing.mjml.j2"

    def __init__(self) -> None:
        # Imported here so that text-only exports never load the Rust extension.
        from mjml import mjml2html

        self._mjml2html = mjml2html

    def mjml(self, briefing: Briefing, ctx: RenderContext) -> str:
        """The MJML source of the email (before compilation)."""
        renderer = EmailHtmlRenderer()
        parts = [
            {"cta": seg.cta, "html": renderer.blocks(seg.blocks) if seg.blocks else Markup("")}
            for seg in segments(briefing.blocks)
        ]
        return render(
            self.template, ctx.settings.themes,
            meta=briefing.meta,
            briefing=briefing,
            parts=parts,
            preview=briefing.meta.summary or "",
            brand=ctx.settings.brand,
            settings=ctx.settings,
        )

    def render(self, briefing: Briefing, ctx: RenderContext) -> str:
        return self.compile(self.mjml(briefing, ctx), briefing)

    def compile(self, source: str, origin: Briefing | Any) -> str:
        """MJML → HTML; ``origin`` (a briefing or an edition) names the file in errors."""
        try:
            # fonts={}: no Google Fonts <link>; campaign tools and privacy both prefer none.
            return self._mjml2html(source, fonts={})
        except Exception as exc:  # MRML raises plain exceptions with a message
            raise RenderError(f"the email template did not compile: {exc}",
                              origin.source) from None
