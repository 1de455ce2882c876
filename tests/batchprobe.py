"""Helpers that run inside process-pool workers (importable there by name, unlike test modules).

They count how often a worker builds its expensive objects while it exports several documents
through the real worker code of :mod:`briefexport.commands.batch`.
"""

from __future__ import annotations

import os
from collections import Counter
from typing import Any

COUNTS: Counter[str] = Counter()


def init(settings: Any, options: Any) -> None:
    """Install counters on WeasyPrint, then run the real worker initializer."""
    import weasyprint
    import weasyprint.text.fonts as fonts

    from briefexport.commands import batch

    class CountingFontConfiguration(fonts.FontConfiguration):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            COUNTS["FontConfiguration"] += 1
            super().__init__(*args, **kwargs)

    class CountingCSS(weasyprint.CSS):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            COUNTS["CSS"] += 1
            super().__init__(*args, **kwargs)

    fonts.FontConfiguration = CountingFontConfiguration  # type: ignore[misc]
    weasyprint.CSS = CountingCSS  # type: ignore[misc]
    batch._init_worker(settings, options)


def task(item: Any) -> tuple[int, bool, dict[str, int]]:
    """Export one task with the real worker function; report this process's counts."""
    from briefexport.commands import batch
    from briefexport.render import templating
    from briefexport.source import markdown

    result = batch._worker_task(item)
    counts = dict(COUNTS)
    counts["jinja_environments"] = templating.environment.cache_info().misses
    counts["markdown_parsers"] = markdown.parser.cache_info().misses
    return os.getpid(), result.ok, counts


class CrashWriter:
    """A writer that kills its process on a source named ``crash-me``: a stand-in for a native
    crash or the out-of-memory killer."""

    def render(self, briefing: Any, ctx: Any) -> str:
        if "crash-me" in briefing.source.name:
            os._exit(3)
        return "survived\n"
