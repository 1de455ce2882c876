"""The document model: what the reader produces and every writer consumes.

All classes are frozen so that one parsed briefing can be handed to several writers (and
across process boundaries) without any writer changing what another one sees.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import keyword
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import field
from pathlib import Path
from typing import Any, Literal

from briefexport.choices import TLP_MARKINGS
from briefexport.limits import DEFAULT_URGENCY
from briefexport.record import record

# --------------------------------------------------------------------------- diagnostics


@record
class Diagnostic:
    """A warning found while reading or rendering; it never stops an export by itself."""

    path: str
    """The source file the warning is about, as given by the user."""
    line: int | None
    """1-based line in the source, when known."""
    message: str
    """One sentence, naming the offending text."""
    code: str = "warning"
    """A short stable identifier (``placeholder``, ``unknown-key``, …) for filtering."""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


# --------------------------------------------------------------------------- links


@record
class Link:
    """One link of the source, after placeholder resolution."""

    text: str
    """The visible link text, as plain text."""
    url: str | None
    """The target; ``None`` when a placeholder could not be resolved or the URL was refused."""
    line: int | None = None
    """1-based source line of the link."""
    placeholder: bool = False
    """True when the source wrote ``#`` or an empty URL."""
    title: str | None = None
    """The Markdown link title, if any."""


# --------------------------------------------------------------------------- inline runs


@record
class Text:
    """Plain text."""

    text: str


@record
class Code:
    """Inline code."""

    text: str


@record
class Break:
    """A line break: ``hard`` for an explicit one, otherwise a soft wrap in the source."""

    hard: bool = False


@record
class Emphasis:
    """Emphasised (``em``), strong or struck-through content."""

    kind: Literal["em", "strong", "strike"]
    children: tuple[Inline, ...]


@record
class LinkSpan:
    """Linked content; ``link`` carries the resolved target."""

    link: Link
    children: tuple[Inline, ...]


@record
class Image:
    """An image reference; the PDF writer may fetch it through its sandbox."""

    src: str
    alt: str
    title: str | None = None
    line: int | None = None


Inline = Text | Code | Break | Emphasis | LinkSpan | Image

# --------------------------------------------------------------------------- blocks


@record
class Paragraph:
    """A paragraph of inline content."""

    children: tuple[Inline, ...]
    line: int | None = None


@record
class Heading:
    """A section heading inside the body with a unique anchor ``id``.

    ``level`` is the heading's depth in the body's outline (1–6), not the number of ``#`` the
    source used: the reader closes any gap, so that every output's headings nest.
    """

    level: int
    children: tuple[Inline, ...]
    id: str
    line: int | None = None


@record
class ListBlock:
    """A bullet or ordered list; each item is a tuple of blocks."""

    ordered: bool
    items: tuple[tuple[Block, ...], ...]
    start: int = 1
    tight: bool = True


@record
class Quote:
    """A block quote."""

    children: tuple[Block, ...]


@record
class CodeBlock:
    """Preformatted text, kept verbatim in every output."""

    text: str
    info: str = ""


@record
class Rule:
    """A thematic break."""


@record
class TableCell:
    """One table cell."""

    children: tuple[Inline, ...]
    align: Literal["left", "center", "right"] | None = None


@record
class Table:
    """A GFM table: one header row and body rows."""

    header: tuple[TableCell, ...]
    rows: tuple[tuple[TableCell, ...], ...]


@record
class CallToAction:
    """A call to action: a lone link whose text ends in an arrow, or a front-matter ``cta``."""

    label: str
    """The label without its arrow."""
    link: Link
    """The target; ``link.text`` is the label."""
    line: int | None = None

    @property
    def url(self) -> str | None:
        """The resolved target, or ``None``."""
        return self.link.url


@record
class Figure:
    """A paragraph that is one image: the image with its alt text, its title as the caption."""

    image: Image
    number: int
    """1-based, in the order of the briefing's figures."""
    line: int | None = None

    @property
    def caption(self) -> str | None:
        """The image's title; ``None`` when the source gave none (``check`` warns)."""
        return self.image.title


@record
class Conditional:
    """A fenced div (``::: only pdf`` … ``:::``): blocks only some outputs or tiers get.

    ``outputs`` (``pdf``, ``email``, ``wire``) for ``only``, ``tier`` for ``tier NAME``; both
    ``None`` for a condition the reader did not know, whose block everyone gets.
    """

    condition: str
    children: tuple[Block, ...]
    outputs: frozenset[str] | None = None
    tier: str | None = None
    line: int | None = None
    end_line: int | None = None
    """The line of its closing fence (or the last line), so the source's text can drop it."""


