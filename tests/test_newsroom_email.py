"""Wire conventions in the HTML email (briefing and edition) and the .eml: the embargo banner
and subject tag while it holds, the refusal to build an .eml under embargo, the kill notice
and the corrections box.

Read back with real readers: lxml on the final HTML, the standard library's ``email`` parser
on the .eml (both parts decoded), npm html-validate and the MJML reference validator, and
Debian's Chromium with axe-core (screenshots in tests/artifacts/email/).  The clock for
embargoes is BRIEFEXPORT_NOW.
"""

from __future__ import annotations

import dataclasses
import email
from email import policy
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CONFIG, EXAMPLES, RICH, ROOT
from emailkit import (
    MAX_SPAM_SCORE,
    axe_script,
    chromium,
    example_settings,
    spam_score,
    write_each,
)
from lxml import html as lhtml

from briefexport.api import render
from briefexport.cli import main
from briefexport.errors import RenderError
from briefexport.render.context import RenderContext
from briefexport.source.briefing import read
from briefexport.source.edition import read_edition
from briefexport.source.newsroom import KILL_NOTICE
from briefexport.writers import get_format
from briefexport.writers.email.esp import Tokens

EMBARGO = "embargo: 2026-12-03T06:00:00Z\n"
BANNER = "EMBARGOED UNTIL 2026-12-03 06:00 UTC"
BEFORE, AT = "2026-12-03T05:59:00Z", "2026-12-03T06:00:00Z"
HEADLINE = "Jihadist fuel blockade tightens around Ouagadougou"
SUBJECT_TAGS = "[TLP:AMBER] [CLIENT CONFIDENTIAL]"
CORRECTIONS = ("version: 2\ncorrections:\n"
               "  - date: 2026-11-21\n"
               "    note: Corrected the number of convoys attacked from ten to eleven.\n"
               "  - date: 2026-11-22\n"
               "    note: Added the N3 corridor to Tema, which remains open.\n")
ARTIFACTS = ROOT / "tests" / "artifacts" / "email"


def variant(folder: Path, front: str, name: str = "brief.md", source: Path = RICH) -> Path:
    """``source`` (the Burkina Faso example by default) with ``front`` added to its front
    matter, written into ``folder``."""
    text = source.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    path = folder / name
    path.write_text("---\n" + front + text[4:], encoding="utf-8")
    return path


def settings_for(*, ignore_embargo: bool = False, esp: str = "generic"):
    base = example_settings(esp)
    return base.replace(email=dataclasses.replace(base.email, ignore_embargo=ignore_embargo))


def html_of(path: Path, esp: str = "generic") -> str:
    settings = settings_for(esp=esp)
    html, _ = render(read(path, settings), "html", settings)
    assert isinstance(html, str)
    return html


def eml_of(path: Path, **kwargs):
    settings = settings_for(ignore_embargo=True)
    data, warnings = render(read(path, settings), "eml", settings, **kwargs)
    assert isinstance(data, bytes)
    return email.message_from_bytes(data, policy=policy.default), data, warnings


def doc_of(html: str):
    return lhtml.fromstring(html.encode("utf-8"))


def words(element) -> str:
    return " ".join(element.text_content().split())


def position(doc, element) -> int:
    return next(i for i, e in enumerate(doc.iter()) if e is element)


def decoded(msg) -> str:
    """Every text part of a message, decoded (quoted-printable undone)."""
    return "\n".join(part.get_content() for part in msg.walk()
                     if part.get_content_maintype() == "text")


def only(doc, xpath: str):
    (element,) = doc.xpath(xpath)
    return element


# ---------------------------------------------------------------- embargo


