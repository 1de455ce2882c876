"""What every writer is handed besides the document: the settings, a sink for warnings, and
the outputs already rendered for the same export, so that no format is rendered twice."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from briefexport.config import Settings
from briefexport.model import Briefing, Diagnostic, Document, Edition, Recipient
from briefexport.record import record

D = TypeVar("D", Briefing, Edition)
D_contra = TypeVar("D_contra", Briefing, Edition, contravariant=True)


class Writer(Protocol[D_contra]):
    """Turns one document into one format's bytes or text; never opens an output file."""

    def render(self, document: D_contra, ctx: RenderContext) -> bytes | str:
        """Render ``document``; add warnings to ``ctx``; raise ``RenderError`` on failure."""
        ...


@record
class _Rendered:
    writer: Any
    document: Any  # held so that the ids keying it stay this document's and writer's
    output: bytes | str
    warnings: tuple[Diagnostic, ...]


@dataclass
class RenderContext:
    """The settings a document is rendered with, and the warnings rendering it raised."""

    settings: Settings
    warnings: list[Diagnostic] = field(default_factory=list)
    rendered: dict[tuple[int, int], _Rendered] = field(default_factory=dict, repr=False)
    """Outputs rendered so far in this export, by (writer, document); shared with nested
    contexts, so the ``.eml`` reuses the email the ``html`` format rendered, and the other
    way round."""
    recipient: Recipient | None = None
    """Who this copy is for; ``None`` in a plain export."""

    def warn(self, origin: Document, message: str, code: str = "warning",
             line: int | None = None) -> None:
        """Record a warning about ``origin`` (a briefing or an edition)."""
        self.warnings.append(Diagnostic(str(origin.source), line, message, code))

    def render_with(self, writer: Writer[D], document: D, *, report: bool = True
                    ) -> bytes | str:
        """``writer``'s output for ``document``, rendered once per export.

        With ``report``, the render's warnings join this context's, but for those it holds
        already (the ``.eml`` reports nothing the ``html`` format it reuses has reported);
        without, they stay with the output, to be reported when a format that owns them asks
        for it.
        """
        key = (id(writer), id(document))
        done = self.rendered.get(key)
        if done is None:
            nested = RenderContext(self.settings, rendered=self.rendered,
                                   recipient=self.recipient)
            output = writer.render(document, nested)
            done = self.rendered[key] = _Rendered(writer, document, output,
                                                  tuple(nested.warnings))
        if report:
            known = list(self.warnings)
            self.warnings.extend(w for w in done.warnings if w not in known)
        return done.output
