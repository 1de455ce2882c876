"""Preflight: find what would embarrass a briefing before it goes to clients.

:func:`check_source` reads one source and returns :class:`Finding` objects; it writes nothing.
:func:`check_rendering` checks outputs already rendered in memory (the live preview's), so a
source is read once and each format rendered once however many look at it.
Each finding names the line and says how to fix it.  Errors are things that are broken in the
deliverable (a link without a target, a leftover ``TK``, an email Gmail would clip); warnings
are things an editor should look at (a vague link text, an ``http:`` link, a long summary).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, field
from pathlib import Path
from typing import Any, Literal

from briefexport.choices import CONDITION_OUTPUTS
from briefexport.config import Settings
from briefexport.errors import BriefexportError
from briefexport.limits import (
    KEY_JUDGEMENT_MAX_WORDS,
    KEY_JUDGEMENTS_MAX,
    MAX_SOURCE_BYTES,
    PREHEADER_MAX,
    PREHEADER_MIN,
)
from briefexport.model import (
    Briefing,
    CallToAction,
    CodeBlock,
    Diagnostic,
    Image,
    Link,
    inline_runs,
    plain_text,
    walk_blocks,
    walk_inlines,
)
from briefexport.pipeline import ExportOptions, Rendering, read_briefing
from briefexport.record import record
from briefexport.render.handling import embargo_until
from briefexport.source.links import url_scheme
from briefexport.writers.text.wire import display_width

Severity = Literal["error", "warning", "info"]
#: The severities, most serious first (as reports count them).
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")

#: The summary is the email's preview text: inboxes show about this many characters.
SUMMARY_RANGE = (PREHEADER_MIN, PREHEADER_MAX)

#: Link texts that say nothing about where the link goes (compared case-insensitively).
VAGUE_LINK_TEXTS = frozenset({
    "click here", "here", "click", "this", "this link", "link", "read more", "more",
    "learn more", "see here", "go", "click this link", "this page", "page",
})

_MARKER_RE = re.compile(r"\b(TK|TODO|XXX)\b")
_URL_TEXT_RE = re.compile(r"^(https?://|www\.)\S+$", re.IGNORECASE)

#: Reader/writer warning codes → (severity, finding code, fix hint).
_DIAGNOSTICS: dict[str, tuple[Severity, str, str]] = {
    "placeholder": ("error", "unresolved-link",
                    "add the URL to the front matter 'links' or the config's [links]"),
    "refused-link": ("error", "refused-link",
                     "use an https: URL; script, file and data links are never exported"),
    "unknown-key": ("warning", "unknown-key", "check the spelling of the front matter key"),
    "too-deep": ("warning", "too-deep", "nest lists, quotes and emphasis less deeply"),
    "blocked-resource": ("error", "blocked-resource",
                         "put the file next to the briefing or use an allowed URL"),
    "email-compliance": ("warning", "email-compliance",
                         "set [email] unsubscribe_url and postal_address in the config"),
    "email-size": ("warning", "email-size", "shorten the briefing"),
    "figure-url": ("warning", "figure-url",
                   "set [email] asset_base_url or give the figure an https URL"),
    "no-corrections": ("warning", "no-corrections",
                       "add 'corrections' (date and note) or set 'version' back to 1"),
    "unclosed-block": ("warning", "unclosed-block", "close the block with a line ':::'"),
    "unknown-condition": ("warning", "unknown-condition",
                          "use '::: only pdf|email|wire' or '::: tier NAME'"),
}

#: The code of the client-support findings: one per feature some email clients lack.
CLIENT_SUPPORT = "client-support"

#: Writer warnings the preflight reports in its own words (see ``_Check.email``).
_SUPERSEDED = frozenset({"email-clipped"})


@record
class Finding:
    """One thing the preflight found in one source."""

    severity: Severity
    code: str
    """A short stable identifier, e.g. ``unresolved-link``, for filtering in CI."""
    line: int | None
    """1-based source line, when known."""
    message: str
    hint: str
    """How to fix it, in a few words."""
    path: str
    details: Mapping[str, Any] | None = field(default=None, compare=False)
    """Structured data for machines, e.g. a ``client-support`` finding's clients."""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.message} [{self.code}]"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping."""
        return asdict(self)


