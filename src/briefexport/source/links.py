"""Link policy: which URLs are placeholders, which schemes are refused, how placeholders are
resolved and what makes a link a call to action.

The reader applies it to every link of a source; the preflight judges URLs with the same rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from urllib.parse import unquote

from briefexport.config import Settings

#: Link texts ending in one of these make a lone link a call to action.
CTA_ARROWS = (">>", "»", "›", "→")

#: Schemes never allowed as link targets, whatever the source says.
_REFUSED_SCHEMES = ("javascript", "vbscript", "file", "data")
_SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_SAFE_IMAGE_DATA_RE = re.compile(r"^data:image/(gif|png|jpeg|webp);", re.IGNORECASE)

Resolver = Callable[[str, bool], str | None]
"""Given a link text and whether it is a call to action, return a URL for a placeholder."""


def url_scheme(url: str) -> str | None:
    """The scheme of an absolute URL, lower-cased; ``None`` for a relative one."""
    match = _SCHEME_RE.match(url.strip())
    return match[1].lower() if match else None


def is_placeholder(url: str) -> bool:
    """``#`` and the empty URL are placeholders editors fill in later."""
    return url.strip() in ("", "#")


def refused_scheme(url: str, *, image: bool = False) -> str | None:
    """The scheme name if ``url`` must never become a link (or an image source)."""
    # markdown-it percent-encodes what it normalises (a tab becomes %09): judge the decoded
    # form too, so that `java%09script:` is refused like the `javascript:` a browser sees.
    decoded = unquote(url)
    cleaned = "".join(ch for ch in decoded if ch.isprintable() and not ch.isspace())
    scheme = url_scheme(cleaned)
    if scheme is None:
        return None
    if scheme == "data" and image and _SAFE_IMAGE_DATA_RE.match(cleaned):
        return None
    return scheme if scheme in _REFUSED_SCHEMES else None


def cta_label(text: str) -> str | None:
    """The label of a call to action, or ``None`` if ``text`` has no trailing arrow."""
    stripped = text.rstrip()
    for arrow in CTA_ARROWS:
        if stripped.endswith(arrow):
            return stripped[: -len(arrow)].rstrip()
    return None


#: Typographic marks the reader sets in link text, back to what a ``links`` key is typed with.
_PLAIN_MARKS = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201c": '"',
                              "\u201d": '"', "\u201e": '"', "\u2013": "--", "\u2014": "---",
                              "\u2026": "...", "\u00ab": '"', "\u00bb": '"', "\u2039": "'",
                              "\u203a": "'", "\u202f": ""})


def _norm(text: str) -> str:
    """A lookup key: spaces collapsed, case folded, quotes and dashes as typed."""
    return " ".join(text.translate(_PLAIN_MARKS).split()).casefold()


def make_resolver(fm_links: Mapping[str, str], settings: Settings) -> Resolver:
    """Placeholder resolution: front matter ``links``, then ``[links]``, then the portal."""
    tables = [{_norm(k): v for k, v in fm_links.items()},
              {_norm(k): v for k, v in settings.links.items()}]

    def resolve(text: str, is_cta: bool) -> str | None:
        key = _norm(text)
        for table in tables:
            if key in table and not is_placeholder(table[key]):
                return table[key]
        if is_cta:
            return settings.portal.url
        return None

    return resolve
