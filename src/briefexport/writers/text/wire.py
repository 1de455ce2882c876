"""The plain-text wire version.

Body text is wrapped at the configured width and a URL is never broken: links become numbered
references (``Chad [1]``) listed at the end, one number per distinct URL, and each call to
action gets its own line with its URL.  The layout around the body is ``text/briefing.txt.j2``.
"""

from __future__ import annotations

import textwrap
import unicodedata
from collections.abc import Iterable
from typing import Any

from briefexport.choices import RISK_TRENDS, URGENCY_WORDS
from briefexport.config import BrandSettings
from briefexport.limits import MIN_TEXT_WIDTH
from briefexport.model import (
    Block,
    Break,
    Briefing,
    CallToAction,
    Code,
    CodeBlock,
    Contact,
    Correction,
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
    RiskRating,
    Rule,
    Table,
    TableCell,
    Text,
    plain_text,
    rule_name,
)
from briefexport.render.context import RenderContext
from briefexport.render.handling import embargo_notice
from briefexport.render.references import References
from briefexport.render.templating import render
from briefexport.source.markdown import parser
from briefexport.source.newsroom import KILL_NOTICE
from briefexport.writers.text.ascii import to_ascii

# Glues a reference mark to the word before it while wrapping; replaced by a space after.
_GLUE = "\ue000"
# Marks a blank line of a code block, which :func:`normalise` keeps; removed there.
_BLANK = "\ue001"
#: The line that opens an email signature, trailing space included.
SIGNATURE_DELIMITER = "-- "