def check_source(path: Path | str, settings: Settings | None = None, *,
                 max_bytes: int = MAX_SOURCE_BYTES,
                 clients: tuple[str, ...] | None = None) -> list[Finding]:
    """Read one source and check it; a source that cannot be read is one ``error`` finding.

    ``clients`` narrows the client-support findings to those families of
    ``choices.CLIENT_FAMILIES`` (all of them when None).
    """
    path = Path(path)
    settings = settings or Settings()
    if settings.tiers.tier is None:
        # A preflight reads everything the desk wrote: every tier's blocks.
        settings = settings.replace(tiers=dataclasses.replace(
            settings.tiers, tier=settings.tiers.order[-1]))
    try:
        briefing = read_briefing(path, settings, ExportOptions(max_bytes=max_bytes))
    except BriefexportError as exc:
        return [Finding("error", "unreadable", exc.line, exc.message,
                        "fix the file so that it can be read", exc.path or str(path))]
    return check_briefing(briefing, settings, clients=clients)


def check_briefing(briefing: Briefing, settings: Settings | None = None, *,
                   clients: tuple[str, ...] | None = None) -> list[Finding]:
    """Check an already-read briefing (the email and text are rendered in memory)."""
    return check_rendering(Rendering(briefing, settings or Settings()), clients=clients)


def check_rendering(rendering: Rendering, *,
                    clients: tuple[str, ...] | None = None) -> list[Finding]:
    """Check a briefing's outputs, rendering the email and the text if they are not yet.

    Every warning the reader and the writers raised so far is reported too.
    """
    check = _Check(rendering)
    check.metadata()
    check.handling()
    check.intelligence()
    check.conditions()
    check.links()
    check.ctas()
    check.body()
    check.email()
    check.client_support(clients)
    check.text()
    check.diagnostics(rendering.warnings)
    return sort_findings(check.findings)


