"""``copies``: one copy of each briefing per client, locally or on a Dask cluster."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from briefexport.cli.group import main
from briefexport.cli.options import (
    command_settings,
    complete_formats,
    config_option,
    output_option,
    parse_formats,
    theme_option,
)
from briefexport.cli.report import Reporter
from briefexport.commands.copies import DEFAULT_FORMATS
from briefexport.config import BatchSettings
from briefexport.errors import BriefexportError

if TYPE_CHECKING:
    from briefexport.commands.copies.run import Outcome

_DEFAULT_FORMATS = ",".join(DEFAULT_FORMATS)


def _copy_formats(ctx: click.Context, param: click.Parameter, value: str | None
                  ) -> tuple[str, ...]:
    return parse_formats(ctx, param, value or _DEFAULT_FORMATS)


@main.command()
@click.argument("sources", nargs=-1, required=True,
                type=click.Path(path_type=Path, dir_okay=True))
@click.option("--recipients", "recipients_path", required=True,
              type=click.Path(path_type=Path, dir_okay=False),
              help="The clients: CSV with a header row, or TOML with a [[recipient]] table "
                   "each (id, name, organisation, email, tier).")
@output_option
@click.option("-f", "--formats", "formats", callback=_copy_formats, metavar="LIST",
              shell_complete=complete_formats,
              help=f"Comma-separated formats of each copy.  [default: {_DEFAULT_FORMATS}]")
@config_option
@theme_option
@click.option("--date", "default_date", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Date for briefings whose front matter gives none (YYYY-MM-DD).  "
                   "[default: the source file's date]")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help="Worker processes of the local pool.  [default: the number of CPUs]")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="Run on a Dask cluster (tcp://HOST:PORT) instead of the local pool; "
                   "needs pip install 'briefexport[dask]'.  [default: [batch] scheduler]")
@click.option("--resume", is_flag=True,
              help="Keep the copies the manifest records whose inputs are unchanged and whose "
                   "files are still there; make the others.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True),
              default=None, metavar="SECONDS",
              help="Fail a document that takes longer than this to render (the others go on).  "
                   f"[default: [batch] timeout, else {BatchSettings.timeout:g}]")
@click.option("-q", "--quiet", is_flag=True,
              help="No progress bar, no list of written files; errors and warnings only.")
def copies(sources: Sequence[Path], recipients_path: Path, out_dir: Path,
           formats: tuple[str, ...], config_path: Path | None, themes: tuple[Path, ...],
           default_date: dt.datetime | None, jobs: int | None, scheduler: str | None,
           resume: bool, timeout: float | None, quiet: bool) -> None:
    """Make a copy of each SOURCE for each client of the recipients file.

    Each copy goes to DIR/<recipient id>/<stem>.<ext>, with the client's tier, watermark and
    personal links, and is recorded in DIR/manifest.jsonl.  Exit status: 0 when every copy
    was written (or skipped: a briefing above the client's tier), 1 when one failed (the
    others are still written), 2 on a usage error.
    """
    from briefexport.commands import batch
    from briefexport.commands.copies import run

    reporter = Reporter(quiet)
    settings = command_settings(config_path, themes, {"batch.scheduler": scheduler,
                                                      "batch.timeout": timeout})
    try:
        prepared = run.prepare(sources, recipients_path, out_dir, settings, formats,
                               scheduler=settings.batch.scheduler,
                               jobs=jobs or batch.default_jobs(),
                               resume=resume, timeout=settings.batch.timeout,
                               default_date=default_date.date() if default_date else None)
    except BriefexportError as exc:
        reporter.fail(exc)
    reporter.start_progress(prepared.plan.total, label="Copying")
    outcomes = []
    seen_warnings: set[str] = set()
    try:
        for outcome in run.execute(prepared, on_done=lambda o: _advance(reporter, o)):
            outcomes.append(outcome)
            for warning in outcome.warnings:
                if warning not in seen_warnings:  # the same for every recipient: once
                    seen_warnings.add(warning)
                    reporter.warning(warning)
            if outcome.state == "failed":
                reporter.error(_failure(outcome))
            elif outcome.state == "skipped" and not quiet:
                reporter.note(f"{outcome.source}: skipped for {outcome.recipient}: "
                              f"{outcome.message}")
            if outcome.state == "written":
                reporter.files(out_dir / path for path in outcome.files)
    except BriefexportError as exc:
        reporter.end_progress()
        reporter.fail(exc)
    finally:
        reporter.end_progress()
    totals = run.count(outcomes)
    if totals["failed"] or not quiet:
        reporter.note(f"{totals['written']} written, {totals['resumed']} skipped (resume), "
                      f"{totals['skipped']} skipped (tier or withheld), "
                      f"{totals['failed']} failed")
    if totals["failed"]:
        raise SystemExit(1)


def _advance(reporter: Reporter, outcome: Outcome) -> None:
    for _ in range(outcome.copies):
        reporter.advance()


def _failure(outcome: Outcome) -> str:
    """One line: the source (and line), the recipient, the problem."""
    message = outcome.message or "failed"
    if outcome.recipient is None:
        return f"{message} (no copy for any recipient)"
    return f"{message} (copy for {outcome.recipient})"
