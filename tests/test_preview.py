"""The preview's parts without a browser: findings, dark-mode media queries, page images, HTTP."""

from __future__ import annotations

import dataclasses
import io
import json
import queue
import shutil
import signal
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import FIXTURES, SEED
from lxml import html as lxml_html
from PIL import Image
from procs import Running
from pypdf import PdfReader

from briefexport.commands import check
from briefexport.commands.preview import build as preview
from briefexport.commands.preview import server as preview_server
from briefexport.config import Settings


def test_findings_are_the_preflights_of_the_same_outputs(settings, write_source):
    source = write_source("# Title\n\nSee [the map](#) and [this](javascript:alert(1)).\n")
    snapshot = preview.build(source, Settings(), preview.Snapshot())
    assert snapshot.error is None
    expected = check.check_source(source, Settings())
    assert expected, "the preflight finds nothing in a placeholder link?"
    assert list(snapshot.findings) == [preview.finding_dict(f) for f in expected]
    codes = {(f["code"], f["line"]) for f in snapshot.findings}
    assert ("unresolved-link", 3) in codes and ("refused-link", 3) in codes


def test_a_refresh_reads_the_source_once_and_renders_each_format_once(settings, render_calls):
    snapshot = preview.build(SEED, settings, preview.Snapshot())
    assert snapshot.error is None and snapshot.pages and snapshot.findings
    assert sorted(render_calls) == ["html", "pdf", "read", "txt"]


def test_a_failed_build_keeps_the_last_good_outputs(monkeypatch, write_source, settings):
    source = write_source("# Good headline\n\nBody.\n")
    good = preview.build(source, settings, preview.Snapshot())
    assert good.version == 2 and "Good headline" in good.text  # text+email, then PDF
    source.write_text("---\ntitle: [open\n---\n", encoding="utf-8")
    bad = preview.build(source, settings, good)
    assert bad.version == 3
    assert bad.error.startswith(f"{source}:2: front matter is not valid YAML")
    assert (bad.text, bad.email, bad.pages) == (good.text, good.email, good.pages)
    assert bad.findings[0]["severity"] == "error"


def test_rasterise_gives_one_image_per_pdf_page(seed_outputs):
    data = seed_outputs["pdf"].read_bytes()
    pdf = PdfReader(seed_outputs["pdf"])
    pages = preview.rasterise(data)
    assert len(pages) == len(pdf.pages)
    for jpeg, page in zip(pages, pdf.pages, strict=True):
        image = Image.open(io.BytesIO(jpeg))
        assert image.format == "JPEG"
        width_pt = float(page.mediabox.width)
        assert abs(image.width - width_pt * preview.PAGE_SCALE) <= 1
        # Not blank: a page of text has plenty of dark pixels.
        assert sum(image.convert("L").histogram()[:128]) > 1000


def test_email_for_scheme_fixes_the_colour_scheme_queries():
    email = ("<style>@media (prefers-color-scheme: dark) { body { background: #000 } }"
             "@media screen and (prefers-color-scheme:light) { body { color: #111 } }</style>")
    dark = preview.email_for_scheme(email, "dark")
    light = preview.email_for_scheme(email, "light")
    assert "@media (min-width: 0px) { body { background: #000 } }" in dark
    assert "@media screen and (max-width: 0px)" in dark
    assert "@media (max-width: 0px) { body { background: #000 } }" in light
    assert "@media screen and (min-width: 0px)" in light


def test_state_reports_size_against_the_budget(seed_outputs):
    email = seed_outputs["html"].read_text(encoding="utf-8")
    state = preview.Snapshot(version=3, email=email).state(Path("x.md"))
    assert state["email"]["bytes"] == seed_outputs["html"].stat().st_size
    assert state["email"]["budget"] == 102_000  # Gmail's limit, in kB as the writer counts
    assert state["email"]["over"] is False
    big = preview.Snapshot(version=3, email="x" * 102_000).state(Path("x.md"))
    assert big["email"]["over"] is True


def test_the_budget_follows_the_config(monkeypatch, settings, write_source):
    source = write_source("# Title\n\n" + "A sentence of the body. " * 300 + "\n")
    small = settings.replace(email=dataclasses.replace(settings.email, size_limit_kb=20,
                                                      size_warning_kb=10))
    snapshot = preview.build(source, small, preview.Snapshot())
    state = snapshot.state(source)
    assert state["email"]["budget"] == 20_000
    assert state["email"]["over"] is True
    # The preflight's error on the clipped email is among the findings.
    assert any(f["code"] == "email-too-large" and f["severity"] == "error"
               for f in state["findings"])


