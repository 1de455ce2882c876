"""The calls to action's QR codes: a grey PNG ``data:`` URI of square modules, drawn
unsmoothed, that prints, and scans, as its URL."""

from __future__ import annotations

import base64
import io
import re

import pikepdf
import pytest
from markupsafe import escape
from pdfread import rasterize, scan_qr
from PIL import Image

from briefexport.writers.pdf.qr import QUIET_ZONE, SCALE, qr_png_data_uri
from briefexport.writers.pdf.weasyload import import_weasyprint

PREFIX = "data:image/png;base64,"

URLS = [
    "https://portal.meridian-risk.example/briefings",
    "https://portal.meridian-risk.example/briefings/2021-05-mali-second-coup"
    "?utm_source=briefing&utm_medium=pdf&utm_campaign=mali-second-coup&ref=cta%20box"
    "&lang=fr-FR&token=" + "a1b2c3d4" * 30,
    "https://example.org/Ségou/Kidal?région=Gao&q=ü",
    "https://例え.jp/パス?q=値&r=Москва",
    "mailto:desk@meridian-risk.example?subject=Mali%20briefing",
]


def image_of(uri: str) -> Image.Image:
    """The image a QR data URI holds: 8-bit grey (WeasyPrint embeds it as it is), black on
    white, SCALE × SCALE pixels a module."""
    assert uri.startswith(PREFIX)
    image = Image.open(io.BytesIO(base64.b64decode(uri[len(PREFIX):])))
    assert image.mode == "L"
    assert image.width % SCALE == 0
    return image


def dark_modules(image: Image.Image) -> set[tuple[int, int]]:
    """``(row, column)`` of every dark module, counted from the image's corner; each module is
    a square of one colour, black or white, with no grey edge."""
    pixels = image.load()
    assert set(image.getdata()) <= {0, 255}
    dark = set()
    for r in range(image.height // SCALE):
        for c in range(image.width // SCALE):
            block = {pixels[c * SCALE + x, r * SCALE + y]
                     for x in range(SCALE) for y in range(SCALE)}
            assert len(block) == 1
            if block == {0}:
                dark.add((r, c))
    return dark


@pytest.mark.parametrize("url", URLS)
def test_data_uri_holds_one_pixel_per_module_with_the_quiet_zone(url):
    image = image_of(qr_png_data_uri(url))
    assert image.width == image.height
    size = image.width // SCALE - 2 * QUIET_ZONE  # modules across the symbol itself
    assert 21 <= size <= 177 and (size - 17) % 4 == 0  # a QR code, not a Micro QR
    dark = dark_modules(image)
    rows = {r for r, _ in dark}
    cols = {c for _, c in dark}
    # Dark modules span exactly the symbol: four light modules on every side.
    assert QUIET_ZONE == 4
    assert (min(rows), max(rows), min(cols), max(cols)) == (
        QUIET_ZONE, QUIET_ZONE + size - 1, QUIET_ZONE, QUIET_ZONE + size - 1)
    # The three finder patterns sit in the corners, just inside the quiet zone.
    for top, left in ((0, 0), (0, size - 7), (size - 7, 0)):
        ring = {(QUIET_ZONE + top + r, QUIET_ZONE + left + c) for r in range(7)
                for c in range(7) if r in (0, 6) or c in (0, 6)}
        assert ring <= dark


def test_error_correction_level_is_m():
    dark = dark_modules(image_of(qr_png_data_uri(URLS[1])))

    def bit(row: int, col: int) -> str:
        return "1" if (QUIET_ZONE + row, QUIET_ZONE + col) in dark else "0"

    # The format information beside the top-left finder pattern, masked with 0x5412: its
    # two top bits are the error correction level (L 01, M 00, Q 11, H 10).
    bits = ([bit(8, c) for c in range(6)] + [bit(8, 7), bit(8, 8), bit(7, 8)]
            + [bit(r, 8) for r in range(5, -1, -1)])
    assert (int("".join(bits), 2) ^ 0x5412) >> 13 == 0b00


def test_the_same_url_gives_the_same_object():
    url = "https://portal.meridian-risk.example/briefings/cache-check"
    first = qr_png_data_uri(url)
    assert qr_png_data_uri(url) is first
    assert qr_png_data_uri(url + "/other") is not first
    assert qr_png_data_uri(url + "/other") != first
    assert qr_png_data_uri.cache_info().maxsize == 64


def test_the_uri_is_plain_ascii_without_spaces_or_newlines():
    uri = qr_png_data_uri(URLS[3])
    assert uri.isascii()
    assert not re.search(r"\s", uri)


@pytest.mark.parametrize("url", URLS)
def test_qr_code_scans_back_to_its_url(url, tmp_path):
    weasyprint = import_weasyprint()
    src = escape(qr_png_data_uri(url))
    html = (f'<html><body style="margin: 0"><img style="width: 150mm; '
            f'image-rendering: pixelated" src="{src}"></body></html>')
    pdf = tmp_path / "qr.pdf"
    pdf.write_bytes(weasyprint.HTML(string=html).write_pdf())
    # scan_qr skips without zbarimg, unless CI is set: then a missing tool fails the test.
    assert scan_qr(rasterize(pdf, 1, tmp_path)) == [url]


def test_the_report_draws_it_unsmoothed_at_its_size(seed_outputs):
    # /Interpolate false: viewers and printers scale it up pixel by pixel, modules stay square.
    with pikepdf.open(seed_outputs["pdf"]) as pdf:
        images = {x.objgen: x for page in pdf.pages
                  for x in (page.Resources.get("/XObject") or {}).values()
                  if x.get("/Subtype") == "/Image"}
        (qr,) = images.values()  # the seed has no figure
        assert qr.get("/Interpolate") is False
        assert qr.ColorSpace == "/DeviceGray"
        assert qr.Width == image_of(qr_png_data_uri(
            "https://portal.meridian-risk.example/briefings")).width
