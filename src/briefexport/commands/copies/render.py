"""One copy: a source rendered for one recipient, in memory.

:func:`render_copy` is what a worker runs, in this process, a local pool or on a Dask
cluster alike: it takes the source's bytes (no shared file system needed) and the settings,
and returns the files' bytes and a manifest row's facts; the caller writes the files.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from dataclasses import field
from pathlib import Path

from briefexport.commands.copies.personal import personalise
from briefexport.config import Settings
from briefexport.errors import BriefexportError
from briefexport.limits import MAX_SOURCE_BYTES, MEGABYTE
from briefexport.model import Recipient
from briefexport.names import one_line
from briefexport.pipeline import Rendering, encoded, hold_back, with_siblings
from briefexport.record import record
from briefexport.source.briefing import parse
from briefexport.source.decode import decode
from briefexport.writers import get_format


@record
class Job:
    """One source for one recipient, in the formats asked for."""

    source: str
    """The source's path as given: names it in messages and in the manifest."""
    stem: str
    """The output files' stem."""
    data: bytes
    """The source's bytes."""
    recipient: Recipient
    formats: tuple[str, ...]
    default_date: dt.date | None = None
    """The date of a briefing whose front matter has none (``--date``, else the source file's
    date, read where the file is: a worker on another machine cannot read it)."""


@record
class Copy:
    """What rendering a :class:`Job` gave: each format's bytes, or why there are none."""

    job: Job
    files: dict[str, bytes] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    skipped: str | None = None
    """Why the recipient gets no copy of this source (its tier is above theirs)."""
    error: str | None = None
    """One line: why the copy failed."""
    pages: int | None = None
    """The PDF's page count, when a PDF was made."""
    links: int = 0
    milliseconds: int = 0


def copy_settings(settings: Settings, recipient: Recipient) -> Settings:
    """The settings a recipient's copy is rendered with: their tier."""
    return settings.replace(tiers=dataclasses.replace(settings.tiers, tier=recipient.tier))


def render_copy(job: Job, settings: Settings) -> Copy:
    """Render ``job``; a bad source is a :class:`Copy` with an ``error``, never a raise."""
    start = time.perf_counter()
    recipient = job.recipient
    try:
        if len(job.data) > MAX_SOURCE_BYTES:
            raise BriefexportError(f"is {len(job.data) / MEGABYTE:.1f} MB, over the "
                                   f"{MAX_SOURCE_BYTES // MEGABYTE} MB limit", job.source)
        mine = copy_settings(settings, recipient)
        briefing = parse(decode(job.data, job.source), Path(job.source), mine,
                         default_date=job.default_date)
        order = mine.tiers.order
        if briefing.meta.tier and order.index(briefing.meta.tier) > order.index(mine.tiers.current):
            return Copy(job, skipped=f"the briefing is for tier {briefing.meta.tier} and up; "
                        f"{recipient.id} is {mine.tiers.current}",
                        milliseconds=_since(start))
        formats, held = hold_back(briefing, job.formats)
        if not formats:  # withheld, and no ninjs item asked for: nothing goes out
            return Copy(job, skipped=held.message if held else "nothing to write",
                        milliseconds=_since(start))
        briefing = personalise(briefing, mine, recipient)
        rendering = Rendering(briefing, mine, recipient=recipient).render(*formats)
        # The files of one copy share a folder: each names the others by file name.
        targets = {fmt: Path(job.stem + get_format(fmt).extension) for fmt in formats}
        payloads = {fmt: encoded(rendering.outputs[fmt]) for fmt in formats}
        files = {fmt: with_siblings(rendering, fmt, targets, payloads) for fmt in formats}
        if held is not None:
            rendering.warnings.append(held)
    except BriefexportError as exc:
        where = f"{exc.path}:{exc.line}" if exc.path and exc.line else exc.path or job.source
        return Copy(job, error=f"{where}: {one_line(exc.message)}", milliseconds=_since(start))
    return Copy(job, files=files, warnings=tuple(str(w) for w in rendering.warnings),
                pages=page_count(files.get("pdf")),
                links=len(briefing.links) + len(briefing.ctas), milliseconds=_since(start))


def page_count(pdf: bytes | None) -> int | None:
    """The pages of a PDF, read by PDFium (the preview's reader)."""
    if pdf is None:
        return None
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def _since(start: float) -> int:
    return round((time.perf_counter() - start) * 1000)
