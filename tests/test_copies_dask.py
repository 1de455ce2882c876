"""``briefexport copies --scheduler``: the same copies on a real Dask cluster.

A fixture starts ``dask scheduler`` and two ``dask worker --nthreads 1`` processes on
127.0.0.1 (random ports).  Without the ``dask`` extra these tests skip locally; under CI
(``CI`` set) they fail, since CI installs it (``make install-test``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import CONFIG, SEED

try:
    import distributed
except ImportError:  # pragma: no cover - depends on the installation
    distributed = None  # type: ignore[assignment]
    if os.environ.get("CI"):
        pytest.fail("the dask extra is not installed: make install-test installs "
                    "'.[test,dask]'", pytrace=False)
    pytest.skip("the dask extra is not installed (pip install '.[dask]')",
                allow_module_level=True)

EPOCH = "1767225600"
DASK = str(Path(sys.executable).parent / "dask")
RECIPIENTS = 10


@contextlib.contextmanager
def cluster(folder: Path, workers: int = 2, *, nanny: bool = True
            ) -> Iterator[tuple[str, list[subprocess.Popen[bytes]]]]:
    """A scheduler and ``workers`` single-threaded workers; yields (address, workers)."""
    folder.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, PYTHONUNBUFFERED="1")
    scheduler_file = folder / "scheduler.json"
    procs: list[subprocess.Popen[bytes]] = []

    def start(args: list[str], log: str) -> subprocess.Popen[bytes]:
        with (folder / log).open("wb") as out:
            proc = subprocess.Popen([DASK, *args], stdout=out, stderr=subprocess.STDOUT,
                                    env=env, stdin=subprocess.DEVNULL)
        procs.append(proc)
        return proc

    try:
        start(["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
               "--scheduler-file", str(scheduler_file)], "scheduler.log")
        deadline = time.monotonic() + 60
        while not scheduler_file.exists():
            assert time.monotonic() < deadline, (folder / "scheduler.log").read_text()
            time.sleep(0.1)
        time.sleep(0.2)  # the file is written in one go, but give it a moment
        address = json.loads(scheduler_file.read_text())["address"]
        started = [start(["worker", address, "--nthreads", "1", "--host", "127.0.0.1",
                          "--no-dashboard", "--local-directory", str(folder / f"w{n}"),
                          *([] if nanny else ["--no-nanny"])], f"worker{n}.log")
                   for n in range(workers)]
        with distributed.Client(address, timeout="30s") as client:
            client.wait_for_workers(workers, timeout=120)
        yield address, started
    finally:
        for proc in reversed(procs):
            if proc.poll() is None:
                proc.terminate()
        for proc in reversed(procs):
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture(scope="module")
def shared_cluster(tmp_path_factory):
    with cluster(tmp_path_factory.mktemp("dask")) as (address, _):
        yield address


def sources(folder: Path) -> list[Path]:
    made = []
    for n in range(3):
        path = folder / f"brief{n}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\ntitle: Briefing {n}\n---\n\nBody {n} with a "
                        f"[link](https://example.org/{n}).\n", encoding="utf-8")
        made.append(path)
    return [SEED, *made][:4]


def recipients(folder: Path, count: int = RECIPIENTS) -> Path:
    path = folder / "recipients.csv"
    tiers = ("standard", "premium")
    path.write_text("id,name,organisation,email,tier\n" + "".join(
        f"r{n:02d},Client {n},Org {n},c{n}@org{n}.example,{tiers[n % 2]}\n"
        for n in range(count)), encoding="utf-8")
    return path


def copies(*args: object) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    return subprocess.run([sys.executable, "-m", "briefexport", "copies", *map(str, args)],
                          env=env, capture_output=True, text=True, timeout=600)


_BOUNDARY = re.compile(rb'boundary="([^"]+)"')
_MESSAGE_ID = re.compile(rb"^Message-ID: .*$", re.MULTILINE)


def comparable(path: Path) -> bytes:
    """A file's bytes; an .eml's random Message-ID and MIME boundaries masked (and so the
    .eml's size, which the ninjs item lists among its renditions)."""
    data = path.read_bytes()
    if path.suffix == ".eml":
        for boundary in set(_BOUNDARY.findall(data)):
            data = data.replace(boundary, b"BOUNDARY")
        data = _MESSAGE_ID.sub(b"Message-ID: <masked>", data)
    elif path.suffix == ".json":
        item = json.loads(data)
        for rendition in item.get("renditions", []):
            if rendition["href"].endswith(".eml"):
                rendition["sizeInBytes"] = 0
        data = json.dumps(item, sort_keys=True).encode()
    return data


def outputs(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): comparable(p) for p in sorted(out.rglob("*"))
            if p.is_file() and p.name != "manifest.jsonl"}


