"""Campaign (UTM) parameters for the email's links.

Only http(s) URLs to the desk's own hosts are touched (``[email.utm] domains``; default the
portal's host and the hosts of ``[links]``): a news site or ECOWAS is no campaign of ours.
A URL that carries a signature is never touched (a parameter more breaks it), nor one that
already has any ``utm_*`` parameter (a second campaign would mix the attribution).  Otherwise
the existing query string is kept byte for byte and the new parameters follow it; the fragment
stays last.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from briefexport.config import Settings, UtmSettings
from briefexport.model import Briefing, Link
from briefexport.names import slugify
from briefexport.record import record


def expand(template: str, slug: str, date: dt.date | None) -> str:
    """Expand ``{slug}`` and ``{date}`` (checked when the config was read)."""
    return template.format_map({"slug": slug, "date": date.isoformat() if date else ""})


#: Query parameters that sign a URL (AWS, Google Cloud, Azure SAS, CloudFront, generic tokens):
#: compared lower-case.
SIGNATURE_PARAMETERS = frozenset({"x-amz-signature", "x-goog-signature", "signature", "sig",
                                  "token"})


@record
class Campaign:
    """The ``utm_*`` parameters of one email and the hosts whose links carry them."""

    params: Mapping[str, str] = field(default_factory=dict)
    hosts: frozenset[str] = frozenset()

    def owns(self, host: str) -> bool:
        """Whether ``host`` is one of the campaign's hosts or a subdomain of one."""
        host = host.lower().rstrip(".")
        return any(host == h or host.endswith("." + h) for h in self.hosts)

    def stamp(self, url: str) -> str:
        """``url`` with the parameters appended to its query, or as it is (see the module)."""
        if not self.params:
            return url
        try:
            parts = urlsplit(url)
            host = parts.hostname or ""
        except ValueError:  # e.g. an invalid IPv6 host: leave the URL as the author wrote it
            return url
        if parts.scheme.lower() not in ("http", "https") or not host or not self.owns(host):
            return url
        present = {k.lower() for k, _ in parse_qsl(parts.query, keep_blank_values=True)}
        if present & SIGNATURE_PARAMETERS or any(k.startswith("utm_") for k in present):
            return url
        query = urlencode(list(self.params.items()))
        return urlunsplit(parts._replace(query=f"{parts.query}&{query}" if parts.query
                                         else query))


def own_hosts(settings: Settings) -> frozenset[str]:
    """``[email.utm] domains``, else the portal's host and the hosts of ``[links]``."""
    if settings.email.utm.domains is not None:
        return frozenset(d.lower().strip(".") for d in settings.email.utm.domains)
    urls: Iterable[str | None] = (settings.portal.url, *settings.links.values())
    hosts = set()
    for url in urls:
        try:
            host = urlsplit(url or "").hostname
        except ValueError:
            continue
        if host:
            hosts.add(host.lower())
    return frozenset(hosts)


def campaign(settings: Settings, briefing: Briefing) -> Campaign:
    """The campaign of ``briefing``'s email; no parameters when no source is configured."""
    meta = briefing.meta
    return campaign_for(settings, slugify(meta.slug or "") or slugify(briefing.stem), meta.date)


def campaign_for(settings: Settings, slug: str, date: dt.date | None) -> Campaign:
    """The campaign called ``slug`` (an edition's, say)."""
    utm = settings.email.utm
    if not utm.source:
        return Campaign()
    params: dict[str, str] = {}
    for key in UtmSettings.PARAMETERS:
        value = getattr(utm, key)
        if value:
            expanded = expand(value, slug, date)
            if expanded:
                params[f"utm_{key}"] = expanded
    return Campaign(params, own_hosts(settings))


class CampaignLinks:
    """Mixed into a renderer (the email's HTML, its plain-text part): every link it renders
    goes through the campaign's :meth:`Campaign.stamp`."""

    campaign: Campaign

    def href(self, link: Link) -> str | None:
        """The link's URL, stamped; ``None`` for an unresolved link."""
        return self.campaign.stamp(link.url) if link.url is not None else None
