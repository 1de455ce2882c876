"""What an email's final HTML uses, written down as facts.

The HTML is read with the standard library's parser and its CSS (``<style>`` elements and
``style`` attributes) with tinycss2.  A fact is a tuple of lowercase words, its kind first:
``("element", "p")``, ``("attribute", "lang")``, ``("property", "margin-top")``, ``("unit",
"px")``, ``("selector", "child")``, ``("on", "width", "img", "100%")`` (a declaration and the
element it is on, ``""`` in a style sheet)…  :mod:`.detect` matches them to caniemail's
features; :mod:`.fallbacks` checks its claims against them.

Inside comments nothing is read: Outlook's ``<!--[if mso]>`` blocks are for the Word-rendered
Outlook for Windows, and written for it.  What ``<!--[if !mso]><!-->`` keeps from that Outlook
is read, but left out of :attr:`Usage.mso`, the facts Outlook for Windows sees.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import cached_property, lru_cache
from html.parser import HTMLParser
from typing import Any

import tinycss2

from briefexport.record import record

#: A fact about the HTML: its kind, then the words it is about.
Fact = tuple[str, ...]

#: Image file name extensions caniemail's ``image-*`` slugs spell another way.
_IMAGE_ALIASES = {"jpeg": "jpg", "tif": "tiff", "heic": "heif", "svg+xml": "svg"}
#: Pseudo-elements CSS 2 wrote with one colon, which are still pseudo-elements.
_LEGACY_PSEUDO_ELEMENTS = frozenset({"before", "after", "first-line", "first-letter"})
_NOT_MSO_START = re.compile(r"\[if\s+!mso[^\]]*\]><!$", re.IGNORECASE)
_NOT_MSO_END = re.compile(r"^<!\[endif\]$", re.IGNORECASE)
_PIXELS_PER_INCH = re.compile(r"<o:PixelsPerInch>\s*(\d+)", re.IGNORECASE)
_MSO_TABLE_BORDER = re.compile(r"^\[if [^\]]*mso[^\]]*\]>\s*<table[^>]*border", re.IGNORECASE)
_SIDES = re.compile(r"-(?:top|right|bottom|left)\b")


def longhand_of(name: str) -> str:
    """The shorthand a side's property belongs to: ``border-top-color`` → ``border``."""
    name = _SIDES.sub("", name)
    return re.sub(r"^(border|outline)-(?:width|style|color)$", r"\1", name)


@record
class Usage:
    facts: frozenset[Fact]
    """Everything the HTML uses."""
    mso: frozenset[Fact]
    """What Outlook for Windows sees of it: all but what ``<!--[if !mso]><!-->`` hides."""

    @cached_property
    def declared(self) -> dict[str, list[tuple[str, str]]]:
        """Property → (element, or ``""`` in a style sheet; value) of each declaration, a side's
        property (``margin-top``) under its shorthand's name too."""
        found: dict[str, list[tuple[str, str]]] = {}
        for fact in self.facts:
            if fact[0] == "on":
                for name in {fact[1], longhand_of(fact[1])}:
                    found.setdefault(name, []).append((fact[2], fact[3]))
        return found


def read(html: str) -> Usage:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return Usage(frozenset(reader.facts), frozenset(reader.mso))


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.facts: set[Fact] = set()
        self.mso: set[Fact] = set()
        self._not_mso = 0  # depth of <!--[if !mso]><!--> blocks
        self._style: list[str] | None = None
        self._in_body = False
        self._bordered: str | None = None  # a <p> or <div> with a border, just met

    def close(self) -> None:
        super().close()
        self._border_stands()

    def _border_stands(self) -> None:
        # Outlook for Windows draws no reliable border on a <p> or a <div>; MJML's divider
        # follows its <p> with a ghost table that draws it for Outlook.
        if self._bordered:
            self.add([("border-on", self._bordered)])
            self._bordered = None

    def add(self, facts: Iterable[Fact]) -> None:
        facts = set(facts)
        self.facts |= facts
        if not self._not_mso:
            self.mso |= facts

    def handle_decl(self, decl: str) -> None:
        if decl.lower().split() == ["doctype", "html"]:
            self.add([("feature", "html-doctype")])

    def handle_comment(self, data: str) -> None:
        self.add([("feature", "html-comments")])
        if _NOT_MSO_START.search(data.strip()):
            self._not_mso += 1
        elif _NOT_MSO_END.match(data.strip()) and self._not_mso:
            self._not_mso -= 1
        elif match := _PIXELS_PER_INCH.search(data):
            self.add([("mso-pixels-per-inch", match[1])])
        elif self._bordered and _MSO_TABLE_BORDER.search(data.strip()):
            self._bordered = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._border_stands()
        values = {name: (value or "") for name, value in attrs}
        self.add(element_facts(tag, values))
        if tag == "body":
            self._in_body = True
        if tag == "style":
            self._style = []
            if self._in_body:
                self.add([("style-in-body",)])
        if "style" in values:
            found = style_attribute_facts(tag, values["style"])
            self.add(found)
            if tag in ("p", "div") and any(
                    f[0] == "on" and longhand_of(f[1]) == "border" and f[3] not in ("none", "0")
                    for f in found):
                self._bordered = tag

    def handle_data(self, data: str) -> None:
        if self._style is not None:
            self._style.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "style" and self._style is not None:
            self.add(css_facts("".join(self._style)))
            self._style = None


