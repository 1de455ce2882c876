"""A client copy's .eml: addressed to the recipient, naming them in X-Briefexport-Recipient,
carrying their PDF (multipart/mixed, the alternative first) and a one-click unsubscribe URL
with their token.  Read back with the standard library's ``email`` parser, npm mailparser and
pypdf, and scored by SpamAssassin offline.
"""

from __future__ import annotations

import dataclasses
import email
import io
import json
import os
import re
import shutil
import subprocess
from email import policy
from pathlib import Path

import pypdf
import pytest
from conftest import RICH
from emailkit import MAX_SPAM_SCORE, email_tools, example_settings, require, spam_score

from briefexport.api import Recipient, render
from briefexport.errors import RenderError
from briefexport.source.briefing import read

HERE = Path(__file__).resolve().parent
UNSUBSCRIBE = "https://portal.meridian-risk.example/unsubscribe/{token}"
CLIENT = Recipient(id="acme-07", email="jo.bloggs+risk@acme.example", name="Jo Bloggs",
                   organisation="Acme Mining", tier="standard", token="5f2b9c0e")


def copy_settings(esp: str = "generic"):
    base = example_settings(esp)
    return base.replace(email=dataclasses.replace(base.email, unsubscribe_url=UNSUBSCRIBE))


def parse(data: bytes):
    return email.message_from_bytes(data, policy=policy.default)


@pytest.fixture(scope="module")
def copy_eml() -> bytes:
    settings = copy_settings()
    data, warnings = render(read(RICH, settings), "eml", settings, recipient=CLIENT)
    assert isinstance(data, bytes)
    assert not [w for w in warnings if w.code == "email-compliance"], warnings
    return data


def test_the_copy_is_addressed_to_the_recipient_and_names_them(copy_eml):
    msg = parse(copy_eml)
    assert not [d for part in msg.walk() for d in part.defects]
    (to,) = msg["To"].addresses
    assert (to.display_name, to.addr_spec) == ("Jo Bloggs", "jo.bloggs+risk@acme.example")
    assert msg["X-Briefexport-Recipient"] == "acme-07"
    assert msg["List-Unsubscribe"].strip() == (
        "<https://portal.meridian-risk.example/unsubscribe/5f2b9c0e>")
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = msg.get_body(("html",)).get_content()
    assert 'href="https://portal.meridian-risk.example/unsubscribe/5f2b9c0e"' in html


def test_the_copy_carries_the_pdf_after_the_alternative(copy_eml):
    msg = parse(copy_eml)
    assert msg.get_content_type() == "multipart/mixed"
    parts = list(msg.iter_parts())
    assert [p.get_content_type() for p in parts] == ["multipart/alternative", "application/pdf"]
    assert [p.get_content_type() for p in parts[0].iter_parts()] == ["text/plain", "text/html"]
    (attachment,) = list(msg.iter_attachments())
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_filename() == f"{RICH.stem}.pdf" == "burkina-faso-fuel-blockade.pdf"
    pdf = attachment.get_content()
    assert pdf.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Jihadist fuel blockade" in " ".join(text.split())
    # MIME-Version is the message's alone, not each part's (RFC 2045 §4).
    assert [p["MIME-Version"] for p in msg.walk()][1:] == [None] * 4


def test_without_a_recipient_there_is_no_attachment():
    settings = copy_settings()
    data, _ = render(read(RICH, settings), "eml", settings)
    msg = parse(data)
    assert msg.get_content_type() == "multipart/alternative"
    assert list(msg.iter_attachments()) == [] and b"application/pdf" not in data
    assert msg["X-Briefexport-Recipient"] is None


def test_a_recipient_without_an_email_gets_no_message():
    settings = copy_settings()
    nobody = dataclasses.replace(CLIENT, email=None)
    with pytest.raises(RenderError, match=re.escape(
            "recipient acme-07 has no email: no .eml can be addressed")):
        render(read(RICH, settings), "eml", settings, recipient=nobody)


def test_a_killed_copy_carries_no_attachment(write_source):
    settings = copy_settings()
    text = RICH.read_text(encoding="utf-8").replace("---\n", "---\nstatus: canceled\n", 1)
    data, _ = render(read(write_source(text), settings), "eml", settings, recipient=CLIENT)
    msg = parse(data)
    assert msg.get_content_type() == "multipart/alternative"
    assert list(msg.iter_attachments()) == [] and b"%PDF" not in data
    assert msg["To"].addresses[0].addr_spec == CLIENT.email
    assert msg["X-Briefexport-Recipient"] == "acme-07"


def test_an_embargoed_copy_is_refused_too(write_source, monkeypatch):
    monkeypatch.setenv("BRIEFEXPORT_NOW", "2026-12-03T05:00:00Z")
    settings = copy_settings()
    text = RICH.read_text(encoding="utf-8").replace(
        "---\n", "---\nembargo: 2026-12-03T06:00:00Z\n", 1)
    with pytest.raises(RenderError, match=re.escape("embargoed until 2026-12-03 06:00 UTC")):
        render(read(write_source(text), settings), "eml", settings, recipient=CLIENT)


MAILPARSE = """
const fs = require("fs");
const { simpleParser } = require("mailparser");
(async () => {
  const mail = await simpleParser(fs.readFileSync(process.argv[1]));
  console.log(JSON.stringify({
    to: mail.to ? mail.to.value.map(a => [a.name, a.address]) : [],
    text: mail.text || "", html: mail.html || "",
    recipient: mail.headers.get("x-briefexport-recipient") || "",
    attachments: mail.attachments.map(a => ({filename: a.filename, type: a.contentType,
                                              head: a.content.subarray(0, 5).toString()})),
  }));
})().catch((error) => { console.error(String(error)); process.exit(1); });
"""


def test_mailparser_reads_the_copy_and_its_attachment(copy_eml, tmp_path):
    tools = email_tools() / "node_modules"
    require((tools / "mailparser").is_dir() and shutil.which("node"), "npm mailparser")
    path = tmp_path / "copy.eml"
    path.write_bytes(copy_eml)
    proc = subprocess.run(["node", "-e", MAILPARSE, str(path)], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "NODE_PATH": str(tools)})
    assert proc.returncode == 0, proc.stderr
    mail = json.loads(proc.stdout)
    assert mail["to"] == [["Jo Bloggs", "jo.bloggs+risk@acme.example"]]
    assert mail["recipient"] == "acme-07"
    assert mail["text"].startswith("TLP:AMBER | CLIENT CONFIDENTIAL") and "<h1" in mail["html"]
    assert mail["attachments"] == [{"filename": "burkina-faso-fuel-blockade.pdf",
                                    "type": "application/pdf", "head": "%PDF-"}]


def test_spamassassin_scores_the_copy_with_its_attachment_low(copy_eml):
    score, details = spam_score(copy_eml)
    assert score <= MAX_SPAM_SCORE, details
