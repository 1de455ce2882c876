"""The ``generic`` profile's unsubscribe URL, made personal.

RFC 8058's one-click unsubscribe is a POST to the header's URL with nothing else in it, so
the URL itself must say who is leaving: a ``{token}`` or ``{recipient}`` placeholder, filled
for each recipient.  A fixed URL still serves the footer link (a page where a reader says who
they are), never the header.
"""

from __future__ import annotations

from urllib.parse import quote

from briefexport.choices import UNSUBSCRIBE_PLACEHOLDERS
from briefexport.config import pattern_names
from briefexport.model import Recipient
from briefexport.record import record


@record
class Unsubscribe:
    """Where the footer's link and the ``List-Unsubscribe`` header go, and why not."""

    link: str | None
    """The footer's unsubscribe URL; ``None`` when there is none for this copy."""
    header: str | None
    """The one-click URL for ``List-Unsubscribe``; ``None`` when there must be none."""
    problem: str | None
    """Why there is no header (or no link), in words for a warning."""


def fill(url: str, values: dict[str, str]) -> str:
    """``url`` with its placeholders replaced by ``values``, each percent-encoded whole."""
    return url.format_map({name: quote(value, safe="") for name, value in values.items()})


def unsubscribe(url: str | None, recipient: Recipient | None) -> Unsubscribe:
    """The generic profile's unsubscribe URL for ``recipient`` (``None`` in a plain export)."""
    if not url:
        return Unsubscribe(None, None, "there is no [email] unsubscribe_url")
    names = pattern_names(url)  # the config refused unknown names
    if not names & set(UNSUBSCRIBE_PLACEHOLDERS):
        return Unsubscribe(url, None, "[email] unsubscribe_url names no recipient (it needs "
                           "{token} or {recipient}), so one-click unsubscribe could not tell "
                           "who asked")
    values = recipient.placeholders() if recipient else {}
    missing = sorted(names - values.keys())
    if missing:
        return Unsubscribe(None, None, "[email] unsubscribe_url's "
                           + ", ".join(f"{{{name}}}" for name in missing)
                           + " is filled for each recipient of a client copy, and this "
                           "export has none")
    personal = fill(url, values)
    if not personal.lower().startswith("https://"):
        return Unsubscribe(personal, None, "one-click unsubscribe needs an https "
                           "[email] unsubscribe_url")
    return Unsubscribe(personal, personal, None)
