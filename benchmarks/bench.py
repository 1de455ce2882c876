"""The benchmark: every comparison measured in this one run, printed as medians and ratios.

    make bench                      # or: .venv/bin/python benchmarks/bench.py [--reps N]

It generates its inputs under benchmarks/work/ (git-ignored), times whole processes with
``time.perf_counter`` around ``subprocess.run`` (runs of the two sides of a comparison are
interleaved, so that the load of a shared machine falls on both), and marks each target as met
or MISSED.  It is not a test and CI does not run it.

i (``briefexport copies``: 500 copies of the seed, the local pool against a Dask LocalCluster)
needs the dask extra (``pip install '.[dask]'``); without it, it is reported as not run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "work"
SEED = ROOT / "examples" / "mali-second-coup.txt"
CONFIG = ROOT / "examples" / "briefexport.toml"
BIN = Path(sys.executable).parent
BRIEFEXPORT = str(BIN / "briefexport")
ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}

sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402


@dataclass
class Row:
    name: str
    ours: str
    baseline: str
    ratio: float | None
    target: str
    met: bool | None
    note: str = ""


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float
    """User + system CPU time of the process and every descendant it waited for (not the
    workers of a pool, which the forkserver process starts and waits for)."""
    rss: int
    """Peak resident set size (KiB) of the largest single process among them."""


def run(cmd: Sequence[str]) -> Timing:
    """Time one process run; a failing run stops the benchmark with its stderr."""
    start = time.perf_counter()
    proc = subprocess.Popen(list(cmd), env=ENV, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    stderr = proc.stderr.read() if proc.stderr else ""
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"bench: command failed ({proc.returncode}): {' '.join(cmd)}\n{stderr}")
    return Timing(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)


def interleaved(reps: int, *sides: Callable[[], Timing]) -> list[Timing]:
    """Run the sides alternately ``reps`` times; the median wall and CPU time of each."""
    runs: list[list[Timing]] = [[] for _ in sides]
    for _ in range(reps):
        for i, side in enumerate(sides):
            runs[i].append(side())
    return [Timing(statistics.median(t.wall for t in r), statistics.median(t.cpu for t in r),
                   max(t.rss for t in r)) for r in runs]


def secs(t: Timing) -> str:
    return f"{t.wall:.3f} s" if t.wall < 10 else f"{t.wall:.1f} s"


def cpu_ratio(ours: Timing, base: Timing) -> str:
    """The same comparison in CPU time, which a busy machine disturbs less than wall time."""
    return f"CPU {ours.cpu / base.cpu:.2f}×"


def fresh(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    return path


def export_cmd(*args: object) -> list[str]:
    return [BRIEFEXPORT, "export", *map(str, args), "--config", str(CONFIG), "-q"]


def prepare_report_html() -> tuple[Path, Path, Path]:
    """The seed's report HTML and stylesheets, as the PDF writer hands them to WeasyPrint."""
    from briefexport.config import load_settings
    from briefexport.render.context import RenderContext
    from briefexport.render.templating import find_style
    from briefexport.source.briefing import read
    from briefexport.writers import shared
    from briefexport.writers.pdf.report import PdfWriter

    settings = load_settings(CONFIG)
    ctx = RenderContext(settings)
    html = shared(PdfWriter).html(read(SEED, settings), ctx)
    path = WORK / "seed-report.html"
    path.write_text(html, encoding="utf-8")
    settings_css = WORK / "seed-settings.css"
    settings_css.write_text(settings_stylesheet(settings), encoding="utf-8")
    return path, find_style("report.css", settings.themes), settings_css


def settings_stylesheet(settings: object) -> str:
    """The brand colours and page size the PDF writer adds to the report stylesheet."""
    from briefexport.writers.pdf.report import settings_css

    return settings_css(settings.brand.color, settings.brand.accent, settings.pdf.page_size)


def subset(folder: Path, target: Path, count: int) -> Path:
    fresh(target).mkdir(parents=True)
    for source in sorted(folder.iterdir())[:count]:
        shutil.copy(source, target / source.name)
    return target


