"""An edition's HTML email: masthead, a contents list linking into the email, one section per
story (its full text, or a teaser with a "Read more" button) and one footer.
"""

from __future__ import annotations

from typing import Any

from briefexport.limits import PREHEADER_MIN
from briefexport.model import Briefing, Edition, Paragraph, plain_text
from briefexport.names import slugify
from briefexport.render.context import RenderContext
from briefexport.render.templating import render
from briefexport.writers.base import shared
from briefexport.writers.email.esp import Tokens
from briefexport.writers.email.html import (
    EmailHtmlRenderer,
    EmailWriter,
    fit_preheader,
    preheader_padding,
)
from briefexport.writers.email.utm import campaign_for


def read_more_url(briefing: Briefing, portal: str | None) -> str | None:
    """Where a teaser's button leads: the story's first call to action, else the portal."""
    return next((c.url for c in briefing.ctas if c.url), None) or portal


def edition_preheader(edition: Edition) -> str:
    """The inbox preview: the introduction, else the headlines, within the preheader's range."""
    intro = " ".join(plain_text(b.children).strip() for b in edition.intro
                     if isinstance(b, Paragraph))
    text = " ".join(intro.split())
    if len(text) < PREHEADER_MIN:  # too short a preview: the headlines follow
        text = " · ".join(filter(None, [text, *(b.meta.headline for b in edition.briefings)]))
    return fit_preheader(text)


class EditionEmailWriter:
    """Edition → HTML email."""

    template = "email/edition.mjml.j2"

    def mjml(self, edition: Edition, ctx: RenderContext, tokens: Tokens | None = None) -> str:
        """The edition's MJML source, before compilation."""
        email = shared(EmailWriter)
        tokens = tokens if tokens is not None else Tokens()
        teaser = ctx.settings.edition.email_mode == "teaser"
        # One campaign: every link of the edition carries the edition's own parameters.
        utm = campaign_for(ctx.settings, slugify(edition.title) or edition.stem, edition.date)
        stories: list[dict[str, Any]] = []
        for index, briefing in enumerate(edition.briefings):
            renderer = EmailHtmlRenderer(utm)
            renderer.id_prefix = f"{edition.anchor(index)}-"
            read_more = read_more_url(briefing, ctx.settings.portal.url)
            stories.append({"briefing": briefing, "meta": briefing.meta,
                            "anchor": edition.anchor(index),
                            "article": email.article(briefing, ctx, renderer),
                            "read_more": utm.stamp(read_more) if read_more else None})
        text = edition_preheader(edition)
        return render(self.template, ctx.settings.themes, **{
            **email.chrome(ctx, tokens, edition),
            "lang": edition.lang, "edition": edition, "stories": stories, "teaser": teaser,
            "intro": EmailHtmlRenderer(utm).blocks(edition.intro),
            "preheader": text, "preheader_padding": preheader_padding(text)})

    def render(self, edition: Edition, ctx: RenderContext) -> str:
        email = shared(EmailWriter)
        tokens = Tokens()
        return email.finish(self.mjml(edition, ctx, tokens), edition, ctx, tokens)
