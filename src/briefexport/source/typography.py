"""Typographic quotes, dashes and ellipses, by the briefing's language.

markdown-it's own ``smartquotes`` rule does the quotes, with the pair of the briefing's language;
its ``replacements`` rule is replaced by :func:`dashes`, which does only ``---``, ``--`` and
``...``: markdown-it would also turn ``(c)`` into © (a list item's enumerator in a briefing) and
``+-`` into ±.  Code spans, code blocks and link targets are tokens or attributes of their own and
never reach these rules.  URLs in the text (an autolink's text, or text that looks like one)
are kept as written: :func:`protect_urls` hides their quote marks from smartquotes and
:func:`restore_urls` puts them back.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore, smartquotes
from markdown_it.token import Token

#: Double and single quotes (open, close) by primary language subtag; the apostrophe is ’ in
#: all of them.  French quotes take a narrow no-break space inside.
QUOTES: dict[str, tuple[str, str, str, str]] = {
    "en": ("\u201c", "\u201d", "\u2018", "\u2019"),
    "fr": ("\u00ab\u202f", "\u202f\u00bb", "\u2039\u202f", "\u202f\u203a"),
    "de": ("\u201e", "\u201c", "\u201a", "\u2018"),
}
DEFAULT_QUOTES = QUOTES["en"]

_URL_RE = re.compile(r"(?:[a-zA-Z][a-zA-Z0-9+.-]*://|www\.)\S+")
_EM_DASH_RE = re.compile(r"(?<!-)---(?!-)")
_EN_DASH_RE = re.compile(r"(?<!-)--(?!-)")
_ELLIPSIS_RE = re.compile(r"(?<!\.)\.\.\.(?!\.)")


def quotes_for(lang: str) -> tuple[str, str, str, str]:
    """The quote marks of a language tag (``fr-FR`` → French); English for the others."""
    return QUOTES.get(lang.split("-")[0].lower(), DEFAULT_QUOTES)


#: Private-use stand-ins for the quote marks inside URLs while smartquotes runs.
_HIDDEN = {"'": "\ue000", '"': "\ue001"}
_HIDE = str.maketrans(_HIDDEN)
_SHOW = str.maketrans({v: k for k, v in _HIDDEN.items()})


def _hide_url_quotes(text: str, whole: bool) -> str:
    if "'" not in text and '"' not in text:
        return text
    if whole:
        return text.translate(_HIDE)
    return _URL_RE.sub(lambda url: url.group().translate(_HIDE), text)


def _text_tokens(state: StateCore) -> Iterator[tuple[Token, bool]]:
    """Every text token of the inline content, and whether it is an autolink's text."""
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        inside_autolink = False
        for child in token.children:
            if child.type == "text":
                yield child, inside_autolink
            elif child.type == "link_open" and child.info == "auto":
                inside_autolink = True
            elif child.type == "link_close" and child.info == "auto":
                inside_autolink = False


def protect_urls(state: StateCore) -> None:
    """The core rule before smartquotes: quote marks inside URLs become stand-ins."""
    for child, autolink in _text_tokens(state):
        child.content = _hide_url_quotes(child.content, autolink)


def restore_urls(state: StateCore) -> None:
    """The core rule after smartquotes: the stand-ins become quote marks again."""
    for child, _ in _text_tokens(state):
        if "\ue000" in child.content or "\ue001" in child.content:
            child.content = child.content.translate(_SHOW)


def _replace(text: str) -> str:
    text = _EM_DASH_RE.sub("\u2014", text)
    text = _EN_DASH_RE.sub("\u2013", text)
    return _ELLIPSIS_RE.sub("\u2026", text)


def replace_dashes(text: str) -> str:
    """``---`` → em dash, ``--`` → en dash, ``...`` → ellipsis, except inside URLs."""
    if "--" not in text and "..." not in text:
        return text
    out: list[str] = []
    last = 0
    for url in _URL_RE.finditer(text):
        out.append(_replace(text[last:url.start()]))
        out.append(url.group())
        last = url.end()
    out.append(_replace(text[last:]))
    return "".join(out)


def dashes(state: StateCore) -> None:
    """The core rule: :func:`replace_dashes` over text tokens outside autolinks."""
    for child, autolink in _text_tokens(state):
        if not autolink:
            child.content = replace_dashes(child.content)


def use_typography(md: MarkdownIt, lang: str) -> None:
    """Turn on quotes for ``lang`` and :func:`dashes` in a parser."""
    md.options["typographer"] = True
    md.options["quotes"] = list(quotes_for(lang))
    md.enable("smartquotes")
    md.disable("replacements")
    md.core.ruler.before("smartquotes", "protect_urls", protect_urls)
    md.core.ruler.after("smartquotes", "restore_urls", restore_urls)
    md.core.ruler.after("restore_urls", "dashes", dashes)


def smarten(text: str, lang: str) -> str:
    """Plain text (a front-matter title or summary) set as the body is: quotes and dashes.

    The text is not read as Markdown; it is one text token run through the same rules.
    """
    state = StateCore(text, _plain(quotes_for(lang)), {})
    state.tokens = [Token("inline", "", 0, content=text,
                          children=[Token("text", "", 0, content=text)])]
    protect_urls(state)
    smartquotes(state)
    restore_urls(state)
    dashes(state)
    children: Sequence[Token] = state.tokens[0].children or ()
    return "".join(child.content for child in children)


@lru_cache(maxsize=8)
def _plain(quotes: tuple[str, str, str, str]) -> MarkdownIt:
    """A parser that is only a holder of options for :func:`smarten`."""
    return MarkdownIt("zero", {"typographer": True, "quotes": list(quotes)})