def pandoc_problem() -> str | None:
    """Why the Pandoc loop cannot run here, or None."""
    if not shutil.which("pandoc"):
        return "pandoc is not installed"
    if not shutil.which("weasyprint", path=ENV["PATH"]):
        return "the weasyprint command is not on PATH"
    probe = WORK / "pandoc-probe"
    fresh(probe).mkdir(parents=True)
    proc = subprocess.run(["pandoc", str(WORK / "size-500.md"), "-o", str(probe / "x.pdf"),
                           "--pdf-engine=weasyprint"], env=ENV, capture_output=True, text=True)
    if proc.returncode != 0 or not (probe / "x.pdf").exists():
        return f"pandoc --pdf-engine=weasyprint failed: {proc.stderr.strip()[:200]}"
    return None




def section_a_b(rows: list[Row], reps: int, report_html: Path, report_css: Path,
                settings_css: Path, progress: Callable[[str], None], only: set[str]) -> None:
    """Comparisons a and b: whole processes exporting the seed."""
    if "a" in only:
        # a. the seed, three formats, whole process vs a bare WeasyPrint process.
        progress("a: seed, three formats, whole process")
        out_a = WORK / "out-a"
        ours, bare = interleaved(
            reps,
            lambda: run(export_cmd(SEED, "-o", fresh(out_a))),
            lambda: run([sys.executable, str(HERE / "bare_weasyprint.py"), str(report_html),
                         str(report_css), str(settings_css), str(SEED.parent),
                         str(WORK / "bare-a.pdf")]))
        rows.append(Row("a. seed → pdf+html+txt, whole process", secs(ours),
                        f"{secs(bare)} import WeasyPrint + render", ours.wall / bare.wall,
                        "≤ 1.15×", ours.wall / bare.wall <= 1.15, cpu_ratio(ours, bare)))

    if "b" in only:
        # b. text only vs a bare process importing what a text export needs.
        progress("b: text-only export, whole process")
        out_b = WORK / "out-b"
        ours, bare = interleaved(
            reps * 2,
            lambda: run(export_cmd(SEED, "-f", "txt", "-o", fresh(out_b))),
            lambda: run([sys.executable, "-c", "import click, jinja2, markdown_it, yaml"]))
        rows.append(Row("b. seed → txt, whole process", secs(ours),
                        f"{secs(bare)} import click, jinja2, markdown-it, yaml",
                        ours.wall / bare.wall, "≤ 1.15×", ours.wall / bare.wall <= 1.15,
                        cpu_ratio(ours, bare)))


COPIES = 500


def copies_cmd(recipients: Path, out: Path, *args: object) -> list[str]:
    return [BRIEFEXPORT, "copies", str(SEED), "--recipients", str(recipients), "--config",
            str(CONFIG), "-o", str(fresh(out)), "-q", *map(str, args)]


