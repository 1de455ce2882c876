"""``briefexport copies``: a copy per client, tiers, tokens, the manifest, resume, timeouts.

Most cases use ``-f txt,json`` and small sources: the PDF is the point of only a few.
"""

from __future__ import annotations

import email
import hashlib
import hmac
import json
import os
import signal
import subprocess
import sys
import time
from email import policy
from pathlib import Path

import pikepdf
import pypdf
import pytest
from click.testing import CliRunner
from conftest import CONFIG, EXAMPLES, SEED

from briefexport.cli import main
from briefexport.model import Recipient

EPOCH = "1767225600"  # 2026-01-01: every run below is reproducible
PORTAL = "https://portal.example/briefings"
SECRET = "s3cret-for-tests-only-9f1c"


def run(*args: object, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, ["copies", *map(str, args)], env=env)


@pytest.fixture(autouse=True)
def reproducible(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.delenv("BRIEFEXPORT_SECRET", raising=False)


def briefing(folder: Path, name: str, title: str, body: str = "", front: str = "") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\ntitle: {title}\ndate: 2026-11-20\n{front}---\n\nBody of {title}, "
                    f"with a [link](https://example.org/a).\n\n{body}", encoding="utf-8")
    return path


def recipients(folder: Path, *rows: str, name: str = "recipients.csv") -> Path:
    path = folder / name
    path.write_text("id,name,organisation,email,tier\n" + "".join(f"{r}\n" for r in rows),
                    encoding="utf-8")
    return path


FOUR = ("acme,Ann Smith,Acme Mining,ann@acme.example,standard",
        "bolt,Bo Li,Bolt Energy,bo@bolt.example,premium",
        "cove,Cy Roe,Cove Shipping,cy@cove.example,standard",
        "dune,Di Fox,Dune Logistics,di@dune.example,premium")


def config(folder: Path, extra: str = "") -> Path:
    path = folder / "briefexport.toml"
    path.write_text(f'[portal]\nurl = "{PORTAL}"\n\n[email]\nesp = "mailchimp"\n'
                    f'postal_address = "Example Ltd, 1 Street, London"\n{extra}',
                    encoding="utf-8")
    return path


def manifest(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]


def files_under(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted(out.rglob("*")) if p.is_file() and p.name != "manifest.jsonl"}


def without_timing(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in row.items() if k != "milliseconds"} for row in rows]


# --------------------------------------------------------------------------- the basics


def test_one_copy_per_recipient_and_source_with_a_manifest(tmp_path):
    a = briefing(tmp_path / "in", "alpha.md", "Alpha")
    b = briefing(tmp_path / "in", "beta.md", "Beta")
    people = recipients(tmp_path, *FOUR[:3])
    out = tmp_path / "out"
    result = run(a, b, "--recipients", people, "-o", out, "-f", "txt,json", "-j", "2",
                 "--config", config(tmp_path))
    assert result.exit_code == 0, result.output
    expected = [f"{rid}/{stem}.{ext}" for stem in ("alpha", "beta")
                for rid in ("acme", "bolt", "cove") for ext in ("txt", "json")]
    assert result.stdout.splitlines() == [str(out / path) for path in expected]
    assert result.stderr.splitlines()[-1] == ("6 written, 0 skipped (resume), "
                                              "0 skipped (tier or withheld), 0 failed")
    assert sorted(files_under(out)) == sorted(expected)
    rows = manifest(out)
    assert [row["path"] for row in rows] == expected
    for row in rows:
        data = (out / row["path"]).read_bytes()
        assert row["sha256"] == hashlib.sha256(data).hexdigest()
        assert row["bytes"] == len(data)
        assert row["source"] == str(a if row["path"].endswith(("alpha.txt", "alpha.json"))
                                    else b)
        assert row["recipient"] == row["path"].split("/")[0]
        assert row["format"] == row["path"].rsplit(".", 1)[1]
        assert row["pages"] is None and row["links"] == 1 and row["warnings"] == []
        assert isinstance(row["milliseconds"], int)
    assert "Body of Beta" in (out / "cove" / "beta.txt").read_text()
    # The ninjs item names its sibling in the same folder, as a plain export's does.
    item = json.loads((out / "acme" / "alpha.json").read_text())
    assert [r["href"] for r in item["renditions"]] == ["alpha.txt"]


