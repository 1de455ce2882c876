"""The PDF's restricted fetcher: no file outside the allowed folders, no network unless allowed.

A small HTTP server on 127.0.0.1 records every request it gets, so "nothing was fetched" is
checked where it happens, not inferred from the PDF.
"""

from __future__ import annotations

import dataclasses
import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pikepdf
import pytest
from click.testing import CliRunner
from conftest import CONFIG
from weasyprint.urls import URLFetchingError, fetch

from briefexport.api import ExportOptions, export_one
from briefexport.cli import main
from briefexport.config import Settings
from briefexport.writers.pdf.sandbox import SandboxFetcher


def png(width: int, height: int, color: tuple[int, int, int]) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "PNG")
    return buffer.getvalue()


class Recorder(BaseHTTPRequestHandler):
    """Serves a PNG at /img.png and /target.png, a redirect at /redirect; logs every path."""

    requests: list[str]
    image = png(31, 17, (200, 16, 46))

    def do_GET(self) -> None:
        self.requests.append(self.path)
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/target.png")
            self.end_headers()
            return
        if self.path in ("/img.png", "/target.png", "/bg.png"):
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(self.image)))
            self.end_headers()
            self.wfile.write(self.image)
            return
        self.send_error(404)

    def log_message(self, *args: object) -> None:  # keep the test output clean
        pass


@pytest.fixture
def server():
    requests: list[str] = []
    handler = type("Handler", (Recorder,), {"requests": requests})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", requests
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def folders(tmp_path):
    """A briefing folder with an image, and a secret image outside it (plus a symlink to it)."""
    brief = tmp_path / "brief"
    secret = tmp_path / "secret"
    brief.mkdir()
    secret.mkdir()
    (brief / "ok.png").write_bytes(png(11, 7, (0, 128, 0)))
    (secret / "secret.png").write_bytes(png(29, 13, (0, 0, 255)))
    (brief / "link.png").symlink_to(secret / "secret.png")
    (brief / "sub").mkdir()
    return brief, secret


def read_via(fetcher, url):
    with fetch(fetcher, url) as response:
        return response.read()


# ------------------------------------------------------------------ the fetcher itself


def test_files_inside_the_folder_and_data_uris_are_fetched(folders):
    brief, _ = folders
    fetcher = SandboxFetcher([brief])
    assert read_via(fetcher, (brief / "ok.png").as_uri()) == (brief / "ok.png").read_bytes()
    assert read_via(fetcher, "data:text/plain,hello") == b"hello"
    assert fetcher.blocked == []


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "file://localhost/etc/passwd",
    "file://otherhost/etc/passwd",
    "{brief}/../secret/secret.png",
    "{brief}/sub/../../secret/secret.png",
    "{brief}/%2e%2e/secret/secret.png",
    "{brief}/link.png",
    "{brief}/sub",
    "{brief}/missing.png",
    "ftp://127.0.0.1/x.png",
    "javascript:alert(1)",
])
def test_everything_else_is_refused(folders, url):
    brief, _ = folders
    url = url.format(brief=brief.as_uri())
    seen = []
    fetcher = SandboxFetcher([brief], on_blocked=lambda u, why: seen.append(u))
    with pytest.raises(URLFetchingError):
        read_via(fetcher, url)
    assert seen == [url] and fetcher.blocked[0][0] == url


def test_network_is_off_by_default(server):
    base, requests = server
    fetcher = SandboxFetcher([])
    with pytest.raises(URLFetchingError):
        read_via(fetcher, f"{base}/img.png")
    assert requests == []
    assert "--allow-remote" in fetcher.blocked[0][1]


def test_allow_remote_fetches_but_never_follows_redirects(server):
    base, requests = server
    fetcher = SandboxFetcher([], allow_remote=True)
    assert read_via(fetcher, f"{base}/img.png") == Recorder.image
    with pytest.raises(URLFetchingError):
        read_via(fetcher, f"{base}/redirect")
    assert requests == ["/img.png", "/redirect"]  # never /target.png
    assert fetcher.blocked == [(f"{base}/redirect", "redirect to /target.png not followed")]


# ------------------------------------------------------------------ through a real export


def images_in(path):
    """Every image XObject of the PDF, as (width, height)."""
    found = []
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for xobject in (page.Resources.get("/XObject") or {}).values():
                if xobject.get("/Subtype") == "/Image":
                    found.append((int(xobject.Width), int(xobject.Height)))
    return found


def all_stream_bytes(path):
    with pikepdf.open(path) as pdf:
        return b"".join(obj.read_bytes() for obj in pdf.objects
                        if isinstance(obj, pikepdf.Stream))


