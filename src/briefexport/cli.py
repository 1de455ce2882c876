"""The command line: click commands and options only; the work is in :mod:`briefexport.api`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from briefexport import __version__
from briefexport.errors import BriefexportError


def fail(message: str, code: int = 1) -> None:
    """Print one ``briefexport: error:`` line and exit; no traceback."""
    click.echo(f"briefexport: error: {message}", err=True)
    sys.exit(code)


def warn(message: object) -> None:
    """Print one ``briefexport: warning:`` line."""
    click.echo(f"briefexport: warning: {message}", err=True)


def parse_formats(ctx: click.Context, param: click.Parameter, value: str | None
                  ) -> tuple[str, ...]:
    """``pdf,html`` → ``("pdf", "html")``, refusing unknown names as a usage error."""
    from briefexport.writers import DEFAULT_FORMATS, formats

    if value is None:
        return DEFAULT_FORMATS
    names = tuple(dict.fromkeys(v.strip().lower() for v in value.split(",") if v.strip()))
    unknown = [n for n in names if n not in formats()]
    if unknown or not names:
        raise click.BadParameter(
            f"unknown format {', '.join(repr(u) for u in unknown) or 'list'}; "
            f"choose from {', '.join(formats())}")
    return names


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="briefexport")
def main() -> None:
    """Render risk-intelligence briefings into a PDF report, an HTML email and wire text."""


@main.command()
@click.argument("sources", nargs=-1, required=True,
                type=click.Path(path_type=Path, dir_okay=True))
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("out"), show_default=True, help="Folder for the output files.")
@click.option("-f", "--formats", "formats", callback=parse_formats, metavar="LIST",
              help="Comma-separated formats: pdf, html, txt.  [default: all three]")
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Configuration file.  [default: ./briefexport.toml if present]")
@click.option("--strict", is_flag=True,
              help="Treat warnings (e.g. unresolved placeholder links) as errors.")
@click.option("--width", type=click.IntRange(20, 200), default=None,
              help="Wrap width of the wire text.  [default: 69]")
@click.option("--date", "default_date", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Date for briefings whose front matter gives none (YYYY-MM-DD).")
@click.option("--pdf-variant", type=click.Choice(["pdf/ua-1", "pdf/a-3b", "pdf/a-3a"]),
              default=None, help="Make the PDF conform to PDF/UA-1 or PDF/A-3 "
              "(A-3 embeds the source and the wire text).  [default: [pdf] variant, "
              "else a tagged PDF]")
@click.option("--allow-remote", is_flag=True, default=None,
              help="Let the PDF fetch http(s) images and styles (redirects are never followed).")
def export(sources: Sequence[Path], out_dir: Path, formats: tuple[str, ...],
           config_path: Path | None, strict: bool, width: int | None,
           default_date: dt.datetime | None, pdf_variant: str | None = None,
           allow_remote: bool | None = None) -> None:
    """Export each SOURCE briefing to PDF, HTML email and wire text.

    Output files are named after the source: mali.txt gives out/mali.pdf, out/mali.html
    and out/mali.txt.  Exit status: 0 when every source exported, 1 when one failed,
    2 on a usage error.
    """
    from briefexport.api import ExportOptions, export_one
    from briefexport.config import load_settings
    from briefexport.model import Diagnostic

    config_warnings: list[Diagnostic] = []
    try:
        settings = load_settings(config_path, warnings=config_warnings)
    except BriefexportError as exc:
        fail(str(exc))
    for w in config_warnings:
        warn(w)
    if width is not None:
        settings = settings.replace(text=dataclasses.replace(settings.text, width=width))
    if pdf_variant is not None:
        settings = settings.replace(pdf=dataclasses.replace(settings.pdf, variant=pdf_variant))
    if allow_remote:
        settings = settings.replace(pdf=dataclasses.replace(settings.pdf, allow_remote=True))
    options = ExportOptions(out_dir=out_dir, formats=formats, strict=strict,
                            default_date=default_date.date() if default_date else None)
    failed = 0
    for source in sources:
        result = export_one(source, settings, options)
        for w in result.warnings:
            warn(w)
        if result.error:
            failed += 1
            click.echo(f"briefexport: error: {result.error}", err=True)
        for path in result.files:
            click.echo(str(path))
    if len(sources) > 1:
        click.echo(f"{len(sources) - failed} exported, {failed} failed", err=True)
    if failed:
        sys.exit(1)