def test_default_formats_are_pdf_and_eml_with_page_counts(tmp_path):
    people = recipients(tmp_path, FOUR[0])
    out = tmp_path / "out"
    result = run(SEED, "--recipients", people, "-o", out, "--config", CONFIG, "-j", "1")
    assert result.exit_code == 0, result.output
    assert sorted(files_under(out)) == ["acme/mali-second-coup.eml",
                                        "acme/mali-second-coup.pdf"]
    pdf_row, eml_row = manifest(out)
    assert pdf_row["format"] == "pdf" and eml_row["format"] == "eml"
    assert pdf_row["pages"] == len(pypdf.PdfReader(out / pdf_row["path"]).pages) >= 1
    assert eml_row["pages"] is None and pdf_row["links"] >= 4
    # The copy is the client's (the writers' part: watermark, XMP, the .eml's addressee).
    reader = pypdf.PdfReader(out / pdf_row["path"])
    for page in reader.pages:
        assert "Prepared for Acme Mining · acme · not for redistribution" in page.extract_text()
    with pikepdf.open(out / pdf_row["path"]) as pdf:
        assert b"acme" in pdf.Root.Metadata.read_bytes()
    message = email.message_from_bytes((out / eml_row["path"]).read_bytes(),
                                       policy=policy.default)
    assert message["X-Briefexport-Recipient"] == "acme"
    assert message["To"].addresses[0].addr_spec == "ann@acme.example"


def test_python_api_returns_the_manifest_rows(tmp_path):
    from briefexport import copies
    from briefexport.config import Settings

    a = briefing(tmp_path / "in", "alpha.md", "Alpha")
    premium = briefing(tmp_path / "in", "gold.md", "Gold", front="tier: premium\n")
    people = [Recipient("acme", tier="standard"), Recipient("bolt", tier="premium")]
    rows = copies([a, premium], people, tmp_path / "out", settings=Settings(),
                  formats=["txt"], jobs=2)
    assert [(r.recipient, r.path) for r in rows] == [
        ("acme", "acme/alpha.txt"), ("bolt", "bolt/alpha.txt"), ("bolt", "bolt/gold.txt")]
    assert rows.ok and not rows.failed
    assert [(o.source, o.recipient) for o in rows.skipped] == [(str(premium), "acme")]
    assert [json.loads(line)["path"] for line in
            (tmp_path / "out" / "manifest.jsonl").read_text().splitlines()] == [
        r.path for r in rows]


# --------------------------------------------------------------------------- tiers


def pdf_bytes_decompressed(path: Path, tmp_path: Path) -> bytes:
    target = tmp_path / f"{path.parent.name}-{path.stem}-qdf.pdf"
    with pikepdf.open(path) as pdf:
        pdf.save(target, qdf=True, compress_streams=False,
                 stream_decode_level=pikepdf.StreamDecodeLevel.all,
                 object_stream_mode=pikepdf.ObjectStreamMode.disable)
    return target.read_bytes()


def eml_texts(path: Path, tmp_path: Path) -> str:
    """Every part of an .eml as text: its text parts, and any attached PDF's text and
    decompressed bytes."""
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    parts = []
    for n, part in enumerate(message.walk()):
        if part.get_content_maintype() == "multipart":
            continue
        payload = part.get_content()
        if part.get_content_type() == "application/pdf":
            attached = tmp_path / f"{path.parent.name}-attached-{n}.pdf"
            attached.write_bytes(payload)
            parts += ["".join(page.extract_text() for page in pypdf.PdfReader(attached).pages),
                      pdf_bytes_decompressed(attached, tmp_path).decode("latin-1")]
            continue
        parts.append(payload if isinstance(payload, str) else payload.decode("latin-1"))
    return "\n".join(parts)


