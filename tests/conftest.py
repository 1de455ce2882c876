"""Shared fixtures: the bundled examples, their config, and small helpers to export them."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from briefexport.api import ExportOptions, export_one
from briefexport.config import load_settings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = EXAMPLES / "mali-second-coup.txt"
RICH = EXAMPLES / "burkina-faso-fuel-blockade.md"
CONFIG = EXAMPLES / "briefexport.toml"

#: The four placeholder links of the seed and the URLs examples/briefexport.toml gives them.
SEED_LINKS = {
    "Chad": "https://portal.meridian-risk.example/briefings/2021-04-chad-military-council",
    "August 2020 coup d’état": "https://portal.meridian-risk.example/briefings/2020-08-mali-coup",
    "by no means":
        "https://portal.meridian-risk.example/briefings/2021-03-sahel-jihadist-expansion",
    "Nigeria’s": "https://portal.meridian-risk.example/briefings/2021-05-nigeria-insurgency",
}
PORTAL = "https://portal.meridian-risk.example/briefings"


@pytest.fixture(scope="session")
def settings():
    return load_settings(CONFIG)


@pytest.fixture(scope="session")
def seed_outputs(tmp_path_factory, settings):
    """The seed exported once to all three formats with the example config."""
    out = tmp_path_factory.mktemp("seed")
    result = export_one(SEED, settings, ExportOptions(out_dir=out))
    assert result.ok, result.error
    return {p.suffix.lstrip("."): p for p in result.files}


@pytest.fixture(scope="session")
def rich_outputs(tmp_path_factory, settings):
    """The richer example exported once to all three formats."""
    out = tmp_path_factory.mktemp("rich")
    result = export_one(RICH, settings, ExportOptions(out_dir=out))
    assert result.ok, result.error
    return {p.suffix.lstrip("."): p for p in result.files}


@pytest.fixture
def write_source(tmp_path):
    """Write a briefing source into a temporary folder and return its path."""
    def write(text: str | bytes, name: str = "brief.md") -> Path:
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path
    return write


@pytest.fixture
def render_calls(monkeypatch):
    """Every source read and every writer render, in order: ``read``, ``txt``, ``html``,
    ``pdf``, ``edition-txt``."""
    from briefexport.source import briefing as briefing_reader
    from briefexport.writers.email.html import EmailWriter
    from briefexport.writers.pdf.report import PdfWriter
    from briefexport.writers.text.edition import EditionTextWriter
    from briefexport.writers.text.wire import TextWriter

    seen: list[str] = []
    real_read = briefing_reader.read_text

    def reading(*args, **kwargs):
        seen.append("read")
        return real_read(*args, **kwargs)
    monkeypatch.setattr(briefing_reader, "read_text", reading)
    for cls, name in ((TextWriter, "txt"), (EmailWriter, "html"), (PdfWriter, "pdf"),
                      (EditionTextWriter, "edition-txt")):
        def counting(self, document, ctx, _real=cls.render, _name=name):
            seen.append(_name)
            return _real(self, document, ctx)
        monkeypatch.setattr(cls, "render", counting)
    return seen


def chromium_path() -> str | None:
    """Debian's Chromium, the only browser the tests use."""
    for candidate in ("/usr/bin/chromium", shutil.which("chromium") or ""):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None
