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


def printable(text: object) -> str:
    """``text`` with control characters escaped: source text must not drive the terminal."""
    return "".join(ch if ch.isprintable() or ch == " " else ascii(ch)[1:-1]
                   for ch in str(text))


def fail(message: str, code: int = 1) -> None:
    """Print one ``briefexport: error:`` line and exit; no traceback."""
    click.echo(f"briefexport: error: {printable(message)}", err=True)
    sys.exit(code)


def warn(message: object) -> None:
    """Print one ``briefexport: warning:`` line."""
    click.echo(f"briefexport: warning: {printable(message)}", err=True)


def max_size_bytes(ctx: click.Context, param: click.Parameter, value: float | None
                   ) -> int:
    """``--max-size`` in megabytes → bytes (the reader's default when not given)."""
    from briefexport.reader import DEFAULT_MAX_BYTES

    return DEFAULT_MAX_BYTES if value is None else int(value * 1_048_576)


max_size_option = click.option(
    "--max-size", "max_bytes", type=click.FloatRange(min=0, min_open=True), default=None,
    callback=max_size_bytes, metavar="MB",
    help="Refuse sources larger than this many megabytes.  [default: 5]")


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
@max_size_option
def export(sources: Sequence[Path], out_dir: Path, formats: tuple[str, ...],
           config_path: Path | None, strict: bool, width: int | None,
           default_date: dt.datetime | None, max_bytes: int) -> None:
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
    options = ExportOptions(out_dir=out_dir, formats=formats, strict=strict,
                            default_date=default_date.date() if default_date else None,
                            max_bytes=max_bytes)
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
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Configuration file.  [default: ./briefexport.toml if present]")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]),
              default="text", show_default=True, help="Report for people, or JSON for CI.")
@click.option("--strict", is_flag=True, help="Fail on warnings too, not only on errors.")
@click.option("--width", type=click.IntRange(20, 200), default=None,
              help="Wrap width of the wire text to check against.  [default: 69]")
@max_size_option
def check(sources: Sequence[Path], config_path: Path | None, output_format: str,
          strict: bool, width: int | None, max_bytes: int) -> None:
    """Preflight each SOURCE briefing without writing any file.

    Reports unresolved and unsafe links, calls to action without a URL, missing metadata,
    leftover TK/TODO/XXX, the email's size and wire-text lines that cannot be wrapped, each
    with its line and a fix.  Exit status: 0 clean, 1 an error (or, with --strict, a
    warning), 2 a usage error.
    """
    import json

    from briefexport.config import load_settings
    from briefexport.model import Diagnostic
    from briefexport.preflight import check_source, has_failures

    config_warnings: list[Diagnostic] = []
    try:
        settings = load_settings(config_path, warnings=config_warnings)
    except BriefexportError as exc:
        fail(str(exc))
    for w in config_warnings:
        warn(w)
    if width is not None:
        settings = settings.replace(text=dataclasses.replace(settings.text, width=width))
    reports = [(source, check_source(source, settings, max_bytes=max_bytes))
               for source in sources]
    findings = [f for _, found in reports for f in found]
    failed = has_failures(findings, strict=strict)
    counts = {s: sum(f.severity == s for f in findings) for s in ("error", "warning", "info")}
    if output_format == "json":
        click.echo(json.dumps({
            "ok": not failed,
            "strict": strict,
            "counts": counts,
            "files": [{"path": str(source), "ok": not has_failures(found, strict=strict),
                       "findings": [f.to_dict() for f in found]}
                      for source, found in reports],
        }, indent=2, ensure_ascii=False))
    else:
        for source, found in reports:
            shown = [f for f in found if f.severity != "info"]
            for f in shown:
                click.echo(printable(f))
                click.echo(f"    fix: {printable(f.hint)}")
            infos = "; ".join(f.message for f in found if f.severity == "info")
            verdict = "FAIL" if has_failures(found, strict=strict) else "ok"
            click.echo(printable(f"{source}: {verdict}: "
                                 f"{sum(f.severity == 'error' for f in found)} error(s), "
                                 f"{sum(f.severity == 'warning' for f in found)} warning(s)"
                                 + (f"; {infos}" if infos else "")))
        if len(reports) > 1:
            click.echo(f"{len(reports)} files checked: {counts['error']} error(s), "
                       f"{counts['warning']} warning(s)")
    if failed:
        sys.exit(1)
