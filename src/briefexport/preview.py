"""``briefexport preview``: a live side-by-side page of all three outputs, on 127.0.0.1 only.

A background thread renders the source in memory (nothing is written to disk) whenever it, the
config or a theme file changes, and publishes an immutable :class:`Snapshot`.  The page
(``preview.html``) listens on ``/events`` (Server-Sent Events) and fetches ``/state.json``
when the version changes.  Only the standard library's HTTP server is used: one user, one page.
"""

from __future__ import annotations

import dataclasses
import io
import json
import re
import threading
import time
import webbrowser
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from briefexport import reader
from briefexport.config import Settings
from briefexport.errors import BriefexportError, RenderError
from briefexport.model import Diagnostic
from briefexport.watch import Watcher
from briefexport.writers import RenderContext, get_writer

HOST = "127.0.0.1"
#: Gmail clips a message whose HTML is larger than this and hides the rest behind a link;
#: ``[email] size_limit_kb`` (kB of 1000 bytes, as the email writer counts) overrides it.
EMAIL_BUDGET = 102_000
#: PDF pages are drawn at 1.5 × 72 dpi: sharp at the page's column width on a 2× screen.
PAGE_SCALE = 1.5
#: JPEG, not PNG: four times faster to encode for the same look, and a refresh waits on it.
PAGE_QUALITY = 90
#: Seconds between keep-alive comments on an idle event stream.
KEEPALIVE = 15.0

PAGE = Path(__file__).with_name("preview.html")

_DARK_QUERY = re.compile(r"prefers-color-scheme\s*:\s*dark", re.IGNORECASE)
_LIGHT_QUERY = re.compile(r"prefers-color-scheme\s*:\s*light", re.IGNORECASE)


# --------------------------------------------------------------------------- findings


def findings(source: Path, settings: Settings, diagnostics: Sequence[Diagnostic],
             error: str | None = None) -> list[dict[str, Any]]:
    """Preflight findings for the page, as plain dicts.

    ``briefexport.preflight.check_source`` is used when it is installed; the reader's and
    writers' warnings are always shown too (those preflight did not already report), so the
    panel is useful either way.
    """
    found: list[dict[str, Any]] = []
    try:
        from briefexport.preflight import check_source  # type: ignore[import-not-found]
    except ImportError:
        check_source = None
    if check_source is not None:
        try:
            for f in check_source(source, settings):
                found.append({"severity": _word(getattr(f, "severity", "warning")).lower(),
                              "code": _word(getattr(f, "code", "")),
                              "line": getattr(f, "line", None),
                              "message": _word(getattr(f, "message", f)),
                              "hint": _word(getattr(f, "hint", "") or "")})
        except BriefexportError:
            pass  # the same problem is reported by the build as the error below
    found = with_diagnostics(found, diagnostics)
    if error:
        # The preflight reports an unreadable source as a finding; the build's error says it.
        found = [f for f in found if f["code"] != "unreadable"]
        found.insert(0, {"severity": "error", "code": "error", "line": None,
                         "message": error, "hint": ""})
    return found


def _word(value: object) -> str:
    """An enum member's value, or the string itself."""
    return str(getattr(value, "value", value))


def with_diagnostics(found: Sequence[dict[str, Any]], diagnostics: Sequence[Diagnostic]
                     ) -> list[dict[str, Any]]:
    """``found`` plus each warning it does not already report."""
    out = list(found)
    seen = {(f["line"], f["message"]) for f in out}
    for d in diagnostics:
        if (d.line, d.message) not in seen:
            seen.add((d.line, d.message))
            out.append({"severity": "warning", "code": d.code, "line": d.line,
                        "message": d.message, "hint": ""})
    return out


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


