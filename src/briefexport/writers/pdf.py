"""The PDF client report, laid out by WeasyPrint.

``pdf/report.html.j2`` gives the HTML and ``styles/report.css`` the print design.  The font
configuration and parsed stylesheets are built once per process and reused for every document;
every resource goes through :class:`~briefexport.sandbox.SandboxFetcher`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from briefexport.errors import RenderError
from briefexport.htmlrender import HtmlRenderer
from briefexport.model import Briefing
from briefexport.resources import styles_dir, templates_dir
from briefexport.sandbox import SandboxFetcher
from briefexport.templating import find_style, render, style_search_path
from briefexport.writers import RenderContext

STYLESHEET = "report.css"


class PdfHtmlRenderer(HtmlRenderer):
    """Body HTML for the report."""


class PdfWriter:
    """Briefing → PDF bytes."""

    extension = ".pdf"
    template = "pdf/report.html.j2"

    def __init__(self) -> None:
        # Imported here so that `--help` and text-only exports never pay for WeasyPrint.
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration

        self._weasyprint = weasyprint
        self.font_config = FontConfiguration()

    @lru_cache(maxsize=32)  # noqa: B019 - the writer lives as long as the process
    def stylesheet(self, path: Path, mtime: float, extra: str = "") -> Any:
        """A parsed stylesheet, reused across documents until the file changes."""
        fetcher = SandboxFetcher([path.parent, styles_dir()])
        if extra:
            return self._weasyprint.CSS(string=extra, font_config=self.font_config,
                                        url_fetcher=fetcher)
        return self._weasyprint.CSS(filename=str(path), font_config=self.font_config,
                                    url_fetcher=fetcher)

    def stylesheets(self, ctx: RenderContext) -> list[Any]:
        """The report stylesheet from the style search path, plus the page size."""
        path = find_style(STYLESHEET, ctx.settings.themes)
        page = f"@page {{ size: {ctx.settings.pdf.page_size}; }}"
        return [self.stylesheet(path, path.stat().st_mtime),
                self.stylesheet(path, 0.0, page)]

    def html(self, briefing: Briefing, ctx: RenderContext) -> str:
        """The report's HTML, before layout."""
        return render(
            self.template, ctx.settings.themes,
            meta=briefing.meta,
            briefing=briefing,
            body=PdfHtmlRenderer().blocks(briefing.blocks),
            brand=ctx.settings.brand,
            settings=ctx.settings,
        )

    def render(self, briefing: Briefing, ctx: RenderContext) -> bytes:
        return self.layout(self.html(briefing, ctx), briefing, ctx)

    def layout(self, html: str, briefing: Briefing | Any, ctx: RenderContext,
               extra_styles: tuple[str, ...] = ()) -> bytes:
        """Lay out report HTML through the sandbox; ``briefing`` (or an edition) names the
        source, whose folder is where relative resources are looked up."""
        source_dir = briefing.source.resolve().parent
        allowed = [source_dir, templates_dir(), *style_search_path(ctx.settings.themes)]

        def blocked(url: str, why: str) -> None:
            ctx.warn(briefing, f"PDF resource blocked: {url} ({why})", "blocked-resource")

        fetcher = SandboxFetcher(allowed, on_blocked=blocked)
        extra = []
        for name in extra_styles:
            path = find_style(name, ctx.settings.themes)
            extra.append(self.stylesheet(path, path.stat().st_mtime))
        try:
            document = self._weasyprint.HTML(
                string=html,
                base_url=source_dir.as_uri() + "/",
                url_fetcher=fetcher,
            )
            return document.write_pdf(
                stylesheets=[*self.stylesheets(ctx), *extra],
                font_config=self.font_config,
            )
        except RenderError:
            raise
        except Exception as exc:
            raise RenderError(f"PDF layout failed: {exc}", briefing.source) from exc
