"""Bad input through the command line: one error line naming the file, exit 1, no file.

Every case runs the real ``export`` command in-process; ``result.exception`` must be the
``SystemExit`` of a handled error, never an exception that would print a traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CONFIG, RICH, SEED

from briefexport.cli import main
from briefexport.limits import MAX_SOURCE_BYTES as DEFAULT_MAX_BYTES


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def assert_handled(result, code: int = 1) -> None:
    """Exit ``code`` through the CLI's own error path, not an escaped exception."""
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        repr(result.exception))
    assert "Traceback" not in result.stderr


def assert_one_error(result, source: Path, fragment: str) -> None:
    assert_handled(result)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"briefexport: error: {source}"), lines[0]
    assert fragment in lines[0], lines[0]


#: name, file content, what the one error line must say.
BAD_SOURCES = [
    ("empty", b"", "is empty"),
    ("whitespace", b"  \n\t\n \r\n", "contains only white space"),
    ("latin-1", "MALI: Coup\n\nCôte d'Ivoire\n".encode("latin-1"),
     "brief.md: is not UTF-8: invalid byte 0xf4 at byte offset 13"),
    ("utf-16", "MALI: Coup\n\nBody.\n".encode("utf-16"), "is UTF-16"),
    ("utf-16-be", b"\xfe\xff" + "T\n".encode("utf-16-be"), "is UTF-16"),
    ("nul", b"MALI: Coup\n\nBo\x00dy\n", "contains a NUL byte"),
    ("binary", bytes(range(256)), "is not UTF-8: invalid byte 0x80 at byte offset 128"),
    ("binary-utf8", b"MALI: Coup\n\x00\x01\x02", "contains a NUL byte"),
    ("unclosed", b"---\ntitle: T\ndate: 2026-01-01\n\nBody\n", "never closed"),
    ("bad-yaml", b"---\ntitle: ok\nsummary: [unclosed\nx: 1\n---\nBody\n",
     "front matter is not valid YAML"),
    ("yaml-tab", b"---\ntitle: T\n\tdate: 2026-01-01\n---\nBody\n", "not valid YAML"),
    ("yaml-python-tag", b"---\ntitle: !!python/object/apply:os.system [ls]\n---\nB\n",
     "not valid YAML"),
    ("fm-list", b"---\n- a\n- b\n---\nBody\n", "must be a mapping of keys to values, not a list"),
    ("fm-scalar", b"---\njust words\n---\nBody\n", "not a string"),
    ("fm-number", b"---\n42\n---\nBody\n", "not a number"),
    ("date-word", b"---\ntitle: T\ndate: soon\n---\nBody\n", "'date' must be a date"),
    ("date-month-13", b"---\ntitle: T\ndate: 2026-13-45\n---\nBody\n",
     "month must be in 1..12"),
    ("date-year-0", b"---\ntitle: T\ndate: 0000-01-01\n---\nBody\n", "year 0 is out of range"),
    ("date-number", b"---\ntitle: T\ndate: 20260101\n---\nBody\n", "'date' must be a date"),
    ("tags-mapping", b"---\ntitle: T\ntags: {a: 1}\n---\nBody\n", "'tags' must be a list"),
    ("tags-number", b"---\ntitle: T\ntags: 5\n---\nBody\n", "'tags' must be a list"),
    ("title-list", b"---\ntitle: [a, b]\n---\nBody\n", "'title' must be text"),
    ("cta-no-url", b"---\ntitle: T\ncta:\n  - label: Map\n---\nBody\n", "has no 'url'"),
    ("cta-no-label", b"---\ntitle: T\ncta:\n  - url: https://e.example/\n---\nB\n",
     "needs a 'label'"),
    ("cta-string", b"---\ntitle: T\ncta: https://e.example/\n---\nBody\n", "needs a 'label'"),
    ("links-list", b"---\ntitle: T\nlinks: [a, b]\n---\nBody\n", "'links' must map"),
    ("lang", b"---\ntitle: T\nlang: english please\n---\nBody\n", "'lang' must be"),
    ("deep-yaml", b"---\nx: " + b"[" * 5000 + b"]" * 5000 + b"\n---\nT\n\nB\n",
     "nested too deeply"),
    ("no-headline", b"---\ndate: 2026-01-01\n---\n\n\n", "has no headline"),
    ("rule-headline", b"***\n\nBody\n", "has no headline on its first line"),
]


@pytest.mark.parametrize(("content", "fragment"),
                         [pytest.param(c, f, id=n) for n, c, f in BAD_SOURCES])
def test_bad_source_is_one_error_line_and_no_file(tmp_path, content, fragment):
    source = tmp_path / "brief.md"
    source.write_bytes(content)
    out = tmp_path / "out"
    result = run("export", source, "-o", out)
    assert_one_error(result, source, fragment)
    assert not out.exists() or list(out.iterdir()) == []


def test_missing_file(tmp_path):
    result = run("export", tmp_path / "nope.md", "-o", tmp_path / "out")
    assert_one_error(result, tmp_path / "nope.md", "no such file")
    assert not (tmp_path / "out").exists()


def test_folder_as_source(tmp_path):
    folder = tmp_path / "briefings.md"
    folder.mkdir()
    result = run("export", folder, "-o", tmp_path / "out")
    assert_one_error(result, folder, "is a folder, not a briefing file")


