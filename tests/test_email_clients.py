"""Client details of the HTML email: table header scopes, and what keeps iOS from restyling
dates, addresses and numbers."""

from __future__ import annotations

import pytest
from conftest import RICH
from emailkit import EDITIONS, EXAMPLE_SOURCES, rendered, rendered_edition
from lxml import html as lhtml


def documents():
    return [*(rendered(s).html for s in EXAMPLE_SOURCES),
            *(rendered_edition(e).html for e in EDITIONS)]


def test_header_cells_name_their_column():
    doc = lhtml.fromstring(rendered(RICH).html.encode("utf-8"))
    headers = doc.xpath("//th")
    assert len(headers) == 4
    assert {th.get("scope") for th in headers} == {"col"}


@pytest.mark.parametrize("index", range(len(EXAMPLE_SOURCES) + len(EDITIONS)))
def test_ios_keeps_its_hands_off(index):
    html = documents()[index]
    doc = lhtml.fromstring(html.encode("utf-8"))
    metas = {m.get("name"): m.get("content") for m in doc.xpath("//head/meta[@name]")}
    assert "x-apple-disable-message-reformatting" in metas
    assert {"telephone=no", "date=no", "address=no"} <= {
        part.strip() for part in (metas.get("format-detection") or "").split(",")}
    styles = " ".join(doc.xpath("//head/style/text()"))
    assert "a[x-apple-data-detectors]" in styles
