"""The command line: click commands and options only; the work is in :mod:`briefexport.api`."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from briefexport.config import PDF_VARIANTS
from briefexport.errors import BriefexportError
from briefexport.esp import PROFILES as ESP_PROFILES

F = TypeVar("F", bound=Callable[..., Any])

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

    from briefexport.api import ExportResult
    from briefexport.config import Settings


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


def print_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """``--version``; the version lookup (importlib.metadata) is paid for only here."""
    if not value or ctx.resilient_parsing:
        return
    import briefexport

    click.echo(f"briefexport, version {briefexport.__version__}")
    ctx.exit()


# Options several commands share, defined once so that their help reads the same.
output_option = click.option(
    "-o", "--output", "out_dir", type=click.Path(path_type=Path, file_okay=False),
    default=Path("out"), show_default=True, help="Folder for the output files.")
config_option = click.option(
    "--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
    help="Configuration file.  [default: ./briefexport.toml if present]")
width_option = click.option(
    "--width", type=click.IntRange(20, 200), default=None,
    help="Wrap width of the wire text.  [default: 69]")


def theme_option(command: F) -> F:
    """``--theme DIR``, repeatable: searched before the config's [theme] and the built-ins."""
    return click.option(
        "--theme", "themes", multiple=True,
        type=click.Path(path_type=Path, exists=True, file_okay=False),
        help="Theme folder searched before the built-in templates and styles "
             "(repeatable; the first one given wins).")(command)


def with_themes(settings: Settings, themes: Sequence[Path]) -> Settings:
    """Command-line themes first, then the config's, then (implicitly) the built-ins."""
    if not themes:
        return settings
    return settings.replace(themes=(*(Path(t).resolve() for t in themes), *settings.themes))


def read_settings(config_path: Path | None, themes: Sequence[Path] = (),
                  width: int | None = None) -> Settings:
    """The config (printing its warnings) with the command line's --theme and --width on top.

    Raises the config's error; :func:`command_settings` turns it into the one-line exit.
    """
    from briefexport.config import load_settings
    from briefexport.model import Diagnostic

    config_warnings: list[Diagnostic] = []
    settings = load_settings(config_path, warnings=config_warnings)
    for w in config_warnings:
        warn(w)
    if width is not None:
        settings = settings.replace(text=dataclasses.replace(settings.text, width=width))
    return with_themes(settings, themes)


def command_settings(config_path: Path | None, themes: Sequence[Path] = (),
                     width: int | None = None) -> Settings:
    """:func:`read_settings`, or one error line and exit 1 when the config is bad."""
    try:
        return read_settings(config_path, themes, width)
    except BriefexportError as exc:
        fail(str(exc))
        raise  # unreachable: fail() exits


def report_result(result: ExportResult) -> None:
    """What ``export`` and ``watch`` print for one source: warnings, error, files written."""
    for w in result.warnings:
        warn(w)
    if result.error:
        click.echo(f"briefexport: error: {result.error}", err=True)
    for path in result.files:
        click.echo(str(path))


def complete_formats(ctx: click.Context, param: click.Parameter, incomplete: str
                     ) -> list[CompletionItem]:
    """Shell completion of a comma-separated format list: ``pdf,h<TAB>`` → ``pdf,html``."""
    from click.shell_completion import CompletionItem

    from briefexport.writers import formats

    done, _, last = incomplete.rpartition(",")
    chosen = set(done.split(",")) if done else set()
    prefix = f"{done}," if done else ""
    return [CompletionItem(prefix + name) for name in formats()
            if name.startswith(last) and name not in chosen]


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
@click.option("--version", is_flag=True, expose_value=False, is_eager=True,
              callback=print_version, help="Show the version and exit.")
def main() -> None:
    """Render risk-intelligence briefings into a PDF report, an HTML email and wire text."""


@main.command()
@click.argument("sources", nargs=-1, required=True,
                type=click.Path(path_type=Path, dir_okay=True))
@output_option
@click.option("-f", "--formats", "formats", callback=parse_formats, metavar="LIST",
              shell_complete=complete_formats,
              help="Comma-separated formats: pdf, html, txt, eml.  [default: pdf,html,txt]")
