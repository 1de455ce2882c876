"""The preview's builds: the source rendered in memory (text and email first, then the PDF),
its PDF pages drawn as images, and the preflight run on those same outputs, as snapshots."""

from __future__ import annotations

import dataclasses
import io
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import field
from pathlib import Path
from typing import Any

from briefexport.commands.check import (
    Finding,
    check_rendering,
    sort_findings,
    warning_findings,
)
from briefexport.config import EmailSettings, Settings
from briefexport.errors import BriefexportError, RenderError
from briefexport.pipeline import ExportOptions, Rendering, read_briefing
from briefexport.record import record

#: PDF pages are drawn at 1.5 × 72 dpi: sharp at the page's column width on a 2× screen.
PAGE_SCALE = 1.5
#: JPEG, not PNG: four times faster to encode for the same look, and a refresh waits on it.
PAGE_QUALITY = 90

_DARK_QUERY = re.compile(r"prefers-color-scheme\s*:\s*dark", re.IGNORECASE)
_LIGHT_QUERY = re.compile(r"prefers-color-scheme\s*:\s*light", re.IGNORECASE)


# --------------------------------------------------------------------------- findings


def finding_dict(finding: Finding) -> dict[str, Any]:
    """A finding as the page shows it: all of it but the path, which the page names once."""
    shown = finding.to_dict()
    del shown["path"]
    return shown


def error_dict(message: str, code: str = "error") -> dict[str, Any]:
    """A build or config error as the page shows it."""
    return {"severity": "error", "code": code, "line": None, "message": message, "hint": ""}


# --------------------------------------------------------------------------- rendering


def rasterise(pdf: bytes, scale: float = PAGE_SCALE,
              cancelled: Callable[[], bool] = lambda: False) -> list[bytes]:
    """Each page of a PDF as JPEG bytes (PDFium, through pypdfium2); none after ``cancelled()``."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as exc:
        raise RenderError(f"cannot draw the PDF pages: {exc}") from None
    try:
        pages: list[bytes] = []
        for index in range(len(document)):
            if cancelled():
                break
            page = document[index]
            image = page.render(scale=scale).to_pil()
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=PAGE_QUALITY)
            pages.append(buffer.getvalue())
            page.close()
        return pages
    finally:
        document.close()


def email_for_scheme(html: str, scheme: str) -> str:
    """The email with its colour-scheme media queries fixed to ``scheme``.

    So the dark view shows the email's own ``prefers-color-scheme: dark`` styles whatever the
    editor's system setting is, and the light view never does.
    """
    always, never = "min-width: 0px", "max-width: 0px"  # media features every browser knows
    dark, light = (always, never) if scheme == "dark" else (never, always)
    return _LIGHT_QUERY.sub(light, _DARK_QUERY.sub(dark, html))


@record
class Snapshot:
    """Everything the page shows, from one build."""

    version: int = 0
    email: str | None = None
    email_version: int = 0
    """The version that rendered ``email`` (the page reloads the frames only when it moves)."""
    pages: tuple[bytes, ...] = ()
    pages_version: int = 0
    pdf_pending: bool = False
    """The text and email are new; the PDF of the same save is still being laid out."""
    text: str | None = None
    findings: tuple[dict[str, Any], ...] = ()
    email_settings: EmailSettings = field(default_factory=EmailSettings)
    """The ``[email]`` settings the email was built with: its size budget."""
    error: str | None = None
    built_at: float = 0.0
    seconds: float = 0.0

    def state(self, source: Path) -> dict[str, Any]:
        """The JSON the page reads."""
        size = len(self.email.encode("utf-8")) if self.email is not None else None
        return {
            "version": self.version,
            "source": str(source),
            "building": self.version == 0,
            "error": self.error,
            "email": None if size is None else {
                "bytes": size, "budget": self.email_settings.size_limit_kb * 1000,
                "over": self.email_settings.clipped(size),
                "dark_styles": bool(_DARK_QUERY.search(self.email or "")),
            },
            "email_version": self.email_version,
            "pages": len(self.pages),
            "pages_version": self.pages_version,
            "pdf_pending": self.pdf_pending,
            "text": self.text,
            "findings": list(self.findings),
            "built_at": time.strftime("%H:%M:%S", time.localtime(self.built_at)),
            "seconds": round(self.seconds, 3),
        }


def build_stages(source: Path, settings: Settings, previous: Snapshot,
                 cancelled: Callable[[], bool] = lambda: False) -> Iterator[Snapshot]:
    """Render ``source`` in memory, in two steps: text and email, then the PDF.

    The source is read once and each format rendered once; the preflight checks those very
    outputs.  The text and email take milliseconds and the PDF layout most of a second, so
    the page shows the first two at once.  On error the previous outputs stay, with the
    error.  Once ``cancelled()`` (the preview is stopping), the PDF is not laid out or not
    drawn further.
    """
    started = time.perf_counter()

    def failed(last: Snapshot, exc: BriefexportError,
               found: tuple[dict[str, Any], ...] = ()) -> Snapshot:
        return dataclasses.replace(
            last, version=last.version + 1, error=str(exc), pdf_pending=False,
            findings=(error_dict(str(exc)), *found),
            built_at=time.time(), seconds=time.perf_counter() - started)

    def shown(found: list[Finding]) -> tuple[dict[str, Any], ...]:
        return tuple(finding_dict(f) for f in found)

    try:
        briefing = read_briefing(source, settings, ExportOptions())
        rendering = Rendering(briefing, settings).render("txt", "html")
    except BriefexportError as exc:
        yield failed(previous, exc)
        return
    version = previous.version + 1
    found = check_rendering(rendering)
    checked_warnings = len(rendering.warnings)
    quick = dataclasses.replace(
        previous, version=version, email=str(rendering.outputs["html"]), email_version=version,
        text=str(rendering.outputs["txt"]), error=None, pdf_pending=True,
        findings=shown(found), email_settings=settings.email,
        built_at=time.time(), seconds=time.perf_counter() - started)
    yield quick
    if cancelled():
        return
    def with_pdf_warnings() -> tuple[dict[str, Any], ...]:
        # The PDF's own warnings (a blocked image, say) join the findings already made.
        new = warning_findings(rendering, rendering.warnings[checked_warnings:])
        return shown(sort_findings([*found, *new]))

    try:
        pdf = rendering.output("pdf")
        assert isinstance(pdf, bytes)
        pages = tuple(rasterise(pdf, cancelled=cancelled))
    except BriefexportError as exc:
        yield failed(quick, exc, with_pdf_warnings())
        return
    if cancelled():
        return
    yield dataclasses.replace(
        quick, version=version + 1, pages=pages, pages_version=version + 1,
        pdf_pending=False, findings=with_pdf_warnings(),
        built_at=time.time(), seconds=time.perf_counter() - started)


def build(source: Path, settings: Settings, previous: Snapshot) -> Snapshot:
    """Every step of :func:`build_stages`; the final snapshot."""
    return list(build_stages(source, settings, previous))[-1]
