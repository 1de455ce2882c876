"""``check``: the preflight, reported for people or as JSON for CI."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from briefexport.choices import CLIENT_FAMILIES, REPORT_FORMATS
from briefexport.cli.group import main
from briefexport.cli.options import (
    command_settings,
    complete_list,
    config_option,
    max_size_option,
    theme_option,
    tier_option,
    width_option,
)
from briefexport.cli.report import Reporter

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

    from briefexport.commands.check import Finding


def parse_clients(ctx: click.Context, param: click.Parameter, value: str | None
                  ) -> tuple[str, ...] | None:
    """``gmail,outlook`` → ``("gmail", "outlook")``, refusing unknown names as a usage error."""
    if value is None:
        return None
    names = tuple(dict.fromkeys(v.strip().lower() for v in value.split(",") if v.strip()))
    unknown = [n for n in names if n not in CLIENT_FAMILIES]
    if unknown or not names:
        raise click.BadParameter(
            f"unknown client {', '.join(repr(u) for u in unknown) or 'list'}; "
            f"choose from {', '.join(CLIENT_FAMILIES)}")
    return names


def complete_clients(ctx: click.Context, param: click.Parameter, incomplete: str
                     ) -> list[CompletionItem]:
    return complete_list(CLIENT_FAMILIES, incomplete)


def summary(found: Sequence[Finding]) -> str:
    """The infos of one file, in a line: client support's counted, the others said."""
    from briefexport.commands.check import CLIENT_SUPPORT

    said = [f.message for f in found if f.severity == "info" and f.code != CLIENT_SUPPORT
            and f.line is None]
    covered = sum(f.severity == "info" and f.code == CLIENT_SUPPORT for f in found)
    if covered:
        said.append(f"{covered} feature(s) some email clients lack have a fallback "
                    "(--format json lists them)")
    return "; ".join(said)


@main.command()
@click.argument("sources", nargs=-1, required=True,
                type=click.Path(path_type=Path, dir_okay=True))
@config_option
@click.option("--format", "output_format", type=click.Choice(REPORT_FORMATS),
              default=REPORT_FORMATS[0], show_default=True,
              help="Report for people, or JSON for CI.")
@click.option("--strict", is_flag=True, help="Fail on warnings too, not only on errors.")
@width_option("Wrap width of the wire text to check against.")
@click.option("--clients", callback=parse_clients, metavar="LIST",
              shell_complete=complete_clients,
              help="Comma-separated email clients to check the email's HTML and CSS against: "
                   f"{', '.join(CLIENT_FAMILIES)}.  [default: all]")
@tier_option
@theme_option
@max_size_option
def check(sources: Sequence[Path], config_path: Path | None, output_format: str,
          strict: bool, width: int | None, clients: tuple[str, ...] | None, max_bytes: int,
          tier: str | None = None, themes: tuple[Path, ...] = ()) -> None:
    """Preflight each SOURCE briefing without writing any file.

    Reports unresolved and unsafe links, calls to action without a URL, missing metadata,
    leftover TK/TODO/XXX, the email's size, what in the email some clients do not support
    (from caniemail.com's data), and wire-text lines that cannot be wrapped, each with its
    line and a fix; and every conditional block with the outputs and tiers that get it.  A
    preflight reads every tier's blocks unless --tier or [tiers] tier names one.  Exit
    status: 0 clean, 1 an error (or, with --strict, a warning), 2 a usage error.
    """
    from briefexport.commands.check import SEVERITIES, check_source, has_failures

    reporter = Reporter()
    settings = command_settings(config_path, themes, {"text.width": width, "tiers.tier": tier})
    reports = [(source, check_source(source, settings, max_bytes=max_bytes, clients=clients))
               for source in sources]
    findings = [f for _, found in reports for f in found]
    failed = has_failures(findings, strict=strict)
    counts = {s: sum(f.severity == s for f in findings) for s in SEVERITIES}
    if output_format == "json":
        reporter.json({
            "ok": not failed,
            "strict": strict,
            "counts": counts,
            "files": [{"path": str(source), "ok": not has_failures(found, strict=strict),
                       "findings": [f.to_dict() for f in found]}
                      for source, found in reports],
        })
    else:
        for source, found in reports:
            for f in found:
                if f.severity != "info":
                    reporter.result(f)
                    reporter.result(f"    fix: {f.hint}")
                elif f.line is not None:  # an info about a place: a block, the embargo
                    reporter.result(f)
            infos = summary(found)
            verdict = "FAIL" if has_failures(found, strict=strict) else "ok"
            reporter.result(f"{source}: {verdict}: "
                            f"{sum(f.severity == 'error' for f in found)} error(s), "
                            f"{sum(f.severity == 'warning' for f in found)} warning(s)"
                            + (f"; {infos}" if infos else ""))
        if len(reports) > 1:
            reporter.result(f"{len(reports)} files checked: {counts['error']} error(s), "
                            f"{counts['warning']} warning(s)")
    if failed:
        raise SystemExit(1)
