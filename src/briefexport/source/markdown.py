"""The markdown-it-py preset, and turning its token stream into model blocks.

The token stream is walked once, with explicit stacks instead of recursion, so that deeply
nested input cannot exhaust Python's recursion limit.  Link targets are decided here: placeholders
are resolved through a callback and unsafe schemes are refused (the text stays, the link goes).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token

from briefexport.choices import CONDITION_OUTPUTS
from briefexport.errors import SourceError
from briefexport.limits import MAX_INLINE_DEPTH, MAX_NESTING
from briefexport.model import (
    Block,
    Break,
    CallToAction,
    Code,
    CodeBlock,
    Conditional,
    Diagnostic,
    Emphasis,
    Figure,
    Heading,
    Image,
    Inline,
    Link,
    LinkSpan,
    ListBlock,
    Paragraph,
    Quote,
    Rule,
    Table,
    TableCell,
    Text,
    plain_text,
)
from briefexport.names import slugify
from briefexport.source.divs import TIER_DEFINITIONS, UNCLOSED, condition_words, use_divs
from briefexport.source.links import Resolver, cta_label, is_placeholder, refused_scheme
from briefexport.source.typography import use_typography

#: The token type :func:`_too_deep` emits for content beyond :data:`MAX_NESTING`.
TOO_DEEP = "too_deep"


def _too_deep(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Block rule, tried first: past the nesting cap, keep the rest of the container as text.

    markdown-it itself skips everything past ``maxNesting`` without a trace; this rule runs a
    few levels earlier and hands the remaining lines over verbatim instead.
    """
    if silent or state.level < MAX_NESTING:
        return False
    token = state.push(TOO_DEEP, "", 0)
    token.content = state.getLines(start, end, state.blkIndent, False)
    token.map = [start, end]
    state.line = end
    return True


@lru_cache(maxsize=8)
def parser(lang: str = "en") -> MarkdownIt:
    """The shared parser of a language: CommonMark, tables, strikethrough, raw HTML kept as
    text, and the language's quotes and dashes (:mod:`~briefexport.source.typography`)."""
    # markdown-it's own cap sits above ours so that _too_deep always sees the content first
    # (one list level adds two token levels at once).
    md = MarkdownIt("commonmark", {"html": False, "maxNesting": MAX_NESTING + 10})
    md.enable(["table", "strikethrough"])
    use_typography(md, lang)
    use_divs(md)
    md.block.ruler.before(md.block.ruler.get_all_rules()[0], TOO_DEEP, _too_deep)
    # Accept every URL at parse time so a refused link keeps its text; we judge it below.
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # markdown-it's own hook
    return md


# --------------------------------------------------------------------------- conversion

def token_text(tokens: list[Token]) -> str:
    """The visible text of inline tokens (an image's alt text), without building nodes."""
    out: list[str] = []
    stack = list(reversed(tokens))
    while stack:
        tok = stack.pop()
        if tok.type in ("text", "code_inline"):
            out.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif tok.children:
            stack.extend(reversed(tok.children))
    return "".join(out)


_FLAT = "flattened"


@dataclass
class _Frame:
    kind: str
    token: Token | None = None
    children: list[Any] = field(default_factory=list)
    tight: bool = False
    line: int | None = None


