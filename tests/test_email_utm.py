"""Campaign (UTM) parameters: on the email's links to the desk's own hosts, nowhere else, and
never on a signed or already tagged URL."""

from __future__ import annotations

import dataclasses
import email
from email import policy
from urllib.parse import parse_qsl, urlsplit

import pytest
from conftest import RICH, SEED
from emailkit import EXAMPLE_SOURCES, example_settings, rendered
from lxml import html as lhtml
from pdfread import uris

from briefexport.api import ExportOptions, export_one, render
from briefexport.config import load_settings
from briefexport.errors import ConfigError
from briefexport.names import slugify
from briefexport.source.briefing import read
from briefexport.writers.email.utm import Campaign, own_hosts


def expected(source) -> dict[str, str]:
    """What the example config's UTM table gives ``source`` (the seed has no date: the reader
    dates it by its file's modification time)."""
    meta = read(source).meta
    return {"utm_source": "briefing", "utm_medium": "email",
            "utm_campaign": f"{slugify(meta.slug)}-{meta.date.isoformat()}"}


PARAMS = {"utm_source": "s", "utm_medium": "m"}
OWN = Campaign(PARAMS, frozenset({"a.example"}))
#: The example config's own hosts: the portal's (and [links] all point there).
PORTAL_HOST = "portal.meridian-risk.example"


def add_utm(url: str, params: dict[str, str]) -> str:
    return Campaign(params, frozenset({"a.example"})).stamp(url)


def utm_of(url: str) -> dict[str, str]:
    return {k: v for k, v in parse_qsl(urlsplit(url).query) if k.startswith("utm_")}


def test_add_utm_keeps_query_and_fragment_as_written():
    url = "https://a.example/p/q?b=2&a=%20x&empty=#sec-2"
    assert add_utm(url, PARAMS) == ("https://a.example/p/q?b=2&a=%20x&empty="
                                    "&utm_source=s&utm_medium=m#sec-2")
    assert add_utm("http://a.example", PARAMS) == "http://a.example?utm_source=s&utm_medium=m"


def test_add_utm_leaves_tagged_urls_alone_and_skips_other_schemes():
    # A second campaign on a tagged link would mix the attribution.
    for url in ("https://a.example/?utm_source=x", "https://a.example/?UTM_Campaign=y&a=1"):
        assert add_utm(url, PARAMS) == url
    for url in ("mailto:desk@example.com?subject=Hi", "*|UNSUB|*", "{{ UnsubscribeURL }}",
                "%unsubscribe_url%", "#top", "/relative/path", "ftp://a.example/"):
        assert add_utm(url, PARAMS) == url
    assert add_utm("https://a.example/", {}) == "https://a.example/"


@pytest.mark.parametrize("url", [
    "https://a.example/f.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=3600"
    "&X-Amz-Signature=abc123",
    "https://a.example/f.pdf?Expires=1700000000&Signature=abc&Key-Pair-Id=K1",  # CloudFront
    "https://a.example/blob?sv=2024-01-01&sig=abc%3D",  # Azure SAS
    "https://a.example/o?X-Goog-Signature=abc",
    "https://a.example/share?token=abc",
    "https://a.example/share?signature=abc",
])
def test_a_signed_url_is_never_stamped(url):
    assert add_utm(url, PARAMS) == url


def test_only_own_hosts_are_stamped():
    assert OWN.stamp("https://a.example/x") == "https://a.example/x?utm_source=s&utm_medium=m"
    assert OWN.stamp("https://portal.a.example/x").startswith("https://portal.a.example/x?utm")
    for url in ("https://lefaso.net/", "https://www.ecowas.int/", "https://evila.example/",
                "https://a.example.evil.test/"):
        assert OWN.stamp(url) == url


def test_own_hosts_default_to_the_portal_and_the_links_and_can_be_set(tmp_path):
    assert own_hosts(example_settings("generic")) == {PORTAL_HOST}
    cfg = tmp_path / "c.toml"
    cfg.write_text("[portal]\nurl = 'https://portal.example/'\n"
                   "[links]\nmap = 'https://maps.example/m'\n")
    assert own_hosts(load_settings(cfg)) == {"portal.example", "maps.example"}
    cfg.write_text("[email.utm]\nsource = 's'\ndomains = ['News.Example']\n")
    assert own_hosts(load_settings(cfg)) == {"news.example"}


def test_values_are_encoded():
    assert add_utm("https://a.example/", {"utm_campaign": "a b&c"}) == (
        "https://a.example/?utm_campaign=a+b%26c")


def test_expected_campaigns_of_two_examples():
    assert expected(RICH)["utm_campaign"] == "burkina-faso-2026-11-20"
    assert expected(SEED)["utm_campaign"].startswith("mali-20")


