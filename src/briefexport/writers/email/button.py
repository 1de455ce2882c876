"""The call-to-action button's size for Outlook for Windows.

Word, Outlook's renderer, ignores padding on a link, so MJML's button is clickable on its
text alone there.  The template draws Outlook its own button, a VML ``v:roundrect`` whose
whole area is the link; VML needs the shape's size up front, so it is estimated here from the
label's width in the email's bold sans-serif.
"""

from __future__ import annotations

import math
import unicodedata

from briefexport.record import record

#: The button's text (px) and padding (px), as the template's ``mj-button`` has them.
FONT_PX = 16
LINE_PX = 20
PAD_X, PAD_Y = 28, 14
#: The widest a button may be: the 600 px email less the column's 24 px sides.
MAX_WIDTH = 552
#: Room for Word's own hinting and rounding: a label wrapped out of its shape is lost.
SLACK = 1.04

#: Advance widths of Helvetica/Arial Bold in em, by kind of character (the AFM's own
#: values cluster tightly within each kind); rounding up keeps a label on one line.
_NARROW = frozenset("fijlrtI.,:;!'|()[]{}- ")
_WIDE = frozenset("mwMW@%&")


def _advance(char: str) -> float:
    char = unicodedata.normalize("NFD", char)[0]  # é is as wide as e
    if char in _NARROW:
        return 0.34
    if char in _WIDE:
        return 0.9
    if char.isupper():
        return 0.73
    if char.isascii():
        return 0.6
    return 1.0  # arrows, CJK and the like: a full em, to be safe


@record
class ButtonBox:
    """The VML button's width and height in CSS pixels."""

    width: int
    height: int


def button_box(label: str) -> ButtonBox:
    """The box that holds ``label`` on as few lines as fit in :data:`MAX_WIDTH`."""
    text = math.ceil(sum(_advance(c) for c in label) * FONT_PX * SLACK)
    room = MAX_WIDTH - 2 * PAD_X
    lines = max(1, math.ceil(text / room))
    width = MAX_WIDTH if lines > 1 else text + 2 * PAD_X
    return ButtonBox(width, lines * LINE_PX + 2 * PAD_Y)
