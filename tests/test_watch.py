"""``briefexport watch``: a real subprocess, real file edits, bounded waits."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from conftest import CONFIG, SEED
from procs import Running

from briefexport.commands.watch import Watched, Watcher
from briefexport.config import Settings

BROKEN = "---\ntitle: [never closed\n---\nBody.\n"


def is_out(path: Path):
    return lambda stream, line: stream == "stdout" and line == str(path)


def is_error(stream: str, line: str) -> bool:
    return stream == "stderr" and line.startswith("briefexport: error:")


@pytest.fixture
def desk(tmp_path):
    """A copy of the seed, its config and a text-only theme in a fresh folder."""
    # copy2 keeps the mtime: the seed has no date, so its date is the file's, as in seed_outputs.
    shutil.copy2(SEED, tmp_path / "mali.txt")
    shutil.copy(CONFIG, tmp_path / "briefexport.toml")
    shutil.copy(CONFIG.parent / "meridian-logo.svg", tmp_path)  # the config's [brand] logo
    template = tmp_path / "theme" / "templates" / "text" / "briefing.txt.j2"
    template.parent.mkdir(parents=True)
    template.write_text("{{ meta.title }}\nTHEME ONE\n", encoding="utf-8")
    return tmp_path


def test_watch_reexports_on_change_reports_errors_and_keeps_going(desk):
    source, out = desk / "mali.txt", desk / "out"
    wire = out / "mali.txt"
    watcher = Running("watch", source, "-o", out, "-f", "txt", "--config",
                      desk / "briefexport.toml", cwd=desk)
    try:
        watcher.expect(lambda s, line: s == "stderr" and "watching 1 source(s)" in line)
        watcher.expect(is_out(wire))  # the first export, at start
        assert "Second coup" in wire.read_text(encoding="utf-8")

        # An edit of the source: exported again.
        original = source.read_text(encoding="utf-8")
        source.write_text(original.replace("Second coup", "Third coup"), encoding="utf-8")
        watcher.expect(is_out(wire))
        assert "Third coup" in wire.read_text(encoding="utf-8")

        # A broken source: one error line naming the file and the line, the old output kept.
        source.write_text(BROKEN, encoding="utf-8")
        error = watcher.expect(is_error)
        assert error.startswith(f"briefexport: error: {source}:2: front matter is not valid YAML")
        assert "Third coup" in wire.read_text(encoding="utf-8")
        assert watcher.proc.poll() is None, "the watcher died after an error"

        # Fixed again: still watching, exported again.
        source.write_text(original, encoding="utf-8")
        watcher.expect(is_out(wire))
        assert "Second coup" in wire.read_text(encoding="utf-8")

        assert watcher.interrupt() == 0
        assert ("stderr", "briefexport: stopped watching") in watcher.seen
        assert not any("Traceback" in line for _, line in watcher.seen)
    finally:
        watcher.stop()


def test_watch_follows_the_config_and_the_theme(desk):
    source, out, config = desk / "mali.txt", desk / "out", desk / "briefexport.toml"
    wire = out / "mali.txt"
    template = desk / "theme" / "templates" / "text" / "briefing.txt.j2"
    watcher = Running("watch", source, "-o", out, "-f", "txt", "--config", config,
                      "--theme", desk / "theme", cwd=desk)
    try:
        watcher.expect(lambda s, line: s == "stderr" and "1 theme folder(s)" in line)
        watcher.expect(is_out(wire))
        assert wire.read_text(encoding="utf-8").endswith("THEME ONE\n")

        # The theme template is edited: the cached template must not be reused.
        template.write_text("{{ meta.title }}\nTHEME TWO\n", encoding="utf-8")
        watcher.expect(is_out(wire))
        assert wire.read_text(encoding="utf-8").endswith("THEME TWO\n")

        # A broken config: an error line naming it; the watcher stays up.
        good = config.read_text(encoding="utf-8")
        config.write_text("[brand\n", encoding="utf-8")
        assert watcher.expect(is_error).startswith(
            f"briefexport: error: {config}: invalid TOML")
        assert watcher.proc.poll() is None

        # The config fixed, with a new brand name the theme shows: everything re-exported.
        template.write_text("{{ settings.brand.name }}\n", encoding="utf-8")
        watcher.expect(is_out(wire))
        config.write_text(good.replace("Meridian Risk Intelligence", "Sahel Watch"),
                          encoding="utf-8")
        watcher.expect(lambda s, line: is_out(wire)(s, line)
                       and wire.read_text(encoding="utf-8") == "Sahel Watch\n")
        assert watcher.interrupt() == 0
    finally:
        watcher.stop()


def test_watched_roots_and_classification(tmp_path):
    (tmp_path / "theme" / "templates").mkdir(parents=True)
    (tmp_path / "briefs").mkdir()
    source = tmp_path / "briefs" / "a.md"
    config = tmp_path / "briefexport.toml"
    watched = Watched.of([source], config, [tmp_path / "theme"])
    # The source's folder is inside the config's: one recursive watch covers both.
    assert watched.roots() == [tmp_path.resolve()]
    changed = watched.classify([
        str(source.resolve()), str(tmp_path / "briefs" / "other.md"),
        str(tmp_path / "out" / "a.pdf"), str(tmp_path / "theme" / "templates" / ".x.swp")])
    assert changed.sources == {source.resolve()}
    assert not changed.config and not changed.theme
    assert watched.classify([str(config.resolve())]).config
    assert watched.classify([str(tmp_path / "theme" / "templates" / "a.j2")]).theme
    assert not watched.classify([str(tmp_path / "notes.md")])
    assert Watched.of([source], None, Settings().themes).roots() == \
        [(tmp_path / "briefs").resolve()]


def test_watch_refuses_a_source_in_a_missing_folder(tmp_path):
    from click.testing import CliRunner

    from briefexport.cli import main

    missing = tmp_path / "nowhere" / "a.md"
    result = CliRunner().invoke(main, ["watch", str(missing)])
    assert result.exit_code == 1
    assert result.stderr == f"briefexport: error: {missing}: its folder does not exist\n"


def test_a_new_theme_folder_in_the_config_is_watched_from_then_on(tmp_path):
    import threading

    from briefexport.commands.watch import Watcher
    from briefexport.config import load_settings

    for name in ("one", "two"):
        template = tmp_path / name / "templates" / "text" / "briefing.txt.j2"
        template.parent.mkdir(parents=True)
        template.write_text(f"{name}\n", encoding="utf-8")
    themes_dir = tmp_path / "themes"
    themes_dir.mkdir()
    (tmp_path / "one").rename(themes_dir / "one")
    # The second theme lies outside every folder watched at first.
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    (tmp_path / "two").rename(outside)
    config = tmp_path / "briefexport.toml"
    config.write_text('[theme]\ndir = "themes/one"\n', encoding="utf-8")
    source = tmp_path / "a.md"
    source.write_text("# A\n\nBody.\n", encoding="utf-8")

    builds: list[tuple[Path, ...]] = []
    watching: list = []
    ready = threading.Event()
    built = threading.Condition()

    def build(settings, sources):
        with built:
            builds.append(settings.themes)
            built.notify_all()

    def wait_builds(count):
        with built:
            assert built.wait_for(lambda: len(builds) >= count, timeout=30), builds

    stop = threading.Event()
    watcher = Watcher(sources=[source], config=config, load=lambda: load_settings(config),
                      build=build, error=lambda m: None,
                      ready=lambda w: (watching.append(w), ready.set()))
    thread = threading.Thread(target=watcher.run, args=(stop,), daemon=True)
    thread.start()
    try:
        assert ready.wait(30)
        ready.clear()
        wait_builds(1)
        assert builds[0] == ((themes_dir / "one").resolve(),)
        config.write_text(f'[theme]\ndir = "{outside}"\n', encoding="utf-8")
        wait_builds(2)
        assert builds[-1] == (outside.resolve(),)
        # A file of the new theme, outside the first watched folders, triggers a build.
        count = len(builds)
        assert ready.wait(30)  # watching again, with the new folder
        assert outside.resolve() in watching[-1].roots()
        (outside / "templates" / "text" / "briefing.txt.j2").write_text("two!\n")
        wait_builds(count + 1)
    finally:
        stop.set()
        thread.join(10)
        shutil.rmtree(outside, ignore_errors=True)
    assert not thread.is_alive()


def test_sigterm_stops_the_watcher_cleanly(desk):
    import signal

    watcher = Running("watch", desk / "mali.txt", "-o", desk / "out", "-f", "txt", cwd=desk)
    try:
        watcher.expect(is_out(desk / "out" / "mali.txt"))
        watcher.proc.send_signal(signal.SIGTERM)
        assert watcher.proc.wait(15) == 0
        watcher.drain()
        assert ("stderr", "briefexport: stopped watching") in watcher.seen
        assert not any("Traceback" in line for _, line in watcher.seen)
    finally:
        watcher.stop()


def test_a_stop_during_a_build_starts_no_other_source(tmp_path):
    built: list[Path] = []
    stop = threading.Event()

    def build(settings, sources):
        built.extend(sources)
        stop.set()  # Ctrl-C arrives while the first source is exported

    watcher = Watcher(sources=[tmp_path / "a.md", tmp_path / "b.md"], config=None,
                      load=Settings, build=build, error=lambda m: None)
    watcher.reload()
    watcher.rebuild(watcher.sources, stop)
    assert built == [tmp_path / "a.md"]
    watcher.rebuild(watcher.sources)  # without a stop, every source
    assert built == [tmp_path / "a.md", tmp_path / "a.md", tmp_path / "b.md"]
