"""The local pool: ``jobs`` worker processes on this machine, each copy with its deadline.

One thread per worker hands it one copy at a time (:class:`..worker.Worker`); the copies come
back in the order they finish.  A copy over ``--timeout`` has its worker killed and replaced
and fails; a worker that dies under a copy is replaced and the copy tried once more on the
new one, so that only a copy that kills two workers fails (as a crash).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Generator, Sequence

from briefexport.commands.copies.render import Copy, Job
from briefexport.commands.copies.worker import Worker, WorkerDied, crashed, environment
from briefexport.config import Settings

#: How many times a copy is tried on a fresh worker after the one rendering it died.
RETRIES = 1


def render_local(jobs: Sequence[Job], settings: Settings, key: str, *, workers: int,
                 timeout: float) -> Generator[Copy, None, None]:
    """Render ``jobs`` in ``workers`` processes; yield each copy as it is done.

    Closing the iterator early (an interrupted run) kills the workers.
    """
    if not jobs:
        return
    todo: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
    done: queue.SimpleQueue[Copy | BaseException] = queue.SimpleQueue()
    for job in jobs:
        todo.put(job)
    count = max(1, min(workers, len(jobs)))
    for _ in range(count):
        todo.put(None)  # one stop sign per thread
    env = environment()
    stopping = threading.Event()
    handles = [Worker() for _ in range(count)]

    def serve(worker: Worker) -> None:
        try:
            while not stopping.is_set() and (job := todo.get()) is not None:
                done.put(render_with_retry(worker, job, settings, key, env, timeout, stopping))
        except BaseException as exc:  # reported by the consumer, never lost
            done.put(exc)
        finally:
            worker.stop()

    threads = [threading.Thread(target=serve, args=(handle,), daemon=True,
                                name=f"copies-worker-{n}") for n, handle in enumerate(handles)]
    for thread in threads:
        thread.start()
    try:
        for _ in range(len(jobs)):
            item = done.get()
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stopping.set()
        for handle in handles:
            handle.stop()  # wakes a thread blocked on its worker
        for thread in threads:
            thread.join(timeout=10)


def render_with_retry(worker: Worker, job: Job, settings: Settings, key: str,
                      env: dict[str, str | None], timeout: float,
                      stopping: threading.Event | None = None) -> Copy:
    """Render ``job`` on ``worker``; a worker that dies under it is replaced and the copy
    tried again (:data:`RETRIES` times), unless the run is ``stopping``."""
    for _ in range(RETRIES + 1):
        try:
            return worker.render(job, settings, key, env, timeout)
        except WorkerDied:
            if stopping is not None and stopping.is_set():
                break
    return crashed(job)
