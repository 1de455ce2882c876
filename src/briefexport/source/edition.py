"""Edition file → :class:`~briefexport.model.Edition`.

An edition file is TOML (the stdlib reads it; no indentation rules to get wrong)::

    title = "Sahel Weekly"
    number = 12
    date = 2026-11-27
    intro = '''
    This week: a second coup in **Mali** and a fuel blockade in Burkina Faso.
    '''
    briefings = ["mali-second-coup.txt", "burkina-faso-fuel-blockade.md"]

Briefing paths are relative to the edition file.  Each briefing is read by the ordinary reader;
a missing or broken one fails the whole edition with a message naming it.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Sequence
from pathlib import Path

from briefexport.config import Settings
from briefexport.errors import SourceError
from briefexport.limits import MAX_SOURCE_BYTES
from briefexport.model import (
    Block,
    Briefing,
    Diagnostic,
    Edition,
    Link,
    inline_runs,
    prune,
    run_links,
    tier_rule,
    walk_blocks,
)
from briefexport.names import slugify
from briefexport.source.briefing import read
from briefexport.source.decode import read_text
from briefexport.source.frontmatter import date_field
from briefexport.source.links import make_resolver
from briefexport.source.markdown import Converter, parser

KNOWN_KEYS = frozenset({"title", "number", "date", "intro", "briefings", "lang"})


def _read_briefings(paths: Sequence[Path], label: Sequence[str], where: Path,
                    settings: Settings, default_date: dt.date | None,
                    max_bytes: int) -> list[Briefing]:
    out = []
    for path, name in zip(paths, label, strict=True):
        try:
            out.append(read(path, settings, default_date=default_date, max_bytes=max_bytes))
        except SourceError as exc:
            line = f":{exc.line}" if exc.line else ""
            raise SourceError(f"briefing {name}{line}: {exc.message}", where) from None
    return out


def _intro(text: str | None, where: Path, settings: Settings, lang: str
           ) -> tuple[tuple[Block, ...], tuple[Link, ...], list[Diagnostic]]:
    if not text or not text.strip():
        return (), (), []
    resolve = make_resolver({}, settings)
    conv = Converter(str(where), resolve, tiers=settings.tiers.order)
    blocks = conv.parse(parser(lang), text)
    # The introduction's higher-tier blocks go as a briefing's do, before anything sees them.
    tiers = settings.tiers
    blocks = prune(blocks, tier_rule(tiers.current, tiers.order), [])
    links = tuple(link for block, _ in walk_blocks(blocks) for run in inline_runs(block)
                  for link in run_links(run))
    return blocks, links, conv.warnings


def build_edition(title: str, briefings: Sequence[Briefing], source: Path, settings: Settings,
                  *, number: str | None = None, date: dt.date | None = None,
                  intro: str | None = None, lang: str | None = None,
                  warnings: Sequence[Diagnostic] = ()) -> Edition:
    """Assemble an edition from briefings already read."""
    if not title.strip():
        raise SourceError("an edition needs a title", source)
    if not briefings:
        raise SourceError("an edition needs at least one briefing", source)
    lang = lang or briefings[0].meta.lang
    blocks, links, intro_warnings = _intro(intro, source, settings, lang)
    if date is None:
        dates = [b.meta.date for b in briefings if b.meta.date]
        date = max(dates) if dates else None
    return Edition(
        title=title.strip(), briefings=tuple(briefings), source=source,
        number=number, date=date, intro=blocks, intro_links=links,
        lang=lang,
        warnings=(*warnings, *intro_warnings,
                  *(w for b in briefings for w in b.warnings)),
    )


def make_edition(sources: Sequence[Path | str], settings: Settings, *, title: str,
                 number: str | None = None, date: dt.date | None = None,
                 intro: str | None = None, intro_path: Path | None = None,
                 name: str | None = None, default_date: dt.date | None = None,
                 max_bytes: int = MAX_SOURCE_BYTES) -> Edition:
    """An edition from the command line: briefing files plus a title and number.

    The introduction is Markdown text (``intro``) or a file read like a briefing
    (``intro_path``: UTF-8 with or without BOM, within ``max_bytes``).
    """
    if intro_path is not None:
        intro = read_text(intro_path, max_bytes=max_bytes)
    paths = [Path(s) for s in sources]
    stem = name or "-".join(filter(None, [slugify(title), slugify(number or "")])) or "edition"
    source = Path(stem + ".edition")
    # A briefing without a date of its own takes the edition's.
    briefings = _read_briefings(paths, [str(p) for p in paths], source, settings,
                                date or default_date, max_bytes)
    return build_edition(title, briefings, source, settings, number=number, date=date,
                         intro=intro)


def read_edition(path: Path | str, settings: Settings, *,
                 default_date: dt.date | None = None,
                 max_bytes: int = MAX_SOURCE_BYTES) -> Edition:
    """Read an edition file and every briefing it lists."""
    path = Path(path)
    try:
        data = tomllib.loads(read_text(path, max_bytes=max_bytes))
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(f"invalid edition file: {exc}", path) from None
    warnings = [Diagnostic(str(path), None, f"unknown edition key '{key}' ignored", "unknown-key")
                for key in data if key not in KNOWN_KEYS]
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise SourceError("an edition needs a 'title' (text)", path)
    number = data.get("number")
    if isinstance(number, bool) or (number is not None and not isinstance(number, int | str)):
        raise SourceError("'number' must be a number or text", path)
    date = date_field(data.get("date"), str(path), "'date'")
    intro = data.get("intro")
    if intro is not None and not isinstance(intro, str):
        raise SourceError("'intro' must be Markdown text", path)
    lang = data.get("lang")
    if lang is not None and not isinstance(lang, str):
        raise SourceError("'lang' must be a language tag such as 'en'", path)
    names = data.get("briefings")
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise SourceError("'briefings' must be a non-empty list of briefing file paths", path)
    paths = [path.parent / n for n in names]
    # A briefing without a date of its own takes the edition's.
    briefings = _read_briefings(paths, names, path, settings, date or default_date, max_bytes)
    return build_edition(title, briefings, path, settings,
                         number=str(number) if number is not None else None, date=date,
                         intro=intro, lang=lang, warnings=warnings)
