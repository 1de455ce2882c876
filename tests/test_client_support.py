"""check's client-support lint: what in the email as sent some email clients do not support.

Unit cases on small HTML, the findings ``check`` makes of them, the vendored caniemail data, and
a cross-check of the features found against npm @jsx-email/doiuse-email (pinned in the
Makefile with the other email tools) on every example's email, every edition's and a fixture
that uses a little of everything.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CONFIG, FIXTURES, ROOT, SEED
from emailkit import (
    EDITIONS,
    EXAMPLE_SOURCES,
    email_tools,
    rendered,
    rendered_edition,
    require,
    write_each,
)

from briefexport.choices import CLIENT_FAMILIES
from briefexport.commands.check import CLIENT_SUPPORT, check_source
from briefexport.commands.clientsupport import FALLBACKS, client_support, features_used
from briefexport.commands.clientsupport.data import clients, features, version
from briefexport.config import load_settings

HERE = Path(__file__).resolve().parent
SINK = FIXTURES / "client-support-sink.html"


def page(body: str = "", css: str = "") -> str:
    style = f"<style>{css}</style>" if css else ""
    return f"<html><head>{style}</head><body>{body}</body></html>"


def gap(html: str, slug: str, families: tuple[str, ...] | None = None):
    (found,) = [g for g in client_support(html, families) if g.feature.slug == slug]
    return found


# --------------------------------------------------------------------------- what is found


@pytest.mark.parametrize(("html", "slugs"), [
    (page('<div style="display:flex">x</div>'), {"css-display", "css-display-flex"}),
    (page(css=".a.b { color: red }"), {"css-selector-chaining", "css-selector-class"}),
    (page(css=".a .b { color: red }"), {"css-selector-descendant"}),
    (page(css="a > b, c + d, e ~ f { color: red }"),
     {"css-selector-child", "css-selector-adjacent-sibling", "css-selector-general-sibling",
      "css-selector-grouping", "css-selector-type"}),
    (page(css="#x [data-y] * { color: red }"),
     {"css-selector-id", "css-selector-attribute", "css-selector-universal"}),
    (page(css="a:hover, p::before, p:after, li:not(:first-child) { color: red }"),
     {"css-pseudo-class-hover", "css-pseudo-element-before", "css-pseudo-element-after",
      "css-pseudo-class-not", "css-pseudo-class-first-child"}),
    (page(css="p { width: calc(100% - 2em); color: rgba(0,0,0,.5); margin: var(--m) }"),
     {"css-unit-calc", "css-unit-percent", "css-unit-em", "css-rgba", "css-variables"}),
    (page(css=":root { --m: 1px } p { color: red !important }"),
     {"css-variables", "css-important", "css-unit-px"}),
    # A side's property is its shorthand's feature: margin, padding, border.
    (page('<p style="margin-top:1px;padding-left:2px;border-top-color:red">x</p>'),
     {"css-margin", "css-padding", "css-border"}),
    (page(css="@media (prefers-color-scheme: dark) { p { color: red } }"),
     {"css-at-media", "css-at-media-prefers-color-scheme"}),
    (page(css="@media (-webkit-min-device-pixel-ratio: 2) { p { color: red } }"),
     {"css-at-media-device-pixel-ratio"}),
    (page(css="@supports (display: grid) { p { display: grid } }"),
     {"css-at-supports", "css-display-grid"}),
    (page(css="p { font-family: system-ui; } /* a comment */"), {"css-sytem-ui", "css-comments"}),
    (page("<h3>x</h3><section>y</section><ol><li>z</li></ol>"),
     {"html-h1-h6", "html-semantics", "html-lists"}),
    (page('<input type="checkbox"><button type="submit">go</button>'),
     {"html-input-checkbox", "html-button-submit"}),
    (page('<a href="mailto:a@b.example">m</a><a href="#top">t</a>'),
     {"html-mailto-links", "html-anchor-links"}),
    (page('<img src="a.webp?v=2" srcset="a.webp 2x" alt=""><img src="data:image/png;base64,AA" '
          'alt="">'), {"image-webp", "image-png", "image-base64", "html-srcset", "html-img"}),
    (page('<table align="center" width="600"><tr><td>x</td></tr></table>'),
     {"html-align", "html-width", "html-table"}),
])
def test_features_found(html, slugs):
    found = features_used(html)
    assert slugs <= found, slugs - found
    assert found <= set(features())  # only features caniemail has


def test_nothing_inside_a_comment_is_read():
    # Outlook's conditional blocks are for Outlook for Windows, written for it: not linted.
    found = features_used(page('<!--[if mso]><div style="display:flex"></div><![endif]-->'))
    assert "html-comments" in found
    assert not found & {"css-display", "css-display-flex", "html-div"}


def test_a_style_attribute_is_not_the_style_element():
    assert "html-style" not in features_used(page('<p style="color:red">x</p>'))
    assert "html-style" in features_used(page(css="p { color: red }"))


# --------------------------------------------------------------------------- what is reported


def test_flex_is_a_warning_naming_outlook():
    flex = gap(page('<div style="display:flex">x</div>'), "css-display-flex")
    assert not flex.covered
    assert flex.message().startswith("display:flex: not supported in ")
    assert "Outlook (Windows)" in flex.message()
    assert flex.hint().endswith(flex.feature.url)


def test_media_is_an_info_naming_its_fallback():
    media = gap(page(css="@media (min-width:480px) { .a { width: 100% } }"), "css-at-media")
    assert media.covered
    assert media.hint() == FALLBACKS["css-at-media"].says
    assert "ghost tables" in media.hint()
    assert media.details()["fallback"] == media.hint()


def test_a_fallback_that_an_image_breaks_is_a_warning():
    blocks = page('<div style="max-width:600px">x</div>')
    assert gap(blocks, "css-max-width").covered
    image = gap(page('<div style="max-width:600px"><img src="a.png" alt="" '
                     'style="max-width:100%"></div>'), "css-max-width")
    assert not image.covered
    assert image.hint() == FALLBACKS["css-max-width"].then
    assert image.details()["fallback"] is None


@pytest.mark.parametrize(("style", "slug"), [
    ("font-size:1rem", "css-font-size"),
    ("font-weight:700", "css-font-weight"),
    ("text-align:start", "css-text-align"),
    ("margin:-4px 0", "css-margin"),
    ("border:12px solid red", "css-border"),
    ("height:40px", "css-height"),
    ("line-height:20px", "css-line-height"),
    ("background:url(a.png)", "css-background"),
])
def test_a_fallback_is_checked_on_the_email(style, slug):
    # What the template keeps to, checked on each email: outside it, a warning.
    assert not gap(page(f'<p style="{style}">x</p>'), slug).covered


def test_what_outlook_for_windows_never_sees_is_not_held_against_it():
    hidden = page('<!--[if !mso]><!--><div style="border-radius:4px">x</div><!--<![endif]-->')
    radius = gap(hidden, "css-border-radius")
    assert "Outlook (Windows)" not in radius.message() and "Yahoo" in radius.message()
    shown = gap(page('<div style="border-radius:4px">x</div>'), "css-border-radius")
    assert "Outlook (Windows)" in shown.message()


def test_mjmls_divider_is_drawn_for_outlook_by_its_ghost_table():
    rule = '<p style="border-top:solid 1px #ccc;font-size:1px"></p>'
    ghost = ('<!--[if mso | IE]><table border="0" style="border-top:solid 1px #ccc;"><tr><td>'
             '&nbsp;</td></tr></table><![endif]-->')
    assert gap(page(rule + ghost), "css-border").covered
    assert not gap(page(rule + "<div>next</div>"), "css-border").covered


def test_exact_line_heights_are_outlooks_fallback():
    exact = page('<div style="line-height:24px;mso-line-height-rule:exactly">x</div>')
    assert gap(exact, "css-line-height").covered


def test_clients_narrow_the_report():
    html = page('<div style="display:flex">x</div>')
    assert {c.family.name for c in gap(html, "css-display-flex").unsupported} >= {"outlook"}
    gmail = gap(html, "css-display-flex", ("gmail",))
    assert {c.family.name for c in gmail.unsupported + gmail.partial} == {"gmail"}
    assert "Outlook" not in gmail.message()
    # Apple Mail supports flex: nothing to report for it alone.
    assert not [g for g in client_support(html, ("apple-mail",))
                if g.feature.slug == "css-display-flex"]


def test_a_record_names_every_client_with_its_support():
    record = gap(page('<div style="display:flex">x</div>'), "css-display-flex").details()
    assert set(record) == {"feature", "title", "url", "clients", "notes", "fallback"}
    assert record["feature"] == "css-display-flex" and record["title"] == "display:flex"
    assert record["clients"]["Outlook (Windows)"] == "unsupported"
    assert set(record["clients"].values()) <= {"unsupported", "partial"}
    assert set(record["clients"]) <= {c.name for c in clients()}
    assert set(record["notes"]) <= set(record["clients"])


def test_every_fallback_is_for_a_feature_the_emails_use():
    # A fallback names what the built-in templates do: one the emails no longer need goes.
    used = set().union(*(features_used(rendered(s).html) for s in EXAMPLE_SOURCES),
                       *(features_used(rendered_edition(e).html) for e in EDITIONS))
    assert set(FALLBACKS) <= used, set(FALLBACKS) - used
    assert set(FALLBACKS) <= set(features())


@pytest.mark.parametrize("source", [SEED, SEED.with_name("niger-uranium-exports.md")],
                         ids=lambda p: p.stem)
def test_an_email_of_text_and_links_has_only_fallbacks(source):
    # What the template uses, some clients lack, each with its fallback: nothing to warn of.
    gaps = client_support(rendered(source).html)
    assert gaps and all(g.covered for g in gaps), [g.message() for g in gaps if not g.covered]


# --------------------------------------------------------------------------- check


def run(*args: object):
    from briefexport.cli import main

    return CliRunner().invoke(main, [str(a) for a in args])


SVG = ("---\ntitle: Junta expels envoy\ndate: 2026-05-25\nsummary: The junta expelled the envoy"
       " after a row over the election timetable.\n---\n\nThe [statement](https://gov.example/s) "
       "was read out.\n\n![The junta's logo](https://img.example/logo.svg)\n")


def test_check_reports_one_finding_per_feature(write_source):
    findings = [f for f in check_source(write_source(SVG), load_settings(CONFIG))
                if f.code == CLIENT_SUPPORT]
    slugs = [f.details["feature"] for f in findings if f.details]
    assert len(slugs) == len(set(slugs)) == len(findings)
    (svg,) = [f for f in findings if f.details and f.details["feature"] == "image-svg"]
    assert svg.severity == "warning" and svg.line is None
    assert svg.message.startswith("SVG image format: not supported in Gmail (web")
    assert all(f.severity == ("info" if f.details and f.details["fallback"] else "warning")
               for f in findings)


def test_check_command_text_and_clients(write_source):
    source = write_source(SVG)
    result = run("check", source, "--config", CONFIG)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    (line,) = [x for x in lines if "SVG image format" in x]
    assert line.startswith(f"{source}: warning: SVG image format: not supported in Gmail (")
    assert line.endswith("[client-support]")
    assert lines[lines.index(line) + 1] == (
        "    fix: check the email in those clients, or do without it: "
        "https://www.caniemail.com/features/image-svg/")
    assert "feature(s) some email clients lack have a fallback" in lines[-1]
    assert run("check", source, "--config", CONFIG, "--strict").exit_code == 1
    # Apple Mail shows SVG images.
    apple = run("check", source, "--config", CONFIG, "--clients", "apple-mail")
    assert "SVG image format" not in apple.stdout


def test_check_command_json_has_one_record_per_feature():
    result = run("check", SEED, "--config", CONFIG, "--format", "json", "--clients",
                 "gmail, Outlook")
    assert result.exit_code == 0, result.output
    records = [f["details"] for f in json.loads(result.stdout)["files"][0]["findings"]
               if f["code"] == CLIENT_SUPPORT]
    assert records and len({r["feature"] for r in records}) == len(records)
    named = {name for r in records for name in r["clients"]}
    assert named and all(n.startswith(("Gmail (", "Outlook (")) for n in named)
    assert {"Outlook (Windows)", "Gmail (web)"} <= named
    assert all(r["fallback"] for r in records)  # the seed's email: fallbacks only


def test_unknown_clients_are_a_usage_error():
    result = run("check", SEED, "--clients", "gmail,hotmail")
    assert result.exit_code == 2
    assert "unknown client 'hotmail'; choose from gmail, outlook, apple-mail, yahoo" in (
        result.output)


# --------------------------------------------------------------------------- the data


def test_the_data_and_its_licence_are_in_the_package():
    data = files("briefexport").joinpath("data")
    assert "Permission is hereby granted" in data.joinpath("CANIEMAIL-LICENSE").read_text()
    assert len(features()) > 250
    assert f"`caniemail` {version()}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_data_covers_every_client_and_no_other():
    wanted = {(c.family.name, c.platform) for c in clients()}
    present = {key for f in features().values() for key in f.results}
    assert present == wanted


def refresh_script(monkeypatch):
    monkeypatch.setattr(sys, "path", list(sys.path))  # the script puts src/ first
    spec = importlib.util.spec_from_file_location("refresh", ROOT / "scripts" /
                                                  "refresh-caniemail.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_vendored_file_is_as_the_refresh_writes_it(monkeypatch):
    script = refresh_script(monkeypatch)
    text = (ROOT / "src" / "briefexport" / "data" / "caniemail.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert script.dump(data["source"], data["features"]) == text  # sorted, one feature a line
    assert data["source"]["version"] == script.VERSION == version()


def test_the_refresh_keeps_each_clients_latest_known_result(monkeypatch):
    latest = refresh_script(monkeypatch).latest
    assert latest({"2019-02": "n", "2023-01": "a #1 #3"}) == {"2023-01": "a #1 #3"}
    assert latest({"2019": "y", "2021": "u"}) == {}
    assert latest({}) == {}


def test_client_families_are_caniemails():
    assert set(CLIENT_FAMILIES) == {"gmail", "outlook", "apple-mail", "yahoo"}


# --------------------------------------------------------------------------- doiuse-email

#: Features the lint finds that @jsx-email/doiuse-email 1.0.4 does not, and why.  In each, the
#: email uses the feature: the difference is doiuse-email's.
_BY_TITLE = ("doiuse-email finds a property only when caniemail's title is its bare name, not "
             "'… property' or a list")
_FIRST_OF_TITLE = "doiuse-email takes only the first element a title names (<h1>, <ul>)"
_NOT_NESTED = "doiuse-email reads no rule inside @media or @supports"
_LONGHAND = "doiuse-email does not count a side's property (margin-top) as its shorthand's"
_NEWER_DATA = "not in doiuse-email's bundled caniemail data (2024-10-09)"
_FUNCTIONS = ("doiuse-email's function matching compares each title with a function's name "
              "swapped, so it finds no function")
ONLY_OURS = {
    "css-at-media-prefers-color-scheme": "doiuse-email names at-rules, never media features",
    "css-color-scheme": _BY_TITLE,
    "css-height": _BY_TITLE,
    "css-max-height": _BY_TITLE,
    "css-width": _BY_TITLE,
    "css-gap": _BY_TITLE,
    "css-left-right-top-bottom": _BY_TITLE,
    "css-border": _LONGHAND,
    "css-margin": _LONGHAND,
    "css-padding": _LONGHAND,
    "css-cursor": _NEWER_DATA,
    "css-word-wrap": _NEWER_DATA,
    "css-display-none": _NOT_NESTED,
    "css-display-grid": _NOT_NESTED,
    "css-important": _NOT_NESTED,
    "css-rgba": _FUNCTIONS,
    "css-linear-gradient": _FUNCTIONS,
    "css-unit-calc": _FUNCTIONS,
    "css-variables": _FUNCTIONS,
    "css-selector-grouping": "doiuse-email checks a selector list one selector at a time",
    "css-sytem-ui": "doiuse-email does not look for font keywords (system-ui…)",
    "html-comments": "doiuse-email reads no comments",
    "html-doctype": "doiuse-email looks for the doctype among elements (htmlparser2 gives it "
                    "as a directive)",
    "html-h1-h6": _FIRST_OF_TITLE,
    "html-lists": _FIRST_OF_TITLE,
    "html-meta-color-scheme": "doiuse-email has no rule for caniemail's 'color-scheme meta tag'",
    "html-style": "doiuse-email reads the CSS of <style> but never counts the element "
                  "(htmlparser2 types it apart from tags)",
    "html-svg": "doiuse-email looks for caniemail's 'Embedded <svg> image' as <image>",
}
#: Every image format (``image-*``): doiuse-email does not look at images.
IMAGE_FORMATS = "doiuse-email does not look at image formats"
#: Features doiuse-email finds that the lint does not, and why.
ONLY_THEIRS = {
    "css-selector-chaining": "doiuse-email counts two classes anywhere in a selector "
                             "(.moz-text-html .mj-column-per-100) as chaining; caniemail's "
                             "chaining is two in one compound selector (.a.b)",
}


def why_only_ours(slug: str) -> str | None:
    return ONLY_OURS.get(slug) or (IMAGE_FORMATS if slug.startswith("image-") else None)


def doiuse(*paths: Path) -> dict[str, set[str]]:
    tools = email_tools() / "node_modules"
    require((tools / "@jsx-email" / "doiuse-email").is_dir() and shutil.which("node"),
            "npm @jsx-email/doiuse-email")
    proc = subprocess.run(["node", str(HERE / "doiuse.cjs"), *map(str, paths)],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "NODE_PATH": str(tools)})
    assert proc.returncode == 0, proc.stderr
    return {(record := json.loads(line))["file"]: set(record["features"])
            for line in proc.stdout.splitlines()}


def test_the_features_found_are_doiuse_emails_but_the_differences_explained(tmp_path):
    paths = write_each(tmp_path, [
        *((f"{s.stem}.html", rendered(s).html) for s in EXAMPLE_SOURCES),
        *((f"{e.stem}.html", rendered_edition(e).html) for e in EDITIONS),
        (SINK.name, SINK.read_text(encoding="utf-8"))])
    theirs = doiuse(*paths)
    assert len(theirs) == len(paths)
    unexplained = []
    for path in paths:
        ours = features_used(path.read_text(encoding="utf-8"))
        found = theirs[str(path)]
        assert len(found & ours) > 30, path.name  # the same emails, read alike for the most part
        unexplained += [f"{path.name}: only the lint finds {slug}" for slug in sorted(ours - found)
                        if not why_only_ours(slug)]
        unexplained += [f"{path.name}: only doiuse-email finds {slug}"
                        for slug in sorted(found - ours) if slug not in ONLY_THEIRS]
    assert unexplained == []


def test_the_cross_check_can_fail(tmp_path, monkeypatch):
    monkeypatch.delitem(ONLY_THEIRS, "css-selector-chaining")
    with pytest.raises(AssertionError, match="only doiuse-email finds css-selector-chaining"):
        test_the_features_found_are_doiuse_emails_but_the_differences_explained(tmp_path)


def test_every_explanation_names_a_caniemail_feature():
    assert (set(ONLY_OURS) | set(ONLY_THEIRS)) <= set(features())
    assert why_only_ours("image-webp") == IMAGE_FORMATS and why_only_ours("html-div") is None
