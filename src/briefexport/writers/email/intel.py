"""What an intelligence product adds to the email: its handling (TLP marking, classification,
a holding embargo) at the top and in the subject, the risk rating near the headline, the
corrections after the body, and the labels' colours.

Every label says what it means in words; its colours only help.  Each label carries its own
background and text colour (FIRST's TLP colour on black, the configured risk colour with black
or white text), and the dark-mode styles pin both (see :func:`pinned_labels`), so no client's
dark mode recolours a label's text away from its background.
"""

from __future__ import annotations

import datetime as dt

from briefexport.choices import RISK_TRENDS, TLP_BACKGROUND, TLP_COLOURS, TLP_MARKINGS
from briefexport.config import RiskSettings
from briefexport.model import Briefing, Document, RiskRating
from briefexport.names import one_line
from briefexport.record import record
from briefexport.render.handling import document_embargo, embargo_until, notice, subject_tags


def holding_embargo(document: Document, moment: dt.datetime | None = None
                    ) -> dt.datetime | None:
    """The embargo that holds ``document`` back at ``moment`` (default: now): a briefing's
    own, an edition's latest; never a kill notice's (see :mod:`briefexport.render.handling`)."""
    if isinstance(document, Briefing):
        return embargo_until(document.meta, moment)
    return document_embargo(document, moment)


def embargo_banner(document: Document, moment: dt.datetime | None = None) -> str | None:
    """``EMBARGOED UNTIL 2026-12-03 06:00 UTC`` while the embargo holds, else ``None``."""
    return notice(holding_embargo(document, moment))


def subject(document: Document, moment: dt.datetime | None = None) -> str:
    """The email's subject (and HTML title):
    ``[TLP:AMBER] [CLIENT CONFIDENTIAL] [EMBARGOED UNTIL 2026-12-03 06:00 UTC] MALI: …``.

    The tags are :func:`briefexport.render.handling.subject_tags`'s: an edition carries the
    most restrictive marking of its stories, their classifications and the latest embargo
    still holding.
    """
    headline = document.meta.headline if isinstance(document, Briefing) else document.heading
    tags = [f"[{one_line(tag)}]" for tag in subject_tags(document, moment)]
    return one_line(" ".join([*tags, headline]))


@record
class Label:
    """A coloured label: its words, its text colour and its background.

    ``css_class`` names the label's colours for the dark-mode styles that pin them.
    """

    text: str
    color: str
    background: str
    css_class: str


def tlp_label(marking: str | None) -> Label | None:
    """The TLP label as FIRST shows it: the marking in its colour on black."""
    if not marking or marking not in TLP_COLOURS:
        return None
    index = TLP_MARKINGS.index(marking)
    return Label(marking, TLP_COLOURS[marking].lower(), TLP_BACKGROUND.lower(),
                 f"bx-tlp-{index}")


def level_label(level: str, scale: RiskSettings) -> Label:
    """A risk level's label: the level in words, on the scale's colour for it."""
    background, text = scale.palette(level)
    index = scale.levels.index(level) if level in scale.levels else len(scale.levels)
    return Label(level[:1].upper() + level[1:], text.lower(), background.lower(),
                 f"bx-level-{index}")


@record
class Trend:
    """A risk trend: the word, and the arrow shown beside it (never alone)."""

    word: str
    arrow: str


@record
class RiskView:
    """A risk rating as the email shows it: the overall level and trend, then each category."""

    overall: Label | None
    trend: Trend | None
    categories: tuple[tuple[str, Label], ...]

    @property
    def labels(self) -> tuple[Label, ...]:
        """Every level label shown, the overall one first."""
        overall = (self.overall,) if self.overall else ()
        return (*overall, *(label for _, label in self.categories))


def risk_view(risk: RiskRating | None, scale: RiskSettings) -> RiskView | None:
    """``risk`` ready for the template; ``None`` when the briefing has no rating."""
    if risk is None or not (risk.overall or risk.trend or risk.categories):
        return None
    overall = level_label(risk.overall, scale) if risk.overall else None
    trend = (Trend(risk.trend, RISK_TRENDS[risk.trend])
             if risk.trend in RISK_TRENDS else None)
    categories = tuple((name[:1].upper() + name[1:], level_label(level, scale))
                       for name, level in risk.categories)
    return RiskView(overall, trend, categories)


def pinned_labels(labels: list[Label | None]) -> list[Label]:
    """The distinct labels an email shows, for the dark-mode rules that keep their colours."""
    return list({label.css_class: label for label in labels if label}.values())
