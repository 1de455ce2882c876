"""The YAML front matter: split from the body, parsed safely, each value checked for its kind.

Edition files (TOML) share the value checks, so a date is read the same way everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from briefexport.errors import SourceError
from briefexport.names import one_line

#: The keys a briefing's front matter may have; others are kept for templates, with a warning.
KNOWN_KEYS = frozenset({
    "title", "slug", "date", "author", "region", "tags", "lang", "summary",
    "classification", "reference", "cta", "links",
    "marking", "key_judgements", "risk", "contact",
    "embargo", "urgency", "status", "version", "corrections", "tier",
})


class FrontMatter(dict[str, Any]):
    """The front matter's keys and values, and the line each key (or item) is written on.

    The lines are found only when an error needs one: the YAML is composed a second time then,
    never on the way of a valid source.
    """

    def __init__(self, data: dict[str, Any], block: str = "", first_line: int = 2) -> None:
        super().__init__(data)
        self.block = block
        self.first_line = first_line
        self._root: Any = None

    def line(self, key: str, index: int | str | None = None) -> int | None:
        """1-based source line of ``key``, or of its ``index``-th item (a list's position or
        a mapping's key) when given."""
        import yaml

        if self._root is None:
            try:
                self._root = yaml.compose(self.block, Loader=yaml.SafeLoader) or False
            except (yaml.YAMLError, RecursionError):
                self._root = False
        root = self._root
        if not isinstance(root, yaml.MappingNode):
            return None
        for key_node, value_node in root.value:
            if key_node.value != key:
                continue
            node = key_node
            if isinstance(index, int) and isinstance(value_node, yaml.SequenceNode) and (
                    0 <= index < len(value_node.value)):
                node = value_node.value[index]
            elif isinstance(index, str) and isinstance(value_node, yaml.MappingNode):
                node = next((k for k, _ in value_node.value if k.value == index), key_node)
            return int(node.start_mark.line) + self.first_line
        return None


def key_error(fm: Mapping[str, Any], key: str, message: str, path: str,
              index: int | str | None = None) -> SourceError:
    """A front-matter error naming ``key`` and, when ``fm`` knows it, the line."""
    line = fm.line(key, index) if isinstance(fm, FrontMatter) else None
    return SourceError(f"front matter '{key}' {message}", path, line)

#: How a front matter that is not a mapping is named in the error.
_YAML_KINDS: dict[type, str] = {list: "a list", str: "a string", int: "a number",
                                float: "a number", bool: "true or false"}


def split_front_matter(text: str, path: str) -> tuple[FrontMatter, str, int]:
    """Return (front matter, body, number of lines before the body)."""
    if not text.startswith("---\n") and text.rstrip("\n") != "---":
        return FrontMatter({}), text, 0
    lines = text.split("\n")
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            break
    else:
        raise SourceError("front matter opened with '---' on line 1 is never closed", path, 1)
    block = "\n".join(lines[1:index])
    import yaml  # here: a source without front matter, like the seed, never pays for PyYAML

    try:
        data = yaml.safe_load(block) if block.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else None
        problem = getattr(exc, "problem", None) or "does not parse"
        raise SourceError(f"front matter is not valid YAML: {problem}", path, line) from None
    except RecursionError:
        # PyYAML's composer recurses once per nesting level.
        raise SourceError("front matter is nested too deeply", path, 2) from None
    except (ValueError, OverflowError) as exc:
        # PyYAML builds dates and numbers after parsing: `date: 2026-13-45` parses, then fails.
        raise SourceError(f"front matter has a value that is not valid: {exc}", path) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SourceError(
            "front matter must be a mapping of keys to values, not "
            f"{_YAML_KINDS.get(type(data), type(data).__name__)}",
            path, 2)
    return FrontMatter(data, block), "\n".join(lines[index + 1:]), index + 1


def str_field(fm: Mapping[str, Any], key: str, path: str) -> str | None:
    value = fm.get(key)
    if value is None:
        return None
    if isinstance(value, bool | dict | list):
        raise key_error(fm, key, f"must be text, not {type(value).__name__}", path)
    return one_line(str(value)) or None


def date_field(value: Any, path: str, what: str) -> dt.date | None:
    """A date written as YAML or TOML (a date, a date-time or ``YYYY-MM-DD`` text);
    ``what`` names it in the error (``front matter 'date'``)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise SourceError(f"{what} must be a date as YYYY-MM-DD, not {value!r}", path)


def tags_field(value: Any, path: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):  # a lone tag written without list brackets
        return (value,)
    if not isinstance(value, list) or any(isinstance(v, dict | list) for v in value):
        raise SourceError("front matter 'tags' must be a list of words", path)
    return tuple(str(v) for v in value)


def links_field(value: Any, path: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise SourceError("front matter 'links' must map link text to a URL", path)
    return {str(k): v for k, v in value.items()}


def cta_field(value: Any, path: str) -> list[tuple[str, str]]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    out = []
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict) or not isinstance(item.get("label"), str):
            raise SourceError(f"front matter 'cta' entry {n} needs a 'label' and a 'url'", path)
        url = item.get("url")
        if url is None:
            raise SourceError(f"front matter 'cta' entry {n} ('{item['label']}') has no 'url'; "
                              "write url: '#' to use the portal", path)
        if not isinstance(url, str):
            raise SourceError(f"front matter 'cta' entry {n} has a 'url' that is not text", path)
        out.append((item["label"], url))
    return out


