"""Source file → :class:`~briefexport.model.Briefing`.

The only code that opens a briefing.  It decodes (BOM, CRLF), splits the YAML front matter,
finds the headline, parses the body once and resolves placeholder links, so that a briefing
that reaches a writer is complete: a missing title fails here, not inside a template.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path
from typing import Literal

from briefexport.config import Settings
from briefexport.errors import SourceError
from briefexport.limits import MAX_SOURCE_BYTES
from briefexport.model import (
    Briefing,
    CallToAction,
    Diagnostic,
    Metadata,
    lead_paragraph,
    plain_text,
)
from briefexport.names import one_line
from briefexport.source.decode import read_text
from briefexport.source.frontmatter import (
    KNOWN_KEYS,
    cta_field,
    date_field,
    links_field,
    split_front_matter,
    str_field,
    tags_field,
)
from briefexport.source.headline import first_sentence, split_slug
from briefexport.source.intel import contact_field, judgement_texts, marking_field, risk_field
from briefexport.source.links import cta_label, make_resolver
from briefexport.source.markdown import Converter, parser
from briefexport.source.newsroom import (
    corrections_field,
    embargo_field,
    kill_notice,
    status_field,
    tier_field,
    urgency_field,
    version_field,
)
from briefexport.source.typography import smarten

_LANG_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def parse(text: str, path: Path, settings: Settings | None = None, *,
          default_date: dt.date | None = None) -> Briefing:
    """Parse decoded source text into a :class:`Briefing`."""
    settings = settings or Settings()
    name = str(path)
    fm, body, offset = split_front_matter(text, name)
    warnings: list[Diagnostic] = []
    for key in fm:
        if key not in KNOWN_KEYS:
            warnings.append(Diagnostic(name, None,
                                       f"unknown front matter key '{key}' (kept for templates)",
                                       "unknown-key"))

    lang = str_field(fm, "lang", name) or "en"
    if not _LANG_RE.match(lang):
        raise SourceError(f"front matter 'lang' must be a language tag such as 'en' or 'fr-FR', "
                          f"not {lang!r}", name)
    md = parser(lang)
    title = str_field(fm, "title", name)
    slug = str_field(fm, "slug", name)
    if title is None:
        # No title in front matter: the first non-blank line is the headline.
        lines = body.split("\n")
        index = next((i for i, line in enumerate(lines) if line.strip()), None)
        if index is None:
            raise SourceError("has no headline: the body is empty and there is no 'title'",
                              name)
        head_tokens = md.parse(lines[index])
        inline = next((t for t in head_tokens if t.type == "inline"), None)
        conv = Converter(name, lambda _t, _c: None)
        title = plain_text(conv.inlines(inline.children or [], None)).strip() if inline else ""
        if not title:
            raise SourceError("has no headline on its first line", name, offset + index + 1)
        body = "\n".join(lines[index + 1:])
        offset += index + 1
    title = smarten(one_line(title), lang)
    if slug is None:
        slug, title = split_slug(title)

    fm_links = links_field(fm.get("links"), name)
    conv = Converter(name, make_resolver(fm_links, settings), line_offset=offset,
                     tiers=settings.tiers.order)
    # Judgements first: they come before the body in every output, and so do their links.
    judgements = []
    for markdown, line in judgement_texts(fm, name):
        inline = next((t for t in md.parseInline(markdown) if t.type == "inline"), None)
        run = conv.inlines(inline.children or [], line) if inline else ()
        if run:
            judgements.append(run)
    blocks = list(conv.parse(md, body))
    for label, url in cta_field(fm.get("cta"), name):
        clean = cta_label(label) or label
        cta = CallToAction(clean, conv.make_link(clean, url, None, cta=True))
        conv.ctas.append(cta)
        blocks.append(cta)

    summary = str_field(fm, "summary", name)
    if summary is not None:
        summary = smarten(summary, lang)
    elif judgements:  # the bottom line up front is the summary's source
        summary = one_line(plain_text(judgements[0])) or None

    date = date_field(fm.get("date"), name, "front matter 'date'")
    date_source: Literal["front matter", "default", "file"] | None = "front matter"
    if date is None:
        date, date_source = default_date, "default"
    if date is None:
        try:
            date, date_source = dt.date.fromtimestamp(path.stat().st_mtime), "file"
        except OSError:
            date_source = None
    version = version_field(fm, name)
    corrections, correction_warnings = corrections_field(fm, version, name)
    warnings.extend(correction_warnings)
    meta = Metadata(
        title=title,
        slug=slug,
        date=date,
        author=str_field(fm, "author", name),
        region=str_field(fm, "region", name),
        tags=tags_field(fm.get("tags"), name),
        lang=lang,
        summary=summary,
        classification=str_field(fm, "classification", name),
        marking=marking_field(fm, name),
        reference=str_field(fm, "reference", name),
        embargo=embargo_field(fm, name),
        urgency=urgency_field(fm, name),
        status=status_field(fm, name),
        version=version,
        corrections=corrections,
        tier=tier_field(fm, settings.tiers.order, name),
        date_source=date_source,
        extra=tuple((k, v) for k, v in fm.items() if k not in KNOWN_KEYS),
    )
    briefing = Briefing(meta=meta, blocks=tuple(blocks), links=tuple(conv.links),
                    ctas=tuple(conv.ctas), source=path,
                    warnings=tuple(warnings + conv.warnings), text=text,
                    key_judgements=tuple(judgements),
                    key_judgements_line=fm.line("key_judgements") if judgements else None,
                    risk=risk_field(fm, settings.risk, name),
                    contact=contact_field(fm, settings.contact, name))
    if meta.killed:
        return kill_notice(briefing)
    # What this export's tier may not see goes now, before any writer or check sees it, and
    # before the default summary (the email's hidden preview) is taken from the lead.
    briefing = briefing.for_tier(settings.tiers.current, settings.tiers.order)
    if briefing.meta.summary is None:
        # The summary is the email's preview: its lead is the email's, blocks opened.
        lead = lead_paragraph(briefing.for_output("email").blocks)
        if lead is not None:
            default = one_line(first_sentence(plain_text(lead.children))) or None
            briefing = dataclasses.replace(
                briefing, meta=dataclasses.replace(briefing.meta, summary=default))
    return briefing


def read(path: Path | str, settings: Settings | None = None, *,
         default_date: dt.date | None = None, max_bytes: int = MAX_SOURCE_BYTES) -> Briefing:
    """Read one briefing file."""
    path = Path(path)
    return parse(read_text(path, max_bytes=max_bytes), path, settings, default_date=default_date)
