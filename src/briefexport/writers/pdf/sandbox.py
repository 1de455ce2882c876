"""The PDF renderer's only way to the outside: a restricted WeasyPrint URL fetcher.

Allowed: ``data:`` URIs, files below the allowed folders (the briefing's folder and the template
and style folders) and a few single allowed files (the configured logo).  Everything else (other
files, ``..`` escapes, symlinks leading out, the network, redirects) is refused and reported,
unless the user passed ``--allow-remote``, which lets http(s) through, still without redirects.

Files are read here from their resolved path rather than handed to urllib, so the file checked is
the file read: a symlink cannot be swapped in between the check and the read by the URL's form.
"""

from __future__ import annotations

import mimetypes
import urllib.error
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from briefexport.limits import MAX_RESOURCE_BYTES, MEGABYTE
from briefexport.writers.pdf.weasyload import import_weasyprint

import_weasyprint()  # first: WeasyPrint's own import would search for its libraries slowly

from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

BlockedCallback = Callable[[str, str], None]


class SandboxFetcher(URLFetcher):
    """A :class:`weasyprint.urls.URLFetcher` that fetches only what it is allowed to."""

    def __init__(self, allowed_dirs: Iterable[Path], *, allowed_files: Iterable[Path] = (),
                 allow_remote: bool = False, on_blocked: BlockedCallback | None = None,
                 timeout: float = 10) -> None:
        super().__init__(allow_redirects=False, timeout=timeout)
        self.allowed_dirs = tuple(Path(d).resolve() for d in allowed_dirs)
        self.allowed_files = tuple(Path(f).resolve() for f in allowed_files)
        self.allow_remote = allow_remote
        self.on_blocked = on_blocked
        self.blocked: list[tuple[str, str]] = []

    def refuse(self, url: str, why: str) -> None:
        """Record and raise: WeasyPrint catches the error and renders without the resource."""
        self.blocked.append((url, why))
        if self.on_blocked is not None:
            self.on_blocked(url, why)
        raise PermissionError(f"blocked {url}: {why}")

    def allowed_file(self, url: str) -> Path | None:
        """The real path of a ``file:`` URL when it lies inside an allowed folder."""
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return None
        # resolve() follows every symlink and folds "..": the check is on the real target.
        path = Path(url2pathname(unquote(parts.path))).resolve()
        if path in self.allowed_files or any(path.is_relative_to(d) for d in self.allowed_dirs):
            return path
        return None

    def fetch_file(self, url: str) -> URLFetcherResponse:
        path = self.allowed_file(url)
        if path is None:
            self.refuse(url, "outside the allowed folders")
            raise AssertionError("unreachable")
        if not path.is_file():  # also refuses devices, FIFOs and folders
            self.refuse(url, "no such file")
        if path.stat().st_size > MAX_RESOURCE_BYTES:
            self.refuse(url, f"larger than {MAX_RESOURCE_BYTES // MEGABYTE} MB")
        # WeasyPrint checks a linked stylesheet's type and uses an image's to pick SVG.
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": kind})

    def fetch_remote(self, url: str, headers: dict[str, str] | None) -> URLFetcherResponse:
        try:
            return super().fetch(url, headers)
        except urllib.error.HTTPError as exc:
            if 300 <= exc.code < 400:
                target = exc.headers.get("Location", "elsewhere") if exc.headers else "elsewhere"
                exc.close()
                self.refuse(url, f"redirect to {target} not followed")
            raise

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            return self.fetch_file(url)
        if scheme in ("http", "https"):
            if not self.allow_remote:
                self.refuse(url, "network access is off (use --allow-remote)")
            return self.fetch_remote(url, headers)
        self.refuse(url, f"the {scheme or 'relative'} scheme is not allowed")
        raise AssertionError("unreachable")
