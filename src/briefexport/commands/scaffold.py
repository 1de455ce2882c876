"""``init`` and ``theme copy``: starting points written into an editor's folder.

The commented ``briefexport.toml`` is generated from the settings dataclasses in
:mod:`briefexport.config`, with each field's docstring as its comment, so that a setting added
there appears here without anyone remembering to document it twice.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import json
import shutil
import textwrap
import typing
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from briefexport.config import DEFAULT_CONFIG_NAME, SECTIONS, Settings, choices_of
from briefexport.errors import BriefexportError
from briefexport.render.resources import styles_dir, templates_dir
from briefexport.writers import TEMPLATE_FOLDERS

EXAMPLE_NAME = "example-briefing.md"
THEME_NAME = "theme"

#: The settings ``init`` writes uncommented: the theme folder it creates, and the email
#: footer's required parts as examples to replace (without them the email warns).
INIT_SETTINGS: dict[str, dict[str, Any]] = {
    "email": {"unsubscribe_url": "https://portal.example/unsubscribe",
              "postal_address": "Example Desk Ltd, 1 Example Street, Example City"},
    "theme": {"dir": THEME_NAME},
}

EXAMPLE_BRIEFING = """\
---
title: Junta extends transition as security deteriorates in the north
slug: EXAMPLE
date: 2026-01-15
author: Example Desk
region: West Africa
summary: The transitional authorities have postponed elections by two years, citing insecurity.
---

