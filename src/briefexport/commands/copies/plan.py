"""What a run of ``briefexport copies`` makes: one :class:`Planned` copy per source and
recipient, where its files go, and the digest of everything its files are made from.

Sources are read here, once each, in the process that holds the recipients file: workers
receive the bytes.  A source that cannot be read (missing, a folder, over the size limit, not
UTF-8, empty) fails once for every recipient, before any work is sent out.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from briefexport.about import version
from briefexport.commands import batch
from briefexport.commands.copies.render import Job
from briefexport.config import Settings
from briefexport.errors import BriefexportError
from briefexport.model import Recipient
from briefexport.pipeline import output_path
from briefexport.record import record
from briefexport.source.decode import read_checked


@record
class Planned:
    """One copy to make: the job a worker renders, where its files go and what they hash from."""

    job: Job
    folder: Path
    """The folder its files go in: ``DIR/<recipient id>/`` (plus the source's folders when
    two sources share a stem)."""
    inputs: str
    """The digest of the source's bytes, the settings, the recipient's row and token, the
    formats, the output names and the version of briefexport (see :func:`inputs_digest`)."""

    @property
    def recipient(self) -> str:
        return self.job.recipient.id

    @property
    def source(self) -> str:
        return self.job.source

    def target(self, fmt: str) -> Path:
        """The file of this copy in ``fmt``."""
        return output_path(Path(self.job.source), fmt, self.folder, self.job.stem)


@record
class SourceFailure:
    """A source no recipient gets a copy of: it could not be read."""

    source: str
    error: str
    """One line, naming the source."""


@record
class Plan:
    """Every copy of a run, in order (by source, then by recipient), and the sources that
    failed before any copy of them could be made."""

    copies: tuple[Planned, ...]
    failures: tuple[SourceFailure, ...]
    recipients: tuple[Recipient, ...]

    @property
    def total(self) -> int:
        """How many copies the run accounts for, failed sources' included."""
        return len(self.copies) + len(self.failures) * len(self.recipients)


def settings_digest(settings: Settings) -> str:
    """A stable digest of every setting (paths as text, tables in field order)."""
    data = dataclasses.asdict(settings)
    data.pop("batch", None)  # where and how long: the same copies locally or on Dask
    text = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def inputs_digest(job: Job, settings_key: str, names: Sequence[str], release: str) -> str:
    """What a copy's files are made from, as one digest.

    The recipient's token is part of it (so that a new secret makes new copies), hashed with
    everything else: neither the token nor the secret can be read back from the digest.
    """
    facts = {
        "version": release,
        "settings": settings_key,
        "source": hashlib.sha256(job.data).hexdigest(),
        "recipient": dataclasses.asdict(job.recipient),
        "formats": list(job.formats),
        "files": list(names),
        "default_date": job.default_date.isoformat() if job.default_date else None,
    }
    text = json.dumps(facts, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_source(path: Path) -> bytes:
    """A source's bytes, refused with the same one-line errors as ``export`` gives, here
    once rather than once per recipient."""
    return read_checked(path)[0]


def file_date(path: Path) -> dt.date | None:
    """The date of the source file, for a briefing whose front matter gives none."""
    try:
        return dt.date.fromtimestamp(path.stat().st_mtime)
    except OSError:
        return None


def make_plan(sources: Iterable[Path | str], recipients: Sequence[Recipient], out_dir: Path,
              settings: Settings, formats: Sequence[str], *,
              default_date: dt.date | None = None) -> Plan:
    """Every copy of every source for every recipient, with its folder and input digest.

    Sources are named as for ``export`` (files, folders, glob patterns; sources sharing a stem
    keep their folders), inside each recipient's folder.
    """
    settings_key, release = settings_digest(settings), version()
    tasks = batch.plan(batch.expand(sources), Path())
    copies: list[Planned] = []
    failures: list[SourceFailure] = []
    for task in tasks:
        if task.error is not None:
            failures.append(SourceFailure(str(task.source), task.error))
            continue
        try:
            data = read_source(task.source)
        except BriefexportError as exc:
            failures.append(SourceFailure(str(task.source), str(exc)))
            continue
        date = default_date or file_date(task.source)
        for recipient in recipients:
            folder = out_dir / recipient.id / task.out_dir
            job = Job(source=str(task.source), stem=task.stem, data=data, recipient=recipient,
                      formats=tuple(formats), default_date=date)
            names = [os.path.relpath(output_path(task.source, fmt, folder, task.stem), out_dir)
                     for fmt in formats]
            copies.append(Planned(job, folder, inputs_digest(job, settings_key, names, release)))
    return Plan(tuple(copies), tuple(failures), tuple(recipients))
