"""Newsletter editions: the edition file, and each format read back with a real reader."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pikepdf
import pypdf
import pytest
from click.testing import CliRunner
from conftest import CONFIG, EXAMPLES, PORTAL, SEED, SEED_LINKS
from lxml import html as lhtml
from pdfread import squash

from briefexport.api import ExportOptions, export_edition
from briefexport.cli import main
from briefexport.errors import SourceError
from briefexport.render.context import RenderContext
from briefexport.source.edition import read_edition
from briefexport.writers import get_format

EDITION = EXAMPLES / "editions" / "sahel-weekly-12.toml"


@pytest.fixture(scope="session")
def edition(settings):
    return read_edition(EDITION, settings)


@pytest.fixture(scope="session")
def edition_outputs(tmp_path_factory, settings):
    out = tmp_path_factory.mktemp("edition")
    result = export_edition(EDITION, settings, ExportOptions(out_dir=out))
    assert result.ok, result.error
    assert result.warnings == ()
    return {p.suffix.lstrip("."): p for p in result.files}


def all_links(edition):
    """Every resolved (text, url) of every briefing and the intro, CTAs included."""
    pairs = [(link.text, link.url) for link in edition.intro_links if link.url]
    for b in edition.briefings:
        pairs += [(link.text, link.url) for link in b.links if link.url]
        pairs += [(c.label, c.url) for c in b.ctas if c.url]
    return pairs


def test_edition_file_is_read(edition):
    assert (edition.title, edition.number, edition.heading) == (
        "Sahel Weekly", "12", "Sahel Weekly, No. 12")
    assert str(edition.date) == "2026-11-27"
    assert [b.meta.slug for b in edition.briefings] == ["MALI", "BURKINA FASO", "NIGER"]
    assert edition.intro and edition.intro_links[0].url == PORTAL


@pytest.mark.parametrize(("content", "message"), [
    ('number = 1\nbriefings = ["a.md"]\n', "needs a 'title'"),
    ('title = "T"\nbriefings = []\n', "non-empty list"),
    ('title = "T"\nbriefings = "a.md"\n', "non-empty list"),
    ('title = "T"\ndate = "soon"\nbriefings = ["a.md"]\n', "'date' must be a date"),
    ('title = "T\n', "invalid edition file"),
    ('title = "T"\nbriefings = ["missing.md"]\n', "briefing missing.md: no such file"),
])
def test_bad_edition_files(tmp_path, settings, content, message):
    path = tmp_path / "e.toml"
    path.write_text(content)
    with pytest.raises(SourceError) as info:
        read_edition(path, settings)
    assert message in str(info.value) and str(path) in str(info.value)


def test_broken_briefing_fails_the_edition_and_writes_nothing(tmp_path):
    (tmp_path / "good.md").write_text("GOOD: Fine\n\nBody.\n")
    (tmp_path / "bad.md").write_bytes(b"BAD: x\n\n\xff\xfe\n")
    path = tmp_path / "e.toml"
    path.write_text('title = "T"\nbriefings = ["good.md", "bad.md"]\n')
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["edition", str(path), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"briefexport: error: {path}: briefing bad.md: is not UTF-8: invalid byte 0xff at byte "
        "offset 8")
    assert not out.exists()


# ---------------------------------------------------------------- PDF


def test_pdf_cover_contents_and_pages(edition_outputs, edition):
    reader = pypdf.PdfReader(edition_outputs["pdf"])
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    cover = pages[0]
    for text in ("Meridian Risk Intelligence", "Sahel Weekly", "No. 12", "27 November 2026",
                 "second coup"):
        assert text in cover
    assert reader.metadata.title == "Sahel Weekly, No. 12"
    # Each contents entry is an internal link to the page where its story starts.
    dests = reader.named_destinations
    starts = {}
    for index, briefing in enumerate(edition.briefings):
        page = reader.get_destination_page_number(dests[edition.anchor(index)])
        starts[index] = page
        assert briefing.meta.title.split()[0] in pages[page]
        # ... and the page number printed in the contents is that page.
        assert re.search(re.escape(briefing.meta.title[-12:]) + r"[ .]*" + str(page + 1),
                         pages[1]), pages[1]
    assert list(starts.values()) == sorted(starts.values())
    contents_links = [a.get_object() for a in reader.pages[1].get("/Annots", [])]
    assert {str(a["/Dest"]) for a in contents_links if "/Dest" in a} == {
        edition.anchor(i) for i in range(3)}


def test_pdf_outline_nests_headings_per_briefing(edition_outputs, edition):
    reader = pypdf.PdfReader(edition_outputs["pdf"])
    outline = reader.outline
    top = [item.title for item in outline if not isinstance(item, list)]
    assert top == [b.meta.headline for b in edition.briefings]
    # The Burkina Faso story's headings are nested under its title.
    burkina = outline.index(next(i for i in outline if not isinstance(i, list)
                                 and i.title.startswith("BURKINA FASO: Jihadist fuel")))
    children = outline[burkina + 1]
    assert isinstance(children, list)
    assert children[0].title == "Overview"
    assert [c.title for c in children[1]] == ["What has changed", "Supply routes at a glance",
                                             "Outlook"]


def test_pdf_keeps_every_link(edition_outputs, edition):
    reader = pypdf.PdfReader(edition_outputs["pdf"])
    uris = [a.get_object()["/A"].get("/URI") for p in reader.pages
            for a in p.get("/Annots", []) or [] if "/A" in a.get_object()]
    for _, url in all_links(edition):
        assert url in uris


def test_pdf_running_header_shows_the_current_story(edition_outputs, edition):
    """Every page of a story but its first (which shows the headline itself) runs its
    headline, and never another story's."""
    reader = pypdf.PdfReader(edition_outputs["pdf"])
    dests = reader.named_destinations
    starts = [reader.get_destination_page_number(dests[edition.anchor(i)])
              for i in range(len(edition.briefings))] + [len(reader.pages)]
    assert starts[1] - starts[0] >= 2  # the seed runs over two pages: the header must follow
    for index, briefing in enumerate(edition.briefings):
        for page in range(starts[index], starts[index + 1]):
            lines = [line.strip() for line in reader.pages[page].extract_text().splitlines()]
            # The classification label may share the running head's line.
            headers = [b.meta.headline for line in lines for b in edition.briefings
                       if line == b.meta.headline or line.startswith(b.meta.headline + " ")]
            expected = [] if page == starts[index] else [briefing.meta.headline]
            assert headers == expected, (page, lines[:3])