@dataclass(frozen=True)
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
    budget: int = EMAIL_BUDGET
    """The email's size budget in bytes."""
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
                "bytes": size, "budget": self.budget, "over": size >= self.budget,
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

    The text and email take milliseconds and the PDF layout most of a second, so the page
    shows the first two at once.  On error the previous outputs stay, with the error.  Once
    ``cancelled()`` (the preview is stopping), the PDF is not laid out or not drawn further.
    """
    started = time.perf_counter()
    diagnostics: list[Diagnostic] = []

    def failed(last: Snapshot, exc: BriefexportError) -> Snapshot:
        return dataclasses.replace(
            last, version=last.version + 1, error=str(exc), pdf_pending=False,
            findings=tuple(findings(source, settings, diagnostics, str(exc))),
            built_at=time.time(), seconds=time.perf_counter() - started)

    try:
        briefing = reader.read(source, settings)
        diagnostics.extend(briefing.warnings)
        ctx = RenderContext(settings, diagnostics)
        text = str(get_writer("txt").render(briefing, ctx))
        email = str(get_writer("html").render(briefing, ctx))
    except BriefexportError as exc:
        yield failed(previous, exc)
        return
    version = previous.version + 1
    quick = dataclasses.replace(
        previous, version=version, email=email, email_version=version, text=text,
        error=None, pdf_pending=True, findings=tuple(findings(source, settings, diagnostics)),
        budget=_budget(settings),
        built_at=time.time(),
        seconds=time.perf_counter() - started)
    yield quick
    if cancelled():
        return
    try:
        pdf = get_writer("pdf").render(briefing, ctx)
        pages = tuple(rasterise(pdf, cancelled=cancelled))  # type: ignore[arg-type]
    except BriefexportError as exc:
        yield failed(quick, exc)
        return
    if cancelled():
        return
    yield dataclasses.replace(
        quick, version=version + 1, pages=pages, pages_version=version + 1,
        pdf_pending=False, findings=tuple(with_diagnostics(quick.findings, diagnostics)),
        built_at=time.time(), seconds=time.perf_counter() - started)


def _budget(settings: Settings) -> int:
    limit = getattr(settings.email, "size_limit_kb", None)
    return int(limit) * 1000 if limit else EMAIL_BUDGET


def build(source: Path, settings: Settings, previous: Snapshot) -> Snapshot:
    """Every step of :func:`build_stages`; the final snapshot."""
    return list(build_stages(source, settings, previous))[-1]


# --------------------------------------------------------------------------- state


@dataclass
class PreviewState:
    """The current snapshot, and a condition the event streams wait on."""

    source: Path
    snapshot: Snapshot = field(default_factory=Snapshot)
    closed: bool = False
    _cond: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, snapshot: Snapshot) -> None:
        with self._cond:
            self.snapshot = snapshot
            self._cond.notify_all()

    def rebuild(self, settings: Settings,
                cancelled: Callable[[], bool] = lambda: False) -> None:
        """Build and publish each stage; once ``cancelled()``, skip the stages left."""
        try:
            for snapshot in build_stages(self.source, settings, self.snapshot, cancelled):
                self.publish(snapshot)
        except Exception as exc:  # a bug must not silently stop the page from updating
            self.config_error(f"{self.source}: unexpected {type(exc).__name__}: {exc}",
                              code="internal")

    def config_error(self, message: str, code: str = "config") -> None:
        """Show ``message`` as the error, keeping the last good outputs."""
        previous = self.snapshot
        self.publish(dataclasses.replace(
            previous, version=previous.version + 1, error=message,
            findings=({"severity": "error", "code": code, "line": None,
                       "message": message, "hint": ""},),
            pdf_pending=False, built_at=time.time(), seconds=0.0))

    def wait(self, after: int, timeout: float) -> Snapshot:
        """The snapshot once its version differs from ``after`` (or at the timeout)."""
        with self._cond:
            self._cond.wait_for(lambda: self.closed or self.snapshot.version != after, timeout)
            return self.snapshot

    def close(self) -> None:
        with self._cond:
            self.closed = True
            self._cond.notify_all()


# --------------------------------------------------------------------------- HTTP


class PreviewServer(ThreadingHTTPServer):
    """Serves one :class:`PreviewState`; event streams must not keep the process alive."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], state: PreviewState) -> None:
        self.state = state
        super().__init__(address, PreviewHandler)

    @property
    def allowed_hosts(self) -> set[str]:
        port = self.server_address[1]
        return {f"{HOST}:{port}", f"localhost:{port}"}


