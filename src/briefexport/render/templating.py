"""The Jinja2 environment and the template search path.

A theme folder mirrors the built-in layout (``templates/<format>/…``, ``styles/…``) and is
searched first, so a theme overrides one file without forking the rest.  A theme template can
extend the built-in one it replaces through the ``!default/`` prefix::

    {% extends "!default/pdf/report.html.j2" %}
    {% block masthead %}…{% endblock %}
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import traceback
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import jinja2
import jinja2.bccache

from briefexport.errors import RenderError
from briefexport.render.resources import styles_dir, templates_dir

DEFAULT_PREFIX = "!default"

_ESCAPED_SUFFIXES = (".html.j2", ".mjml.j2", ".xml.j2", ".html", ".mjml", ".xml")


def template_search_path(themes: Sequence[Path] = ()) -> list[Path]:
    """Template folders in search order: each theme's ``templates/``, then the built-in one."""
    return [Path(t) / "templates" for t in themes] + [templates_dir()]


def style_search_path(themes: Sequence[Path] = ()) -> list[Path]:
    """Style folders in search order: each theme's ``styles/``, then the built-in one."""
    return [Path(t) / "styles" for t in themes] + [styles_dir()]


def find_style(name: str, themes: Sequence[Path] = ()) -> Path:
    """The first stylesheet called ``name`` along the style search path."""
    for folder in style_search_path(themes):
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(name)


def _autoescape(name: str | None) -> bool:
    # HTML and MJML are markup: every value from the source must be escaped.  Text is not.
    return name is not None and name.endswith(_ESCAPED_SUFFIXES)


def long_date(date: dt.date) -> str:
    """A date as every output shows it to a reader: ``20 November 2026``."""
    return date.strftime("%-d %B %Y")


@lru_cache(maxsize=16)
def environment(themes: tuple[Path, ...] = ()) -> jinja2.Environment:
    """One environment per theme list, built once per process and reused."""
    builtin = jinja2.FileSystemLoader(str(templates_dir()))
    loader = jinja2.ChoiceLoader([
        jinja2.PrefixLoader({DEFAULT_PREFIX: builtin}, delimiter="/"),
        jinja2.FileSystemLoader([str(p) for p in template_search_path(themes)]),
    ])
    env = jinja2.Environment(
        loader=loader,
        autoescape=_autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        bytecode_cache=bytecode_cache(),
    )
    env.filters["long_date"] = long_date
    return env


class _QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's on-disk cache of compiled templates, which never fails an export."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError):  # unreadable or damaged: compile instead
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):  # a read-only or full disk: it is only a cache
            super().dump_bytecode(bucket)


@lru_cache(maxsize=1)
def bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs: compiling the three templates is a large part of
    exporting one briefing in a fresh process.  Entries are keyed by the template's file and
    checked against its source, so an edited template or theme is compiled again.  Jinja's
    default folder (per user, mode 0700, ownership checked) is used; None when it is unusable.
    """
    if os.environ.get("BRIEFEXPORT_NO_TEMPLATE_CACHE"):
        return None
    try:
        return _QuietBytecodeCache()
    except (OSError, RuntimeError):  # no usable temporary folder
        return None


def reload_templates() -> None:
    """Forget every compiled template, so that edited theme files are read again.

    Batch export keeps ``auto_reload=False`` (no stat per render); ``watch`` and ``preview``
    call this when a template may have changed on disk.
    """
    environment.cache_clear()


def _template_place(exc: jinja2.TemplateError, name: str) -> str:
    """``file:line`` of the template at fault: theme authors need to know which one."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"{exc.filename or exc.name or name}:{exc.lineno}"
    # Jinja rewrites the traceback so that template code appears with its own file and line.
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if f.filename.endswith(".j2") or f.filename.startswith("<template")]
    return f"{frames[-1].filename}:{frames[-1].lineno}" if frames else name


def render(template: str, themes: Sequence[Path] = (), **context: object) -> str:
    """Render a template by name (``"pdf/report.html.j2"``).

    A mistake in a (theme) template is a :class:`RenderError` naming the template file and
    line, never a traceback.
    """
    try:
        return environment(tuple(Path(t) for t in themes)).get_template(template).render(
            **context)
    except jinja2.TemplateNotFound as exc:
        raise RenderError(f"template not found: {exc.name}") from None
    except jinja2.TemplateError as exc:
        raise RenderError(f"template error at {_template_place(exc, template)}: "
                          f"{exc.message or type(exc).__name__}") from None