def test_tier_blocks_reach_only_the_recipients_of_that_tier(tmp_path):
    marker, url = "Zebracrossing", "https://zebracrossing.example/inside"
    source = briefing(tmp_path / "in", "tiered.md", "Tiered", body=(
        f"::: tier premium\n{marker} sources expect a second blockade, see "
        f"[the {marker} note]({url}).\n:::\n\nThe end for everyone.\n"))
    people = recipients(tmp_path, FOUR[0], FOUR[1])
    out = tmp_path / "out"
    result = run(source, "--recipients", people, "-o", out, "-f", "pdf,eml,txt,json,html",
                 "-j", "2", "--config", config(tmp_path))
    assert result.exit_code == 0, result.output
    for rid, sees in (("acme", False), ("bolt", True)):
        folder = out / rid
        pdf_text = "".join(page.extract_text() for page in
                           pypdf.PdfReader(folder / "tiered.pdf").pages)
        assert (marker in pdf_text) is sees, rid
        if not sees:
            # Nowhere in the PDF: not its text, metadata, bookmarks, links or attachments.
            raw = pdf_bytes_decompressed(folder / "tiered.pdf", tmp_path)
            assert b"zebracrossing" not in raw.lower()
        assert "The end for everyone" in pdf_text
        eml = eml_texts(folder / "tiered.eml", tmp_path)
        assert (marker in eml) is sees and (url in eml) is sees and "for everyone" in eml
        for ext in ("txt", "json", "html"):
            text = (folder / f"tiered.{ext}").read_text(encoding="utf-8")
            assert (marker in text) is sees, (rid, ext)
            assert (url in text) is sees, (rid, ext)


def test_a_briefing_above_the_recipients_tier_is_skipped_and_reported(tmp_path):
    gold = briefing(tmp_path / "in", "gold.md", "Gold", front="tier: premium\n")
    plain = briefing(tmp_path / "in", "plain.md", "Plain")
    people = recipients(tmp_path, FOUR[0], FOUR[1])
    out = tmp_path / "out"
    result = run(gold, plain, "--recipients", people, "-o", out, "-f", "txt",
                 "--config", config(tmp_path))
    assert result.exit_code == 0, result.output
    assert sorted(files_under(out)) == ["acme/plain.txt", "bolt/gold.txt", "bolt/plain.txt"]
    notes = [line for line in result.stderr.splitlines() if "skipped for" in line]
    assert notes == [f"{gold}: skipped for acme: the briefing is for tier premium and up; "
                     "acme is standard"]
    assert result.stderr.splitlines()[-1] == ("3 written, 0 skipped (resume), "
                                              "1 skipped (tier or withheld), 0 failed")


def test_a_withheld_briefing_goes_to_no_one(tmp_path):
    held = briefing(tmp_path / "in", "held.md", "Held", front="status: withheld\n")
    people = recipients(tmp_path, FOUR[0])
    out = tmp_path / "out"
    result = run(held, "--recipients", people, "-o", out, "-f", "txt,pdf",
                 "--config", config(tmp_path))
    assert result.exit_code == 0, result.output
    assert files_under(out) == {}
    assert "skipped for acme: status: withheld" in result.stderr


# --------------------------------------------------------------------------- tokens