def display_width(text: str) -> int:
    """Columns ``text`` takes in a monospaced terminal (wide East Asian characters count 2)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c)
               else 1 for c in text)


def wrap(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    """Wrap at word boundaries only: a URL or any long word stays whole on its own line."""
    wrapper = textwrap.TextWrapper(width=width, initial_indent=first, subsequent_indent=rest,
                                   break_long_words=False, break_on_hyphens=False)
    lines = wrapper.wrap(text) or [first.rstrip()]
    return [line.replace(_GLUE, " ").rstrip() for line in lines]


def normalise(text: str) -> str:
    """Templates are free-form: drop trailing space and runs of blank lines.

    The blank lines of a code block are content, and stay; so does the space of a signature
    delimiter, ``-- `` (RFC 3676 §4.3: mail clients fold or hide what follows it).
    """
    out: list[str] = []
    for raw in text.split("\n"):
        if raw == SIGNATURE_DELIMITER:
            out.append(raw)
            continue
        line = raw.rstrip()
        if line or (out and out[-1]):
            out.append(line.replace(_BLANK, "").rstrip())
    return "\n".join(out).strip("\n") + "\n"


class TextRenderer:
    """Renders model nodes as lists of lines; one method per node type."""

    def __init__(self, width: int, refs: References | None = None, *,
                 ascii_only: bool = False) -> None:
        self.width = width
        self.refs = refs or References()
        self.ascii_only = ascii_only

    def plain(self, text: str) -> str:
        """Source text as the wire shows it: transliterated to ASCII under ``ascii_only``,
        before wrapping, so that lines keep their width."""
        return to_ascii(text) if self.ascii_only else text

    def href(self, link: Link) -> str | None:
        """The URL a link shows; subclasses rewrite it (the email adds campaign parameters)."""
        return link.url

    # ---- blocks

    def blocks(self, blocks: Iterable[Block], width: int | None = None) -> list[str]:
        """Blocks separated by blank lines."""
        out: list[str] = []
        for block in blocks:
            lines = getattr(self, rule_name(block))(block, width or self.width)
            if out and lines:
                out.append("")
            out.extend(lines)
        return out

    def paragraph(self, node: Paragraph, width: int) -> list[str]:
        out: list[str] = []
        for part in self.inlines(node.children).split("\n"):
            out.extend(wrap(" ".join(part.split()), width))
        return out

    def heading(self, node: Heading, width: int) -> list[str]:
        lines = wrap(self.inlines(node.children).replace("\n", " "), width)
        underline = "=" if node.level == 1 else "-"
        return [*lines, underline * min(width, max(display_width(x) for x in lines))]

    def list_block(self, node: ListBlock, width: int) -> list[str]:
        out: list[str] = []
        for n, item in enumerate(node.items, node.start):
            marker = f"{n}. " if node.ordered else "- "
            inner = self.blocks(item, max(MIN_TEXT_WIDTH, width - len(marker)))
            if not node.tight and out:
                out.append("")
            for i, line in enumerate(inner or [""]):
                prefix = marker if i == 0 else " " * len(marker)
                out.append((prefix + line).rstrip())
        return out

    def quote(self, node: Quote, width: int) -> list[str]:
        inner = self.blocks(node.children, max(MIN_TEXT_WIDTH, width - 2))
        return [("> " + line).rstrip() for line in inner]

    def code_block(self, node: CodeBlock, width: int) -> list[str]:
        # Preformatted: kept verbatim, indented, never wrapped.
        return ["    " + self.plain(line) if line.strip() else _BLANK
                for line in node.text.rstrip("\n").split("\n")]

    def rule(self, node: Rule, width: int) -> list[str]:
        return ["* * *"]

    def table(self, node: Table, width: int) -> list[str]:
        rows = [list(node.header), *map(list, node.rows)]
        cells = [[" ".join(self.inlines(c.children).split()) for c in row] for row in rows]
        ncols = max(len(r) for r in cells)
        for r in cells:
            r.extend([""] * (ncols - len(r)))
        widths = [max(display_width(r[i]) for r in cells) for i in range(ncols)]
        aligns = [c.align for c in node.header] + [None] * (ncols - len(node.header))
        if sum(widths) + 2 * (ncols - 1) <= width:
            def pad(cell: str, w: int, align: str | None) -> str:
                room = w - display_width(cell)
                if align == "right":
                    return " " * room + cell
                if align == "center":
                    return " " * (room // 2) + cell + " " * (room - room // 2)
                return cell + " " * room

            def fmt(row: list[str]) -> str:
                return "  ".join(pad(c, w, a)
                                 for c, w, a in zip(row, widths, aligns, strict=True)).rstrip()
            return [fmt(cells[0]), "  ".join("-" * w for w in widths), *map(fmt, cells[1:])]
        # Too wide for columns: one "Header: value" line per cell, a blank line per row.
        out: list[str] = []
        for row in cells[1:]:
            if out:
                out.append("")
            for head, value in zip(cells[0], row, strict=True):
                out.extend(wrap(f"{head}: {value}" if head else value, width, rest="  "))
        return out

    def figure(self, node: Figure, width: int) -> list[str]:
        # The image itself cannot travel on the wire: its number and caption (or alt) do.
        words = " ".join(self.plain(node.caption or node.image.alt).split())
        return wrap(f"[Figure {node.number}: {words}]" if words else f"[Figure {node.number}]",
                    width, rest="  ")

    # ---- the intelligence product's parts around the body

    def key_judgements(self, judgements: Iterable[tuple[Inline, ...]], width: int
                       ) -> list[str]:
        """``KEY JUDGEMENTS:`` and one ``- `` item per judgement, wrapped like a list."""
        items = [wrap(" ".join(self.inlines(run).split()), width, "- ", "  ")
                 for run in judgements]
        return ["KEY JUDGEMENTS:", *(line for item in items for line in item)] if items else []

    def risk_rating(self, risk: RiskRating | None, width: int) -> list[str]:
        """``RISK: HIGH, rising ↑`` and a ``- Category: level`` line per category."""
        if risk is None:
            return []
        overall = risk.overall.upper() if risk.overall else "not rated"
        trend = f", {risk.trend} {RISK_TRENDS[risk.trend]}" if risk.trend else ""
        lines = wrap(self.plain(f"RISK: {overall}{trend}"), width, rest="  ")
        for name, level in risk.categories:
            lines.extend(wrap(self.plain(f"{name[:1].upper()}{name[1:]}: {level}"), width,
                              "- ", "  "))
        return lines

    def contact(self, contact: Contact | None, width: int) -> list[str]:
        """``Questions: name, email, phone``; addresses and numbers are never broken."""
        if not contact:
            return []
        phone = contact.phone.replace(" ", _GLUE) if contact.phone else None  # one piece
        parts = [p for p in (contact.name, contact.email, phone) if p]
        return wrap(self.plain("Questions: " + ", ".join(parts)), width)

    def corrections(self, corrections: Iterable[Correction], width: int) -> list[str]:
        """``CORRECTIONS:`` and a dated ``- `` item per correction, oldest first."""
        items = [wrap(self.plain(f"{c.date.isoformat()}: {c.note}"), width, "- ", "  ")
                 for c in corrections]
        return ["CORRECTIONS:", *(line for item in items for line in item)] if items else []

    def call_to_action(self, node: CallToAction, width: int) -> list[str]:
        url = self.href(node.link)
        label = self.plain(node.label)
        if url is None:
            return [f"{label} >>"]
        line = f"{label} >> {url}"
        if display_width(line) <= width:
            return [line]
        return [f"{label} >>", url]

    # ---- inlines: one string, with "\n" for hard breaks

    def inlines(self, children: Iterable[Inline]) -> str:
        return "".join(getattr(self, rule_name(c))(c) for c in children)

    def text(self, node: Text) -> str:
        return self.plain(node.text)

    def code(self, node: Code) -> str:
        return self.plain(node.text)

    def break_(self, node: Break) -> str:
        return "\n" if node.hard else " "

    def emphasis(self, node: Emphasis) -> str:
        # Struck text is an editorial mark that changes the meaning: keep it visible.
        inner = self.inlines(node.children)
        return f"~~{inner}~~" if node.kind == "strike" else inner

    def link_span(self, node: LinkSpan) -> str:
        inner = self.inlines(node.children)
        url = self.href(node.link)
        if url is None:
            return inner
        text = plain_text(node.children).strip()
        if text == url:  # an autolink: the URL is the text
            return inner
        if self.ascii_only and text == node.link.text and url == normalise_url(text):
            # An autolink to a non-ASCII address: transliterated it would name another one;
            # its percent-encoded form is the same address in ASCII.
            return url
        # Any other link's URL goes to the references, untouched: in ASCII too, a URL that is
        # not ASCII as written (an autolink to ``ä``) keeps its percent-encoded form there.
        return f"{inner}{_GLUE}[{self.refs.number(url)}]"

    def image(self, node: Image) -> str:
        return f"[Image: {self.plain(node.alt)}]" if node.alt else "[Image]"

    def table_cell(self, node: TableCell) -> str:
        return self.inlines(node.children)


class TextWriter:
    """Briefing → wire text."""

    template = "text/briefing.txt.j2"

    def render(self, briefing: Briefing, ctx: RenderContext) -> str:
        width = ctx.settings.text.width  # within the limits: the settings check it
        return self.compose(briefing, ctx,
                            TextRenderer(width, ascii_only=ctx.settings.wire.ascii),
                            self.template)

    def compose(self, briefing: Briefing, ctx: RenderContext, renderer: TextRenderer,
                template: str, **extra: object) -> str:
        """The text of ``briefing`` through ``template``, wrapped at ``renderer.width``.

        The email's plain-text part calls this with its own renderer, width and template.
        """
        briefing = briefing.for_output("wire")  # the .eml's plain part is the wire's too
        width = renderer.width
        story = story_lines(briefing, renderer)
        text = render(
            template, ctx.settings.themes,
            meta=briefing.meta,
            briefing=briefing,
            **story,
            references=renderer.refs.items(),
            closing=closing_lines(ctx.settings.brand, renderer),
            width=width,
            settings=ctx.settings,
            **extra,
        )
        return finish(text, renderer)


def normalise_url(text: str) -> str:
    """``text`` as the reader normalises a URL (percent-encoding what is not ASCII)."""
    return str(parser("en").normalizeLink(text))


def finish(text: str, renderer: TextRenderer) -> str:
    """The composed text tidied; in ASCII, whatever a template added made ASCII too."""
    return normalise(renderer.plain(text))


def marking_line(marking: str | None, classification: str | None) -> str | None:
    """The handling line a wire text opens with: ``TLP:AMBER | CLIENT CONFIDENTIAL``."""
    return " | ".join(p for p in (marking, classification) if p) or None


def story_lines(briefing: Briefing, renderer: TextRenderer, number: str = ""
                ) -> dict[str, Any]:
    """One briefing's wrapped parts, rendered in reading order so that link references are
    numbered as a reader meets them: judgements, then the body, then the contact."""
    width = renderer.width
    meta = briefing.meta
    # Wire desks read the urgency off the slug line: FLASH, BULLETIN, URGENT.
    slug_line = " ".join(p for p in (URGENCY_WORDS.get(meta.urgency), meta.headline) if p)
    marking = marking_line(meta.marking, meta.classification)
    return {
        "marking_line": renderer.plain(marking) if marking else None,
        "headline": wrap(renderer.plain(slug_line), width, number, " " * len(number)),
        "embargo": embargo_notice(meta),
        "kill_notice": KILL_NOTICE if meta.killed else None,
        "risk": renderer.risk_rating(briefing.risk, width),
        "key_judgements": renderer.key_judgements(briefing.key_judgements, width),
        "body": renderer.blocks(briefing.blocks),
        "contact": renderer.contact(briefing.contact, width),
        "corrections": renderer.corrections(meta.corrections, width),
    }


def closing_lines(brand: BrandSettings, renderer: TextRenderer) -> list[str]:
    """The disclaimer and the copyright line that close every wire text, wrapped."""
    return [line for text in (brand.disclaimer, brand.copyright) if text
            for line in wrap(renderer.plain(" ".join(text.split())), renderer.width)]
