"""The wire text of an edition: one document, one ``ENDS``.

Link references are numbered across the whole edition (two stories citing one URL share its
number) with one list at the end, or per story (``[edition] text_references = "story"``).
"""

from __future__ import annotations

from briefexport.model import Edition
from briefexport.render.context import RenderContext
from briefexport.render.handling import document_embargo, notice
from briefexport.render.references import References
from briefexport.render.templating import render
from briefexport.writers.text.wire import (
    TextRenderer,
    closing_lines,
    finish,
    marking_line,
    story_lines,
    wrap,
)


class EditionTextWriter:
    """Edition → wire text."""

    template = "text/edition.txt.j2"

    def render(self, edition: Edition, ctx: RenderContext) -> str:
        edition = edition.for_output("wire")
        width = ctx.settings.text.width
        per_story = ctx.settings.edition.text_references == "story"
        shared = References()
        ascii_only = ctx.settings.wire.ascii
        intro = TextRenderer(width, shared, ascii_only=ascii_only)
        intro_lines = intro.blocks(edition.intro)
        stories = []
        for index, briefing in enumerate(edition.briefings):
            renderer = TextRenderer(width, References() if per_story else shared,
                                    ascii_only=ascii_only)
            stories.append({
                "briefing": briefing,
                "meta": briefing.meta,
                **story_lines(briefing, renderer, f"{index + 1}. "),
                "references": renderer.refs.items() if per_story else [],
            })
        contents = [line for i, b in enumerate(edition.briefings)
                    for line in wrap(intro.plain(b.meta.headline), width, f"{i + 1}. ",
                                     " " * len(f"{i + 1}. "))]
        text = render(
            self.template, ctx.settings.themes,
            edition=edition,
            marking_line=intro.plain(marking_line(edition.marking, edition.classification)
                                     or ""),
            embargo=notice(document_embargo(edition)),
            heading=wrap(intro.plain(edition.heading), width),
            intro=intro_lines,
            contents=contents,
            stories=stories,
            references=shared.items(),  # per story: only the introduction's links
            closing=closing_lines(ctx.settings.brand, intro),
            width=width,
            settings=ctx.settings,
        )
        return finish(text, intro)
