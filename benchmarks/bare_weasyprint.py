"""Baseline for comparison a: a Python process that imports WeasyPrint and renders report HTML.

    python benchmarks/bare_weasyprint.py REPORT.html REPORT.css PAGE_SIZE BASE_DIR OUT.pdf
"""

import sys
from pathlib import Path

import weasyprint
from weasyprint.text.fonts import FontConfiguration

html, css, page_size, base, out = sys.argv[1:6]
font_config = FontConfiguration()
stylesheets = [weasyprint.CSS(filename=css, font_config=font_config),
               weasyprint.CSS(string=f"@page {{ size: {page_size}; }}", font_config=font_config)]
weasyprint.HTML(filename=html, base_url=Path(base).resolve().as_uri() + "/").write_pdf(
    out, stylesheets=stylesheets, font_config=font_config)
