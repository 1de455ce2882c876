"""ESP profiles: each campaign tool's merge tags arrive byte for byte in the HTML and the text."""

from __future__ import annotations

import email
from email import policy

import pytest
from click.testing import CliRunner
from conftest import CONFIG, RICH, SEED
from emailkit import (
    EDITIONS,
    ESPS,
    EXAMPLE_SOURCES,
    example_settings,
    rendered,
    rendered_edition,
)
from lxml import html as lhtml

from briefexport.choices import ESP_PROFILES as PROFILES
from briefexport.cli import main
from briefexport.config import load_settings
from briefexport.errors import ConfigError
from briefexport.writers.email.esp import Tokens

UNSUBSCRIBE_URL = "https://portal.meridian-risk.example/account/unsubscribe"

#: What each platform documents, written out here independently of esp.py.
HREF_TAGS = {
    "generic": {"Unsubscribe": UNSUBSCRIBE_URL},
    "mailchimp": {"Unsubscribe": "*|UNSUB|*", "View in your browser": "*|ARCHIVE|*"},
    "sendgrid": {"Unsubscribe": "{{{unsubscribe}}}"},
    "listmonk": {"Unsubscribe": "{{ UnsubscribeURL }}",
                 "View in your browser": "{{ MessageURL }}"},
    "brevo": {"Unsubscribe": "{{ unsubscribe }}", "View in your browser": "{{ mirror }}"},
    "mailgun": {"Unsubscribe": "%unsubscribe_url%"},
}
TEXT_TAGS = {
    **{esp: list(tags.values()) for esp, tags in HREF_TAGS.items()},
    "campaign-monitor": ["[unsubscribe]", "[webversion]"],
}


def test_every_profile_is_tested():
    assert set(PROFILES) == set(TEXT_TAGS) == set(HREF_TAGS) | {"campaign-monitor"}


def footer_anchors(doc):
    return {a.text_content().strip(): a.get("href")
            for a in doc.xpath("//td[contains(@class,'bx-muted')]//a")}


@pytest.mark.parametrize("source", EXAMPLE_SOURCES, ids=lambda p: p.stem)
@pytest.mark.parametrize("esp", sorted(HREF_TAGS))
def test_href_tags_arrive_exactly(source, esp):
    out = rendered(source, esp)
    doc = lhtml.fromstring(out.html.encode("utf-8"))
    assert footer_anchors(doc) == HREF_TAGS[esp]
    for tag in HREF_TAGS[esp].values():
        # Raw bytes too: not percent-encoded, not entity-escaped, exactly once.
        raw = f'href="{tag}"'
        assert out.html.count(raw) == 1, raw
    assert "BRIEFEXPORT-ESP" not in out.html
    assert "%7B" not in out.html and "%7C" not in out.html and "%25unsub" not in out.html


@pytest.mark.parametrize("source", EXAMPLE_SOURCES, ids=lambda p: p.stem)
def test_campaign_monitor_tags_are_elements(source):
    out = rendered(source, "campaign-monitor")
    assert out.html.count("<unsubscribe>Unsubscribe</unsubscribe>") == 1
    assert out.html.count("<webversion>View in your browser</webversion>") == 1
    doc = lhtml.fromstring(out.html.encode("utf-8"))
    (unsub,) = doc.xpath("//unsubscribe")
    (web,) = doc.xpath("//webversion")
    assert unsub.text == "Unsubscribe" and web.text == "View in your browser"
    assert footer_anchors(doc) == {}
    assert "BRIEFEXPORT-ESP" not in out.html


@pytest.mark.parametrize("source", EXAMPLE_SOURCES, ids=lambda p: p.stem)
@pytest.mark.parametrize("esp", ESPS)
def test_text_part_carries_the_tags_and_the_postal_address(source, esp):
    msg = email.message_from_bytes(rendered(source, esp).eml, policy=policy.default)
    text = msg.get_body(("plain",)).get_content()
    lines = text.splitlines()
    for tag in TEXT_TAGS[esp]:
        assert lines.count(tag) == 1, tag
    assert "BRIEFEXPORT-ESP" not in text
    flat = " ".join(text.split())
    assert "10 Example Street, London EC1A 1AA, United Kingdom" in flat


@pytest.mark.parametrize("esp", ESPS)
def test_postal_address_in_html_footer(esp):
    doc = lhtml.fromstring(rendered(SEED, esp).html.encode("utf-8"))
    footer = " ".join(" ".join(td.text_content().split())
                      for td in doc.xpath("//td[contains(@class,'bx-muted')]"))
    assert "Meridian Risk Intelligence Ltd, 10 Example Street, London EC1A 1AA" in footer


def test_tags_are_safe_inside_a_double_quoted_attribute():
    for profile in PROFILES.values():
        for tag in (profile.unsubscribe, profile.web_version):
            if tag:
                assert not set(tag) & set('"<>&'), tag


