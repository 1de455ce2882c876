"""``DIR/manifest.jsonl``: one JSON line per file a run of ``briefexport copies`` wrote.

A line is appended only once its file is in place and on disk (written atomically, then
fsynced, the folder too), and the manifest is fsynced after each copy's lines: whatever kills
the run, every line names a whole file.  A line torn by the kill is dropped when the manifest
is read and cut off before the next run appends.  At the end of a run the manifest is
rewritten (atomically) with one line per file of the run, in the run's order.

Neither a token nor the secret is ever written here: ``inputs`` is a digest.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from briefexport.errors import BriefexportError
from briefexport.pipeline import write_atomic
from briefexport.record import record

MANIFEST_NAME = "manifest.jsonl"


@record
class Row:
    """One file of a copy, as the manifest records it."""

    recipient: str
    source: str
    format: str
    path: str
    """Relative to the output folder, with ``/`` between folders."""
    sha256: str
    bytes: int
    pages: int | None
    """The PDF's page count (``None`` for the other formats)."""
    links: int
    warnings: tuple[str, ...]
    milliseconds: int
    """How long the copy (all its formats) took to render."""
    inputs: str
    """The digest of what the copy was made from (:func:`..plan.inputs_digest`)."""
    version: str
    """The version of briefexport that made it."""

    @property
    def key(self) -> tuple[str, str, str]:
        return self.recipient, self.source, self.format

    def line(self) -> str:
        data = asdict(self)
        data["warnings"] = list(self.warnings)
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"

    @classmethod
    def parse(cls, line: str) -> Row | None:
        """A row from one manifest line; ``None`` for a line that is not one (a torn line)."""
        try:
            data: Any = json.loads(line)
            if not isinstance(data, dict):
                return None
            data["warnings"] = tuple(data["warnings"])
            row = cls(**data)
        except (ValueError, TypeError, KeyError):
            return None
        text_fields = (row.recipient, row.source, row.format, row.path, row.sha256, row.inputs)
        if not all(isinstance(v, str) for v in text_fields) or not isinstance(row.bytes, int):
            return None
        return row


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str | None:
    """The SHA-256 of a file; ``None`` when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def read_rows(path: Path) -> list[Row]:
    """Every whole row of a manifest, in file order (a torn or foreign line is skipped)."""
    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise BriefexportError(f"cannot read the manifest: {exc.strerror}", path) from None
    rows = []
    for line in text.split("\n")[:-1]:  # a last line without its newline was torn
        if line.strip() and (row := Row.parse(line)) is not None:
            rows.append(row)
    return rows


def fsync_path(path: Path) -> None:
    """Put a file's (or a folder's) data on disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Manifest:
    """The manifest of one run, open for appending, with the output folder locked.

    Two runs writing into the same folder at once would tear each other's files: the second
    one is refused.
    """

    def __init__(self, out_dir: Path, *, resume: bool) -> None:
        self.out_dir = out_dir
        self.path = out_dir / MANIFEST_NAME
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BriefexportError(f"cannot make the output folder: {exc.strerror}",
                                   out_dir) from None
        self._lock = _lock_folder(out_dir)
        try:
            #: Rows of the earlier run, by (recipient, source, format); the last line wins.
            self.earlier: dict[tuple[str, str, str], Row] = {}
            if resume:
                for row in read_rows(self.path):
                    self.earlier[row.key] = row
                _cut_torn_tail(self.path)
                self._handle = self.path.open("ab")
            else:
                self._handle = self.path.open("wb")  # a new run: a new manifest
            self._fsync()
        except OSError as exc:
            os.close(self._lock)
            raise BriefexportError(f"cannot write the manifest: {exc.strerror}",
                                   self.path) from None
        except BaseException:
            os.close(self._lock)
            raise

    def append(self, rows: Iterable[Row]) -> None:
        """Add ``rows`` (whose files are already on disk) and put them on disk too."""
        data = "".join(row.line() for row in rows).encode("utf-8")
        if data:
            self._handle.write(data)
            self._fsync()

    def _fsync(self) -> None:
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def finish(self, rows: Iterable[Row]) -> None:
        """Rewrite the manifest as exactly ``rows``, atomically."""
        self._handle.close()
        write_atomic(self.path, "".join(row.line() for row in rows))
        fsync_path(self.path)
        fsync_path(self.out_dir)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._handle.close()
        with contextlib.suppress(OSError):
            os.close(self._lock)


def still_there(row: Row, out_dir: Path) -> bool:
    """Whether the file a row names is there with the bytes the row records."""
    path = out_dir / row.path
    try:
        if path.stat().st_size != row.bytes:
            return False
    except OSError:
        return False
    return file_sha256(path) == row.sha256


def _cut_torn_tail(path: Path) -> None:
    """Cut a last line without its newline (a run killed while appending it)."""
    try:
        with path.open("r+b") as handle:
            size = handle.seek(0, os.SEEK_END)
            if size == 0:
                return
            handle.seek(size - 1)
            if handle.read(1) == b"\n":
                return
            # Find the last newline, reading backwards a block at a time.
            end = size
            while end > 0:
                start = max(0, end - 65536)
                handle.seek(start)
                block = handle.read(end - start)
                cut = block.rfind(b"\n")
                if cut >= 0:
                    handle.truncate(start + cut + 1)
                    return
                end = start
            handle.truncate(0)
    except FileNotFoundError:
        return


def _lock_folder(out_dir: Path) -> int:
    fd = os.open(out_dir, os.O_RDONLY)
    try:
        import fcntl
    except ImportError:  # not on POSIX: no lock
        return fd
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise BriefexportError("another `briefexport copies` is writing into this folder",
                               out_dir) from None
    return fd


def stale_parts(folder: Path, names: Iterable[str]) -> Iterator[Path]:
    """Temporary files an interrupted run left for the files ``names`` in ``folder``
    (``pipeline.write_atomic`` writes ``.NAME.XXXXXXXX.part`` beside ``NAME``)."""
    wanted = set(names)
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if name.startswith(".") and name.endswith(".part") and (
                name[1:-len(".part")].rpartition(".")[0] in wanted):
            yield Path(entry.path)