def element_facts(tag: str, values: dict[str, str]) -> Iterator[Fact]:
    yield ("element", tag)
    for name, value in values.items():
        yield ("attribute", name)
        yield ("element-attribute", tag, name, value.strip().lower())
    href = values.get("href", "").strip()
    if tag == "a" and ("name" in values or href.startswith("#")):
        yield ("feature", "html-anchor-links")
    if tag == "a" and href.lower().startswith("mailto:"):
        yield ("feature", "html-mailto-links")
        query = href.partition("?")[2]
        yield from (("mailto", field.partition("=")[0].lower())
                    for field in query.split("&") if field)
    if tag == "meta" and values.get("name", "").lower() == "color-scheme":
        yield ("feature", "html-meta-color-scheme")
    if tag == "img":
        if "width" not in values:
            yield ("unsized", "img")
        if values.get("src"):
            yield from image_facts(values["src"])


def image_facts(src: str) -> Iterator[Fact]:
    """An image's format, from its ``data:`` type or its file name's extension."""
    if match := re.match(r"data:image/([\w.+-]+)", src, re.IGNORECASE):
        yield ("feature", "image-base64")
        kind = match[1].lower()
    else:
        path = src.split("?")[0].split("#")[0]
        kind = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    if kind:
        yield ("feature", f"image-{_IMAGE_ALIASES.get(kind, kind)}")


# --------------------------------------------------------------------------- CSS


@lru_cache(maxsize=4096)  # MJML and the inliner write the same few styles on many elements
def style_attribute_facts(tag: str, css: str) -> frozenset[Fact]:
    """What a ``style`` attribute uses; ``tag`` is the element it is on."""
    items = tinycss2.parse_blocks_contents(css, skip_comments=False, skip_whitespace=True)
    declared = {item.lower_name: item for item in items if item.type == "declaration"}
    found = {*_block(items, nested=False, tag=tag), *_important(css, inline=True)}
    # What needs two declarations on one element, for the fallbacks to check.
    if "line-height" in declared:
        rule = declared.get("mso-line-height-rule")
        found.add(("line-height", tag, _serialise(declared["line-height"].value),
                   _serialise(rule.value) if rule else ""))
    if "display" in declared and _serialise(declared["display"].value) == "none":
        hide = declared.get("mso-hide")
        found.add(("display-none", tag, _serialise(hide.value) if hide else ""))
    return frozenset(found)


@lru_cache(maxsize=64)  # every email of a batch has the same style sheets
def css_facts(css: str) -> frozenset[Fact]:
    """What a style sheet uses."""
    return frozenset({
        *_rules(tinycss2.parse_stylesheet(css, skip_comments=False, skip_whitespace=True)),
        *_important(css, inline=False)})


def _important(css: str, *, inline: bool) -> Iterator[Fact]:
    """How ``!important`` is written: Gmail reads it in lowercase only, Outlook for Windows
    only after a space and never inline."""
    for match in re.finditer(r"(.)!\s*(important)", css, re.IGNORECASE | re.DOTALL):
        yield ("important", "inline" if inline else "style-sheet")
        if match[2] != "important":
            yield ("important", "not-lowercase")
        if not match[1].isspace():
            yield ("important", "no-space-before")


def _serialise(tokens: Iterable[Any]) -> str:
    return " ".join(tinycss2.serialize(list(tokens)).lower().split())


def _rules(rules: Iterable[Any], *, keyframes: bool = False, within: str = ""
           ) -> Iterator[Fact]:
    for rule in rules:
        if rule.type == "comment":
            yield ("feature", "css-comments")
        elif rule.type == "at-rule":
            if within:
                yield ("nested-at-rule", within, rule.lower_at_keyword)
            yield from _at_rule(rule)
        elif rule.type == "qualified-rule":
            if not keyframes:  # "from", "50%": keyframe selectors, not element selectors
                yield from selector_facts(rule.prelude)
            yield from _block(_contents(rule.content), nested=True, tag="")