def test_portal_links_carry_the_recipients_hmac_token(tmp_path):
    cfg = config(tmp_path, '\n[copies]\nportal_link = "{url}?c={token}"\n')
    source = briefing(tmp_path / "in", "portal.md", "Portal", body=(
        f"Read [the full assessment]({PORTAL}/sahel-2026) on the portal.\n"))
    people = recipients(tmp_path, FOUR[0], FOUR[1])
    out = tmp_path / "out"
    result = run(source, "--recipients", people, "-o", out, "-f", "txt,json",
                 "--config", cfg, env={"BRIEFEXPORT_SECRET": SECRET})
    assert result.exit_code == 0, result.output
    tokens = {}
    for rid in ("acme", "bolt"):
        token = hmac.new(SECRET.encode(), rid.encode(), hashlib.sha256).hexdigest()[:32]
        tokens[rid] = token
        text = (out / rid / "portal.txt").read_text()
        assert f"{PORTAL}/sahel-2026?c={token}" in text
        assert "https://example.org/a?" not in text  # a link off the portal stays as it is
    assert tokens["acme"] != tokens["bolt"]
    assert tokens["bolt"] not in (out / "acme" / "portal.txt").read_text()
    # The secret is written nowhere; the tokens only inside the links they fill.
    for path in out.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
    assert not any(t in (out / "manifest.jsonl").read_text() for t in tokens.values())


def test_a_missing_secret_is_one_error_before_any_work(tmp_path):
    cfg = config(tmp_path, '\n[copies]\nportal_link = "{url}?c={token}"\n')
    source = briefing(tmp_path / "in", "portal.md", "Portal")
    out = tmp_path / "out"
    result = run(source, "--recipients", recipients(tmp_path, FOUR[0]), "-o", out,
                 "--config", cfg)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "briefexport: error: [copies] portal_link or [email] unsubscribe_url needs a {token}: "
        "set the secret in the environment variable BRIEFEXPORT_SECRET"]
    assert not out.exists()


# --------------------------------------------------------------------------- bad recipients


@pytest.mark.parametrize(("rows", "line", "message"), [
    (("acme,A,Acme,a@acme.example,standard", "bolt,B,Bolt,b@bolt.example,premium",
      "acme,A2,Acme,a2@acme.example,premium"), 4,
     "duplicate recipient id 'acme' (first on line 2)"),
    (("acme,A,Acme,a@acme.example,standard", "bolt,B,Bolt,b@bolt.example,platinum"), 3,
     "recipient 'bolt' has tier 'platinum', not one of [tiers] order (standard, premium)"),
    (("acme,A,Acme,not-an-address,standard",), 2,
     "recipient 'acme' has an email that is not an address: 'not-an-address'"),
    # Acme and acme would share one folder on a case-insensitive disk.
    (("acme,A,Acme,a@acme.example,standard", "Acme,B,Acme,b@acme.example,standard"), 3,
     "duplicate recipient id 'Acme' (first on line 2)"),
    (("manifest.jsonl,A,Acme,a@acme.example,standard",), 2,
     "recipient id 'manifest.jsonl' is a name a folder cannot take (the manifest's, or a "
     "device name on Windows)"),
    (("CON,A,Acme,a@acme.example,standard",), 2,
     "recipient id 'CON' is a name a folder cannot take (the manifest's, or a device "
     "name on Windows)"),
])
def test_a_bad_recipient_row_is_one_error_naming_file_and_line(tmp_path, rows, line, message):
    people = recipients(tmp_path, *rows)
    out = tmp_path / "out"
    result = run(briefing(tmp_path / "in", "a.md", "A"), "--recipients", people, "-o", out,
                 "-f", "txt", "--config", config(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"briefexport: error: {people}:{line}: {message}"]
    assert not out.exists()


def test_a_bad_source_fails_for_everyone_and_the_others_are_written(tmp_path):
    good = briefing(tmp_path / "in", "good.md", "Good")
    bad = tmp_path / "in" / "bad.md"
    bad.write_bytes(b"\xff\xfeU\x00T\x00F\x00")
    broken = briefing(tmp_path / "in", "broken.md", "Broken")
    broken.write_text("---\ntitle: [unclosed\n---\n\nBody.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run(bad, broken, good, "--recipients", recipients(tmp_path, FOUR[0], FOUR[2]),
                 "-o", out, "-f", "txt", "--config", config(tmp_path))
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("briefexport:")]
    assert errors[0] == (f"briefexport: error: {bad}: is UTF-16 (it starts with a UTF-16 "
                         "byte-order mark); save it as UTF-8 (no copy for any recipient)")
    assert [e.split(": ", 2)[2].split(":")[0] for e in errors[1:]] == [str(broken)] * 2
    assert errors[1].endswith("(copy for acme)") and errors[2].endswith("(copy for cove)")
    assert sorted(files_under(out)) == ["acme/good.txt", "cove/good.txt"]
    assert result.stderr.splitlines()[-1] == ("2 written, 0 skipped (resume), "
                                              "0 skipped (tier or withheld), 4 failed")


