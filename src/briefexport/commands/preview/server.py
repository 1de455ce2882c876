"""The preview's HTTP side: the current snapshot, the page, its state and the event stream,
served on 127.0.0.1 only; :func:`serve` ties it to the watcher that rebuilds on save."""

from __future__ import annotations

import dataclasses
import json
import re
import threading
import time
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from briefexport.commands.preview.build import (
    Snapshot,
    build_stages,
    email_for_scheme,
    error_dict,
)
from briefexport.commands.watch import Watcher
from briefexport.config import Settings

HOST = "127.0.0.1"
#: Seconds between keep-alive comments on an idle event stream.
KEEPALIVE = 15.0

PAGE = Path(__file__).with_name("page.html")


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
            findings=(error_dict(message, code),),
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
