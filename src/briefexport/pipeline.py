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
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote

from briefexport.config import Settings
from briefexport.errors import BriefexportError, StrictError
from briefexport.limits import MAX_SOURCE_BYTES
from briefexport.model import Briefing, Diagnostic, Document, Edition, Recipient
from briefexport.record import record
from briefexport.render.context import RenderContext
from briefexport.writers import DEFAULT_FORMATS, get_format, render

#: What a withheld briefing (``status: withheld``) is exported to: the ninjs item alone, whose
#: ``pubStatus`` tells a portal to hold it.  Every other format is copy ready to go out.
WITHHELD_FORMATS: tuple[str, ...] = ("json",)


@record
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


@record
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


def encoded(data: bytes | str) -> bytes:
    """An output's bytes as written: text in UTF-8."""
    return data.encode("utf-8") if isinstance(data, str) else data


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write to a temporary file in the same folder, then rename it into place.

    An interrupted or failed export never leaves a truncated file under the final name.
    """
    payload = encoded(data)
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


class Sibling(NamedTuple):
    """Another file of the same export, as a writer that lists them is given it."""

    format: str
    href: str
    """Its path relative to the folder of the file that names it, as a URL path."""
    data: bytes
    """What is written to it."""


def with_siblings(rendering: Rendering, fmt: str, targets: dict[str, Path],
                  payloads: dict[str, bytes]) -> bytes:
    """The output in ``fmt`` as written: a writer with a ``with_siblings(output, siblings)``
    method (the ninjs item, whose renditions are the PDF and the email) gets the other files
    of the export and returns its output naming them."""
    finish = getattr(get_format(fmt).writer(rendering.document), "with_siblings", None)
    if finish is None:
        return payloads[fmt]
    here = targets[fmt].parent
    siblings = [Sibling(other, quote(Path(os.path.relpath(path, here)).as_posix()),
                        payloads[other])
                for other, path in targets.items() if other != fmt]
    return encoded(finish(rendering.outputs[fmt], siblings))


def write_outputs(rendering: Rendering, source: Path, out_dir: Path, stem: str | None = None
                  ) -> tuple[Path, ...]:
    """Write every rendered output, atomically, in format order."""
    targets = {fmt: output_path(source, fmt, out_dir, stem) for fmt in rendering.outputs}
    payloads = {fmt: encoded(data) for fmt, data in rendering.outputs.items()}
    files = []
    for fmt, target in targets.items():
        data = with_siblings(rendering, fmt, targets, payloads)
        try:
            write_atomic(target, data)
        except OSError as exc:
            raise BriefexportError(f"cannot write {target}: {exc.strerror}", source) from None
        files.append(target)
    return tuple(files)


def hold_back(document: Document, formats: tuple[str, ...]
              ) -> tuple[tuple[str, ...], Diagnostic | None]:
    """The formats a document may be written in, and a warning naming those held back: a
    withheld briefing gets its ninjs item (if asked for) and nothing else."""
    if not isinstance(document, Briefing) or document.meta.status != "withheld":
        return formats, None
    kept = tuple(f for f in formats if f in WITHHELD_FORMATS)
    held = ", ".join(f for f in formats if f not in WITHHELD_FORMATS)
    if not held:
        return kept, None
    if kept:
        message = f"status: withheld: only the ninjs item is written; {held} held back"
    else:
        message = (f"status: withheld: nothing written; {held} held back (-f json writes "
                   "the ninjs item alone)")
    return kept, Diagnostic(str(document.source), None, message, "withheld")


def export_document(source: Path, load: Callable[[], Document], settings: Settings,
                    options: ExportOptions, stem: str | None = None) -> ExportResult:
    """Read (``load``), render every requested format in memory, then write them all.

    Nothing is written unless every format rendered (and, under ``strict``, without a
    warning), so a failed source leaves no file behind.  Never raises for a bad source.
    A withheld briefing is written in :data:`WITHHELD_FORMATS` only, with a warning naming
    what was held back (the status at work, which ``strict`` does not count as a fault).
    """
    warnings: list[Diagnostic] = []
    try:
        document = load()
        formats, held = hold_back(document, options.formats)
        rendering = Rendering(document, settings, warnings).render(*formats)
        if options.strict and warnings:
            raise StrictError(f"{len(warnings)} warning(s) under --strict; nothing written",
                              source)
        if held is not None:
            warnings.append(held)
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
