"""The command line: click commands and options only; the work is in :mod:`briefexport.api`,
:mod:`briefexport.pipeline` and :mod:`briefexport.commands`.

``main`` (the console script) is the group of :mod:`.group`; each command module adds its
commands to it when imported here.
"""

from __future__ import annotations

from briefexport.cli import check, copies, desk, export, live
from briefexport.cli.group import main

__all__ = ["check", "copies", "desk", "export", "live", "main"]