Block = (Paragraph | Heading | ListBlock | Quote | CodeBlock | Rule | Table | CallToAction
         | Figure | Conditional)

# --------------------------------------------------------------------------- the briefing


@record
class RiskRating:
    """A briefing's risk: an overall level and trend, and named categories, on the config's
    scale (levels are stored case-folded, categories as the source names them)."""

    overall: str | None = None
    trend: str | None = None
    """``rising``, ``steady`` or ``falling``."""
    categories: tuple[tuple[str, str], ...] = ()
    """(name, level) pairs in source order."""
    line: int | None = None


@record
class Correction:
    """One correction of a later version: when, and what changed."""

    date: dt.date
    note: str


@record
class Contact:
    """The analyst to ask; any part may be missing."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None

    @property
    def tel(self) -> str | None:
        """The phone number as a ``tel:`` URL (RFC 3966: digits and a leading +)."""
        if not self.phone:
            return None
        digits = "".join(c for c in self.phone if c.isdigit())
        return f"tel:{'+' if self.phone.strip().startswith('+') else ''}{digits}"

    @property
    def mailto(self) -> str | None:
        """The address as a ``mailto:`` URL."""
        return f"mailto:{self.email}" if self.email else None

    def __bool__(self) -> bool:
        return bool(self.name or self.email or self.phone)



@record
class Metadata:
    """What the front matter (or the seed's first line) says about the briefing."""

    title: str
    """The headline without its slug."""
    slug: str | None = None
    """The kicker, e.g. ``MALI``."""
    date: dt.date | None = None
    """Publication date."""
    author: str | None = None
    region: str | None = None
    tags: tuple[str, ...] = ()
    lang: str = "en"
    """BCP 47 language tag; drives hyphenation and the ``lang`` attribute."""
    summary: str | None = None
    """The standfirst; defaults to the lead's first sentence."""
    classification: str | None = None
    """A distribution label shown on every PDF page."""
    marking: str | None = None
    """A TLP 2.0 label as FIRST writes it, e.g. ``TLP:AMBER+STRICT``."""
    reference: str | None = None
    """The desk's own identifier."""
    embargo: dt.datetime | None = None
    """Not for publication before this moment (aware, UTC)."""
    urgency: int = DEFAULT_URGENCY
    """1 (flash) … 9 (lowest), as in ninjs."""
    status: str = "usable"
    """``usable``, ``withheld`` or ``canceled`` (a kill)."""
    version: int = 1
    corrections: tuple[Correction, ...] = ()
    """What changed since the last version, oldest first."""
    tier: str | None = None
    """The lowest client tier that may receive the briefing at all."""
    date_source: Literal["front matter", "default", "file"] | None = None
    """Where ``date`` came from: the front matter, the caller's default (``--date``, an
    edition's date), or the file's modification time."""
    extra: tuple[tuple[str, Any], ...] = ()
    """Unknown front-matter keys, kept for templates (as pairs, to stay hashable)."""

    @property
    def killed(self) -> bool:
        """True for a kill notice (``status: canceled``)."""
        return self.status == "canceled"

    @property
    def corrected(self) -> bool:
        """True for a correction: a version above 1."""
        return self.version > 1

    @property
    def kicker(self) -> str | None:
        """The slug as every output shows it: ``KILL`` or ``CORRECTED`` before it."""
        mark = "KILL" if self.killed else "CORRECTED" if self.corrected else None
        return " ".join(p for p in (mark, self.slug) if p) or None

    @property
    def headline(self) -> str:
        """``KICKER: Title`` when there is a slug or a mark, else the title."""
        return f"{self.kicker}: {self.title}" if self.kicker else self.title

    @property
    def extra_dict(self) -> dict[str, Any]:
        """The unknown keys as a mapping."""
        return dict(self.extra)


@record
class Briefing:
    """One parsed briefing: metadata, body and everything derived from them."""

    meta: Metadata
    blocks: tuple[Block, ...]
    """The body in source order, calls to action included where they stand."""
    links: tuple[Link, ...]
    """Every link of the body (CTAs excluded), in source order."""
    ctas: tuple[CallToAction, ...]
    """Every call to action: those of the body, then those of the front matter."""
    source: Path
    """The source file."""
    warnings: tuple[Diagnostic, ...] = field(default=())
    """What the reader noticed; writers may add their own at render time."""
    text: str = field(default="", repr=False, compare=False)
    """The decoded source, so that checks can point at a line without reading the file again."""
    key_judgements: tuple[tuple[Inline, ...], ...] = ()
    """The bottom line up front: one inline run per judgement, shown before the body."""
    key_judgements_line: int | None = None
    risk: RiskRating | None = None
    contact: Contact | None = None
    """The front matter's ``contact``, else the config's ``[contact]``; ``None`` when neither."""
    _outputs: dict[str, Briefing] = field(default_factory=dict, repr=False, compare=False,
                                          hash=False)
    """:meth:`for_output`'s copies, made once each (writers of one export share them)."""

    @property
    def stem(self) -> str:
        """The source's file stem, the base of every output name."""
        return self.source.stem

    @property
    def figures(self) -> tuple[Figure, ...]:
        """The body's figures, in order."""
        return tuple(b for b, _ in walk_blocks(self.blocks) if isinstance(b, Figure))

    @property
    def conditionals(self) -> tuple[Conditional, ...]:
        """The body's conditional blocks, nested ones included, in order."""
        return tuple(b for b, _ in walk_blocks(self.blocks) if isinstance(b, Conditional))

    def for_output(self, output: str) -> Briefing:
        """The briefing as ``output`` (``pdf``, ``email`` or ``wire``) shows it: ``only``
        blocks for other outputs gone, every other conditional block opened in place.

        Every writer renders this, never the briefing itself; a briefing without conditional
        blocks is its own.
        """
        if not self.conditionals:
            return self
        done = self._outputs.get(output)
        if done is None:
            done = self._outputs[output] = self.pruned(output_rule(output))
        return done

    def for_tier(self, tier: str, order: tuple[str, ...]) -> Briefing:
        """The briefing as a reader of ``tier`` may see it: the blocks of higher tiers gone
        from the body, the links, the calls to action and the source text itself."""
        if not self.conditionals:
            return self
        return self.pruned(tier_rule(tier, order), drop_text=True)

    def pruned(self, rule: Callable[[Conditional], Verdict], *, drop_text: bool = False
               ) -> Briefing:
        """A copy with the body's conditional blocks judged by ``rule``, and everything
        derived from the body (links, calls to action, figure numbers) derived again."""
        dropped: list[Conditional] = []
        blocks = renumber_figures(prune(self.blocks, rule, dropped))
        links = [link for run in self.key_judgements for link in run_links(run)]
        links += [link for block, _ in walk_blocks(blocks) for run in inline_runs(block)
                  for link in run_links(run)]
        ctas = tuple(b for b, _ in walk_blocks(blocks) if isinstance(b, CallToAction))
        text = self.text
        if drop_text and dropped:
            lines = text.split("\n")
            for block in dropped:
                if block.line is not None:
                    stop = block.end_line or len(lines)
                    lines[block.line - 1:stop] = [""] * (stop - block.line + 1)
            text = "\n".join(lines)
        return dataclasses.replace(self, blocks=blocks, links=tuple(links), ctas=ctas,
                                   text=text, _outputs={})

    @property
    def lang(self) -> str:
        """The briefing's language tag."""
        return self.meta.lang

    @property
    def lead_text(self) -> str:
        """The first paragraph's text, white space folded; empty when there is none."""
        lead = lead_paragraph(self.blocks)
        return " ".join(plain_text(lead.children).split()) if lead else ""

    @property
    def summary_repeats_lead(self) -> bool:
        """True when the summary is the start of the lead (the default summary is)."""
        summary = " ".join((self.meta.summary or "").split())
        return bool(summary) and self.lead_text.startswith(summary)


# --------------------------------------------------------------------------- editions


@record
class Edition:
    """A newsletter edition: several briefings bundled under one title and number."""

    title: str
    """The edition's name, e.g. ``Sahel Weekly``."""
    briefings: tuple[Briefing, ...]
    """The stories, in the order the edition lists them."""
    source: Path
    """The edition file (or, for a command-line edition, the output name it stands for)."""
    number: str | None = None
    """The issue number, e.g. ``12``."""
    date: dt.date | None = None
    intro: tuple[Block, ...] = ()
    """The editor's introduction, parsed like a briefing body."""
    intro_links: tuple[Link, ...] = ()
    """The links of the introduction."""
    lang: str = "en"
    warnings: tuple[Diagnostic, ...] = ()

    @property
    def stem(self) -> str:
        """The base of every output name."""
        return self.source.stem

    @property
    def heading(self) -> str:
        """``Sahel Weekly, No. 12``."""
        return f"{self.title}, No. {self.number}" if self.number else self.title

    @property
    def classification(self) -> str | None:
        """The label the cover carries: the stories' classification labels, each once.

        Labels are free text with no order among them, so when stories carry different ones
        the cover names them all: none of a story's handling is lost on the cover.
        """
        labels = dict.fromkeys(b.meta.classification for b in self.briefings
                               if b.meta.classification)
        return " / ".join(labels) or None

    @property
    def marking(self) -> str | None:
        """The most restrictive TLP marking of the stories: what the cover, the email's top
        and subject and the wire text's first line carry."""
        markings = [b.meta.marking for b in self.briefings if b.meta.marking]
        return max(markings, key=TLP_MARKINGS.index) if markings else None

    def for_output(self, output: str) -> Edition:
        """The edition as ``output`` shows it (see :meth:`Briefing.for_output`): its stories
        and its introduction."""
        stories = tuple(b.for_output(output) for b in self.briefings)
        intro = prune(self.intro, output_rule(output), [])
        if intro == self.intro and all(
                new is old for new, old in zip(stories, self.briefings, strict=True)):
            return self
        links = tuple(link for block, _ in walk_blocks(intro) for run in inline_runs(block)
                      for link in run_links(run))
        return dataclasses.replace(self, briefings=stories, intro=intro, intro_links=links)

    def anchor(self, index: int) -> str:
        """The in-document anchor of the story at ``index`` (0-based)."""
        return f"story-{index + 1}"


# --------------------------------------------------------------------------- recipients


@record
class Recipient:
    """Who one copy of a document is for (a row of the recipients file).

    A plain export has none; client copies render each copy with one, so that the copy's
    tier, watermark and personal links are the recipient's.
    """

    id: str
    email: str | None = None
    name: str = ""
    organisation: str = ""
    tier: str | None = None
    token: str | None = None
    """The recipient's token for personal links (derived from a secret; never written out
    but inside the links it fills)."""

    def placeholders(self) -> dict[str, str]:
        """The values a personal URL's ``{name}`` placeholders take for this recipient."""
        values = {"id": self.id}
        if self.email:
            values["recipient"] = self.email
        if self.token:
            values["token"] = self.token
        return values


#: What a pruning rule says of a conditional block: gone, opened in place, or kept as it is.
Verdict = Literal["drop", "open", "keep"]


def output_rule(output: str) -> Callable[[Conditional], Verdict]:
    """What ``output`` (``pdf``, ``email``, ``wire``) does with a conditional block: drops an
    ``only`` block for other outputs, opens every other in place."""
    def rule(block: Conditional) -> Verdict:
        return "drop" if block.outputs is not None and output not in block.outputs else "open"
    return rule


def tier_rule(tier: str, order: tuple[str, ...]) -> Callable[[Conditional], Verdict]:
    """What a reader of ``tier`` may see: a higher tier's block dropped; every other kept as
    a block (each output opens it), so that check can still say who gets which."""
    rank = order.index(tier)

    def rule(block: Conditional) -> Verdict:
        if block.tier is not None and order.index(block.tier) > rank:
            return "drop"
        return "keep"
    return rule


def prune(blocks: Iterable[Block], rule: Callable[[Conditional], Verdict],
          dropped: list[Conditional]) -> tuple[Block, ...]:
    """``blocks`` with each conditional block judged by ``rule``, at any depth; the blocks
    dropped are added to ``dropped``."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Conditional):
            verdict = rule(block)
            if verdict == "drop":
                dropped.append(block)
            elif verdict == "open":
                out.extend(prune(block.children, rule, dropped))
            else:
                out.append(dataclasses.replace(
                    block, children=prune(block.children, rule, dropped)))
        elif isinstance(block, Quote):
            out.append(Quote(prune(block.children, rule, dropped)))
        elif isinstance(block, ListBlock):
            out.append(dataclasses.replace(block, items=tuple(
                prune(item, rule, dropped) for item in block.items)))
        else:
            out.append(block)
    return tuple(out)


def renumber_figures(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """The figures numbered 1, 2, … in order again: a figure left out leaves no gap that
    would tell a reader something was left out."""
    counter = iter(range(1, 1 + sum(isinstance(b, Figure) for b, _ in walk_blocks(blocks))))

    def number(items: Iterable[Block]) -> tuple[Block, ...]:
        out: list[Block] = []
        for block in items:
            if isinstance(block, Figure):
                block = dataclasses.replace(block, number=next(counter))
            elif isinstance(block, Quote):
                block = Quote(number(block.children))
            elif isinstance(block, Conditional):
                block = dataclasses.replace(block, children=number(block.children))
            elif isinstance(block, ListBlock):
                block = dataclasses.replace(block, items=tuple(number(i) for i in block.items))
            out.append(block)
        return tuple(out)
    return number(blocks)


def replace_links(node: Any, change: Callable[[Link], Link]) -> Any:
    """``node`` (a briefing, a block, a run…) with every :class:`Link` in it passed through
    ``change``: body, key judgements, calls to action and the link lists alike."""
    if isinstance(node, Link):
        return change(node)
    if isinstance(node, tuple):
        return tuple(replace_links(item, change) for item in node)
    if dataclasses.is_dataclass(node) and not isinstance(node, type) and not isinstance(
            node, Metadata | Diagnostic | Contact | RiskRating):
        return dataclasses.replace(node, **{
            f.name: replace_links(getattr(node, f.name), change)
            for f in dataclasses.fields(node) if f.init and not f.name.startswith("_")})
    return node


def run_links(run: Iterable[Inline]) -> Iterator[Link]:
    """The links of an inline run, in order."""
    return (node.link for node in walk_inlines(run) if isinstance(node, LinkSpan))


#: What a writer renders: one briefing, or an edition of several.
Document = Briefing | Edition

# --------------------------------------------------------------------------- walking the tree

_CAMEL_RE = re.compile(r"(?<!^)(?=[A-Z])")


def rule_name(node: object) -> str:
    """The renderer method for a node: ``ListBlock`` → ``list_block``; ``Break`` → ``break_``.

    Every renderer (HTML, wire text) names its methods after the node types they render.
    """
    name = _CAMEL_RE.sub("_", type(node).__name__).lower()
    return f"{name}_" if keyword.iskeyword(name) else name


def plain_text(children: Iterable[Inline]) -> str:
    """The visible text of inline runs, without markup."""
    out: list[str] = []
    stack: list[Inline] = list(reversed(tuple(children)))
    while stack:
        node = stack.pop()
        if isinstance(node, Text | Code):
            out.append(node.text)
        elif isinstance(node, Break):
            out.append(" ")
        elif isinstance(node, Image):
            out.append(node.alt)
        else:
            stack.extend(reversed(node.children))
    return "".join(out)


def lead_paragraph(blocks: Iterable[Block]) -> Paragraph | None:
    """The first paragraph of a body: the lead."""
    return next((b for b in blocks if isinstance(b, Paragraph)), None)


def walk_blocks(blocks: Iterable[Block]) -> Iterator[tuple[Block, int | None]]:
    """Every block, nested ones included, in document order, with the nearest known line."""
    stack: list[tuple[Block, int | None]] = [(b, None) for b in reversed(tuple(blocks))]
    while stack:
        block, outer = stack.pop()
        line = getattr(block, "line", None) or outer
        yield block, line
        if isinstance(block, Quote | Conditional):
            stack.extend((b, line) for b in reversed(block.children))
        elif isinstance(block, ListBlock):
            for item in reversed(block.items):
                stack.extend((b, line) for b in reversed(item))


def inline_runs(block: Block) -> list[tuple[Inline, ...]]:
    """The inline runs of one block (not of the blocks nested in it)."""
    if isinstance(block, Paragraph | Heading):
        return [block.children]
    if isinstance(block, Figure):
        return [(block.image,)]
    if isinstance(block, Table):
        return [c.children for row in (block.header, *block.rows) for c in row]
    return []


def walk_inlines(children: Iterable[Inline]) -> Iterator[Inline]:
    """Every inline node of a run, nested ones included, in document order."""
    stack = list(reversed(tuple(children)))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, Emphasis | LinkSpan):
            stack.extend(reversed(node.children))
