"""QR codes for printed calls to action, as a PNG ``data:`` URI.

A ``data:`` URI passes the PDF sandbox without touching the file system.  The image is 8-bit
grey, :data:`SCALE` pixels a module (about 380 dpi at the report's 22 mm), and the report
draws it with ``image-rendering: pixelated`` (``/Interpolate false``), so the modules print as
sharp squares.  The vector drawing it replaces looked the same but cost 7 % of the seed's
report: WeasyPrint parses an SVG path of several hundred commands at every render, while it
embeds a grey PNG with one re-compression (5 % of the render saved, measured in instructions).
Grey, not black-and-white: WeasyPrint would turn a 1-bit image into RGB first.
"""

from __future__ import annotations

import base64
import io
from functools import lru_cache

#: The quiet zone, in modules, on every side: what the QR specification asks for, and what
#: scanners need on paper.
QUIET_ZONE = 4

#: Pixels per module, along each side.
SCALE = 8


@lru_cache(maxsize=64)
def qr_png_data_uri(url: str) -> str:
    """A QR code of ``url`` (error correction M, quiet zone included) as a PNG data URI."""
    import segno  # small and pure Python, but only the PDF needs it
    from PIL import Image

    code = segno.make(url, error="m", micro=False, boost_error=False)
    side = int(code.symbol_size(scale=SCALE, border=QUIET_ZONE)[0])  # square
    pixels = bytes(0 if dark else 255
                   for row in code.matrix_iter(scale=SCALE, border=QUIET_ZONE)
                   for dark in row)
    png = io.BytesIO()
    Image.frombytes("L", (side, side), pixels).save(png, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(png.getvalue()).decode("ascii")