@pytest.fixture
def server(settings):
    """``serve`` on a free port in a thread; yields its URL, stops it after."""
    urls: queue.Queue[str] = queue.Queue()
    stop = threading.Event()
    thread = threading.Thread(target=preview_server.serve, args=(SEED, None, lambda: settings),
                              kwargs={"open_browser": False, "announce": urls.put,
                                      "stop": stop}, daemon=True)
    thread.start()
    url = urls.get(timeout=10)
    yield url
    stop.set()
    thread.join(10)
    assert not thread.is_alive(), "the preview server did not stop"


def get(url: str, host: str | None = None) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], exc.read()


def wait_for_build(url: str) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        state = json.loads(get(url + "state.json")[2])
        if state["version"] >= 1 and not state["pdf_pending"]:
            return state
        time.sleep(0.1)
    raise AssertionError("no build within 60 s")


def test_server_listens_on_loopback_and_serves_every_part(server, seed_outputs):
    assert server.startswith("http://127.0.0.1:")
    state = wait_for_build(server)
    assert state["error"] is None
    assert state["text"] == seed_outputs["txt"].read_text(encoding="utf-8")
    status, kind, body = get(server)
    assert (status, kind) == (200, "text/html; charset=utf-8")
    page = lxml_html.fromstring(body)
    assert [f.get("width") for f in page.iter("iframe")] == ["375", "600"]
    exported = seed_outputs["html"].read_text(encoding="utf-8")
    for scheme in ("light", "dark"):
        status, kind, body = get(server + f"email.html?scheme={scheme}")
        assert (status, kind) == (200, "text/html; charset=utf-8")
        assert body.decode("utf-8") == preview.email_for_scheme(exported, scheme)
    status, kind, body = get(server + "pdf/1.jpg")
    assert (status, kind) == (200, "image/jpeg") and body.startswith(b"\xff\xd8\xff")
    assert get(server + f"pdf/{state['pages'] + 1}.jpg")[0] == 404
    assert get(server + "nope")[0] == 404


def test_server_refuses_other_host_names(server):
    wait_for_build(server)
    status, _, _ = get(server + "state.json", host="attacker.example")
    assert status == 403
    port = server.rsplit(":", 1)[1].rstrip("/")
    assert get(server + "state.json", host=f"localhost:{port}")[0] == 200


def test_config_error_is_shown_and_keeps_the_outputs():
    state = preview_server.PreviewState(SEED, preview.Snapshot(version=4, text="kept"))
    state.config_error("c.toml: invalid TOML")
    assert state.snapshot.version == 5
    assert state.snapshot.text == "kept"
    assert state.snapshot.error == "c.toml: invalid TOML"
    assert dataclasses.asdict(state.snapshot)["findings"][0]["code"] == "config"


def test_build_stages_show_text_and_email_before_the_pdf(monkeypatch, settings):
    first = preview.build(SEED, settings, preview.Snapshot())
    quick, done = preview.build_stages(SEED, settings, first)
    assert quick.pdf_pending and not done.pdf_pending
    assert quick.email_version == quick.version == first.version + 1
    assert quick.pages == first.pages and quick.pages_version == first.pages_version
    assert done.version == done.pages_version == quick.version + 1
    assert done.email_version == quick.version  # the frames need no second reload