def test_the_embargo_is_above_the_headline_and_in_the_subject_until_it_lifts(
        tmp_path, monkeypatch):
    path = variant(tmp_path, EMBARGO)
    monkeypatch.setenv("BRIEFEXPORT_NOW", BEFORE)
    doc = doc_of(html_of(path))
    banner = only(doc, "//p[contains(@class,'bx-embargo-line')]")
    assert words(banner) == BANNER
    # After the handling row (the start of the body), before the kicker and the headline.
    tlp = only(doc, "//span[contains(@class,'bx-tlp')]")
    kicker = only(doc, "//td[contains(@class,'bx-kicker')]")
    h1 = only(doc, "//h1")
    assert position(doc, tlp) < position(doc, banner) < position(doc, kicker) < position(doc, h1)
    subject = f"{SUBJECT_TAGS} [{BANNER}] BURKINA FASO: {HEADLINE}"
    assert doc.xpath("//title")[0].text == subject
    msg, _, _ = eml_of(path)
    assert msg["Subject"] == subject
    plain = msg.get_body(("plain",)).get_content().splitlines()
    assert plain[1:3] == [f"BURKINA FASO: {HEADLINE}", BANNER]
    assert BANNER in msg.get_body(("html",)).get_content()

    monkeypatch.setenv("BRIEFEXPORT_NOW", AT)  # the moment it lifts
    html = html_of(path)
    assert "EMBARGO" not in html and not doc_of(html).xpath("//*[contains(@class,'bx-embargo')]")
    assert doc_of(html).xpath("//title")[0].text == f"{SUBJECT_TAGS} BURKINA FASO: {HEADLINE}"
    msg, raw, _ = eml_of(path)
    assert msg["Subject"] == f"{SUBJECT_TAGS} BURKINA FASO: {HEADLINE}"
    assert "EMBARGO" not in decoded(msg) and b"EMBARGO" not in raw


def test_an_eml_is_not_built_under_embargo(tmp_path, monkeypatch):
    path = variant(tmp_path, EMBARGO)
    monkeypatch.setenv("BRIEFEXPORT_NOW", BEFORE)
    settings = settings_for()
    with pytest.raises(RenderError, match=r"embargoed until 2026-12-03 06:00 UTC: .*"
                       r"--ignore-embargo"):
        render(read(path, settings), "eml", settings)
    # The HTML email is no message: it is built, banner and all.
    html, _ = render(read(path, settings), "html", settings)
    assert BANNER in html
    monkeypatch.setenv("BRIEFEXPORT_NOW", AT)
    data, _ = render(read(path, settings), "eml", settings)
    assert email.message_from_bytes(data, policy=policy.default)["Subject"].startswith(
        SUBJECT_TAGS + " BURKINA")