def _at_rule(rule: Any) -> Iterator[Fact]:
    name = rule.lower_at_keyword
    yield ("at-rule", name)
    if name == "media":
        for query in _blocks(rule.prelude):
            yield from (("media-feature", _media_feature(token.lower_value))
                        for token in query[:1] if token.type == "ident")
    if rule.content is None:
        return
    rules = tinycss2.parse_rule_list(rule.content, skip_comments=False, skip_whitespace=True)
    if name in ("media", "supports", "document", "layer", "container"):
        yield from _rules(rules, within=name)
    elif name.endswith("keyframes"):
        yield from _rules(rules, keyframes=True)
    else:  # @font-face, @page: declarations
        yield from _block(_contents(rule.content), nested=False, tag="")


def _blocks(tokens: Sequence[Any]) -> Iterator[list[Any]]:
    """The contents of each ``( … )`` in ``tokens``, whitespace and comments left out."""
    for token in tokens:
        if token.type == "() block":
            yield [t for t in token.content if t.type not in ("whitespace", "comment")]


def _media_feature(name: str) -> str:
    """``min-width`` → ``width``, ``-webkit-min-device-pixel-ratio`` →
    ``-webkit-device-pixel-ratio``: caniemail names a media feature without its range."""
    return re.sub(r"^(-[a-z]+-)?(?:min-|max-)", r"\1", name)


def _contents(tokens: list[Any]) -> list[Any]:
    return tinycss2.parse_blocks_contents(tokens, skip_comments=False, skip_whitespace=True)


def _block(items: Iterable[Any], *, nested: bool, tag: str) -> Iterator[Fact]:
    for item in items:
        if item.type == "declaration":
            yield from _declaration(item, tag)
        elif item.type == "comment":
            yield ("feature", "css-comments")
        elif item.type in ("qualified-rule", "at-rule"):
            if nested:
                yield ("feature", "css-nesting")
            yield from _rules([item])


def _declaration(declaration: Any, tag: str) -> Iterator[Fact]:
    name = declaration.lower_name
    if name.startswith("--"):
        yield ("feature", "css-variables")
    else:
        yield ("property", name)
    if declaration.important:
        yield ("feature", "css-important")
    yield ("on", name, tag, _serialise(declaration.value))
    yield from _value(declaration.value, name)


def _value(tokens: Iterable[Any], prop: str) -> Iterator[Fact]:
    for token in tokens:
        if token.type == "dimension":
            yield ("unit", token.lower_unit)
        elif token.type == "percentage":
            yield ("unit", "%")
        elif token.type == "ident":
            yield ("value", prop, token.lower_value)
            yield ("keyword", token.lower_value)
        elif token.type == "function":
            yield ("function", token.lower_name)
            yield from _value(token.arguments, prop)
        elif token.type in ("() block", "[] block", "{} block"):
            yield from _value(token.content, prop)


# --------------------------------------------------------------------------- selectors


def selector_facts(prelude: Sequence[Any]) -> Iterator[Fact]:
    """The kinds of selectors, combinators and pseudo-classes a rule's prelude uses."""
    groups: list[list[Any]] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            groups.append([])
        elif token.type != "comment":
            groups[-1].append(token)
    if len(groups) > 1:
        yield ("selector", "grouping")
    for group in groups:
        yield from _complex_selector(group)


def _complex_selector(tokens: list[Any]) -> Iterator[Fact]:
    while tokens and tokens[-1].type == "whitespace":
        tokens = tokens[:-1]
    combinators = {">": "child", "+": "adjacent-sibling", "~": "general-sibling"}
    classes = 0  # class selectors in the current compound selector
    space = False
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        kind, value = token.type, getattr(token, "value", None)
        if kind == "whitespace":
            space = True
            continue
        if kind == "literal" and value in combinators:
            yield ("selector", combinators[value])
            space, classes = False, 0
            continue
        if space:
            yield ("selector", "descendant")
            space, classes = False, 0
        if kind == "literal" and value == ".":
            yield ("selector", "class")
            classes += 1
            if classes == 2:
                yield ("selector", "chaining")
            i += 1  # the class name
        elif kind == "hash":
            yield ("selector", "id")
        elif kind == "ident":
            yield ("selector", "type")
        elif kind == "literal" and value == "*":
            yield ("selector", "universal")
        elif kind == "[] block":
            yield ("selector", "attribute")
        elif kind == "literal" and value == ":":
            element = i < len(tokens) and tokens[i].type == "literal" and tokens[i].value == ":"
            i += element
            if i < len(tokens):
                pseudo = tokens[i]
                i += 1
                name = pseudo.lower_name if pseudo.type == "function" else getattr(
                    pseudo, "lower_value", "")
                element = element or name in _LEGACY_PSEUDO_ELEMENTS
                yield ("pseudo-element" if element else "pseudo-class", name)
                if pseudo.type == "function" and name in ("not", "is", "where", "has"):
                    yield from _complex_selector(list(pseudo.arguments))
