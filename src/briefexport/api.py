"""The public Python API: the CLI is one caller among others.

>>> from briefexport import export
>>> results = export(["examples/mali-second-coup.txt"], "out", config="examples/briefexport.toml")

Every function here is a plain module-level function taking picklable arguments, so a caller can
hand :func:`export_one` to its own process pool.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from briefexport import reader
from briefexport.config import Settings, load_settings
from briefexport.errors import BriefexportError, StrictError
from briefexport.model import Briefing, Diagnostic, Edition
from briefexport.writers import DEFAULT_FORMATS, RenderContext, get_edition_writer, get_writer


@dataclass(frozen=True)
class ExportResult:
    """What happened to one source."""

    source: Path
    files: tuple[Path, ...] = ()
    """The files written, in format order."""
    warnings: tuple[Diagnostic, ...] = ()
    error: str | None = None
    """A one-line error when the export failed; then ``files`` is empty."""

    @property
    def ok(self) -> bool:
        """True when every requested output was written."""
        return self.error is None


@dataclass(frozen=True)
class ExportOptions:
    """How to export: everything but the source itself."""

    out_dir: Path = Path("out")
    formats: tuple[str, ...] = DEFAULT_FORMATS
    strict: bool = False
    default_date: dt.date | None = None
    max_bytes: int = reader.DEFAULT_MAX_BYTES


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write to a temporary file in the same folder, then rename it into place.

    An interrupted or failed export never leaves a truncated file under the final name.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read(source: Path | str, settings: Settings | None = None, *,
         default_date: dt.date | None = None) -> Briefing:
    """Read one briefing into the document model."""
    return reader.read(source, settings, default_date=default_date)


def render(briefing: Briefing, fmt: str, settings: Settings | None = None
           ) -> tuple[bytes | str, list[Diagnostic]]:
    """Render one format of an already-read briefing, in memory."""
    ctx = RenderContext(settings or Settings())
    return get_writer(fmt).render(briefing, ctx), ctx.warnings


def output_path(source: Path, fmt: str, out_dir: Path, stem: str | None = None) -> Path:
    """Where ``source``'s output in ``fmt`` goes: its file stem (or ``stem``) plus the format's
    extension.

    The name is one path component inside ``out_dir``, whatever the source is called.
    """
    name = (stem or source.stem) + get_writer(fmt).extension
    if name in (".", "..") or "/" in name or os.sep in name or "\0" in name:
        raise BriefexportError(f"cannot derive a safe output name from {source.name!r}", source)
    return out_dir / name


def export_one(source: Path | str, settings: Settings | None = None,
               options: ExportOptions | None = None, *, stem: str | None = None
               ) -> ExportResult:
    """Export one source to every requested format; never raises for a bad source.

    The outputs are named ``stem`` (default: the source's file stem) plus each format's
    extension.  All outputs are rendered in memory first and written only when all succeeded
    (and, under ``strict``, when there were no warnings), so a failed source leaves no file
    behind.
    """
    source = Path(source)
    settings = settings or Settings()
    options = options or ExportOptions()
    warnings: list[Diagnostic] = []
    try:
        briefing = reader.read(source, settings, default_date=options.default_date,
                               max_bytes=options.max_bytes)
        warnings.extend(briefing.warnings)
        ctx = RenderContext(settings, warnings)
        rendered = [(fmt, get_writer(fmt).render(briefing, ctx)) for fmt in options.formats]
        if options.strict and warnings:
            raise StrictError(f"{len(warnings)} warning(s) under --strict; nothing written",
                              source)
        files = _write_all(source, [(output_path(source, fmt, options.out_dir, stem), data)
                                    for fmt, data in rendered])
        return ExportResult(source, files, tuple(warnings))
    except BriefexportError as exc:
        message = str(exc) if exc.path else f"{source}: {exc}"
        return ExportResult(source, (), tuple(warnings), message)


def export_edition(edition: Edition | Path | str, settings: Settings | None = None,
                   options: ExportOptions | None = None) -> ExportResult:
    """Export a newsletter edition (an :class:`Edition` or an edition file) to every format.

    As for a briefing: everything is rendered in memory first, and a missing or broken
    briefing fails the whole edition without writing anything.
    """
    from briefexport.edition import read_edition

    settings = settings or Settings()
    options = options or ExportOptions()
    source = edition.source if isinstance(edition, Edition) else Path(edition)
    warnings: list[Diagnostic] = []
    try:
        if not isinstance(edition, Edition):
            edition = read_edition(source, settings, default_date=options.default_date,
                                   max_bytes=options.max_bytes)
        warnings.extend(edition.warnings)
        ctx = RenderContext(settings, warnings)
        rendered = [(get_edition_writer(fmt), get_edition_writer(fmt).render(edition, ctx))
                    for fmt in options.formats]
        if options.strict and warnings:
            raise StrictError(f"{len(warnings)} warning(s) under --strict; nothing written",
                              source)
        return ExportResult(source, _write_all(
            source, [(options.out_dir / (edition.stem + w.extension), data)
                     for w, data in rendered]), tuple(warnings))
    except BriefexportError as exc:
        message = str(exc) if exc.path else f"{source}: {exc}"
        return ExportResult(source, (), tuple(warnings), message)


def _write_all(source: Path, outputs: list[tuple[Path, bytes | str]]) -> tuple[Path, ...]:
    files = []
    for target, data in outputs:
        try:
            write_atomic(target, data)
        except OSError as exc:
            raise BriefexportError(f"cannot write {target}: {exc.strerror}", source) from None
        files.append(target)
    return tuple(files)


def export(sources: Iterable[Path | str], out_dir: Path | str = "out", *,
           config: Path | str | None = None, settings: Settings | None = None,
           formats: Sequence[str] | None = None, strict: bool = False,
           default_date: dt.date | None = None, jobs: int = 1,
           fail_fast: bool = False,
           max_bytes: int = reader.DEFAULT_MAX_BYTES) -> list[ExportResult]:
    """Export many sources; one bad source never stops the others (unless ``fail_fast``).

    ``sources`` may name files, folders (searched recursively for ``*.md`` and ``*.txt``) and
    glob patterns; see :mod:`briefexport.batch` for how outputs are named when two sources share
    a stem.  ``jobs`` > 1 exports in a process pool of that many workers.  The results come in
    source order; under ``fail_fast`` there are none for the sources never attempted.  A
    source larger than ``max_bytes`` fails (the CLI's ``--max-size``).
    """
    from briefexport import batch

    if settings is None:
        settings = load_settings(Path(config) if config else None)
    options = ExportOptions(out_dir=Path(out_dir),
                            formats=tuple(formats) if formats else ExportOptions().formats,
                            strict=strict, default_date=default_date, max_bytes=max_bytes)
    tasks = batch.plan(batch.expand(sources), options.out_dir)
    return list(batch.run(tasks, settings, options, jobs=jobs, fail_fast=fail_fast))