def test_dangling_symlink(tmp_path):
    link = tmp_path / "dangling.md"
    link.symlink_to(tmp_path / "gone.md")
    result = run("export", link, "-o", tmp_path / "out")
    assert_one_error(result, link, "no such file")


def test_yaml_error_names_its_line(tmp_path):
    source = tmp_path / "brief.md"
    source.write_text("---\ntitle: ok\nsummary: [unclosed\nx: 1\n---\nBody\n")
    result = run("export", source, "-o", tmp_path / "out")
    assert_one_error(result, source, "not valid YAML")
    assert result.stderr.startswith(f"briefexport: error: {source}:4:")


def test_unknown_output_format_is_a_usage_error(tmp_path):
    result = run("export", SEED, "-o", tmp_path / "out", "-f", "pdf,docx")
    assert_handled(result, code=2)
    assert "unknown format 'docx'" in result.stderr
    assert "choose from pdf, html, txt" in result.stderr
    assert not (tmp_path / "out").exists()


def test_output_folder_that_is_a_file_is_a_usage_error(tmp_path):
    blocker = tmp_path / "out"
    blocker.write_text("a file, not a folder\n")
    result = run("export", SEED, "--config", CONFIG, "-o", blocker, "-f", "txt")
    assert_handled(result, code=2)
    assert f"'{blocker}' is a file" in result.stderr
    assert blocker.read_text() == "a file, not a folder\n"


def test_output_folder_that_cannot_be_written(tmp_path):
    blocker = tmp_path / "out"
    blocker.write_text("a file, not a folder\n")
    out = blocker / "sub"
    result = run("export", SEED, "--config", CONFIG, "-o", out, "-f", "txt")
    assert_one_error(result, SEED, "cannot write")
    assert str(out / "mali-second-coup.txt") in result.stderr
    assert blocker.read_text() == "a file, not a folder\n"


def test_config_that_does_not_parse(tmp_path):
    bad = tmp_path / "briefexport.toml"
    bad.write_text("[brand]\nname = 'x'\ncolor = \n")
    result = run("export", SEED, "--config", bad, "-o", tmp_path / "out")
    assert_handled(result)
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith(f"briefexport: error: {bad}: invalid TOML")
    assert "line 3" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("toml", "fragment"), [
    ("[brand]\ncolor = 12\n", "'brand.color' must be str"),
    ("brand = 'x'\n", "'brand' must be a table"),
    (b"\xff\xfe[brand]\n", "not UTF-8"),
])
def test_config_with_wrong_values(tmp_path, toml, fragment):
    bad = tmp_path / "c.toml"
    if isinstance(toml, bytes):
        bad.write_bytes(toml)
    else:
        bad.write_text(toml)
    result = run("export", SEED, "--config", bad, "-o", tmp_path / "out")
    assert_handled(result)
    assert result.stderr.startswith(f"briefexport: error: {bad}: ")
    assert fragment in result.stderr


def test_fifty_megabyte_briefing_is_refused_and_the_limit_can_be_raised(tmp_path):
    big = tmp_path / "big.md"
    paragraph = ("The convoy was attacked near the border. " * 25 + "\n\n").encode()
    with big.open("wb") as handle:
        handle.write(b"MALI: A very long briefing\n\n")
        for _ in range(50 * 1_048_576 // len(paragraph) + 1):
            handle.write(paragraph)
    assert big.stat().st_size > 50 * 1_048_576
    result = run("export", big, "-o", tmp_path / "out")
    assert_one_error(result, big, f"is 50.0 MB, over the {DEFAULT_MAX_BYTES // 1_048_576} MB")
    assert "--max-size" in result.stderr
    assert not (tmp_path / "out").exists()
    # A raised limit lets a source over the default through (a smaller one, to stay fast).
    medium = tmp_path / "medium.md"
    medium.write_text("MALI: Long\n\n```\n" + ("0123456789" * 7 + "\n") * 90_000
                      + "```\n\nENDMARK\n")
    assert medium.stat().st_size > DEFAULT_MAX_BYTES
    refused = run("export", medium, "-o", tmp_path / "out", "-f", "txt")
    assert_one_error(refused, medium, "over the 5 MB limit")
    result = run("export", medium, "-o", tmp_path / "out", "-f", "txt", "--max-size", "8")
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "out" / "medium.txt").read_text()
    assert text.count("0123456789" * 7) == 90_000
    assert "ENDMARK" in text


def test_max_size_rejects_nonsense(tmp_path):
    result = run("export", SEED, "-o", tmp_path, "--max-size", "-1")
    assert_handled(result, code=2)
    assert "--max-size" in result.stderr


def test_bad_source_does_not_stop_good_ones(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"\xff\xfe\x00")
    out = tmp_path / "out"
    result = run("export", bad, RICH, "--config", CONFIG, "-o", out, "-f", "txt")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("briefexport: error")]
    assert errors == [f"briefexport: error: {bad}: is UTF-16 (it starts with a UTF-16 "
                      "byte-order mark); save it as UTF-8"]
    assert [p.name for p in out.iterdir()] == ["burkina-faso-fuel-blockade.txt"]


def test_control_characters_in_warnings_are_escaped(tmp_path):
    source = tmp_path / "brief.md"
    source.write_text("MALI: Coup\n\nSee [gone\x1bc\x07](#) now.\n")
    result = run("export", source, "-o", tmp_path / "out", "-f", "txt")
    assert result.exit_code == 0
    assert "\x1b" not in result.stderr
    assert "gone\\x1bc\\x07" in result.stderr
