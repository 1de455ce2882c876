"""SpamAssassin, run offline (-L: no network tests), judges every example's .eml under every
ESP profile, sent to a real address and delivered now (a Received header as the receiving
server adds one): a score of 1.0 at most.

SpamAssassin is Debian's package (scripts/system-deps.sh --test); locally the test skips
without it, on CI it fails.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import subprocess
from email.utils import format_datetime

import pytest
from emailkit import EXAMPLE_SOURCES, example_settings
from pdfread import tool

from briefexport.api import render
from briefexport.choices import ESP_PROFILES
from briefexport.source.briefing import read

#: The most a message may score (SpamAssassin's spam threshold is 5.0).
MAX_SCORE = 1.0


@pytest.mark.parametrize("esp", list(ESP_PROFILES))
@pytest.mark.parametrize("source", EXAMPLE_SOURCES, ids=lambda p: p.stem)
def test_spamassassin_offline_scores_each_message_low(source, esp):
    base = example_settings(esp)
    settings = base.replace(email=dataclasses.replace(
        base.email, to_address="Client Desk <desk@client.example>"))
    eml, _ = render(read(source, settings), "eml", settings)
    assert isinstance(eml, bytes)
    # What the client's server writes on delivery: SpamAssassin dates the message against it
    # (DATE_IN_PAST_*, DATE_IN_FUTURE_*).
    received = (f"Received: from mail.meridian-risk.example by mx.client.example with ESMTPS; "
                f"{format_datetime(dt.datetime.now(dt.UTC))}\r\n").encode()
    result = subprocess.run([tool("spamassassin"), "-L", "-t"], input=received + eml,
                            capture_output=True, timeout=120)
    report = result.stdout.decode("utf-8", "replace")
    found = re.search(r"^X-Spam-Status: \w+, score=(-?[\d.]+)", report, re.MULTILINE)
    assert found, report[-2000:]
    details = report.split("Content analysis details:")[-1]
    assert float(found.group(1)) <= MAX_SCORE, details
