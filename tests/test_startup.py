"""Start-up: `--help` and a text-only export never import WeasyPrint or the MJML binding.

Each case runs in a fresh interpreter, calls the CLI's main and then lists ``sys.modules``.
"""

from __future__ import annotations

import json
import multiprocessing
import pickle
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor

import pytest
from conftest import CONFIG, RICH, SEED

import briefexport
from briefexport.api import ExportOptions, ExportResult, export_one

HEAVY = ("weasyprint", "mjml", "pydyf", "tinycss2", "cssselect2", "fontTools", "PIL")

PROBE = """
import json, sys
from briefexport.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
roots = sorted({name.split(".")[0] for name in sys.modules})
print(json.dumps({"code": code, "modules": roots}))
"""


def loaded(*args: object) -> tuple[int, set[str]]:
    proc = subprocess.run([sys.executable, "-c", PROBE, *map(str, args)],
                          capture_output=True, text=True, check=True)
    report = json.loads(proc.stdout.splitlines()[-1])
    return report["code"], set(report["modules"])


def test_help_imports_only_click():
    code, modules = loaded("--help")
    assert code == 0
    assert not modules & {*HEAVY, "jinja2", "markdown_it", "yaml"}
    assert "click" in modules


def test_text_only_export_imports_no_weasyprint_nor_mjml(tmp_path):
    code, modules = loaded("export", SEED, "-f", "txt", "--config", CONFIG, "-o", tmp_path)
    assert code == 0 and (tmp_path / "mali-second-coup.txt").exists()
    assert not modules & set(HEAVY)
    assert {"jinja2", "markdown_it"} <= modules
    assert "yaml" not in modules  # the seed has no front matter


@pytest.mark.parametrize(("fmt", "absent", "present"),
                         [("html", "weasyprint", "mjml"), ("pdf", "mjml", "weasyprint")])
def test_each_heavy_library_only_for_its_format(tmp_path, fmt, absent, present):
    code, modules = loaded("export", RICH, "-f", fmt, "--config", CONFIG, "-o", tmp_path)
    assert code == 0
    assert absent not in modules and present in modules


def test_top_level_names_still_import():
    from briefexport import BriefexportError, export, export_one, read

    assert callable(export) and callable(export_one) and callable(read)
    assert issubclass(BriefexportError, Exception)
    assert briefexport.__version__ != "0+unknown"
    with pytest.raises(AttributeError):
        briefexport.no_such_name  # noqa: B018


def test_export_functions_pickle_and_run_in_a_foreign_pool(tmp_path, settings):
    options = ExportOptions(out_dir=tmp_path / "one", formats=("pdf", "txt"))
    fn, args = pickle.loads(pickle.dumps((export_one, (RICH, settings, options))))
    assert fn is export_one
    # "spawn": the child gets nothing but what pickles, the strictest kind of foreign pool.
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        one = pool.submit(export_one, *args)
        many = pool.submit(briefexport.export, [SEED], tmp_path / "many", settings=settings,
                           formats=["txt"])
        result, results = one.result(), many.result()
    assert isinstance(result, ExportResult) and result.ok, result.error
    assert [p.name for p in result.files] == ["burkina-faso-fuel-blockade.pdf",
                                              "burkina-faso-fuel-blockade.txt"]
    assert result.files[0].read_bytes().startswith(b"%PDF-")
    assert [r.ok for r in results] == [True]
    assert (tmp_path / "many" / "mali-second-coup.txt").read_text(encoding="utf-8")


COMPILES = """
import json, sys
import jinja2
calls = []
original = jinja2.Environment.compile
def counting(self, *args, **kwargs):
    calls.append(1)
    return original(self, *args, **kwargs)
jinja2.Environment.compile = counting
from briefexport.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "compiles": len(calls)}))
"""


