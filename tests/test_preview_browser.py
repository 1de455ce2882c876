"""``briefexport preview`` in Debian's Chromium: the page, its live update, the dark switch.

Skipped locally without Chromium; a failure under CI (the ``CI`` variable set).
"""

from __future__ import annotations

import io
import os
import shutil
import time

import pytest
from conftest import CONFIG, ROOT, SEED, chromium_path
from emailkit import CHROMIUM_ARGS
from PIL import Image, ImageStat
from procs import Running
from pypdf import PdfReader

ARTIFACTS = ROOT / "tests" / "artifacts"
#: Bound for one refresh after a save (the measured time is far below it; see the README).
REFRESH_BOUND_MS = 30_000


@pytest.fixture(scope="module")
def browser():
    chromium = chromium_path()
    if chromium is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium (/usr/bin/chromium) is required under CI")
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def desk(tmp_path):
    # copy2 keeps the mtime: the seed has no date, so its date is the file's, as in seed_outputs.
    shutil.copy2(SEED, tmp_path / "mali.txt")
    shutil.copy(CONFIG, tmp_path / "briefexport.toml")
    shutil.copy(CONFIG.parent / "meridian-logo.svg", tmp_path)  # the config's [brand] logo
    return tmp_path


def luminance(png: bytes) -> float:
    return ImageStat.Stat(Image.open(io.BytesIO(png)).convert("L")).mean[0]


