"""The ``briefexport`` command group; each module of :mod:`briefexport.cli` adds to it.

A command's module is imported when the command is run, completed or listed (``--help``), not
at every start: a text-only export then loads neither the copies nor the live-preview code
(about 5 ms of a 150 ms run).
"""

from __future__ import annotations

import gc
import importlib

import click

from briefexport.cli.options import print_version

#: Set by the console script, which starts with the cyclic garbage collector off
#: (:func:`briefexport.__main__.run`); :func:`main` turns it back on.
collector_paused = False

#: Each command, and the module of :mod:`briefexport.cli` that defines it.
COMMANDS: dict[str, str] = {
    "check": "check",
    "copies": "copies",
    "edition": "export",
    "export": "export",
    "init": "desk",
    "preview": "live",
    "theme": "desk",
    "watch": "live",
}


class LazyGroup(click.Group):
    """A group whose commands are defined in modules imported on first use (:data:`COMMANDS`)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *super().list_commands(ctx)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            importlib.import_module(f"briefexport.cli.{COMMANDS[cmd_name]}")
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True,
              callback=print_version, help="Show the version and exit.")
def main() -> None:
    """Render risk-intelligence briefings into a PDF report, an HTML email and wire text.

    BRIEFEXPORT_NOW (ISO 8601 with a time zone) sets the moment embargoes are judged at.
    """
    global collector_paused
    if collector_paused:
        # Start-up is over: what it made lives as long as the process, so it is moved out of
        # the collector's reach (gc.freeze, CPython's) before the collector runs for the
        # command's work.  The little cyclic garbage among it (about 80 KB) is kept too: a
        # full collection first would cost more than it frees.
        collector_paused = False
        if hasattr(gc, "freeze"):
            gc.freeze()
        gc.enable()
    from briefexport.render.clock import now

    try:
        now()  # a bad BRIEFEXPORT_NOW is a usage error before any work, not a traceback later
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
