"""The recipients file → :class:`~briefexport.model.Recipient` rows.

CSV with a header row, or TOML with one ``[[recipient]]`` table each; the columns (keys) are
``id`` (required, unique), ``name``, ``organisation``, ``email`` and ``tier`` (default: the
lowest).  Every bad row is one error naming the file and the line: a duplicate id, a tier not
in ``[tiers] order``, an address that is not one, a missing id, an unknown column.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from pathlib import Path
from typing import Any

from briefexport.config import TiersSettings
from briefexport.errors import SourceError
from briefexport.model import Recipient
from briefexport.names import one_line
from briefexport.source.decode import read_text

#: The columns a recipients file may have.
COLUMNS = ("id", "name", "organisation", "email", "tier")
#: An id is a folder name of the copies: letters, digits, dot, dash and underscore.
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
#: Names an id may not take: the run's own manifest, and what Windows reserves for devices
#: (copies are often synced to a Windows share).
_RESERVED_IDS = frozenset({"manifest.jsonl", "con", "prn", "aux", "nul",
                           *(f"com{n}" for n in range(1, 10)), *(f"lpt{n}" for n in range(1, 10))})
#: An address with one @ and a dot in its domain; the mail system judges the rest.
_EMAIL_RE = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$")


def read_recipients(path: Path, tiers: TiersSettings) -> tuple[Recipient, ...]:
    """Every recipient of ``path`` (``.csv`` or ``.toml``), in file order."""
    text = read_text(path)
    name = str(path)
    toml = path.suffix.lower() == ".toml"
    rows = _toml_rows(text, name) if toml else _csv_rows(text, name)
    seen: dict[str, int] = {}
    out = []
    for line, row in rows:
        recipient = _recipient(row, tiers, name, line)
        # Case-folded: Acme and acme would share a folder on a case-insensitive disk.
        key = recipient.id.casefold()
        if key in seen:
            raise SourceError(f"duplicate recipient id {recipient.id!r} (first on line "
                              f"{seen[key]})", name, line)
        seen[key] = line
        out.append(recipient)
    if not out:
        raise SourceError("lists no recipients", name)
    return tuple(out)


def _csv_rows(text: str, path: str) -> list[tuple[int, dict[str, Any]]]:
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise SourceError("is empty: a header row (id, name, organisation, email, tier) and "
                          "a row per recipient are needed", path) from None
    except csv.Error as exc:
        raise SourceError(f"is not valid CSV: {exc}", path, 1) from None
    twice = sorted({h for h in header if header.count(h) > 1})
    if twice:
        raise SourceError(f"header has the column {twice[0]!r} twice", path, 1)
    unknown = [h for h in header if h not in COLUMNS]
    if unknown or "id" not in header:
        what = f"unknown column {unknown[0]!r}" if unknown else "no 'id' column"
        raise SourceError(f"header has {what}; the columns are {', '.join(COLUMNS)}", path, 1)
    rows = []
    try:
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                raise SourceError(f"has {len(values)} fields where the header has "
                                  f"{len(header)}", path, line)
            rows.append((line, dict(zip(header, values, strict=True))))
    except csv.Error as exc:
        raise SourceError(f"is not valid CSV: {exc}", path, reader.line_num) from None
    return rows


def _toml_rows(text: str, path: str) -> list[tuple[int, dict[str, Any]]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(f"is not valid TOML: {exc}", path) from None
    tables = data.get("recipient")
    if not isinstance(tables, list) or set(data) != {"recipient"}:
        raise SourceError("must hold [[recipient]] tables and nothing else", path)
    # tomllib keeps no positions: a table's line is that of its [[recipient]] header.
    starts = [n for n, line in enumerate(text.splitlines(), 1)
              if line.strip().replace(" ", "") == "[[recipient]]"]
    rows = []
    for index, table in enumerate(tables):
        line = starts[index] if index < len(starts) else 0
        unknown = [k for k in table if k not in COLUMNS]
        if unknown:
            raise SourceError(f"recipient has unknown key {unknown[0]!r}; the keys are "
                              f"{', '.join(COLUMNS)}", path, line)
        if any(not isinstance(v, str) for v in table.values()):
            raise SourceError("recipient values must be text", path, line)
        rows.append((line, table))
    return rows


def _recipient(row: dict[str, Any], tiers: TiersSettings, path: str, line: int) -> Recipient:
    values = {key: one_line(str(row.get(key) or "")).strip() for key in COLUMNS}
    if not values["id"]:
        raise SourceError("recipient has no 'id'", path, line)
    if not _ID_RE.match(values["id"]):
        raise SourceError(f"recipient id {values['id'][:40]!r} must be ASCII letters, digits, "
                          "'.', '-' or '_', starting with a letter or digit (it names the "
                          "recipient's folder)", path, line)
    if values["id"].casefold().split(".")[0] in _RESERVED_IDS or (
            values["id"].casefold() in _RESERVED_IDS):
        raise SourceError(f"recipient id {values['id']!r} is a name a folder cannot take "
                          "(the manifest's, or a device name on Windows)", path, line)
    if values["email"] and not _EMAIL_RE.match(values["email"]):
        raise SourceError(f"recipient {values['id']!r} has an email that is not an address: "
                          f"{values['email'][:60]!r}", path, line)
    tier = values["tier"].lower() or tiers.order[0]
    if tier not in tiers.order:
        raise SourceError(f"recipient {values['id']!r} has tier {values['tier']!r}, not one of "
                          f"[tiers] order ({', '.join(tiers.order)})", path, line)
    return Recipient(id=values["id"], email=values["email"] or None, name=values["name"],
                     organisation=values["organisation"], tier=tier)
