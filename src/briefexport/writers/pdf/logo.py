"""The brand logo's width-to-height ratio, read from the file's own header.

The report draws the logo as a background beside the brand name: a background is page
furniture (an Artifact) in the tagged PDF, so a screen reader hears the brand name once, not
"Meridian logo, Meridian".  A background box needs its width set, hence the ratio.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

_SVG_VIEWBOX_RE = re.compile(rb'viewBox\s*=\s*["\']\s*[-\d.]+[\s,]+[-\d.]+[\s,]+'
                             rb'([\d.]+)[\s,]+([\d.]+)')
_SVG_SIZE_RE = re.compile(rb'<svg[^>]*?\swidth\s*=\s*["\']([\d.]+)(?:px)?["\'][^>]*?'
                          rb'\sheight\s*=\s*["\']([\d.]+)(?:px)?["\']', re.S)
_HEAD_BYTES = 64 * 1024


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    at = 2
    while at + 9 < len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        length = struct.unpack(">H", data[at + 2:at + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            height, width = struct.unpack(">HH", data[at + 5:at + 9])
            return width, height
        at += 2 + length
    return None


def logo_ratio(path: Path) -> float:
    """Width ÷ height of an SVG, PNG, GIF or JPEG file; 1 when it cannot be told.

    A file that cannot be read is reported by the renderer when it fetches it, not here.
    """
    try:
        with path.open("rb") as file:
            data = file.read(_HEAD_BYTES)
    except OSError:
        return 1.0
    size: tuple[float, float] | None = None
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        size = struct.unpack(">II", data[16:24])
    elif data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        size = struct.unpack("<HH", data[6:10])
    elif data.startswith(b"\xff\xd8"):
        size = _jpeg_size(data)
    elif b"<svg" in data:
        found = _SVG_VIEWBOX_RE.search(data) or _SVG_SIZE_RE.search(data)
        if found:
            size = (float(found.group(1)), float(found.group(2)))
    if not size or not size[0] or not size[1]:
        return 1.0
    return round(size[0] / size[1], 3)
