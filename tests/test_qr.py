"""The calls to action's QR codes: an SVG ``data:`` URI that prints, and scans, as its URL."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from lxml import etree
from markupsafe import escape
from pdfread import rasterize, scan_qr

from briefexport.writers.pdf.qr import qr_svg_data_uri
from briefexport.writers.pdf.weasyload import import_weasyprint

PREFIX = "data:image/svg+xml;charset=utf-8,"
SVG = "{http://www.w3.org/2000/svg}"
SCALE = 4
BORDER = 4

URLS = [
    "https://portal.meridian-risk.example/briefings",
    "https://portal.meridian-risk.example/briefings/2021-05-mali-second-coup"
    "?utm_source=briefing&utm_medium=pdf&utm_campaign=mali-second-coup&ref=cta%20box"
    "&lang=fr-FR&token=" + "a1b2c3d4" * 30,
    "https://example.org/Ségou/Kidal?région=Gao&q=ü",
    "https://例え.jp/パス?q=値&r=Москва",
    "mailto:desk@meridian-risk.example?subject=Mali%20briefing",
]


def svg_of(uri: str):
    """The SVG document a QR data URI holds."""
    assert uri.startswith(PREFIX)
    return etree.fromstring(unquote(uri[len(PREFIX):]).encode("utf-8"))


def dark_modules(root) -> set[tuple[int, int]]:
    """``(row, column)`` of every dark module, counted from the image's corner.

    segno draws each row's dark runs as horizontal strokes through the middle of the row:
    ``M x y`` and ``m dx dy`` move, ``h n`` draws ``n`` modules.
    """
    (group,) = root
    assert group.tag == f"{SVG}g" and group.get("transform") == f"scale({SCALE})"
    light, dark = group
    assert (light.get("fill"), dark.get("stroke")) == ("#fff", "#000")
    x = y = 0.0
    found: set[tuple[int, int]] = set()
    for command, a, b in re.findall(r"([A-Za-z])(-?[\d.]+)(?: (-?[\d.]+))?", dark.get("d")):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        elif command == "h":
            lo, hi = sorted((x, x + float(a)))
            found.update((int(y - 0.5), col) for col in range(int(lo), int(hi)))
            x += float(a)
        else:
            raise AssertionError(f"unexpected path command {command!r}")
    return found


@pytest.mark.parametrize("url", URLS)
def test_data_uri_holds_an_svg_with_the_quiet_zone(url):
    uri = qr_svg_data_uri(url)
    assert uri.startswith(PREFIX)
    root = svg_of(uri)
    assert root.tag == f"{SVG}svg"
    width, height = int(root.get("width")), int(root.get("height"))
    assert width == height and width % SCALE == 0
    size = width // SCALE - 2 * BORDER  # modules across the symbol itself
    assert 21 <= size <= 177 and (size - 17) % 4 == 0  # a QR code, not a Micro QR
    light = root[0][0]
    side = size + 2 * BORDER
    assert light.get("d") == f"M0 0h{side}v{side}h-{side}z"  # white under the quiet zone too
    dark = dark_modules(root)
    rows = {r for r, _ in dark}
    cols = {c for _, c in dark}
    # Dark modules span exactly the symbol: four light modules on every side.
    assert (min(rows), max(rows), min(cols), max(cols)) == (
        BORDER, BORDER + size - 1, BORDER, BORDER + size - 1)
    # The three finder patterns sit in the corners, just inside the quiet zone.
    for top, left in ((0, 0), (0, size - 7), (size - 7, 0)):
        ring = {(BORDER + top + r, BORDER + left + c) for r in range(7) for c in range(7)
                if r in (0, 6) or c in (0, 6)}
        assert ring <= dark


def test_error_correction_level_is_m():
    dark = dark_modules(svg_of(qr_svg_data_uri(URLS[1])))

    def bit(row: int, col: int) -> str:
        return "1" if (BORDER + row, BORDER + col) in dark else "0"

    # The format information beside the top-left finder pattern, masked with 0x5412: its
    # two top bits are the error correction level (L 01, M 00, Q 11, H 10).
    bits = ([bit(8, c) for c in range(6)] + [bit(8, 7), bit(8, 8), bit(7, 8)]
            + [bit(r, 8) for r in range(5, -1, -1)])
    assert (int("".join(bits), 2) ^ 0x5412) >> 13 == 0b00


def test_the_same_url_gives_the_same_object():
    url = "https://portal.meridian-risk.example/briefings/cache-check"
    first = qr_svg_data_uri(url)
    assert qr_svg_data_uri(url) is first
    assert qr_svg_data_uri(url + "/other") is not first
    assert qr_svg_data_uri(url + "/other") != first
    assert qr_svg_data_uri.cache_info().maxsize == 64


def test_the_uri_is_plain_ascii_without_spaces_or_newlines():
    uri = qr_svg_data_uri(URLS[3])
    assert uri.isascii()
    assert not re.search(r"\s", uri)
    assert "%3Cpath" in uri  # the SVG is percent-encoded, not base64


@pytest.mark.parametrize("url", URLS)
def test_qr_code_scans_back_to_its_url(url, tmp_path):
    weasyprint = import_weasyprint()
    src = escape(qr_svg_data_uri(url))
    html = f'<html><body style="margin: 0"><img style="width: 150mm" src="{src}"></body></html>'
    pdf = tmp_path / "qr.pdf"
    pdf.write_bytes(weasyprint.HTML(string=html).write_pdf())
    # scan_qr skips without zbarimg, unless CI is set: then a missing tool fails the test.
    assert scan_qr(rasterize(pdf, 1, tmp_path)) == [url]
