"""The command line, through click's CliRunner, and once through the installed script."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from conftest import CONFIG, RICH, SEED

from briefexport.cli import main


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_export_writes_three_files_and_names_them(tmp_path):
    result = run("export", SEED, "--config", CONFIG, "-o", tmp_path)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["mali-second-coup.html", "mali-second-coup.pdf", "mali-second-coup.txt"]
    printed = result.stdout.splitlines()
    assert printed == [str(tmp_path / n) for n in
                       ("mali-second-coup.pdf", "mali-second-coup.html", "mali-second-coup.txt")]
    assert "warning" not in result.stderr


def test_formats_option(tmp_path):
    result = run("export", SEED, "--config", CONFIG, "-o", tmp_path, "-f", "txt,html")
    assert result.exit_code == 0
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".html", ".txt"]


def test_unknown_format_is_a_usage_error(tmp_path):
    result = run("export", SEED, "-o", tmp_path, "-f", "pdf,docx")
    assert result.exit_code == 2
    assert "docx" in result.stderr
    assert not tmp_path.exists() or not any(tmp_path.iterdir())


def test_placeholders_warn_and_export_anyway(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no ./briefexport.toml here
    result = run("export", SEED, "-o", tmp_path / "out", "-f", "txt")
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if "placeholder" in line]
    assert len(warnings) == 5
    assert warnings[0] == (f"briefexport: warning: {SEED}:5: unresolved placeholder link 'Chad'")
    assert (tmp_path / "out" / "mali-second-coup.txt").exists()


def test_strict_fails_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    result = run("export", SEED, "-o", out, "--strict")
    assert result.exit_code == 1
    assert "briefexport: error:" in result.stderr and str(SEED) in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists() or list(out.iterdir()) == []


def test_strict_passes_with_config(tmp_path):
    result = run("export", SEED, "--config", CONFIG, "-o", tmp_path, "--strict", "-f", "txt")
    assert result.exit_code == 0, result.stderr


def test_width_option(tmp_path):
    result = run("export", SEED, "--config", CONFIG, "-o", tmp_path, "-f", "txt", "--width", "40")
    assert result.exit_code == 0
    lines = (tmp_path / "mali-second-coup.txt").read_text(encoding="utf-8").splitlines()
    assert max(len(line) for line in lines if "http" not in line) <= 40


def test_missing_source_is_one_error_line_and_others_still_export(tmp_path):
    out = tmp_path / "out"
    result = run("export", tmp_path / "nope.md", RICH, "--config", CONFIG, "-o", out, "-f", "txt")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    assert errors == [f"briefexport: error: {tmp_path / 'nope.md'}: no such file"]
    assert (out / "burkina-faso-fuel-blockade.txt").exists()
    assert "1 exported, 1 failed" in result.stderr


def test_bad_config_is_one_error_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[brand\nname = 1\n")
    result = run("export", SEED, "--config", bad, "-o", tmp_path)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"briefexport: error: {bad}: invalid TOML")
    assert "line 1" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unknown_config_key_warns(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[brand]\nnmae = 'x'\n[portal]\nurl = 'https://p.example/'\n")
    result = run("export", SEED, "--config", cfg, "-o", tmp_path, "-f", "txt")
    assert "unknown key 'brand.nmae'" in result.stderr


def test_version_and_help():
    assert run("--version").output.startswith("briefexport, version ")
    help_text = run("export", "--help").output
    for option in ("--output", "--formats", "--config", "--strict", "--width"):
        assert option in help_text


def test_python_m_and_console_script(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "briefexport", "--version"],
                          capture_output=True, text=True, check=True)
    assert "briefexport" in proc.stdout
    script = shutil.which("briefexport", path=str(Path(sys.executable).parent))
    assert script, "the briefexport console script is not installed beside this Python"
    proc = subprocess.run([script, "export", str(SEED), "--config", str(CONFIG), "-o",
                           str(tmp_path), "-f", "txt"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "mali-second-coup.txt").read_text(encoding="utf-8").endswith("ENDS\n")


#: Runs the console script's entry point, then reports how the cyclic collector ran.
GC_PROBE = """
import atexit, gc, sys
sys.argv = ["briefexport", *sys.argv[1:]]
from briefexport.__main__ import run
early = []  # collections in the start-up, before its objects were frozen
gc.callbacks.append(lambda phase, info: phase == "start" and not gc.get_freeze_count()
                    and early.append(info["generation"]))
atexit.register(lambda: print(len(early), gc.isenabled(), gc.get_freeze_count() > 0))
run()
"""


def test_the_console_script_starts_without_the_cyclic_collector(tmp_path):
    proc = subprocess.run([sys.executable, "-c", GC_PROBE, "export", str(SEED), "--config",
                           str(CONFIG), "-o", str(tmp_path), "-f", "txt", "-q"],
                          capture_output=True, text=True, check=True)
    # No collection during start-up; afterwards the collector runs, past the frozen objects.
    assert proc.stdout.split() == ["0", "True", "True"]
    assert (tmp_path / "mali-second-coup.txt").is_file()


def test_the_console_script_is_the_entry_point_that_pauses_the_collector():
    from importlib.metadata import entry_points

    (script,) = entry_points(group="console_scripts", name="briefexport")
    assert script.value == "briefexport.__main__:run"


def test_the_entry_point_gives_the_collector_back_when_no_command_ran():
    import gc

    from briefexport.__main__ import run
    from briefexport.cli import group

    sys.argv, argv = ["briefexport", "--version"], sys.argv
    try:
        run()
    except SystemExit:
        pass
    finally:
        sys.argv = argv
    assert gc.isenabled()
    assert not group.collector_paused


def test_the_command_group_leaves_the_collector_alone_when_called_directly(tmp_path):
    import gc

    frozen = gc.get_freeze_count()
    result = run("export", str(SEED), "--config", str(CONFIG), "-o", str(tmp_path), "-f", "txt")
    assert result.exit_code == 0, result.output
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen


def test_the_lazy_command_table_names_each_command_and_its_module():
    import importlib

    from briefexport.cli.group import COMMANDS

    for module in set(COMMANDS.values()):
        importlib.import_module(f"briefexport.cli.{module}")
    assert set(main.commands) == set(COMMANDS)
    for name, command in main.commands.items():
        assert command.callback is not None
        assert command.callback.__module__ == f"briefexport.cli.{COMMANDS[name]}", name
