"""The PDF client report, laid out by WeasyPrint.

``pdf/report.html.j2`` is the document (head, masthead, content, colophon, and a client copy's
watermark) and ``pdf/article.html.j2`` one briefing inside it (its TLP label, classification and
embargo, headline, risk rating, key judgements, body, contact and corrections; or, for a kill,
the kill notice alone); ``pdf/macros.html.j2`` holds what they share and
``pdf/figure.html.j2`` draws each figure.  ``styles/report.css`` is the print design and a
small generated stylesheet adds the brand colours and the page size.  The writer renders the
PDF's own view of the briefing (``for_output("pdf")``: blocks for other outputs gone); a client
copy (``ctx.recipient``) gets the watermark on every page and the recipient's id in the XMP
metadata (:mod:`.xmp`).  The font configuration
and the parsed stylesheets are built once per process and reused for every document; every
resource, the stylesheets included, goes through
:class:`~briefexport.writers.pdf.sandbox.SandboxFetcher`.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin

from markupsafe import Markup

from briefexport.choices import RISK_TRENDS, TLP_BACKGROUND, TLP_COLOURS
from briefexport.config import BrandSettings, Settings
from briefexport.errors import RenderError
from briefexport.model import Briefing, Document, Edition, Image, Recipient
from briefexport.render.clock import build_time, w3c_date
from briefexport.render.context import RenderContext
from briefexport.render.handling import document_embargo, embargo_until, notice
from briefexport.render.resources import templates_dir
from briefexport.render.templating import find_style, render, style_search_path
from briefexport.source.newsroom import KILL_NOTICE
from briefexport.writers.base import shared
from briefexport.writers.pdf import hyphenation
from briefexport.writers.pdf.html import PdfHtmlRenderer, standfirst
from briefexport.writers.pdf.logo import logo_ratio
from briefexport.writers.pdf.sandbox import SandboxFetcher

STYLESHEET = "report.css"

#: A body image and the briefing (or edition; ``None``: the document) whose text holds it.
SourceImage = tuple[Image, Document | None]

# Brand colours are written into CSS: only plain colour notations get through.
_COLOR_RE = re.compile(r"^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,30})$")


def marking_context() -> dict[str, Any]:
    """What the templates need to draw a TLP label (``pdf/macros.html.j2``'s
    ``page_marks``): FIRST's colour of each label, and the black they all stand on."""
    return {"tlp_colours": TLP_COLOURS, "tlp_background": TLP_BACKGROUND}


def watermark(settings: Settings, recipient: Recipient | None) -> str | None:
    """A client copy's mark on every page: ``[copies] watermark`` filled for ``recipient``
    (``{id}``, ``{name}``, ``{organisation}``; an empty name or organisation takes the
    other); ``None`` in a plain export.  Never the recipient's token."""
    if recipient is None:
        return None
    values = {"id": recipient.id,
              "name": recipient.name or recipient.organisation,
              "organisation": recipient.organisation or recipient.name}
    return " ".join(settings.copies.watermark.format_map(values).split()) or None


def unmarked_pages(document: Any, mark: str) -> list[int]:
    """The pages (1-based) of a laid-out WeasyPrint ``document`` whose margin boxes do not
    draw ``mark``: a theme's stylesheet that does not place the watermark in the margins
    (``.watermark { position: running(watermark) }`` and ``element(watermark)``) would make a
    client copy without its mark, or with it once, as text on the first page."""
    from weasyprint.formatting_structure.boxes import MarginBox, TextBox

    wanted = "".join(mark.split())
    missing = []
    for number, page in enumerate(document.pages, 1):
        drawn = "".join(box.text for margin in page._page_box.children
                        if isinstance(margin, MarginBox)
                        for box in margin.descendants() if isinstance(box, TextBox))
        if wanted not in "".join(drawn.split()):
            missing.append(number)
    return missing