@dataclass
class Converter:
    """Turns markdown-it tokens into model blocks, collecting links and warnings."""

    path: str
    resolve: Resolver
    line_offset: int = 0
    links: list[Link] = field(default_factory=list)
    ctas: list[CallToAction] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    _ids: set[str] = field(default_factory=set)
    _outline: list[int] = field(default_factory=list)
    _figures: int = 0
    tiers: tuple[str, ...] = ()
    """The configured tiers, lowest first, that ``::: tier NAME`` may name."""

    def outline_level(self, source_level: int) -> int:
        """A heading's level in the document's outline: the body's top level is 1 and no
        level is skipped, whatever levels the source uses (``##`` then ``####`` is 1 then 2).
        """
        while self._outline and self._outline[-1] >= source_level:
            self._outline.pop()
        self._outline.append(source_level)
        return len(self._outline)

    # ---- links

    def make_link(self, text: str, href: str, line: int | None, *, cta: bool = False,
                  title: str | None = None) -> Link:
        """Resolve placeholders and refuse unsafe schemes; warn about either.

        A URL from the front matter or the config is normalised the way markdown-it
        normalises the body's (spaces and control characters percent-encoded) and judged by
        the same scheme rules: a front-matter ``javascript:`` is as hostile as a body one.
        """
        placeholder = is_placeholder(href)
        url = self.resolve(text, cta) if placeholder else href
        if url is None:
            kind = "call to action" if cta else "link"
            self.warnings.append(Diagnostic(
                self.path, line, f"unresolved placeholder {kind} '{text}'", "placeholder"))
            return Link(text=text, url=None, line=line, placeholder=True, title=title)
        url = parser("en").normalizeLink(url.strip())
        scheme = refused_scheme(url)
        if scheme:
            self.warnings.append(Diagnostic(
                self.path, line, f"refused {scheme}: link '{text}'; its text is kept",
                "refused-link"))
            return Link(text=text, url=None, line=line, placeholder=placeholder, title=title)
        return Link(text=text, url=url, line=line, placeholder=placeholder, title=title)

    # ---- inline

    def inlines(self, tokens: list[Token], first_line: int | None) -> tuple[Inline, ...]:
        """Convert the children of one ``inline`` token."""
        line = first_line
        root = _Frame("root")
        stack = [root]
        flattened = False
        for tok in tokens:
            t = tok.type
            if t == "text":
                stack[-1].children.append(Text(tok.content))
            elif t == "code_inline":
                stack[-1].children.append(Code(tok.content))
            elif t in ("softbreak", "hardbreak"):
                stack[-1].children.append(Break(hard=t == "hardbreak"))
                line = line + 1 if line is not None else None
            elif t == "image":
                src = str(tok.attrs.get("src", ""))
                alt = token_text(tok.children or [])
                title = tok.attrs.get("title")
                if refused_scheme(src, image=True):
                    self.warnings.append(Diagnostic(
                        self.path, line, f"refused image source '{src[:60]}'", "refused-link"))
                    stack[-1].children.append(Text(alt))
                else:
                    stack[-1].children.append(
                        Image(src, alt, str(title) if title else None, line))
            elif t.endswith("_open"):
                frame = _Frame(t[:-5], tok)
                frame.children = []
                stack.append(frame)
                if t == "link_open":
                    frame.kind = "link"
                    frame.line = line  # the line where the link starts
                elif sum(f.kind != _FLAT for f in stack[1:]) > MAX_INLINE_DEPTH:
                    frame.kind = _FLAT  # too deep: its text joins the enclosing run
                    if not flattened:
                        flattened = True
                        self.warnings.append(Diagnostic(
                            self.path, line, f"emphasis nested more than {MAX_INLINE_DEPTH} "
                            "levels deep is flattened", "too-deep"))
            elif t.endswith("_close") and len(stack) > 1:
                frame = stack.pop()
                if frame.kind == _FLAT:
                    stack[-1].children.extend(frame.children)
                else:
                    stack[-1].children.append(self._close_inline(frame))
            else:  # an unknown inline token: keep its text rather than lose it
                stack[-1].children.append(Text(tok.content))
        while len(stack) > 1:  # unbalanced input: fold what is open
            frame = stack.pop()
            if frame.kind == _FLAT:
                stack[-1].children.extend(frame.children)
            else:
                stack[-1].children.append(self._close_inline(frame))
        return tuple(root.children)

    def _close_inline(self, frame: _Frame) -> Inline:
        children = tuple(frame.children)
        if frame.kind == "link":
            assert frame.token is not None
            href = str(frame.token.attrs.get("href", ""))
            title = frame.token.attrs.get("title")
            link = self.make_link(plain_text(children), href, frame.line,
                                  title=str(title) if title else None)
            self.links.append(link)
            return LinkSpan(link, children)
        kind: Literal["em", "strong", "strike"] = (
            "strong" if frame.kind == "strong" else "strike" if frame.kind == "s" else "em")
        return Emphasis(kind, children)

    # ---- blocks

    def line_of(self, tok: Token) -> int | None:
        """1-based source line of a block token."""
        return tok.map[0] + 1 + self.line_offset if tok.map else None

    def paragraph(self, inline: Token, line: int | None, *, top: bool = False) -> Block:
        """A paragraph, or a call to action when it is one lone arrow link, or (at the top
        level of the body) a figure when it is one lone image."""
        kids = [c for c in (inline.children or [])
                if not (c.type == "text" and not c.content.strip())]
        if top and len(kids) == 1 and kids[0].type == "image":
            [image] = self.inlines(kids, line)
            if isinstance(image, Image):  # not a refused source, which is its alt text now
                self._figures += 1
                return Figure(image, self._figures, line)
            return Paragraph((image,), line)
        if (len(kids) >= 3 and kids[0].type == "link_open" and kids[-1].type == "link_close"
                and not any(k.type == "link_open" for k in kids[1:-1])):
            # The label is text: read from the tokens, so that a paragraph that is no call
            # to action has its content converted (and its warnings raised) once.
            label = cta_label(token_text(kids[1:-1]))
            if label:
                href = str(kids[0].attrs.get("href", ""))
                link = self.make_link(label, href, line, cta=True)
                cta = CallToAction(label=label, link=link, line=line)
                self.ctas.append(cta)
                return cta
        return Paragraph(self.inlines(inline.children or [], line), line)

    def too_deep(self, tok: Token) -> Paragraph:
        """Content nested past :data:`MAX_NESTING`: its lines, verbatim, as one paragraph."""
        line = self.line_of(tok)
        self.warnings.append(Diagnostic(
            self.path, line, f"content nested more than {MAX_NESTING} levels deep is kept "
            "as plain text", "too-deep"))
        children: list[Inline] = []
        for n, text in enumerate(tok.content.rstrip("\n").split("\n")):
            if n:
                children.append(Break(hard=True))
            children.append(Text(text))
        return Paragraph(tuple(children), line)

    def conditional(self, token: Token, children: tuple[Block, ...]) -> Conditional:
        """A fenced div: ``only`` outputs, a ``tier``, or a condition kept for everyone."""
        line = self.line_of(token)
        end = token.map[1] + 1 + self.line_offset if token.map else None
        words = condition_words(token.info) or [""]
        kind, names = words[0], words[1:]
        if kind == "only" and names and set(names) <= set(CONDITION_OUTPUTS):
            return Conditional(token.info, children, outputs=frozenset(names), line=line,
                               end_line=end)
        if kind == "tier":
            if len(names) != 1 or names[0] not in self.tiers:
                # A misspelt tier kept for everyone would show its text to every client.
                raise SourceError(f"'::: {token.info}' names no tier of [tiers] order "
                                  f"({', '.join(self.tiers)}): write '::: tier NAME'",
                                  self.path, line)
            return Conditional(token.info, children, tier=names[0], line=line, end_line=end)
        self.warnings.append(Diagnostic(
            self.path, line, f"unknown condition '::: {token.info}': the block is kept for "
            f"every output and tier (use 'only {' '.join(CONDITION_OUTPUTS)}' or 'tier "
            "NAME')", "unknown-condition"))
        return Conditional(token.info, children, line=line, end_line=end)

    def heading_id(self, text: str) -> str:
        """A unique anchor for a heading."""
        base = slugify(text, "section")
        candidate, n = base, 1
        while candidate in self._ids:
            n += 1
            candidate = f"{base}-{n}"
        self._ids.add(candidate)
        return candidate

    def parse(self, md: MarkdownIt, text: str) -> tuple[Block, ...]:
        """Parse ``text`` with ``md`` and convert it; a link definition inside a ``tier`` block
        is an error: markdown-it lends every definition to the whole document, so its URL
        would reach every tier."""
        env: dict[str, Any] = {}
        tokens = md.parse(text, env)
        for start in env.get(UNCLOSED, []):
            self.warnings.append(Diagnostic(
                self.path, start + 1 + self.line_offset, "a '::: ' block is never closed: it "
                "runs to the end of the text (close it with a line ':::')", "unclosed-block"))
        for label, line in env.get(TIER_DEFINITIONS, []):
            raise SourceError(f"the link definition [{label.lower()}] is inside a '::: tier' "
                              "block, and a definition serves the whole document, every tier: "
                              "write its URL in the link itself", self.path,
                              line + 1 + self.line_offset)
        return self.blocks(tokens)

    def blocks(self, tokens: list[Token]) -> tuple[Block, ...]:
        """Convert a block token stream."""
        root = _Frame("root")
        stack = [root]
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            t = tok.type
            top = stack[-1]
            if t == "paragraph_open":
                if tok.hidden:  # markdown-it hides the paragraphs of tight lists
                    lists = [f for f in stack if f.kind in ("bullet_list", "ordered_list")]
                    if lists:
                        lists[-1].tight = True
                inline = tokens[i + 1]
                top.children.append(self.paragraph(
                    inline, self.line_of(tok),
                    top=all(f.kind in ("root", "fenced_div") for f in stack)))
                i += 3  # open, inline, close
                continue
            if t == "heading_open":
                inline = tokens[i + 1]
                children = self.inlines(inline.children or [], self.line_of(tok))
                top.children.append(Heading(self.outline_level(int(tok.tag[1])), children,
                                            self.heading_id(plain_text(children)),
                                            self.line_of(tok)))
                i += 3
                continue
            if t in ("fence", "code_block"):
                top.children.append(CodeBlock(tok.content, tok.info.strip()))
            elif t == "hr":
                top.children.append(Rule())
            elif t in ("th_open", "td_open"):
                inline = tokens[i + 1]
                style = str(tok.attrs.get("style", ""))
                align: Literal["left", "center", "right"] | None = (
                    "left" if "left" in style else "center" if "center" in style
                    else "right" if "right" in style else None)
                top.children.append(TableCell(
                    self.inlines(inline.children or [], self.line_of(inline)), align))
                i += 3
                continue
            elif t in ("inline", "html_block", "html_inline"):
                top.children.append(Paragraph((Text(tok.content),), self.line_of(tok)))
            elif t == TOO_DEEP:
                top.children.append(self.too_deep(tok))
            elif t.endswith("_open"):
                stack.append(_Frame(t[:-5], tok))
            elif t.endswith("_close") and len(stack) > 1:
                frame = stack.pop()
                node = self._close_block(frame)
                if node is not None:
                    stack[-1].children.append(node)
            i += 1
        while len(stack) > 1:
            frame = stack.pop()
            node = self._close_block(frame)
            if node is not None:
                stack[-1].children.append(node)
        return tuple(root.children)

    def _close_block(self, frame: _Frame) -> Any:
        kind, kids = frame.kind, frame.children
        if kind in ("bullet_list", "ordered_list"):
            start_attr = frame.token.attrs.get("start") if frame.token else None
            start = 1 if start_attr is None else int(start_attr)  # a list may start at 0
            items = tuple(tuple(k) for k in kids)
            return ListBlock(kind == "ordered_list", items, start, frame.tight)
        if kind == "list_item":
            return tuple(kids)
        if kind == "blockquote":
            return Quote(tuple(kids))
        if kind == "fenced_div" and frame.token is not None:
            return self.conditional(frame.token, tuple(kids))
        if kind == "tr":
            return tuple(kids)
        if kind in ("thead", "tbody"):
            return (kind, tuple(kids))
        if kind == "table":
            header: tuple[TableCell, ...] = ()
            rows: tuple[tuple[TableCell, ...], ...] = ()
            for part, part_rows in kids:
                if part == "thead":
                    header = part_rows[0] if part_rows else ()
                else:
                    rows = part_rows
            return Table(header, rows)
        return None