@config_option
@click.option("--strict", is_flag=True,
              help="Treat warnings (e.g. unresolved placeholder links) as errors.")
@width_option
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
           allow_remote: bool | None = None, themes: tuple[Path, ...] = (),
           max_bytes: int | None = None, jobs: int | None = None, quiet: bool = False,
           fail_fast: bool = False) -> None:
    """Export each SOURCE briefing to PDF, HTML email and wire text.

    A SOURCE is a file, a folder (searched recursively for *.md and *.txt) or a glob pattern.
    Output files are named after the source: mali.txt gives out/mali.pdf, out/mali.html
    and out/mali.txt; sources that share a name keep their folders under the output folder.
    Exit status: 0 when every source exported, 1 when one failed (the others are still
    exported, unless --fail-fast), 2 on a usage error.
    """
    from briefexport import batch
    from briefexport.api import ExportOptions

    settings = command_settings(config_path, themes, width)
    if pdf_variant is not None:
        settings = settings.replace(pdf=dataclasses.replace(settings.pdf, variant=pdf_variant))
    if allow_remote:
        settings = settings.replace(pdf=dataclasses.replace(settings.pdf, allow_remote=True))
    if esp is not None:
        settings = settings.replace(email=dataclasses.replace(settings.email, esp=esp))
    options = ExportOptions(out_dir=out_dir, formats=formats, strict=strict,
                            default_date=default_date.date() if default_date else None)
    if max_bytes is not None:
        options = dataclasses.replace(options, max_bytes=max_bytes)
    tasks = batch.plan(batch.expand(sources), out_dir)
    show_bar = len(tasks) > 1 and not quiet and sys.stderr.isatty()
    with Reporter(len(tasks), show_bar) as reporter:
        results = batch.run(tasks, settings, options, jobs=jobs or batch.default_jobs(),
                            fail_fast=fail_fast, on_done=reporter.advance)
        failed = exported = 0
        for result in results:
            for w in result.warnings:
                reporter.echo(f"briefexport: warning: {printable(w)}", err=True)
            if result.error:
                failed += 1
                reporter.echo(f"briefexport: error: {printable(result.error)}", err=True)
            else:
                exported += 1
            if not quiet:
                for path in result.files:
                    reporter.echo(str(path))
    skipped = len(tasks) - exported - failed
    if len(tasks) > 1 and (failed or not quiet):
        summary = f"{exported} exported, {failed} failed"
        if skipped:
            summary += f", {skipped} not attempted (--fail-fast)"
        click.echo(summary, err=True)
    if failed:
        sys.exit(1)