def poll_state(url: str, done, timeout: float = 30.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = json.loads(get(url + "state.json")[2])
        if done(state):
            return state
        time.sleep(0.05)
    raise AssertionError(f"the state never got there: {state}")


def test_preview_reads_an_edited_theme_template_again(tmp_path, settings):
    template = tmp_path / "theme" / "templates" / "text" / "briefing.txt.j2"
    template.parent.mkdir(parents=True)
    template.write_text("{{ meta.slug }} one\n", encoding="utf-8")
    themed = settings.replace(themes=((tmp_path / "theme").resolve(),))
    urls: queue.Queue[str] = queue.Queue()
    stop = threading.Event()
    thread = threading.Thread(target=preview_server.serve, args=(SEED, None, lambda: themed),
                              kwargs={"open_browser": False, "announce": urls.put,
                                      "stop": stop}, daemon=True)
    thread.start()
    try:
        url = urls.get(timeout=10)
        poll_state(url, lambda s: s["text"] == "MALI one\n" and not s["pdf_pending"])
        template.write_text("{{ meta.slug }} two\n", encoding="utf-8")
        poll_state(url, lambda s: s["text"] == "MALI two\n")
    finally:
        stop.set()
        thread.join(10)


def test_preview_opens_the_browser(tmp_path, monkeypatch):
    opened = tmp_path / "opened.txt"
    fake = tmp_path / "browser.py"
    fake.write_text("import sys, pathlib\n"
                    f"pathlib.Path({str(opened)!r}).write_text(sys.argv[1])\n")
    # webbrowser honours $BROWSER: a command with %s for the URL.
    monkeypatch.setenv("BROWSER", f"{sys.executable} {fake} %s")
    server = Running("preview", SEED, cwd=tmp_path)
    try:
        url = server.expect(lambda s, line: s == "stdout" and line.startswith("http://"))
        deadline = time.monotonic() + 30
        while not opened.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert opened.read_text() == url
        assert server.interrupt() == 0
    finally:
        server.stop()


def test_a_pdf_pdfium_cannot_open_is_a_render_error():
    from briefexport.errors import RenderError

    with pytest.raises(RenderError, match="cannot draw the PDF pages"):
        preview.rasterise(b"%PDF-1.7 not really")


def test_an_unexpected_failure_is_shown_and_the_page_keeps_updating(monkeypatch, settings):
    state = preview_server.PreviewState(SEED)
    state.rebuild(settings)
    good = state.snapshot

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(preview, "rasterise", broken)
    state.rebuild(settings)
    assert "unexpected ZeroDivisionError: division by zero" in state.snapshot.error
    assert state.snapshot.pages == good.pages
    monkeypatch.undo()
    state.rebuild(settings)
    assert state.snapshot.error is None and not state.snapshot.pdf_pending


def test_builds_run_in_the_thread_that_serves(monkeypatch, settings):
    # WeasyPrint and PDFium must never run in a daemon thread: one still inside them when
    # Ctrl-C ends the process crashes it (SIGSEGV) as the interpreter tears the libraries down.
    threads: list[threading.Thread] = []
    real = preview_server.build_stages

    def recording(*args, **kwargs):
        threads.append(threading.current_thread())
        yield from real(*args, **kwargs)

    monkeypatch.setattr(preview_server, "build_stages", recording)
    urls: queue.Queue[str] = queue.Queue()
    stop = threading.Event()
    thread = threading.Thread(target=preview_server.serve, args=(SEED, None, lambda: settings),
                              kwargs={"open_browser": False, "announce": urls.put,
                                      "stop": stop})
    thread.start()
    try:
        poll_state(urls.get(timeout=10), lambda s: s["pages"] and not s["pdf_pending"])
    finally:
        stop.set()
        thread.join(30)
    assert not thread.is_alive(), "the preview server did not stop"
    assert threads == [thread]


def test_a_cancelled_rebuild_skips_the_pdf(monkeypatch, settings):
    state = preview_server.PreviewState(SEED)
    state.rebuild(settings, cancelled=lambda: True)
    assert state.snapshot.text and state.snapshot.email
    assert state.snapshot.pdf_pending and state.snapshot.pages == ()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_during_the_pdf_build_stops_the_preview_cleanly(tmp_path, signum):
    # Six pages of PDF: the signal lands in WeasyPrint's layout or in PDFium's drawing.
    shutil.copy2(FIXTURES / "sahel-many-links.md", tmp_path)
    for delay in (0.0, 0.4, 0.8, 1.6):
        server = Running("preview", tmp_path / "sahel-many-links.md", "--no-open",
                         cwd=tmp_path)
        try:
            url = server.expect(lambda s, line: s == "stdout" and line.startswith("http://"))
            poll_state(url, lambda s: s["pdf_pending"], timeout=60)
            time.sleep(delay)
            server.proc.send_signal(signum)
            status = server.proc.wait(30)
            server.drain()
            assert status == 0, (signal.Signals(signum).name, delay, server.seen)
            errors = [line for s, line in server.seen if s == "stderr"]
            assert errors[-1] == "briefexport: preview stopped"
            assert not any("Traceback" in line for line in errors)
        finally:
            server.stop()


def test_two_ctrl_c_in_a_row_still_stop_the_preview_cleanly(tmp_path):
    # The first asks the build under way to finish its step; the second stops without waiting.
    shutil.copy2(FIXTURES / "sahel-many-links.md", tmp_path)
    server = Running("preview", tmp_path / "sahel-many-links.md", "--no-open", cwd=tmp_path)
    try:
        url = server.expect(lambda s, line: s == "stdout" and line.startswith("http://"))
        poll_state(url, lambda s: s["pdf_pending"], timeout=60)
        server.proc.send_signal(signal.SIGINT)
        time.sleep(0.05)
        server.proc.send_signal(signal.SIGINT)
        server.proc.wait(30)
        server.drain()
        errors = [line for s, line in server.seen if s == "stderr"]
        assert errors[-1] == "briefexport: preview stopped"
        assert not any("Traceback" in line for line in errors)
    finally:
        server.stop()
