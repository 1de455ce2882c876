""""Now", for what an output records of the moment it was made.

``SOURCE_DATE_EPOCH`` (reproducible builds) wins over everything, so that the same source and
configuration give the same bytes.
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
