"""The .eml message, read back with the standard library's email parser (default policy)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import re
from email import policy
from email.utils import parsedate_to_datetime

import pytest
from click.testing import CliRunner
from conftest import CONFIG, RICH, SEED
from emailkit import ESPS, EXAMPLE_SOURCES, example_settings, rendered
from lxml import html as lhtml

from briefexport.api import Recipient, render
from briefexport.cli import main
from briefexport.source.briefing import read
from briefexport.writers import BY_NAME, DEFAULT_FORMATS

UNSUBSCRIBE_URL = "https://portal.meridian-risk.example/account/unsubscribe"


def parse(data: bytes):
    return email.message_from_bytes(data, policy=policy.default)


def all_defects(msg):
    return [d for part in msg.walk() for d in part.defects]


def test_eml_is_registered_but_not_default():
    assert "eml" in BY_NAME and "eml" not in DEFAULT_FORMATS


@pytest.mark.parametrize("source", EXAMPLE_SOURCES, ids=lambda p: p.stem)
@pytest.mark.parametrize("esp", ESPS)
def test_structure_and_no_defects(source, esp):
    out = rendered(source, esp)
    msg = parse(out.eml)
    assert not all_defects(msg)
    assert msg.get_content_type() == "multipart/alternative"
    parts = list(msg.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert all(p.get_content_charset() == "utf-8" for p in parts)
    # The HTML part is the html format's output, unchanged but for SMTP's CRLF line ends.
    assert parts[1].get_content().replace("\r\n", "\n") == out.html + "\n"


@pytest.mark.parametrize("source", EXAMPLE_SOURCES, ids=lambda p: p.stem)
@pytest.mark.parametrize("esp", ESPS)
def test_every_html_link_is_in_the_text_part(source, esp):
    msg = parse(rendered(source, esp).eml)
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    hrefs = {a.get("href") for a in lhtml.fromstring(html.encode()).iter("a")}
    assert len(hrefs) >= 3
    # An autolink's URL is its own text, so it may end a sentence: "… at https://x.example/."
    words = ({w.rstrip(".,;:") for w in text.split()} | set(text.split())
             | {line.strip() for line in text.splitlines()})
    doc = lhtml.fromstring(html.encode())
    for href in hrefs:
        if href.startswith(("mailto:", "tel:")):
            # The contact's address and number: the text part writes them as they read.
            (shown,) = {a.text_content() for a in doc.iter("a") if a.get("href") == href}
            assert shown in text, href
        else:
            assert href in words, href


def test_text_part_is_the_wire_text_at_72_columns():
    msg = parse(rendered(RICH, "mailchimp").eml)
    text = msg.get_body(("plain",)).get_content()
    lines = text.splitlines()
    assert lines[:2] == ["TLP:AMBER | CLIENT CONFIDENTIAL",
                         "BURKINA FASO: Jihadist fuel blockade tightens around Ouagadougou"]
    for line in lines:
        if not re.search(r"https?://|\*\|", line):
            assert len(line) <= 72, line
    # Wrapped wider than the 69-column wire text: this paragraph's first line proves it.
    assert "Fighters of Jama’at Nusrat al-Islam wal-Muslimin (JNIM) have attacked at" in lines
    assert "ENDS" not in lines and lines[-1] == "*|UNSUB|*"
    assert "Client Portal >>" in lines


def test_headers():
    msg = parse(rendered(RICH, "generic").eml)
    assert msg["Subject"] == ("[TLP:AMBER] [CLIENT CONFIDENTIAL] "
                              "BURKINA FASO: Jihadist fuel blockade tightens around Ouagadougou")
    assert msg["From"].addresses[0].addr_spec == "briefings@meridian-risk.example"
    assert msg["From"].addresses[0].display_name == "Meridian Risk Intelligence"
    assert msg["Reply-To"].addresses[0].addr_spec == "sahel-desk@meridian-risk.example"
    assert str(msg["To"]) == "Undisclosed recipients:;"
    assert msg["To"].groups[0].display_name == "Undisclosed recipients"
    # Date: the moment the message was built, not the briefing's date (20 November 2026).
    built = parsedate_to_datetime(msg["Date"])
    assert abs(built - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=10)
    assert "20 November 2026" in msg.get_body(("plain",)).get_content()
    # The example's unsubscribe URL names nobody: no one-click header (see below).
    assert msg["List-Unsubscribe"] is None and msg["List-Unsubscribe-Post"] is None
    assert msg["MIME-Version"] == "1.0"
    # ...and the message alone says MIME-Version (RFC 2045 §4), not each part.
    assert [part["MIME-Version"] for part in msg.iter_parts()] == [None, None]
    assert re.fullmatch(r"<[^@<>\s]+@meridian-risk\.example>", msg["Message-ID"])


def test_placeholder_addresses_without_config(write_source):
    path = write_source("---\ntitle: Strike\ndate: 2026-02-03\n---\nDockers strike.\n")
    data, warnings = render(read(path), "eml")
    msg = parse(data)
    assert not all_defects(msg)
    assert msg["From"].addresses[0].display_name == "Briefing"
    assert msg["From"].addresses[0].addr_spec == "briefings@example.com"
    assert msg["Reply-To"] is None
    assert msg["List-Unsubscribe"] is None and msg["List-Unsubscribe-Post"] is None
    assert parsedate_to_datetime(msg["Date"]).date() != dt.date(2026, 2, 3)
    # No unsubscribe link and no postal address: said once each, not once per part.
    assert [w.code for w in warnings] == ["email-compliance", "email-compliance"]


def with_unsubscribe(url: str, esp: str = "generic"):
    base = example_settings(esp)
    return base.replace(email=dataclasses.replace(base.email, unsubscribe_url=url))


CLIENT = Recipient(id="acme-07", email="jo.bloggs+risk@acme.example", name="Jo Bloggs",
                   token="5f2b9c0e")


def test_no_one_click_header_for_an_http_url():
    settings = with_unsubscribe("http://portal.meridian-risk.example/unsub?t={token}")
    data, warnings = render(read(SEED, settings), "eml", settings, recipient=CLIENT)
    msg = parse(data)
    assert msg["List-Unsubscribe"] is None and msg["List-Unsubscribe-Post"] is None
    assert any("List-Unsubscribe" in w.message and "https" in w.message for w in warnings)


def test_a_fixed_unsubscribe_url_is_the_footer_link_but_never_the_one_click_header():
    """RFC 8058: the POST carries nothing but the URL, so the URL must name who asked."""
    data, warnings = render(read(SEED, example_settings()), "eml", example_settings())
    msg = parse(data)
    assert msg["List-Unsubscribe"] is None and msg["List-Unsubscribe-Post"] is None
    [why] = [w.message for w in warnings if "List-Unsubscribe" in w.message]
    assert "names no recipient" in why and "{token}" in why
    html = msg.get_body(("html",)).get_content()
    assert UNSUBSCRIBE_URL in html
    assert UNSUBSCRIBE_URL in msg.get_body(("plain",)).get_content()


@pytest.mark.parametrize(("pattern", "filled"), [
    ("https://portal.example/u/{token}", "https://portal.example/u/5f2b9c0e"),
    ("https://portal.example/u?who={recipient}",
     "https://portal.example/u?who=jo.bloggs%2Brisk%40acme.example"),
])
def test_a_personal_unsubscribe_url_is_filled_per_recipient_in_header_and_footer(
        pattern, filled):
    settings = with_unsubscribe(pattern)
    data, warnings = render(read(SEED, settings), "eml", settings, recipient=CLIENT)
    msg = parse(data)
    assert not all_defects(msg)
    assert msg["List-Unsubscribe"].strip() == f"<{filled}>"  # a long one is folded
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert msg["To"].addresses[0].addr_spec == CLIENT.email
    assert msg["To"].addresses[0].display_name == "Jo Bloggs"
    assert not any("unsubscribe" in w.message.lower() for w in warnings)
    html = msg.get_body(("html",)).get_content()
    assert lhtml.fromstring(html).xpath("//a[normalize-space()='Unsubscribe']/@href") == [filled]
    assert filled in msg.get_body(("plain",)).get_content()


def test_a_personal_unsubscribe_url_without_a_recipient_leaves_header_and_link_out():
    """A plain export has nobody to fill {token} for: no header, no broken footer link."""
    settings = with_unsubscribe("https://portal.example/u/{token}")
    data, warnings = render(read(SEED, settings), "eml", settings)
    msg = parse(data)
    assert msg["List-Unsubscribe"] is None
    raw = data.decode()
    assert "{token}" not in raw and "%7Btoken%7D" not in raw
    messages = [w.message for w in warnings if w.code == "email-compliance"]
    assert any("List-Unsubscribe left out" in m and "{token}" in m for m in messages)
    assert any("no unsubscribe link" in m and "{token}" in m for m in messages)


@pytest.mark.parametrize("esp", ["mailchimp", "sendgrid"])
def test_an_esp_ignores_a_personal_url_and_keeps_its_own_tag(esp):
    settings = with_unsubscribe("https://portal.example/u/{token}", esp)
    data, _ = render(read(SEED, settings), "eml", settings, recipient=CLIENT)
    msg = parse(data)
    assert msg["List-Unsubscribe"] is None
    assert "portal.example/u/" not in data.decode()


@pytest.mark.parametrize("url", ["https://portal.example/u/{client}",
                                 "https://portal.example/u/{token"])
def test_an_unsubscribe_pattern_with_an_unknown_or_broken_placeholder_is_a_config_error(
        tmp_path, url):
    config = tmp_path / "briefexport.toml"
    config.write_text(f'[email]\nunsubscribe_url = "{url}"\n')
    result = CliRunner().invoke(main, ["export", str(SEED), "--config", str(config),
                                       "-o", str(tmp_path / "out")])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "email.unsubscribe_url" in result.output
    assert not (tmp_path / "out").exists()


def test_no_header_injection_through_the_headline(write_source):
    path = write_source('---\ntitle: "Coup\\r\\nBcc: victim@example.org\\n\\nbody"\n'
                        'date: 2026-01-01\n---\nText.\n')
    data, _ = render(read(path), "eml")
    msg = parse(data)
    assert msg["Bcc"] is None
    assert msg["Subject"] == "Coup Bcc: victim@example.org body"
    header_block = data.split(b"\r\n\r\n", 1)[0]
    assert not re.search(rb"^Bcc:", header_block, re.M)


def test_non_ascii_subject_is_encoded_and_decodes_back(write_source):
    path = write_source("---\ntitle: \"Côte d'Ivoire : élections à haut risque\"\nslug: CÔTE\n"
                        "date: 2026-01-01\n---\nTexte.\n")
    data, _ = render(read(path), "eml")
    assert all(b < 128 for b in data.split(b"\r\n\r\n", 1)[0])  # headers are 7-bit
    assert parse(data)["Subject"] == "CÔTE: Côte d’Ivoire : élections à haut risque"


def test_bad_from_address_is_one_clear_error(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text(CONFIG.read_text(encoding="utf-8").replace(
        'from_address = "Meridian Risk Intelligence <briefings@meridian-risk.example>"',
        'from_address = "not an address <<>>"'))
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["export", str(SEED), "--config", str(cfg), "-o",
                                       str(out), "-f", "html,eml"])
    assert result.exit_code == 1
    assert "from_address is not a valid address" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists() or not any(out.iterdir())


def test_cli_writes_eml(tmp_path):
    result = CliRunner().invoke(main, ["export", str(SEED), "--config", str(CONFIG), "-o",
                                       str(tmp_path), "-f", "eml", "--esp", "brevo"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [str(tmp_path / "mali-second-coup.eml")]
    msg = parse((tmp_path / "mali-second-coup.eml").read_bytes())
    text = msg.get_body(("plain",)).get_content()
    assert "{{ unsubscribe }}" in text.splitlines()
    assert "warning" not in result.stderr


def test_date_is_the_send_date_when_given_and_source_date_epoch_wins(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from briefexport.cli import main

    def date_of(*args: str) -> dt.datetime:
        result = CliRunner().invoke(main, ["export", str(RICH), "--config", str(CONFIG), "-o",
                                           str(tmp_path), "-f", "eml", "-q", *args])
        assert result.exit_code == 0, result.output
        return parsedate_to_datetime(parse((tmp_path / f"{RICH.stem}.eml").read_bytes())["Date"])

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert date_of("--send-date", "2026-12-03T06:00:00Z") == dt.datetime(2026, 12, 3, 6, 0,
                                                                       tzinfo=dt.UTC)
    assert date_of("--send-date", "2026-12-03T07:30:00+01:00") == dt.datetime(
        2026, 12, 3, 6, 30, tzinfo=dt.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert date_of("--send-date", "2026-12-03T06:00:00Z") == dt.datetime.fromtimestamp(
        1700000000, dt.UTC)


@pytest.mark.parametrize("value", ["2026-12-03T06:00", "tomorrow"])
def test_a_send_date_without_a_zone_or_unreadable_is_a_usage_error(tmp_path, value):
    from click.testing import CliRunner

    from briefexport.cli import main

    result = CliRunner().invoke(main, ["export", str(RICH), "--config", str(CONFIG), "-o",
                                       str(tmp_path), "-f", "eml", "--send-date", value])
    assert result.exit_code == 2
    assert "--send-date" in result.output and "Traceback" not in result.output
    assert not list(tmp_path.iterdir())


def test_the_plain_parts_signature_delimiter_keeps_its_space():
    """RFC 3676 §4.3: "-- " (with the space) opens a signature that clients fold away."""
    text = parse(rendered(RICH, "generic").eml).get_body(("plain",)).get_content()
    lines = text.splitlines()
    assert "-- " in lines and "--" not in lines
    assert lines[lines.index("-- ") + 1] == "Meridian Risk Intelligence"


@pytest.mark.parametrize("esp", [e for e in ESPS if e != "generic"])
def test_under_an_esp_profile_the_eml_leaves_list_unsubscribe_to_the_tool(esp):
    """The tool adds a List-Unsubscribe per recipient; a fixed URL here would be everyone's."""
    msg = parse(rendered(RICH, esp).eml)
    assert msg["List-Unsubscribe"] is None and msg["List-Unsubscribe-Post"] is None
