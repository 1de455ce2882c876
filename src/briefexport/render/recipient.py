"""Who one copy of a document is for: the values a personal link is filled with.

A plain export has no recipient; client copies render each copy with one, so the copy's
unsubscribe link and ``List-Unsubscribe`` name the person who would use them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Recipient:
    """One recipient of a copy."""

    id: str
    email: str
    name: str = ""
    organisation: str = ""
    tier: str | None = None
    token: str | None = None
    """The recipient's token for personal links (derived from a secret; never written out
    but inside the links it fills)."""

    def placeholders(self) -> dict[str, str]:
        """The values a personal URL's ``{name}`` placeholders take for this recipient."""
        values = {"recipient": self.email}
        if self.token:
            values["token"] = self.token
        return values
