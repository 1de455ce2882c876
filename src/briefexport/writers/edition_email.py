"""An edition's HTML email: masthead, a contents list linking into the email, one section per
story (its full text, or a teaser with a "Read more" button) and one footer.
"""

from __future__ import annotations

from typing import Any, cast

from markupsafe import Markup

from briefexport.htmlrender import segments
from briefexport.model import Briefing, Edition
from briefexport.templating import render
from briefexport.writers import RenderContext, get_writer
from briefexport.writers.email import EmailHtmlRenderer, EmailWriter


def read_more_url(briefing: Briefing, portal: str | None) -> str | None:
    """Where a teaser's button leads: the story's first call to action, else the portal."""
    return next((c.url for c in briefing.ctas if c.url), None) or portal


class EditionEmailWriter:
    """Edition → HTML email."""

    extension = ".html"
    template = "email/edition.mjml.j2"

    def mjml(self, edition: Edition, ctx: RenderContext) -> str:
        """The edition's MJML source, before compilation."""
        teaser = ctx.settings.edition.email_mode == "teaser"
        stories: list[dict[str, Any]] = []
        for index, briefing in enumerate(edition.briefings):
            renderer = EmailHtmlRenderer()
            renderer.id_prefix = f"{edition.anchor(index)}-"
            parts = [] if teaser else [
                {"cta": seg.cta,
                 "html": renderer.blocks(seg.blocks) if seg.blocks else Markup("")}
                for seg in segments(briefing.blocks)]
            stories.append({"briefing": briefing, "meta": briefing.meta,
                            "anchor": edition.anchor(index), "parts": parts,
                            "read_more": read_more_url(briefing, ctx.settings.portal.url)})
        preview = (edition.briefings[0].meta.summary or "") if edition.briefings else ""
        return render(self.template, ctx.settings.themes, edition=edition, stories=stories,
                      teaser=teaser, intro=EmailHtmlRenderer().blocks(edition.intro),
                      preview=preview, brand=ctx.settings.brand, settings=ctx.settings)

    def render(self, edition: Edition, ctx: RenderContext) -> str:
        email = cast(EmailWriter, get_writer("html"))
        return email.compile(self.mjml(edition, ctx), edition)
