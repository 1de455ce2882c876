"""Themes: the search order, a one-block override, a theme stylesheet, ``theme copy``."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CONFIG, SEED
from pypdf import PdfReader
from pypdf.generic import ContentStream

from briefexport.cli import main
from briefexport.config import load_settings
from briefexport.errors import ConfigError
from briefexport.render import templating
from briefexport.render.resources import styles_dir, templates_dir

MASTHEAD = """{% extends "!default/pdf/report.html.j2" %}
{% block masthead %}<header class="masthead"><span class="brand">Sahel Desk Weekly</span></header>
{% endblock %}
"""


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def pdf_lines(path: Path) -> list[str]:
    text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def fill_colours(path: Path) -> set[tuple[float, ...]]:
    """Every RGB fill colour (``r g b rg``) set in the PDF's page content streams."""
    reader = PdfReader(path)
    colours = set()
    for page in reader.pages:
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"rg":
                colours.add(tuple(round(float(v), 2) for v in operands))
    return colours


@pytest.fixture
def themed_pdf(tmp_path):
    """Export the seed with the given theme folders, return the PDF path."""
    def export(*themes: Path, name: str = "out") -> Path:
        args = ["export", SEED, "--config", CONFIG, "-o", tmp_path / name, "-f", "pdf"]
        for theme in themes:
            args += ["--theme", theme]
        result = run(*args)
        assert result.exit_code == 0, result.output
        return tmp_path / name / "mali-second-coup.pdf"
    return export


# --------------------------------------------------------------------------- search order


def test_search_order_is_cli_themes_then_config_theme_then_builtin(tmp_path):
    first, second, configured = (tmp_path / n for n in ("first", "second", "configured"))
    for theme in (first, second, configured):
        write(theme / "templates" / "text" / "briefing.txt.j2", f"from {theme.name}\n")
        write(theme / "styles" / "report.css", f"/* {theme.name} */\n")
    config = write(tmp_path / "c.toml", '[theme]\ndir = "configured"\n')
    out = tmp_path / "out"

    def wire(*args) -> str:
        result = run("export", SEED, "-o", out, "-f", "txt", *args)
        assert result.exit_code == 0, result.output
        return (out / "mali-second-coup.txt").read_text(encoding="utf-8")

    assert wire("--theme", first, "--theme", second, "--config", config) == "from first\n"
    assert wire("--theme", second, "--theme", first, "--config", config) == "from second\n"
    assert wire("--theme", second, "--config", config) == "from second\n"
    assert wire("--config", config) == "from configured\n"
    assert wire("--config", CONFIG).endswith("ENDS\n")  # the built-in template
    settings = load_settings(config)
    settings = settings.replace(themes=(first.resolve(), second.resolve(), *settings.themes))
    assert templating.template_search_path(settings.themes) == [
        first.resolve() / "templates", second.resolve() / "templates",
        configured.resolve() / "templates", templates_dir()]
    assert templating.style_search_path(settings.themes)[-1] == styles_dir()
    assert templating.find_style("report.css", settings.themes) == \
        first.resolve() / "styles" / "report.css"
    assert templating.find_style("report.css", settings.themes[1:]) == \
        second.resolve() / "styles" / "report.css"


def test_a_theme_without_a_template_falls_through_to_the_next(tmp_path):
    only_css = tmp_path / "only-css"
    write(only_css / "styles" / "report.css", "h1 { color: #ff8000; }\n")
    text_theme = tmp_path / "text-theme"
    write(text_theme / "templates" / "text" / "briefing.txt.j2", "second theme\n")
    result = run("export", SEED, "--config", CONFIG, "-o", tmp_path / "o", "-f", "txt",
                 "--theme", only_css, "--theme", text_theme)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "o" / "mali-second-coup.txt").read_text() == "second theme\n"


def test_config_theme_dir_is_relative_to_the_config_file(tmp_path, monkeypatch):
    desk = tmp_path / "desk"
    write(desk / "looks" / "templates" / "text" / "briefing.txt.j2", "desk look\n")
    config = write(desk / "briefexport.toml", '[theme]\ndir = "looks"\n')
    monkeypatch.chdir(tmp_path)  # not the config's folder
    assert load_settings(config).themes == ((desk / "looks").resolve(),)


def test_missing_config_theme_dir_is_a_config_error(tmp_path):
    config = write(tmp_path / "c.toml", '[theme]\ndir = "nowhere"\n')
    with pytest.raises(ConfigError, match="theme folder not found"):
        load_settings(config)
    result = run("export", SEED, "--config", config, "-o", tmp_path / "o")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"briefexport: error: {config}: theme folder not found")
    assert len(result.stderr.splitlines()) == 1


def test_missing_cli_theme_dir_is_a_usage_error(tmp_path):
    result = run("export", SEED, "-o", tmp_path / "o", "--theme", tmp_path / "nowhere")
    assert result.exit_code == 2
    assert "nowhere" in result.stderr


# --------------------------------------------------------------------------- overrides


