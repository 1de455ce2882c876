"""The command line: click commands and options only; the work is in :mod:`briefexport.api`,
:mod:`briefexport.pipeline` and :mod:`briefexport.commands`.

``main`` (the console script) is the group of :mod:`.group`; each command module adds its
commands to it when the group first needs them (:data:`.group.COMMANDS`).
"""

from __future__ import annotations

from briefexport.cli.group import main

__all__ = ["main"]
