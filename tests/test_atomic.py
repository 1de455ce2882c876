"""No partial files: an export that fails or is interrupted leaves nothing under a final name."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner
from conftest import CONFIG, SEED

from briefexport import api, pipeline, writers
from briefexport.api import ExportOptions, export_one, write_atomic
from briefexport.cli import main
from briefexport.errors import BriefexportError, RenderError


class HalfWayWriter:
    """Renders part of a document, then fails the way a layout engine can."""

    def __init__(self, error: BaseException) -> None:
        self.error = error

    def render(self, briefing, ctx):
        part = b"%PDF-1.7\n" + briefing.meta.title.encode()
        assert part  # half a document exists in memory when the failure comes
        raise self.error


@pytest.fixture
def half_way(monkeypatch):
    def install(error: BaseException) -> None:
        monkeypatch.setitem(writers.BY_NAME, "half",
                            writers.Format("half", ".half", "text", HalfWayWriter))
        monkeypatch.setitem(writers.base._instances, HalfWayWriter, HalfWayWriter(error))
    return install


def test_a_writer_failing_half_way_leaves_no_file(tmp_path, settings, half_way):
    half_way(RenderError("layout ran out of pages", SEED))
    out = tmp_path / "out"
    result = export_one(SEED, settings, ExportOptions(out_dir=out, formats=("txt", "half", "html")))
    assert not result.ok
    assert result.error == f"{SEED}: layout ran out of pages"
    assert result.files == ()
    assert not out.exists() or list(out.iterdir()) == []


def test_a_writer_failing_half_way_through_the_cli(tmp_path, half_way):
    half_way(RenderError("layout ran out of pages", SEED))
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["export", str(SEED), "--config", str(CONFIG), "-o",
                                       str(out), "-f", "txt,half"])
    assert result.exit_code == 1
    assert result.stderr == f"briefexport: error: {SEED}: layout ran out of pages\n"
    assert not out.exists() or list(out.iterdir()) == []


def test_an_interrupted_render_leaves_no_file(tmp_path, settings, half_way):
    half_way(KeyboardInterrupt())
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        export_one(SEED, settings, ExportOptions(out_dir=out, formats=("txt", "half")))
    assert not out.exists() or list(out.iterdir()) == []


class ShortWrites:
    """A file handle that writes half of what it is given, then fails (a full disk)."""

    def __init__(self, handle) -> None:
        self.handle = handle

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.handle.close()

    def write(self, data: bytes) -> int:
        self.handle.write(data[: len(data) // 2])
        self.handle.flush()
        raise OSError(28, "No space left on device")


def test_a_write_failing_half_way_keeps_the_previous_file_whole(tmp_path, settings,
                                                                 monkeypatch):
    out = tmp_path / "out"
    first = export_one(SEED, settings, ExportOptions(out_dir=out, formats=("pdf",)))
    assert first.ok
    previous = (out / "mali-second-coup.pdf").read_bytes()
    real_fdopen = os.fdopen
    monkeypatch.setattr(pipeline.os, "fdopen", lambda fd, mode: ShortWrites(real_fdopen(fd, mode)))
    again = export_one(SEED, settings, ExportOptions(out_dir=out, formats=("pdf",)))
    assert again.error == (f"{SEED}: cannot write {out / 'mali-second-coup.pdf'}: "
                           "No space left on device")
    assert (out / "mali-second-coup.pdf").read_bytes() == previous
    assert sorted(p.name for p in out.iterdir()) == ["mali-second-coup.pdf"]  # no .part left


def test_an_interrupted_rename_leaves_no_file(tmp_path, monkeypatch):
    def interrupted(src, dst):
        raise KeyboardInterrupt
    monkeypatch.setattr(pipeline.os, "replace", interrupted)
    target = tmp_path / "report.pdf"
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"%PDF-1.7\n" + b"x" * 100_000)
    assert list(tmp_path.iterdir()) == []


def test_every_file_the_cli_writes_goes_through_write_atomic(tmp_path, monkeypatch):
    written = []
    real = pipeline.write_atomic

    def recording(path, data):
        written.append(path)
        real(path, data)
    monkeypatch.setattr(pipeline, "write_atomic", recording)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["export", str(SEED), "--config", str(CONFIG),
                                       "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert sorted(written) == sorted(out.iterdir())
    assert len(written) == 3


@pytest.mark.parametrize("name", ["..md", "...md", ".md", "-o.md", "a b.md", "\\\\..\\\\x.md",
                                  "\u202eevil.md", "naïve.md"])
def test_output_names_never_escape_the_output_folder(tmp_path, settings, name):
    sources = tmp_path / "sources"
    sources.mkdir()
    source = sources / name
    source.write_text("MALI: Coup\n\nBody.\n")
    out = tmp_path / "out"
    result = export_one(source, settings, ExportOptions(out_dir=out, formats=("txt", "html")))
    assert result.ok, result.error
    for path in result.files:
        assert path.parent == out
        assert path.resolve().parent == out.resolve()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "sources"]
    assert len(list(out.iterdir())) == 2


def test_sources_in_other_folders_land_in_the_output_folder(tmp_path, settings, monkeypatch):
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    (deep / "brief.md").write_text("MALI: Coup\n\nBody.\n")
    monkeypatch.chdir(deep)
    out = tmp_path / "out"
    result = export_one("../b/../../a/b/brief.md", settings,
                        ExportOptions(out_dir=out, formats=("txt",)))
    assert result.files == (out / "brief.txt",)
    assert list(deep.iterdir()) == [deep / "brief.md"]


def test_a_symlink_in_the_output_folder_is_replaced_not_followed(tmp_path, settings):
    outside = tmp_path / "outside.txt"
    outside.write_text("precious\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "mali-second-coup.txt").symlink_to(outside)
    result = export_one(SEED, settings, ExportOptions(out_dir=out, formats=("txt",)))
    assert result.ok
    assert outside.read_text() == "precious\n"
    assert not (out / "mali-second-coup.txt").is_symlink()
    assert (out / "mali-second-coup.txt").read_text().endswith("ENDS\n")


@pytest.mark.parametrize("stem", [".."])
def test_output_path_refuses_a_dot_name(tmp_path, monkeypatch, stem):
    monkeypatch.setitem(writers.BY_NAME, "bare", writers.Format("bare", "", "text", "bare:Bare"))
    with pytest.raises(BriefexportError, match="safe output name"):
        api.output_path(tmp_path / f"{stem}", "bare", tmp_path)
