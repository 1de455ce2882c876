"""The vendored caniemail data: which email clients support which HTML and CSS features.

``briefexport/data/caniemail.json`` is written by ``scripts/refresh-caniemail.py`` from the
pinned npm ``caniemail`` package (MIT; ``CANIEMAIL-LICENSE`` beside it), in caniemail's own
field names, with each client of ``choices.CLIENT_FAMILIES`` cut to its latest result.
It is read once per process, on the first check.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from typing import Literal, cast

from briefexport.choices import CLIENT_FAMILIES, MSO_CLIENT, ClientFamily
from briefexport.record import record

#: caniemail's results the lint reads: supported, not supported, partly supported.
#: (Unknown, ``u``, is left out of the vendored data.)
Support = Literal["y", "n", "a"]


@record
class Client:
    """One platform of a client family, e.g. Gmail on Android."""

    family: ClientFamily
    platform: str
    """caniemail's platform key, e.g. ``android``."""
    label: str

    @property
    def name(self) -> str:
        return f"{self.family.title} ({self.label})"

    @property
    def reads_mso(self) -> bool:
        """True for Outlook for Windows, which ``<!--[if !mso]><!-->`` hides markup from."""
        return (self.family.name, self.platform) == MSO_CLIENT


def clients(families: tuple[str, ...] | None = None) -> tuple[Client, ...]:
    """The clients of ``families`` (names of ``CLIENT_FAMILIES``; all when None), in order."""
    chosen = CLIENT_FAMILIES.values() if families is None else (
        CLIENT_FAMILIES[name] for name in families)
    return tuple(Client(family, platform, label)
                 for family in chosen for platform, label in family.platforms)


@record
class Result:
    """A client's latest result for a feature."""

    version: str
    support: Support
    notes: tuple[str, ...]
    """The texts of the notes the result cites (what "partly" means there)."""


@record(eq=False)
class Feature:
    slug: str
    title: str
    category: str
    url: str
    results: Mapping[tuple[str, str], Result]
    """(family, platform) → result; a client without one is unknown."""

    def result(self, client: Client) -> Result | None:
        return self.results.get((client.family.name, client.platform))


@cache
def _resource() -> dict[str, object]:
    path = files("briefexport").joinpath("data", "caniemail.json")
    return cast(dict[str, object], json.loads(path.read_text(encoding="utf-8")))


def _feature(slug: str, raw: Mapping[str, object]) -> Feature:
    notes = cast(Mapping[str, str], raw["notes_by_num"])
    results = {}
    stats = cast(Mapping[str, Mapping[str, Mapping[str, str]]], raw["stats"])
    for family, platforms in stats.items():
        for platform, latest in platforms.items():
            ((version, value),) = latest.items()  # the refresh keeps one result, the latest
            support, *cited = value.split()
            results[family, platform] = Result(
                version, cast(Support, support),
                tuple(notes[n.lstrip("#")] for n in cited if n.lstrip("#") in notes))
    return Feature(slug, str(raw["title"]), str(raw["category"]), str(raw["url"]), results)


@cache
def features() -> dict[str, Feature]:
    """Every caniemail feature by slug."""
    raw = cast(Mapping[str, Mapping[str, object]], _resource()["features"])
    return {slug: _feature(slug, value) for slug, value in raw.items()}


@cache
def version() -> str:
    """The caniemail release the data comes from."""
    return str(cast(Mapping[str, str], _resource()["source"])["version"])
