"""Refresh the vendored caniemail data (src/briefexport/data/caniemail.json) and its licence.

    .venv/bin/python scripts/refresh-caniemail.py [--version X.Y.Z]

Installs the pinned npm ``caniemail`` package into a temporary folder with the machine's npm,
keeps what the client-support lint reads, in caniemail's own field names (each feature's title,
category and URL; its ``stats`` cut to the clients of ``choices.CLIENT_FAMILIES``, each with its
latest result only; the ``notes_by_num`` those results cite) and writes it with sorted keys, one
feature a line, so that a refresh shows in a diff as what changed in caniemail.
Bump VERSION, run this, then update the version named in README.md (a test compares them).

The version rule: caniemail lists a client's results oldest first, so the last one is the
client's current support; a last result of ``u`` (unknown) is dropped: the lint says nothing
about that client.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "briefexport" / "data"
#: The pinned caniemail release the vendored data comes from.
VERSION = "2.0.2"

sys.path.insert(0, str(ROOT / "src"))  # the client list as written, not an installed copy's
from briefexport.choices import CLIENT_FAMILIES  # noqa: E402


def install(version: str, folder: Path) -> Path:
    """The installed package's folder (its data only: no install scripts run)."""
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("refresh-caniemail: npm is needed")
    subprocess.run([npm, "install", "--prefix", str(folder), "--no-audit", "--no-fund",
                    "--loglevel=error", "--ignore-scripts", "--save-exact",
                    f"caniemail@{version}"], check=True)
    return folder / "node_modules" / "caniemail"


def latest(results: dict[str, str]) -> dict[str, str]:
    """A client's last result as caniemail writes it (``{"2019": "a #1"}``); none if unknown."""
    if not results:
        return {}
    version, value = list(results.items())[-1]
    return {} if value.split()[0] == "u" else {version: value}


def reduce(feature: dict[str, Any]) -> dict[str, Any]:
    """caniemail's own fields, ``stats`` cut to our clients' latest results and
    ``notes_by_num`` to the notes those cite."""
    stats: dict[str, dict[str, dict[str, str]]] = {}
    cited: set[str] = set()
    for family in CLIENT_FAMILIES.values():
        for platform, _ in family.platforms:
            entry = latest(feature["stats"].get(family.name, {}).get(platform, {}))
            if entry:
                stats.setdefault(family.name, {})[platform] = entry
                cited.update(n.lstrip("#") for v in entry.values() for n in v.split()[1:])
    notes = feature.get("notes_by_num") or {}
    return {"title": feature["title"].strip(), "category": feature["category"],
            "url": feature["url"], "stats": stats,
            "notes_by_num": {n: notes[n] for n in sorted(cited, key=int) if n in notes}}


def dump(source: dict[str, str], features: dict[str, dict[str, Any]]) -> str:
    """Sorted keys, one feature a line: small, and a refresh diffs feature by feature."""
    def compact(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    lines = [f"{compact(slug)}:{compact(features[slug])}" for slug in sorted(features)]
    return ('{"features":{\n' + ",\n".join(lines) + '\n},\n"source":' + compact(source)
            + "}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", default=VERSION, help="the caniemail release")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        package = install(args.version, Path(tmp))
        raw = json.loads((package / "data" / "caniemail.json").read_text(encoding="utf-8"))
        found = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
        features = {f["slug"]: reduce(f) for f in raw["data"]}
        source = {"package": "caniemail", "version": found,
                  "last_update_date": raw["last_update_date"]}
        text = dump(source, features)
        assert json.loads(text) == {"features": features, "source": source}
        DATA.mkdir(parents=True, exist_ok=True)
        (DATA / "caniemail.json").write_text(text, encoding="utf-8")
        shutil.copyfile(package / "LICENSE", DATA / "CANIEMAIL-LICENSE")
    print(f"caniemail {found}: {len(features)} features, {len(text) // 1000} kB")


if __name__ == "__main__":
    main()
