"""The command line: click commands and options only; the work is in :mod:`briefexport.api`,
:mod:`briefexport.pipeline` and :mod:`briefexport.commands`.

``main`` is the group; each module below adds its commands to it.
"""

from __future__ import annotations

import click

from briefexport.cli.options import print_version


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True,
              callback=print_version, help="Show the version and exit.")
def main() -> None:
    """Render risk-intelligence briefings into a PDF report, an HTML email and wire text."""


# Imported for their commands, which register themselves on `main`.
from briefexport.cli import check, desk, export, live  # noqa: E402, F401
