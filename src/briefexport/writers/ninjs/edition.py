"""An edition as a ninjs 3.1 package: ``type: composite``, with one association per story that
is the story's own, complete item.

Each story's association is the very item ``-f json`` writes for that briefing (same ``uri``,
version, bodies and links), plus the ``name`` (``story-1``…) and ``rel`` (``story``) an
association needs: a portal that ingests the package finds every story whole, and one that has
already ingested a story from its own export recognises it by its ``uri``.  One file per
edition keeps the pipeline's rule of one file per format, written atomically with the rest.
"""

from __future__ import annotations

from briefexport.model import Edition
from briefexport.names import slugify
from briefexport.render.clock import build_time
from briefexport.render.context import RenderContext
from briefexport.writers.base import shared
from briefexport.writers.ninjs.item import (
    STANDARD,
    Item,
    NinjsHtmlRenderer,
    SiblingRenditions,
    briefing_item,
    compact,
    day_start,
    dump,
    item_uri,
    link_associations,
    moment,
    rights,
    text,
)
from briefexport.writers.text.edition import EditionTextWriter


def edition_uri(edition: Edition, ctx: RenderContext) -> str:
    """``[wire] uri_prefix`` + ``edition-`` + the title and the number (else the date)."""
    name = slugify(edition.title, "edition")
    issue = slugify(edition.number or "") or (edition.date.isoformat() if edition.date else "")
    return item_uri(ctx.settings, f"edition-{name}-{issue}" if issue else f"edition-{name}")


def edition_item(edition: Edition, ctx: RenderContext) -> Item:
    """The package: the edition's own properties, and each story's item as an association."""
    settings = ctx.settings
    stories = [briefing_item(b, ctx) for b in edition.briefings]
    metas = [b.meta for b in edition.briefings]
    embargoes = [m.embargo for m in metas if m.embargo]
    intro = str(NinjsHtmlRenderer(settings.email.asset_base_url).blocks(edition.intro))
    wire = text(ctx.render_with(shared(EditionTextWriter), edition))
    item = compact({
        "uri": edition_uri(edition, ctx),
        "type": "composite",
        "representationType": "full",
        "standard": STANDARD,
        "version": "1",
        "firstCreated": day_start(edition.date),
        "versionCreated": moment(build_time()),
        # The package is held until its last story's embargo, as its own outputs are.
        "embargoedUntil": moment(max(embargoes)) if embargoes else None,
        "pubStatus": "usable",
        "urgency": min((m.urgency for m in metas), default=None),
        "language": edition.lang,
        "headlines": [{"role": "main", "value": edition.heading}],
        "bodies": [
            *([{"role": "main", "contentType": "text/html", "value": intro}] if intro else []),
            {"role": "wire", "contentType": "text/plain", "value": wire},
        ],
        "subjects": [{"name": tag} for tag in dict.fromkeys(t for m in metas for t in m.tags)],
        "places": [{"name": region}
                   for region in dict.fromkeys(m.region for m in metas if m.region)],
        "associations": [
            *({"name": f"story-{n}", "rel": "story", **story}
              for n, story in enumerate(stories, 1)),
            *link_associations((), edition.intro_links),
        ],
    })
    return compact(rights(item, edition.marking, edition.classification, settings))


class EditionNinjsWriter(SiblingRenditions):
    """Edition → ninjs 3.1 package (JSON text)."""

    def render(self, edition: Edition, ctx: RenderContext) -> str:
        return dump(edition_item(edition, ctx))