def test_preview_page_shows_everything_and_follows_edits(browser, desk, seed_outputs):
    from playwright.sync_api import expect

    source = desk / "mali.txt"
    server = Running("preview", source, "--no-open", cwd=desk)  # ./briefexport.toml
    try:
        url = server.expect(lambda s, line: s == "stdout" and line.startswith("http://"))
        assert url.startswith("http://127.0.0.1:")
        # bypass_csp: Playwright's wait_for_function evaluates strings, which the page's CSP
        # (rightly) forbids to the page itself.
        context = browser.new_context(viewport={"width": 2200, "height": 1400},
                                      bypass_csp=True)
        page = context.new_page()
        page.goto(url)
        page.wait_for_function("document.body.dataset.pdfPending === 'false'", timeout=60_000)

        # The email at both widths: the frame's own viewport is that wide.
        for width in (375, 600):
            frame = page.frame_locator(f"#email-{width}")
            expect(frame.locator("h1")).to_contain_text("Second coup", timeout=10_000)
            inner = page.locator(f"#email-{width}").element_handle().content_frame()
            assert inner.evaluate("document.documentElement.clientWidth") == width
        # The PDF pages, as many as the exported PDF has, drawn.
        pdf_pages = len(PdfReader(seed_outputs["pdf"]).pages)
        images = page.locator("img.pdf-page")
        expect(images).to_have_count(pdf_pages)
        page.wait_for_function(
            "[...document.querySelectorAll('img.pdf-page')]"
            ".every(i => i.complete && i.naturalWidth > 800)")
        # The wire text, exactly as exported.
        assert page.locator("#wire").text_content() == \
            seed_outputs["txt"].read_text(encoding="utf-8")
        # The HTML size against the 102 KB budget.
        size_kb = f"{seed_outputs['html'].stat().st_size / 1000:.1f} kB of HTML"
        expect(page.locator("#size-text")).to_contain_text(size_kb)
        expect(page.locator("#size-text")).to_contain_text("budget 102.0 kB")
        # The preflight's findings for the seed as it is (no date, a long first sentence).
        from briefexport.commands.check import check_source
        from briefexport.config import load_settings

        seed_findings = check_source(source, load_settings(desk / "briefexport.toml"))
        assert {f.code for f in seed_findings} >= {"missing-date", "summary-length"}
        expect(page.locator("#findings .finding")).to_have_count(len(seed_findings))
        expect(page.locator("#findings")).to_contain_text("[summary-length]")

        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "preview.png"))

        frames = [page.locator(f"#email-{w}").element_handle().content_frame()
                  for w in (375, 600)]
        # An edit: new headline, and a link the reader refuses (a finding).
        version = page.evaluate("document.body.dataset.version")
        text = source.read_text(encoding="utf-8")
        edited = text.replace("Second coup", "Third coup", 1).rstrip("\n") + \
            "\n\nA [bad link](javascript:alert(1)) here.\n"
        bad_line = edited.count("\n")
        started = time.perf_counter()
        source.write_text(edited, encoding="utf-8")
        page.wait_for_function(
            "document.getElementById('wire').textContent.includes('Third coup')",
            timeout=REFRESH_BOUND_MS)
        for frame in frames:  # the same frames, navigated to the new email
            frame.wait_for_function(
                "(document.querySelector('h1') || {}).textContent?.includes('Third coup')",
                timeout=REFRESH_BOUND_MS)
        text_ms = (time.perf_counter() - started) * 1000
        page.wait_for_function(
            f"+document.body.dataset.version > {version}"
            " && document.body.dataset.pdfPending === 'false'"
            " && [...document.querySelectorAll('img.pdf-page')]"
            "    .every(i => i.complete && i.naturalWidth > 0)",
            timeout=REFRESH_BOUND_MS)
        refresh_ms = (time.perf_counter() - started) * 1000
        print(f"preview after a save: text and email {text_ms:.0f} ms, PDF {refresh_ms:.0f} ms")
        expect(page.locator("#findings .finding")).to_have_count(len(seed_findings) + 1)
        (finding,) = [t for t in page.locator("#findings .finding").all_text_contents()
                      if "javascript" in t]
        assert f"line {bad_line}:" in finding
        assert "ENDS" in page.locator("#wire").text_content()
        # The PDF page images shown are the new build's, and show the new headline.
        state = page.evaluate("fetch('/state.json').then(r => r.json())")
        assert state["pages_version"] > int(version)
        assert all(src.endswith(f".jpg?v={state['pages_version']}") for src in
                   images.evaluate_all("els => els.map(e => e.getAttribute('src'))"))

        # Dark: the email as shown is darker than in light mode, at both widths.
        light = [page.locator(f"#email-{w}").screenshot() for w in (375, 600)]
        page.check("#dark")
        page.wait_for_function("document.getElementById('email-600').src.includes('dark')")
        page.wait_for_timeout(500)  # the frames reload
        dark = [page.locator(f"#email-{w}").screenshot() for w in (375, 600)]
        for before, after in zip(light, dark, strict=True):
            assert luminance(after) < luminance(before) - 60
        page.screenshot(path=str(ARTIFACTS / "preview-dark.png"))
        page.uncheck("#dark")

        # A broken save: the error is shown, the last good outputs stay.
        source.write_text("---\ntitle: [open\n---\n", encoding="utf-8")
        expect(page.locator("#error")).to_contain_text(
            f"{source.name}:2: front matter is not valid YAML", timeout=REFRESH_BOUND_MS)
        assert "Third coup" in page.locator("#wire").text_content()
        expect(page.locator("#findings .sev.error")).to_have_count(1)
        context.close()

        assert server.interrupt() == 0
        assert not any("Traceback" in line for _, line in server.seen)
    finally:
        server.stop()


def test_preview_refuses_a_busy_port(desk):
    first = Running("preview", desk / "mali.txt", "--no-open", cwd=desk)
    try:
        url = first.expect(lambda s, line: s == "stdout" and line.startswith("http://"))
        port = url.rstrip("/").rsplit(":", 1)[1]
        second = Running("preview", desk / "mali.txt", "--no-open", "--port", port, cwd=desk)
        assert second.proc.wait(30) == 1
        second.drain()
        errors = [line for s, line in second.seen if s == "stderr"]
        assert errors == [f"briefexport: error: cannot serve on 127.0.0.1:{port}: "
                          "Address already in use"]
        assert first.interrupt() == 0
    finally:
        first.stop()

