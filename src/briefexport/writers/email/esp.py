"""Campaign-tool (ESP) profiles: the merge tags a platform swaps for each subscriber's links.

A tag must reach the platform byte for byte, so the email writer never lets MJML, the CSS
inliner or any escaping see one: it puts an opaque token (:class:`Tokens`) in its place and
swaps the exact tag in at the very end.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup, escape

from briefexport.choices import ESP_PROFILES
from briefexport.config import EmailSettings
from briefexport.model import Recipient
from briefexport.record import record
from briefexport.writers.email.unsubscribe import unsubscribe


@record
class EspLink:
    """One footer link of a profile: a merge tag, or a configured URL (``generic``)."""

    tag: str
    """What the platform replaces: goes into ``href`` and into the plain text."""
    element: str | None = None
    """Campaign Monitor style: the HTML is ``<element>label</element>``, not ``<a href>``."""
    is_tag: bool = True
    """False for a real URL from the config, which is escaped like any other URL."""


def footer_links(esp: str, unsubscribe_url: str | None = None,
                 web_version_url: str | None = None) -> tuple[EspLink | None, EspLink | None]:
    """``(web_version, unsubscribe)`` links for a profile; ``None`` where there is none.

    A profile's own tag wins; the configured URLs fill the gaps (all of ``generic``, the web
    version of platforms that have no tag for it).  ``unsubscribe_url`` is this copy's (see
    :func:`briefexport.writers.email.unsubscribe.unsubscribe`).
    """
    profile = ESP_PROFILES[esp]
    web = (EspLink(profile.web_version, profile.html_web_version_element)
           if profile.web_version else
           EspLink(web_version_url, is_tag=False) if web_version_url else None)
    unsub = (EspLink(profile.unsubscribe, profile.html_unsubscribe_element)
             if profile.unsubscribe else
             EspLink(unsubscribe_url, is_tag=False) if unsubscribe_url else None)
    return web, unsub


def copy_footer_links(email: EmailSettings, recipient: Recipient | None
                      ) -> tuple[EspLink | None, EspLink | None]:
    """:func:`footer_links` for one copy: the generic unsubscribe URL filled for
    ``recipient``, or left out when it needs one and there is none."""
    return footer_links(email.esp, unsubscribe(email.unsubscribe_url, recipient).link,
                        email.web_version_url)


@dataclass
class Tokens:
    """Opaque stand-ins for raw markup, swapped back in after compilation and inlining.

    Tokens are letters, digits and hyphens only, so no URL encoder, HTML serializer or CSS
    inliner has a reason to change them; they are numbered, so output stays deterministic.
    """

    raw: dict[str, str] = field(default_factory=dict)

    def token(self, markup: str) -> Markup:
        """A token that :meth:`substitute` turns back into ``markup``."""
        for key, value in self.raw.items():
            if value == markup:
                return Markup(key)
        key = f"BRIEFEXPORT-ESP-{len(self.raw)}-TOKEN"
        self.raw[key] = markup
        return Markup(key)

    def link(self, link: EspLink, label: str) -> Markup:
        """The footer link's HTML, with every merge tag behind a token."""
        if link.element:
            return self.token(f"<{link.element}>{escape(label)}</{link.element}>")
        href = self.token(link.tag) if link.is_tag else escape(link.tag)
        return Markup('<a href="{0}">{1}</a>').format(href, label)

    def substitute(self, html: str) -> str:
        """Swap every token for its markup; each must have survived exactly where it was put."""
        for key, value in self.raw.items():
            if key not in html:
                raise ValueError(f"{key} was lost on the way through MJML or the inliner")
            html = html.replace(key, value)
        return html
