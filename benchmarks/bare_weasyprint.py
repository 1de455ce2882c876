"""Baseline for comparison a: a Python process that imports WeasyPrint and renders report HTML.

    python benchmarks/bare_weasyprint.py REPORT.html REPORT.css SETTINGS.css BASE_DIR OUT.pdf

The same HTML, the same two stylesheets and the same tagging options as the PDF writer's.
"""

import sys
from pathlib import Path

import weasyprint
from weasyprint.text.fonts import FontConfiguration

html, css, settings_css, base, out = sys.argv[1:6]
font_config = FontConfiguration()
stylesheets = [weasyprint.CSS(filename=css, font_config=font_config),
               weasyprint.CSS(filename=settings_css, font_config=font_config)]
weasyprint.HTML(filename=html, base_url=Path(base).resolve().as_uri() + "/").write_pdf(
    out, stylesheets=stylesheets, font_config=font_config, pdf_tags=True, custom_metadata=True)
