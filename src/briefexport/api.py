"""The public Python API: the CLI is one caller among others.

>>> from briefexport import export
>>> results = export(["examples/mali-second-coup.txt"], "out", config="examples/briefexport.toml")

Every function here is a plain module-level function taking picklable arguments, so a caller can
hand :func:`export_one` to its own process pool.  The work is done by
:mod:`briefexport.pipeline` (one document) and :mod:`briefexport.commands.batch` (many).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from briefexport.config import Settings, load_settings
from briefexport.limits import MAX_SOURCE_BYTES
from briefexport.model import Briefing, Diagnostic, Recipient
from briefexport.pipeline import (
    ExportOptions,
    ExportResult,
    export_edition,
    export_one,
    output_path,
    write_atomic,
)
from briefexport.render.context import RenderContext
from briefexport.writers import writer_for

if TYPE_CHECKING:
    from briefexport.commands.copies.run import Rows

__all__ = ["ExportOptions", "ExportResult", "Recipient", "copies", "export", "export_edition",
           "export_one", "output_path", "read", "render", "write_atomic"]


def read(source: Path | str, settings: Settings | None = None, *,
         default_date: dt.date | None = None) -> Briefing:
    """Read one briefing into the document model."""
    from briefexport.source.briefing import read as read_briefing

    return read_briefing(source, settings, default_date=default_date)


def render(briefing: Briefing, fmt: str, settings: Settings | None = None, *,
           recipient: Recipient | None = None) -> tuple[bytes | str, list[Diagnostic]]:
    """Render one format of an already-read briefing, in memory, with that render's warnings.

    With ``recipient``, the output is that recipient's copy (personal links filled).
    """
    ctx = RenderContext(settings or Settings(), recipient=recipient)
    return writer_for(fmt, briefing).render(briefing, ctx), ctx.warnings


def export(sources: Iterable[Path | str], out_dir: Path | str = "out", *,
           config: Path | str | None = None, settings: Settings | None = None,
           formats: Sequence[str] | None = None, strict: bool = False,
           default_date: dt.date | None = None, jobs: int = 1,
           fail_fast: bool = False,
           max_bytes: int = MAX_SOURCE_BYTES) -> list[ExportResult]:
    """Export many sources; one bad source never stops the others (unless ``fail_fast``).

    ``sources`` may name files, folders (searched recursively for ``*.md`` and ``*.txt``) and
    glob patterns; see :mod:`briefexport.commands.batch` for how outputs are named when two
    sources share a stem.  ``jobs`` > 1 exports in a process pool of that many workers.  The
    results come in source order; under ``fail_fast`` there are none for the sources never
    attempted.  A source larger than ``max_bytes`` fails (the CLI's ``--max-size``).
    """
    from briefexport.commands import batch

    if settings is None:
        settings = load_settings(Path(config) if config else None)
    options = ExportOptions(out_dir=Path(out_dir),
                            formats=tuple(formats) if formats else ExportOptions().formats,
                            strict=strict, default_date=default_date, max_bytes=max_bytes)
    tasks = batch.plan(batch.expand(sources), options.out_dir)
    return list(batch.run(tasks, settings, options, jobs=jobs, fail_fast=fail_fast))


def copies(sources: Iterable[Path | str], recipients: Path | str | Iterable[Recipient],
           out_dir: Path | str = "out", *, settings: Settings | None = None,
           formats: Sequence[str] | None = None, scheduler: str | None = None,
           jobs: int | None = None, resume: bool = False, timeout: float | None = None,
           default_date: dt.date | None = None) -> Rows:
    """One copy of every source for every recipient, in ``out_dir/<recipient id>/``.

    ``recipients`` is a recipients file (CSV or TOML) or :class:`Recipient` rows.  Copies are
    made in a local pool of ``jobs`` worker processes (default: one per CPU), or on the Dask
    cluster whose scheduler is at ``scheduler`` (``tcp://HOST:PORT``).  ``resume`` keeps the
    copies ``out_dir/manifest.jsonl`` records whose inputs and files are unchanged.  A
    document that renders longer than ``timeout`` seconds (default 120) fails.

    Returns the manifest's rows (one per file, in order), a list whose ``outcomes``,
    ``failed`` and ``skipped`` tell what happened to every copy; a copy that fails never
    stops the others.  Raises :class:`~briefexport.errors.BriefexportError` before any work
    for what stops the whole run: a missing secret, a bad recipients file, a missing extra.
    """
    from briefexport.commands import batch
    from briefexport.commands.copies import DEFAULT_FORMATS
    from briefexport.commands.copies.run import Rows, execute, prepare

    settings = settings or Settings()
    prepared = prepare(sources, recipients, Path(out_dir), settings,
                       tuple(formats) if formats else DEFAULT_FORMATS,
                       scheduler=scheduler or settings.batch.scheduler,
                       jobs=jobs or batch.default_jobs(), resume=resume,
                       timeout=settings.batch.timeout if timeout is None else timeout,
                       default_date=default_date)
    return Rows(list(execute(prepared)))
