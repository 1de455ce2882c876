"""The one export path: read a document, render each format in memory once, write atomically.

``export``, ``edition``, batches, ``watch``, ``preview`` and ``check`` all come through here: a
:class:`Rendering` holds one document's outputs, so a preview that shows the text, the email
and the PDF and then checks them renders each format once and reads its source once.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from briefexport.config import Settings
from briefexport.errors import BriefexportError, StrictError
from briefexport.limits import MAX_SOURCE_BYTES
from briefexport.model import Briefing, Diagnostic, Document, Edition, Recipient
from briefexport.render.context import RenderContext
from briefexport.writers import DEFAULT_FORMATS, get_format, render


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
    max_bytes: int = MAX_SOURCE_BYTES


class Rendering:
    """One document's outputs, each rendered in memory at most once, and the warnings so far.

    ``warnings`` starts with the document's own (the reader's) and gathers each writer's.
    """

    def __init__(self, document: Document, settings: Settings,
                 warnings: list[Diagnostic] | None = None, *,
                 recipient: Recipient | None = None) -> None:
        self.document = document
        self.settings = settings
        self.warnings: list[Diagnostic] = warnings if warnings is not None else []
        self.warnings.extend(document.warnings)
        self.outputs: dict[str, bytes | str] = {}
        self._ctx = RenderContext(settings, self.warnings, recipient=recipient)

    def render(self, *formats: str) -> Rendering:
        """Render each of ``formats`` not rendered yet, in order."""
        for fmt in formats:
            if fmt not in self.outputs:
                self.outputs[fmt] = render(fmt, self.document, self._ctx)
        return self

    def output(self, fmt: str) -> bytes | str:
        """The output in ``fmt``, rendered now if it was not yet."""
        return self.render(fmt).outputs[fmt]


def read_briefing(source: Path, settings: Settings, options: ExportOptions) -> Briefing:
    """Read one briefing source with the options' date default and size limit."""
    from briefexport.source.briefing import read

    return read(source, settings, default_date=options.default_date,
                max_bytes=options.max_bytes)


def read_edition(source: Path, settings: Settings, options: ExportOptions) -> Edition:
    """Read an edition file and every briefing it lists."""
    from briefexport.source.edition import read_edition as read

    return read(source, settings, default_date=options.default_date,
                max_bytes=options.max_bytes)


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


def output_path(source: Path, fmt: str, out_dir: Path, stem: str | None = None) -> Path:
    """Where ``source``'s output in ``fmt`` goes: its file stem (or ``stem``) plus the format's
    extension.

    The name is one path component inside ``out_dir``, whatever the source is called.
    """
    name = (stem or source.stem) + get_format(fmt).extension
    if name in (".", "..") or "/" in name or os.sep in name or "\0" in name:
        raise BriefexportError(f"cannot derive a safe output name from {source.name!r}", source)
    return out_dir / name


def write_outputs(rendering: Rendering, source: Path, out_dir: Path, stem: str | None = None
                  ) -> tuple[Path, ...]:
    """Write every rendered output, atomically, in format order."""
    files = []
    for fmt, data in rendering.outputs.items():
        target = output_path(source, fmt, out_dir, stem)
        try:
            write_atomic(target, data)
        except OSError as exc:
            raise BriefexportError(f"cannot write {target}: {exc.strerror}", source) from None
        files.append(target)
    return tuple(files)


def export_document(source: Path, load: Callable[[], Document], settings: Settings,
                    options: ExportOptions, stem: str | None = None) -> ExportResult:
    """Read (``load``), render every requested format in memory, then write them all.

    Nothing is written unless every format rendered (and, under ``strict``, without a
    warning), so a failed source leaves no file behind.  Never raises for a bad source.
    """
    warnings: list[Diagnostic] = []
    try:
        document = load()
        rendering = Rendering(document, settings, warnings).render(*options.formats)
        if options.strict and warnings:
            raise StrictError(f"{len(warnings)} warning(s) under --strict; nothing written",
                              source)
        files = write_outputs(rendering, source, options.out_dir, stem or document.stem)
        return ExportResult(source, files, tuple(warnings))
    except BriefexportError as exc:
        message = str(exc) if exc.path else f"{source}: {exc}"
        return ExportResult(source, (), tuple(warnings), message)


def export_one(source: Path | str, settings: Settings | None = None,
               options: ExportOptions | None = None, *, stem: str | None = None
               ) -> ExportResult:
    """Export one briefing source to every requested format; never raises for a bad source.

    The outputs are named ``stem`` (default: the source's file stem) plus each format's
    extension.
    """
    path = Path(source)
    settings = settings or Settings()
    options = options or ExportOptions()
    return export_document(path, lambda: read_briefing(path, settings, options), settings,
                           options, stem)


def export_edition(edition: Edition | Path | str, settings: Settings | None = None,
                   options: ExportOptions | None = None) -> ExportResult:
    """Export a newsletter edition (an :class:`Edition` or an edition file) to every format.

    As for a briefing: everything is rendered in memory first, and a missing or broken
    briefing fails the whole edition without writing anything.
    """
    settings = settings or Settings()
    options = options or ExportOptions()
    if isinstance(edition, Edition):
        made = edition
        return export_document(made.source, lambda: made, settings, options)
    path = Path(edition)
    return export_document(path, lambda: read_edition(path, settings, options), settings,
                           options)
