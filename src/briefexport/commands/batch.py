"""Many sources in one run: expand the arguments, name the outputs, export, report in order.

``expand`` turns files, folders (searched recursively for ``*.md`` and ``*.txt``) and glob
patterns into a sorted, de-duplicated list of sources.  ``plan`` decides where each source's
outputs go: flat in the output folder, unless two sources share a stem, in which case those
sources keep their folders (relative to the folder they have in common) under the output folder.
``run`` exports the planned tasks in this process or in a process pool, isolates every per-source
failure, and yields the results in the order of the plan whatever order they finish in.
"""

from __future__ import annotations

import dataclasses
import glob
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from briefexport.config import Settings
from briefexport.pipeline import ExportOptions, ExportResult, export_one
from briefexport.record import record

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

#: File suffixes picked up when a folder is given.
SOURCE_SUFFIXES = (".md", ".txt")

_GLOB_CHARS = frozenset("*?[")

# Workers are forked from a small, clean server process rather than from the caller, which may
# hold threads or native library state (Pango, fontconfig) that must not be copied across fork.
# (multiprocessing and concurrent.futures are imported only when a pool is needed: together
# they cost a single-file export more than its own modules.)
START_METHOD = "forkserver" if os.name == "posix" else "spawn"

#: Imported once by the fork server, so that every worker forked from it starts with the writers
#: and their libraries loaded (see :mod:`briefexport.commands.preload`).
PRELOAD = "briefexport.commands.preload"


def prepare_workers() -> None:
    """Start the fork server, importing :data:`PRELOAD`: the writers load and warm up once
    for all workers instead of once in each (every pool calls this; it starts the server
    once).  Nothing to do where workers are spawned (no fork server)."""
    if START_METHOD != "forkserver":
        return
    from multiprocessing import forkserver

    forkserver.set_forkserver_preload([PRELOAD])
    forkserver.ensure_running()


@record
class Task:
    """One source to export and where its outputs go."""

    source: Path
    out_dir: Path
    stem: str
    """The output file name without extension."""
    error: str | None = None
    """Set when the argument already failed while expanding (a pattern matching nothing)."""


def default_jobs() -> int:
    """The number of CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _is_hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _folder_sources(folder: Path) -> list[Path]:
    found = [p for p in folder.rglob("*")
             if p.suffix.lower() in SOURCE_SUFFIXES and p.is_file() and not _is_hidden(p, folder)]
    return sorted(found, key=lambda p: p.parts)


def expand(arguments: Iterable[Path | str]) -> list[Path | Task]:
    """Files, folders and glob patterns → sources, in argument order, each source once.

    A missing file stays in the list so that exporting it reports it; an argument that yields no
    source at all (an empty folder, a pattern matching nothing) becomes a failed :class:`Task`.
    """
    out: list[Path | Task] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            out.append(path)

    for arg in arguments:
        path = Path(arg)
        if path.is_dir():
            found = _folder_sources(path)
            if not found:
                out.append(Task(path, Path(), path.name,
                                f"{path}: is a folder, not a briefing file, and holds no "
                                ".md or .txt files to export"))
            for p in found:
                add(p)
        elif not path.exists() and _GLOB_CHARS & set(str(arg)):
            matches = sorted(glob.glob(str(arg), recursive=True))
            sources: list[Path] = []
            for m in matches:
                mp = Path(m)
                sources.extend(_folder_sources(mp) if mp.is_dir() else [mp])
            if not sources:
                out.append(Task(path, Path(), path.name, f"{arg}: no file matches this pattern"))
            for p in sources:
                add(p)
        else:
            add(path)
    return out


def plan(sources: Sequence[Path | Task], out_dir: Path) -> list[Task]:
    """Give every source a unique output folder and stem, deterministically.

    Sources whose stems differ go straight into ``out_dir``.  Sources sharing a stem (compared
    case-insensitively, for the file systems that are) mirror their folders under ``out_dir``,
    relative to the deepest folder they have in common; two of them in the same folder (``x.md``
    and ``x.txt``) keep their suffix in the output name (``x.md.pdf``).
    """
    paths = [s for s in sources if isinstance(s, Path)]
    groups: dict[str, list[Path]] = {}
    for p in paths:
        groups.setdefault(p.stem.casefold(), []).append(p)

    placed: dict[Path, tuple[Path, str]] = {}
    for group in groups.values():
        if len(group) == 1:
            placed[group[0]] = (out_dir, group[0].stem)
            continue
        parents = [p.resolve().parent for p in group]
        common = Path(os.path.commonpath(parents))
        by_parent: dict[Path, int] = {}
        for parent in parents:
            by_parent[parent] = by_parent.get(parent, 0) + 1
        for p, parent in zip(group, parents, strict=True):
            stem = p.name if by_parent[parent] > 1 else p.stem
            placed[p] = (out_dir / parent.relative_to(common), stem)

    tasks = []
    for s in sources:
        if isinstance(s, Task):
            tasks.append(dataclasses.replace(s, out_dir=out_dir))
        else:
            folder, stem = placed[s]
            tasks.append(Task(s, folder, stem))
    return tasks


def export_task(task: Task, settings: Settings, options: ExportOptions) -> ExportResult:
    """Export one planned task; any failure, even an unexpected one, becomes a failed result."""
    if task.error is not None:
        return ExportResult(task.source, error=task.error)
    try:
        return export_one(task.source, settings,
                          dataclasses.replace(options, out_dir=task.out_dir), stem=task.stem)
    except Exception as exc:  # a bug must not take the rest of the batch down with it
        return ExportResult(task.source,
                            error=f"{task.source}: unexpected {type(exc).__name__}: {exc}")


# --------------------------------------------------------------------------- process pool

# Each worker receives the settings and options once, not with every task.
_worker_state: tuple[Settings, ExportOptions] | None = None


def _init_worker(settings: Settings, options: ExportOptions) -> None:
    global _worker_state
    _worker_state = (settings, options)
    # Build the writers (WeasyPrint's font configuration, the MJML binding) now, once per
    # worker; a writer that cannot load reports that on each of its tasks instead.
    from briefexport.writers import get_format

    for fmt in options.formats:
        try:
            get_format(fmt).briefing()
        except Exception:  # reported on each task by export_one
            continue


def _worker_task(task: Task) -> ExportResult:
    assert _worker_state is not None, "worker used before its initializer ran"
    return export_task(task, *_worker_state)


def _crashed(task: Task) -> ExportResult:
    return ExportResult(task.source, error=f"{task.source}: the worker process exporting it "
                                           "stopped unexpectedly (a crash, or out of memory?)")


def _is_broken(future: Future[ExportResult]) -> bool:
    from concurrent.futures.process import BrokenProcessPool

    return not future.cancelled() and isinstance(future.exception(), BrokenProcessPool)


def _pool_result(task: Task, future: Future[ExportResult]) -> ExportResult | None:
    """The task's result; None when it was cancelled or its pool broke under it."""
    if future.cancelled() or _is_broken(future):
        return None
    try:
        return future.result()
    except Exception as exc:  # e.g. a result that could not be sent back
        return ExportResult(task.source,
                            error=f"{task.source}: unexpected {type(exc).__name__}: {exc}")


