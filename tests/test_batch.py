"""Batches: expanding arguments, naming outputs, isolating failures, pools, progress, order."""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner
from conftest import CONFIG, RICH, SEED

from briefexport import writers
from briefexport.api import ExportOptions
from briefexport.cli import main
from briefexport.commands import batch
from briefexport.writers.text import wire as text_writer


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def source(folder: Path, name: str, title: str) -> Path:
    """A small, valid briefing whose headline names it."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\ntitle: {title}\ndate: 2026-11-20\n---\n\nBody of {title}, "
                    "with a [link](https://example.org/a).\n", encoding="utf-8")
    return path


def bad(folder: Path, name: str = "bad.md") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xff\xfeU\x00T\x00F\x00")  # UTF-16: refused by the reader
    return path


def console_script() -> str:
    script = shutil.which("briefexport", path=str(Path(sys.executable).parent))
    assert script, "the briefexport console script is not installed beside this Python"
    return script


# --------------------------------------------------------------------------- expand / plan


def test_expand_folders_globs_and_files(tmp_path):
    one = source(tmp_path / "a", "one.md", "One")
    two = source(tmp_path / "a" / "sub", "two.txt", "Two")
    source(tmp_path / "a" / ".hidden", "three.md", "Three")
    (tmp_path / "a" / "notes.pdf").write_bytes(b"%PDF")
    four = source(tmp_path / "b", "four.md", "Four")
    source(tmp_path / "b", "five.txt", "Five")
    missing = tmp_path / "missing.md"
    got = batch.expand([tmp_path / "a", str(tmp_path / "b" / "*.md"), one, missing])
    assert got == [one, two, four, missing]


def test_expand_reports_arguments_that_yield_nothing(tmp_path):
    (tmp_path / "empty").mkdir()
    got = batch.expand([tmp_path / "empty", str(tmp_path / "nothing-*.md")])
    assert [t.error for t in got] == [  # type: ignore[union-attr]
        f"{tmp_path / 'empty'}: is a folder, not a briefing file, and holds no .md or .txt "
        "files to export",
        f"{tmp_path / 'nothing-*.md'}: no file matches this pattern",
    ]


def test_plan_is_flat_unless_stems_collide(tmp_path):
    ax = source(tmp_path / "desk" / "a", "x.md", "A")
    bx = source(tmp_path / "desk" / "b", "x.md", "B")
    y = source(tmp_path / "c", "y.md", "Y")
    zmd = source(tmp_path / "d", "z.md", "Z md")
    ztxt = source(tmp_path / "d", "Z.txt", "Z txt")
    out = tmp_path / "out"
    tasks = batch.plan([ax, bx, y, zmd, ztxt], out)
    placed = {t.source: (t.out_dir, t.stem) for t in tasks}
    assert placed == {
        ax: (out / "a", "x"), bx: (out / "b", "x"), y: (out, "y"),
        zmd: (out, "z.md"), ztxt: (out, "Z.txt"),
    }
    # Deterministic: the same sources in another order land in the same places.
    again = {t.source: (t.out_dir, t.stem) for t in batch.plan([ztxt, y, bx, zmd, ax], out)}
    assert again == placed


# --------------------------------------------------------------------------- the CLI


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_bad_source_is_reported_and_skipped_the_others_export(tmp_path, jobs):
    good = [source(tmp_path / "in", f"g{i}.md", f"Good number {i}") for i in range(3)]
    broken = bad(tmp_path / "in", "g1b.md")
    out = tmp_path / "out"
    formats = "pdf,txt" if jobs == "2" else "txt"
    result = run("export", tmp_path / "in", "-o", out, "-f", formats, "-j", jobs,
                 "--config", CONFIG)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("briefexport:")]
    assert errors == [f"briefexport: error: {broken}: is UTF-16 (it starts with a UTF-16 "
                      "byte-order mark); save it as UTF-8"]
    assert result.stderr.splitlines()[-1] == "3 exported, 1 failed"
    assert "Traceback" not in result.output
    assert not list(out.glob("g1b.*"))
    # Every good source is exported and listed, in the order of the sources.
    suffixes = [f".{f}" for f in formats.split(",")]
    expected = [str(out / f"{p.stem}{s}") for p in good for s in suffixes]
    assert result.stdout.splitlines() == expected
    for i, p in enumerate(good):
        assert (out / f"{p.stem}.txt").read_text(encoding="utf-8").count(f"Good number {i}")
        if "pdf" in formats:
            pdf_text = pypdf.PdfReader(out / f"{p.stem}.pdf").pages[0].extract_text()
            assert f"Good number {i}" in pdf_text


def test_fail_fast_in_process_stops_at_the_first_failure(tmp_path):
    g0 = source(tmp_path, "a0.md", "A0")
    broken = bad(tmp_path, "a1.md")
    later = [source(tmp_path, f"a{i}.md", f"A{i}") for i in (2, 3)]
    out = tmp_path / "out"
    result = run("export", g0, broken, *later, "-o", out, "-f", "txt", "-j", "1",
                 "--fail-fast")
    assert result.exit_code == 1
    assert (out / "a0.txt").exists()
    assert not any((out / f"{p.stem}.txt").exists() for p in later)
    assert f"briefexport: error: {broken}:" in result.stderr
    assert result.stderr.splitlines()[-1] == "1 exported, 1 failed, 2 not attempted (--fail-fast)"


def test_fail_fast_in_a_pool_starts_nothing_more_and_reports_what_was_written(tmp_path):
    broken = bad(tmp_path / "in", "a00.md")
    for i in range(1, 11):
        source(tmp_path / "in", f"a{i:02d}.md", f"A{i}")
    out = tmp_path / "out"
    result = run("export", tmp_path / "in", "-o", out, "-f", "pdf", "-j", "2", "--fail-fast",
                 "--config", CONFIG)
    assert result.exit_code == 1
    assert f"briefexport: error: {broken}:" in result.stderr
    written = sorted(str(p) for p in out.glob("*.pdf")) if out.exists() else []
    assert sorted(result.stdout.splitlines()) == written  # nothing written goes unreported
    assert len(written) < 10
    summary = result.stderr.splitlines()[-1]
    assert summary == (f"{len(written)} exported, 1 failed, {10 - len(written)} "
                       "not attempted (--fail-fast)")


def test_an_unexpected_exception_fails_one_source_only(tmp_path, monkeypatch):
    original = text_writer.TextWriter.render

    def explode(self, briefing, ctx):
        if briefing.source.name == "boom.md":
            raise RuntimeError("kaboom")
        return original(self, briefing, ctx)

    monkeypatch.setattr(text_writer.TextWriter, "render", explode)
    ok = source(tmp_path, "fine.md", "Fine")
    boom = source(tmp_path, "boom.md", "Boom")
    out = tmp_path / "out"
    result = run("export", boom, ok, "-o", out, "-f", "txt", "-j", "1")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    assert len(errors) == 1 and str(boom) in errors[0] and "kaboom" in errors[0]
    assert (out / "fine.txt").exists() and not (out / "boom.txt").exists()


def test_same_stem_in_two_folders_mirrors_the_folders(tmp_path):
    a = source(tmp_path / "2025", "sahel.md", "Sahel twenty-five")
    b = source(tmp_path / "2026", "sahel.md", "Sahel twenty-six")
    out = tmp_path / "out"
    result = run("export", tmp_path / "2025", b, "-o", out, "-f", "txt")
    assert result.exit_code == 0, result.output
    assert "Sahel twenty-five" in (out / "2025" / "sahel.txt").read_text(encoding="utf-8")
    assert "Sahel twenty-six" in (out / "2026" / "sahel.txt").read_text(encoding="utf-8")
    assert a.exists()
    assert result.stderr.splitlines()[-1] == "2 exported, 0 failed"


def test_quiet_prints_only_problems(tmp_path):
    source(tmp_path / "in", "a.md", "A")
    source(tmp_path / "in", "b.md", "B")
    result = run("export", tmp_path / "in", "-o", tmp_path / "out", "-f", "txt", "-q")
    assert result.exit_code == 0
    assert result.output == ""
    assert (tmp_path / "out" / "b.txt").exists()


def test_help_names_the_batch_options():
    help_text = run("export", "--help").output
    for option in ("--jobs", "--quiet", "--fail-fast"):
        assert option in help_text


# --------------------------------------------------------------------------- progress bar


def run_on_a_terminal(args: list[str]) -> tuple[int, str, str]:
    """Run the console script with stderr on a pseudo-terminal; return (code, stdout, tty)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([console_script(), *args], stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    stdout = proc.stdout.read().decode() if proc.stdout else ""
    code = proc.wait()
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the other side is closed
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return code, stdout, b"".join(chunks).decode()


def test_progress_bar_on_a_terminal_and_not_under_quiet(tmp_path):
    for i in range(3):
        source(tmp_path / "in", f"p{i}.md", f"P{i}")
    args = ["export", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-f", "txt", "-j", "1"]
    code, stdout, tty = run_on_a_terminal(args)
    assert code == 0
    assert "Exporting" in tty and "3/3" in tty and "#" in tty
    assert len(stdout.splitlines()) == 3  # the file list stays clean on stdout
    code, stdout, tty = run_on_a_terminal([*args, "--quiet"])
    assert code == 0 and stdout == ""
    assert "Exporting" not in tty


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path):
    for i in range(3):
        source(tmp_path / "in", f"p{i}.md", f"P{i}")
    proc = subprocess.run([console_script(), "export", str(tmp_path / "in"), "-o",
                           str(tmp_path / "out"), "-f", "txt"], capture_output=True, text=True)
    assert proc.returncode == 0
    assert proc.stderr == "3 exported, 0 failed\n"


# --------------------------------------------------------------------------- API


def test_api_export_runs_a_pool_and_keeps_the_order(tmp_path, settings):
    from briefexport import export

    sources = [RICH, SEED, source(tmp_path / "in", "third.md", "Third")]
    results = export(sources, tmp_path / "out", settings=settings, formats=["txt", "html"],
                     jobs=2)
    assert [r.source for r in results] == sources
    assert all(r.ok for r in results)
    assert [p.name for p in results[1].files] == ["mali-second-coup.txt",
                                                  "mali-second-coup.html"]



def test_api_export_takes_a_size_limit(tmp_path, settings):
    from briefexport import export

    small = source(tmp_path / "in", "small.md", "Small")
    big = source(tmp_path / "in", "big.md", "Big")
    big.write_text("# Big\n\n" + "word " * 1000 + "\n", encoding="utf-8")
    results = export([small, big], tmp_path / "out", settings=settings, formats=["txt"],
                     max_bytes=2000)
    assert [r.ok for r in results] == [True, False]
    assert "over the" in results[1].error and not (tmp_path / "out" / "big.txt").exists()

def test_options_out_dir_is_kept_by_tasks(tmp_path, settings):
    task = batch.plan([source(tmp_path, "k.md", "K")], tmp_path / "o")[0]
    result = batch.export_task(task, settings, ExportOptions(out_dir=Path("elsewhere"),
                                                             formats=("txt",)))
    assert result.files == (tmp_path / "o" / "k.txt",)


def test_a_worker_that_dies_costs_only_its_own_source(tmp_path, monkeypatch, settings):
    # "fork", so that the workers inherit the extra registry entry made here.
    monkeypatch.setattr(batch, "START_METHOD", "fork")
    monkeypatch.setitem(writers.BY_NAME, "crash",
                        writers.Format("crash", ".crash", "text", "batchprobe:CrashWriter"))
    sources = [source(tmp_path, f"s{i}.md", f"S{i}") for i in range(3)]
    sources.append(source(tmp_path, "crash-me.md", "Crash"))
    sources += [source(tmp_path, f"t{i}.md", f"T{i}") for i in range(3)]
    options = ExportOptions(out_dir=tmp_path / "out", formats=("txt", "crash"))
    results = list(batch.run(batch.plan(sources, options.out_dir), settings, options, jobs=2))
    assert [r.source for r in results] == sources
    failed = [r for r in results if not r.ok]
    assert [r.source.name for r in failed] == ["crash-me.md"]
    assert "stopped unexpectedly" in (failed[0].error or "")
    for p in sources:
        assert (tmp_path / "out" / f"{p.stem}.txt").exists() == (p.name != "crash-me.md")


PRELOAD_PROBE = """
import sys
from concurrent.futures import ProcessPoolExecutor
import multiprocessing
from briefexport.commands import batch

batch.prepare_workers()
with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context(batch.START_METHOD)) as pool:
    # What a worker holds before it has been given anything to do.
    print(pool.submit(eval, "sorted(m for m in ('weasyprint', 'mjml', 'segno') "
                            "if m in __import__('sys').modules)").result())
    print(pool.submit(eval, "sorted(c.__name__ for c in "
                            "__import__('briefexport.writers.base').writers.base._instances)"
                      ).result())
    # Frozen after the warm-up: the writers it built are out of the collector's reach.
    print(pool.submit(eval, "__import__('gc').get_freeze_count() > 0 and not any("
                            "type(o).__name__ == 'PdfWriter' for o in "
                            "__import__('gc').get_objects())").result())
"""


@pytest.mark.skipif(batch.START_METHOD != "forkserver", reason="workers are spawned here")
def test_workers_start_with_the_writers_loaded_and_warm():
    proc = subprocess.run([sys.executable, "-c", PRELOAD_PROBE], capture_output=True,
                          text=True, timeout=120, check=True)
    modules, writers_built, frozen = proc.stdout.splitlines()
    assert modules == "['mjml', 'segno', 'weasyprint']"
    # The default formats' writers were built (fonts, stylesheets, templates) and rendered
    # a briefing in the fork server, before the worker was forked from it.
    assert writers_built == "['EmailWriter', 'PdfWriter', 'TextWriter']"
    # ...and out of the cyclic collector's reach: a worker's collections skip it.
    assert frozen == "True"


def test_the_preload_probe_can_fail():
    # Without prepare_workers the fork server loads nothing: a worker starts bare.
    probe = PRELOAD_PROBE.replace("batch.prepare_workers()", "")
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=120, check=True)
    assert proc.stdout.splitlines() == ["[]", "[]", "False"]