def compiles(tmp_path, env_extra=None, fmt="txt,html") -> int:
    """Export the seed in a fresh process whose temporary folder is ``tmp_path/tmp``."""
    import os

    env = {k: v for k, v in os.environ.items() if k != "BRIEFEXPORT_NO_TEMPLATE_CACHE"}
    env.update(TMPDIR=str(tmp_path / "tmp"), **(env_extra or {}))
    proc = subprocess.run([sys.executable, "-c", COMPILES, "export", str(SEED), "-f", fmt,
                           "--config", str(CONFIG), "-o", str(tmp_path / "out"), "-q"],
                          capture_output=True, text=True, env=env, check=True)
    report = json.loads(proc.stdout.splitlines()[-1])
    assert report["code"] in (0, None), proc.stderr
    return report["compiles"]


def test_compiled_templates_are_reused_by_the_next_process(tmp_path):
    (tmp_path / "tmp").mkdir()
    assert compiles(tmp_path) >= 2  # the first run compiles the text and email templates
    assert compiles(tmp_path) == 0  # the next one loads them
    assert compiles(tmp_path, {"BRIEFEXPORT_NO_TEMPLATE_CACHE": "1"}) >= 2
    text = (tmp_path / "out" / "mali-second-coup.txt").read_text(encoding="utf-8")
    assert text.endswith("ENDS\n")


def test_a_damaged_or_unusable_template_cache_never_fails_an_export(tmp_path):
    import os

    (tmp_path / "tmp").mkdir()
    assert compiles(tmp_path) >= 2
    cache_dirs = list((tmp_path / "tmp").glob("_jinja2-cache-*"))
    assert cache_dirs
    for entry in cache_dirs[0].iterdir():
        entry.write_bytes(b"j2" + b"\x00" * 40)  # Jinja's magic, then garbage
    assert compiles(tmp_path) >= 2  # recompiled, not crashed
    # A file where the cache folder should be: no cache at all, and still an export.
    other = tmp_path / "other"
    (other / "tmp").mkdir(parents=True)
    (other / "tmp" / f"_jinja2-cache-{os.getuid()}").write_text("not a folder")
    assert compiles(other) >= 2
    assert (other / "out" / "mali-second-coup.html").read_text(encoding="utf-8")


SPAWNS = """
import json, subprocess, sys
spawned = []
real = subprocess.Popen.__init__
def record(self, args, *rest, **kwargs):
    spawned.append(args if isinstance(args, str) else " ".join(map(str, args)))
    real(self, args, *rest, **kwargs)
subprocess.Popen.__init__ = record
from briefexport.writers import get_format
writer = get_format("pdf").briefing()
from weasyprint.text import ffi
libraries = {name: getattr(ffi, name) is not None for name in
             ("gobject", "pango", "harfbuzz", "harfbuzz_subset", "fontconfig", "pangoft2")}
print(json.dumps({"spawned": spawned, "libraries": libraries}))
"""


def test_loading_weasyprint_runs_no_library_search():
    # Left to itself, cffi runs ldconfig, gcc and ld for every library name WeasyPrint tries.
    proc = subprocess.run([sys.executable, "-c", SPAWNS], capture_output=True, text=True,
                          check=True)
    report = json.loads(proc.stdout.splitlines()[-1])
    assert report["spawned"] == []
    # Every library is open, HarfBuzz's subsetter (Debian's libharfbuzz-subset0) too.
    assert all(report["libraries"].values()), report["libraries"]


def test_weasyprint_is_imported_the_ordinary_way_when_the_quick_way_fails(tmp_path,
                                                                          monkeypatch):
    # A library that only find_library can locate: the quick pass fails, the second finds it.
    (tmp_path / "needs_search.py").write_text(
        "import ctypes.util\n"
        "print('advice')\n"
        "PATH = ctypes.util.find_library('c')\n"
        "if PATH is None:\n"
        "    raise OSError('cannot find libc')\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    import ctypes.util

    from briefexport.writers.pdf.weasyload import import_weasyprint

    real = ctypes.util.find_library
    module = import_weasyprint("needs_search")
    try:
        assert module.PATH and "libc" in module.PATH
        assert ctypes.util.find_library is real
    finally:
        sys.modules.pop("needs_search", None)
