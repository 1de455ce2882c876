"""Text turned into names: URL-safe slugs and one-line labels."""

from __future__ import annotations

import re
import unicodedata

_NOT_SLUG_RE = re.compile(r"[^0-9a-z]+")


def slugify(text: str, fallback: str = "") -> str:
    """``"BURKINA FASO"`` → ``"burkina-faso"``; ``"Côte"`` → ``"cote"``.

    ASCII letters and digits joined by hyphens (heading anchors, campaign names, output file
    stems); ``fallback`` when nothing is left.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_SLUG_RE.sub("-", ascii_text.lower()).strip("-") or fallback


def one_line(text: str) -> str:
    """Metadata is one line: CR, LF and every other control or separator character become
    a space, so a headline can never start a new mail header or terminal sequence."""
    return " ".join("".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c
                            for c in text).split())
