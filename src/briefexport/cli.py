"""The command line: click commands and options only; the work is in :mod:`briefexport.api`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from briefexport import __version__
from briefexport.config import PDF_VARIANTS
from briefexport.errors import BriefexportError
from briefexport.esp import PROFILES as ESP_PROFILES


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


def parse_edition_formats(ctx: click.Context, param: click.Parameter, value: str | None
                          ) -> tuple[str, ...]:
    """As :func:`parse_formats`, limited to the formats an edition has writers for."""
    from briefexport.writers import EDITION_REGISTRY

    names = parse_formats(ctx, param, value)
    unknown = [n for n in names if n not in EDITION_REGISTRY]
    if unknown:
        raise click.BadParameter(
            f"format {', '.join(repr(u) for u in unknown)} is not available for editions; "
            f"choose from {', '.join(EDITION_REGISTRY)}")
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
              help="Comma-separated formats: pdf, html, txt, eml.  [default: pdf,html,txt]")
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Configuration file.  [default: ./briefexport.toml if present]")
@click.option("--strict", is_flag=True,
              help="Treat warnings (e.g. unresolved placeholder links) as errors.")
@click.option("--width", type=click.IntRange(20, 200), default=None,
              help="Wrap width of the wire text.  [default: 69]")
@click.option("--esp", type=click.Choice(list(ESP_PROFILES)), default=None,
              help="Campaign tool whose unsubscribe tags the email carries.  [default: generic]")
@click.option("--date", "default_date", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Date for briefings whose front matter gives none (YYYY-MM-DD).")
@click.option("--pdf-variant", type=click.Choice(PDF_VARIANTS),
              default=None, help="Make the PDF conform to PDF/UA-1 or PDF/A-3 "
              "(A-3 embeds the source and the wire text).  [default: [pdf] variant, "
              "else a tagged PDF]")
@click.option("--allow-remote", is_flag=True, default=None,
              help="Let the PDF fetch http(s) images and styles (redirects are never followed).")
def export(sources: Sequence[Path], out_dir: Path, formats: tuple[str, ...],
           config_path: Path | None, strict: bool, width: int | None, esp: str | None,
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
    if esp is not None:
        settings = settings.replace(email=dataclasses.replace(settings.email, esp=esp))
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


@main.command()
@click.argument("sources", nargs=-1, required=True,
                type=click.Path(path_type=Path, dir_okay=True))
@click.option("--title", help="Edition title; the SOURCES are then its briefings, in order.")
@click.option("--number", help="Edition number (with --title).")
@click.option("--intro", "intro_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Markdown file with the editor's introduction (with --title).")
@click.option("--name", help="Output file stem (with --title).  [default: from the title]")
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("out"), show_default=True, help="Folder for the output files.")
@click.option("-f", "--formats", "formats", callback=parse_edition_formats, metavar="LIST",
              help="Comma-separated formats: pdf, html, txt.  [default: all three]")
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Configuration file.  [default: ./briefexport.toml if present]")
@click.option("--esp", type=click.Choice(list(ESP_PROFILES)), default=None,
              help="Campaign tool whose unsubscribe tags the email carries.  [default: generic]")
@click.option("--email-mode", type=click.Choice(["full", "teaser"]),
              help="Stories in full or as teasers in the email.  [default: full]")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--date", "edition_date", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Edition date (with --title).  [default: the newest briefing's]")
def edition(sources: Sequence[Path], title: str | None, number: str | None,
            intro_path: Path | None, name: str | None, out_dir: Path,
            formats: tuple[str, ...], config_path: Path | None, esp: str | None,
            email_mode: str | None, strict: bool, edition_date: dt.datetime | None) -> None:
    """Bundle briefings into a newsletter edition: one PDF, one email, one wire text.

    Each SOURCE is an edition file (TOML: title, number, date, intro, briefings), or,
    with --title, a briefing of one edition made on the spot:

        briefexport edition mali.txt niger.md --title "Sahel Weekly" --number 12
    """
    from briefexport.api import ExportOptions, export_edition
    from briefexport.config import load_settings
    from briefexport.edition import make_edition
    from briefexport.model import Diagnostic

    config_warnings: list[Diagnostic] = []
    try:
        settings = load_settings(config_path, warnings=config_warnings)
    except BriefexportError as exc:
        fail(str(exc))
    for w in config_warnings:
        warn(w)
    if email_mode:
        settings = settings.replace(
            edition=dataclasses.replace(settings.edition, email_mode=email_mode))
    if esp is not None:
        settings = settings.replace(email=dataclasses.replace(settings.email, esp=esp))
    options = ExportOptions(out_dir=out_dir, formats=formats, strict=strict)
    if title is None:
        if number or intro_path or name or edition_date:
            raise click.UsageError("--number, --intro, --name and --date go with --title")
        targets: list[object] = list(sources)
    else:
        try:
            intro = intro_path.read_text(encoding="utf-8-sig") if intro_path else None
            targets = [make_edition(sources, settings, title=title, number=number,
                                    intro=intro, name=name,
                                    date=edition_date.date() if edition_date else None)]
        except OSError as exc:
            fail(f"{intro_path}: cannot read: {exc.strerror}")
        except BriefexportError as exc:
            fail(str(exc))
    failed = 0
    for target in targets:
        result = export_edition(target, settings, options)  # type: ignore[arg-type]
        for w in result.warnings:
            warn(w)
        if result.error:
            failed += 1
            click.echo(f"briefexport: error: {result.error}", err=True)
        for path in result.files:
            click.echo(str(path))
    if failed:
        sys.exit(1)
