"""7-bit ASCII for wire systems that take nothing else (``[wire] ascii``, ``--ascii``).

anyascii (ISC licence, table-driven, every Unicode script) transliterates; a few marks get
the forms wire desks use first: guillemets become straight double quotes (anyascii would
write ``<<``), an em dash ``--`` and an arrow ``->``.
"""

from __future__ import annotations

import re

#: French and Swiss quotes with the space typography puts inside them: « mot » → "mot".
_GUILLEMETS = re.compile(r"([«‹])[\s\u00a0\u202f]*|[\s\u00a0\u202f]*([»›])")
_WIRE_FORMS = str.maketrans({"«": '"', "»": '"', "‹": "'", "›": "'", "—": "--", "→": "->"})


def to_ascii(text: str) -> str:
    """``text`` in 7-bit ASCII: "Côte d’Ivoire" → "Cote d'Ivoire", « mot » → "mot",
    — → --."""
    if text.isascii():
        return text
    # Imported here: only an ASCII wire text loads anyascii, not every export's start-up.
    from anyascii import anyascii

    tight = _GUILLEMETS.sub(lambda m: m.group(1) or m.group(2), text)
    return anyascii(tight.translate(_WIRE_FORMS))
