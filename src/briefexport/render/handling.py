"""How a document is to be handled, in the words every output shows: the embargo notice and
the tags an email's subject carries before the headline."""

from __future__ import annotations

import datetime as dt

from briefexport.model import Document, Edition, Metadata
from briefexport.render.clock import now


def embargo_until(meta: Metadata, moment: dt.datetime | None = None) -> dt.datetime | None:
    """The embargo while it holds at ``moment`` (default: :func:`clock.now`); ``None`` once
    lifted: an embargo in the past is shown nowhere.  A kill notice has none: a withdrawal
    must reach every reader at once, not when the withdrawn briefing could first be used."""
    if meta.embargo is None or meta.killed:
        return None
    return meta.embargo if meta.embargo > (moment or now()) else None


def notice(until: dt.datetime | None) -> str | None:
    """``EMBARGOED UNTIL 2026-12-03 06:00 UTC`` for a holding embargo, else ``None``."""
    return f"EMBARGOED UNTIL {until:%Y-%m-%d %H:%M} UTC" if until else None


def embargo_notice(meta: Metadata, moment: dt.datetime | None = None) -> str | None:
    """A briefing's embargo notice while the embargo holds, else ``None``."""
    return notice(embargo_until(meta, moment))


def document_embargo(document: Document, moment: dt.datetime | None = None
                     ) -> dt.datetime | None:
    """A briefing's holding embargo; an edition's is the latest of its stories'."""
    if isinstance(document, Edition):
        held = [e for b in document.briefings if (e := embargo_until(b.meta, moment))]
        return max(held) if held else None
    return embargo_until(document.meta, moment)


def subject_tags(document: Document, moment: dt.datetime | None = None) -> list[str]:
    """What goes in brackets before an email's subject: the TLP marking, the classification
    and a holding embargo, in that order."""
    if isinstance(document, Edition):
        marking, classification = document.marking, document.classification
    else:
        marking, classification = document.meta.marking, document.meta.classification
    embargo = notice(document_embargo(document, moment))
    return [tag for tag in (marking, classification, embargo) if tag]
