"""What an email's final HTML uses, named as caniemail features.

The facts :mod:`.reader` writes down — an element, an attribute, a property, a unit, a
selector's parts… — are matched to caniemail's features through a table built from caniemail's
own titles and slugs (``<p> element``, ``align attribute``, ``display:flex``, ``rgba()``, ``em
unit``, ``@media (prefers-color-scheme)``, ``css-pseudo-class-hover``…), so a feature caniemail
adds under its naming scheme is found without a change here; only features in the data are
ever reported.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import cache

from briefexport.commands.clientsupport.data import Feature, features
from briefexport.commands.clientsupport.reader import Fact, longhand_of, read

#: Features caniemail names in words rather than by its scheme: the facts each one covers.
_NAMED: dict[str, tuple[Fact, ...]] = {
    "html-h1-h6": tuple(("element", f"h{n}") for n in range(1, 7)),
    "html-semantics": tuple(("element", tag) for tag in (
        "article", "aside", "details", "figcaption", "figure", "footer", "header", "main",
        "mark", "nav", "section", "summary", "time")),
    "html-address": (("element", "address"),),
    "html-image-maps": (("element", "map"), ("element", "area"), ("attribute", "usemap")),
    "html-srcset": (("attribute", "srcset"), ("attribute", "sizes")),
    "css-variables": (("function", "var"),),
    "css-unit-initial": (("keyword", "initial"),),
}
#: Features whose title lists values of a property, not properties (``system-ui, ui-serif…``).
_KEYWORD_TITLES = ("css-sytem-ui", "css-intrinsic-size")
_NAME = re.compile(r"-?[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


# --------------------------------------------------------------------------- facts → features


def _facts_of(feature: Feature) -> Iterator[Fact]:
    """The facts that mean ``feature`` is used, read from its slug and title."""
    slug, title = feature.slug, feature.title
    yield ("feature", slug)  # detectors that name a feature outright
    yield from _NAMED.get(slug, ())
    if slug in _KEYWORD_TITLES:
        yield from (("keyword", word) for word in title.split(", "))
        return
    if match := re.fullmatch(r"css-(pseudo-class|pseudo-element|selector)-(.+)", slug):
        yield (match[1], match[2])
        return
    if match := re.fullmatch(r"css-(.+)-attribute", slug):
        yield ("attribute", match[1])
        return
    if feature.category == "html":
        for tag, attribute, value in re.findall(r'<(\w+)(?: (\w+)="(\w+)")?>', title):
            yield ("element-attribute", tag, attribute, value) if attribute else (
                "element", tag)
        if match := re.fullmatch(r"([a-z-]+) attribute", title):
            yield ("attribute", match[1])
        return
    if feature.category != "css":
        return
    if match := re.fullmatch(r"@([a-z-]+)", title):
        yield ("at-rule", match[1])
    elif title.startswith("@media"):
        yield from (("media-feature", name) for name in re.findall(r"\(([-a-z]+)\)", title))
    elif match := re.fullmatch(r"([a-z-]+):\s*([a-z-]+)", title):
        yield ("value", match[1], match[2])
    elif match := re.fullmatch(r"(%|[a-z]+) unit", title):
        yield ("unit", match[1])
    elif "()" in title:
        yield from (("function", name) for name in re.findall(r"([a-z-]+)\(\)", title))
    else:
        parts = re.split(r", | & ", re.sub(r" (?:CSS property|property|shorthand)$", "", title))
        if all(_NAME.fullmatch(part) for part in parts):  # not "css column properties"
            yield from (("property", part) for part in parts)


@cache
def _table() -> dict[Fact, frozenset[str]]:
    """Each fact → the slugs of the features it means."""
    table: defaultdict[Fact, set[str]] = defaultdict(set)
    for feature in features().values():
        for fact in _facts_of(feature):
            table[fact].add(feature.slug)
    return {fact: frozenset(slugs) for fact, slugs in table.items()}


def features_used(html: str) -> frozenset[str]:
    """The slugs of the caniemail features ``html`` uses."""
    return features_of(read(html).facts)


def features_of(found: Iterable[Fact]) -> frozenset[str]:
    """The slugs of the caniemail features the facts ``found`` mean."""
    table = _table()
    slugs: set[str] = set()
    for fact in found:
        slugs |= table.get(fact, frozenset())
        if fact[0] == "property":  # caniemail's margin, border… stand for their longhands too
            slugs |= table.get(("property", longhand_of(fact[1])), frozenset())
    return frozenset(slugs)