def test_tokens_refuse_to_lose_a_tag():
    tokens = Tokens()
    token = tokens.token("*|UNSUB|*")
    assert tokens.token("*|UNSUB|*") == token  # one token per distinct tag
    assert tokens.substitute(f'<a href="{token}">x</a>') == '<a href="*|UNSUB|*">x</a>'
    with pytest.raises(ValueError, match="lost"):
        tokens.substitute("<a>nothing here</a>")


def test_generic_without_unsubscribe_url_warns():
    settings = example_settings("generic")
    import dataclasses

    from briefexport.api import render
    from briefexport.source.briefing import read

    bare = settings.replace(email=dataclasses.replace(settings.email, unsubscribe_url=None,
                                                      postal_address=None))
    html, warnings = render(read(SEED, bare), "html", bare)
    codes = [w.code for w in warnings]
    assert codes.count("email-compliance") == 2
    assert "Unsubscribe" not in lhtml.fromstring(html.encode()).text_content()


def test_cli_esp_option_overrides_config(tmp_path):
    result = CliRunner().invoke(main, ["export", str(RICH), "--config", str(CONFIG), "-o",
                                       str(tmp_path), "-f", "html", "--esp", "listmonk"])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "burkina-faso-fuel-blockade.html").read_text(encoding="utf-8")
    assert 'href="{{ UnsubscribeURL }}"' in html and UNSUBSCRIBE_URL not in html


def test_cli_unknown_esp_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["export", str(RICH), "-o", str(tmp_path),
                                       "--esp", "hotmail"])
    assert result.exit_code == 2
    assert "hotmail" in result.stderr


def test_config_esp_is_checked(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[email]\nesp = 'mailchimps'\n")
    with pytest.raises(ConfigError) as info:
        load_settings(cfg)
    assert str(cfg) in str(info.value) and "mailchimps" in str(info.value)


def test_config_refuses_a_javascript_unsubscribe_url(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[email]\nunsubscribe_url = 'javascript:alert(1)'\n")
    with pytest.raises(ConfigError, match="unsubscribe_url"):
        load_settings(cfg)


def test_theme_overrides_one_block_and_the_tags_still_arrive(tmp_path):
    theme = tmp_path / "theme"
    (theme / "templates" / "email").mkdir(parents=True)
    (theme / "templates" / "email" / "briefing.mjml.j2").write_text(
        '{% extends "!default/email/briefing.mjml.j2" %}{% block masthead %}'
        '<mj-section><mj-column><mj-text>Themed masthead</mj-text></mj-column></mj-section>'
        '{% endblock %}', encoding="utf-8")
    from briefexport.api import render
    from briefexport.source.briefing import read

    settings = example_settings("mailchimp").replace(themes=(theme,))
    html, _ = render(read(SEED, settings), "html", settings)
    assert "Themed masthead" in html
    assert 'href="*|UNSUB|*"' in html and "BRIEFEXPORT-ESP" not in html


@pytest.mark.parametrize("path", EDITIONS, ids=lambda p: p.stem)
@pytest.mark.parametrize("esp", ESPS)
def test_edition_emails_carry_the_profile_too(path, esp):
    out = rendered_edition(path, esp)
    assert out.warnings == ()
    doc = lhtml.fromstring(out.html.encode("utf-8"))
    if esp == "campaign-monitor":
        assert out.html.count("<unsubscribe>Unsubscribe</unsubscribe>") == 1
    else:
        assert footer_anchors(doc) == HREF_TAGS[esp]
        for tag in HREF_TAGS[esp].values():
            assert out.html.count(f'href="{tag}"') == 1
    assert "BRIEFEXPORT-ESP" not in out.html
    # One campaign: the edition's links carry the edition's parameters.
    campaign = "utm_campaign=sahel-weekly-2026-11-27"
    web = [a.get("href") for a in doc.iter("a")
           if (a.get("href") or "").startswith("https://") and a not in
           doc.xpath("//td[contains(@class,'bx-muted')]//a")]
    own = [h for h in web if h.startswith("https://portal.meridian-risk.example/")]
    assert len(own) >= 8 and all(campaign in h for h in own), web
    assert not [h for h in web if h not in own and "utm_" in h]  # third parties untagged


def test_edition_cli_takes_esp_and_refuses_eml(tmp_path):
    edition = EDITIONS[0]
    result = CliRunner().invoke(main, ["edition", str(edition), "--config", str(CONFIG), "-o",
                                       str(tmp_path), "-f", "html", "--esp", "mailchimp"])
    assert result.exit_code == 0, result.output
    (html,) = tmp_path.glob("*.html")
    assert 'href="*|UNSUB|*"' in html.read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["edition", str(edition), "-o", str(tmp_path / "x"),
                                       "-f", "eml"])
    assert result.exit_code == 2
    assert "not available for editions" in result.stderr
    assert "Traceback" not in result.output