def cluster_cpu() -> float:
    """CPU seconds so far of the processes of a Dask cluster: this process (the scheduler
    runs in it) and every live descendant (nannies, workers and their render processes),
    without the processes this one has already reaped (the briefexport runs: counted apart)."""
    import psutil

    me = psutil.Process()
    mine = me.cpu_times()
    total = mine.user + mine.system
    for child in me.children(recursive=True):
        try:
            times = child.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def section_copies(rows: list[Row], reps: int, progress: Callable[[str], None]) -> None:
    """i. 500 copies of the seed: --jobs 2 (local pool) vs a Dask LocalCluster of two
    single-threaded workers (``--scheduler``), wall time and copies per CPU-minute."""
    name = f"i. {COPIES} copies of the seed (pdf+eml), Dask 2×1 vs --jobs 2"
    try:
        from distributed import LocalCluster
    except ImportError:
        print("bench: i not run: dask is not installed (pip install '.[dask]')",
              file=sys.stderr)
        rows.append(Row(name, "", "not run", None, "", None,
                        "dask is not installed: pip install '.[dask]'"))
        return
    recipients = WORK / f"recipients-{COPIES}.csv"
    recipients.write_text("id,name,organisation,email,tier\n" + "".join(
        f"c{n:04d},Client {n},Org {n},client{n}@org{n}.example,"
        f"{('standard', 'premium')[n % 2]}\n" for n in range(COPIES)), encoding="utf-8")
    out = WORK / "out-i"
    progress("i: starting a Dask LocalCluster of 2 single-threaded workers")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as cluster:
        address = cluster.scheduler_address
        warm = WORK / "recipients-warm.csv"
        warm.write_text(recipients.read_text().splitlines()[0] + "\n" + "\n".join(
            recipients.read_text().splitlines()[1:5]) + "\n", encoding="utf-8")
        run(copies_cmd(warm, out, "--scheduler", address))  # workers load WeasyPrint once

        def on_dask() -> Timing:
            before = cluster_cpu()
            timing = run(copies_cmd(recipients, out, "--scheduler", address))
            return Timing(timing.wall, timing.cpu + cluster_cpu() - before, timing.rss)

        progress(f"i: {COPIES} copies, --jobs 2 and --scheduler (LocalCluster)")
        local, dask = interleaved(reps, lambda: run(copies_cmd(recipients, out, "--jobs", "2")),
                                  on_dask)
    per_minute = {side: COPIES / (t.cpu / 60) for side, t in (("local", local), ("dask", dask))}
    overhead = dask.wall / local.wall
    rows.append(Row(name, f"{secs(dask)} Dask", f"{secs(local)} --jobs 2",
                    overhead, "≤ 1.15×", overhead <= 1.15,
                    f"Dask overhead {dask.wall / local.wall:.2f}× wall, "
                    f"{dask.cpu / local.cpu:.2f}× CPU; copies per CPU-minute: "
                    f"Dask {per_minute['dask']:.0f}, local {per_minute['local']:.0f}"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=7,
                        help="repetitions of the short comparisons (a, b, g, f)")
    parser.add_argument("--batch-reps", type=int, default=1,
                        help="repetitions of the 500 copies (i)")
    parser.add_argument("--c-reps", type=int, default=3,
                        help="repetitions of the 60-briefing batches (c)")
    parser.add_argument("--only", default="abcdefghi",
                        help="the comparisons to run, e.g. 'abg' (default: all)")
    args = parser.parse_args()
    started = time.perf_counter()

    WORK.mkdir(parents=True, exist_ok=True)
    inputs = generate(WORK)
    batch = inputs["batch"]
    assert isinstance(batch, Path)
    report_html, report_css, settings_css = prepare_report_html()
    load_before = os.getloadavg()
    rows: list[Row] = []

    def progress(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.0f} s] {message}", file=sys.stderr, flush=True)

    # a. the seed, three formats, whole process vs a bare WeasyPrint process.
    only = set(args.only)
    if only & set("ab"):
        section_a_b(rows, args.reps, report_html, report_css, settings_css, progress, only)
    out_c = WORK / "out-c"
    if "c" in only:
        # c. 60 briefings, --jobs 2 vs --jobs 1: a batch short enough that the pool's start-up
        # shows.
        sixty = subset(batch, WORK / "batch-60", 60)
        progress(f"c: 60 briefings, --jobs 1 and --jobs 2, {args.c_reps} times")
        one, two60 = interleaved(
            args.c_reps,
            lambda: run(export_cmd(sixty, "-o", fresh(out_c), "--jobs", "1")),
            lambda: run(export_cmd(sixty, "-o", fresh(out_c), "--jobs", "2")))
        rows.append(Row("c. 60 briefings, --jobs 2 vs --jobs 1", secs(two60),
                        f"{secs(one)} --jobs 1", one.wall / two60.wall, "≥ 1.8× faster",
                        one.wall / two60.wall >= 1.8, f"load avg {os.getloadavg()[0]:.1f}"))

    # d. the 200 briefings vs a Pandoc shell loop, two at a time.
    problem = pandoc_problem() if "d" in only else None
    if "d" not in only:
        pass
    elif problem:
        two = run(export_cmd(batch, "-o", fresh(out_c), "--jobs", "2"))
        rows.append(Row("d. 200 briefings vs Pandoc loop (-P 2)", secs(two), "not run",
                        None, "≥ 8× faster", None, problem))
    else:
        progress("d: 200 briefings, Pandoc loop two at a time")
        two = run(export_cmd(batch, "-o", fresh(out_c), "--jobs", "2"))
        out_d = fresh(WORK / "out-d")
        out_d.mkdir(parents=True)
        sources = [str(p) for p in sorted(batch.iterdir())]
        pandoc = run(["sh", str(HERE / "pandoc-loop.sh"), str(out_d), *sources])
        produced = len(list(out_d.glob("*.pdf")))
        rows.append(Row("d. 200 briefings vs Pandoc loop (-P 2)", f"{secs(two)} --jobs 2",
                        f"{secs(pandoc)} pandoc ×3 per file", pandoc.wall / two.wall,
                        "≥ 8× faster", pandoc.wall / two.wall >= 8,
                        f"{produced} PDFs; load avg {os.getloadavg()[0]:.1f}"))

    if "e" in only:
        # e. peak RSS after 500 documents vs after 50, one process (--jobs 1).
        progress("e: peak RSS, 50 and 500 documents")
        long_batch = inputs["long_batch"]
        assert isinstance(long_batch, Path)
        fifty = subset(long_batch, WORK / "rss-50", 50)
        rss50 = run(export_cmd(fifty, "-o", fresh(WORK / "out-e50"), "--jobs", "1")).rss
        rss500 = run(export_cmd(long_batch, "-o", fresh(WORK / "out-e500"), "--jobs", "1")).rss
        rows.append(Row("e. peak RSS, 500 vs 50 documents", f"{rss500 / 1024:.0f} MiB",
                        f"{rss50 / 1024:.0f} MiB after 50", rss500 / rss50, "≤ 1.2×",
                        rss500 / rss50 <= 1.2, "--jobs 1, one process"))

    if only & set("fgh"):
        # f, g and h: one warm process.
        progress("f, g, h: warm process, per document")
        proc = subprocess.run([sys.executable, str(HERE / "warm.py"), str(WORK), str(args.reps)],
                              env=ENV, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            sys.exit(f"bench: warm.py failed\n{proc.stderr}")
        warm = json.loads(proc.stdout.splitlines()[-1])
        rows.append(Row("g. warm: seed → pdf+html+txt vs bare render", f"{warm['g_full']:.3f} s",
                        f"{warm['g_bare']:.3f} s WeasyPrint, same HTML+CSS",
                        warm["g_full"] / warm["g_bare"], "≤ 1.1×",
                        warm["g_full"] / warm["g_bare"] <= 1.1, "CPU time, least of 3×reps"))
        h = warm["h_full"] / warm["h_plain"]
        rows.append(Row("h. warm: seed → pdf+html+txt vs plain render", f"{warm['h_full']:.3f} s",
                        f"{warm['h_plain']:.3f} s the text as <p>, one font", h, "≤ 2.0×",
                        h <= 2.0, f"CPU time, medians of 3×reps; least "
                        f"{warm['h_full_least'] / warm['h_plain_least']:.2f}×"))
        sizes = {int(k): v for k, v in warm["sizes"].items()}
        per_kword = {w: sizes[w] / (w / 1000) for w in sizes}
        for words in sorted(sizes):
            rows.append(Row(f"f. warm: {words:,}-word briefing → 3 formats",
                            f"{sizes[words]:.3f} s",
                            f"{per_kword[words] * 1000:.0f} ms per 1,000 words", None, "", None))
        growth = per_kword[20000] / per_kword[3000]
        rows.append(Row("f. cost per word, 20,000 vs 3,000 words", "", "", growth,
                        "≤ 1.25× (linear)", growth <= 1.25))

    if "i" in only:
        section_copies(rows, args.batch_reps, progress)

    load_after = os.getloadavg()
    print_table(rows, load_before, load_after, time.perf_counter() - started)


def print_table(rows: list[Row], load_before: tuple[float, ...],
                load_after: tuple[float, ...], elapsed: float) -> None:
    import weasyprint

    pandoc = shutil.which("pandoc")
    pandoc_version = (subprocess.run([pandoc, "--version"], capture_output=True, text=True)
                      .stdout.splitlines()[0] if pandoc else "absent")
    print(f"briefexport benchmark · {platform.python_implementation()} "
          f"{platform.python_version()} · WeasyPrint {weasyprint.__version__} · {pandoc_version}")
    print(f"nproc {os.cpu_count()} · load average before {load_before[0]:.2f}, "
          f"after {load_after[0]:.2f} (1 min) · whole run {elapsed / 60:.1f} min")
    headers = ("comparison", "ours (median)", "baseline (median)", "ratio", "target", "status",
               "note")
    table = [headers]
    for r in rows:
        status = {True: "met", False: "MISSED", None: "not run" if r.target else ""}[r.met]
        table.append((r.name, r.ours, r.baseline,
                      "" if r.ratio is None else f"{r.ratio:.2f}×", r.target, status, r.note))
    widths = [max(len(row[i]) for row in table) for i in range(len(headers))]
    for n, row in enumerate(table):
        print("| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
              + " |")
        if n == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")


if __name__ == "__main__":
    main()
