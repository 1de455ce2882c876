"""How long a preview refresh takes after a save, on the seed briefing.

    .venv/bin/python benchmarks/preview_refresh.py [--runs N]

Starts ``briefexport preview`` on a copy of examples/mali-second-coup.txt (with the example
config), opens the page in Debian's Chromium, then saves an edit N times and measures from the
file write to the page showing the new content: first the wire text and both email frames
(shown before the PDF is laid out), then every PDF page image loaded.  Also prints the
server's own build time (read, render the three formats, draw the PDF pages), from the
page's state.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

#: In the page: note when the wire text shows the edit, when both email frames have loaded
#: the email of the edit, and when the PDF page images of the edit are all drawn.
MARKERS = """([word, version]) => {
  const marks = window.__marks = {text: 0, frames: 0, frames_at: 0, pdf: 0};
  for (const id of ["email-375", "email-600"]) {
    const frame = document.getElementById(id);
    frame.addEventListener("load", () => {
      if (+new URL(frame.src).searchParams.get("v") > version) {
        marks.frames += 1; marks.frames_at = Date.now();
      }
    }, {once: false});
  }
  const tick = () => {
    if (!marks.text && document.getElementById("wire").textContent.includes(word)) {
      marks.text = Date.now();
    }
    const images = [...document.querySelectorAll("img.pdf-page")];
    if (marks.text && document.body.dataset.pdfPending === "false" && images.length
        && images.every(i => i.complete && i.naturalWidth > 0
                        && +new URL(i.src).searchParams.get("v") > version)) {
      marks.pdf = Date.now();
      return;
    }
    requestAnimationFrame(tick);
  };
  tick();
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    work = Path(tempfile.mkdtemp(prefix="briefexport-preview-"))
    source = work / "mali.txt"
    shutil.copy(ROOT / "examples" / "mali-second-coup.txt", source)
    shutil.copy(ROOT / "examples" / "briefexport.toml", work / "briefexport.toml")
    server = subprocess.Popen([sys.executable, "-m", "briefexport", "preview", str(source),
                               "--no-open"], cwd=work, stdout=subprocess.PIPE, text=True)
    try:
        url = server.stdout.readline().strip()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_context(bypass_csp=True).new_page()
            page.goto(url)
            page.wait_for_function("document.body.dataset.version !== '0'", timeout=60_000)
            original = source.read_text(encoding="utf-8")
            firsts, totals, builds = [], [], []
            for n in range(runs):
                word = f"Edit{n}"
                version = int(page.evaluate("document.body.dataset.version"))
                # Timestamps are taken in the page itself (Date.now(), the same clock as
                # time.time()), so Playwright's own round trips are not counted.
                page.evaluate(MARKERS, [word, version])
                written = time.time()
                source.write_text(original.replace("Second coup", f"{word} coup", 1),
                                  encoding="utf-8")
                page.wait_for_function("window.__marks.text && window.__marks.frames === 2"
                                       " && window.__marks.pdf", timeout=60_000)
                marks = page.evaluate("window.__marks")
                firsts.append(max(marks["text"], marks["frames_at"]) / 1000 - written)
                totals.append(marks["pdf"] / 1000 - written)
                builds.append(float(page.evaluate("fetch('/state.json').then(r => r.json())"
                                                  ".then(s => s.seconds)")))
                time.sleep(0.3)
            browser.close()
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(work, ignore_errors=True)

    def ms(values: list[float]) -> str:
        return (f"median {statistics.median(values) * 1000:.0f} ms, "
                f"min {min(values) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms")

    print(f"runs: {runs}")
    print(f"save → wire text and both email frames updated:   {ms(firsts)}")
    print(f"save → PDF page images updated too (all of it):    {ms(totals)}")
    print(f"server build (read, text, email, PDF, page images): {ms(builds)}")
    print(f"share of the refresh spent building: "
          f"{statistics.median(builds) / statistics.median(totals):.2f}")


if __name__ == "__main__":
    main()
