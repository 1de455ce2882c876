"""Options several commands share, each declared once, and the settings a command runs with.

Choice lists and defaults come from :mod:`briefexport.choices`, :mod:`briefexport.limits`
and the settings classes, so ``--help``, the config's validation and ``init``'s commented
config can never disagree.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from briefexport import limits
from briefexport.choices import ESP_PROFILES, PDF_VARIANTS
from briefexport.cli.report import default_reporter
from briefexport.config import DEFAULT_CONFIG_NAME, EmailSettings, TextSettings, find_config
from briefexport.errors import BriefexportError

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

    from briefexport.config import Settings

F = TypeVar("F", bound=Callable[..., Any])


def print_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """``--version``; the version lookup (importlib.metadata) is paid for only here."""
    if not value or ctx.resilient_parsing:
        return
    from briefexport.about import version

    default_reporter.result(f"briefexport, version {version()}")
    ctx.exit()


# --------------------------------------------------------------------------- formats


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
    from briefexport.writers import EDITION_FORMATS

    names = parse_formats(ctx, param, value)
    unknown = [n for n in names if n not in EDITION_FORMATS]
    if unknown:
        raise click.BadParameter(
            f"format {', '.join(repr(u) for u in unknown)} is not available for editions; "
            f"choose from {', '.join(EDITION_FORMATS)}")
    return names


def complete_formats(ctx: click.Context, param: click.Parameter, incomplete: str
                     ) -> list[CompletionItem]:
    """Shell completion of a comma-separated format list: ``pdf,h<TAB>`` → ``pdf,html``."""
    from briefexport.writers import formats

    return complete_list(formats(), incomplete)


def complete_list(names: Iterable[str], incomplete: str) -> list[CompletionItem]:
    """Shell completion of a comma-separated list of ``names``, each named once."""
    from click.shell_completion import CompletionItem

    done, _, last = incomplete.rpartition(",")
    chosen = set(done.split(",")) if done else set()
    prefix = f"{done}," if done else ""
    return [CompletionItem(prefix + name) for name in names
            if name.startswith(last) and name not in chosen]


def formats_option(*, editions: bool = False) -> Callable[[F], F]:
    """``-f/--formats LIST``: every format, or those an edition has."""
    from briefexport.writers import DEFAULT_FORMATS, EDITION_FORMATS, formats

    if editions:
        help = (f"Comma-separated formats: {', '.join(EDITION_FORMATS)}.  "
                f"[default: {','.join(DEFAULT_FORMATS)}]")
    else:
        help = (f"Comma-separated formats: {', '.join(formats())}.  "
                f"[default: {','.join(DEFAULT_FORMATS)}]")
    return click.option(
        "-f", "--formats", "formats",
        callback=parse_edition_formats if editions else parse_formats, metavar="LIST",
        shell_complete=None if editions else complete_formats, help=help)


# --------------------------------------------------------------------------- shared options


def max_size_bytes(ctx: click.Context, param: click.Parameter, value: float | None) -> int:
    """``--max-size`` in megabytes → bytes (the reader's default when not given)."""
    return limits.MAX_SOURCE_BYTES if value is None else int(value * limits.MEGABYTE)


max_size_option = click.option(
    "--max-size", "max_bytes", type=click.FloatRange(min=0, min_open=True), default=None,
    callback=max_size_bytes, metavar="MB",
    help="Refuse sources larger than this many megabytes.  "
         f"[default: {limits.MAX_SOURCE_BYTES // limits.MEGABYTE}]")

output_option = click.option(
    "-o", "--output", "out_dir", type=click.Path(path_type=Path, file_okay=False),
    default=Path("out"), show_default=True, help="Folder for the output files.")
config_option = click.option(
    "--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
    help=f"Configuration file.  [default: ./{DEFAULT_CONFIG_NAME} if present]")


def width_option(help: str = "Wrap width of the wire text.") -> Callable[[F], F]:
    """``--width N``, within the limits the wire text accepts."""
    return click.option(
        "--width", type=click.IntRange(limits.MIN_TEXT_WIDTH, limits.MAX_TEXT_WIDTH),
        default=None, help=f"{help}  [default: {TextSettings.width}]")


pdf_variant_option = click.option(
    "--pdf-variant", type=click.Choice(PDF_VARIANTS), default=None,
    help="Make the PDF conform to PDF/UA-1 or PDF/A-3 (A-3 embeds the sources and the wire "
         "text).  [default: [pdf] variant, else a tagged PDF]")

esp_option = click.option(
    "--esp", type=click.Choice(list(ESP_PROFILES)), default=None,
    help="Campaign tool whose unsubscribe tags the email carries.  "
         f"[default: {EmailSettings.esp}]")


def theme_option(command: F) -> F:
    """``--theme DIR``, repeatable: searched before the config's [theme] and the built-ins."""
    return click.option(
        "--theme", "themes", multiple=True,
        type=click.Path(path_type=Path, exists=True, file_okay=False),
        help="Theme folder searched before the built-in templates and styles "
             "(repeatable; the first one given wins).")(command)


# --------------------------------------------------------------------------- settings


def with_overrides(settings: Settings, overrides: Mapping[str, Any]) -> Settings:
    """``settings`` with the command line's values on top: ``{"pdf.variant": "pdf/ua-1"}``.

    A ``None`` value means the option was not given.  The settings classes check the values,
    as they check the config file's.
    """
    for key, value in overrides.items():
        if value is None:
            continue
        table, name = key.split(".")
        section = getattr(settings, table)
        try:
            settings = settings.replace(**{table: dataclasses.replace(section, **{name: value})})
        except ValueError as exc:  # the option's value, refused like the config file's
            option = "--" + name.replace("_", "-")
            raise click.BadParameter(str(exc).replace(f"'{key}'", option),
                                     param_hint=option) from None
    return settings


def with_themes(settings: Settings, themes: Sequence[Path]) -> Settings:
    """Command-line themes first, then the config's, then (implicitly) the built-ins."""
    if not themes:
        return settings
    return settings.replace(themes=(*(Path(t).resolve() for t in themes), *settings.themes))


def read_settings(config_path: Path | None, themes: Sequence[Path] = (),
                  overrides: Mapping[str, Any] | None = None) -> Settings:
    """The config (printing its warnings) with the command line's themes and values on top.

    Raises the config's error; :func:`command_settings` turns it into the one-line exit.
    """
    from briefexport.config import load_settings
    from briefexport.model import Diagnostic

    config_warnings: list[Diagnostic] = []
    settings = load_settings(config_path, warnings=config_warnings)
    for w in config_warnings:
        default_reporter.warning(w)
    return with_themes(with_overrides(settings, overrides or {}), themes)


def command_settings(config_path: Path | None, themes: Sequence[Path] = (),
                     overrides: Mapping[str, Any] | None = None) -> Settings:
    """:func:`read_settings`, or one error line and exit 1 when the config is bad."""
    try:
        return read_settings(config_path, themes, overrides)
    except BriefexportError as exc:
        default_reporter.fail(exc)


def settings_loader(config_path: Path | None, themes: Sequence[Path],
                    overrides: Mapping[str, Any] | None = None
                    ) -> tuple[Path | None, Callable[[], Settings]]:
    """The config file in use and a function reading it (again) with the command's overrides.

    ``watch`` and ``preview`` call it on every change of the config; its warnings are printed
    each time, like ``export`` prints them.
    """
    found = find_config(config_path)

    def load() -> Settings:
        return read_settings(found, themes, overrides)

    return found, load


ascii_option = click.option(
    "--ascii", "ascii_only", is_flag=True, default=None,
    help="Write the wire text in 7-bit ASCII (transliterated: Côte → Cote, « » → \").  "
         "[default: [wire] ascii]")

ignore_embargo_option = click.option(
    "--ignore-embargo", is_flag=True, default=None,
    help="Build the .eml of a briefing whose embargo has not lifted (a rehearsal).")

tier_option = click.option(
    "--tier", default=None, metavar="NAME",
    help="The client tier this export is for: it gets the '::: tier' blocks of its tier and "
         "those below.  [default: [tiers] tier, else the lowest of [tiers] order]")
