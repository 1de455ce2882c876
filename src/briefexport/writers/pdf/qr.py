"""QR codes for printed calls to action, as vector SVG in a ``data:`` URI.

A ``data:`` URI passes the PDF sandbox without touching the file system, and SVG keeps the
code sharp at any print resolution.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=64)
def qr_svg_data_uri(url: str) -> str:
    """A QR code of ``url`` (error correction M, quiet zone included) as an SVG data URI."""
    import segno  # small and pure Python, but only the PDF needs it

    code = segno.make(url, error="m", micro=False, boost_error=False)
    # border=4 is the quiet zone the QR specification asks for; scanners need it on paper.
    return code.svg_data_uri(scale=4, border=4, dark="#000", light="#fff", xmldecl=False,
                             svgns=True, nl=False)