def stop_on_signals() -> threading.Event:
    """An event that Ctrl-C or SIGTERM sets; a second one stops at once.

    ``watch`` and ``preview`` check the event between steps and end with status 0.  The
    first signal raises nothing: a KeyboardInterrupt that passes through any ``exec()`` of a
    string (dataclasses and namedtuples use them while WeasyPrint is imported) makes CPython
    3.11 exit with SIGINT even when the interrupt is caught, and it would cut a render short
    inside WeasyPrint or PDFium.  A process started in the background by a script inherits
    SIGINT ignored, hence both handlers are set here.
    """
    stop = threading.Event()

    def request_stop(signum: int, frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    return stop


def require_folders(sources: Sequence[Path]) -> None:
    """A source may not exist yet (it is watched for), but its folder must."""
    for source in sources:
        if not source.resolve().parent.is_dir():
            fail(f"{source}: its folder does not exist")


def settings_loader(config_path: Path | None, themes: Sequence[Path], width: int | None = None
                    ) -> tuple[Path | None, Callable[[], Settings]]:
    """The config file in use and a function reading it (again) with the command's overrides.

    ``watch`` and ``preview`` call it on every change of the config; its warnings are printed
    each time, like ``export`` prints them.
    """
    from briefexport.config import DEFAULT_CONFIG_NAME

    if config_path is None and Path(DEFAULT_CONFIG_NAME).is_file():
        config_path = Path(DEFAULT_CONFIG_NAME)

    def load() -> Settings:
        return read_settings(config_path, themes, width)

    return config_path, load


@main.command()
@click.argument("folder", required=False, default=Path("."),
                type=click.Path(path_type=Path, file_okay=False))
@click.option("--force", is_flag=True, help="Overwrite the files if they exist.")
def init(folder: Path, force: bool) -> None:
    """Start a desk's FOLDER (default: here): a commented briefexport.toml listing every
    setting, an example briefing and an empty theme/ folder.

    Existing files are never overwritten unless --force is given.
    """
    from briefexport import scaffold

    try:
        written = scaffold.init(folder, force=force)
    except BriefexportError as exc:
        fail(str(exc))
    for path in written:
        click.echo(f"{path}/" if path.is_dir() else str(path))
    example = written[1]
    click.echo(f"Next: briefexport preview {example}   (or: briefexport export {example})",
               err=True)


@main.group()
def theme() -> None:
    """Work with theme folders (templates and styles that override the built-in ones)."""


@theme.command("copy")
@click.argument("folder", required=False, default=Path("theme"),
                type=click.Path(path_type=Path, file_okay=False))
@click.option("--format", "fmt", type=click.Choice(["pdf", "email", "text"]),
              help="Copy only this format's templates (pdf includes the stylesheets).  "
                   "[default: all]")
@click.option("--force", is_flag=True, help="Overwrite files already in FOLDER.")
def theme_copy(folder: Path, fmt: str | None, force: bool) -> None:
    """Copy the built-in templates and styles into FOLDER (default: theme/) to edit them.

    FOLDER then mirrors the built-in layout (templates/<format>/..., styles/...).  Use it with
    --theme FOLDER or [theme] dir in briefexport.toml.  A copied template may also be cut down
    to the one block it changes: {% extends "!default/pdf/report.html.j2" %} ...
    """
    from briefexport import scaffold

    try:
        written = scaffold.copy_theme(folder, [fmt] if fmt else None, force=force)
    except BriefexportError as exc:
        fail(str(exc))
    for path in written:
        click.echo(str(path))


@main.command()
@click.argument("sources", nargs=-1, required=True,
                type=click.Path(path_type=Path, dir_okay=False))
@output_option
@click.option("-f", "--formats", "formats", callback=parse_formats, metavar="LIST",
              shell_complete=complete_formats,
              help="Comma-separated formats: pdf, html, txt.  [default: all three]")
@config_option
@width_option
@theme_option
def watch(sources: Sequence[Path], out_dir: Path, formats: tuple[str, ...],
          config_path: Path | None, width: int | None, themes: tuple[Path, ...]) -> None:
    """Export each SOURCE now and again whenever it, the config or a theme file changes.

    Prints each file written, or the error, and keeps watching after an error.  Stop with
    Ctrl-C.
    """
    from briefexport.api import ExportOptions
    from briefexport.watch import Watched, Watcher, export_builder

    require_folders(sources)
    config_path, load = settings_loader(config_path, themes, width)

    def ready(watched: Watched) -> None:
        what = [f"{len(watched.sources)} source(s)"]
        if watched.config:
            what.append(f"config {watched.config.name}")
        if watched.themes:
            what.append(f"{len(watched.themes)} theme folder(s)")
        click.echo(f"briefexport: watching {', '.join(what)}; Ctrl-C to stop", err=True)

    stop = stop_on_signals()
    watcher = Watcher(
        sources=sources, config=config_path, load=load,
        build=export_builder(ExportOptions(out_dir=out_dir, formats=formats), report_result),
        error=lambda message: click.echo(f"briefexport: error: {message}", err=True),
        ready=ready)
    with contextlib.suppress(KeyboardInterrupt):  # the second Ctrl-C
        watcher.run(stop)
    click.echo("briefexport: stopped watching", err=True)


@main.command()
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False))
@config_option
@click.option("--port", type=click.IntRange(0, 65535), default=0,
              help="Port on 127.0.0.1.  [default: a free one]")
