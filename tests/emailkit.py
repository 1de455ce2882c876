"""Helpers shared by the email tests: every example rendered once per ESP profile, and the
external tools (the MJML reference validator, axe-core, Chromium) found or refused."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import re
import subprocess
from collections.abc import Iterable, Iterator
from email.utils import format_datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from conftest import CONFIG, EXAMPLES, ROOT, chromium_path

from briefexport.choices import ESP_PROFILES as PROFILES
from briefexport.config import Settings, UtmSettings, load_settings
from briefexport.render.context import RenderContext
from briefexport.source.briefing import read
from briefexport.writers import get_format
from briefexport.writers.email.esp import Tokens

#: Every bundled example briefing (editions excluded).
EXAMPLE_SOURCES = tuple(sorted([*EXAMPLES.glob("*.md"), *EXAMPLES.glob("*.txt")]))
ESPS = tuple(PROFILES)


def in_ci() -> bool:
    return bool(os.environ.get("CI"))


def require(found: object, what: str) -> None:
    """Skip locally when a tool is missing; fail under CI, where it must be installed."""
    if found:
        return
    message = f"{what} is missing (make test installs it)"
    if in_ci():
        pytest.fail(message)
    pytest.skip(message)


def email_tools() -> Path:
    """The folder the Makefile installs the pinned npm tools into."""
    return Path(os.environ.get("BRIEFEXPORT_EMAIL_TOOLS", ROOT / ".cache" / "email-tools"))


def mjml_cli() -> Path | None:
    path = email_tools() / "node_modules" / ".bin" / "mjml"
    return path if path.is_file() else None


def axe_script() -> Path | None:
    path = email_tools() / "node_modules" / "axe-core" / "axe.min.js"
    return path if path.is_file() else None


#: The campaign parameters examples/briefexport.toml shows, commented out, switched on.
UTM = UtmSettings(source="briefing", medium="email", campaign="{slug}-{date}")


@cache
def example_settings(esp: str = "generic") -> Settings:
    """The example config with ``esp`` and the UTM parameters on."""
    settings = load_settings(CONFIG)
    return settings.replace(email=dataclasses.replace(settings.email, esp=esp, utm=UTM))


@dataclasses.dataclass(frozen=True)
class Rendered:
    html: str
    mjml: str
    """The MJML as compiled: merge tags stand behind tokens."""
    mjml_with_tags: str
    """The same MJML with the merge tags in place, as an editor would paste it."""
    eml: bytes
    warnings: tuple[str, ...]


@cache
def rendered(source: Path, esp: str = "generic") -> Rendered:
    """``source`` rendered to MJML, HTML and .eml with the example config and ``esp``."""
    settings = example_settings(esp)
    briefing = read(source, settings)
    ctx = RenderContext(settings)
    writer = get_format("html").briefing()
    html = writer.render(briefing, ctx)
    tokens = Tokens()
    mjml = writer.mjml(briefing, RenderContext(settings), tokens)  # type: ignore[attr-defined]
    eml = get_format("eml").briefing().render(briefing, ctx)
    return Rendered(html, mjml, tokens.substitute(mjml), eml,
                    tuple(w.message for w in ctx.warnings))


EDITIONS = tuple(sorted((EXAMPLES / "editions").glob("*.toml")))


@cache
def rendered_edition(path: Path, esp: str = "generic", mode: str = "full") -> Rendered:
    """An example edition's email with the example config, ``esp`` and email ``mode`` (full
    or teaser; no .eml for editions)."""
    from briefexport.source.edition import read_edition
    from briefexport.writers import get_format

    settings = example_settings(esp)
    settings = settings.replace(edition=dataclasses.replace(settings.edition, email_mode=mode))
    edition = read_edition(path, settings)
    writer = get_format("html").edition()
    ctx = RenderContext(settings)
    html = writer.render(edition, ctx)
    tokens = Tokens()
    mjml = writer.mjml(edition, RenderContext(settings), tokens)
    return Rendered(html, mjml, tokens.substitute(mjml), b"",
                    tuple(w.message for w in ctx.warnings))


def write_each(folder: Path, named: Iterable[tuple[str, str]]) -> list[Path]:
    """Write each ``(file name, text)`` into ``folder``; the paths, in order."""
    paths = []
    for name, text in named:
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


#: Debian's Chromium, headless, with nothing that reaches the network by itself.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (never a downloaded browser), with axe-core at
    hand; skipped locally when either is missing, a failure under CI."""
    executable = chromium_path()
    require(executable, "Chromium (/usr/bin/chromium)")
    require(axe_script(), "axe-core (npm)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, headless=True,
                                     args=CHROMIUM_ARGS)
        yield browser
        browser.close()


#: The most a message may score in SpamAssassin (its spam threshold is 5.0).
MAX_SPAM_SCORE = 1.0


def spam_score(eml: bytes) -> tuple[float, str]:
    """SpamAssassin's score of ``eml`` run offline (-L), and its rule details.

    A Received header goes first, as the client's server writes one on delivery:
    SpamAssassin dates the message against it (DATE_IN_PAST_*, DATE_IN_FUTURE_*).
    """
    from pdfread import tool

    received = (f"Received: from mail.meridian-risk.example by mx.client.example with ESMTPS; "
                f"{format_datetime(dt.datetime.now(dt.UTC))}\r\n").encode()
    result = subprocess.run([tool("spamassassin"), "-L", "-t"], input=received + eml,
                            capture_output=True, timeout=120)
    report = result.stdout.decode("utf-8", "replace")
    found = re.search(r"^X-Spam-Status: \w+, score=(-?[\d.]+)", report, re.MULTILINE)
    assert found, report[-2000:]
    return float(found.group(1)), report.split("Content analysis details:")[-1]
