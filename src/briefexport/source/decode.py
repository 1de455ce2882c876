"""Opening a source: size limit, UTF-8 with or without BOM, CRLF, and a clear error for every
way that can fail."""

from __future__ import annotations

from pathlib import Path

from briefexport.errors import SourceError
from briefexport.limits import MAX_SOURCE_BYTES, MEGABYTE


def decode(raw: bytes, path: str) -> str:
    """UTF-8 (with or without BOM) → text with ``\\n`` line endings; anything else is refused."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError("is UTF-16 (it starts with a UTF-16 byte-order mark); "
                          "save it as UTF-8", path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"is not UTF-8: invalid byte 0x{raw[exc.start]:02x} at byte offset "
                          f"{exc.start}", path) from None
    if "\x00" in text:
        raise SourceError(f"contains a NUL byte at character {text.index(chr(0))}; "
                          "is it a binary file?", path)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_checked(path: Path, *, max_bytes: int = MAX_SOURCE_BYTES) -> tuple[bytes, str]:
    """A source's bytes and their text, with clear errors for every way that can fail."""
    name = str(path)
    if path.is_dir():
        raise SourceError("is a folder, not a briefing file", name)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SourceError(f"is {size / MEGABYTE:.1f} MB, over the {max_bytes // MEGABYTE} "
                              "MB limit for a briefing (raise it with --max-size)", name)
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SourceError("no such file", name) from None
    except PermissionError:
        raise SourceError("permission denied", name) from None
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror}", name) from None
    text = decode(raw, name)
    if not text.strip():
        raise SourceError("is empty" if not text else "contains only white space", name)
    return raw, text


def read_text(path: Path, *, max_bytes: int = MAX_SOURCE_BYTES) -> str:
    """Open and decode a source, with clear errors for every way that can fail."""
    return read_checked(path, max_bytes=max_bytes)[1]
