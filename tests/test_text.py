"""The wire text, checked line by line."""

from __future__ import annotations

import email
import re
from email import policy

from conftest import PORTAL, SEED, SEED_LINKS

from briefexport.api import render
from briefexport.config import Settings, TextSettings
from briefexport.source.briefing import read

URL_RE = re.compile(r"https?://\S+")


def test_seed_text_layout(seed_outputs):
    lines = seed_outputs["txt"].read_text(encoding="utf-8").split("\n")
    assert lines[0] == "MALI: Second coup d’état another blow for anti-terror efforts"
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", lines[1])
    assert lines[2] == ""
    assert lines[-2:] == ["ENDS", ""]


def test_seed_text_wraps_at_69_and_keeps_urls_whole(seed_outputs):
    text = seed_outputs["txt"].read_text(encoding="utf-8")
    for line in text.splitlines():
        urls = URL_RE.findall(line)
        if not urls:
            assert len(line) <= 69, line
    # Every URL appears whole on a line.
    found = set(URL_RE.findall(text))
    assert set(SEED_LINKS.values()) | {PORTAL} <= found


def test_seed_references_are_numbered_in_order(seed_outputs):
    text = seed_outputs["txt"].read_text(encoding="utf-8")
    body, refs = text.split("\nLinks:\n")
    ref_lines = [line for line in refs.splitlines() if line.startswith("[")]
    assert ref_lines == [f"[{n}] {url}" for n, url in enumerate(SEED_LINKS.values(), 1)]
    flat = " ".join(body.split())
    for n, name in enumerate(SEED_LINKS, 1):
        assert f"{name} [{n}]" in flat


def test_cta_has_its_own_line(seed_outputs):
    lines = seed_outputs["txt"].read_text(encoding="utf-8").splitlines()
    assert f"Client Portal >> {PORTAL}" in lines


def test_width_option_and_repeated_url_shares_a_number(write_source):
    path = write_source("T\n\n" + "word " * 40 + "[a](https://same.example/) and "
                        "[b](https://same.example/) and [c](https://other.example/).\n")
    settings = Settings(text=TextSettings(width=30))
    text, _ = render(read(path, settings), "txt", settings)
    assert max(len(line) for line in text.splitlines() if "http" not in line) <= 30
    flat = " ".join(text.split())
    assert "a [1] and b [1] and c [2]." in flat
    assert "[1] https://same.example/" in text and "[2] https://other.example/" in text


def test_long_url_is_never_broken(write_source):
    url = "https://example.org/" + "q" * 120
    path = write_source(f"T\n\nSee <{url}> and [more >>]({url})\n")
    text, _ = render(read(path), "txt")
    assert any(line.strip() == url or url in line.split() for line in text.splitlines())
    assert all(line.count("q") in (0, 120) for line in text.splitlines())


def test_unresolved_placeholder_gets_no_number():
    text, _ = render(read(SEED, Settings()), "txt")
    assert "[1]" not in text
    assert "Links:" not in text
    assert "Client Portal >>" in text.splitlines()


def test_lists_tables_and_quotes(rich_outputs):
    lines = rich_outputs["txt"].read_text(encoding="utf-8").splitlines()
    assert "1. Attacks have moved from the north and east to the central" in lines
    assert "   corridors feeding the capital." in lines
    assert any(line.startswith("N1 ") and line.endswith("Restricted") for line in lines)
    assert any(line.startswith("> “The blockade") for line in lines)
    assert "~~temporary~~" in " ".join(lines)


def test_code_blocks_keep_their_blank_lines(write_source):
    # The template's blank lines collapse; a code block's are content.
    path = write_source("T\n\n```\nroute A\n\n\nroute B\n   \nroute C\n```\n\n"
                        "> ```\n> one\n>\n>\n> two\n> ```\n\nEnd.\n")
    for fmt in ("txt", "eml"):
        text, _ = render(read(path), fmt)
        if fmt == "eml":
            message = email.message_from_string(text if isinstance(text, str)
                                                else text.decode(), policy=policy.default)
            text = message.get_body(("plain",)).get_content()
        lines = text.splitlines()
        start = lines.index("    route A")
        assert lines[start:start + 6] == ["    route A", "", "", "    route B", "",
                                          "    route C"], fmt
        start = lines.index(">     one")
        assert lines[start:start + 4] == [">     one", ">", ">", ">     two"], fmt
        assert "\ue001" not in text
        assert "\n\n\n\n" not in text.split("route A")[0]  # template blanks still collapse
