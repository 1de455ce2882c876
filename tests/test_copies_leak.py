"""Nothing leaks: a tier block's words, link, image and caption are in none of a lower tier's
bytes, and an ``only`` block's words in no other output, in every format a copy can have,
searched after decompression: every PDF stream (content, metadata, outline, attachments of
a PDF/A-3 copy), both parts of the .eml and the PDF it carries, the ninjs JSON."""

from __future__ import annotations

import email
import io
import json
import shutil
from email import policy

import pikepdf
import pypdf
import pytest
from click.testing import CliRunner
from conftest import EXAMPLES

from briefexport.cli import main

#: Premium-only words: the text, a link's text and URL, a figure's file, alt and caption.
PREMIUM = ("Quaggatext", "Quaggalinktext", "quaggaurl", "quaggamap", "Quaggaalt",
           "Quaggacaption")
ONLY = {"pdf": "Okapipdf", "email": "Okapiemail", "wire": "Okapiwire"}

SOURCE = """---
title: Fuel blockade tightens
slug: BURKINA FASO
date: 2026-11-20
reference: SAH-2026-200
---
::: tier premium
Quaggatext sources expect a second blockade, see [the Quaggalinktext note](https://x.example/quaggaurl).

![Quaggaalt route map](quaggamap.png "Quaggacaption. Source: desk")
:::

The lead everyone reads: convoys are attacked on the N1.

::: only pdf
Okapipdf annex.
:::

::: only email
Okapiemail reply line.
:::

::: only wire
Okapiwire desk line.
:::
"""


def pdf_text(data: bytes) -> bytes:
    """The text of every page, as a reader extracts it (glyphs in the content streams are
    font codes, so the decoded streams alone would not show a word that is drawn)."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages).encode()


def pdf_bytes(data: bytes) -> bytes:
    """Every byte a PDF holds, its streams decoded: content, XMP, outline, attachments."""
    out = [data]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                try:
                    out.append(obj.read_bytes())
                except pikepdf.PdfError:
                    out.append(obj.read_raw_bytes())
            else:
                out.append(repr(obj).encode("utf-8", "replace"))
        for name, spec in pdf.attachments.items():
            out += [name.encode(), spec.get_file().read_bytes()]
    return b"\n".join(out)


def eml_parts(data: bytes) -> dict[str, bytes]:
    """The .eml's parts, decoded: 'plain', 'html', and the attached 'pdf' decompressed."""
    msg = email.message_from_bytes(data, policy=policy.default)
    parts = {"raw": data}
    for part in msg.walk():
        kind = part.get_content_type()
        payload = part.get_payload(decode=True)
        if payload is None:
            continue
        if kind == "text/plain":
            parts["plain"] = payload
        elif kind == "text/html":
            parts["html"] = payload
        elif kind == "application/pdf":
            parts["pdf"] = pdf_bytes(payload)
            parts["pdf-text"] = pdf_text(payload)
    return parts


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    folder = tmp_path_factory.mktemp("leak")
    (folder / "brief.md").write_text(SOURCE, encoding="utf-8")
    shutil.copy(EXAMPLES / "maps" / "burkina-faso-corridors.png", folder / "quaggamap.png")
    (folder / "recipients.csv").write_text(
        "id,name,organisation,email,tier\n"
        "basic,Ann Smith,Acme Mining,ann@acme.example,standard\n"
        "gold,Bo Li,Bolt Energy,bo@bolt.example,premium\n", encoding="utf-8")
    (folder / "briefexport.toml").write_text(
        '[portal]\nurl = "https://portal.example/briefings"\n\n'
        '[pdf]\nvariant = "pdf/a-3b"\n\n'  # attaches the source and the wire text
        '[email]\nasset_base_url = "https://assets.example/b/"\n'
        'postal_address = "Example Ltd, 1 Street, London"\n'
        'unsubscribe_url = "https://portal.example/u/{recipient}"\n', encoding="utf-8")
    out = folder / "out"
    result = CliRunner().invoke(main, [
        "copies", str(folder / "brief.md"), "--recipients", str(folder / "recipients.csv"),
        "--config", str(folder / "briefexport.toml"), "-o", str(out),
        "-f", "pdf,html,txt,eml,json", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    files = {}
    for who in ("basic", "gold"):
        pdf = (out / who / "brief.pdf").read_bytes()
        files[who] = {
            "pdf": pdf_bytes(pdf),
            "pdf-text": pdf_text(pdf),
            "html": (out / who / "brief.html").read_bytes(),
            "txt": (out / who / "brief.txt").read_bytes(),
            "json": (out / who / "brief.json").read_bytes(),
            **{f"eml-{k}": v for k, v in eml_parts((out / who / "brief.eml").read_bytes())
               .items()},
        }
    files["manifest"] = (out / "manifest.jsonl").read_bytes()
    return files


@pytest.mark.parametrize("word", PREMIUM)
def test_a_premium_word_is_in_no_byte_of_a_standard_copy(copies, word):
    for name, data in copies["basic"].items():
        assert word.lower().encode() not in data.lower(), name
    assert word.lower().encode() not in copies["manifest"].lower()


@pytest.mark.parametrize("word", PREMIUM[:3])
def test_the_premium_copy_has_them_so_the_search_can_find_them(copies, word):
    found = [name for name, data in copies["gold"].items()
             if word.lower().encode() in data.lower()]
    assert {"pdf", "pdf-text", "html", "txt", "eml-plain", "eml-html", "eml-pdf",
            "eml-pdf-text"} <= set(found), found


def test_the_standard_copys_preview_text_is_not_the_premium_lead(copies):
    html = copies["basic"]["html"].decode()
    assert "The lead everyone reads" in html
    item = json.loads(copies["basic"]["json"])
    assert item["headlines"][1]["value"].startswith("The lead everyone reads")


@pytest.mark.parametrize("who", ["basic", "gold"])
def test_an_only_block_is_in_its_output_alone(copies, who):
    files = copies[who]
    where = {
        "pdf": ("pdf-text", "eml-pdf-text"),
        "email": ("html", "eml-html", "json"),  # ninjs's HTML body is the email's view
        "wire": ("txt", "eml-plain", "json"),   # ...and its plain body the wire's
    }
    for output, word in ONLY.items():
        for name, data in files.items():
            if name in ("eml-raw", "pdf", "eml-pdf"):
                continue  # a PDF/A-3 attaches the source itself (every output's blocks)
            expected = name in where[output]
            assert (word.encode() in data) is expected, (who, output, name)


def test_the_eml_carries_the_very_pdf_written_beside_it(tmp_path):
    """The copy's .eml attaches the same bytes as the copy's own PDF file."""
    (tmp_path / "brief.md").write_text(SOURCE, encoding="utf-8")
    shutil.copy(EXAMPLES / "maps" / "burkina-faso-corridors.png", tmp_path / "quaggamap.png")
    (tmp_path / "people.csv").write_text("id,name,organisation,email,tier\n"
                                         "gold,Bo Li,Bolt,bo@bolt.example,premium\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["copies", str(tmp_path / "brief.md"), "--recipients",
                                       str(tmp_path / "people.csv"), "-o", str(out),
                                       "--jobs", "1"])
    assert result.exit_code == 0, result.output
    msg = email.message_from_bytes((out / "gold" / "brief.eml").read_bytes(),
                                   policy=policy.default)
    [attachment] = list(msg.iter_attachments())
    assert attachment.get_filename() == "brief.pdf"
    assert attachment.get_content() == (out / "gold" / "brief.pdf").read_bytes()