def test_pdf_has_the_reports_features(edition_outputs, edition):
    """Links on paper (footnotes) and call-to-action boxes as in a single report."""
    reader = pypdf.PdfReader(edition_outputs["pdf"])
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    # Footnotes print each link's URL at the foot of its page.
    for url in SEED_LINKS.values():
        assert url in squash(text)
    # The CTA box shows its URL in print too, once per story that has the portal CTA.
    assert text.count("Client Portal") >= 3


def test_pdf_a3_edition_carries_every_source_and_the_wire_text(settings, tmp_path, edition):
    a3 = settings.replace(pdf=dataclasses.replace(settings.pdf, variant="pdf/a-3b"))
    result = export_edition(EDITION, a3, ExportOptions(out_dir=tmp_path, formats=("pdf",)))
    assert result.ok, result.error
    with pikepdf.open(result.files[0]) as pdf:
        files = {name: bytes(spec.get_file().read_bytes())
                 for name, spec in pdf.attachments.items()}
        meta = pdf.open_metadata()
        assert (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) == ("3", "B")
    for briefing in edition.briefings:
        assert files[briefing.source.name] == briefing.source.read_bytes()
    wire = files["sahel-weekly-12.wire.txt"].decode("utf-8")
    # The very wire text the `txt` format writes, whatever its first line carries.
    assert wire == get_format("txt").edition().render(edition, RenderContext(a3))
    assert "Sahel Weekly, No. 12\n" in wire and wire.rstrip().endswith("ENDS")


# ---------------------------------------------------------------- email


def test_email_contents_anchors_stories_and_footer(edition_outputs, edition):
    doc = lhtml.fromstring(edition_outputs["html"].read_bytes())
    contents = [a for a in doc.iter("a") if (a.get("href") or "").startswith("#")]
    assert [a.get("href") for a in contents] == [f"#{edition.anchor(i)}" for i in range(3)]
    for index, briefing in enumerate(edition.briefings):
        anchor = edition.anchor(index)
        targets = doc.xpath(f"//a[@name='{anchor}']")
        assert len(targets) == 1 and targets[0].get("id") == anchor
        assert briefing.meta.title in contents[index].text_content()
        assert doc.xpath(f"//h2[normalize-space()=\"{briefing.meta.title}\"]")
    text = doc.text_content()
    assert "porous borders" in text and "Stockpiled concentrate" in text
    assert doc.xpath("//title")[0].text == "[TLP:AMBER] [CLIENT CONFIDENTIAL] Sahel Weekly, No. 12"