@click.option("--no-open", is_flag=True, help="Do not open the page in a browser.")
@theme_option
def preview(source: Path, config_path: Path | None, port: int, no_open: bool,
            themes: tuple[Path, ...]) -> None:
    """Serve a live side-by-side preview of SOURCE on 127.0.0.1.

    The page shows the email at 375 and 600 px (light or dark), the PDF pages, the wire
    text, the email's size against Gmail's 102 kB clipping limit and the preflight findings,
    and updates itself when the source, the config or a theme file is saved.
    """
    from briefexport.preview import serve

    require_folders([source])
    config_path, load = settings_loader(config_path, themes)
    stop = stop_on_signals()
    try:
        serve(source, config_path, load, port=port, open_browser=not no_open,
              announce=lambda url: (click.echo(url),
                                    click.echo(f"briefexport: previewing {source} at {url}; "
                                               "Ctrl-C to stop", err=True)),
              stop=stop)
    except OSError as exc:
        fail(f"cannot serve on 127.0.0.1:{port}: {exc.strerror}")
    except KeyboardInterrupt:
        pass
    click.echo("briefexport: preview stopped", err=True)


@main.command()
@click.argument("sources", nargs=-1, required=True,
                type=click.Path(path_type=Path, dir_okay=True))
@click.option("--title", help="Edition title; the SOURCES are then its briefings, in order.")
@click.option("--number", help="Edition number (with --title).")
@click.option("--intro", "intro_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Markdown file with the editor's introduction (with --title).")
@click.option("--name", help="Output file stem (with --title).  [default: from the title]")
@output_option
@click.option("-f", "--formats", "formats", callback=parse_edition_formats, metavar="LIST",
              help="Comma-separated formats: pdf, html, txt.  [default: all three]")
@config_option
@click.option("--esp", type=click.Choice(list(ESP_PROFILES)), default=None,
              help="Campaign tool whose unsubscribe tags the email carries.  [default: generic]")
@click.option("--email-mode", type=click.Choice(["full", "teaser"]),
              help="Stories in full or as teasers in the email.  [default: full]")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--date", "edition_date", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Edition date (with --title).  [default: the newest briefing's]")
@theme_option
def edition(sources: Sequence[Path], title: str | None, number: str | None,
            intro_path: Path | None, name: str | None, out_dir: Path,
            formats: tuple[str, ...], config_path: Path | None, esp: str | None,
            email_mode: str | None, strict: bool, edition_date: dt.datetime | None,
            themes: tuple[Path, ...]) -> None:
    """Bundle briefings into a newsletter edition: one PDF, one email, one wire text.

    Each SOURCE is an edition file (TOML: title, number, date, intro, briefings), or,
    with --title, a briefing of one edition made on the spot:

        briefexport edition mali.txt niger.md --title "Sahel Weekly" --number 12
    """
    from briefexport.api import ExportOptions, export_edition
    from briefexport.edition import make_edition

    settings = command_settings(config_path, themes)
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


class Reporter:
    """Prints result lines, keeping a progress bar (on stderr, a terminal) below them."""

    def __init__(self, total: int, show_bar: bool) -> None:
        self.bar = (click.progressbar(length=total, label="Exporting", file=sys.stderr,
                                      show_pos=True, show_eta=False) if show_bar else None)

    def __enter__(self) -> Reporter:
        if self.bar is not None:
            self.bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)

    def advance(self, _result: object) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def echo(self, line: str, err: bool = False) -> None:
        if self.bar is None:
            click.echo(line, err=err)
            return
        # Clear the bar's line, print above it, then draw the bar again.
        sys.stderr.write("\r\033[K")
        sys.stderr.flush()
        click.echo(line, err=err)
        # click redraws only a changed bar; forget the last drawing so it comes back now.
        if hasattr(self.bar, "_last_line"):
            self.bar._last_line = None
        self.bar.render_progress()


@main.command()
@click.argument("sources", nargs=-1, required=True,
                type=click.Path(path_type=Path, dir_okay=True))
@config_option
@click.option("--format", "output_format", type=click.Choice(["text", "json"]),
              default="text", show_default=True, help="Report for people, or JSON for CI.")
@click.option("--strict", is_flag=True, help="Fail on warnings too, not only on errors.")
@click.option("--width", type=click.IntRange(20, 200), default=None,
              help="Wrap width of the wire text to check against.  [default: 69]")
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
    import json

    from briefexport.preflight import check_source, has_failures

    settings = command_settings(config_path, themes, width)
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
