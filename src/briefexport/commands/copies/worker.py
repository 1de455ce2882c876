"""A worker process that renders copies, and the handle that gives it one job at a time, each
with a deadline.

A copy that renders longer than its deadline (a hostile source: tens of thousands of nested
emphasis markers) cannot be stopped inside a process; so each copy is rendered in a process
of its own, a long-lived child (``python -m briefexport.commands.copies.worker``) that builds
WeasyPrint's fonts, the stylesheets and the templates once and reuses them.  A copy over its
time has its child killed and fails; the next copy gets a fresh child.  The local pool runs
one handle per worker thread; on Dask each worker thread holds one, so a Dask worker that
renders for minutes keeps its own heartbeat and a hostile document never stalls it.

The child is a plain subprocess (not ``multiprocessing``): a Dask worker is a daemonic process,
which ``multiprocessing`` forbids to have children.  Messages are pickles, each preceded by
its length, over the child's stdin and its original stdout (the child's fd 1 is pointed at its
stderr, so that nothing else can write into the channel).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import time
import weakref
from typing import IO, Any

from briefexport.commands.copies.render import Copy, Job, render_copy
from briefexport.config import Settings

#: The environment variables whose values a copy's bytes depend on; a worker takes the
#: client's, so that a cluster renders what this machine would.
ENVIRONMENT = ("SOURCE_DATE_EPOCH", "BRIEFEXPORT_NOW")
#: How long a fresh worker may take to load WeasyPrint, the fonts and the templates.
STARTUP_SECONDS = 300.0

_HEADER = struct.Struct("!Q")


class WorkerDied(Exception):
    """The worker process stopped (a crash, the out-of-memory killer, a kill)."""


def environment() -> dict[str, str | None]:
    """The values of :data:`ENVIRONMENT` in this process."""
    return {name: os.environ.get(name) for name in ENVIRONMENT}


def crashed(job: Job) -> Copy:
    return Copy(job, error=f"{job.source}: the worker process rendering it stopped "
                           "unexpectedly (a crash, or out of memory?)")


def timed_out(job: Job, seconds: float) -> Copy:
    return Copy(job, error=f"{job.source}: rendering took longer than {seconds:g} s "
                           "(--timeout); stopped", milliseconds=round(seconds * 1000))


# --------------------------------------------------------------------------- the channel


def send(stream: IO[bytes], message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _read_exactly(fd: int, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise WorkerDied
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def receive(fd: int, deadline: float | None) -> Any:
    """The next message on ``fd``; ``TimeoutError`` when none has begun by ``deadline``."""
    while True:
        wait = None if deadline is None else max(0.0, deadline - time.monotonic())
        ready, _, _ = select.select([fd], [], [], wait)
        if ready:
            break
        if deadline is not None and time.monotonic() >= deadline:
            raise TimeoutError
    (size,) = _HEADER.unpack(_read_exactly(fd, _HEADER.size))
    return pickle.loads(_read_exactly(fd, size))


# --------------------------------------------------------------------------- the parent's side


class Worker:
    """One worker process, started when first needed and again after it is killed."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen[bytes] | None = None
        self._ready: str | None = None  # the key of the settings the process holds
        self._finalizer: weakref.finalize | None = None

    def render(self, job: Job, settings: Settings, key: str, env: dict[str, str | None],
               timeout: float) -> Copy:
        """Render ``job`` within ``timeout`` seconds, or kill the process and fail the copy.

        ``key`` names ``settings`` and ``env``: they are sent once per process.
        Raises :class:`WorkerDied` when the process stops while rendering.
        """
        proc = self._started()
        assert proc.stdin is not None and proc.stdout is not None
        try:
            if self._ready != key:
                send(proc.stdin, ("settings", settings, env, job.formats))
                try:
                    receive(proc.stdout.fileno(), time.monotonic() + STARTUP_SECONDS)
                except TimeoutError:
                    self.stop()
                    return Copy(job, error=f"{job.source}: the worker process did not load "
                                           f"within {STARTUP_SECONDS:g} s")
                self._ready = key
            send(proc.stdin, ("job", job))
            reply = receive(proc.stdout.fileno(), time.monotonic() + timeout)
        except TimeoutError:
            self.stop()
            return timed_out(job, timeout)
        except (WorkerDied, OSError, EOFError, pickle.UnpicklingError):
            self.stop()
            raise WorkerDied from None
        assert isinstance(reply, Copy)
        return reply

    def _started(self) -> subprocess.Popen[bytes]:
        if self._proc is None:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "briefexport.commands.copies.worker"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
            self._ready = None
            self._finalizer = weakref.finalize(self, _kill, self._proc)
        return self._proc

    def stop(self) -> None:
        """Kill the process (a new one starts for the next job)."""
        if self._finalizer is not None:
            self._finalizer()
        self._proc = self._finalizer = None
        self._ready = None


def _kill(proc: subprocess.Popen[bytes]) -> None:
    for stream in (proc.stdin, proc.stdout):
        try:
            if stream is not None:
                stream.close()
        except OSError:
            pass
    if proc.poll() is None:
        proc.kill()
    proc.wait()


# --------------------------------------------------------------------------- the child's side


def serve(inbox: IO[bytes], outbox: IO[bytes]) -> None:
    """Answer messages until the parent closes the channel."""
    settings: Settings | None = None
    while True:
        try:
            (size,) = _HEADER.unpack(_read_exactly(inbox.fileno(), _HEADER.size))
            message = pickle.loads(_read_exactly(inbox.fileno(), size))
        except WorkerDied:
            return  # the parent is gone or done
        if message[0] == "settings":
            settings, env, formats = message[1:]
            for name, value in env.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
            warm_up(settings, formats)
            send(outbox, ("ready",))
        else:
            assert settings is not None, "a job before the settings"
            job: Job = message[1]
            try:
                copy = render_copy(job, settings)
            except Exception as exc:  # a bug must fail one copy, not the worker
                copy = Copy(job, error=f"{job.source}: unexpected {type(exc).__name__}: {exc}")
            send(outbox, copy)


def warm_up(settings: Settings, formats: tuple[str, ...]) -> None:
    """Load everything a copy needs (WeasyPrint's fonts, the stylesheets, the templates, the
    MJML binding) by rendering a small briefing, before the first copy's deadline runs."""
    from briefexport.model import Recipient

    sample = Job(source="warm-up.md", stem="warm-up", recipient=Recipient(id="warm-up"),
                 data=b"# Warm-up\n\nA paragraph with a [link](https://example.org/).\n",
                 formats=formats)
    with contextlib.suppress(Exception):  # what fails here fails (reported) on each copy
        render_copy(sample, settings)


def main() -> None:
    # Ctrl-C reaches the whole process group: the parent decides, the child just goes on.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    outbox = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a stray print goes to stderr, never into the channel
    sys.stdout = sys.stderr
    serve(os.fdopen(0, "rb"), outbox)


if __name__ == "__main__":
    main()
