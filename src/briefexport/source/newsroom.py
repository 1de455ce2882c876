"""The front matter of wire copy: embargo, urgency, status, version and corrections, each
checked for its kind with the key and line named in the error, and the kill notice that a
``status: canceled`` briefing becomes."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

from briefexport.choices import PUB_STATUSES
from briefexport.errors import SourceError
from briefexport.limits import DEFAULT_URGENCY, URGENCY_RANGE
from briefexport.model import Briefing, Correction, Diagnostic
from briefexport.names import one_line
from briefexport.source.frontmatter import date_field, key_error

#: The one line a kill notice says besides its headline and reference.
KILL_NOTICE = "This briefing has been withdrawn and must not be used."


def embargo_field(fm: Mapping[str, Any], path: str) -> dt.datetime | None:
    """``embargo``: an ISO 8601 moment with a time zone, kept in UTC."""
    value = fm.get("embargo")
    if value is None:
        return None
    moment = None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            moment = None
    if moment is None:
        shown = value if isinstance(value, str) else type(value).__name__
        raise key_error(fm, "embargo", "must be a moment such as 2026-12-03T06:00:00Z, not "
                        f"{one_line(str(shown))[:40]!r}", path)
    if moment.tzinfo is None:
        # YAML reads a zone-less time as naive: never guess whose morning it is.
        raise key_error(fm, "embargo", "needs a time zone (Z or +01:00), not "
                        f"{one_line(str(value))[:40]!r}", path)
    try:
        return moment.astimezone(dt.UTC)
    except OverflowError:
        raise key_error(fm, "embargo", "is out of range", path) from None


def urgency_field(fm: Mapping[str, Any], path: str) -> int:
    """``urgency``: 1 (flash) to 9 (lowest); the default when absent."""
    value = fm.get("urgency")
    if value is None:
        return DEFAULT_URGENCY
    low, high = URGENCY_RANGE
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise key_error(fm, "urgency", f"must be a whole number from {low} (flash) to {high}, "
                        f"not {one_line(str(value))[:20]!r}", path)
    return value


def status_field(fm: Mapping[str, Any], path: str) -> str:
    """``status``: usable (the default), withheld or canceled."""
    value = fm.get("status")
    if value is None:
        return PUB_STATUSES[0]
    word = value.strip().lower() if isinstance(value, str) else None
    if word == "cancelled":  # British spelling, ninjs's word
        word = "canceled"
    if word not in PUB_STATUSES:
        raise key_error(fm, "status", f"must be one of {', '.join(PUB_STATUSES)}, not "
                        f"{one_line(str(value))[:20]!r}", path)
    return word


def version_field(fm: Mapping[str, Any], path: str) -> int:
    """``version``: a whole number from 1."""
    value = fm.get("version", 1)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise key_error(fm, "version", f"must be a whole number from 1, not "
                        f"{one_line(str(value))[:20]!r}", path)
    return value


def corrections_field(fm: Mapping[str, Any], version: int, path: str
                      ) -> tuple[tuple[Correction, ...], list[Diagnostic]]:
    """``corrections``: a list of ``{date, note}``, oldest first, for a version above 1."""
    value = fm.get("corrections")
    warnings: list[Diagnostic] = []
    if value is None or value == []:
        if version > 1:
            line = fm.line("version") if hasattr(fm, "line") else None
            warnings.append(Diagnostic(path, line, f"version {version} has no 'corrections': "
                                       "say what changed", "no-corrections"))
        return (), warnings
    if not isinstance(value, list):
        raise key_error(fm, "corrections", "must be a list of {date, note}", path)
    if version == 1:
        raise key_error(fm, "corrections", "belong to a later version: set 'version' above 1",
                        path)
    out = []
    for n, item in enumerate(value):
        if not isinstance(item, dict) or not isinstance(item.get("note"), str) or not (
                item["note"].strip()):
            raise key_error(fm, "corrections", f"entry {n + 1} needs a 'date' and a 'note'",
                            path, n)
        try:
            date = date_field(item.get("date"), path, "a correction's date")
        except SourceError:
            date = None
        if date is None:
            raise key_error(fm, "corrections", f"entry {n + 1} needs a 'date' as YYYY-MM-DD",
                            path, n)
        out.append(Correction(date, one_line(item["note"])))
    return tuple(out), warnings


def tier_field(fm: Mapping[str, Any], order: tuple[str, ...], path: str) -> str | None:
    """``tier``: the lowest client tier that may receive the briefing, from ``[tiers] order``."""
    value = fm.get("tier")
    if value is None:
        return None
    word = value.strip().lower() if isinstance(value, str) else None
    if word not in order:
        raise key_error(fm, "tier", f"must be one of [tiers] order ({', '.join(order)}), not "
                        f"{one_line(str(value))[:20]!r}", path)
    return word


def kill_notice(briefing: Briefing) -> Briefing:
    """What a killed briefing becomes in every output: its headline, the kill line and its
    reference, and nothing of its content (no body, link, call to action, figure, judgement,
    rating or contact that a template could still show)."""
    meta = dataclasses.replace(briefing.meta, summary=KILL_NOTICE, author=None, region=None,
                               tags=(), extra=(), corrections=())
    # What the reader noticed in the withdrawn content is moot; what it noticed in the front
    # matter (an unknown key, a version without corrections) still is.
    kept = tuple(w for w in briefing.warnings if w.code in FRONT_MATTER_CODES)
    return dataclasses.replace(briefing, meta=meta, blocks=(), links=(), ctas=(),
                               key_judgements=(), key_judgements_line=None, risk=None,
                               contact=None, text="", warnings=kept)


#: The reader's warnings about the front matter, which a kill notice keeps.
FRONT_MATTER_CODES = frozenset({"unknown-key", "no-corrections"})
