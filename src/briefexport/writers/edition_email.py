"""An edition's HTML email: masthead, a contents list linking into the email, one section per
story (its full text, or a teaser with a "Read more" button) and one footer.
"""

from __future__ import annotations

from typing import Any, cast

from markupsafe import Markup

from briefexport.esp import Tokens
from briefexport.htmlrender import segments
from briefexport.model import Briefing, Edition
from briefexport.templating import render
from briefexport.utm import add_utm, parameters_for, slugify
from briefexport.writers import RenderContext, get_writer
from briefexport.writers.email import EmailHtmlRenderer, EmailWriter


def read_more_url(briefing: Briefing, portal: str | None) -> str | None:
    """Where a teaser's button leads: the story's first call to action, else the portal."""
    return next((c.url for c in briefing.ctas if c.url), None) or portal


class EditionEmailWriter:
    """Edition → HTML email."""

    extension = ".html"
    template = "email/edition.mjml.j2"

    def mjml(self, edition: Edition, ctx: RenderContext, tokens: Tokens | None = None) -> str:
        """The edition's MJML source, before compilation."""
        email = cast(EmailWriter, get_writer("html"))
        tokens = tokens if tokens is not None else Tokens()
        teaser = ctx.settings.edition.email_mode == "teaser"
        # One campaign: every link of the edition carries the edition's own parameters.
        utm = parameters_for(ctx.settings.email.utm, slugify(edition.title) or edition.stem,
                             edition.date)
        stories: list[dict[str, Any]] = []
        for index, briefing in enumerate(edition.briefings):
            renderer = EmailHtmlRenderer(utm)
            renderer.id_prefix = f"{edition.anchor(index)}-"
            parts = [] if teaser else [
                {"cta": seg.cta, "href": renderer.href(seg.cta.link) if seg.cta else None,
                 "html": renderer.blocks(seg.blocks) if seg.blocks else Markup("")}
                for seg in segments(briefing.blocks)]
            read_more = read_more_url(briefing, ctx.settings.portal.url)
            stories.append({"briefing": briefing, "meta": briefing.meta,
                            "anchor": edition.anchor(index), "parts": parts,
                            "read_more": add_utm(read_more, utm) if read_more else None})
        preview = (edition.briefings[0].meta.summary or "") if edition.briefings else ""
        return render(self.template, ctx.settings.themes, **{
            **email.chrome(ctx, tokens, edition),
            "edition": edition, "stories": stories, "teaser": teaser,
            "intro": EmailHtmlRenderer(utm).blocks(edition.intro), "preview": preview})

    def render(self, edition: Edition, ctx: RenderContext) -> str:
        email = cast(EmailWriter, get_writer("html"))
        tokens = Tokens()
        return email.finish(self.mjml(edition, ctx, tokens), edition, ctx, tokens)
