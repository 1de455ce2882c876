"""``briefexport init``: the scaffold, the generated config, refusing to overwrite."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import tomllib
import typing

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from briefexport.cli import main
from briefexport.commands import scaffold
from briefexport.config import SECTIONS, Settings, load_settings


def run(*args, **kwargs):
    return CliRunner().invoke(main, [str(a) for a in args], **kwargs)


def test_init_writes_config_example_and_empty_theme(tmp_path):
    desk = tmp_path / "desk"
    result = run("init", desk)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in desk.iterdir()) == [
        "briefexport.toml", "example-briefing.md", "theme"]
    # Empty but for the file that makes git keep it.
    assert [p.name for p in (desk / "theme").iterdir()] == [".gitkeep"]
    assert result.stdout.splitlines() == [
        str(desk / "briefexport.toml"), str(desk / "example-briefing.md"), f"{desk / 'theme'}/"]


def test_init_result_exports_cleanly_under_strict(tmp_path, monkeypatch):
    desk = tmp_path / "desk"
    assert run("init", desk).exit_code == 0
    monkeypatch.chdir(desk)  # the editor's folder: ./briefexport.toml is picked up
    result = run("export", "example-briefing.md", "-o", "out", "--strict")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # not one warning, config included
    pdf = PdfReader(desk / "out" / "example-briefing.pdf")
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "Junta extends transition" in text
    wire = (desk / "out" / "example-briefing.txt").read_text(encoding="utf-8")
    assert "Read the full assessment >> https://portal.example/briefings/example" in wire
    # The config's [theme] dir points at the scaffolded folder.
    assert load_settings(desk / "briefexport.toml").themes == ((desk / "theme").resolve(),)


def test_init_refuses_to_overwrite_then_force(tmp_path):
    desk = tmp_path / "desk"
    desk.mkdir()
    (desk / "example-briefing.md").write_text("mine\n", encoding="utf-8")
    result = run("init", desk)
    assert result.exit_code == 1
    assert result.stderr == (f"briefexport: error: {desk / 'example-briefing.md'}: "
                             "already exists (use --force to overwrite)\n")
    # Nothing at all was written: not even the files that were not in the way.
    assert sorted(p.name for p in desk.iterdir()) == ["example-briefing.md"]
    assert (desk / "example-briefing.md").read_text(encoding="utf-8") == "mine\n"
    result = run("init", desk, "--force")
    assert result.exit_code == 0, result.output
    assert (desk / "example-briefing.md").read_text(encoding="utf-8") == \
        scaffold.EXAMPLE_BRIEFING


def test_init_defaults_to_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("init").exit_code == 0
    assert (tmp_path / "briefexport.toml").is_file()


def _uncommented(text: str) -> str:
    """The config with every ``# key = value`` setting line switched on."""
    return re.sub(r"^# (\"?[\w ]+\"? = .*)$", r"\1", text, flags=re.MULTILINE)


def settings_tables():
    """(dotted table name, dataclass) for every table and sub-table of the config."""
    pending = list(SECTIONS.items())
    while pending:
        name, cls = pending.pop(0)
        yield name, cls
        hints = typing.get_type_hints(cls)
        pending += [(f"{name}.{f.name}", hints[f.name]) for f in dataclasses.fields(cls)
                    if dataclasses.is_dataclass(hints[f.name])]


def scalar_fields(cls):
    hints = typing.get_type_hints(cls)
    return [f for f in dataclasses.fields(cls) if not dataclasses.is_dataclass(hints[f.name])]


def test_generated_config_names_every_field_of_every_settings_table():
    text = scaffold.config_text()
    tables = re.split(r"^\[([\w.]+)\]$", text, flags=re.MULTILINE)
    by_table = dict(zip(tables[1::2], tables[2::2], strict=True))
    expected = dict(settings_tables())
    assert set(by_table) == set(expected) | {"links"}
    for name, cls in expected.items():
        for f in scalar_fields(cls):
            assert re.search(rf"^(# )?{f.name} = ", by_table[name], re.MULTILINE), \
                f"[{name}] {f.name} is missing from the generated config"


def test_every_table_of_settings_is_parsed_and_generated():
    # A new settings class must be registered in config.SECTIONS (so the parser reads it and
    # init documents it); this catches a class added to Settings but not there.
    hints = typing.get_type_hints(Settings)
    tables = {name for name, hint in hints.items() if dataclasses.is_dataclass(hint)}
    assert tables == set(SECTIONS)


def test_generated_defaults_are_the_real_defaults():
    # Switching every commented line on must change nothing: the values shown are the defaults.
    data = tomllib.loads(_uncommented(scaffold.config_text()))
    for name, cls in settings_tables():
        default = cls()
        table = data
        for part in name.split("."):
            table = table[part]
        for f in scalar_fields(cls):
            value = getattr(default, f.name)
            shown = table[f.name]
            if value is None:
                assert shown == ""  # shown as an empty string, marked "not set"
            else:
                assert shown == (list(value) if isinstance(value, tuple) else value), \
                    (name, f.name)


def test_generated_config_comments_come_from_the_field_docstrings():
    text = scaffold.config_text()
    assert "# The kicker (slug) colour.\n# accent = \"#c8102e\"" in text
    assert "``" not in text


def test_init_config_sets_only_its_active_values(tmp_path):
    (tmp_path / "theme").mkdir()
    path = tmp_path / "briefexport.toml"
    path.write_text(scaffold.config_text(scaffold.INIT_SETTINGS), encoding="utf-8")
    warnings: list = []
    settings = load_settings(path, warnings=warnings)
    assert warnings == []
    assert settings.theme.dir == "theme"
    assert settings.email.unsubscribe_url == \
        scaffold.INIT_SETTINGS["email"]["unsubscribe_url"]
    assert settings == dataclasses.replace(
        Settings(), theme=settings.theme, email=dataclasses.replace(
            Settings().email, **scaffold.INIT_SETTINGS["email"]),
        themes=((tmp_path / "theme").resolve(),), base_dir=tmp_path.resolve(), path=path)


def test_a_committed_and_cloned_desk_folder_still_exports(tmp_path):
    if not shutil.which("git"):
        pytest.skip("git is not installed")
    desk = tmp_path / "desk"
    assert run("init", desk).exit_code == 0
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q", str(desk)], check=True)
    subprocess.run([*git, "-C", str(desk), "add", "-A"], check=True)
    subprocess.run([*git, "-C", str(desk), "commit", "-qm", "desk"], check=True)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(desk), str(clone)], check=True)
    result = run("export", clone / "example-briefing.md", "--config",
                 clone / "briefexport.toml", "-f", "txt", "-o", tmp_path / "out", "--strict")
    assert result.exit_code == 0, result.output
