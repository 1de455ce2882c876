"""How rendering time grows with the length of one source line, per format.

A single huge line must not hang a writer: its time should grow about linearly.  For each
format this renders a line of N and of 10×N bytes in the same run and prints the time ratio
(~10 means linear; ~100 quadratic).

    .venv/bin/python benchmarks/long_line.py [N_BYTES]      # default 100_000
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from briefexport.api import render
from briefexport.config import Settings
from briefexport.source.briefing import read


def seconds(text: str, fmt: str, folder: Path) -> float:
    path = folder / "line.md"
    path.write_text(text, encoding="utf-8")
    start = time.perf_counter()
    render(read(path, Settings(), max_bytes=2**40), fmt, Settings())
    return time.perf_counter() - start


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    shapes = {
        "prose": lambda n: "convoy " * (n // 7),
        "one word": lambda n: "x" * n,
    }
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for fmt in ("txt", "html", "pdf"):
            render(read(Path(__file__).parent.parent / "examples" / "mali-second-coup.txt"),
                   fmt, Settings())  # warm-up: imports, fonts
            for name, make in shapes.items():
                small = seconds(f"T\n\n{make(size)}\n", fmt, folder)
                large = seconds(f"T\n\n{make(size * 10)}\n", fmt, folder)
                print(f"{fmt:4} {name:9} {size:>9} B {small:7.2f} s   {size * 10:>9} B "
                      f"{large:7.2f} s   ratio {large / small:5.1f}", flush=True)


if __name__ == "__main__":
    main()
