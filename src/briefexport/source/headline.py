"""The headline and the default summary: a slug split off, a first sentence found."""

from __future__ import annotations

import re

# A slug is a short run of capitals (with spaces, digits and a little punctuation) before
# a colon: MALI, BURKINA FASO, DR CONGO, CÔTE D'IVOIRE.
_SLUG_RE = re.compile(r"^\s*([^\W\d_a-z][^:a-z]{0,39}?)\s*:\s+(\S.*)$")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])([\"'”’)]?)\s+(?=[\"'“‘(]?[A-Z0-9])")
# Words that end in a full stop mid-sentence in briefings: titles, ranks and the like.
_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cpt", "sgt", "adm",
    "brig", "cdr", "cmdr", "gov", "sen", "rep", "pres", "amb", "st", "mt", "ft", "no", "nos",
    "vol", "fig", "approx", "est", "dept", "inc", "ltd", "co", "corp", "jr", "sr", "vs", "al",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
})
# An initial or a run of initials: J, U.S, U.N.
_INITIALS_RE = re.compile(r"(?:[^\W\d_]\.)*[^\W\d_]")


def split_slug(headline: str) -> tuple[str | None, str]:
    """``"MALI: Coup"`` → ``("MALI", "Coup")``; a headline without a capital slug is kept whole."""
    match = _SLUG_RE.match(headline)
    if match and match[1] == match[1].upper() and any(c.isalpha() for c in match[1]):
        return match[1].strip(), match[2].strip()
    return None, headline.strip()


def first_sentence(text: str) -> str:
    """The first sentence of a paragraph (a summary for a briefing that has none).

    A full stop after a title (``Col. Goïta``), an initial (``J. Smith``) or initials
    (``the U.S. Treasury``) does not end the sentence.
    """
    text = text.strip()
    for end in _SENTENCE_END_RE.finditer(text):
        before = text[:end.start()]  # up to the stop; group 1 is a closing quote or bracket
        words = before[:-1].split()
        if before.endswith(".") and words and _abbreviation(words[-1]):
            continue
        return text[:end.end(1)].strip()
    return text


def _abbreviation(word: str) -> bool:
    word = word.lstrip("\"'“‘(")
    return word.lower() in _ABBREVIATIONS or bool(_INITIALS_RE.fullmatch(word))


