""""Now", for what an output records of the moment it was made, and for embargoes.

``SOURCE_DATE_EPOCH`` (reproducible builds) wins over everything an output records, so that
the same source and configuration give the same bytes.  Whether an embargo has lifted is a
question about the real moment, which ``BRIEFEXPORT_NOW`` may set (tests, a rehearsal).
"""

from __future__ import annotations

import datetime as dt
import os


def build_time() -> dt.datetime:
    """"Now" for an output's dates: ``SOURCE_DATE_EPOCH`` when set, for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def reproducible() -> bool:
    """Whether ``SOURCE_DATE_EPOCH`` fixes "now"."""
    return os.environ.get("SOURCE_DATE_EPOCH", "").strip().isdigit()


def w3c_date(moment: dt.datetime) -> str:
    """The W3C date-time form WeasyPrint reads from ``<meta name=dcterms.*>``."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


#: The environment variable that sets the moment embargoes are judged at (ISO 8601 with a
#: time zone); the real clock otherwise.
NOW_VARIABLE = "BRIEFEXPORT_NOW"


def now() -> dt.datetime:
    """The moment an embargo is judged at: ``BRIEFEXPORT_NOW`` when set, else the clock.

    ``SOURCE_DATE_EPOCH`` does not move it: a reproducible build of an embargoed briefing
    must not lift the embargo because its recorded date is in the past.
    """
    value = os.environ.get(NOW_VARIABLE, "").strip()
    if value:
        try:
            moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            raise ValueError(f"{NOW_VARIABLE} must be ISO 8601 with a time zone, such as "
                             f"2026-12-03T05:00:00Z, not {value!r}")
        try:
            return moment.astimezone(dt.UTC)
        except OverflowError:
            raise ValueError(f"{NOW_VARIABLE} is out of range: {value!r}") from None
    return dt.datetime.now(dt.UTC)
