"""The same copies on a Dask distributed cluster (``--scheduler tcp://HOST:PORT``).

Workers need briefexport (of the same version) and ``dask[distributed]``, nothing else: no
shared file system.  The settings are sent to every worker once; each task is a chunk of
copies carrying the source's bytes, and returns each copy's files and facts; this process
writes them (atomically, the manifest after) as for the local pool.  On a worker, each thread
renders through a worker process of its own (:class:`..worker.Worker`), built once and kept
between tasks, so the fonts, stylesheets and templates are loaded once per worker and a copy
over ``--timeout`` is stopped there without stopping the Dask worker.  A chunk whose Dask
worker is lost is run again elsewhere by the scheduler (``distributed.scheduler.allowed-failures``
times); its copies are written once, when its result arrives.

``dask`` is imported only here, only when a scheduler is named.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Generator, Sequence
from typing import Any

from briefexport.about import version
from briefexport.commands.copies.local import render_with_retry
from briefexport.commands.copies.render import Copy, Job
from briefexport.commands.copies.worker import Worker, environment
from briefexport.config import Settings
from briefexport.errors import BriefexportError
from briefexport.names import one_line

#: The most copies one task carries: enough to make a task's overhead small against a PDF's
#: rendering, few enough that a lost worker costs little and the cluster stays balanced.
MAX_CHUNK = 16
#: How long to wait for the scheduler to answer.
CONNECT_SECONDS = 30
#: How long to wait for a first worker to join the scheduler.
WORKER_WAIT_SECONDS = 120
#: How often a task that raised (not one whose worker was lost) is tried again.
TASK_RETRIES = 2

_local = threading.local()


def missing_extra() -> str | None:
    """Why Dask cannot be used here, or ``None``."""
    try:
        import dask  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as exc:
        return (f"--scheduler needs Dask ({exc.name} is not installed): "
                "pip install 'briefexport[dask]'")
    return None


def chunk_size(copies: int, threads: int) -> int:
    """Copies per task: about four tasks per worker thread, at most :data:`MAX_CHUNK`."""
    return max(1, min(MAX_CHUNK, math.ceil(copies / (max(threads, 1) * 4))))


def render_chunk(jobs: Sequence[Job], settings: Settings, key: str,
                 env: dict[str, str | None], timeout: float, client_version: str
                 ) -> list[Copy]:
    """What a Dask task runs: each copy of the chunk in this thread's worker process."""
    if version() != client_version:
        return [Copy(job, error=f"{job.source}: the Dask worker runs briefexport {version()}, "
                                f"this machine {client_version}: install the same version")
                for job in jobs]
    worker = getattr(_local, "worker", None)
    if worker is None:
        worker = _local.worker = Worker()
    return [render_with_retry(worker, job, settings, key, env, timeout) for job in jobs]


def connect(address: str) -> Any:
    """A client of the scheduler at ``address`` with a worker to run on; one error line
    when Dask is missing, the scheduler cannot be reached or no worker joins it."""
    problem = missing_extra()
    if problem:
        raise BriefexportError(problem)
    from distributed import Client

    try:
        client = Client(address, timeout=f"{CONNECT_SECONDS}s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise BriefexportError(f"cannot reach the Dask scheduler at {address}: "
                               f"{one_line(str(exc))}") from None
    try:
        client.wait_for_workers(1, timeout=WORKER_WAIT_SECONDS)
    except TimeoutError:
        client.close()
        raise BriefexportError(f"no Dask worker has joined the scheduler at {address} "
                               f"within {WORKER_WAIT_SECONDS} s") from None
    return client


def render_dask(jobs: Sequence[Job], settings: Settings, key: str, *, client: Any,
                timeout: float) -> Generator[Copy, None, None]:
    """Render ``jobs`` on the cluster ``client`` is connected to; yield each copy as its
    chunk is done.  The caller closes the client."""
    if not jobs:
        return
    from distributed import as_completed

    futures: dict[Any, Sequence[Job]] = {}
    try:
        threads = sum(w.get("nthreads", 1) for w in
                      client.scheduler_info().get("workers", {}).values())
        size = chunk_size(len(jobs), threads or 2)
        shared = client.scatter(settings, broadcast=True)
        env = environment()
        for start in range(0, len(jobs), size):
            part = list(jobs[start:start + size])
            future = client.submit(render_chunk, part, shared, key, env, timeout, version(),
                                   pure=False, retries=TASK_RETRIES)
            futures[future] = part
        for future in as_completed(list(futures), loop=client.loop):
            chunk = futures.pop(future)
            try:
                copies: list[Copy] = future.result()
            except Exception as exc:  # lost too many workers, or a task that kept raising
                reason = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
                copies = [Copy(job, error=f"{job.source}: the Dask task failed ({reason})")
                          for job in chunk]
            future.release()
            yield from copies
    finally:
        for future in futures:
            future.cancel()
