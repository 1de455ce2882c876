"""What a batch's workers load before their first task, loaded once, in the fork server.

A pool's workers are forked from the fork server (see :mod:`briefexport.commands.batch`), so
they start with what it holds.  Importing this module there imports every writer's module and
the libraries the writers import only when first used (WeasyPrint with its native libraries,
the MJML binding, segno, pydyf), then renders a small briefing in the default formats: the
writers' fonts, parsed stylesheets, compiled templates and hyphenation dictionaries are then
built once, not again in each worker before its first task (about 0.8 s a worker).

Forking after a render is safe here because a render leaves no thread behind (WeasyPrint,
Pango and fontconfig start none): a worker never inherits a lock another thread held.  Whatever
fails is left out: a writer that cannot load reports it on each of its tasks, in the worker, as
it would without the fork server's help.
"""

from __future__ import annotations

import gc
import importlib
from collections.abc import Callable
from functools import partial
from pathlib import Path

from briefexport.config import Settings
from briefexport.writers import DEFAULT_FORMATS, FORMATS
from briefexport.writers.pdf.weasyload import import_weasyprint

#: Imported by the writers on first use, rather than when their module is.
LAZY_IMPORTS = ("mjml", "segno", "pydyf")

#: Rendered once to warm the writers: a headline, a linked paragraph (a footnote in the PDF),
#: a list and a call to action (a QR code).
WARM_UP = """---
title: Warm-up briefing
slug: WARM-UP
date: 2026-01-01
---

A first paragraph, with a [link](https://example.org/one) and *emphasis*.

## A heading

- An item of a list.
- Another item.

[Client Portal >>](https://example.org/portal)
"""


def warm_up() -> None:
    """Render :data:`WARM_UP` in the default formats, in memory."""
    from briefexport.pipeline import Rendering
    from briefexport.source.briefing import parse

    settings = Settings()
    Rendering(parse(WARM_UP, Path("warm-up.md"), settings), settings).render(*DEFAULT_FORMATS)


def preload() -> None:
    """Import every writer's module and what the writers import lazily, then warm them."""
    modules = [target.partition(":")[0] for fmt in FORMATS
               for target in (fmt.briefing_writer, fmt.edition_writer)
               if isinstance(target, str)]
    steps: list[Callable[[], object]] = [import_weasyprint]
    steps += [partial(importlib.import_module, name) for name in (*modules, *LAZY_IMPORTS)]
    steps.append(warm_up)
    for step in steps:
        try:
            step()
        except Exception:  # reported per task by the worker (see above)
            continue
    # What is loaded now lives as long as the workers: out of the cyclic collector's reach
    # (gc.freeze, CPython's), a worker's collections neither traverse it nor copy the pages it
    # lies on.  The warm-up's cyclic garbage (about 0.3 MB) is kept too: collecting it first
    # would add some 0.1 s before the first worker can start.
    if hasattr(gc, "freeze"):
        gc.freeze()


preload()
