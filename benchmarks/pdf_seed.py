"""Time to export the seed briefing's PDF: the whole command, and in one process.

    .venv/bin/python benchmarks/pdf_seed.py [--runs N]

Prints medians of N runs, and the ratio of a render with a fresh writer (new font configuration,
stylesheets parsed again) to one with the process's shared writer, measured in the same run:
the reuse the writer promises shows up as a ratio above 1.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "mali-second-coup.txt"
CONFIG = ROOT / "examples" / "briefexport.toml"


def whole_command(runs: int) -> list[float]:
    """``briefexport export SEED -f pdf`` as a new process each time."""
    times = []
    with tempfile.TemporaryDirectory() as out:
        command = [sys.executable, "-m", "briefexport", "export", str(SEED), "--config",
                   str(CONFIG), "-o", out, "-f", "pdf"]
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            times.append(time.perf_counter() - start)
    return times


def in_process(runs: int) -> tuple[float, list[float], list[float]]:
    """(first render, shared-writer renders, fresh-writer renders) in this process."""
    from briefexport.api import read
    from briefexport.config import load_settings
    from briefexport.render.context import RenderContext
    from briefexport.writers import shared
    from briefexport.writers.pdf.report import PdfWriter

    settings = load_settings(CONFIG)
    briefing = read(SEED, settings)
    start = time.perf_counter()
    writer = shared(PdfWriter)
    writer.render(briefing, RenderContext(settings))
    first = time.perf_counter() - start
    reused, fresh = [], []
    for _ in range(runs):  # interleaved, so machine noise hits both alike
        start = time.perf_counter()
        writer.render(briefing, RenderContext(settings))
        reused.append(time.perf_counter() - start)
        start = time.perf_counter()
        PdfWriter().render(briefing, RenderContext(settings))
        fresh.append(time.perf_counter() - start)
    return first, reused, fresh


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    command = whole_command(args.runs)
    first, shared, fresh = in_process(args.runs)
    ms = 1000
    print(f"seed PDF, {args.runs} runs each (median)")
    print(f"  whole command (new process)      {statistics.median(command) * ms:7.0f} ms")
    print(f"  in process, first document       {first * ms:7.0f} ms")
    print(f"  in process, shared writer        {statistics.median(shared) * ms:7.0f} ms")
    print(f"  in process, fresh writer         {statistics.median(fresh) * ms:7.0f} ms")
    print(f"  ratio fresh / shared             "
          f"{statistics.median(fresh) / statistics.median(shared):7.2f}")


if __name__ == "__main__":
    main()