# --------------------------------------------------------------------------- timeouts


def test_a_document_over_the_timeout_fails_and_the_others_are_written(tmp_path):
    # 50,000 nested emphasis markers: tens of seconds of parsing, far over 5 s.
    hostile = tmp_path / "in" / "hostile.md"
    hostile.parent.mkdir(parents=True)
    hostile.write_text("# Hostile\n\n" + "*" * 50000 + "x" + "*" * 50000 + "\n")
    good = [briefing(tmp_path / "in", f"good{i}.md", f"Good {i}") for i in range(3)]
    out = tmp_path / "out"
    started = time.monotonic()
    result = run(hostile, *good, "--recipients", recipients(tmp_path, FOUR[0]), "-o", out,
                 "-f", "txt", "-j", "2", "--timeout", "5", "--config", config(tmp_path))
    assert result.exit_code == 1, result.output
    assert [line for line in result.stderr.splitlines() if "error" in line] == [
        f"briefexport: error: {hostile}: rendering took longer than 5 s (--timeout); "
        "stopped (copy for acme)"]
    assert sorted(files_under(out)) == [f"acme/good{i}.txt" for i in range(3)]
    assert time.monotonic() - started < 60  # the hostile copy was stopped, not waited for


# --------------------------------------------------------------------------- resume


def test_resume_keeps_what_is_unchanged_and_remakes_the_rest(tmp_path):
    sources = [briefing(tmp_path / "in", f"s{i}.md", f"S{i}") for i in range(3)]
    people = recipients(tmp_path, *FOUR[:2])
    out = tmp_path / "out"
    args = (*sources, "--recipients", people, "-o", out, "-f", "txt,json",
            "--config", config(tmp_path))
    assert run(*args).exit_code == 0
    first = manifest(out)
    (out / "bolt" / "s0.json").unlink()                       # a file gone
    (out / "acme" / "s1.txt").write_text("tampered\n")        # a file changed
    briefing(tmp_path / "in", "s2.md", "S2 changed")          # a source changed
    with (out / "manifest.jsonl").open("a") as handle:        # a line torn by a kill
        handle.write('{"recipient":"acme","source":"x","for')
    result = run(*args, "--resume")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-1] == ("4 written, 2 skipped (resume), "
                                              "0 skipped (tier or withheld), 0 failed")
    assert result.stdout.splitlines() == [str(out / p) for p in (
        "bolt/s0.txt", "bolt/s0.json", "acme/s1.txt", "acme/s1.json",
        "acme/s2.txt", "acme/s2.json", "bolt/s2.txt", "bolt/s2.json")]
    rows = manifest(out)  # one whole line per file, in order, again
    assert [r["path"] for r in rows] == [r["path"] for r in first]
    assert "S2 changed" in (out / "bolt" / "s2.txt").read_text()
    assert (out / "acme" / "s1.txt").read_text() != "tampered\n"
    # Nothing changed: nothing made.
    again = run(*args, "--resume")
    assert again.stderr.splitlines()[-1].startswith("0 written, 6 skipped (resume)")
    assert again.stdout == ""


