"""The one table of output formats, and how a document finds its writer.

Each :class:`Format` names its file extension, the template folder its templates live in, and
the writer of a briefing and of an edition.  Writers are imported only when their format is
asked for, so ``--help`` and a text-only export never load WeasyPrint or the MJML binding; each
writer class is built once per process (:func:`shared`), so a batch reuses its fonts, parsed
stylesheets and compiled templates.

A writer that needs another (the edition PDF lays out articles with the report writer, the
``.eml`` carries the email) asks for that class's shared instance directly, and for its output
through :meth:`~briefexport.render.context.RenderContext.render_with`: no writer looks another
up by name, and none renders what another format of the same export renders.
"""

from __future__ import annotations

import importlib
from typing import Any, overload

from briefexport.model import Briefing, Document, Edition
from briefexport.record import record
from briefexport.render.context import RenderContext
from briefexport.writers.base import Writer, shared

__all__ = ["BY_NAME", "DEFAULT_FORMATS", "EDITION_FORMATS", "FORMATS", "TEMPLATE_FOLDERS",
           "Format", "Writer", "formats", "get_format", "render", "shared", "writer_for"]


@record
class Format:
    """One output format."""

    name: str
    """What ``-f`` takes: ``pdf``, ``html``, ``txt``, ``eml``."""
    extension: str
    """The output file's extension, with its dot."""
    templates: str
    """The folder of ``templates/`` its templates are in (what ``theme copy --format`` takes)."""
    briefing_writer: str | type[Any]
    """``module:Class`` of the writer of one briefing (imported on first use), or the class."""
    edition_writer: str | type[Any] | None = None
    """As ``briefing_writer``, for an edition; ``None`` when editions lack the format."""

    @overload
    def writer(self, document: Briefing) -> Writer[Briefing]: ...
    @overload
    def writer(self, document: Edition) -> Writer[Edition]: ...
    @overload
    def writer(self, document: Document) -> Writer[Briefing] | Writer[Edition]: ...

    def writer(self, document: Document) -> Writer[Briefing] | Writer[Edition]:
        """The (per-process) writer of ``document``, a briefing or an edition, in this format."""
        if isinstance(document, Edition):
            return self.edition()
        return self.briefing()

    def briefing(self) -> Writer[Briefing]:
        """The (per-process) writer of a briefing in this format."""
        return shared(_load(self.briefing_writer))

    def edition(self) -> Writer[Edition]:
        """The (per-process) writer of an edition in this format."""
        if self.edition_writer is None:
            raise ValueError(f"format '{self.name}' is not available for editions; "
                             f"choose from {', '.join(EDITION_FORMATS)}")
        return shared(_load(self.edition_writer))


#: Every format, in the order outputs are rendered and listed.
FORMATS: tuple[Format, ...] = (
    Format("pdf", ".pdf", "pdf", "briefexport.writers.pdf.report:PdfWriter",
           "briefexport.writers.pdf.edition:EditionPdfWriter"),
    Format("html", ".html", "email", "briefexport.writers.email.html:EmailWriter",
           "briefexport.writers.email.edition:EditionEmailWriter"),
    Format("txt", ".txt", "text", "briefexport.writers.text.wire:TextWriter",
           "briefexport.writers.text.edition:EditionTextWriter"),
    Format("eml", ".eml", "email", "briefexport.writers.email.eml:EmlWriter"),
    # The ninjs item has no templates of its own: its plain-text body is the wire text's.
    Format("json", ".json", "text", "briefexport.writers.ninjs.item:NinjsWriter",
           "briefexport.writers.ninjs.edition:EditionNinjsWriter"),
)

BY_NAME: dict[str, Format] = {f.name: f for f in FORMATS}

#: What ``export`` writes when no format is named.
DEFAULT_FORMATS: tuple[str, ...] = ("pdf", "html", "txt")

#: The formats an edition can be written in.
EDITION_FORMATS: tuple[str, ...] = tuple(f.name for f in FORMATS if f.edition_writer)

#: The template folders, one per kind of output (``theme copy --format`` offers these).
TEMPLATE_FOLDERS: tuple[str, ...] = tuple(dict.fromkeys(f.templates for f in FORMATS))


def formats() -> list[str]:
    """Every format name."""
    return list(BY_NAME)


def get_format(name: str) -> Format:
    """The format called ``name``; ``ValueError`` naming the choices for an unknown one."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise ValueError(f"unknown format '{name}' (choose from {', '.join(BY_NAME)})"
                         ) from None


@overload
def writer_for(name: str, document: Briefing) -> Writer[Briefing]: ...
@overload
def writer_for(name: str, document: Edition) -> Writer[Edition]: ...


def writer_for(name: str, document: Document) -> Writer[Briefing] | Writer[Edition]:
    """The writer of ``document`` (a briefing or an edition) in format ``name``."""
    return get_format(name).writer(document)


def render(name: str, document: Document, ctx: RenderContext) -> bytes | str:
    """``document`` in format ``name``, rendered once per export (see
    :meth:`RenderContext.render_with`)."""
    if isinstance(document, Edition):
        return ctx.render_with(get_format(name).edition(), document)
    return ctx.render_with(get_format(name).briefing(), document)


def _load(target: str | type[Any]) -> type[Any]:
    if not isinstance(target, str):
        return target
    module, attr = target.split(":")
    cls: type[Any] = getattr(importlib.import_module(module), attr)
    return cls