def test_export_eml_under_embargo_exits_1_with_one_line_and_writes_nothing(
        tmp_path, monkeypatch):
    path = variant(tmp_path, EMBARGO)
    monkeypatch.setenv("BRIEFEXPORT_NOW", BEFORE)
    out = tmp_path / "out"
    args = ["export", str(path), "--config", str(CONFIG), "-o", str(out), "-f", "eml"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    errors = [line for line in lines if "error" in line]
    assert len(errors) == 1 and "Traceback" not in result.output, result.stderr
    assert errors[0].startswith(f"briefexport: error: {path}: embargoed until "
                                "2026-12-03 06:00 UTC"), errors[0]
    assert "--ignore-embargo" in errors[0]
    assert not out.exists() or not any(out.rglob("*"))
    # With html too, the source fails whole: no HTML left behind either.
    result = CliRunner().invoke(main, [*args[:-1], "html,eml"])
    assert result.exit_code == 1
    assert not out.exists() or not any(out.rglob("*"))

    result = CliRunner().invoke(main, [*args, "--ignore-embargo"])
    assert result.exit_code == 0, result.output
    written = out / "brief.eml"
    assert result.stdout.splitlines() == [str(written)]
    msg = email.message_from_bytes(written.read_bytes(), policy=policy.default)
    assert f"[{BANNER}]" in msg["Subject"]  # still embargoed: it says so


def test_a_kill_notice_is_never_embargoed(tmp_path, monkeypatch):
    """A withdrawal must reach every reader at once: no banner, no tag, and an .eml."""
    path = variant(tmp_path, EMBARGO + "status: canceled\n")
    monkeypatch.setenv("BRIEFEXPORT_NOW", BEFORE)
    settings = settings_for()
    html, _ = render(read(path, settings), "html", settings)
    data, _ = render(read(path, settings), "eml", settings)
    msg = email.message_from_bytes(data, policy=policy.default)
    assert "EMBARGO" not in html and "EMBARGO" not in decoded(msg)
    assert msg["Subject"] == f"{SUBJECT_TAGS} KILL BURKINA FASO: {HEADLINE}"


# ---------------------------------------------------------------- kill

#: Words only the withdrawn content has: in the body, a judgement, a call to action, a
#: figure, the contact, the author, the tags, the summary and a link of the front matter.
SECRET = ("zebra", "ocelot", "quokka")
KILLED_FRONT = ("status: canceled\nsummary: The quokka summary that must go.\n"
                "author: Ocelot Desk\ntags: [zebra]\n")


def killed_source(folder: Path) -> Path:
    path = variant(folder, KILLED_FRONT)
    text = path.read_text(encoding="utf-8").replace(
        "# Overview", "# Overview\n\nThe zebra paragraph, with a [quokka link](https://q.example/"
        "ocelot).\n\n[Ocelot map »](https://x.example/zebra)\n\n![Zebra map](maps/zebra.png "
        "\"Quokka caption\")", 1)
    return write_each(folder, [("killed.md", text)])[0]


def test_a_killed_email_is_its_notice_and_footer_alone(tmp_path):
    path = killed_source(tmp_path)
    html = html_of(path)
    lowered = html.lower()
    assert not [w for w in SECRET if w in lowered]
    for gone in ("Overview", "Key judgements", "Questions:", "Overall risk", "Fighters",
                 "20 November 2026", "Download the route risk map"):
        assert gone not in html, gone
    doc = doc_of(html)
    assert words(only(doc, "//td[contains(@class,'bx-kicker')]")) == "KILL BURKINA FASO"
    assert words(only(doc, "//h1")) == HEADLINE
    assert words(only(doc, "//p[contains(@class,'bx-kill-line')]")) == KILL_NOTICE
    assert words(only(doc, "//p[contains(@class,'bx-reference')]")) == "Ref. SAH-2026-114"
    assert position(doc, only(doc, "//h1")) < position(
        doc, only(doc, "//p[contains(@class,'bx-kill-line')]"))
    # No call to action, image, rating, box of judgements, body or contact.
    assert not doc.xpath("//*[contains(@class,'bx-button') or contains(@class,'bx-risk') or "
                         "contains(@class,'bx-judgements') or contains(@class,'bx-contact') "
                         "or contains(@class,'bx-corrections')]")
    assert not doc.xpath("//img") and "v:roundrect" not in html
    # Only the footer's links: unsubscribe (and nothing else of the briefing's).
    hrefs = [a.get("href") for a in doc.iter("a")]
    assert hrefs == ["https://portal.meridian-risk.example/account/unsubscribe"]
    footer = [words(td) for td in doc.xpath("//td[contains(@class,'bx-muted')]")]
    assert "10 Example Street" in footer[0] and "Unsubscribe" in footer[1]
    # The inbox preview is the kill line.
    preview = only(doc, "//div[contains(@class,'bx-preheader')]")
    assert words(preview).startswith(KILL_NOTICE)
    assert words(preview).replace("\u034f", "").replace("\u200c", "").strip() == KILL_NOTICE


def test_a_killed_eml_carries_nothing_of_the_body_in_either_part(tmp_path):
    msg, raw, _ = eml_of(killed_source(tmp_path))
    assert msg.get_content_type() == "multipart/alternative"
    text = decoded(msg).lower()
    assert not [w for w in SECRET if w in text] and not [
        w for w in SECRET if w.encode() in raw.lower()]
    assert msg["Subject"] == f"{SUBJECT_TAGS} KILL BURKINA FASO: {HEADLINE}"
    plain = msg.get_body(("plain",)).get_content().splitlines()
    assert plain[:4] == ["TLP:AMBER | CLIENT CONFIDENTIAL", f"KILL BURKINA FASO: {HEADLINE}",
                         KILL_NOTICE, "Ref. SAH-2026-114"]
    # The legal lines stay: postal address and unsubscribe, after the signature delimiter.
    tail = plain[plain.index("-- "):]
    assert any("10 Example Street" in line for line in tail)
    assert "https://portal.meridian-risk.example/account/unsubscribe" in tail
    assert "ENDS" not in plain


# ---------------------------------------------------------------- corrections


def test_corrected_kicker_and_dated_corrections_boxed_after_the_body(tmp_path):
    doc = doc_of(html_of(variant(tmp_path, CORRECTIONS)))
    assert words(only(doc, "//td[contains(@class,'bx-kicker')]")) == "CORRECTED BURKINA FASO"
    assert doc.xpath("//title")[0].text == f"{SUBJECT_TAGS} CORRECTED BURKINA FASO: {HEADLINE}"
    box = only(doc, "//td[contains(@class,'bx-corrections')]//table[contains(@class,'bx-box')]")
    assert [words(h) for h in box.xpath(".//h2")] == ["Corrections"]
    assert [words(li) for li in box.xpath(".//li")] == [
        "21 November 2026: Corrected the number of convoys attacked from ten to eleven.",
        "22 November 2026: Added the N3 corridor to Tema, which remains open."]
    cell = only(box, ".//td[contains(@class,'bx-box-cell')]")
    style = cell.get("style")
    assert "background-color" in style and "border-left" in style  # a box, like the judgements
    # After the body (its last paragraph and its calls to action), before the contact.
    last_body = doc.xpath("//p[contains(normalize-space(),'country profile')]")[-1]
    button = doc.xpath("//a[contains(normalize-space(),'Client Portal')]")[-1]
    contact = only(doc, "//td[contains(@class,'bx-contact')]")
    assert position(doc, last_body) < position(doc, button) < position(doc, box) < position(
        doc, contact)
    msg, _, _ = eml_of(variant(tmp_path, CORRECTIONS))
    assert msg["Subject"].endswith(f"CORRECTED BURKINA FASO: {HEADLINE}")
    assert "Corrected the number of convoys" in msg.get_body(("html",)).get_content()
    plain = msg.get_body(("plain",)).get_content().splitlines()
    assert "- 2026-11-21: Corrected the number of convoys attacked from ten to" in plain


def test_a_first_version_has_no_corrections_box():
    doc = doc_of(html_of(RICH))
    assert not doc.xpath("//*[contains(@class,'bx-corrections')]")
    assert words(only(doc, "//td[contains(@class,'bx-kicker')]")) == "BURKINA FASO"


# ---------------------------------------------------------------- editions


def newsroom_edition(folder: Path) -> Path:
    """The three examples as an edition: Mali embargoed until 08:00, Burkina Faso corrected
    and embargoed until 06:00, Niger killed (its embargo, the latest, ignored)."""
    mali = folder / "mali.md"
    mali.write_text("---\ntitle: Second coup d'état another blow for anti-terror efforts\n"
                    "slug: MALI\ndate: 2026-11-26\nembargo: 2026-12-03T08:00:00Z\n"
                    "summary: Mali's second coup in nine months sets back the fight against "
                    "jihadist groups.\n---\nColonel Assimi Goïta has seized power again.\n",
                    encoding="utf-8")
    variant(folder, EMBARGO + CORRECTIONS, "burkina.md")
    variant(folder, "status: canceled\nembargo: 2026-12-04T00:00:00Z\n", "niger.md",
            EXAMPLES / "niger-uranium-exports.md")
    path = folder / "weekly.toml"
    path.write_text('title = "Sahel Weekly"\nnumber = 13\ndate = 2026-11-27\n'
                    'briefings = ["mali.md", "burkina.md", "niger.md"]\n', encoding="utf-8")
    return path


def edition_html(path: Path, mode: str, esp: str = "generic") -> tuple[str, str]:
    base = settings_for(esp=esp)
    settings = base.replace(edition=dataclasses.replace(base.edition, email_mode=mode))
    edition = read_edition(path, settings)
    writer = get_format("html").edition()
    html = writer.render(edition, RenderContext(settings))
    tokens = Tokens()
    mjml = writer.mjml(edition, RenderContext(settings), tokens)  # type: ignore[attr-defined]
    return html, tokens.substitute(mjml)


@pytest.mark.parametrize("mode", ["full", "teaser"])
def test_an_edition_shows_the_latest_embargo_on_top_and_each_storys_own(
        tmp_path, monkeypatch, mode):
    monkeypatch.setenv("BRIEFEXPORT_NOW", BEFORE)
    niger = read(EXAMPLES / "niger-uranium-exports.md", settings_for()).meta
    html, _ = edition_html(newsroom_edition(tmp_path), mode)
    doc = doc_of(html)
    latest = "EMBARGOED UNTIL 2026-12-03 08:00 UTC"
    # The latest embargo still holding; the killed Niger story's later one does not count.
    assert doc.xpath("//title")[0].text == f"{SUBJECT_TAGS} [{latest}] Sahel Weekly, No. 13"
    banners = [words(p) for p in doc.xpath("//p[contains(@class,'bx-embargo-line')]")]
    assert banners == [latest, latest, BANNER]  # the top, Mali, Burkina Faso; not the kill
    contents = [words(li) for li in doc.xpath("(//ol)[1]/li")]
    assert contents == [
        "MALI: Second coup d’état another blow for anti-terror efforts",
        f"CORRECTED BURKINA FASO: {HEADLINE}", f"KILL {niger.slug}: {niger.title}"]
    kickers = [words(td) for td in doc.xpath("//td[contains(@class,'bx-kicker')]")]
    assert kickers == ["MALI", "CORRECTED BURKINA FASO", f"KILL {niger.slug}"]
    # Each story's banner sits in its section, after its jump target.
    for index, text in ((1, latest), (2, BANNER)):
        target = only(doc, f"//a[@name='story-{index}']")
        section = target.xpath("ancestor::div[contains(@class,'bx-story')][1]")[0]
        assert [words(p) for p in section.xpath(
            ".//p[contains(@class,'bx-embargo-line')]")] == [text]
    # The killed story: its notice alone, no "Read more", nothing of its text.
    killed = only(doc, "//a[@name='story-3']").xpath(
        "ancestor::div[contains(@class,'bx-story')][1]")[0]
    assert [words(p) for p in killed.xpath(".//p[contains(@class,'bx-kill-line')]")] == [
        KILL_NOTICE]
    assert not killed.xpath(".//a[@href]") and not killed.xpath(".//img")
    assert niger.summary and niger.summary not in html
    # The corrected story's box, in full text and in a teaser alike.
    corrected = only(doc, "//a[@name='story-2']").xpath(
        "ancestor::div[contains(@class,'bx-story')][1]")[0]
    box = only(corrected, ".//td[contains(@class,'bx-corrections')]")
    assert [words(h) for h in box.xpath(".//h3")] == ["Corrections"]
    assert len(box.xpath(".//li")) == 2

    monkeypatch.setenv("BRIEFEXPORT_NOW", "2026-12-03T08:00:00Z")
    html, _ = edition_html(newsroom_edition(tmp_path), mode)
    assert "EMBARGO" not in html


# ---------------------------------------------------------------- outside checkers


def newsroom_emails(folder: Path) -> list[tuple[str, str, str]]:
    """(name, HTML, MJML with its merge tags) of the embargoed, corrected and killed emails
    and of the newsroom edition in both modes, for each checker."""
    out = []
    for name, front in (("embargo", EMBARGO), ("corrected", CORRECTIONS),
                        ("killed", "status: canceled\n")):
        path = variant(folder, front, f"{name}.md")
        for esp in ("generic", "campaign-monitor"):
            settings = settings_for(esp=esp)
            briefing = read(path, settings)
            writer = get_format("html").briefing()
            html = writer.render(briefing, RenderContext(settings))
            tokens = Tokens()
            mjml = writer.mjml(briefing, RenderContext(settings), tokens)  # type: ignore[attr-defined]
            out.append((f"{name}.{esp}", html, tokens.substitute(mjml)))
    edition = newsroom_edition(folder)
    for mode in ("full", "teaser"):
        html, mjml = edition_html(edition, mode)
        out.append((f"edition-{mode}", html, mjml))
    return out


def test_html_validate_and_the_mjml_validator_pass_the_newsroom_emails(tmp_path, monkeypatch):
    from test_email_checkers import html_validate
    from test_email_validity import validate

    monkeypatch.setenv("BRIEFEXPORT_NOW", BEFORE)
    emails = newsroom_emails(tmp_path)
    html_files = write_each(tmp_path, [(f"{n}.html", html) for n, html, _ in emails])
    proc = html_validate(*html_files)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    mjml_files = write_each(tmp_path, [(f"{n}.mjml", mjml) for n, _, mjml in emails])
    proc = validate(*mjml_files)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Line " not in proc.stderr, proc.stderr


def test_the_newsroom_emails_stay_within_the_size_budget(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFEXPORT_NOW", BEFORE)
    settings = example_settings()
    for name, html, _ in newsroom_emails(tmp_path):
        size = len(html.encode("utf-8"))
        assert not settings.email.over_budget(size), (name, size)


# ---------------------------------------------------------------- in Chromium


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


SHOTS = [(name, width, scheme) for name in ("embargo", "corrected", "killed")
         for width, scheme in ((375, "light"), (600, "dark"))]


@pytest.mark.parametrize(("name", "width", "scheme"), SHOTS,
                         ids=[f"{n}-{w}-{s}" for n, w, s in SHOTS])
def test_newsroom_emails_in_chromium(browser, tmp_path, monkeypatch, name, width, scheme):
    from test_email_browser import AXE_RULES, open_email

    monkeypatch.setenv("BRIEFEXPORT_NOW", BEFORE)
    front = {"embargo": EMBARGO, "corrected": CORRECTIONS, "killed": "status: canceled\n"}
    html = html_of(variant(tmp_path, front[name]), "mailchimp")
    page = open_email(browser, html, width, scheme)
    try:
        assert page.requests == []
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{overflow}px of horizontal overflow"
        new = {"embargo": ".bx-embargo-line", "corrected": ".bx-corrections .bx-box-cell",
               "killed": ".bx-kill-cell"}[name]
        box = page.locator(new).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width
        # Its text at the body's size or more, and dark mode applied around it.
        size = page.evaluate(f"parseFloat(getComputedStyle(document.querySelector("
                             f"'{new} p, {new} li, {new}')).fontSize)")
        assert size >= 16
        card = page.evaluate("getComputedStyle(document.querySelector('.bx-card'))"
                             ".backgroundColor")
        assert card == ("rgb(27, 33, 41)" if scheme == "dark" else "rgb(255, 255, 255)")
        # The accent border stays visible on the dark card (not the light scheme's red).
        if name in ("embargo", "killed"):
            side = "borderTopColor" if name == "embargo" else "borderLeftColor"
            border = page.evaluate(f"getComputedStyle(document.querySelector('{new}')).{side}")
            assert border != card
        page.add_script_tag(content=axe_script().read_text(encoding="utf-8"))
        result = page.evaluate(
            "rules => axe.run(document, {runOnly: {type: 'rule', values: rules}})", AXE_RULES)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"newsroom-{name}-{width}-{scheme}.png"),
                        full_page=True)
        assert [(v["id"], [n["html"][:120] for n in v["nodes"]])
                for v in result["violations"]] == []
        assert {p["id"] for p in result["passes"]} >= {"color-contrast", "html-has-lang"}
    finally:
        page.close()


# ---------------------------------------------------------------- SpamAssassin


@pytest.mark.parametrize("name", ["embargo", "corrected", "killed"])
def test_spamassassin_scores_the_newsroom_messages_low(tmp_path, monkeypatch, name):

    monkeypatch.setenv("BRIEFEXPORT_NOW", BEFORE)
    front = {"embargo": EMBARGO, "corrected": CORRECTIONS, "killed": "status: canceled\n"}
    base = settings_for(ignore_embargo=True)
    settings = base.replace(email=dataclasses.replace(
        base.email, to_address="Client Desk <desk@client.example>"))
    data, _ = render(read(variant(tmp_path, front[name]), settings), "eml", settings)
    assert isinstance(data, bytes)
    score, details = spam_score(data)
    assert score <= MAX_SPAM_SCORE, details
