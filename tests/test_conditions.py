"""Conditional blocks (``::: only …``, ``::: tier …``): Pandoc's nesting, and what each output
and each tier keeps of them."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefexport.api import read, render
from briefexport.cli import main
from briefexport.config import Settings, TiersSettings
from briefexport.model import Conditional, Paragraph, plain_text

SOURCE = """---
title: Fuel blockade
slug: BURKINA FASO
date: 2026-11-20
---
::: tier premium
PANTHER leads for premium readers, with a [secret link](https://x.example/panther).

::: only pdf
Nested pdf OCELOT.
:::

Still premium after the nested block: JAGUAR.

![Map PUMA](maps/puma.png "Caption PUMA")
:::

Open lead for everyone.

```
:::
```

:::: only wire email
Wire and email LYNX.
::::

::: only email
Email only CARACAL.
:::

![Public map](maps/public.png "Public caption")

::: mystery
Kept for all: SERVAL.
:::
"""

PREMIUM = ("PANTHER", "OCELOT", "JAGUAR", "PUMA", "panther")


def write(tmp_path: Path, text: str = SOURCE) -> Path:
    path = tmp_path / "brief.md"
    path.write_text(text, encoding="utf-8")
    return path


def tier(name: str) -> Settings:
    return Settings(tiers=TiersSettings(tier=name))


def texts(blocks) -> list[str]:
    return [plain_text(b.children) for b in blocks if isinstance(b, Paragraph)]


def test_blocks_nest_as_pandocs_fenced_divs(tmp_path):
    """A bare fence closes the innermost block: JAGUAR stays inside the premium block."""
    briefing = read(write(tmp_path), tier("premium"))
    # The standard reader dropped the tier block; the premium one keeps it as a block.
    assert not any(c.tier for c in read(write(tmp_path)).conditionals)
    [outer] = [b for b in briefing.blocks if isinstance(b, Conditional) and b.tier]
    assert texts(outer.children) == ["PANTHER leads for premium readers, with a secret link.",
                                     "Still premium after the nested block: JAGUAR."]
    assert (outer.line, outer.end_line) == (6, 16)
    assert [(c.condition, c.outputs, c.tier) for c in briefing.conditionals] == [
        ("tier premium", None, "premium"), ("only pdf", frozenset({"pdf"}), None),
        ("only wire email", frozenset({"wire", "email"}), None),
        ("only email", frozenset({"email"}), None), ("mystery", None, None)]
    assert briefing.conditionals[1].line == 9 and briefing.conditionals[1].end_line == 11
    # Each output opens the blocks it gets, in place.
    assert texts(briefing.for_output("pdf").blocks)[:3] == [
        "PANTHER leads for premium readers, with a secret link.", "Nested pdf OCELOT.",
        "Still premium after the nested block: JAGUAR."]


def test_a_fence_inside_fenced_code_is_code(tmp_path):
    briefing = read(write(tmp_path))
    codes = [b for b in briefing.blocks if type(b).__name__ == "CodeBlock"]
    assert [c.text for c in codes] == [":::\n"]


def test_the_lowest_tier_gets_nothing_of_a_higher_tiers_block(tmp_path):
    briefing = read(write(tmp_path))
    assert briefing.links == ()
    assert [(f.number, f.caption) for f in briefing.figures] == [(1, "Public caption")]
    assert not any(word in briefing.text for word in PREMIUM)
    assert briefing.meta.summary == "Open lead for everyone."  # not the premium lead
    for fmt in ("txt", "eml", "html"):
        data, _ = render(briefing, fmt)
        raw = data if isinstance(data, bytes) else data.encode()
        if fmt == "eml":
            msg = email.message_from_bytes(raw, policy=policy.default)
            raw = "".join(p.get_content() for p in msg.iter_parts()).encode()
        assert not any(word.encode() in raw for word in PREMIUM), fmt


def test_a_higher_tier_sees_its_blocks_and_those_below(tmp_path):
    briefing = read(write(tmp_path), tier("premium"))
    assert [link.url for link in briefing.links] == ["https://x.example/panther"]
    assert [(f.number, f.caption) for f in briefing.figures] == [
        (1, "Caption PUMA"), (2, "Public caption")]
    assert briefing.meta.summary.startswith("PANTHER leads")


def test_each_output_keeps_only_its_blocks(tmp_path):
    briefing = read(write(tmp_path), tier("premium"))
    wire, _ = render(briefing, "txt")
    assert "LYNX" in wire and "SERVAL" in wire
    assert "OCELOT" not in wire and "CARACAL" not in wire
    html, _ = render(briefing, "html")
    assert "LYNX" in html and "CARACAL" in html and "OCELOT" not in html
    eml, _ = render(briefing, "eml")
    msg = email.message_from_bytes(eml, policy=policy.default)
    plain = msg.get_body(("plain",)).get_content()
    html_part = msg.get_body(("html",)).get_content()
    assert "LYNX" in plain and "CARACAL" not in plain  # the plain part is the wire's
    assert "CARACAL" in html_part and "OCELOT" not in html_part
    pdf = briefing.for_output("pdf")
    assert "OCELOT" in str(pdf.blocks) and "CARACAL" not in str(pdf.blocks)
    assert briefing.for_output("wire") is briefing.for_output("wire")  # made once


def test_an_unknown_condition_warns_and_keeps_its_block(tmp_path):
    briefing = read(write(tmp_path))
    [warning] = [w for w in briefing.warnings if w.code == "unknown-condition"]
    assert warning.line == 34 and "'::: mystery'" in warning.message
    assert "SERVAL" in render(briefing, "txt")[0]


def test_a_tier_not_in_the_config_is_an_error_not_a_leak(tmp_path):
    path = write(tmp_path, "Lead.\n\n::: tier premum\nSecret.\n:::\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["export", str(path), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"briefexport: error: {path}:3:")
    assert "premum" in result.stderr and "standard, premium" in result.stderr
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("opener", ["::: tier premium standard", "::: tier", "::: {.tier gold}",
                                    "::: TIER Gold"])
def test_a_malformed_tier_fence_is_an_error_too(tmp_path, opener):
    """Kept for everyone as an unknown condition, it would show its text to every client."""
    path = write(tmp_path, f"Lead.\n\n{opener}\nSecret.\n:::\n")
    result = CliRunner().invoke(main, ["export", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and result.stderr.startswith(f"briefexport: error: {path}:3:")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_pandocs_attribute_form_names_a_tier_too(tmp_path):
    briefing = read(write(tmp_path, "Lead.\n\n::: {.tier premium}\nSecret.\n:::\n"),
                    tier("premium"))
    assert [c.tier for c in briefing.conditionals] == ["premium"]
    assert "Secret" not in render(read(write(tmp_path, "Lead.\n\n::: {.tier premium}\n"
                                                       "Secret.\n:::\n")), "txt")[0]


def test_an_unclosed_block_warns_with_its_line(tmp_path):
    briefing = read(write(tmp_path, "Lead.\n\n::: tier premium\nSecret.\n\nMore.\n"),
                    tier("premium"))
    [warning] = [w for w in briefing.warnings if w.code == "unclosed-block"]
    assert warning.line == 3 and "never closed" in warning.message
    assert not [w for w in read(write(tmp_path)).warnings if w.code == "unclosed-block"]


def test_a_link_definition_inside_a_tier_block_is_an_error(tmp_path):
    """markdown-it lends a definition to the whole document: its URL would reach every tier."""
    path = write(tmp_path, "Lead.\n\n::: tier premium\n[secretref]: https://p.example/SECRET\n"
                           ":::\n\nSee [it][secretref].\n")
    result = CliRunner().invoke(main, ["export", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"briefexport: error: {path}:4: the link definition "
                                     "[secretref] is inside a '::: tier' block"), result.stderr
    # Outside a tier block, and inside an only block (not secret), a definition is fine.
    ok = write(tmp_path, "Lead.\n\n::: only pdf\n[ref]: https://p.example/x\n:::\n\n"
                         "See [it][ref].\n")
    assert read(ok).links[0].url == "https://p.example/x"


@pytest.mark.parametrize(("order", "fragment"), [
    ('["basic", "basic"]', "distinct"), ('["two words"]', "one-word")])
def test_bad_tier_orders_are_config_errors(tmp_path, order, fragment):
    config = tmp_path / "briefexport.toml"
    config.write_text(f"[tiers]\norder = {order}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["export", str(write(tmp_path)), "--config",
                                       str(config), "-o", str(tmp_path / "out")])
    assert result.exit_code != 0 and fragment in result.stderr