def test_a_second_run_into_the_same_folder_at_once_is_refused(tmp_path):
    from briefexport.commands.copies.manifest import Manifest

    out = tmp_path / "out"
    holder = Manifest(out, resume=False)
    try:
        result = run(briefing(tmp_path / "in", "a.md", "A"), "--recipients",
                     recipients(tmp_path, FOUR[0]), "-o", out, "-f", "txt",
                     "--config", config(tmp_path))
    finally:
        holder.close()
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"briefexport: error: {out}: another `briefexport copies` is writing into this folder"]


def console(*args: object) -> list[str]:
    return [sys.executable, "-m", "briefexport", "copies", *map(str, args)]


def test_a_run_killed_with_sigkill_resumes_to_the_same_files(tmp_path):
    sources = [SEED, EXAMPLES / "burkina-faso-fuel-blockade.md",
               *(briefing(tmp_path / "in", f"n{i}.md", f"N{i}") for i in range(2))]
    people = recipients(tmp_path, *FOUR)
    formats = ("pdf", "txt", "json")
    total = len(sources) * len(FOUR)
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    common = ("--recipients", people, "-f", ",".join(formats), "-j", "2", "--config", CONFIG)

    killed = tmp_path / "killed"
    proc = subprocess.Popen(console(*sources, "-o", killed, *common), env=env,
                            start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        path = killed / "manifest.jsonl"
        if path.exists() and path.read_bytes().count(b"\n") >= 2:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the run ended before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)  # the command and its workers, all at once
    proc.wait()
    # Whole lines only: a line the kill tore has no newline yet.
    lines = (killed / "manifest.jsonl").read_text().split("\n")[:-1]
    keys = [(row["recipient"], row["source"]) for row in map(json.loads, lines)]
    complete = {key for key in keys if keys.count(key) == len(formats)}
    assert 0 < len(complete) < total

    resumed = subprocess.run(console(*sources, "-o", killed, *common, "--resume"), env=env,
                             capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert resumed.stderr.splitlines()[-1] == (
        f"{total - len(complete)} written, {len(complete)} skipped (resume), "
        "0 skipped (tier or withheld), 0 failed")
    clean = tmp_path / "clean"
    fresh = subprocess.run(console(*sources, "-o", clean, *common), env=env,
                           capture_output=True, text=True)
    assert fresh.returncode == 0, fresh.stderr
    assert files_under(killed) == files_under(clean)
    assert len(files_under(clean)) == total * len(formats)
    assert without_timing(manifest(killed)) == without_timing(manifest(clean))
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".part")]


# --------------------------------------------------------------------------- worker processes


def test_a_worker_process_that_dies_is_replaced_and_the_copy_made():
    from briefexport.commands.copies.local import render_with_retry
    from briefexport.commands.copies.render import Job
    from briefexport.commands.copies.worker import Worker
    from briefexport.config import Settings

    worker = Worker()
    job = Job("a.md", "a", b"# A\n\nSome text.\n", Recipient("acme"), ("txt",))
    try:
        first = render_with_retry(worker, job, Settings(), "key", {}, 60)
        assert first.error is None and b"Some text." in first.files["txt"]
        pid = worker._proc.pid
        os.kill(pid, signal.SIGKILL)  # as the out-of-memory killer would
        second = render_with_retry(worker, job, Settings(), "key", {}, 60)
        assert second.files == first.files
        assert worker._proc.pid != pid
    finally:
        worker.stop()


def test_a_column_named_twice_in_the_header_is_an_error(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("id,name,name,email,tier\nacme,A,B,a@acme.example,standard\n",
                    encoding="utf-8")
    result = run(briefing(tmp_path / "in", "a.md", "A"), "--recipients", path, "-o",
                 tmp_path / "out", "-f", "txt", "--config", config(tmp_path))
    assert result.exit_code == 1
    assert f"{path}:1: header has the column 'name' twice" in result.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.txt"))