def manifest(out: Path) -> list[dict]:
    """The manifest's rows, each checked against its file, without the timings and the
    digests and sizes that the .eml's randomness reaches (its own and the ninjs item's)."""
    rows = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    for row in rows:
        data = (out / row["path"]).read_bytes()
        assert (row["sha256"], row["bytes"]) == (hashlib.sha256(data).hexdigest(), len(data))
    return [{k: v for k, v in row.items() if k != "milliseconds" and not (
             row["format"] in ("eml", "json") and k in ("sha256", "bytes"))} for row in rows]


def listed(stdout: str, out: Path) -> list[str]:
    return [Path(line).relative_to(out).as_posix() for line in stdout.splitlines()]


def test_a_cluster_makes_the_same_files_as_the_local_pool(tmp_path, shared_cluster):
    briefs = sources(tmp_path / "in")
    people = recipients(tmp_path)
    common = ("--recipients", people, "-f", "pdf,eml,txt,json", "--config", CONFIG)
    on_dask = copies(*briefs, "-o", tmp_path / "dask", *common, "--scheduler", shared_cluster)
    assert on_dask.returncode == 0, on_dask.stderr
    local = copies(*briefs, "-o", tmp_path / "local", *common, "-j", "2")
    assert local.returncode == 0, local.stderr
    made = outputs(tmp_path / "dask")
    assert len(made) == len(briefs) * RECIPIENTS * 4 == 160
    assert made == outputs(tmp_path / "local")
    assert manifest(tmp_path / "dask") == manifest(tmp_path / "local")
    # The same files, reported in the same order.
    assert listed(on_dask.stdout, tmp_path / "dask") == listed(local.stdout, tmp_path / "local")


def test_a_hostile_document_times_out_on_the_cluster_too(tmp_path, shared_cluster):
    hostile = tmp_path / "in" / "hostile.md"
    hostile.parent.mkdir(parents=True)
    hostile.write_text("# Hostile\n\n" + "*" * 50000 + "x" + "*" * 50000 + "\n")
    good = sources(tmp_path / "in")[1]
    result = copies(hostile, good, "--recipients", recipients(tmp_path, 1), "-o",
                    tmp_path / "out", "-f", "txt", "--timeout", "5", "--scheduler",
                    shared_cluster)
    assert result.returncode == 1
    assert [line for line in result.stderr.splitlines() if "error" in line] == [
        f"briefexport: error: {hostile}: rendering took longer than 5 s (--timeout); "
        "stopped (copy for r00)"]
    assert (tmp_path / "out" / "r00" / f"{good.stem}.txt").exists()


def test_a_worker_killed_mid_run_costs_no_copy(tmp_path):
    briefs = sources(tmp_path / "in")
    people = recipients(tmp_path)
    out = tmp_path / "out"
    formats = ("pdf", "txt")
    with cluster(tmp_path / "dask", nanny=False) as (address, workers):
        env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
        proc = subprocess.Popen(
            [sys.executable, "-m", "briefexport", "copies", *map(str, briefs), "--recipients",
             str(people), "-o", str(out), "-f", ",".join(formats), "--config", str(CONFIG),
             "--scheduler", address], env=env, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 300
        path = out / "manifest.jsonl"
        while not (path.exists() and path.read_bytes().count(b"\n") >= 1):
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
            time.sleep(0.02)
        total = len(briefs) * RECIPIENTS * len(formats)
        assert path.read_bytes().count(b"\n") < total and proc.poll() is None
        os.kill(workers[0].pid, signal.SIGKILL)  # the worker itself (no nanny to restart it)
        stdout, stderr = proc.communicate(timeout=600)
    assert proc.returncode == 0, stderr
    expected = sorted(f"r{n:02d}/{b.stem}.{ext}" for b in briefs for n in range(RECIPIENTS)
                      for ext in formats)
    assert sorted(listed(stdout, out)) == expected  # each copy written (and reported) once
    assert sorted(outputs(out)) == expected
    rows = manifest(out)
    assert sorted(row["path"] for row in rows) == expected
    assert stderr.splitlines()[-1] == (f"{len(briefs) * RECIPIENTS} written, 0 skipped "
                                       "(resume), 0 skipped (tier or withheld), 0 failed")


def test_an_unreachable_scheduler_is_one_error_before_any_work(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from briefexport.cli import main
    from briefexport.commands.copies import cluster as dask_cluster

    monkeypatch.setattr(dask_cluster, "CONNECT_SECONDS", 1)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["copies", str(SEED), "--recipients",
                                       str(recipients(tmp_path, 2)), "-o", str(out),
                                       "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(
        "briefexport: error: cannot reach the Dask scheduler at tcp://127.0.0.1:9: ")
    assert not out.exists()
