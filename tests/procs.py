"""A long-running ``briefexport`` subprocess whose output lines a test can wait for."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path


class Running:
    """``python -m briefexport ARGS`` with its stdout/stderr lines collected by threads."""

    def __init__(self, *args: str | Path, cwd: Path | None = None) -> None:
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "briefexport", *map(str, args)], cwd=cwd, env=env,
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, encoding="utf-8")
        self.lines: queue.Queue[tuple[str, str]] = queue.Queue()
        self.seen: list[tuple[str, str]] = []
        self.pumps = [threading.Thread(target=self._pump, args=(name,), daemon=True)
                      for name in ("stdout", "stderr")]
        for pump in self.pumps:
            pump.start()

    def _pump(self, name: str) -> None:
        stream = getattr(self.proc, name)
        for line in stream:
            self.lines.put((name, line.rstrip("\n")))

    def expect(self, match: Callable[[str, str], bool], timeout: float = 30.0) -> str:
        """Wait (at most ``timeout`` s) for a new line for which ``match(stream, line)``."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no matching line within {timeout}s; seen: {self.seen}")
            try:
                stream, line = self.lines.get(timeout=min(left, 0.5))
            except queue.Empty:
                if self.proc.poll() is not None and self.lines.empty():
                    raise AssertionError(
                        f"process exited ({self.proc.returncode}); seen: {self.seen}") from None
                continue
            self.seen.append((stream, line))
            if match(stream, line):
                return line

    def interrupt(self, timeout: float = 15.0) -> int:
        """Ctrl-C, and the exit status."""
        self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(timeout)
        finally:
            self.drain()

    def drain(self) -> None:
        """Collect every line left, once the process has exited."""
        for pump in self.pumps:
            pump.join(5)
        while not self.lines.empty():
            self.seen.append(self.lines.get())

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
