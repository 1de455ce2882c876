"""Campaign (UTM) parameters for the email's links.

Only http(s) URLs are touched.  The existing query string is kept byte for byte and the new
parameters are appended after it, so signed or order-sensitive URLs keep working; a parameter
the URL already carries is never overridden; the fragment stays last.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from briefexport.config import UtmSettings
from briefexport.model import Briefing, Link
from briefexport.names import slugify


def expand(template: str, slug: str, date: dt.date | None) -> str:
    """Expand ``{slug}`` and ``{date}`` (checked when the config was read)."""
    return template.format_map({"slug": slug, "date": date.isoformat() if date else ""})


def parameters(utm: UtmSettings, briefing: Briefing) -> dict[str, str]:
    """The ``utm_*`` parameters for ``briefing``; empty when no source is configured."""
    meta = briefing.meta
    return parameters_for(utm, slugify(meta.slug or "") or slugify(briefing.stem), meta.date)


def parameters_for(utm: UtmSettings, slug: str, date: dt.date | None) -> dict[str, str]:
    """The ``utm_*`` parameters for a campaign called ``slug`` (an edition's, say)."""
    if not utm.source:
        return {}
    params: dict[str, str] = {}
    for key in (f.name for f in dataclasses.fields(utm)):
        value = getattr(utm, key)
        if value:
            expanded = expand(value, slug, date)
            if expanded:
                params[f"utm_{key}"] = expanded
    return params


def add_utm(url: str, params: dict[str, str]) -> str:
    """``url`` with ``params`` appended to its query; non-http(s) URLs come back unchanged."""
    if not params:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an invalid IPv6 host: leave the URL as the author wrote it
        return url
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return url
    present = {k for k, _ in parse_qsl(parts.query, keep_blank_values=True)}
    extra = urlencode([(k, v) for k, v in params.items() if k not in present])
    if not extra:
        return url
    query = f"{parts.query}&{extra}" if parts.query else extra
    return urlunsplit(parts._replace(query=query))


class CampaignLinks:
    """Mixed into a renderer (the email's HTML, its plain-text part): every http(s) link it
    renders carries the campaign parameters ``utm``."""

    utm: dict[str, str]

    def href(self, link: Link) -> str | None:
        """The link's URL with the campaign parameters; ``None`` for an unresolved link."""
        return add_utm(link.url, self.utm) if link.url is not None else None
