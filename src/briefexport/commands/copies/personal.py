"""What makes a copy a client's own: the token of their personal links, and the links.

The token is an HMAC-SHA256 of the recipient's id keyed by a secret that only the process
that reads the recipients file holds: it comes from the environment (never a file), is never
written out, and never leaves that process (workers receive tokens, not the secret).
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import os
from urllib.parse import quote

from briefexport.config import CopiesSettings, Settings
from briefexport.errors import BriefexportError
from briefexport.model import Briefing, Link, Recipient, replace_links

#: How many hex characters of the HMAC a token keeps: 128 bits, short enough for a URL.
TOKEN_CHARS = 32


class SecretMissing(BriefexportError):
    """The secret personal links need is not in the environment."""


def secret(copies: CopiesSettings, unsubscribe_url: str | None = None) -> bytes | None:
    """The secret from the environment variable ``[copies] secret_env`` names.

    ``None`` when no setting needs one; a missing secret where one is needed is an error
    before any work starts.
    """
    if not needs_secret(copies, unsubscribe_url):
        return None
    value = os.environ.get(copies.secret_env, "")
    if not value:
        raise SecretMissing(f"[copies] portal_link or [email] unsubscribe_url needs a {{token}}: "
                            f"set the secret in the environment variable {copies.secret_env}")
    return value.encode("utf-8")


def needs_secret(copies: CopiesSettings, unsubscribe_url: str | None = None) -> bool:
    """Whether any personal link of a copy takes a token."""
    return any("{token}" in (url or "") for url in (copies.portal_link, unsubscribe_url))


def token(key: bytes, recipient_id: str) -> str:
    """The recipient's token: HMAC-SHA256 of their id, hex, first :data:`TOKEN_CHARS`."""
    return hmac.new(key, recipient_id.encode("utf-8"), hashlib.sha256).hexdigest()[:TOKEN_CHARS]


def with_tokens(recipients: tuple[Recipient, ...], key: bytes | None
                ) -> tuple[Recipient, ...]:
    """The recipients with their tokens (unchanged without a secret)."""
    if key is None:
        return recipients
    return tuple(dataclasses.replace(r, token=token(key, r.id)) for r in recipients)


def personalise(briefing: Briefing, settings: Settings, recipient: Recipient) -> Briefing:
    """``briefing`` with every link into the portal made the recipient's own."""
    pattern, portal = settings.copies.portal_link, settings.portal.url
    if not pattern or not portal:
        return briefing
    values = {"token": recipient.token or "", "id": quote(recipient.id, safe="")}

    def change(link: Link) -> Link:
        if link.url is None or not link.url.startswith(portal.rstrip("/")):
            return link
        return dataclasses.replace(link, url=pattern.format_map({**values, "url": link.url}))

    changed: Briefing = replace_links(briefing, change)
    return changed
