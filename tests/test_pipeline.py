"""The one export path: a document is read once and each format rendered once, whoever asks."""

from __future__ import annotations

import dataclasses

from conftest import EXAMPLES, SEED
from pypdf import PdfReader

from briefexport.config import Settings
from briefexport.pipeline import ExportOptions, Rendering, export_edition, export_one
from briefexport.source.briefing import read

EDITION = EXAMPLES / "editions" / "sahel-weekly-12.toml"


def test_every_format_and_the_eml_render_each_writer_once(tmp_path, settings, render_calls):
    archival = settings.replace(pdf=dataclasses.replace(settings.pdf, variant="pdf/a-3b"))
    result = export_one(SEED, archival, ExportOptions(out_dir=tmp_path,
                                                      formats=("pdf", "html", "txt", "eml")))
    assert result.ok, result.error
    # The PDF/A attaches the wire text and the .eml carries the email: both reuse the render
    # their own format made (or will use), instead of rendering it again.
    assert sorted(render_calls) == ["html", "pdf", "read", "txt"]
    attached = PdfReader(tmp_path / "mali-second-coup.pdf").attachments
    assert attached["mali-second-coup.wire.txt"][0] == (tmp_path / "mali-second-coup.txt"
                                                        ).read_bytes()
    eml = (tmp_path / "mali-second-coup.eml").read_bytes()
    assert b"Content-Type: text/html" in eml


def test_a_shared_render_reports_its_warnings_once(tmp_path, write_source):
    source = write_source("# Title\n\nA [placeholder](#) link.\n")
    result = export_one(source, None, ExportOptions(out_dir=tmp_path,
                                                    formats=("html", "eml", "txt")))
    assert result.ok
    codes = [w.code for w in result.warnings]
    assert codes.count("placeholder") == 1
    # The email's own compliance warnings, once, though the .eml used the same email.
    assert codes.count("email-compliance") == len(set(
        w.message for w in result.warnings if w.code == "email-compliance"))


def test_an_edition_pdf_attaches_the_edition_text_it_also_writes(tmp_path, settings, render_calls):
    archival = settings.replace(pdf=dataclasses.replace(settings.pdf, variant="pdf/a-3b"))
    result = export_edition(EDITION, archival, ExportOptions(out_dir=tmp_path))
    assert result.ok, result.error
    assert render_calls.count("edition-txt") == 1


def test_rendering_renders_on_demand_and_keeps_what_it_rendered(settings, render_calls):
    rendering = Rendering(read(SEED, settings), settings)
    assert render_calls == ["read"]
    text = rendering.output("txt")
    assert rendering.output("txt") is text
    rendering.render("txt", "html")
    assert render_calls == ["read", "txt", "html"]
    assert list(rendering.outputs) == ["txt", "html"]


def test_the_warnings_start_with_the_readers(write_source):
    source = write_source("---\nsurprise: 1\n---\n# T\n\nBody.\n")
    rendering = Rendering(read(source), Settings())
    assert [w.code for w in rendering.warnings] == ["unknown-key"]
    rendering.render("html")
    assert rendering.warnings[0].code == "unknown-key"
    assert "email-compliance" in [w.code for w in rendering.warnings[1:]]


def test_strict_writes_nothing_after_rendering_everything(tmp_path, write_source, render_calls):
    source = write_source("# T\n\n[x](#)\n")
    result = export_one(source, None, ExportOptions(out_dir=tmp_path, formats=("txt", "html"),
                                                    strict=True))
    assert not result.ok and "under --strict" in (result.error or "")
    assert list(tmp_path.iterdir()) == [source]
    assert sorted(render_calls) == ["html", "read", "txt"]
