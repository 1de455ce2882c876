"""A briefing as an IPTC ninjs 3.1 item (``-f json``), for a portal or a newsroom system.

Every property is one the IPTC's schema names, spelt as it spells them, and nothing else (the
schema allows no extension properties):

- ``uri``: ``[wire] uri_prefix`` and the briefing's reference (else its slug and date), the same
  for every version and for a kill, so that a later version or a kill replaces the item;
- ``version``; ``firstCreated`` (the briefing's date, at midnight UTC); ``versionCreated`` (the
  build time: ``SOURCE_DATE_EPOCH`` when set); ``pubStatus`` (``status``); ``urgency``;
  ``embargoedUntil`` whenever the source has an embargo, lifted or not: it is a fact about the
  content, which a portal judges against its own clock when it ingests the item, and the item
  stays the same whenever it is built;
- ``language``, ``slugline``, ``headlines`` (the title as ``main``, the summary as ``sub``),
  ``by``; ``descriptions``: the summary, each key judgement, the risk rating, and one dated
  ``correction`` per correction;
- ``bodies``: the body as HTML (the renderer the PDF and the email share, without the email's
  chrome; figures at the URL the email uses) and the wire text, as the ``txt`` format writes it;
- ``associations``: each call to action (``rel: cta``), each distinct resolved link (``rel:
  link``) and each figure with a URL (``rel: figure``);
- ``subjects`` (``tags``), ``places`` (``region``), ``infoSources`` (the brand),
  ``copyrightNotice`` (``[brand] copyright``), ``usageTerms`` (the TLP marking, the
  classification and ``[brand] disclaimer``), ``altIds`` (the reference);
- ``renditions``: the other files of the same export (the PDF report, the HTML email…), which
  the pipeline hands to :meth:`NinjsWriter.with_siblings` when it writes them.

The JSON is UTF-8 (``ensure_ascii=False``), its keys in one fixed order, with a final newline,
so that the same source, configuration and ``SOURCE_DATE_EPOCH`` give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote, unquote

from markupsafe import Markup, escape

from briefexport.config import BrandSettings, Settings
from briefexport.model import (
    Briefing,
    CallToAction,
    Contact,
    Correction,
    Figure,
    Image,
    Inline,
    Link,
    RiskRating,
    plain_text,
)
from briefexport.names import slugify
from briefexport.render.clock import build_time, w3c_date
from briefexport.render.context import RenderContext
from briefexport.render.html import HtmlRenderer
from briefexport.writers.base import shared
from briefexport.writers.email.html import asset_url
from briefexport.writers.text.wire import TextWriter

#: A ninjs object: property name → JSON value.
Item = dict[str, Any]

#: What every item says it conforms to (the ``standard`` property).
STANDARD: Item = {"name": "ninjs", "version": "3.1",
                  "schema": "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json#"}

#: The order an item's properties are written in (``name`` and ``rel`` first, for an
#: association); any other property follows, in alphabetical order.
KEY_ORDER: tuple[str, ...] = (
    "name", "rel", "uri", "type", "representationType", "standard", "version", "firstCreated",
    "versionCreated", "embargoedUntil", "pubStatus", "urgency", "language", "slugline",
    "headlines", "title", "by", "descriptions", "bodies", "subjects", "places", "infoSources",
    "copyrightNotice", "usageTerms", "altIds", "renditions", "associations",
)
_RANK = {key: n for n, key in enumerate(KEY_ORDER)}

#: A rendition's media type and title, by file extension.
MEDIA_TYPES: dict[str, tuple[str, str]] = {
    ".pdf": ("application/pdf", "PDF report"),
    ".html": ("text/html; charset=utf-8", "HTML email"),
    ".txt": ("text/plain; charset=utf-8", "Wire text"),
    ".eml": ("message/rfc822", "Email message"),
    ".json": ("application/json", "ninjs item"),
}

#: Characters a ``uri``'s local part keeps as they are (RFC 3986 unreserved and sub-delims,
#: ``:``, ``@`` and ``/``); anything else is percent-encoded.
_URI_SAFE = "-._~!$&'()*+,;=:@/"


# --------------------------------------------------------------------------- serialising


def ordered(item: Item) -> Item:
    """``item`` with its properties (and its associations') in :data:`KEY_ORDER`."""
    out = {key: item[key] for key in sorted(item, key=lambda k: (_RANK.get(k, len(_RANK)), k))}
    if "associations" in out:
        out["associations"] = [ordered(a) for a in out["associations"]]
    return out


def dump(item: Item) -> str:
    """The item as the JSON text written: UTF-8 characters as they are, a fixed key order, two
    spaces of indentation and a final newline."""
    return json.dumps(ordered(item), ensure_ascii=False, indent=2) + "\n"


def compact(item: Item) -> Item:
    """``item`` without the properties that have no value (ninjs leaves them out)."""
    return {key: value for key, value in item.items() if value is not None and value != []
            and value != ""}


def rendition(name: str, href: str, data: bytes) -> Item:
    """A file written beside the item, as a ``renditions`` entry."""
    suffix = PurePosixPath(unquote(href)).suffix.lower()
    content_type, title = MEDIA_TYPES.get(suffix, ("application/octet-stream", name))
    return {"name": name, "title": title, "href": href, "contentType": content_type,
            "sizeInBytes": len(data)}


class SiblingRenditions:
    """What the item and the package share: the files of the same export as renditions."""

    def with_siblings(self, output: bytes | str, siblings: Iterable[tuple[str, str, bytes]]
                      ) -> bytes | str:
        """``output`` with a ``renditions`` entry per other file of the same export.

        The pipeline calls this when it writes the files: ``siblings`` are (format, href
        relative to this file, the bytes written).  A portal that ingests the item finds the
        PDF and the email beside it, with their sizes.
        """
        renditions = [rendition(name, href, data) for name, href, data in siblings]
        if not renditions:
            return output
        item = json.loads(output)
        item["renditions"] = renditions
        return dump(item)


# --------------------------------------------------------------------------- properties


def item_uri(settings: Settings, local: str) -> str:
    """``[wire] uri_prefix`` followed by ``local``, percent-encoded where a URI needs it."""
    return settings.wire.uri_prefix + quote(local.strip(), safe=_URI_SAFE)


def briefing_uri(briefing: Briefing, settings: Settings) -> str:
    """The item's stable identifier: the prefix and the reference, else the slug (or, without
    one, the file name) and the date."""
    meta = briefing.meta
    if meta.reference and meta.reference.strip():
        return item_uri(settings, meta.reference)
    name = slugify(meta.slug or "") or slugify(briefing.stem, "briefing")
    return item_uri(settings, f"{name}-{meta.date.isoformat()}" if meta.date else name)


def day_start(date: dt.date | None) -> str | None:
    """A publication date as a date-time: midnight UTC of that day."""
    return f"{date.isoformat()}T00:00:00Z" if date else None


def moment(value: dt.datetime | None) -> str | None:
    """An aware moment in UTC, ``2026-12-03T06:00:00Z``."""
    return w3c_date(value) if value else None


def one_line(text: str) -> str:
    """White space folded to single spaces."""
    return " ".join(text.split())


def inline_text(run: Iterable[Inline]) -> str:
    """An inline run (a key judgement) as one line of plain text."""
    return one_line(plain_text(run))


def risk_text(risk: RiskRating | None) -> str | None:
    """``high, rising; security: extreme, political: high``."""
    if risk is None:
        return None
    overall = ", ".join(p for p in (risk.overall or "not rated", risk.trend) if p)
    categories = ", ".join(f"{name}: {level}" for name, level in risk.categories)
    return f"{overall}; {categories}" if categories else overall


def correction_text(correction: Correction) -> str:
    """``2026-11-21: the casualty figure was 12, not 21``."""
    return f"{correction.date.isoformat()}: {one_line(correction.note)}"


def usage_terms(marking: str | None, classification: str | None, brand: BrandSettings
                ) -> str | None:
    """The handling (``TLP:AMBER | CLIENT CONFIDENTIAL.``) and the brand's disclaimer."""
    handling = " | ".join(p for p in (marking, classification) if p)
    parts = [f"{handling}." if handling else "", one_line(brand.disclaimer or "")]
    return " ".join(p for p in parts if p) or None


def rights(item: Item, marking: str | None, classification: str | None,
           settings: Settings) -> Item:
    """The publisher, the copyright and the usage terms, added to ``item``."""
    brand = settings.brand
    item.update(
        infoSources=[{"name": brand.name, "role": "publisher"}],
        copyrightNotice=one_line(brand.copyright or "") or None,
        usageTerms=usage_terms(marking, classification, brand),
    )
    return item


def link_associations(ctas: Iterable[CallToAction], links: Iterable[Link]) -> list[Item]:
    """Each call to action with a URL, then each distinct resolved link, in source order."""
    out: list[Item] = [{"name": f"cta-{n}", "rel": "cta", "uri": cta.url, "title": cta.label}
                       for n, cta in enumerate((c for c in ctas if c.url), 1)]
    seen: dict[str, None] = {}
    for link in links:
        if link.url and link.url not in seen:
            seen[link.url] = None
            out.append({"name": f"link-{len(seen)}", "rel": "link", "uri": link.url,
                        "title": one_line(link.text) or link.url})
    return out


def figure_associations(figures: Iterable[Figure], assets: str | None) -> list[Item]:
    """Each figure whose image has a URL (absolute, or joined to ``[email] asset_base_url``)."""
    out: list[Item] = []
    for fig in figures:
        src = asset_url(fig.image.src, assets)
        if src is None:
            continue
        out.append(compact({
            "name": f"figure-{fig.number}", "rel": "figure", "uri": src, "type": "picture",
            "title": one_line(fig.caption or "") or None,
            "descriptions": [{"role": "alt", "value": fig.image.alt}] if fig.image.alt else [],
            "renditions": [{"name": "original", "href": src}],
        }))
    return out


# --------------------------------------------------------------------------- the HTML body


class NinjsHtmlRenderer(HtmlRenderer):
    """The shared body renderer; an image's relative path is joined to ``[email]
    asset_base_url``, as in the email, since the item travels without the image files."""

    def __init__(self, assets: str | None = None) -> None:
        self.assets = assets

    def image(self, node: Image) -> Markup:
        src = asset_url(node.src, self.assets) or node.src
        return Markup('<img src="{0}" alt="{1}">').format(src, node.alt)


def contact_html(contact: Contact | None) -> Markup:
    """``Questions: name, email, phone``, the address and the number as links."""
    if not contact:
        return Markup("")
    parts = [escape(contact.name)] if contact.name else []
    if contact.email:
        parts.append(Markup('<a href="{0}">{1}</a>').format(contact.mailto, contact.email))
    if contact.phone:
        parts.append(Markup('<a href="{0}">{1}</a>').format(contact.tel, contact.phone))
    return Markup('<p class="contact">Questions: %s</p>') % Markup(", ").join(parts)


def body_html(briefing: Briefing, renderer: HtmlRenderer) -> str:
    """The briefing's content as an HTML fragment: key judgements, the body (or a kill's
    notice), the contact and the corrections."""
    meta = briefing.meta
    parts: list[Markup] = []
    if briefing.key_judgements:
        items = Markup("").join(Markup("<li>%s</li>") % renderer.inlines(run)
                                for run in briefing.key_judgements)
        parts.append(Markup('<section class="key-judgements"><h2>Key judgements</h2>'
                            '<ul>%s</ul></section>') % items)
    if meta.killed:
        parts.append(Markup('<p class="kill-notice">%s</p>') % (meta.summary or ""))
    if briefing.blocks:
        parts.append(renderer.blocks(briefing.blocks))
    if briefing.contact:
        parts.append(contact_html(briefing.contact))
    if meta.corrections:
        items = Markup("").join(
            Markup('<li><time datetime="{0}">{0}</time>: {1}</li>').format(
                c.date.isoformat(), c.note) for c in meta.corrections)
        parts.append(Markup('<section class="corrections"><h2>Corrections</h2>'
                            '<ul>%s</ul></section>') % items)
    return str(Markup("\n").join(parts))


def text(output: bytes | str) -> str:
    """A writer's output as text."""
    return output.decode("utf-8") if isinstance(output, bytes) else output


# --------------------------------------------------------------------------- the item


def briefing_item(briefing: Briefing, ctx: RenderContext) -> Item:
    """The ninjs item of one briefing (without renditions: those are files of an export)."""
    settings = ctx.settings
    meta = briefing.meta
    # The HTML body is the HTML channel's view of the conditional blocks, the email's.
    html = body_html(briefing.for_output("email"),
                     NinjsHtmlRenderer(settings.email.asset_base_url))
    wire = text(ctx.render_with(shared(TextWriter), briefing))
    summary = one_line(meta.summary or "")
    descriptions = [
        *([{"role": "summary", "value": summary}] if summary else []),
        *({"role": "key-judgement", "value": inline_text(run)}
          for run in briefing.key_judgements),
        *([{"role": "risk", "value": risk}] if (risk := risk_text(briefing.risk)) else []),
        *({"role": "correction", "contentType": "text/plain", "value": correction_text(c)}
          for c in meta.corrections),
    ]
    item = compact({
        "uri": briefing_uri(briefing, settings),
        "type": "text",
        "representationType": "full",
        "standard": STANDARD,
        "version": str(meta.version),
        "firstCreated": day_start(meta.date),
        "versionCreated": moment(build_time()),
        "embargoedUntil": moment(meta.embargo),
        "pubStatus": meta.status,
        "urgency": meta.urgency,
        "language": meta.lang,
        "slugline": meta.slug,
        "headlines": [{"role": "main", "value": meta.title},
                      *([{"role": "sub", "value": summary}] if summary else [])],
        "by": meta.author,
        "descriptions": descriptions,
        "bodies": [
            *([{"role": "main", "contentType": "text/html", "value": html}] if html else []),
            {"role": "wire", "contentType": "text/plain", "value": wire},
        ],
        "subjects": [{"name": tag} for tag in meta.tags],
        "places": [{"name": meta.region}] if meta.region else [],
        "altIds": ([{"role": "reference", "value": meta.reference}] if meta.reference
                   else []),
        "associations": [*link_associations(briefing.ctas, briefing.links),
                         *figure_associations(briefing.figures,
                                              settings.email.asset_base_url)],
    })
    return compact(rights(item, meta.marking, meta.classification, settings))


class NinjsWriter(SiblingRenditions):
    """Briefing → ninjs 3.1 item (JSON text)."""

    def render(self, briefing: Briefing, ctx: RenderContext) -> str:
        return dump(briefing_item(briefing, ctx))