def warning_findings(rendering: Rendering, warnings: Iterable[Diagnostic]) -> list[Finding]:
    """The findings for ``warnings`` alone: what a format rendered after the check raised."""
    check = _Check(rendering)
    check.diagnostics(warnings)
    return check.findings


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Source order, findings without a line first; duplicates dropped."""
    unique = dict.fromkeys(findings)
    return sorted(unique, key=lambda f: (f.line or 0, f.code))


def has_failures(findings: Iterable[Finding], *, strict: bool = False) -> bool:
    """True when a finding fails the check: an error, or a warning under ``strict``."""
    fail = {"error", "warning"} if strict else {"error"}
    return any(f.severity in fail for f in findings)


# --------------------------------------------------------------------------- the checks


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Check:
    def __init__(self, rendering: Rendering) -> None:
        if not isinstance(rendering.document, Briefing):
            raise TypeError("check takes a briefing, not an edition")
        briefing = self.briefing = rendering.document
        self.rendering = rendering
        self.settings = rendering.settings
        self.path = str(briefing.source)
        self.findings: list[Finding] = []
        self.lines = briefing.text.split("\n")

    def add(self, severity: Severity, code: str, line: int | None, message: str,
            hint: str, details: Mapping[str, Any] | None = None) -> None:
        self.findings.append(Finding(severity, code, line, message, hint, self.path, details))

    # ---- metadata

    def metadata(self) -> None:
        meta = self.briefing.meta
        if not meta.title.strip():
            self.add("error", "missing-title", None, "the briefing has no title",
                     "add 'title:' to the front matter or a headline on the first line")
        if meta.date is None:
            self.add("warning", "missing-date", None, "the briefing has no date",
                     "add 'date: YYYY-MM-DD' to the front matter")
        elif meta.date_source == "file":
            self.add("warning", "missing-date", None,
                     "no date in the front matter; the file's modification date is used",
                     "add 'date: YYYY-MM-DD' to the front matter")
        if not meta.summary:
            self.add("warning", "missing-summary", None,
                     "the briefing has no summary (the email's preview text)",
                     "add 'summary:' to the front matter")
        else:
            low, high = SUMMARY_RANGE
            n = len(meta.summary)
            if not low <= n <= high:
                self.add("warning", "summary-length", self._key_line("summary"),
                         f"the summary is {n} characters; the email's preview shows "
                         f"{low}–{high} well",
                         f"write a summary of {low}–{high} characters in the front matter")
        for label, text in (("title", meta.headline), ("summary", meta.summary or "")):
            for marker in _MARKER_RE.findall(text):
                self.add("error", "leftover-marker", None, f"'{marker}' left in the {label}",
                         "finish the text and remove the marker")

    # ---- handling: marking, embargo, status

    def handling(self) -> None:
        meta = self.briefing.meta
        if meta.marking == "TLP:RED":
            self.add("warning", "tlp-red-email", self._key_line("marking"),
                     "TLP:RED is for named recipients only, and this briefing makes an email",
                     "send it to named recipients, not as a campaign, or mark it TLP:AMBER")
        if meta.embargo is not None:
            moment = f"{meta.embargo:%Y-%m-%d %H:%M} UTC"
            if embargo_until(meta):
                self.add("error", "embargoed", self._key_line("embargo"),
                         f"embargoed until {moment}: not for publication before then",
                         "wait, or build the .eml with --ignore-embargo for a rehearsal")
            else:
                self.add("info", "embargo-lifted", self._key_line("embargo"),
                         f"the embargo lifted at {moment}; no output shows it",
                         "nothing to do")
        if meta.killed:
            self.add("info", "killed", self._key_line("status"),
                     "a kill notice: every output says the briefing was withdrawn",
                     "nothing to do")
        elif meta.status == "withheld":
            self.add("info", "withheld", self._key_line("status"),
                     "withheld: an export writes only the ninjs item", "nothing to do")

    # ---- the intelligence product

    def intelligence(self) -> None:
        briefing = self.briefing
        judgements = briefing.key_judgements
        if len(judgements) > KEY_JUDGEMENTS_MAX:
            self.add("warning", "key-judgements-many", briefing.key_judgements_line,
                     f"{len(judgements)} key judgements; a bottom line up front reads best "
                     f"in {KEY_JUDGEMENTS_MAX} or fewer", "merge or cut the weakest")
        for n, run in enumerate(judgements, 1):
            words = len(plain_text(run).split())
            if words > KEY_JUDGEMENT_MAX_WORDS:
                self.add("warning", "key-judgement-long", briefing.key_judgements_line,
                         f"key judgement {n} is {words} words; keep each to "
                         f"{KEY_JUDGEMENT_MAX_WORDS}", "say it in one sentence")
        risk = briefing.risk
        if risk is not None and risk.overall is None:
            self.add("error", "risk-no-overall", risk.line,
                     "the risk rating has no overall level",
                     f"add 'overall:' ({', '.join(self.settings.risk.levels)}) under 'risk'")
        for figure in briefing.figures:
            if not (figure.caption or "").strip():
                self.add("warning", "figure-no-caption", figure.line,
                         f"figure {figure.number} ('{_short(figure.image.src)}') has no "
                         "caption", 'add a title: ![alt](path "Caption. Source: …")')

    # ---- conditional blocks

    def conditions(self) -> None:
        order = self.settings.tiers.order
        for block in self.briefing.conditionals:
            outputs = [o for o in CONDITION_OUTPUTS if not block.outputs or o in block.outputs]
            if block.tier:
                tiers = order[order.index(block.tier):]
                who = f"tier {block.tier} and up ({', '.join(tiers)})"
            else:
                who = "every tier"
            what = "unknown: kept for everyone" if not (block.outputs or block.tier) else (
                f"{', '.join(outputs)} of {who}")
            self.add("info", "conditional-block", block.line,
                     f"'::: {block.condition}' (lines {block.line}–{block.end_line}): {what}",
                     "nothing to do", {"condition": block.condition, "outputs": outputs,
                                       "tiers": list(order[order.index(block.tier):])
                                       if block.tier else list(order)})

    # ---- reader and writer warnings

    def diagnostics(self, warnings: Iterable[Diagnostic]) -> None:
        for w in warnings:
            if w.code == "placeholder" and "call to action" in w.message:
                continue  # reported once, as a call to action without a URL (see ctas())
            if w.code in _SUPERSEDED:
                continue
            severity, code, hint = _DIAGNOSTICS.get(
                w.code, ("warning", w.code, "see the message"))
            self.add(severity, code, w.line, w.message, hint)

    # ---- links

    def links(self) -> None:
        for link in self.briefing.links:
            self.link(link, "link")

    def link(self, link: Link, kind: str) -> None:
        text = link.text.strip()
        if not text:
            self.add("error", "empty-link-text", link.line,
                     f"a {kind} to {_short(link.url or '(no URL)')} has no text; "
                     "nobody can see or click it", "write the link text between [ and ]")
        elif text.casefold().rstrip(".:!") in VAGUE_LINK_TEXTS:
            self.add("warning", "vague-link-text", link.line,
                     f"{kind} text '{_short(text)}' says nothing about where it leads",
                     "name the target, e.g. [the ECOWAS statement](…)")
        elif _URL_TEXT_RE.match(text):
            self.add("warning", "bare-url", link.line,
                     f"the {kind} text is a bare URL: {_short(text)}",
                     "give the link a descriptive text")
        url = link.url
        if url is None:
            return
        scheme = url_scheme(url)
        if scheme is None:
            where = "a page of this document" if url.startswith("#") else "nothing"
            self.add("warning", "relative-url", link.line,
                     f"{kind} '{_short(text)}' has a relative URL '{_short(url)}'; outside "
                     f"the PDF it leads to {where}",
                     "use a full https:// URL")
        elif scheme == "http":
            self.add("warning", "insecure-url", link.line,
                     f"{kind} '{_short(text)}' uses http: ({_short(url)})",
                     "use https:// if the site supports it")

    # ---- calls to action

    def ctas(self) -> None:
        seen_labels: dict[str, CallToAction] = {}
        seen_urls: dict[str, CallToAction] = {}
        for cta in self.briefing.ctas:
            if cta.url is None:
                self.add("error", "cta-no-url", cta.line or cta.link.line,
                         f"call to action '{_short(cta.label)}' has no URL",
                         "give it a URL, or set [portal] url in the config")
            else:
                self.link(cta.link, "call to action")
            label = cta.label.casefold()
            if label in seen_labels:
                self.add("warning", "duplicate-cta", cta.line or cta.link.line,
                         f"call to action '{_short(cta.label)}' appears twice",
                         "keep one of them")
            elif cta.url and cta.url in seen_urls:
                first = seen_urls[cta.url]
                self.add("warning", "duplicate-cta", cta.line or cta.link.line,
                         f"calls to action '{_short(first.label)}' and "
                         f"'{_short(cta.label)}' lead to the same URL", "keep one of them")
            seen_labels.setdefault(label, cta)
            if cta.url:
                seen_urls.setdefault(cta.url, cta)

    # ---- body text

    def body(self) -> None:
        for block, line in walk_blocks(self.briefing.blocks):
            if isinstance(block, CodeBlock):
                texts = [block.text]
            elif isinstance(block, CallToAction):
                texts = [block.label]
            else:
                texts = []
                for run in inline_runs(block):
                    texts.append(plain_text(run))
                    for node in walk_inlines(run):
                        if isinstance(node, Image) and not node.alt.strip():
                            self.add("warning", "image-no-alt", node.line or line,
                                     f"image '{_short(node.src)}' has no alt text",
                                     "describe the image between ![ and ]")
            for text in texts:
                for marker in dict.fromkeys(_MARKER_RE.findall(text)):
                    where = line or self._find(marker)
                    self.add("error", "leftover-marker", where,
                             f"'{marker}' left in the text", "finish the text and remove it")

    # ---- rendered outputs

    def email(self) -> None:
        try:
            html = self.rendering.output("html")
        except BriefexportError as exc:
            self.add("error", "email-failed", None, exc.message, "see the message")
            return
        size = len(html.encode("utf-8") if isinstance(html, str) else html)
        limit_kb = self.settings.email.size_limit_kb
        if self.settings.email.clipped(size):
            self.add("error", "email-too-large", None,
                     f"the email is {size / 1000:.1f} kB, over the {limit_kb} kB that "
                     "Gmail shows before clipping it", "shorten the briefing or split it")
        else:
            self.add("info", "email-size", None,
                     f"the email is {size / 1000:.1f} kB of the {limit_kb} kB budget",
                     "nothing to do")

    def client_support(self, families: tuple[str, ...] | None) -> None:
        """What in the email as sent (after MJML and the inliner) some clients lack: one
        finding per feature; an info when the template has a fallback, else a warning."""
        try:
            html = self.rendering.output("html")
        except BriefexportError:
            return  # reported once, by email()
        # Imported here: tinycss2 and the caniemail data load only when an email is checked.
        from briefexport.commands.clientsupport import client_support

        text = html if isinstance(html, str) else html.decode("utf-8")
        for gap in client_support(text, families):
            self.add("info" if gap.covered else "warning", CLIENT_SUPPORT, None,
                     gap.message(), gap.hint(), gap.details())

    def text(self) -> None:
        try:
            text = self.rendering.output("txt")
        except BriefexportError as exc:
            self.add("error", "text-failed", None, exc.message, "see the message")
            return
        width = self.settings.text.width
        urls = {link.url for link in self.briefing.links if link.url}
        urls |= {c.url for c in self.briefing.ctas if c.url}
        for line in str(text).split("\n"):
            if display_width(line) <= width:
                continue
            words = line.split()
            word = max(words, key=len) if words else line
            bare = word.strip(".,;:!?()[]<>\"'")
            if bare in urls or _URL_TEXT_RE.match(bare):
                continue  # a URL is never broken: long by nature, and expected
            self.add("warning", "unwrappable-line", self._find(word),
                     f"a wire-text line is {display_width(line)} columns, over the width of "
                     f"{width}, because of '{_short(word, 40)}'",
                     "break the long word, or make the URL a link with a text")

    def _key_line(self, key: str) -> int | None:
        """The line of a front matter key, when the source has front matter."""
        lines = self.lines
        if not lines or lines[0].strip() != "---":
            return None
        for n, line in enumerate(lines[1:], 2):
            if line.rstrip() in ("---", "..."):
                return None
            if line.startswith(f"{key}:"):
                return n
        return None

    def _find(self, word: str) -> int | None:
        """The first source line holding ``word``."""
        for n, line in enumerate(self.lines, 1):
            if word in line:
                return n
        return None