class PreviewHandler(BaseHTTPRequestHandler):
    """The page, its state, the email, the PDF page images, the event stream."""

    server: PreviewServer
    server_version = "briefexport-preview"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal shows builds, not requests

    def send(self, body: bytes, content_type: str, status: HTTPStatus = HTTPStatus.OK) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        if content_type.startswith("text/html"):
            self.send_header("Content-Security-Policy",
                             "default-src 'self'; script-src 'self' 'unsafe-inline'; "
                             "style-src 'self' 'unsafe-inline'; img-src 'self' data: https:")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        # A page on another site must not read the preview through DNS rebinding.
        if self.headers.get("Host", "") not in self.server.allowed_hosts:
            self.send(b"unknown host\n", "text/plain", HTTPStatus.FORBIDDEN)
            return
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        snapshot = self.server.state.snapshot
        route = url.path
        if route == "/":
            self.send(PAGE.read_bytes(), "text/html; charset=utf-8")
        elif route == "/state.json":
            state = snapshot.state(self.server.state.source)
            self.send(json.dumps(state).encode("utf-8"), "application/json")
        elif route == "/events":
            self.events()
        elif route == "/email.html" and snapshot.email is not None:
            scheme = "dark" if query.get("scheme") == ["dark"] else "light"
            self.send(email_for_scheme(snapshot.email, scheme).encode("utf-8"),
                      "text/html; charset=utf-8")
        elif route == "/text.txt" and snapshot.text is not None:
            self.send(snapshot.text.encode("utf-8"), "text/plain; charset=utf-8")
        elif (m := re.fullmatch(r"/pdf/(\d+)\.jpg", route)) and \
                1 <= int(m.group(1)) <= len(snapshot.pages):
            self.send(snapshot.pages[int(m.group(1)) - 1], "image/jpeg")
        else:
            self.send(b"not found\n", "text/plain", HTTPStatus.NOT_FOUND)

    def events(self) -> None:
        """Server-Sent Events: the new version number after each build."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        state = self.server.state
        shown = -1
        try:
            while not state.closed:
                snapshot = state.wait(shown, KEEPALIVE)
                if snapshot.version != shown:
                    shown = snapshot.version
                    self.wfile.write(f"data: {shown}\n\n".encode())
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page was closed or reloaded


def serve(source: Path, config: Path | None, load: Callable[[], Settings], *,
          port: int = 0, open_browser: bool = True,
          announce: Callable[[str], object] = print,
          stop: threading.Event | None = None) -> None:
    """Serve the preview of ``source`` until Ctrl-C (or ``stop``).

    The builds run in the calling thread and the HTTP server in a thread of its own.  The
    other way round, the process could end while a daemon thread was still inside
    WeasyPrint's Pango or PDFium, whose libraries the interpreter tears down on exit: that
    crashed it (SIGSEGV).  Setting ``stop`` ends the serving once the build under way has
    finished its current step.
    """
    state = PreviewState(Path(source))
    server = PreviewServer((HOST, port), state)
    url = f"http://{HOST}:{server.server_address[1]}/"
    stop = stop or threading.Event()
    http = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.25},
                            name="preview-http", daemon=True)
    http.start()
    watcher = Watcher(sources=[Path(source)], config=config, load=load,
                      build=lambda settings, _sources: state.rebuild(settings, stop.is_set),
                      error=state.config_error)
    try:
        announce(url)
        if open_browser:
            webbrowser.open(url)
        watcher.run(stop)
    finally:
        stop.set()
        state.close()
        server.shutdown()
        server.server_close()
        http.join(timeout=5)
