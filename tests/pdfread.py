"""Reading PDFs back for the tests: text per page, link annotations, fonts, outline."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pypdf
import pytest


def page_texts(path: Path) -> list[str]:
    """Each page's extracted text."""
    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


def squash(text: str) -> str:
    """Text without whitespace or hyphenation hyphens, to find a URL wrapped over lines."""
    return "".join(text.split()).replace("\u2010", "")


def joined(path: Path) -> str:
    """The whole text with hyphenation breaks ("bor‐ ders") joined again and spaces collapsed."""
    raw = "\n".join(page_texts(path))
    return " ".join(raw.replace("\u2010\n", "").replace("\u2010 ", "").split())


def annotations(pdf: Path | bytes) -> list[tuple[int, str]]:
    """``(page index, URI)`` for every URI link annotation, in page order.

    ``pdf`` is a file or the PDF's bytes as a writer returned them.
    """
    reader = pypdf.PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)
    out = []
    for index, page in enumerate(reader.pages):
        for annot in page.get("/Annots", []) or []:
            action = annot.get_object().get("/A")
            if action is not None and "/URI" in action:
                out.append((index, str(action["/URI"])))
    return out


def uris(pdf: Path | bytes) -> set[str]:
    """Every URI a link annotation of ``pdf`` points to."""
    return {uri for _, uri in annotations(pdf)}


def outline(path: Path) -> list[tuple[int, str, int]]:
    """``(depth, title, page index)`` for every bookmark."""
    reader = pypdf.PdfReader(path)
    out: list[tuple[int, str, int]] = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append((depth, item.title, reader.get_destination_page_number(item)))
    walk(reader.outline, 0)
    return out


def fonts(path: Path) -> dict[str, bool]:
    """Every font used (BaseFont without the subset tag) → whether its file is embedded."""
    found: dict[str, bool] = {}

    def visit(resources, seen):
        if resources is None or (resources.objgen in seen and resources.objgen != (0, 0)):
            return
        seen.add(resources.objgen)
        for font in (resources.get("/Font") or {}).values():
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font.DescendantFonts[0].get("/FontDescriptor")
            embedded = descriptor is not None and any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            name = str(font.BaseFont).lstrip("/").split("+")[-1]
            found[name] = found.get(name, True) and embedded
        for xobject in (resources.get("/XObject") or {}).values():
            visit(xobject.get("/Resources"), seen)

    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            visit(page.get("/Resources"), set())
    return found


def tool(name: str) -> str:
    """A command-line tool the print tests need; skip without it, but never on CI."""
    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is missing on CI (scripts/system-deps.sh --test installs it)")
        pytest.skip(f"{name} is not installed")
    return found


def rasterize(path: Path, page: int, out: Path, dpi: int = 150) -> Path:
    """Print one page (1-based) to PNG with poppler's pdftoppm."""
    prefix = out / f"page{page}"
    subprocess.run([tool("pdftoppm"), "-r", str(dpi), "-f", str(page), "-l", str(page),
                    "-png", "-singlefile", str(path), str(prefix)], check=True)
    return prefix.with_suffix(".png")


def scan_qr(png: Path) -> list[str]:
    """Every QR code zbarimg finds in an image."""
    result = subprocess.run([tool("zbarimg"), "--raw", "-q", "-Sdisable", "-Sqrcode.enable",
                             str(png)], capture_output=True, text=True)
    return [line for line in result.stdout.splitlines() if line.strip()]
