"""The ``briefexport`` command group; each module of :mod:`briefexport.cli` adds to it."""

from __future__ import annotations

import click

from briefexport.cli.options import print_version


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True,
              callback=print_version, help="Show the version and exit.")
def main() -> None:
    """Render risk-intelligence briefings into a PDF report, an HTML email and wire text.

    BRIEFEXPORT_NOW (ISO 8601 with a time zone) sets the moment embargoes are judged at.
    """
    from briefexport.render.clock import now

    try:
        now()  # a bad BRIEFEXPORT_NOW is a usage error before any work, not a traceback later
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
