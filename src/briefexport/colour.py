"""WCAG contrast arithmetic, so that brand colours stay readable in light and dark mode.

The brand colours come from the config and may be anything; the email adjusts a colour just
enough to reach the contrast it needs instead of trusting it blindly.
"""

from __future__ import annotations

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


def mix(a: str, b: str, t: float) -> str:
    """``a`` moved a fraction ``t`` of the way towards ``b``."""
    ra, rb = parse(a), parse(b)
    return to_hex(tuple(x + (y - x) * t for x, y in zip(ra, rb, strict=True)))  # type: ignore[arg-type]


def readable(fg: str, bg: str, minimum: float = 4.5) -> str:
    """``fg``, or the closest tint/shade of it with at least ``minimum`` contrast on ``bg``."""
    if contrast(fg, bg) >= minimum:
        return to_hex(parse(fg))
    # Move towards white on a dark background, towards black on a light one.
    target = "#ffffff" if luminance(bg) < 0.18 else "#000000"
    for step in range(1, 101):
        candidate = mix(fg, target, step / 100)
        if contrast(candidate, bg) >= minimum + 0.05:  # a margin for rounding in browsers
            return candidate
    return target