def held_embargo(document: Document) -> dt.datetime | None:
    """The embargo a document's pages and metadata carry while it holds: a briefing's own
    (none for a kill, which says nothing but that it is withdrawn), an edition's latest."""
    if isinstance(document, Briefing) and document.meta.killed:
        return None
    return document_embargo(document)


def settings_css(color: str, accent: str, page_size: str) -> str:
    """The brand colours, the page size and the hyphenation limits, as CSS; laid over the
    report's stylesheet."""
    limits = " ".join(str(n) for n in hyphenation.HYPHENATE_LIMITS)
    return (f":root {{ --brand: {color}; --accent: {accent}; }}\n"
            f"@page {{ size: {page_size}; }}\n"
            f"html {{ hyphenate-limit-chars: {limits}; }}\n")


@contextmanager
def layout_errors() -> Iterator[list[str]]:
    """Collect what WeasyPrint logs as errors in this thread (unusable images, bad CSS).

    WeasyPrint leaves such resources out and only logs; the user should hear about it.
    """
    found: list[str] = []
    thread = threading.get_ident()

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.thread == thread:
                found.append(record.getMessage())

    logger = logging.getLogger("weasyprint")
    handler = Collect(logging.ERROR)
    logger.addHandler(handler)
    try:
        yield found
    finally:
        logger.removeHandler(handler)


@dataclass
class Article:
    """One briefing's article HTML and what rendering it collected."""

    briefing: Briefing
    html: Markup
    renderer: PdfHtmlRenderer


