"""``-f json``: IPTC ninjs 3.1 items and packages, judged by the IPTC's own JSON Schema.

The schema (``fixtures/ninjs-schema_3.1.json``, MIT, ``fixtures/NINJS-LICENSE``) is the IPTC's
file, unchanged; ``jsonschema``'s Draft 2020-12 validator reads it.  Draft 2020-12 treats
``format`` as an annotation, so every item is also checked with format assertions of our own
(RFC 3339 date-times, absolute URIs), under which only a rendition's ``href`` may be a relative
reference: the issue asks for hrefs relative to the JSON file.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner
from conftest import CONFIG, EXAMPLES, FIXTURES, RICH, ROOT, SEED
from jsonschema import Draft202012Validator, FormatChecker

from briefexport.cli import main
from briefexport.pipeline import ExportOptions, export_edition, export_one
from briefexport.source.briefing import read
from briefexport.source.newsroom import KILL_NOTICE

SCHEMA = FIXTURES / "ninjs-schema_3.1.json"
#: The IPTC's file as published (sha256), so that an edit to the fixture cannot pass unseen.
SCHEMA_SHA256 = "404f578a299bf34e76e98f2de26ad9989882ebd7abf3a4d3cf3aa689b70a8744"
SHARED_SCHEMA = ROOT.parent / "shared" / "ninjs" / "ninjs-schema_3.1.json"
EDITION = EXAMPLES / "editions" / "sahel-weekly-12.toml"
SOURCES = sorted([*EXAMPLES.glob("*.md"), *EXAMPLES.glob("*.txt")])
EPOCH = "1764000000"  # 2025-11-24T16:00:00Z

# --------------------------------------------------------------------------- the checkers

_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]"
                  r"|%[0-9A-Fa-f]{2})+")
_REFERENCE = re.compile(r"(?:[A-Za-z0-9\-._~/?#@!$&'()*+,;=]|%[0-9A-Fa-f]{2})+")

FORMATS = FormatChecker(formats=())


@FORMATS.checks("date-time")
def _date_time(value: object) -> bool:
    if not isinstance(value, str) or not _DATE_TIME.fullmatch(value):
        return False
    dt.datetime.fromisoformat(value.replace("Z", "+00:00"))  # a real day and time
    return True


@FORMATS.checks("uri")
def _uri(value: object) -> bool:
    return isinstance(value, str) and bool(_URI.fullmatch(value))


@pytest.fixture(scope="module")
def schema():
    document = json.loads(SCHEMA.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(document)
    return document


def problems(schema, item) -> list[str]:
    """Every way ``item`` breaks the schema, with format assertions on; a rendition's href
    may be a relative reference (to the file beside the JSON)."""
    plain = [f"{list(e.absolute_path)}: {e.message}"
             for e in Draft202012Validator(schema).iter_errors(item)]
    strict = []
    for e in Draft202012Validator(schema, format_checker=FORMATS).iter_errors(item):
        path = list(e.absolute_path)
        relative_href = (e.validator == "format" and len(path) >= 3
                         and path[-3] == "renditions" and path[-1] == "href"
                         and bool(_REFERENCE.fullmatch(e.instance))
                         and not urlsplit(e.instance).scheme)
        if e.validator == "format" and not relative_href:
            strict.append(f"{path}: {e.message}")
    return plain + strict


def assert_valid(schema, item) -> None:
    assert problems(schema, item) == []


def export_json(source: Path, out: Path, settings, *formats: str, **options) -> dict:
    result = export_one(source, settings, ExportOptions(out_dir=out,
                                                        formats=formats or ("json",),
                                                        **options))
    assert result.ok, result.error
    return json.loads((out / f"{source.stem}.json").read_text(encoding="utf-8"))


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def by_role(entries: list[dict], role: str) -> list[str]:
    return [e["value"] for e in entries if e.get("role") == role]


# --------------------------------------------------------------------------- the schema


def test_the_schema_is_the_iptcs_file_unchanged():
    assert hashlib.sha256(SCHEMA.read_bytes()).hexdigest() == SCHEMA_SHA256
    assert "MIT License" in (FIXTURES / "NINJS-LICENSE").read_text(encoding="utf-8")
    if SHARED_SCHEMA.is_file():  # beside the repository, on the desk's machines
        assert SHARED_SCHEMA.read_bytes() == SCHEMA.read_bytes()


def test_the_checkers_refuse_what_the_schema_refuses(schema, tmp_path, settings):
    item = export_json(RICH, tmp_path, settings)
    assert_valid(schema, item)
    broken = []
    extra = dict(item, briefexport={"reference": "SAH-2026-114"})  # an extension property
    broken.append(extra)
    inner = copy.deepcopy(item)
    inner["associations"][0]["clicks"] = 3  # an extension property inside an association
    broken.append(inner)
    rendition = dict(item, renditions=[{"name": "pdf", "href": "x.pdf", "size": 3}])
    broken.append(rendition)
    broken.append(dict(item, urgency=10))
    broken.append(dict(item, pubStatus="killed"))
    broken.append({k: v for k, v in item.items() if k != "uri"})
    unnamed = copy.deepcopy(item)
    del unnamed["associations"][0]["name"]
    broken.append(unnamed)
    for bad in broken:
        assert list(Draft202012Validator(schema).iter_errors(bad)), bad
    # The format assertions the schema leaves to annotations are ours, and they bite too.
    assert problems(schema, dict(item, versionCreated="2026-11-20"))
    assert problems(schema, dict(item, uri="SAH 2026 114"))
    assert problems(schema, dict(item, associations=[{"name": "x", "uri": "portal/x"}]))


# --------------------------------------------------------------------------- every example


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_every_example_is_a_valid_item(schema, tmp_path, settings, source, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    item = export_json(source, tmp_path, settings)
    assert_valid(schema, item)
    briefing = read(source, settings)
    meta = briefing.meta
    assert item["type"] == "text" and item["pubStatus"] == "usable"
    assert item["version"] == "1" and item["urgency"] == meta.urgency
    assert item["versionCreated"] == "2025-11-24T16:00:00Z"
    assert item["firstCreated"] == f"{meta.date.isoformat()}T00:00:00Z"
    assert item["language"] == meta.lang and item["slugline"] == meta.slug
    assert by_role(item["headlines"], "main") == [meta.title]
    assert by_role(item["headlines"], "sub") == [meta.summary]
    local = meta.reference or f"{meta.slug.lower()}-{meta.date.isoformat()}"
    assert item["uri"] == f"urn:briefexport:{local}"
    # Both bodies: the HTML fragment (no email chrome) and the very wire text `txt` writes.
    html = by_role(item["bodies"], "main")[0]
    assert "<p>" in html and "<html" not in html and "mj-" not in html
    txt = export_one(source, settings, ExportOptions(out_dir=tmp_path / "txt",
                                                     formats=("txt",)))
    assert by_role(item["bodies"], "wire") == [txt.files[0].read_text(encoding="utf-8")]
    # Every call to action and every resolved link is an association a portal can follow.
    assoc = item["associations"]
    assert [(a["uri"], a["title"]) for a in assoc if a["rel"] == "cta"] == [
        (c.url, c.label) for c in briefing.ctas if c.url]
    assert [a["uri"] for a in assoc if a["rel"] == "link"] == list(dict.fromkeys(
        link.url for link in briefing.links if link.url))
    assert {a["uri"] for a in assoc} >= {link.url for link in briefing.links if link.url}
    for a in assoc:
        assert a["uri"] in html  # the same targets the body links to
    # From the config and the front matter.
    assert item["copyrightNotice"] == settings.brand.copyright
    assert settings.brand.disclaimer in item["usageTerms"]
    assert item["infoSources"] == [{"name": settings.brand.name, "role": "publisher"}]
    assert [s["name"] for s in item.get("subjects", [])] == list(meta.tags)
    assert [p["name"] for p in item.get("places", [])] == ([meta.region] if meta.region
                                                          else [])


def test_the_rich_example_carries_its_handling_and_intelligence(schema, tmp_path, settings):
    item = export_json(RICH, tmp_path, settings)
    assert item["usageTerms"].startswith("TLP:AMBER | CLIENT CONFIDENTIAL. ")
    assert item["by"] == "Sahel Desk"
    assert item["altIds"] == [{"role": "reference", "value": "SAH-2026-114"}]
    judgements = by_role(item["descriptions"], "key-judgement")
    assert len(judgements) == 3 and "**" not in judgements[0]
    assert by_role(item["descriptions"], "risk") == [
        "high, rising; security: extreme, political: high, operational: high"]
    # The figure: at the URL the email uses, as a picture association too.
    src = "https://assets.meridian-risk.example/briefings/maps/burkina-faso-corridors.png"
    assert f'<img src="{src}"' in by_role(item["bodies"], "main")[0]
    figure = next(a for a in item["associations"] if a["rel"] == "figure")
    assert figure["type"] == "picture" and figure["uri"] == src


# --------------------------------------------------------------------------- the edition


def test_an_edition_is_a_package_of_each_storys_own_item(schema, tmp_path, settings,
                                                         monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    result = export_edition(EDITION, settings, ExportOptions(out_dir=tmp_path,
                                                             formats=("txt", "json")))
    assert result.ok, result.error
    package = json.loads((tmp_path / "sahel-weekly-12.json").read_text(encoding="utf-8"))
    assert_valid(schema, package)
    assert package["type"] == "composite"
    assert package["uri"] == "urn:briefexport:edition-sahel-weekly-12"
    assert by_role(package["headlines"], "main") == ["Sahel Weekly, No. 12"]
    assert by_role(package["bodies"], "wire") == [
        (tmp_path / "sahel-weekly-12.txt").read_text(encoding="utf-8")]
    stories = [a for a in package["associations"] if a.get("rel") == "story"]
    assert [s["name"] for s in stories] == ["story-1", "story-2", "story-3"]
    # A portal finds each story whole: the item its own export writes, with the same uri.
    edition_date = dt.date(2026, 11, 27)  # the Mali story takes the edition's date
    for story, source in zip(stories, ("mali-second-coup.txt",
                                       "burkina-faso-fuel-blockade.md",
                                       "niger-uranium-exports.md"), strict=True):
        alone = export_json(EXAMPLES / source, tmp_path / "alone", settings,
                            default_date=edition_date)
        item = {k: v for k, v in story.items() if k not in ("name", "rel")}
        assert_valid(schema, item)
        assert item == alone
        assert item["bodies"] and item["uri"].startswith("urn:briefexport:")
    assert len({s["uri"] for s in stories}) == 3
    assert package["usageTerms"].startswith("TLP:AMBER | CLIENT CONFIDENTIAL. ")


def test_the_edition_command_writes_the_package_with_its_renditions(schema, tmp_path):
    result = run("edition", EDITION, "--config", CONFIG, "-o", tmp_path, "-f", "txt,json")
    assert result.exit_code == 0, result.output
    package = json.loads((tmp_path / "sahel-weekly-12.json").read_text(encoding="utf-8"))
    assert_valid(schema, package)
    [txt] = package["renditions"]
    assert txt["href"] == "sahel-weekly-12.txt" and txt["contentType"].startswith("text/plain")
    assert txt["sizeInBytes"] == (tmp_path / "sahel-weekly-12.txt").stat().st_size
    for story in package["associations"]:
        assert "renditions" not in story  # the files are the edition's, not a story's


# --------------------------------------------------------------------------- renditions


def test_renditions_name_the_files_written_beside_the_json(schema, tmp_path):
    result = run("export", RICH, "--config", CONFIG, "-o", tmp_path, "-f", "pdf,html,json")
    assert result.exit_code == 0, result.output
    written = [Path(line) for line in result.stdout.splitlines()]
    assert [p.suffix for p in written] == [".pdf", ".html", ".json"]
    path = tmp_path / "burkina-faso-fuel-blockade.json"
    item = json.loads(path.read_text(encoding="utf-8"))
    assert_valid(schema, item)
    renditions = item["renditions"]
    assert [(r["name"], r["contentType"]) for r in renditions] == [
        ("pdf", "application/pdf"), ("html", "text/html; charset=utf-8")]
    for r in renditions:
        target = path.parent / unquote(r["href"])
        assert not urlsplit(r["href"]).scheme and target.is_file()
        assert r["sizeInBytes"] == target.stat().st_size == len(target.read_bytes())
    assert (path.parent / renditions[0]["href"]).read_bytes().startswith(b"%PDF-")


def test_a_json_alone_has_no_renditions_and_an_href_is_a_url_path(schema, tmp_path,
                                                                    settings):
    assert "renditions" not in export_json(RICH, tmp_path / "alone", settings)
    source = tmp_path / "fuel blockade #2.md"
    source.write_text("# NIGER: A title\n\nA body.\n", encoding="utf-8")
    item = export_json(source, tmp_path / "out", settings, "txt", "json")
    assert_valid(schema, item)
    [r] = item["renditions"]
    assert r["href"] == "fuel%20blockade%20%232.txt"
    assert (tmp_path / "out" / unquote(r["href"])).stat().st_size == r["sizeInBytes"]


def test_the_json_reuses_the_wire_text_and_loads_no_email_or_pdf(tmp_path, settings,
                                                                 render_calls):
    result = export_one(SEED, settings, ExportOptions(out_dir=tmp_path,
                                                      formats=("txt", "json")))
    assert result.ok, result.error
    assert sorted(render_calls) == ["read", "txt"]  # the wire body is the txt render


# --------------------------------------------------------------------------- newsroom status


BRIEF = """\
---
title: Junta closes the border with Benin
slug: NIGER
date: 2026-11-24
reference: SAH-2026-120
tags: [Niger, borders]
region: West Africa
{extra}
---