def test_briefing_cannot_reach_files_or_network(folders, server):
    brief, _ = folders
    base, requests = server
    source = brief / "brief.md"
    source.write_text(
        "# Leaky\n\nText.\n\n"
        "![a](file:///etc/passwd)\n\n"
        "![b](/etc/passwd)\n\n"
        "![c](../../../../../../../../etc/passwd)\n\n"
        "![d](../secret/secret.png)\n\n"
        "![e](link.png)\n\n"
        f"![f]({base}/img.png)\n\n"
        "![g](ok.png)\n", encoding="utf-8")
    out = brief.parent / "out"
    result = export_one(source, Settings(), ExportOptions(out_dir=out, formats=("pdf",)))
    assert result.ok, result.error
    warnings = [str(w) for w in result.warnings]
    for name in ("file:///etc/passwd", "/etc/passwd", "../../../../../../../../etc/passwd",
                 "../secret/secret.png", "link.png", f"{base}/img.png"):
        assert any(f"'{name}'" in w or f": {name} (" in w for w in warnings), (name, warnings)
    blocked = [w for w in warnings if "PDF resource blocked" in w]
    assert len(blocked) == 5
    assert all(":" in w.split(" PDF")[0] for w in blocked)  # FILE:LINE
    assert requests == []
    pdf = result.files[0]
    assert images_in(pdf) == [(11, 7)]  # only the allowed image
    assert b"root:" not in all_stream_bytes(pdf)


def test_theme_stylesheets_go_through_the_sandbox(tmp_path, folders, server):
    brief, _ = folders
    base, requests = server
    theme = tmp_path / "theme"
    (theme / "styles").mkdir(parents=True)
    (theme / "styles" / "report.css").write_text(
        '@import url("file:///etc/passwd");\n'
        f'body {{ background: url("{base}/bg.png"); font-family: "Noto Serif"; }}\n',
        encoding="utf-8")
    source = brief / "brief.md"
    source.write_text("# Themed\n\nText.\n", encoding="utf-8")
    settings = Settings(themes=(theme,))
    for run in range(2):  # the second run reuses the parsed stylesheet: same warnings
        result = export_one(source, settings,
                            ExportOptions(out_dir=tmp_path / f"out{run}", formats=("pdf",)))
        assert result.ok, result.error
        warnings = [str(w) for w in result.warnings]
        assert any("file:///etc/passwd" in w for w in warnings), warnings
        assert any(f"{base}/bg.png" in w for w in warnings), warnings
    assert requests == []


def test_cli_allow_remote_fetches_images_but_refuses_redirects(folders, server, tmp_path):
    brief, _ = folders
    base, requests = server
    source = brief / "remote.md"
    source.write_text(f"# Remote\n\n![r]({base}/img.png)\n\n![s]({base}/redirect)\n",
                      encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["export", str(source), "--config", str(CONFIG),
                                       "-o", str(out), "-f", "pdf", "--allow-remote"])
    assert result.exit_code == 0, result.output
    assert sorted(requests) == ["/img.png", "/redirect"]
    assert "redirect to /target.png not followed" in result.stderr
    assert images_in(out / "remote.pdf") == [(31, 17)]


def test_allow_remote_from_config(folders, server, tmp_path):
    brief, _ = folders
    base, requests = server
    source = brief / "remote.md"
    source.write_text(f"# Remote\n\n![r]({base}/img.png)\n", encoding="utf-8")
    settings = Settings()
    settings = settings.replace(pdf=dataclasses.replace(settings.pdf, allow_remote=True))
    result = export_one(source, settings, ExportOptions(out_dir=tmp_path, formats=("pdf",)))
    assert result.ok and requests == ["/img.png"]


def test_unusable_allowed_image_is_a_warning(folders, tmp_path):
    brief, _ = folders
    (brief / "bad.png").write_text("not an image", encoding="utf-8")
    source = brief / "bad.md"
    source.write_text("# Bad\n\n![x](bad.png)\n\n![y](ok.png)\n", encoding="utf-8")
    result = export_one(source, Settings(), ExportOptions(out_dir=tmp_path, formats=("pdf",)))
    assert result.ok, result.error
    warnings = [str(w) for w in result.warnings]
    assert len(warnings) == 1 and "bad.png" in warnings[0] and "PDF: " in warnings[0]
    assert images_in(result.files[0]) == [(11, 7)]


def test_svg_images_cannot_reach_out_either(folders, server, tmp_path):
    brief, _ = folders
    base, requests = server
    (brief / "map.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="40" height="40"><rect width="40" height="40" fill="#12355b"/>'
        f'<image href="{base}/img.png" width="10" height="10"/>'
        '<image xlink:href="../secret/secret.png" width="10" height="10"/></svg>',
        encoding="utf-8")
    source = brief / "svg.md"
    source.write_text("# Map\n\n![map](map.svg)\n", encoding="utf-8")
    result = export_one(source, Settings(), ExportOptions(out_dir=tmp_path, formats=("pdf",)))
    assert result.ok, result.error
    warnings = [str(w) for w in result.warnings]
    assert any(f"{base}/img.png" in w for w in warnings), warnings
    assert any("secret.png" in w for w in warnings), warnings
    assert requests == []
    assert images_in(result.files[0]) == []
