"""Brand colours are adjusted until text on them, or on the email's backgrounds, reads at 4.5:1."""

from __future__ import annotations

import dataclasses

import pytest

from briefexport import colour
from briefexport.writers.email.html import palettes

BRANDS = ["#12355b", "#c8102e", "#ffd700", "#f2f4f7", "#777777", "#000000", "#ffffff", "#0a0"]


def test_contrast_reference_values():
    assert colour.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert colour.contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert colour.contrast("#12355b", "#12355b") == pytest.approx(1.0)


def test_readable_keeps_a_colour_that_already_reads():
    assert colour.readable("#12355b", "#ffffff") == "#12355b"


@pytest.mark.parametrize("brand", BRANDS)
def test_every_text_pair_of_both_palettes_reads(brand):
    light, dark = palettes(brand, brand)
    for scheme in (light, dark):
        values = dataclasses.asdict(scheme)
        for fg in ("text", "soft", "link", "heading", "kicker", "muted_card"):
            assert colour.contrast(values[fg], scheme.card) >= 4.5, (brand, fg)
        assert colour.contrast(scheme.muted, scheme.canvas) >= 4.5
        # White labels on the button and the masthead.
        assert colour.contrast("#ffffff", scheme.button) >= 4.5
        assert colour.contrast("#ffffff", scheme.masthead) >= 4.5


def test_dark_mode_keeps_the_hue():
    _, dark = palettes("#12355b", "#c8102e")
    r, g, b = colour.parse(dark.link)
    assert b > r and b > g  # a light blue, not a grey
    assert colour.contrast(dark.link, dark.card) >= 7


def test_bad_colour_is_refused():
    with pytest.raises(ValueError, match="not a hex colour"):
        colour.parse("navy")


def test_a_named_brand_colour_warns_and_the_email_still_renders():
    from conftest import SEED

    from briefexport.api import render
    from briefexport.config import BrandSettings, Settings
    from briefexport.source.briefing import read

    settings = Settings(brand=BrandSettings(color="navy"))
    html, warnings = render(read(SEED, settings), "html", settings)
    assert "email-colour" in [w.code for w in warnings]
    assert 'bgcolor="#12355b"' in html
