"""Hyphenation the report's way: WeasyPrint's patterns, with limits, never inside a name.

WeasyPrint hyphenates with pyphen, which it asks for the dictionary of the text's language.
pyphen keeps one parsed dictionary per pattern file for the whole process; while a report is
laid out, :func:`names_kept` puts there a dictionary that finds no break in a capitalised word
(a place or person name: "Ouag-adougou", "Bobo-Di-oulasso"), so WeasyPrint never breaks one,
and puts the usual one back afterwards (under a lock: nothing else in the process sees it).
Marking each name in the HTML instead (a span with ``hyphens: manual``) cost a tenth of a
report's layout, and spans that start a line's last word trip a WeasyPrint line-breaking bug.

Where every noun is capitalised (German), capitals say nothing of names: those languages keep
their dictionary as it is.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyphen

#: CSS ``hyphenate-limit-chars``: words of 6 letters or more, never fewer than 3 on either side
#: of the break.  The writer's settings stylesheet carries them.
HYPHENATE_LIMITS = (6, 3, 3)

#: Languages whose common nouns are capitalised too (by primary subtag).
NOUNS_CAPITALISED = frozenset({"de", "lb"})


class NameSafeDictionary(pyphen.HyphDict):
    """A pattern dictionary that finds no break in a word that starts with a capital."""

    def positions(self, word: str) -> Any:
        if word[:1].isupper():
            return []
        return super().positions(word)


_LOCK = threading.RLock()
#: The name-safe dictionaries, parsed once per pattern file.
_SAFE: dict[Path, NameSafeDictionary] = {}


def _pattern_file(lang: str) -> Path | None:
    if lang.split("-")[0].lower() in NOUNS_CAPITALISED:
        return None
    found = pyphen.language_fallback(lang.replace("-", "_"))
    path = pyphen.LANGUAGES.get(found) if found else None
    return Path(path) if path is not None else None


@contextmanager
def names_kept(langs: Iterable[str]) -> Iterator[None]:
    """While the block runs, pyphen's dictionaries of ``langs`` break no capitalised word."""
    with _LOCK:
        saved: dict[Path, Any] = {}
        for lang in langs:
            path = _pattern_file(lang)
            if path is None or path in saved:
                continue
            saved[path] = pyphen.hdcache.get(path)
            safe = _SAFE.get(path)
            if safe is None:
                safe = _SAFE[path] = NameSafeDictionary(path)
            pyphen.hdcache[path] = safe
        try:
            yield
        finally:
            for path, previous in saved.items():
                if previous is None:
                    pyphen.hdcache.pop(path, None)
                else:
                    pyphen.hdcache[path] = previous
