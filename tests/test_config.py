"""Configuration loading."""

from __future__ import annotations

import pytest

from briefexport.config import load_settings
from briefexport.errors import ConfigError


def test_defaults_without_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    s = load_settings()
    assert s.portal.url is None and s.links == {} and s.text.width == 69
    assert s.pdf.page_size == "A4"


def test_cwd_config_is_picked_up(tmp_path, monkeypatch):
    (tmp_path / "briefexport.toml").write_text("[portal]\nurl = 'https://p.example/'\n")
    monkeypatch.chdir(tmp_path)
    assert load_settings().portal.url == "https://p.example/"


def test_values_and_unknown_keys(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("colour = 1\n[brand]\nname = 'Desk'\n[links]\n'a b' = 'https://x/'\n"
                   "[text]\nwidth = 72\nwrap = true\n")
    warnings = []
    s = load_settings(cfg, warnings=warnings)
    assert (s.brand.name, s.links, s.text.width) == ("Desk", {"a b": "https://x/"}, 72)
    assert sorted(w.message for w in warnings) == ["unknown key 'colour' ignored",
                                                   "unknown key 'text.wrap' ignored"]
    assert s.base_dir == tmp_path.resolve()


@pytest.mark.parametrize(("content", "message"), [
    ("[text]\nwidth = 'wide'\n", "'text.width' must be int"),
    ("brand = 3\n", "'brand' must be a table"),
    ("[links]\na = 1\n", "[links] must map"),
    ("x = \n", "invalid TOML"),
])
def test_bad_config(tmp_path, content, message):
    cfg = tmp_path / "c.toml"
    cfg.write_text(content)
    with pytest.raises(ConfigError) as info:
        load_settings(cfg)
    assert message in str(info.value) and str(cfg) in str(info.value)


def test_missing_config(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "none.toml")


@pytest.mark.parametrize("table, key", [("text", "width"), ("email", "text_width")])
@pytest.mark.parametrize("width", [5, 201])
def test_a_wrap_width_outside_the_command_lines_range_is_an_error(tmp_path, table, key, width):
    # The same 20-200 that --width takes; the writers no longer clamp a bad value quietly.
    cfg = tmp_path / "c.toml"
    cfg.write_text(f"[{table}]\n{key} = {width}\n")
    with pytest.raises(ConfigError, match=rf"'{table}\.{key}' must be from 20 to 200, "
                                          rf"not {width}"):
        load_settings(cfg)