def test_email_keeps_every_link(edition_outputs, edition):
    doc = lhtml.fromstring(edition_outputs["html"].read_bytes())
    hrefs = [a.get("href") for a in doc.iter("a") if a.get("href")]
    for _, url in all_links(edition):
        assert any(h == url or h.startswith(url + "?") for h in hrefs), url


def test_email_teaser_mode(settings, tmp_path, edition):
    teaser = settings.replace(edition=dataclasses.replace(settings.edition, email_mode="teaser"))
    result = export_edition(EDITION, teaser, ExportOptions(out_dir=tmp_path, formats=("html",)))
    assert result.ok, result.error
    doc = lhtml.fromstring(result.files[0].read_bytes())
    text = " ".join(doc.text_content().split())
    assert "porous borders" not in text  # no full text
    for briefing in edition.briefings:
        assert briefing.meta.summary in text
    buttons = [a for a in doc.iter("a") if "Read more" in a.text_content()]
    # Each story's own call to action that is not the portal's front page, else the portal.
    assert [a.get("href") for a in buttons] == [
        PORTAL, "https://portal.meridian-risk.example/maps/burkina-faso-routes", PORTAL]
    # Each button names its story (by its slug, unique here): three distinct accessible names.
    names = [" ".join(a.text_content().split()) for a in buttons]
    assert names == ["Read more: MALI →", "Read more: BURKINA FASO →", "Read more: NIGER →"]


def test_stories_sharing_a_slug_are_named_by_title(settings, tmp_path):
    for name in ("one", "two"):
        (tmp_path / f"{name}.md").write_text(
            f"---\ntitle: Story {name}\nslug: MALI\ndate: 2026-11-20\n---\n\nText.\n",
            encoding="utf-8")
    (tmp_path / "ed.toml").write_text('title = "W"\nbriefings = ["one.md", "two.md"]\n',
                                      encoding="utf-8")
    teaser = settings.replace(edition=dataclasses.replace(settings.edition, email_mode="teaser"))
    result = export_edition(tmp_path / "ed.toml", teaser,
                            ExportOptions(out_dir=tmp_path / "o", formats=("html",)))
    doc = lhtml.fromstring(result.files[0].read_bytes())
    names = [" ".join(a.text_content().split()) for a in doc.iter("a")
             if "Read more" in a.text_content()]
    assert names == ["Read more: Story one →", "Read more: Story two →"]


def test_teaser_buttons_follow_the_portals_story_url(settings, tmp_path, edition):
    teaser = settings.replace(
        edition=dataclasses.replace(settings.edition, email_mode="teaser"),
        portal=dataclasses.replace(settings.portal,
                                   story_url="{portal}/briefings/{slug}?ref={reference}"))
    result = export_edition(EDITION, teaser, ExportOptions(out_dir=tmp_path, formats=("html",)))
    doc = lhtml.fromstring(result.files[0].read_bytes())
    hrefs = [a.get("href") for a in doc.iter("a") if "Read more" in a.text_content()]
    assert hrefs == [f"{PORTAL}/briefings/{slug}?ref={b.meta.reference or ''}"
                     for slug, b in zip(("mali", "burkina-faso", "niger"), edition.briefings,
                                        strict=True)]


def test_a_story_url_with_an_unknown_field_is_a_config_error(tmp_path):
    from briefexport.config import load_settings
    from briefexport.errors import ConfigError

    cfg = tmp_path / "c.toml"
    cfg.write_text("[portal]\nstory_url = '{portal}/{title}'\n")
    with pytest.raises(ConfigError, match=r"\{title\}"):
        load_settings(cfg)


# ---------------------------------------------------------------- text


