"""Fenced divs, ``::: condition`` … ``:::``, as a markdown-it block rule, nesting as Pandoc's do.

A fence line of three or more colons followed by a condition opens a div; a bare fence line
closes the innermost open one, whatever its length.  mdit-py-plugins' container plugin closes
a div at the first bare fence of at least its own length, which would end an outer block at
its inner block's closer: the text that follows a nested block inside its outer one would
leave the outer block (and a tier block's text reach every tier).  This rule counts depth
instead, and does not count fence lines inside fenced code.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

#: The token types the rule emits; ``info`` of the opener holds the condition as written.
OPEN, CLOSE = "fenced_div_open", "fenced_div_close"
#: Where the rule notes, in markdown-it's ``env``, the link definitions written inside a
#: ``tier`` block: markdown-it keeps definitions for the whole document, so one inside a tier
#: block would give its URL to every tier's links.  The reader refuses them.
TIER_DEFINITIONS = "briefexport_tier_definitions"
#: Where the rule notes the first lines of blocks that are never closed (they run to the end
#: of their container, which an editor rarely means).
UNCLOSED = "briefexport_unclosed_divs"
_MIN_COLONS = 3


def _fence(state: StateBlock, line: int) -> tuple[int, str] | None:
    """(colons, the rest) when ``line`` is a div fence, else ``None``."""
    if state.sCount[line] - state.blkIndent >= 4:  # indented code, not a fence
        return None
    start = state.bMarks[line] + state.tShift[line]
    text = state.src[start:state.eMarks[line]]
    colons = len(text) - len(text.lstrip(":"))
    if colons < _MIN_COLONS:
        return None
    rest = text[colons:].strip()
    return colons, rest.strip(":").strip() if rest.rstrip(":") != rest else rest


def _code_fence(state: StateBlock, line: int) -> str | None:
    """The marker (``` or ~~~, with its length) a fenced-code line opens or closes with."""
    if state.sCount[line] - state.blkIndent >= 4:
        return None
    start = state.bMarks[line] + state.tShift[line]
    text = state.src[start:state.eMarks[line]]
    for char in "`~":
        run = len(text) - len(text.lstrip(char))
        if run >= 3:
            return char * run
    return None


def fenced_div(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    opener = _fence(state, start)
    if opener is None or not opener[1]:
        return False  # a bare fence opens nothing
    if silent:
        return True
    depth, line, code = 1, start, None
    while True:
        line += 1
        if line >= end:
            # Unclosed: the div runs to the end of its container; the reader warns.
            state.env.setdefault(UNCLOSED, []).append(start)
            break
        if state.sCount[line] < state.blkIndent and not state.isEmpty(line):
            break  # the enclosing list item or quote has ended
        marker = _code_fence(state, line)
        if code is not None:
            if marker and marker[0] == code[0] and len(marker) >= len(code):
                code = None
            continue
        if marker:
            code = marker
            continue
        fence = _fence(state, line)
        if fence is not None:
            depth += 1 if fence[1] else -1
            if depth == 0:
                break
    old_parent, old_max = state.parentType, state.lineMax
    state.parentType = "fenced_div"
    state.lineMax = line
    token = state.push(OPEN, "div", 1)
    token.info, token.markup, token.block = opener[1], ":" * opener[0], True
    token.map = [start, line]
    before = set(state.env.get("references", {}))
    state.md.block.tokenize(state, start + 1, line)
    if is_tier(opener[1]):
        added = [(label, ref) for label, ref in state.env.get("references", {}).items()
                 if label not in before]
        state.env.setdefault(TIER_DEFINITIONS, []).extend(
            (label, (ref.get("map") or [start])[0]) for label, ref in added)
    token = state.push(CLOSE, "div", -1)
    token.markup, token.block = ":" * opener[0], True
    state.parentType, state.lineMax = old_parent, old_max
    state.line = min(line + 1, end)
    return True


def condition_words(condition: str) -> list[str]:
    """A condition's words, case-folded; Pandoc's attribute form ``{.tier premium}`` too."""
    return condition.replace("{", " ").replace("}", " ").replace(".", " ").lower().split()


def is_tier(condition: str) -> bool:
    """Whether a condition is about a tier, however well or badly it is written."""
    words = condition_words(condition)
    return bool(words) and words[0] == "tier"


def use_divs(md: MarkdownIt) -> None:
    """Add the rule; a div may interrupt a paragraph, a list or a quote, as a code fence can."""
    md.block.ruler.before("fence", "fenced_div", fenced_div,
                          {"alt": ["paragraph", "reference", "blockquote", "list"]})
