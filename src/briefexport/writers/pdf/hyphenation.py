"""Hyphenation the report's way: WeasyPrint's patterns, with limits, never inside a name.

WeasyPrint hyphenates with pyphen, which it asks for the dictionary of the text's language.
pyphen keeps one parsed dictionary per pattern file for the whole process; :func:`use_for`
puts there, once, a dictionary that finds no break in a capitalised word (a place or person
name: "Ouag-adougou", "Bobo-Di-oulasso"), so WeasyPrint never breaks one.  Marking each name in
the HTML instead (a span with ``hyphens: manual``) cost a tenth of a report's layout, and spans
that start a line's last word trip a WeasyPrint line-breaking bug.

Where every noun is capitalised (German), capitals say nothing of names: those languages keep
their dictionary as it is.
"""

from __future__ import annotations

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


def use_for(lang: str) -> None:
    """Make pyphen's dictionary for ``lang`` (shared with WeasyPrint) the name-safe one."""
    if lang.split("-")[0].lower() in NOUNS_CAPITALISED:
        return
    found = pyphen.language_fallback(lang.replace("-", "_"))
    path = pyphen.LANGUAGES.get(found) if found else None
    if path is not None and not isinstance(pyphen.hdcache.get(path), NameSafeDictionary):
        pyphen.hdcache[path] = NameSafeDictionary(path)