def test_text_contents_references_and_single_ends(edition_outputs, edition):
    text = edition_outputs["txt"].read_text(encoding="utf-8")
    lines = text.splitlines()
    # The most restrictive marking of the stories, then the heading.
    assert lines[:2] == ["TLP:AMBER | CLIENT CONFIDENTIAL", "Sahel Weekly, No. 12"]
    start = lines.index("Contents")
    assert lines[start + 1:start + 4] == [f"{i + 1}. {b.meta.headline}"
                                           for i, b in enumerate(edition.briefings)]
    assert text.count("ENDS") == 1 and lines[-1] == "ENDS"
    body, refs = text.rsplit("\nLinks:\n", 1)
    numbered = dict(re.findall(r"^\[(\d+)\] (\S+)$", refs, re.M))
    # Every URL once in the list.
    assert len(set(numbered.values())) == len(numbered)
    flat = " ".join(body.split())
    for link_text, url in all_links(edition):
        if url == link_text or any(url == c.url for b in edition.briefings for c in b.ctas):
            assert url in flat
            continue
        number = next(n for n, u in numbered.items() if u == url)
        assert f"{link_text} [{number}]" in flat, (link_text, url)
    # The Chad story cited by Mali and by Niger shares its number.
    chad = next(n for n, u in numbered.items() if u == SEED_LINKS["Chad"])
    assert flat.count(f"Chad [{chad}]") == 2  # the Mali and the Niger stories


def test_text_references_per_story(settings, tmp_path):
    per_story = settings.replace(
        edition=dataclasses.replace(settings.edition, text_references="story"))
    result = export_edition(EDITION, per_story, ExportOptions(out_dir=tmp_path, formats=("txt",)))
    text = result.files[0].read_text(encoding="utf-8")
    assert text.count("\nLinks:\n") == 4  # one per story, and the introduction's
    assert text.count("ENDS") == 1
    # Numbering restarts in each story: every story's list starts at [1].
    assert len(re.findall(r"^\[1\] ", text, re.M)) == 4


def test_cli_quick_edition(tmp_path):
    intro = tmp_path / "intro.md"
    intro.write_text("Two stories this week.\n")
    result = CliRunner().invoke(main, [
        "edition", str(SEED), str(EXAMPLES / "niger-uranium-exports.md"),
        "--title", "Sahel Weekly", "--number", "13", "--intro", str(intro),
        "--config", str(CONFIG), "-o", str(tmp_path / "out"), "-f", "txt,html"])
    assert result.exit_code == 0, result.stderr
    names = sorted(Path(line).name for line in result.stdout.splitlines())
    assert names == ["sahel-weekly-13.html", "sahel-weekly-13.txt"]
    text = (tmp_path / "out" / "sahel-weekly-13.txt").read_text(encoding="utf-8")
    assert text.startswith("Sahel Weekly, No. 13\n")
    assert "Two stories this week." in text
    assert "2. NIGER: Junta suspends" in text


def test_cli_edition_options_need_a_title(tmp_path):
    result = CliRunner().invoke(main, ["edition", str(EDITION), "--number", "3"])
    assert result.exit_code == 2
    assert "--title" in result.stderr


def test_cli_intro_is_read_like_a_briefing(tmp_path):
    # UTF-8 with a byte-order mark and CRLF is accepted; Latin-1 and a missing file are one
    # error line naming the introduction, and nothing is written.
    intro = tmp_path / "intro.md"
    intro.write_bytes(b"\xef\xbb\xbfTwo stories\r\nthis week.\r\n")
    args = ["edition", str(SEED), "--title", "Weekly", "--config", str(CONFIG), "-f", "txt",
            "-o", str(tmp_path / "out")]
    result = CliRunner().invoke(main, [*args, "--intro", str(intro)])
    assert result.exit_code == 0, result.stderr
    assert "Two stories this week." in (tmp_path / "out" / "weekly.txt").read_text()
    for bad, message in ((b"caf\xe9\n", "is not UTF-8"), (None, "no such file")):
        target = tmp_path / f"bad-{message[:5]}.md"
        if bad is not None:
            target.write_bytes(bad)
        result = CliRunner().invoke(main, [*args, "--intro", str(target), "-o",
                                           str(tmp_path / "none")])
        assert result.exit_code == 1
        assert result.stderr.startswith(f"briefexport: error: {target}: {message}")
        assert len(result.stderr.splitlines()) == 1
        assert not (tmp_path / "none").exists()


def test_a_call_to_action_every_story_shares_is_shown_once_after_them(edition_outputs):
    doc = lhtml.fromstring(edition_outputs["html"].read_bytes())
    buttons = [(" ".join(a.text_content().split()), a.get("href")) for a in doc.iter("a")
               if "→" in a.text_content()]
    portal = [b for b in buttons if b[0] == "Client Portal →"]
    assert len(portal) == 1  # not once per story
    assert buttons[-1][0] == "Client Portal →"  # after the last story
    # A story's own call to action stays in its story.
    assert [b[0] for b in buttons].count("Download the route risk map →") == 1
    routes = next(i for i, b in enumerate(buttons) if b[0].startswith("Download"))
    assert routes < len(buttons) - 1
