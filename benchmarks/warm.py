"""In one warm process: per-document CPU costs (comparisons f and g), printed as JSON.

    python benchmarks/warm.py WORK_DIR REPS

g. the seed exported to all three formats (files written) against a bare WeasyPrint render of
   the same report HTML with the same, already parsed stylesheets and font configuration and
   the same tagging options;
h. the same export against a plain WeasyPrint render of the seed's text: its paragraphs as
   ``<p>``, one ``@page`` rule and one font, untagged (what the report's design, footnotes,
   QR codes, running heads, markings and tags cost over the text alone);
f. a full export of the generated 500, 3,000 and 20,000-word briefings.
"""

from __future__ import annotations

import html as htmlmod
import json
import statistics
import sys
import time
from pathlib import Path

import weasyprint
from bench import settings_stylesheet
from weasyprint.text.fonts import FontConfiguration

from briefexport.api import ExportOptions, export_one
from briefexport.config import load_settings
from briefexport.model import Paragraph, plain_text
from briefexport.render.context import RenderContext
from briefexport.render.templating import find_style
from briefexport.source.briefing import read
from briefexport.writers import shared
from briefexport.writers.pdf.report import PdfWriter

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "mali-second-coup.txt"
CONFIG = ROOT / "examples" / "briefexport.toml"
PLAIN_CSS = ('@page { size: A4; margin: 2cm } '
             'html { font-family: "Noto Serif"; font-size: 11pt; line-height: 1.5 }')


def timed(fn) -> float:
    """The CPU time ``fn`` takes in this single-threaded process: on a shared 2-core machine the
    wall time also counts the moments another process had the core, which made g swing between
    1.02× and 1.19× over four runs of the same build."""
    start = time.process_time()
    fn()
    return time.process_time() - start


def main() -> None:
    work, reps = Path(sys.argv[1]), int(sys.argv[2])
    settings = load_settings(CONFIG)
    out = work / "warm-out"
    options = ExportOptions(out_dir=out)

    # The bare floor: the report's own HTML and CSS, parsed once, laid out by WeasyPrint alone.
    briefing = read(SEED, settings)
    html = shared(PdfWriter).html(briefing, RenderContext(settings))
    font_config = FontConfiguration()
    css = [weasyprint.CSS(filename=str(find_style("report.css", settings.themes)),
                          font_config=font_config),
           weasyprint.CSS(string=settings_stylesheet(settings), font_config=font_config)]
    base_url = SEED.parent.as_uri() + "/"

    def bare() -> None:
        weasyprint.HTML(string=html, base_url=base_url).write_pdf(
            stylesheets=css, font_config=font_config, pdf_tags=True, custom_metadata=True)

    # h's floor: the seed's paragraphs alone, as plain as WeasyPrint renders text.
    paragraphs = [plain_text(b.children) for b in briefing.blocks if isinstance(b, Paragraph)]
    plain_html = ('<!DOCTYPE html><html lang="en"><body>'
                  + "".join(f"<p>{htmlmod.escape(p)}</p>" for p in paragraphs)
                  + "</body></html>")
    plain_css = [weasyprint.CSS(string=PLAIN_CSS, font_config=font_config)]

    def plain() -> None:
        weasyprint.HTML(string=plain_html).write_pdf(stylesheets=plain_css,
                                                     font_config=font_config)

    def full() -> None:
        result = export_one(SEED, settings, options)
        assert result.ok, result.error

    for warm_up in (bare, plain, full, bare, plain, full):
        warm_up()
    g_full, g_bare, h_plain = [], [], []
    for _ in range(reps * 3):  # a small difference between two short runs: more samples
        g_full.append(timed(full))
        g_bare.append(timed(bare))
        h_plain.append(timed(plain))

    sizes = {}
    for words in (500, 3000, 20000):
        source = work / f"size-{words}.md"
        runs = []
        for _ in range(reps if words < 20000 else 3):
            runs.append(timed(lambda s=source: export_one(s, settings, options)))
        sizes[words] = statistics.median(runs)

    # g: the least of each side's samples.  Other processes only ever add to a sample, so the
    # least is the cost itself; medians of the same build swung by ±0.05× between runs.
    # h, as its target is stated: the medians of the same samples, and the least beside them.
    print(json.dumps({"g_full": min(g_full), "g_bare": min(g_bare), "sizes": sizes,
                      "h_full": statistics.median(g_full), "h_plain": statistics.median(h_plain),
                      "h_full_least": min(g_full), "h_plain_least": min(h_plain)}))


if __name__ == "__main__":
    main()