def test_overriding_one_pdf_block_changes_only_that_block(tmp_path, themed_pdf):
    theme = tmp_path / "theme"
    write(theme / "templates" / "pdf" / "report.html.j2", MASTHEAD)
    plain = pdf_lines(themed_pdf(name="plain"))
    themed = pdf_lines(themed_pdf(theme, name="themed"))
    assert "Sahel Desk Weekly" in themed and "Sahel Desk Weekly" not in plain
    # The masthead line is gone; the running footer (not part of that block) keeps the brand.
    assert "Meridian Risk Intelligence" in plain and "Meridian Risk Intelligence" not in themed
    assert "Meridian Risk Intelligence Page 1 of 2" in themed
    # Everything else, headline to the last page footer, is the same text in the same order.
    assert [x for x in themed if x != "Sahel Desk Weekly"] == \
        [x for x in plain if x != "Meridian Risk Intelligence"]


def test_a_theme_stylesheet_is_applied(tmp_path, themed_pdf):
    theme = tmp_path / "theme"
    css = (styles_dir() / "report.css").read_text(encoding="utf-8")
    write(theme / "styles" / "report.css", css + "\nh1 { color: #ff8000; }\n")
    orange = (1.0, 0.5, 0.0)
    assert orange not in fill_colours(themed_pdf(name="plain"))
    assert orange in fill_colours(themed_pdf(theme, name="themed"))


def test_theme_templates_are_read_again_after_reload(tmp_path):
    theme = tmp_path / "theme"
    template = write(theme / "templates" / "text" / "briefing.txt.j2", "one\n")
    assert templating.render("text/briefing.txt.j2", [theme]) == "one\n"
    template.write_text("two\n", encoding="utf-8")
    # Batch export compiles once and does not look again...
    assert templating.render("text/briefing.txt.j2", [theme]) == "one\n"
    templating.reload_templates()
    assert templating.render("text/briefing.txt.j2", [theme]) == "two\n"


# --------------------------------------------------------------------------- theme copy


def test_theme_copy_pdf_copies_the_pdf_template_and_styles(tmp_path):
    target = tmp_path / "theme"
    result = run("theme", "copy", "--format", "pdf", target)
    assert result.exit_code == 0, result.output
    copied = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())
    builtin_pdf = sorted(f"templates/pdf/{p.name}" for p in (templates_dir() / "pdf").iterdir())
    builtin_css = sorted(f"styles/{p.name}" for p in styles_dir().iterdir())
    assert copied == sorted(builtin_pdf + builtin_css)
    assert filecmp.cmp(target / "templates/pdf/report.html.j2",
                       templates_dir() / "pdf/report.html.j2", shallow=False)
    assert result.stdout.splitlines() == [str(target / c) for c in builtin_pdf + builtin_css]


def test_theme_copy_all_formats_by_default_and_refuses_to_overwrite(tmp_path):
    target = tmp_path / "theme"
    assert run("theme", "copy", target).exit_code == 0
    for fmt in ("pdf", "email", "text"):
        assert any((target / "templates" / fmt).iterdir())
    edited = target / "templates" / "text" / "briefing.txt.j2"
    edited.write_text("edited\n", encoding="utf-8")
    result = run("theme", "copy", "--format", "text", target)
    assert result.exit_code == 1
    assert result.stderr == (f"briefexport: error: {edited}: already exists "
                             "(use --force to overwrite)\n")
    assert edited.read_text(encoding="utf-8") == "edited\n"
    assert run("theme", "copy", "--format", "text", target, "--force").exit_code == 0
    assert edited.read_text(encoding="utf-8") != "edited\n"


def test_an_unedited_copied_theme_gives_the_same_pdf_text(tmp_path, themed_pdf):
    target = tmp_path / "theme"
    assert run("theme", "copy", target).exit_code == 0
    assert pdf_lines(themed_pdf(target, name="copied")) == pdf_lines(themed_pdf(name="plain"))


def test_theme_copy_rejects_an_unknown_format(tmp_path):
    result = run("theme", "copy", "--format", "docx", tmp_path / "t")
    assert result.exit_code == 2
    assert not (tmp_path / "t").exists()


@pytest.mark.parametrize(("template", "message"), [
    ("{{ brand.name }}\n", "'brand' is undefined"),
    ("line one\n{% if %}\n", "Expected an expression"),
])
def test_a_broken_theme_template_is_one_error_line(tmp_path, template, message):
    path = write(tmp_path / "theme" / "templates" / "text" / "briefing.txt.j2", template)
    out = tmp_path / "o"
    result = run("export", SEED, "--config", CONFIG, "-o", out, "-f", "txt",
                 "--theme", tmp_path / "theme")
    assert result.exit_code == 1
    line = 2 if "if" in template else 1
    assert result.stderr.startswith(
        f"briefexport: error: {SEED}: template error at {path.resolve()}:{line}: ")
    assert message in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert not out.exists() or not any(out.iterdir())


def test_edition_takes_a_theme_too(tmp_path):
    theme = tmp_path / "theme"
    write(theme / "templates" / "text" / "edition.txt.j2",
          '{% extends "!default/text/edition.txt.j2" %}'
          "{% block header %}THEMED EDITION HEADER\n\n{% endblock %}")
    out = tmp_path / "out"
    result = run("edition", SEED, "--title", "Sahel Weekly", "--number", "1", "-f", "txt",
                 "--config", CONFIG, "--theme", theme, "-o", out)
    assert result.exit_code == 0, result.output
    lines = (out / "sahel-weekly-1.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "THEMED EDITION HEADER"
    assert "Contents" in lines
