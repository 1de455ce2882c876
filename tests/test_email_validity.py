"""The email template is valid MJML by the reference tool (npm ``mjml``, pinned in the Makefile).

MRML compiles what it knows and silently drops unknown tags and attributes, so only the
reference validator shows that the template means what it says.
"""

from __future__ import annotations

import subprocess

from emailkit import (
    EDITIONS,
    ESPS,
    EXAMPLE_SOURCES,
    mjml_cli,
    rendered,
    rendered_edition,
    require,
    write_each,
)


def validate(*files) -> subprocess.CompletedProcess[str]:
    cli = mjml_cli()
    require(cli, "the MJML reference validator (npm mjml)")
    # --validate runs the validator in "strict" mode: any error fails with a non-zero status.
    return subprocess.run([str(cli), "--validate", *map(str, files)], capture_output=True,
                          text=True, timeout=120, check=False)


def test_every_example_and_profile_is_valid_mjml(tmp_path):
    # As compiled (tags behind tokens) and as pasted into a tool (tags in place).
    files = write_each(tmp_path, [
        *((f"{source.stem}.{esp}.{kind}.mjml", text)
          for source in EXAMPLE_SOURCES for esp in ESPS
          for kind, text in (("tokens", rendered(source, esp).mjml),
                             ("tags", rendered(source, esp).mjml_with_tags))),
        *((f"{edition.stem}.{esp}.edition.mjml", rendered_edition(edition, esp).mjml_with_tags)
          for edition in EDITIONS for esp in ESPS)])
    assert len(files) == (2 * len(EXAMPLE_SOURCES) + len(EDITIONS)) * len(ESPS) >= 28
    proc = validate(*files)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Line " not in proc.stderr, proc.stderr


def test_the_validator_does_catch_what_mrml_drops(tmp_path):
    """The check above can fail: an attribute and a tag MRML ignores are refused here."""
    source = rendered(EXAMPLE_SOURCES[0]).mjml
    bad = source.replace('<mj-column>', '<mj-column font-size="99px">', 1).replace(
        "</mj-column>", "<mj-carousel-bogus /></mj-column>", 1)
    path = tmp_path / "bad.mjml"
    path.write_text(bad, encoding="utf-8")
    proc = validate(path)
    assert proc.returncode != 0
    assert "font-size" in proc.stderr and "mj-carousel-bogus" in proc.stderr
