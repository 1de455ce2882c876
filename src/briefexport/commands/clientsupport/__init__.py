"""The client-support lint: what in an email's final HTML some clients do not support.

:mod:`.reader` writes down what the HTML uses and :mod:`.detect` names it as caniemail
features; :func:`client_support` keeps those that a chosen client does not support or supports
only in part (:mod:`.data`, the vendored caniemail results), one :class:`Gap` per feature, with
the fallback the built-in templates have for it when there is one and it holds for this email
(:mod:`.fallbacks`).
"""

from __future__ import annotations

from typing import Any

from briefexport.commands.clientsupport.data import Client, Feature, clients, features, version
from briefexport.commands.clientsupport.detect import features_of, features_used
from briefexport.commands.clientsupport.fallbacks import FALLBACKS, Fallback
from briefexport.commands.clientsupport.reader import read
from briefexport.record import record

__all__ = ["FALLBACKS", "Gap", "client_support", "features_used", "version"]

#: How a report words caniemail's results.
_SUPPORT_WORDS = {"n": "unsupported", "a": "partial"}


@record
class Gap:
    """A feature the email uses that some of the chosen clients lack, fully or in part."""

    feature: Feature
    unsupported: tuple[Client, ...]
    partial: tuple[Client, ...]
    notes: dict[str, tuple[str, ...]]
    """Client name → caniemail's notes on its result (what "partly" means there)."""
    fallback: Fallback | None
    """What the built-in templates give the clients that lack it, if anything."""
    covered: bool
    """True when the fallback is true of this email (``Fallback.holds``)."""

    def message(self) -> str:
        """``display:flex: not supported in Outlook (Windows); partly in Gmail (iOS, Android)``"""
        said = []
        if self.unsupported:
            said.append(f"not supported in {client_list(self.unsupported)}")
        if self.partial:
            said.append(f"{'only ' if not said else ''}partly in {client_list(self.partial)}")
        return f"{self.feature.title}: {'; '.join(said)}"

    def hint(self) -> str:
        """The fallback the clients get, or what to do."""
        if self.fallback and self.covered:
            return self.fallback.says
        if self.fallback and self.fallback.then:
            return self.fallback.then
        return f"check the email in those clients, or do without it: {self.feature.url}"

    def details(self) -> dict[str, Any]:
        """The JSON record of the feature, every client named."""
        support = {c.name: _SUPPORT_WORDS["n"] for c in self.unsupported}
        support |= {c.name: _SUPPORT_WORDS["a"] for c in self.partial}
        return {"feature": self.feature.slug, "title": self.feature.title,
                "url": self.feature.url, "clients": support,
                "notes": {name: list(texts) for name, texts in self.notes.items()},
                "fallback": self.fallback.says if self.fallback and self.covered else None}


def client_list(chosen: tuple[Client, ...]) -> str:
    """``Gmail (iOS, Android), Outlook (Windows)``: one family at a time, in the data's order."""
    by_family: dict[str, list[str]] = {}
    for client in chosen:
        by_family.setdefault(client.family.title, []).append(client.label)
    return ", ".join(f"{family} ({', '.join(labels)})" for family, labels in by_family.items())


def client_support(html: str, families: tuple[str, ...] | None = None) -> list[Gap]:
    """The features ``html`` uses that a client of ``families`` (every family when None)
    lacks, in whole or in part, by slug.

    ``html`` is the email as sent: after MJML and the inliner.  Outlook for Windows is judged on
    what it sees, without what ``<!--[if !mso]><!-->`` hides from it.
    """
    chosen = clients(families)
    known = features()
    usage = read(html)
    seen_by_mso = features_of(usage.mso)
    gaps = []
    for slug in sorted(features_of(usage.facts)):
        feature = known[slug]
        results = [(client, feature.result(client)) for client in chosen
                   if slug in seen_by_mso or not client.reads_mso]
        lacking = [(c, r) for c, r in results if r is not None and r.support in _SUPPORT_WORDS]
        if not lacking:
            continue
        fallback = FALLBACKS.get(slug)
        gaps.append(Gap(feature,
                        tuple(c for c, r in lacking if r.support == "n"),
                        tuple(c for c, r in lacking if r.support == "a"),
                        {c.name: r.notes for c, r in lacking if r.notes},
                        fallback, fallback is not None and fallback.holds(usage)))
    return gaps