def test_slugify():
    assert slugify("BURKINA FASO") == "burkina-faso"
    assert slugify("CÔTE D'IVOIRE") == "cote-d-ivoire"


@pytest.mark.parametrize("source", EXAMPLE_SOURCES, ids=lambda p: p.stem)
def test_every_body_link_of_the_examples_carries_utm(source):
    out = rendered(source, "mailchimp")
    doc = lhtml.fromstring(out.html.encode("utf-8"))
    hrefs = [a.get("href") for a in doc.iter("a") if a.get("href")]
    web = [h for h in hrefs if h.startswith(("http://", "https://"))]
    own = [h for h in web if urlsplit(h).hostname == PORTAL_HOST]
    assert len(own) >= 4
    for href in web:
        assert utm_of(href) == (expected(source) if href in own else {}), href
    # The merge tags are not URLs and stay untouched, as do the contact's mailto: and tel:.
    contact = read(source, example_settings("mailchimp")).contact
    assert {h for h in hrefs if not h.startswith("http")} == {
        "*|UNSUB|*", "*|ARCHIVE|*", contact.mailto, contact.tel}


def test_utm_in_the_text_part_too():
    msg = email.message_from_bytes(rendered(RICH, "generic").eml, policy=policy.default)
    text = msg.get_body(("plain",)).get_content()
    # Link targets are the numbered references and the lines under the calls to action; the
    # body's visible text (an autolink such as https://www.ecowas.int/) stays as written.
    refs = [line.split(" ", 1)[1] for line in text.splitlines()
            if line.startswith("[") and line[1].isdigit()]
    ctas = [line for line in text.splitlines()
            if line.startswith("https://") and "unsubscribe" not in line]
    body_urls = refs + ctas
    # ECOWAS's autolink, unstamped, is its own text: no reference.
    assert len(refs) == 3 and len(ctas) == 2
    for url in body_urls:
        own = urlsplit(url).hostname == PORTAL_HOST
        assert utm_of(url) == (expected(RICH) if own else {}), url
    assert "https://lefaso.net/" in refs


def test_mailto_query_and_fragment_in_a_source(write_source):
    base = example_settings("generic")
    settings = base.replace(email=dataclasses.replace(base.email, utm=dataclasses.replace(
        base.email.utm, domains=("maps.example", "plain.example", PORTAL_HOST))))
    path = write_source(
        "---\ntitle: Links\nslug: TEST\ndate: 2026-01-02\n---\n"
        "Mail [the desk](mailto:desk@example.com?subject=Hi), read [the map]"
        "(https://maps.example/view?z=4&layer=roads#n1), see <http://plain.example/>.\n")
    html, _ = render(read(path, settings), "html", settings)
    hrefs = {a.text_content(): a.get("href")
             for a in lhtml.fromstring(html.encode()).iter("a")}
    assert hrefs["the desk"] == "mailto:desk@example.com?subject=Hi"
    campaign = "utm_source=briefing&utm_medium=email&utm_campaign=test-2026-01-02"
    assert hrefs["the map"] == f"https://maps.example/view?z=4&layer=roads&{campaign}#n1"
    assert hrefs["http://plain.example/"] == f"http://plain.example/?{campaign}"
    # The configured unsubscribe URL is the subscriber's own link: never rewritten.
    assert hrefs["Unsubscribe"] == "https://portal.meridian-risk.example/account/unsubscribe"


def test_no_utm_without_a_source(write_source):
    base = example_settings("generic")
    settings = base.replace(email=dataclasses.replace(
        base.email, utm=dataclasses.replace(base.email.utm, source=None)))
    html, _ = render(read(RICH, settings), "html", settings)
    assert "utm_" not in html


def test_pdf_and_wire_text_keep_the_original_urls(tmp_path):
    result = export_one(RICH, example_settings("generic"), ExportOptions(out_dir=tmp_path))
    assert result.ok, result.error
    outputs = {p.suffix: p for p in result.files}
    assert "utm_" not in outputs[".txt"].read_text(encoding="utf-8")
    linked = uris(outputs[".pdf"])
    assert "https://lefaso.net/" in linked and not [u for u in linked if "utm_" in u]
    html = outputs[".html"].read_text(encoding="utf-8")
    assert 'href="https://lefaso.net/"' in html  # a third-party site: not ours to tag
    assert f"https://{PORTAL_HOST}/briefings?utm_source=briefing&amp;utm_medium=email" in html


def test_unknown_placeholder_is_a_config_error(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[email.utm]\nsource = 'x'\ncampaign = '{title}'\n")
    with pytest.raises(ConfigError, match=r"\{title\}"):
        load_settings(cfg)


def test_utm_must_be_a_table(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[email]\nutm = 'yes'\n")
    with pytest.raises(ConfigError, match=r"'email\.utm' must be a table"):
        load_settings(cfg)