The transitional authorities announced on 14 January that presidential elections
will be postponed by two years. The decision follows a month of attacks on
supply convoys along the main northern route, reported by
[local media](https://news.example/north-route-attacks).

## Outlook

Expect further restrictions on movement in the north. Operators should review
their convoy schedules and keep in-country staff on reduced travel.

| Route | Risk | Change |
| --- | --- | --- |
| North corridor | High | Up |
| Capital ring road | Moderate | — |

[Read the full assessment >>](https://portal.example/briefings/example)
"""


class ScaffoldError(BriefexportError):
    """A starting point could not be written (usually: a file is already there)."""


# --------------------------------------------------------------------------- the config file


@cache
def field_docs(cls: type) -> dict[str, str]:
    """Attribute docstrings (the string literal under a field) of a dataclass, by field name."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    except (OSError, TypeError, SyntaxError):  # no source shipped: comments are a nicety
        return {}
    docs: dict[str, str] = {}
    body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
    for node, after in zip(body, [*body[1:], None], strict=True):
        if (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
                and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)):
            docs[node.target.id] = " ".join(after.value.value.split())
    return docs


def toml_value(value: Any) -> str:
    """A Python default as a TOML literal."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str | Path):
        # A JSON string is a valid TOML basic string (same escapes).
        return json.dumps(str(value), ensure_ascii=False)
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{json.dumps(str(k))} = {toml_value(v)}"
                                for k, v in value.items()) + " }" if value else "{}"
    if isinstance(value, Sequence):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return json.dumps(str(value))


def _default(f: dataclasses.Field[Any]) -> Any:
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return None


def _comment(text: str, width: int = 96) -> list[str]:
    text = text.replace("``", "")  # docstrings use reStructuredText literals
    return ["# " + line for line in textwrap.wrap(text, width - 2)] if text else []


def config_tables() -> list[str]:
    """Every table the config file knows (``links`` included), in :class:`Settings`' order."""
    order = [f.name for f in dataclasses.fields(Settings)
             if f.name in SECTIONS or f.name == "links"]
    return order + [name for name in SECTIONS if name not in order]


def config_text(active: Mapping[str, Mapping[str, Any]] | None = None) -> str:
    """A ``briefexport.toml`` naming every setting with its default, commented out.

    ``active`` gives values written as real (uncommented) settings, e.g. the theme folder
    ``init`` creates.  Uncommenting a line that shows a default keeps that default; a line
    marked "not set" needs a value of its own.
    """
    active = active or {}
    out = [
        "# briefexport configuration.  Every setting is listed, commented out, with its default;",
        "# remove the '# ' in front of one to set it.  Paths are relative to this file.",
    ]
    for name in config_tables():
        if name == "links":
            out.extend(_links_table(field_docs(Settings).get("links", "")))
        else:
            out.extend(_table(name, SECTIONS[name], active))
    return "\n".join(out) + "\n"


def _table(name: str, cls: type, active: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """``[name]`` with every field of ``cls``, then its sub-tables (``[email.utm]``)."""
    out = ["", *_comment(inspect.getdoc(cls) or ""), f"[{name}]"]
    docs = field_docs(cls)
    hints = typing.get_type_hints(cls)
    subtables = []
    for f in dataclasses.fields(cls):
        if not f.init:
            continue
        if dataclasses.is_dataclass(hints.get(f.name)):
            subtables.append((f"{name}.{f.name}", hints[f.name]))
            continue
        default = _default(f)
        doc = docs.get(f.name, "")
        choices = choices_of(cls, f.name)
        if choices:
            doc = f"{doc} One of: {', '.join(choices)}.".strip()
        out.extend(_comment(doc))
        if f.name in active.get(name, {}):
            note = "not set" if default is None else toml_value(default)
            out.append(f"{f.name} = {toml_value(active[name][f.name])}    # default: {note}")
        elif default is None:
            out.append(f'# {f.name} = ""    # default: not set')
        else:
            out.append(f"# {f.name} = {toml_value(default)}")
    for sub_name, sub_cls in subtables:
        out.extend(_table(sub_name, sub_cls, active))
    return out


def _links_table(doc: str) -> list[str]:
    return ["", *_comment(f"[links]: {doc.rstrip('.')}: [text](#) in a source."),
            "[links]",
            '# "previous assessment" = "https://portal.example/briefings/previous"']


# --------------------------------------------------------------------------- init


def _refuse_existing(targets: Iterable[Path], force: bool) -> None:
    existing = [p for p in targets if p.exists() or p.is_symlink()]
    if existing and not force:
        raise ScaffoldError("already exists (use --force to overwrite)", existing[0])


def init(folder: Path, force: bool = False) -> list[Path]:
    """Write a config, an example briefing and an empty theme folder (but for its
    ``.gitkeep``) into ``folder``.

    Nothing is written when any of the files exists, unless ``force``.
    """
    config = folder / DEFAULT_CONFIG_NAME
    example = folder / EXAMPLE_NAME
    theme = folder / THEME_NAME
    _refuse_existing([config, example], force)
    if theme.exists() and not theme.is_dir():
        raise ScaffoldError("exists and is not a folder", theme)
    try:
        theme.mkdir(parents=True, exist_ok=True)
        # git keeps no empty folder: without a file, a clone of the desk's folder would lack
        # the theme folder its config names.
        (theme / ".gitkeep").touch()
        config.write_text(config_text(INIT_SETTINGS), encoding="utf-8")
        example.write_text(EXAMPLE_BRIEFING, encoding="utf-8")
    except OSError as exc:
        raise ScaffoldError(f"cannot write: {exc.strerror}", exc.filename or folder) from None
    return [config, example, theme]


# --------------------------------------------------------------------------- theme copy


def theme_files(formats: Sequence[str]) -> list[tuple[Path, Path]]:
    """(built-in file, path relative to the theme folder) for the chosen template folders;
    the PDF's print design also takes the stylesheets."""
    pairs: list[tuple[Path, Path]] = []
    for fmt in formats:
        folder = templates_dir() / fmt
        pairs += [(p, Path("templates") / p.relative_to(templates_dir()))
                  for p in sorted(folder.rglob("*")) if p.is_file()]
        if fmt == "pdf":  # the stylesheets are the PDF's print design
            pairs += [(p, Path("styles") / p.relative_to(styles_dir()))
                      for p in sorted(styles_dir().rglob("*")) if p.is_file()]
    return pairs


def copy_theme(folder: Path, formats: Sequence[str] | None = None,
               force: bool = False) -> list[Path]:
    """Copy the built-in templates (and styles) of ``formats`` into the theme ``folder``."""
    pairs = theme_files(formats or TEMPLATE_FOLDERS)
    targets = [folder / rel for _, rel in pairs]
    _refuse_existing(targets, force)
    try:
        for (src, _), target in zip(pairs, targets, strict=True):
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, target)
    except OSError as exc:
        raise ScaffoldError(f"cannot write: {exc.strerror}", exc.filename or folder) from None
    return targets
