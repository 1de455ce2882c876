"""A run of ``briefexport copies``: plan, resume, render (local pool or Dask), write, record.

:func:`prepare` does everything that can refuse the whole run before any work starts (the
secret, the recipients file, the sources, the output folder's lock); :func:`execute` then
renders what is left, writes each copy's files atomically, appends their manifest lines once
they are on disk, and yields one :class:`Outcome` per copy in plan order.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from briefexport.about import version
from briefexport.commands.copies.manifest import (
    Manifest,
    Row,
    fsync_path,
    sha256_of,
    stale_parts,
    still_there,
)
from briefexport.commands.copies.personal import secret, with_tokens
from briefexport.commands.copies.plan import Plan, Planned, make_plan, settings_digest
from briefexport.commands.copies.render import Copy
from briefexport.commands.copies.worker import environment
from briefexport.config import Settings
from briefexport.errors import BriefexportError
from briefexport.model import Recipient
from briefexport.pipeline import write_atomic
from briefexport.record import record
from briefexport.source.recipients import read_recipients

State = Literal["written", "resumed", "skipped", "failed"]


@record
class Outcome:
    """What happened to one copy (or, with no ``recipient``, to a source no one got)."""

    source: str
    recipient: str | None
    state: State
    rows: tuple[Row, ...] = ()
    """The copy's files: written now, or (``resumed``) kept from the earlier run."""
    message: str | None = None
    """Why it failed or was skipped: one line."""
    warnings: tuple[str, ...] = ()
    copies: int = 1
    """How many copies this outcome stands for (a failed source: one per recipient)."""

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(row.path for row in self.rows)


@dataclass
class Prepared:
    """A run ready to go: its plan, its manifest (open, the folder locked)."""

    plan: Plan
    settings: Settings
    out_dir: Path
    manifest: Manifest
    scheduler: str | None
    jobs: int
    timeout: float
    client: Any = None
    """The Dask client, when the run has a scheduler (connected before any work)."""


def load_recipients(recipients: Path | str | Iterable[Recipient], settings: Settings
                    ) -> tuple[Recipient, ...]:
    """The recipients (a file, or rows already made) with their tokens.

    The secret is read from the environment first: a missing one is an error before anything
    else.  It never leaves this function: workers get tokens.
    """
    key = secret(settings.copies, settings.email.unsubscribe_url)
    if isinstance(recipients, str | Path):
        rows = read_recipients(Path(recipients), settings.tiers)
    else:
        rows = tuple(recipients)
        seen: set[str] = set()
        for row in rows:
            if row.id in seen:
                raise BriefexportError(f"duplicate recipient id {row.id!r}")
            if row.tier is not None and row.tier not in settings.tiers.order:
                raise BriefexportError(f"recipient {row.id!r} has tier {row.tier!r}, not one "
                                       f"of [tiers] order ({', '.join(settings.tiers.order)})")
            seen.add(row.id)
    return with_tokens(rows, key)


def prepare(sources: Iterable[Path | str], recipients: Path | str | Iterable[Recipient],
            out_dir: Path, settings: Settings, formats: Sequence[str], *,
            scheduler: str | None = None, jobs: int = 1, resume: bool = False,
            timeout: float | None = None, default_date: dt.date | None = None) -> Prepared:
    """Check everything the run needs; raise :class:`BriefexportError` before any work.

    ``timeout`` defaults to ``[batch] timeout``."""
    timeout = settings.batch.timeout if timeout is None else timeout
    if timeout <= 0:
        raise BriefexportError("the timeout must be more than 0 seconds")
    if scheduler:
        from briefexport.commands.copies.cluster import missing_extra

        problem = missing_extra()
        if problem:
            raise BriefexportError(problem)
    people = load_recipients(recipients, settings)
    plan = make_plan(sources, people, out_dir, settings, formats, default_date=default_date)
    client = None
    if scheduler and plan.copies:
        from briefexport.commands.copies.cluster import connect

        client = connect(scheduler)
    try:
        manifest = Manifest(out_dir, resume=resume)
    except BaseException:
        if client is not None:
            client.close()
        raise
    return Prepared(plan, settings, out_dir, manifest, scheduler, jobs, timeout, client)


def execute(run: Prepared, *, on_done: Callable[[Outcome], None] | None = None
            ) -> Iterator[Outcome]:
    """Make every copy of the plan; yield their outcomes in plan order.

    ``on_done`` is called as each copy is accounted for, in the order they finish (for a
    progress bar).  The manifest ends up listing every file of the run, once.
    """
    notify = on_done or (lambda outcome: None)
    plan, out_dir, manifest = run.plan, run.out_dir, run.manifest
    try:
        for failure in plan.failures:
            outcome = Outcome(failure.source, None, "failed", message=failure.error,
                              copies=len(plan.recipients))
            notify(outcome)
            yield outcome
        _clear_stale_parts(plan.copies, out_dir)
        outcomes: list[Outcome | None] = [None] * len(plan.copies)
        todo: list[int] = []
        for i, planned in enumerate(plan.copies):
            kept = _resumable(planned, manifest, out_dir)
            if kept is None:
                todo.append(i)
                continue
            # (its lines are in the manifest already: a resumed run appends to it)
            outcomes[i] = outcome = Outcome(planned.source, planned.recipient, "resumed", kept)
            notify(outcome)
        by_job = {_job_key(plan.copies[i]): i for i in todo}
        next_index = 0
        while next_index < len(outcomes) and (ready := outcomes[next_index]):
            yield ready  # resumed copies before the first one to render
            next_index += 1
        rendered = _render(run, [plan.copies[i] for i in todo])
        try:
            for copy in rendered:
                i = by_job[(copy.job.source, copy.job.recipient.id)]
                outcomes[i] = outcome = _record(plan.copies[i], copy, manifest, out_dir)
                notify(outcome)
                while next_index < len(outcomes) and (ready := outcomes[next_index]):
                    yield ready
                    next_index += 1
        finally:
            rendered.close()  # an interrupted run stops its workers now
        yield from (o for o in outcomes[next_index:] if o is not None)
        manifest.finish(row for o in outcomes if o is not None for row in o.rows)
    finally:
        manifest.close()
        if run.client is not None:
            run.client.close()