The **zebra-crossing** incident at Gaya closed the [Malanville bridge](https://example.org/gaya).

[Client Portal >>](#)
"""


def test_a_kill_is_canceled_and_carries_nothing_of_the_source(schema, tmp_path, settings,
                                                                write_source):
    live = export_json(write_source(BRIEF.format(extra="")), tmp_path / "live", settings)
    source = write_source(BRIEF.format(extra="status: canceled"), "killed.md")
    item = export_json(source, tmp_path, settings)
    assert_valid(schema, item)
    assert item["pubStatus"] == "canceled"
    assert item["uri"] == live["uri"] == "urn:briefexport:SAH-2026-120"  # it replaces it
    assert KILL_NOTICE in by_role(item["headlines"], "sub")
    raw = (tmp_path / "killed.json").read_text(encoding="utf-8")
    for words in ("zebra", "Gaya", "Malanville", "example.org", "borders", "West Africa"):
        assert words not in raw
        assert words in json.dumps(live, ensure_ascii=False)
    assert "associations" not in item and "subjects" not in item


def test_a_correction_is_a_new_version_of_the_same_item(schema, tmp_path, settings,
                                                        write_source):
    first = export_json(write_source(BRIEF.format(extra="")), tmp_path / "v1", settings)
    source = write_source(BRIEF.format(extra=(
        "version: 2\ncorrections:\n"
        "  - {date: 2026-11-25, note: \"The bridge is at Malanville, not Gaya.\"}\n"
        "  - {date: 2026-11-26, note: Restored the reference.}")), "v2.md")
    item = export_json(source, tmp_path, settings)
    assert_valid(schema, item)
    assert item["uri"] == first["uri"] and item["version"] == "2" and first["version"] == "1"
    assert item["firstCreated"] == first["firstCreated"] == "2026-11-24T00:00:00Z"
    assert by_role(item["descriptions"], "correction") == [
        "2026-11-25: The bridge is at Malanville, not Gaya.",
        "2026-11-26: Restored the reference."]
    assert '<time datetime="2026-11-25">' in by_role(item["bodies"], "main")[0]


@pytest.mark.parametrize("now", ["2026-12-03T05:00:00Z", "2026-12-04T00:00:00Z"],
                         ids=["holding", "lifted"])
def test_an_embargo_is_carried_as_data_held_or_lifted(schema, tmp_path, settings,
                                                       write_source, monkeypatch, now):
    monkeypatch.setenv("BRIEFEXPORT_NOW", now)
    source = write_source(BRIEF.format(extra="embargo: 2026-12-03T07:00:00+01:00\nurgency: 2"))
    item = export_json(source, tmp_path, settings)
    assert_valid(schema, item)
    assert item["embargoedUntil"] == "2026-12-03T06:00:00Z"
    assert item["urgency"] == 2


def test_withheld_writes_only_the_json_and_says_so(schema, tmp_path, write_source):
    source = write_source(BRIEF.format(extra="status: withheld"))
    result = run("export", source, "--config", CONFIG, "-o", tmp_path / "out",
                 "-f", "pdf,html,txt,json", "--strict")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["brief.json"]
    assert result.stdout.splitlines() == [str(tmp_path / "out" / "brief.json")]
    assert "status: withheld" in result.stderr and "pdf, html, txt held back" in result.stderr
    item = json.loads((tmp_path / "out" / "brief.json").read_text(encoding="utf-8"))
    assert_valid(schema, item)
    assert item["pubStatus"] == "withheld" and "renditions" not in item


def test_withheld_without_json_writes_nothing_and_says_so(tmp_path, write_source):
    source = write_source(BRIEF.format(extra="status: withheld"))
    result = run("export", source, "--config", CONFIG, "-o", tmp_path / "out", "-f", "txt")
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert result.stdout == ""
    assert "nothing written; txt held back" in result.stderr


# --------------------------------------------------------------------------- determinism


def test_the_same_source_gives_the_same_bytes(tmp_path, settings, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    export_json(RICH, tmp_path / "a", settings, "txt", "json")
    export_json(RICH, tmp_path / "b", settings, "txt", "json")
    a = (tmp_path / "a" / "burkina-faso-fuel-blockade.json").read_bytes()
    b = (tmp_path / "b" / "burkina-faso-fuel-blockade.json").read_bytes()
    assert a == b and a.endswith(b"}\n")
    text = a.decode("utf-8")
    assert "capital’s" in text and "\\u2019" not in text  # UTF-8 as it is
    assert list(json.loads(text))[:3] == ["uri", "type", "representationType"]
