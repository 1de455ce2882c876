"""SpamAssassin, run offline (-L: no network tests), judges every example's .eml under every
ESP profile, sent to a real address and delivered now (a Received header as the receiving
server adds one): a score of 1.0 at most.

SpamAssassin is Debian's package (scripts/system-deps.sh --test); locally the test skips
without it, on CI it fails.
"""

from __future__ import annotations

import dataclasses

import pytest
from emailkit import EXAMPLE_SOURCES, MAX_SPAM_SCORE, example_settings, spam_score

from briefexport.api import render
from briefexport.choices import ESP_PROFILES
from briefexport.source.briefing import read


@pytest.mark.parametrize("esp", list(ESP_PROFILES))
@pytest.mark.parametrize("source", EXAMPLE_SOURCES, ids=lambda p: p.stem)
def test_spamassassin_offline_scores_each_message_low(source, esp):
    base = example_settings(esp)
    settings = base.replace(email=dataclasses.replace(
        base.email, to_address="Client Desk <desk@client.example>"))
    eml, _ = render(read(source, settings), "eml", settings)
    assert isinstance(eml, bytes)
    score, details = spam_score(eml)
    assert score <= MAX_SPAM_SCORE, details
