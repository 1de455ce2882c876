"""A minimal reproduction: in WeasyPrint, each footnote lays out its page's footnotes again.

    .venv/bin/python benchmarks/weasyprint_footnotes.py

One A4 page of 16 paragraphs, K of them with a footnote (``float: footnote``, a URL as in the
report).  For each K it prints how many footnote layouts WeasyPrint made (counted, so the result
does not depend on the machine's load) and the render's CPU time (least of 7) against the same
page with the notes inline.  ``LayoutContext.layout_footnote`` calls ``_update_footnote_area``,
which deep-copies the page's whole footnote area and lays it out again: K footnotes on a page
cost K(K+1)/2 footnote layouts, and every line that is laid out again (a page break avoided, a
widow) adds the page's footnotes once more.  Not part of the benchmark's table.
"""

from __future__ import annotations

import time

import weasyprint
from weasyprint.layout import LayoutContext
from weasyprint.text.fonts import FontConfiguration

WORDS = ("The junta consolidated the fuel supply routes in the coming weeks, according to "
         "local sources, while donors reassess their programmes. ") * 2
FONTS = FontConfiguration()
CSS = weasyprint.CSS(string="@page { size: A4; margin: 2cm } html { font: 11pt/1.5 serif } "
                     ".note { float: footnote; font-size: 7pt }", font_config=FONTS)
laid_out = 0
_update = LayoutContext._update_footnote_area


def counting_update(self: LayoutContext) -> bool:
    """WeasyPrint's own method, counting the footnotes it lays out."""
    global laid_out
    laid_out += len(self.current_page_footnotes)
    return _update(self)


LayoutContext._update_footnote_area = counting_update  # type: ignore[method-assign]


def page(notes: int, inline: bool = False) -> str:
    cls = "inline" if inline else "note"
    paragraphs = "".join(
        f"<p>{WORDS}"
        + (f'<span class="{cls}">https://portal.example/briefings/{i}</span>' if i < notes else "")
        + f" {WORDS}</p>" for i in range(16))
    return f"<html><body>{paragraphs}</body></html>"


def render(html: str) -> float:
    start = time.process_time()
    weasyprint.HTML(string=html).write_pdf(stylesheets=[CSS], font_config=FONTS)
    return time.process_time() - start


def main() -> None:
    global laid_out
    print(f"WeasyPrint {weasyprint.__version__}: one page, K footnotes")
    render(page(4))  # warm up
    for notes in (1, 2, 4, 8, 12):
        laid_out = 0
        render(page(notes))
        layouts = laid_out
        with_notes = min(render(page(notes)) for _ in range(7))
        inline = min(render(page(notes, inline=True)) for _ in range(7))
        print(f"K = {notes:2d}: {layouts:3d} footnote layouts ({notes * (notes + 1) // 2} if "
              f"each note were laid out with those before it), CPU {with_notes * 1000:5.1f} ms "
              f"vs {inline * 1000:5.1f} ms with the notes inline")


if __name__ == "__main__":
    main()
