"""``export`` and ``edition``: sources in, files out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import click

from briefexport.choices import EMAIL_MODES
from briefexport.cli.group import main
from briefexport.cli.options import (
    ascii_option,
    command_settings,
    config_option,
    esp_option,
    formats_option,
    ignore_embargo_option,
    max_size_option,
    output_option,
    pdf_variant_option,
    theme_option,
    tier_option,
    width_option,
)
from briefexport.cli.report import Reporter
from briefexport.config import EditionSettings
from briefexport.errors import BriefexportError
from briefexport.limits import MAX_SOURCE_BYTES

_DATE = click.DateTime(["%Y-%m-%d"])


@main.command()
@click.argument("sources", nargs=-1, required=True,
                type=click.Path(path_type=Path, dir_okay=True))
@output_option
@formats_option()
@config_option
@click.option("--strict", is_flag=True,
              help="Treat warnings (e.g. unresolved placeholder links) as errors.")
@width_option()
@esp_option
@click.option("--date", "default_date", type=_DATE, default=None,
              help="Date for briefings whose front matter gives none (YYYY-MM-DD).")
@pdf_variant_option
@click.option("--send-date", default=None, metavar="ISO-8601",
              help="The .eml's Date header, with a time zone (2026-12-03T06:00:00Z).  "
                   "[default: [email] send_date, else the moment it is built]")
@click.option("--allow-remote", is_flag=True, default=None,
              help="Let the PDF fetch http(s) images and styles (redirects are never followed).")
@ascii_option
@ignore_embargo_option
@tier_option
@theme_option
@max_size_option
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help="Worker processes for a batch; 1 exports in this process.  "
                   "[default: the number of CPUs]")
@click.option("-q", "--quiet", is_flag=True,
              help="No progress bar, no list of written files; errors and warnings only.")
@click.option("--fail-fast", is_flag=True,
              help="Stop at the first source that fails instead of exporting the others.")
def export(sources: Sequence[Path], out_dir: Path, formats: tuple[str, ...],
           config_path: Path | None, strict: bool, width: int | None, esp: str | None,
           default_date: dt.datetime | None, pdf_variant: str | None = None,
           send_date: str | None = None, allow_remote: bool | None = None,
           ascii_only: bool | None = None, ignore_embargo: bool | None = None,
           tier: str | None = None, themes: tuple[Path, ...] = (),
           max_bytes: int = MAX_SOURCE_BYTES, jobs: int | None = None, quiet: bool = False,
           fail_fast: bool = False) -> None:
    """Export each SOURCE briefing to PDF, HTML email and wire text.

    A SOURCE is a file, a folder (searched recursively for *.md and *.txt) or a glob pattern.
    Output files are named after the source: mali.txt gives out/mali.pdf, out/mali.html
    and out/mali.txt; sources that share a name keep their folders under the output folder.
    Exit status: 0 when every source exported, 1 when one failed (the others are still
    exported, unless --fail-fast), 2 on a usage error.
    """
    from briefexport.commands import batch
    from briefexport.pipeline import ExportOptions

    settings = command_settings(config_path, themes, {
        "text.width": width, "pdf.variant": pdf_variant, "pdf.allow_remote": allow_remote,
        "email.esp": esp, "email.send_date": send_date, "wire.ascii": ascii_only,
        "email.ignore_embargo": ignore_embargo, "tiers.tier": tier})
    options = ExportOptions(out_dir=out_dir, formats=formats, strict=strict,
                            default_date=default_date.date() if default_date else None,
                            max_bytes=max_bytes)
    tasks = batch.plan(batch.expand(sources), out_dir)
    reporter = Reporter(quiet)
    reporter.start_progress(len(tasks))
    failed = exported = 0
    try:
        for result in batch.run(tasks, settings, options, jobs=jobs or batch.default_jobs(),
                                fail_fast=fail_fast, on_done=reporter.advance):
            if reporter.export_result(result):
                exported += 1
            else:
                failed += 1
    finally:
        reporter.end_progress()
    skipped = len(tasks) - exported - failed
    if len(tasks) > 1 and (failed or not quiet):
        summary = f"{exported} exported, {failed} failed"
        if skipped:
            summary += f", {skipped} not attempted (--fail-fast)"
        reporter.note(summary)
    if failed:
        raise SystemExit(1)


@main.command()
@click.argument("sources", nargs=-1, required=True,
                type=click.Path(path_type=Path, dir_okay=True))
@click.option("--title", help="Edition title; the SOURCES are then its briefings, in order.")
@click.option("--number", help="Edition number (with --title).")
@click.option("--intro", "intro_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Markdown file with the editor's introduction (with --title).")
@click.option("--name", help="Output file stem (with --title).  [default: from the title]")
@output_option
@formats_option(editions=True)
@config_option
@esp_option
@click.option("--email-mode", type=click.Choice(EMAIL_MODES),
              help="Stories in full or as teasers in the email.  "
                   f"[default: {EditionSettings.email_mode}]")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--date", "edition_date", type=_DATE, default=None,
              help="Edition date (with --title), also that of its briefings without one.  "
                   "[default: the newest briefing's]")
@pdf_variant_option
@ascii_option
@tier_option
@theme_option
def edition(sources: Sequence[Path], title: str | None, number: str | None,
            intro_path: Path | None, name: str | None, out_dir: Path,
            formats: tuple[str, ...], config_path: Path | None, esp: str | None,
            email_mode: str | None, strict: bool, edition_date: dt.datetime | None,
            themes: tuple[Path, ...], pdf_variant: str | None = None,
            ascii_only: bool | None = None, tier: str | None = None) -> None:
    """Bundle briefings into a newsletter edition: one PDF, one email, one wire text.

    Each SOURCE is an edition file (TOML: title, number, date, intro, briefings), or,
    with --title, a briefing of one edition made on the spot:

        briefexport edition mali.txt niger.md --title "Sahel Weekly" --number 12
    """
    from briefexport.model import Edition
    from briefexport.pipeline import ExportOptions, export_edition
    from briefexport.source.edition import make_edition

    reporter = Reporter()
    settings = command_settings(config_path, themes, {"edition.email_mode": email_mode,
                                                      "email.esp": esp,
                                                      "pdf.variant": pdf_variant,
                                                      "wire.ascii": ascii_only,
                                                      "tiers.tier": tier})
    options = ExportOptions(out_dir=out_dir, formats=formats, strict=strict)
    targets: list[Edition | Path]
    if title is None:
        if number or intro_path or name or edition_date:
            raise click.UsageError("--number, --intro, --name and --date go with --title")
        targets = list(sources)
    else:
        try:
            targets = [make_edition(sources, settings, title=title, number=number,
                                    intro_path=intro_path, name=name,
                                    date=edition_date.date() if edition_date else None)]
        except BriefexportError as exc:
            reporter.fail(exc)
    results = [reporter.export_result(export_edition(target, settings, options))
               for target in targets]
    if not all(results):
        raise SystemExit(1)
