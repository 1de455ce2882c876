"""Packaged templates and styles, and the order in which themes are searched."""

from __future__ import annotations

import os
from pathlib import Path

import briefexport
from briefexport.render.resources import styles_dir, templates_dir
from briefexport.render.templating import environment, render, template_search_path


def test_builtin_resources_are_found():
    assert (templates_dir() / "pdf" / "report.html.j2").is_file()
    assert (templates_dir() / "email" / "briefing.mjml.j2").is_file()
    assert (templates_dir() / "text" / "briefing.txt.j2").is_file()
    assert (styles_dir() / "report.css").is_file()


def test_tests_run_against_the_installed_wheel():
    # `make test` sets this: the package must come from site-packages, with its templates
    # inside it, so that a template missing from the wheel fails here.
    if os.environ.get("BRIEFEXPORT_TEST_INSTALLED") != "1":
        return
    package = Path(briefexport.__file__).parent
    assert "site-packages" in package.parts
    assert templates_dir() == package / "templates"
    assert styles_dir() == package / "styles"


def test_search_path_order(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert template_search_path([a, b]) == [a / "templates", b / "templates", templates_dir()]


def test_theme_template_overrides_one_block(tmp_path):
    theme = tmp_path / "theme"
    (theme / "templates" / "text").mkdir(parents=True)
    (theme / "templates" / "text" / "briefing.txt.j2").write_text(
        '{% extends "!default/text/briefing.txt.j2" %}{% block footer %}-- THEME END --'
        "{% endblock %}")
    out = render("text/briefing.txt.j2", [theme], meta=_Meta(), briefing=None, headline=["H"],
                 body=["B"], references=[], width=69, settings=None, marking_line=None,
                 risk=[], key_judgements=[], contact=[], closing=[], kill_notice=None,
                 embargo=None, corrections=[])
    assert "-- THEME END --" in out and "ENDS" not in out and "B" in out


def test_html_and_mjml_are_autoescaped():
    env = environment(())
    assert env.from_string("{{ x }}").render(x="<b>") == "<b>"  # strings: no name, no escape
    tmpl = env.get_template("email/briefing.mjml.j2")
    assert tmpl.environment.autoescape("email/briefing.mjml.j2")
    assert not tmpl.environment.autoescape("text/briefing.txt.j2")


class _Meta:
    date = None
    classification = None