class PdfWriter:
    """Briefing → PDF bytes."""

    template = "pdf/report.html.j2"
    article_template = "pdf/article.html.j2"

    def __init__(self) -> None:
        # Imported here so that `--help` and text-only exports never pay for WeasyPrint.
        from briefexport.writers.pdf.weasyload import import_weasyprint

        self._weasyprint = import_weasyprint()
        from weasyprint.text.fonts import FontConfiguration

        self.font_config = FontConfiguration()

    # ---- stylesheets (parsed once per process)

    @lru_cache(maxsize=32)  # noqa: B019 - the writer lives as long as the process
    def stylesheet(self, path: Path, mtime: float, themes: tuple[Path, ...]
                   ) -> tuple[Any, tuple[tuple[str, str], ...]]:
        """A parsed stylesheet and what the sandbox blocked while parsing it.

        Reused across documents until the file changes; the blocked list is replayed as
        warnings for every document, since the parse (and its warnings) happens once.
        """
        fetcher = SandboxFetcher([path.parent, *style_search_path(themes)])
        css = self._weasyprint.CSS(url=path.resolve().as_uri(), font_config=self.font_config,
                                   url_fetcher=fetcher)
        return css, tuple(fetcher.blocked)

    @lru_cache(maxsize=32)  # noqa: B019 - as above
    def settings_stylesheet(self, color: str, accent: str, page_size: str) -> Any:
        """The brand colours and the page size, parsed (see :func:`settings_css`)."""
        return self._weasyprint.CSS(string=settings_css(color, accent, page_size),
                                    font_config=self.font_config,
                                    url_fetcher=SandboxFetcher([]))

    def stylesheets(self, briefing: Document, ctx: RenderContext,
                    extra_styles: Sequence[str] = ()) -> list[Any]:
        """The report stylesheet (then ``extra_styles``) from the style search path, and
        last the settings' one."""
        themes = tuple(ctx.settings.themes)
        sheets = []
        for name in (STYLESHEET, *extra_styles):
            path = find_style(name, themes)
            css, blocked = self.stylesheet(path, path.stat().st_mtime, themes)
            for url, why in blocked:
                ctx.warn(briefing, f"PDF resource blocked: {url} ({why})", "blocked-resource")
            sheets.append(css)
        brand = ctx.settings.brand
        colors = []
        for key, value, default in (("color", brand.color, BrandSettings.color),
                                    ("accent", brand.accent, BrandSettings.accent)):
            if not _COLOR_RE.match(value):
                ctx.warn(briefing, f"[brand] {key} {value!r} is not a CSS colour; "
                         f"using {default}", "bad-setting")
                value = default
            colors.append(value)
        return [*sheets, self.settings_stylesheet(*colors, ctx.settings.pdf.page_size)]

    # ---- HTML

    def logo_path(self, ctx: RenderContext) -> Path | None:
        """The configured logo, resolved against the config file's folder."""
        logo = ctx.settings.brand.logo
        return (ctx.settings.base_dir / logo).resolve() if logo else None

    def renderer(self, ctx: RenderContext, link_urls: str | None = None, *,
                 origin: Document | None = None) -> PdfHtmlRenderer:
        """A fresh body renderer (it numbers endnotes and collects images per article);
        ``link_urls`` overrides the setting (an edition's cover takes endnotes); ``origin``
        is the briefing or edition whose text it renders (its images are relative to it)."""
        return PdfHtmlRenderer(link_urls or ctx.settings.pdf.link_urls, origin=origin,
                               themes=ctx.settings.themes)

    def article(self, briefing: Briefing, ctx: RenderContext, id_prefix: str = "") -> Article:
        """One briefing's article HTML: kicker, headline, standfirst, meta line, risk rating,
        key judgements, body, contact, notes.

        A document of several briefings renders one article each and joins them, giving each
        an ``id_prefix`` so that their heading anchors stay unique.
        """
        renderer = self.renderer(ctx, origin=briefing)
        renderer.id_prefix = id_prefix
        meta = briefing.meta
        # The key judgements come first, in the page and in the endnotes' numbering.
        judgements = [renderer.inlines(run) for run in briefing.key_judgements]
        body = renderer.blocks(briefing.blocks)
        embargo = None if meta.killed else embargo_until(meta)
        html = Markup(render(
            self.article_template, ctx.settings.themes,
            meta=meta,
            briefing=briefing,
            kill_notice=KILL_NOTICE if meta.killed else None,
            embargo=notice(embargo),
            corrections=meta.corrections if meta.corrected else (),
            standfirst=standfirst(briefing),
            key_judgements=judgements,
            risk=briefing.risk,
            risk_trends=RISK_TRENDS,
            contact=briefing.contact,
            body=body,
            endnotes=renderer.endnotes.items(),
            settings=ctx.settings,
            **marking_context(),
        ))
        return Article(briefing, html, renderer)

    def html(self, briefing: Briefing, ctx: RenderContext, *,
             articles: list[Article] | None = None, now: dt.datetime | None = None) -> str:
        """The report's HTML, before layout."""
        articles = articles if articles is not None else [self.article(briefing, ctx)]
        logo = self.logo_path(ctx)
        meta = briefing.meta
        created = (dt.datetime.combine(meta.date, dt.time(), dt.UTC) if meta.date
                   else (now or build_time()))
        embargo = held_embargo(briefing)
        return render(
            self.template, ctx.settings.themes,
            meta=meta,
            briefing=briefing,
            articles=articles,
            embargo_until=w3c_date(embargo) if embargo else None,
            watermark=watermark(ctx.settings, ctx.recipient),
            brand=ctx.settings.brand,
            logo_url=logo.as_uri() if logo else None,
            logo_ratio=logo_ratio(logo) if logo else 1,
            created=w3c_date(created),
            modified=w3c_date(now or build_time()),
            settings=ctx.settings,
            **marking_context(),
        )

    # ---- sandbox, attachments, options

    def fetcher(self, briefing: Document, ctx: RenderContext,
                images: Sequence[SourceImage] = ()) -> SandboxFetcher:
        """The document's fetcher: the briefing's folder (an edition's, and each of its
        stories', whose images are relative to it), templates, styles and the logo."""
        source_dir = briefing.source.resolve().parent
        stories = briefing.briefings if isinstance(briefing, Edition) else ()
        allowed = [source_dir, *dict.fromkeys(b.source.resolve().parent for b in stories),
                   templates_dir(), *style_search_path(ctx.settings.themes)]
        logo = self.logo_path(ctx)
        # WeasyPrint fetches each absolute URL once; name every source image that led to it,
        # in the file that wrote it.
        by_url: dict[str, list[tuple[Image, Document]]] = {}
        for image, origin in images:
            origin = origin or briefing
            base = origin.source.resolve().parent.as_uri() + "/"
            by_url.setdefault(unquote(urljoin(base, image.src)), []).append((image, origin))

        def blocked(url: str, why: str) -> None:
            for image, origin in by_url.get(unquote(url), []):
                ctx.warn(origin, f"PDF resource blocked: {image.src} ({why})",
                         "blocked-resource", line=image.line)
            if unquote(url) not in by_url:
                ctx.warn(briefing, f"PDF resource blocked: {url} ({why})", "blocked-resource")

        return SandboxFetcher(allowed, allowed_files=[logo] if logo else [],
                              allow_remote=ctx.settings.pdf.allow_remote, on_blocked=blocked)

    def attachments(self, briefing: Briefing, ctx: RenderContext, now: dt.datetime
                    ) -> list[Any]:
        """The source briefing and its wire text, the report's provenance under PDF/A-3;
        nothing for a kill.

        ``briefing`` is the briefing as read, not the PDF's view of it: the wire text is the
        ``txt`` format's very output, which keeps the wire's own blocks.
        """
        from briefexport.writers.text.wire import TextWriter

        if briefing.meta.killed:
            return []
        # The wire text comes from the same model, not from a file this tool may have written;
        # its own warnings are the text format's to report, not the PDF's.
        wire = ctx.render_with(shared(TextWriter), briefing, report=False)
        return self.provenance([briefing], f"{briefing.stem}.wire.txt", wire,
                               "The plain-text wire version of this briefing", now)

    def provenance(self, briefings: Sequence[Briefing], wire_name: str, wire: bytes | str,
                   wire_description: str, now: dt.datetime) -> list[Any]:
        """PDF/A-3 attachments: each briefing's source and one wire text.

        The source is the text the reader kept (``briefing.text``: a higher tier's blocks are
        not in it), never the file again; a killed briefing's (empty) source is left out.
        """
        attachment = self._weasyprint.Attachment
        files = []
        for briefing in briefings:
            if briefing.meta.killed:
                continue
            source = briefing.text.encode("utf-8")
            try:
                mtime = dt.datetime.fromtimestamp(briefing.source.stat().st_mtime, dt.UTC)
            except OSError:
                mtime = now  # rendered from bytes (a client copy's worker): no file to date
            mtime = min(mtime, now) if "SOURCE_DATE_EPOCH" in os.environ else mtime
            files.append(attachment(
                string=source, name=briefing.source.name, relationship="Source",
                description="The briefing source this report was made from",
                created=mtime, modified=mtime))
        wire_bytes = wire.encode("utf-8") if isinstance(wire, str) else wire
        files.append(attachment(string=wire_bytes, name=wire_name, relationship="Alternative",
                                description=wire_description, created=now, modified=now))
        # WeasyPrint writes the embedded-files name tree in the order given, and a name tree
        # must be sorted by its keys' PDF string bytes.
        import pydyf

        return sorted(files, key=lambda a: pydyf.String(a.name).data)

    def options(self, briefing: Document, ctx: RenderContext, now: dt.datetime,
                attachments: Callable[[], list[Any]] | None = None) -> dict[str, Any]:
        """WeasyPrint's ``write_pdf`` options for the configured variant.

        Under PDF/A-3 the attachments are what ``attachments`` gives (a briefing's source and
        wire text, an edition's sources and wire text), else a single briefing's; none for a
        kill.
        """
        variant = ctx.settings.pdf.variant
        options: dict[str, Any] = {
            "pdf_tags": True,  # tagged by default: screen readers get structure and order
            "custom_metadata": True,  # the reference (and region) as Info entries
            "pdf_variant": variant,
        }
        if variant and variant.startswith("pdf/a-3"):
            if attachments is not None:
                options["attachments"] = attachments()
            elif isinstance(briefing, Briefing) and not briefing.meta.killed:
                options["attachments"] = self.attachments(briefing, ctx, now)
        return options

    def render(self, briefing: Briefing, ctx: RenderContext) -> bytes:
        source = briefing  # the wire text attached under PDF/A-3 is the wire's own view
        briefing = briefing.for_output("pdf")
        now = build_time()
        article = self.article(briefing, ctx)
        html = self.html(briefing, ctx, articles=[article], now=now)
        return self.layout(html, briefing, ctx, images=article.renderer.images, now=now,
                           attachments=lambda: self.attachments(source, ctx, now))

    def layout(self, html: str, briefing: Document, ctx: RenderContext,
               extra_styles: Sequence[str] = (), *, images: Sequence[SourceImage] = (),
               now: dt.datetime | None = None,
               attachments: Callable[[], list[Any]] | None = None) -> bytes:
        """Lay out report HTML through the sandbox and write the PDF.

        ``briefing`` (or an edition) names the source, whose folder is where relative
        resources are looked up; ``images`` are the model's images with the briefing (or
        edition) that holds each, to name the file and line of one the sandbox blocks;
        ``extra_styles`` are stylesheets laid over the report's.
        """
        with layout_errors() as errors:
            pdf = self._layout(html, briefing, ctx, extra_styles, images, now or build_time(),
                               attachments)
        for message in errors:
            if "PermissionError: blocked " not in message:  # the sandbox named those
                ctx.warn(briefing, f"PDF: {message}", "pdf-resource")
        return pdf

    def _layout(self, html: str, briefing: Document, ctx: RenderContext,
                extra_styles: Sequence[str], images: Sequence[SourceImage], now: dt.datetime,
                attachments: Callable[[], list[Any]] | None = None) -> bytes:
        from briefexport.writers.pdf.links import name_annotations, own_link_boxes
        from briefexport.writers.pdf.pdfa import list_attachments_once
        from briefexport.writers.pdf.tagging import finish_tags
        from briefexport.writers.pdf.xmp import add_recipient

        try:
            document_html = self._weasyprint.HTML(
                string=html,
                base_url=briefing.source.resolve().parent.as_uri() + "/",
                url_fetcher=self.fetcher(briefing, ctx, images),
            )
            options = self.options(briefing, ctx, now, attachments)
            langs = ([briefing.lang, *(b.lang for b in briefing.briefings)]
                     if isinstance(briefing, Edition) else [briefing.lang])
            with hyphenation.names_kept(langs):
                document = document_html.render(
                    font_config=self.font_config,
                    stylesheets=self.stylesheets(briefing, ctx, extra_styles), **options)
            kept = own_link_boxes(document, document_html.etree_element)
            mark = watermark(ctx.settings, ctx.recipient)
            if mark and (missing := unmarked_pages(document, mark)):
                raise RenderError(
                    f"the client copy's watermark is not in the margins of page "
                    f"{', '.join(map(str, missing))}: the theme's styles/report.css must place "
                    ".watermark (position: running(watermark)) in a page margin box, as the "
                    "built-in one does", briefing.source)

            def finish(document: Any, pdf: Any) -> None:
                import pydyf

                groups = name_annotations(document, kept)
                finish_tags(pdf, groups)
                list_attachments_once(pdf)
                if ctx.recipient is not None:
                    add_recipient(pdf, document, ctx.recipient.id)
                # Viewers show the title rather than the file name (PDF/UA asks for it).
                pdf.catalog["ViewerPreferences"] = pydyf.Dictionary(
                    {"DisplayDocTitle": "true"})

            return document.write_pdf(finisher=finish, **options)
        except RenderError:
            raise
        except Exception as exc:
            raise RenderError(f"PDF layout failed: {exc}", briefing.source) from exc