def _new_pool(workers: int, settings: Settings, options: ExportOptions) -> ProcessPoolExecutor:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    prepare_workers()
    return ProcessPoolExecutor(max_workers=workers,
                               mp_context=multiprocessing.get_context(START_METHOD),
                               initializer=_init_worker, initargs=(settings, options))


def _one_by_one(tasks: Sequence[Task], settings: Settings, options: ExportOptions
                ) -> Iterator[ExportResult]:
    """Export ``tasks`` one at a time in a single worker, so a crash names its culprit."""
    pool: ProcessPoolExecutor | None = None
    try:
        for task in tasks:
            pool = pool or _new_pool(1, settings, options)
            future = pool.submit(_worker_task, task)
            result = _pool_result(task, future)
            if result is None:  # this very task took the worker down
                pool.shutdown(wait=True)
                pool = None
                result = _crashed(task)
            yield result
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _run_pool(tasks: Sequence[Task], settings: Settings, options: ExportOptions, workers: int,
              fail_fast: bool, on_done: Callable[[ExportResult], None]
              ) -> Iterator[ExportResult]:
    from concurrent.futures import as_completed

    results: list[ExportResult | None] = [None] * len(tasks)
    broken: list[int] = []
    pool = _new_pool(workers, settings, options)
    try:
        futures: dict[Future[ExportResult], int] = {}
        for i, task in enumerate(tasks):
            if task.error is None:
                futures[pool.submit(_worker_task, task)] = i
            else:
                results[i] = failed = export_task(task, settings, options)
                on_done(failed)
        next_index = 0
        for future in as_completed(futures):
            i = futures[future]
            results[i] = result = _pool_result(tasks[i], future)
            if result is None and _is_broken(future):
                if not fail_fast:
                    broken.append(i)  # retried below, where a crash can name its source
                    continue
                results[i] = result = _crashed(tasks[i])
            if result is None:
                continue
            on_done(result)
            if fail_fast and not result.ok:
                # Start nothing more, let what is running finish, and report everything that
                # was written: nothing is left unaccounted for.
                pool.shutdown(wait=True, cancel_futures=True)
                for other, j in futures.items():
                    if results[j] is None and (late := _pool_result(tasks[j], other)):
                        results[j] = late
                        on_done(late)
                break
            while next_index < len(tasks) and (ready := results[next_index]) is not None:
                yield ready
                next_index += 1
        if broken:
            # A worker died (a crash, or the kernel's out-of-memory killer) and took the pool
            # with it; every task it had not finished is exported again, one at a time.
            pool.shutdown(wait=True, cancel_futures=True)
            retried = sorted(broken)
            for i, result in zip(retried, _one_by_one([tasks[i] for i in retried], settings,
                                                      options), strict=True):
                results[i] = result
                on_done(result)
        yield from (r for r in results[next_index:] if r is not None)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def run(tasks: Sequence[Task], settings: Settings, options: ExportOptions, *, jobs: int = 1,
        fail_fast: bool = False, on_done: Callable[[ExportResult], None] | None = None
        ) -> Iterator[ExportResult]:
    """Export ``tasks``, yielding one result per task in task order.

    ``jobs`` > 1 runs a process pool of that many workers (never more than there are tasks);
    ``on_done`` is called as each task finishes, in completion order (for a progress bar).
    Under ``fail_fast`` no task starts after the first failure; tasks that never ran get no
    result, so fewer results than tasks means the batch was cut short.
    """
    notify = on_done or (lambda result: None)
    if fail_fast:
        # A source that failed while expanding stops the batch where it stands in the order.
        first_bad = next((i for i, t in enumerate(tasks) if t.error is not None), None)
        if first_bad is not None:
            tasks = tasks[:first_bad + 1]
    runnable = sum(1 for t in tasks if t.error is None)
    if min(jobs, runnable) > 1:
        yield from _run_pool(tasks, settings, options, min(jobs, runnable), fail_fast, notify)
        return
    for task in tasks:
        result = export_task(task, settings, options)
        notify(result)
        yield result
        if fail_fast and not result.ok:
            return
