"""``init`` and ``theme copy``: starting points written into an editor's folder."""

from __future__ import annotations

from pathlib import Path

import click

from briefexport.cli.group import main
from briefexport.cli.report import Reporter
from briefexport.errors import BriefexportError
from briefexport.writers import TEMPLATE_FOLDERS


@main.command()
@click.argument("folder", required=False, default=Path("."),
                type=click.Path(path_type=Path, file_okay=False))
@click.option("--force", is_flag=True, help="Overwrite the files if they exist.")
def init(folder: Path, force: bool) -> None:
    """Start a desk's FOLDER (default: here): a commented briefexport.toml listing every
    setting, an example briefing and an empty theme/ folder.

    Existing files are never overwritten unless --force is given.
    """
    from briefexport.commands import scaffold

    reporter = Reporter()
    try:
        written = scaffold.init(folder, force=force)
    except BriefexportError as exc:
        reporter.fail(exc)
    for path in written:
        reporter.result(f"{path}/" if path.is_dir() else path)
    example = written[1]
    reporter.note(f"Next: briefexport preview {example}   (or: briefexport export {example})")


@main.group()
def theme() -> None:
    """Work with theme folders (templates and styles that override the built-in ones)."""


@theme.command("copy")
@click.argument("folder", required=False, default=Path("theme"),
                type=click.Path(path_type=Path, file_okay=False))
@click.option("--format", "fmt", type=click.Choice(TEMPLATE_FOLDERS),
              help="Copy only this format's templates (pdf includes the stylesheets).  "
                   "[default: all]")
@click.option("--force", is_flag=True, help="Overwrite files already in FOLDER.")
def theme_copy(folder: Path, fmt: str | None, force: bool) -> None:
    """Copy the built-in templates and styles into FOLDER (default: theme/) to edit them.

    FOLDER then mirrors the built-in layout (templates/<format>/..., styles/...).  Use it with
    --theme FOLDER or [theme] dir in briefexport.toml.  A copied template may also be cut down
    to the one block it changes: {% extends "!default/pdf/report.html.j2" %} ...
    """
    from briefexport.commands import scaffold

    reporter = Reporter()
    try:
        written = scaffold.copy_theme(folder, [fmt] if fmt else None, force=force)
    except BriefexportError as exc:
        reporter.fail(exc)
    reporter.files(written)