def _job_key(planned: Planned) -> tuple[str, str]:
    return planned.source, planned.recipient


def _render(run: Prepared, todo: Sequence[Planned]) -> Generator[Copy, None, None]:
    jobs = [planned.job for planned in todo]
    # What a worker process loads once: the settings, the environment, the formats' writers.
    formats = todo[0].job.formats if todo else ()
    key = (f"{settings_digest(run.settings)}-{sorted(environment().items(), key=str)}-"
           f"{','.join(formats)}")
    if run.client is not None:
        from briefexport.commands.copies.cluster import render_dask

        return render_dask(jobs, run.settings, key, client=run.client, timeout=run.timeout)
    from briefexport.commands.copies.local import render_local

    return render_local(jobs, run.settings, key, workers=run.jobs, timeout=run.timeout)


def _resumable(planned: Planned, manifest: Manifest, out_dir: Path) -> tuple[Row, ...] | None:
    """The earlier run's rows of this copy, when every file is there as it recorded it."""
    if not manifest.earlier:
        return None
    rows = []
    for fmt in planned.job.formats:
        row = manifest.earlier.get((planned.recipient, planned.source, fmt))
        if (row is None or row.inputs != planned.inputs
                or row.path != _relative(planned.target(fmt), out_dir)
                or not still_there(row, out_dir)):
            return None
        rows.append(row)
    return tuple(rows)


def _record(planned: Planned, copy: Copy, manifest: Manifest, out_dir: Path) -> Outcome:
    """Write a rendered copy's files, then their manifest lines."""
    source, recipient = planned.source, planned.recipient
    if copy.error is not None:
        return Outcome(source, recipient, "failed", message=copy.error, warnings=copy.warnings)
    if copy.skipped is not None:
        return Outcome(source, recipient, "skipped", message=copy.skipped,
                       warnings=copy.warnings)
    rows = []
    release = version()
    try:
        for fmt, data in copy.files.items():
            target = planned.target(fmt)
            write_atomic(target, data)
            fsync_path(target)
            rows.append(Row(recipient=recipient, source=source, format=fmt,
                            path=_relative(target, out_dir), sha256=sha256_of(data),
                            bytes=len(data), pages=copy.pages if fmt == "pdf" else None,
                            links=copy.links, warnings=copy.warnings,
                            milliseconds=copy.milliseconds, inputs=planned.inputs,
                            version=release))
        fsync_path(planned.folder)
    except OSError as exc:
        return Outcome(source, recipient, "failed",
                       message=f"{source}: cannot write {exc.filename or planned.folder}: "
                               f"{exc.strerror}", warnings=copy.warnings)
    manifest.append(rows)
    return Outcome(source, recipient, "written", tuple(rows), warnings=copy.warnings)


def _relative(path: Path, out_dir: Path) -> str:
    return Path(os.path.relpath(path, out_dir)).as_posix()


def _clear_stale_parts(copies: Sequence[Planned], out_dir: Path) -> None:
    """Remove what an interrupted run left half-written for the files of this one."""
    names: dict[Path, set[str]] = {}
    for planned in copies:
        names.setdefault(planned.folder, set()).update(
            planned.target(fmt).name for fmt in planned.job.formats)
    names.setdefault(out_dir, set()).add("manifest.jsonl")
    for folder, wanted in names.items():
        for part in stale_parts(folder, wanted):
            part.unlink(missing_ok=True)


class Rows(list[Row]):
    """The manifest rows of a run (written now or kept by ``resume``), in plan order, and
    what happened to every copy (``outcomes``, ``failed``, ``skipped``)."""

    def __init__(self, outcomes: Sequence[Outcome]) -> None:
        super().__init__(row for outcome in outcomes for row in outcome.rows)
        self.outcomes: tuple[Outcome, ...] = tuple(outcomes)

    @property
    def failed(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.state == "failed")

    @property
    def skipped(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.state == "skipped")

    @property
    def ok(self) -> bool:
        """True when every copy was written (or kept, or skipped by its tier)."""
        return not self.failed


def count(outcomes: Iterable[Outcome]) -> dict[State, int]:
    """Copies per state."""
    totals: dict[State, int] = {"written": 0, "resumed": 0, "skipped": 0, "failed": 0}
    for outcome in outcomes:
        totals[outcome.state] += outcome.copies
    return totals
