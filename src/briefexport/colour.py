"""WCAG contrast arithmetic, so that brand colours stay readable in light and dark mode.

The brand colours come from the config and may be anything; the email adjusts a colour just
enough to reach the contrast it needs instead of trusting it blindly.
"""

from __future__ import annotations

import colorsys
import re

_HEX_RE = re.compile(r"#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")

RGB = tuple[float, float, float]


def parse(colour: str) -> RGB:
    """``"#12355b"`` or ``"#fff"`` → RGB in 0–255."""
    match = _HEX_RE.fullmatch(colour.strip())
    if not match:
        raise ValueError(f"not a hex colour: {colour!r}")
    digits = match[1]
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))


def to_hex(rgb: RGB) -> str:
    return "#" + "".join(f"{round(max(0, min(255, c))):02x}" for c in rgb)


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance."""
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in parse(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours (1–21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def best_text(background: str) -> str:
    """Black or white: whichever text colour contrasts more with ``background``."""
    return max(("#000000", "#ffffff"), key=lambda fg: contrast(fg, background))


def _with_lightness(colour: str, lightness: float) -> str:
    h, _, s = colorsys.rgb_to_hls(*(c / 255 for c in parse(colour)))
    r, g, b = colorsys.hls_to_rgb(h, lightness, s)
    return to_hex((r * 255, g * 255, b * 255))


def readable(fg: str, bg: str, minimum: float = 4.5) -> str:
    """``fg``, or the nearest lighter/darker shade of its hue with ``minimum`` contrast on ``bg``.

    Only the lightness moves (hue and saturation stay), so a navy brand colour becomes a light
    blue on a dark background rather than a grey.
    """
    if contrast(fg, bg) >= minimum:
        return to_hex(parse(fg))
    _, start, _ = colorsys.rgb_to_hls(*(c / 255 for c in parse(fg)))
    lighter = luminance(bg) < 0.18
    for step in range(1, 101):
        lightness = start + (1 - start) * step / 100 if lighter else start * (1 - step / 100)
        candidate = _with_lightness(fg, lightness)
        if contrast(candidate, bg) >= minimum + 0.05:  # a margin for rounding in browsers
            return candidate
    return "#ffffff" if lighter else "#000000"


def lightest_under(fg: str, bg: str, minimum: float = 4.5) -> str:
    """The lightest shade of ``bg``'s hue that still gives ``fg`` (e.g. white) ``minimum``.

    For a button on a dark page: as bright as it can be while its white label stays readable.
    """
    base = readable(bg, fg, minimum)
    _, start, _ = colorsys.rgb_to_hls(*(c / 255 for c in parse(base)))
    best = base
    for step in range(1, 101):
        candidate = _with_lightness(base, start + (1 - start) * step / 100)
        if contrast(candidate, fg) < minimum + 0.05:
            break
        best = candidate
    return best
