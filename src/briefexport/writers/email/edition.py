"""An edition's HTML email: masthead, a contents list linking into the email, one section per
story (its full text, or a teaser with a "Read more" button) and one footer.

The latest embargo still holding among the stories is shown at the top and in the subject,
each story's own on it; a killed story is its kill notice (kicker, headline, kill line,
reference) in either mode, with no "Read more".
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from briefexport.config import PortalSettings
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
from briefexport.writers.email.intel import embargo_banner, tlp_label
from briefexport.writers.email.utm import campaign_for


def read_more_url(briefing: Briefing, portal: PortalSettings) -> str | None:
    """Where a teaser's button leads: ``[portal] story_url`` for the story, else the story's
    first call to action that is not the portal's front page, else the portal."""
    meta = briefing.meta
    if portal.story_url:
        return portal.story_url.format_map({
            "portal": (portal.url or "").rstrip("/"), "slug": slugify(meta.slug or "")
            or slugify(briefing.stem), "reference": quote(meta.reference or "", safe=""),
            "date": meta.date.isoformat() if meta.date else ""})
    front = (portal.url or "").rstrip("/")
    own = (c.url for c in briefing.ctas if c.url and c.url.rstrip("/") != front)
    return next(own, None) or portal.url


def edition_preheader(edition: Edition) -> str:
    """The inbox preview: the introduction, else the headlines, within the preheader's range."""
    intro = " ".join(plain_text(b.children).strip() for b in edition.intro
                     if isinstance(b, Paragraph))
    text = " ".join(intro.split())
    if len(text) < PREHEADER_MIN:  # too short a preview: the headlines follow
        text = " · ".join(filter(None, [text, *(b.meta.headline for b in edition.briefings)]))
    return fit_preheader(text)


def shared_calls_to_action(stories: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Take out of the stories every call to action (same label, same link) that two or more
    of them carry, and return those, once each, in order: the full edition shows them once,
    after the stories, instead of the same button after every story."""
    def key(part: dict[str, Any]) -> tuple[str, str | None]:
        return (part["cta"].label, part["href"])

    counts: dict[tuple[str, str | None], int] = {}
    for story in stories:
        for k in dict.fromkeys(key(p) for p in story["article"]["parts"] if p["cta"]):
            counts[k] = counts.get(k, 0) + 1
    shared: dict[tuple[str, str | None], dict[str, Any]] = {}
    for story in stories:
        kept = []
        for part in story["article"]["parts"]:
            if part["cta"] and counts[key(part)] > 1:
                shared.setdefault(key(part), part)
            else:
                kept.append(part)
        story["article"]["parts"] = kept
    return list(shared.values())


class EditionEmailWriter:
    """Edition → HTML email."""

    template = "email/edition.mjml.j2"

    def mjml(self, edition: Edition, ctx: RenderContext, tokens: Tokens | None = None) -> str:
        """The edition's MJML source, before compilation."""
        edition = edition.for_output("email")
        email = shared(EmailWriter)
        tokens = tokens if tokens is not None else Tokens()
        teaser = ctx.settings.edition.email_mode == "teaser"
        # One campaign: every link of the edition carries the edition's own parameters.
        utm = campaign_for(ctx.settings, slugify(edition.title) or edition.stem, edition.date)
        stories: list[dict[str, Any]] = []
        slugs = [b.meta.slug for b in edition.briefings]
        for index, briefing in enumerate(edition.briefings):
            # The button names its story (a reader of a screen reader's link list tells them
            # apart): by its slug, short, unless another story shares it; else its title.
            slug = briefing.meta.slug
            name = slug if slug and slugs.count(slug) == 1 else briefing.meta.title
            renderer = EmailHtmlRenderer.for_settings(ctx.settings, utm)
            renderer.id_prefix = f"{edition.anchor(index)}-"
            # A withdrawn story leads nowhere: its notice is all there is to read.
            read_more = None if briefing.meta.killed else read_more_url(briefing,
                                                                        ctx.settings.portal)
            article = email.article(briefing, ctx, renderer)
            if not teaser:  # a teaser shows no figure
                email.warn_unhosted(briefing, renderer, ctx)
            stories.append({"briefing": briefing, "meta": briefing.meta,
                            "anchor": edition.anchor(index), "article": article,
                            "read_more": utm.stamp(read_more) if read_more else None,
                            "read_more_name": name})
        shared_ctas = [] if teaser else shared_calls_to_action(stories)
        text = edition_preheader(edition)
        intro_renderer = EmailHtmlRenderer.for_settings(ctx.settings, utm)
        intro = intro_renderer.blocks(edition.intro)
        email.warn_unhosted(edition, intro_renderer, ctx)
        # The cover carries the most restrictive marking of the stories.
        tlp = tlp_label(edition.marking)
        labels = [tlp, *(label for story in stories
                         for label in (story["article"]["tlp"],
                                       *(story["article"]["risk"].labels
                                         if story["article"]["risk"] else ())))]
        return render(self.template, ctx.settings.themes, **{
            **email.chrome(ctx, tokens, edition, labels),
            "lang": edition.lang, "edition": edition, "stories": stories, "teaser": teaser,
            "shared_ctas": shared_ctas, "tlp": tlp, "classification": edition.classification,
            "embargo": embargo_banner(edition), "intro": intro,
            "preheader": text, "preheader_padding": preheader_padding(text)})

    def render(self, edition: Edition, ctx: RenderContext) -> str:
        email = shared(EmailWriter)
        tokens = Tokens()
        return email.finish(self.mjml(edition, ctx, tokens), edition, ctx, tokens)
