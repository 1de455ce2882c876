"""``check``: the preflight, reported for people or as JSON for CI."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from briefexport.choices import REPORT_FORMATS
from briefexport.cli.group import main
from briefexport.cli.options import (
    command_settings,
    config_option,
    max_size_option,
    theme_option,
    width_option,
)
from briefexport.cli.report import Reporter


@main.command()
@click.argument("sources", nargs=-1, required=True,
                type=click.Path(path_type=Path, dir_okay=True))
@config_option
@click.option("--format", "output_format", type=click.Choice(REPORT_FORMATS),
              default=REPORT_FORMATS[0], show_default=True,
              help="Report for people, or JSON for CI.")
@click.option("--strict", is_flag=True, help="Fail on warnings too, not only on errors.")
@width_option("Wrap width of the wire text to check against.")
@theme_option
@max_size_option
def check(sources: Sequence[Path], config_path: Path | None, output_format: str,
          strict: bool, width: int | None, max_bytes: int,
          themes: tuple[Path, ...] = ()) -> None:
    """Preflight each SOURCE briefing without writing any file.

    Reports unresolved and unsafe links, calls to action without a URL, missing metadata,
    leftover TK/TODO/XXX, the email's size and wire-text lines that cannot be wrapped, each
    with its line and a fix.  Exit status: 0 clean, 1 an error (or, with --strict, a
    warning), 2 a usage error.
    """
    from briefexport.commands.check import SEVERITIES, check_source, has_failures

    reporter = Reporter()
    settings = command_settings(config_path, themes, {"text.width": width})
    reports = [(source, check_source(source, settings, max_bytes=max_bytes))
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
            infos = "; ".join(f.message for f in found if f.severity == "info")
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
