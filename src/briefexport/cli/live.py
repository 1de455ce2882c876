"""``watch`` and ``preview``: the long-running commands that rebuild on every save."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from briefexport.cli.group import main
from briefexport.cli.options import (
    config_option,
    formats_option,
    output_option,
    settings_loader,
    theme_option,
    width_option,
)
from briefexport.cli.report import Reporter
from briefexport.limits import EMAIL_SIZE_LIMIT_KB

if TYPE_CHECKING:
    from briefexport.commands.watch import Watched


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


def require_folders(reporter: Reporter, sources: Sequence[Path]) -> None:
    """A source may not exist yet (it is watched for), but its folder must."""
    for source in sources:
        if not source.resolve().parent.is_dir():
            reporter.fail(f"{source}: its folder does not exist")


@main.command()
@click.argument("sources", nargs=-1, required=True,
                type=click.Path(path_type=Path, dir_okay=False))
@output_option
@formats_option()
@config_option
@width_option()
@theme_option
def watch(sources: Sequence[Path], out_dir: Path, formats: tuple[str, ...],
          config_path: Path | None, width: int | None, themes: tuple[Path, ...]) -> None:
    """Export each SOURCE now and again whenever it, the config or a theme file changes.

    Prints each file written, or the error, and keeps watching after an error.  Stop with
    Ctrl-C.
    """
    from briefexport.commands.watch import Watcher, export_builder
    from briefexport.pipeline import ExportOptions

    reporter = Reporter()
    require_folders(reporter, sources)
    config_path, load = settings_loader(config_path, themes, {"text.width": width})

    def ready(watched: Watched) -> None:
        what = [f"{len(watched.sources)} source(s)"]
        if watched.config:
            what.append(f"config {watched.config.name}")
        if watched.themes:
            what.append(f"{len(watched.themes)} theme folder(s)")
        reporter.note(f"briefexport: watching {', '.join(what)}; Ctrl-C to stop")

    stop = stop_on_signals()
    watcher = Watcher(
        sources=sources, config=config_path, load=load,
        build=export_builder(ExportOptions(out_dir=out_dir, formats=formats),
                             reporter.export_result),
        error=reporter.error, ready=ready)
    with contextlib.suppress(KeyboardInterrupt):  # the second Ctrl-C
        watcher.run(stop)
    reporter.note("briefexport: stopped watching")


@main.command(help=f"""Serve a live side-by-side preview of SOURCE on 127.0.0.1.

    The page shows the email at 375 and 600 px (light or dark), the PDF pages, the wire
    text, the email's size against Gmail's {EMAIL_SIZE_LIMIT_KB} kB clipping limit and the
    preflight findings, and updates itself when the source, the config or a theme file is
    saved.
    """)
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False))
@config_option
@click.option("--port", type=click.IntRange(0, 65535), default=0,
              help="Port on 127.0.0.1.  [default: a free one]")
@click.option("--no-open", is_flag=True, help="Do not open the page in a browser.")
@theme_option
def preview(source: Path, config_path: Path | None, port: int, no_open: bool,
            themes: tuple[Path, ...]) -> None:
    from briefexport.commands.preview import serve

    reporter = Reporter()
    require_folders(reporter, [source])
    config_path, load = settings_loader(config_path, themes)
    stop = stop_on_signals()

    def announce(url: str) -> None:
        reporter.result(url)
        reporter.note(f"briefexport: previewing {source} at {url}; Ctrl-C to stop")

    try:
        serve(source, config_path, load, port=port, open_browser=not no_open,
              announce=announce, stop=stop)
    except OSError as exc:
        reporter.fail(f"cannot serve on 127.0.0.1:{port}: {exc.strerror}")
    except KeyboardInterrupt:
        pass
    reporter.note("briefexport: preview stopped")
