"""The PDF renderer's only way to the outside: a restricted WeasyPrint URL fetcher.

Allowed: ``data:`` URIs and files below the allowed folders (the briefing's folder and the
template and style folders).  Everything else (other files, ``..`` escapes, the network,
redirects) is refused and reported, unless the user passed ``--allow-remote``, which lets
http(s) through without redirects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse


class SandboxFetcher(URLFetcher):
    """A :class:`weasyprint.urls.URLFetcher` that fetches only what it is allowed to."""

    def __init__(self, allowed_dirs: Iterable[Path], *, allow_remote: bool = False,
                 on_blocked: Callable[[str, str], None] | None = None) -> None:
        super().__init__(allow_redirects=False, timeout=10)
        self.allowed_dirs = tuple(Path(d).resolve() for d in allowed_dirs)
        self.allow_remote = allow_remote
        self.on_blocked = on_blocked or (lambda url, why: None)
        self.blocked: list[tuple[str, str]] = []

    def refuse(self, url: str, why: str) -> None:
        """Record and raise: WeasyPrint catches the error and renders without the resource."""
        self.blocked.append((url, why))
        self.on_blocked(url, why)
        raise PermissionError(f"blocked {url}: {why}")

    def allowed_file(self, url: str) -> Path | None:
        """The local path of a ``file:`` URL when it lies inside an allowed folder."""
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return None
        path = Path(url2pathname(unquote(parts.path))).resolve()
        if any(path.is_relative_to(d) for d in self.allowed_dirs):
            return path
        return None

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = self.allowed_file(url)
            if path is None:
                self.refuse(url, "outside the allowed folders")
            elif not path.is_file():
                self.refuse(url, "no such file")
            return super().fetch(url, headers)
        if scheme in ("http", "https"):
            if not self.allow_remote:
                self.refuse(url, "network access is off (use --allow-remote)")
            return super().fetch(url, headers)
        self.refuse(url, f"the {scheme or 'relative'} scheme is not allowed")
        raise AssertionError("unreachable")
