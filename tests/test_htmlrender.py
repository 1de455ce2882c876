"""Model nodes → HTML: hand-built trees rendered and parsed back with lxml."""

from __future__ import annotations

import keyword

import pytest
from lxml import html as lxml_html

from briefexport.model import (
    Break,
    CallToAction,
    Code,
    CodeBlock,
    Emphasis,
    Heading,
    Image,
    Link,
    LinkSpan,
    ListBlock,
    Paragraph,
    Quote,
    Rule,
    Table,
    TableCell,
    Text,
    rule_name,
)
from briefexport.render.html import HtmlRenderer
from briefexport.writers.email.html import Segment, segments

HOSTILE = """<script>alert("x")</script> & 'q' <b>b</b> &amp;"""


def one(markup: str):
    """The single element ``markup`` is."""
    return lxml_html.fragment_fromstring(str(markup))


def many(markup: str):
    """The elements (and leading text) ``markup`` is."""
    return lxml_html.fragments_fromstring(str(markup))


def para(*children) -> Paragraph:
    return Paragraph(tuple(children))


def linked(text: str, url: str | None, title: str | None = None) -> LinkSpan:
    return LinkSpan(Link(text, url, title=title), (Text(text),))


# --------------------------------------------------------------------------- dispatch names


@pytest.mark.parametrize(("node", "name"), [
    (Paragraph(()), "paragraph"),
    (Heading(1, (), "h"), "heading"),
    (ListBlock(False, ()), "list_block"),
    (Quote(()), "quote"),
    (CodeBlock(""), "code_block"),
    (Rule(), "rule"),
    (Table((), ()), "table"),
    (TableCell(()), "table_cell"),
    (CallToAction("x", Link("x", None)), "call_to_action"),
    (Text(""), "text"),
    (Code(""), "code"),
    (Break(), "break_"),
    (Emphasis("em", ()), "emphasis"),
    (LinkSpan(Link("x", None), ()), "link_span"),
    (Image("a.png", ""), "image"),
])
def test_rule_name(node, name):
    assert rule_name(node) == name
    assert callable(getattr(HtmlRenderer, name))


def test_rule_name_appends_an_underscore_to_keywords_only():
    class Lambda:
        pass

    class With:
        pass

    class Breakout:
        pass

    assert keyword.iskeyword("lambda") and keyword.iskeyword("with")
    assert rule_name(Lambda()) == "lambda_"
    assert rule_name(With()) == "with_"
    assert rule_name(Breakout()) == "breakout"
    assert rule_name(Break(hard=True)) == "break_"


# --------------------------------------------------------------------------- blocks


def test_paragraph_with_every_inline():
    out = HtmlRenderer().block(para(
        Text("a "), Emphasis("em", (Text("e"),)), Emphasis("strong", (Text("s"),)),
        Emphasis("strike", (Text("x"),)), Code("c"), Break(), Text("b"), Break(hard=True),
        linked("l", "https://l.example"), Image("i.png", "alt")))
    assert out == ('<p>a <em>e</em><strong>s</strong><s>x</s><code>c</code>\nb<br>'
                   '<a href="https://l.example">l</a><img src="i.png" alt="alt"></p>')
    p = one(out)
    assert [c.tag for c in p] == ["em", "strong", "s", "code", "br", "a", "img"]
    assert p.text_content() == "a esxc\nbl"


def test_blocks_are_joined_by_newlines():
    out = HtmlRenderer().blocks([para(Text("a")), Rule(), para(Text("b"))])
    assert out == "<p>a</p>\n<hr>\n<p>b</p>"
    assert [e.tag for e in many(out)] == ["p", "hr", "p"]


@pytest.mark.parametrize(("level", "tag"), [
    (1, "h2"), (2, "h3"), (3, "h4"), (4, "h5"), (5, "h6"), (6, "h6")])
def test_heading_level_is_shifted_and_capped(level, tag):
    h = one(HtmlRenderer().block(Heading(level, (Text("Gao"),), "gao")))
    assert (h.tag, h.get("id"), h.text_content()) == (tag, "gao", "Gao")


def test_heading_id_prefix():
    class Story(HtmlRenderer):
        id_prefix = "story-2-"

    node = Heading(2, (Emphasis("em", (Text("Gao"),)),), "gao")
    assert Story().block(node) == '<h3 id="story-2-gao"><em>Gao</em></h3>'
    renderer = HtmlRenderer()
    renderer.id_prefix = 'p"<'
    h = one(renderer.block(node))
    assert h.get("id") == 'p"<gao'
    assert HtmlRenderer().block(node) == '<h3 id="gao"><em>Gao</em></h3>'


def test_unordered_list():
    node = ListBlock(False, ((para(Text("a")),), (para(Text("b")),)))
    out = HtmlRenderer().block(node)
    assert out == "<ul><li>a</li><li>b</li></ul>"


@pytest.mark.parametrize(("start", "attribute"), [(1, None), (3, "3"), (0, "0"), (12, "12")])
def test_ordered_list_start(start, attribute):
    ol = one(HtmlRenderer().block(ListBlock(True, ((para(Text("a")),),), start)))
    assert ol.tag == "ol"
    assert ol.get("start") == attribute
    assert [li.text_content() for li in ol] == ["a"]


def test_bullet_list_never_has_a_start():
    ul = one(HtmlRenderer().block(ListBlock(False, ((para(Text("a")),),), 5)))
    assert ul.tag == "ul" and "start" not in ul.attrib


def test_list_item_with_several_blocks_keeps_its_paragraphs():
    inner = ListBlock(False, ((para(Text("c")),),))
    node = ListBlock(False, ((para(Text("a")), para(Text("b")), inner),), tight=False)
    ul = one(HtmlRenderer().block(node))
    (li,) = ul
    assert [c.tag for c in li] == ["p", "p", "ul"]
    assert [c.text_content() for c in li] == ["a", "b", "c"]
    assert li[2][0].text == "c" and len(li[2][0]) == 0  # the nested item's text, no <p>


def test_quote():
    out = HtmlRenderer().block(Quote((para(Text("q")), Quote((para(Text("r")),)))))
    assert out == "<blockquote><p>q</p>\n<blockquote><p>r</p></blockquote></blockquote>"


def test_code_block_is_escaped_and_loses_only_trailing_newlines():
    out = HtmlRenderer().block(CodeBlock("<b>x</b> & y\n\n  indented\n\n\n", "html"))
    assert out == "<pre><code>&lt;b&gt;x&lt;/b&gt; &amp; y\n\n  indented</code></pre>"
    pre = one(out)
    assert [c.tag for c in pre] == ["code"] and len(pre[0]) == 0
    assert pre[0].text == "<b>x</b> & y\n\n  indented"


def test_rule():
    assert HtmlRenderer().block(Rule()) == "<hr>"


def test_table_structure_and_alignment():
    node = Table(
        (TableCell((Text("L"),), "left"), TableCell((Text("C"),), "center"),
         TableCell((Text("N"),), None)),
        ((TableCell((Code("1"),), "left"), TableCell((Text("2"),), "center"),
          TableCell((), None)),
         (TableCell((Text("a"),), "right"), TableCell((Text("<b>"),), None),
          TableCell((Text("c"),), None))))
    table = one(HtmlRenderer().block(node))
    assert [c.tag for c in table] == ["thead", "tbody"]
    head = table.xpath("thead/tr/th")
    assert [(c.text_content(), c.get("style")) for c in head] == [
        ("L", "text-align: left"), ("C", "text-align: center"), ("N", None)]
    rows = table.xpath("tbody/tr")
    assert [[(c.tag, c.text_content(), c.get("style")) for c in row] for row in rows] == [
        [("td", "1", "text-align: left"), ("td", "2", "text-align: center"), ("td", "", None)],
        [("td", "a", "text-align: right"), ("td", "<b>", None), ("td", "c", None)]]
    assert table.xpath("tbody/tr/td/code")[0].text == "1"
    assert table.xpath("//b") == []


def test_empty_table():
    out = HtmlRenderer().block(Table((), ()))
    assert out == "<table><thead><tr></tr></thead><tbody></tbody></table>"


# --------------------------------------------------------------------------- calls to action


def test_resolved_call_to_action():
    out = HtmlRenderer().block(CallToAction("Read <more> & \"go\"",
                                            Link("Read", "https://p.example/?a=1&b=2")))
    p = one(out)
    assert (p.tag, p.get("class")) == ("p", "cta")
    (a,) = p
    assert (a.tag, a.get("class"), a.get("href")) == ("a", "cta-link",
                                                      "https://p.example/?a=1&b=2")
    assert a.text_content() == 'Read <more> & "go"' and len(a) == 0
    assert 'href="https://p.example/?a=1&amp;b=2"' in out


def test_unresolved_call_to_action_is_plain_text():
    out = HtmlRenderer().block(CallToAction("Subscribe <now>", Link("Subscribe", None)))
    assert out == '<p class="cta cta-unresolved">Subscribe &lt;now&gt;</p>'
    p = one(out)
    assert p.get("class") == "cta cta-unresolved"
    assert len(p) == 0 and p.text == "Subscribe <now>"


# --------------------------------------------------------------------------- links


def test_link_with_title():
    a = one(HtmlRenderer().inlines([linked("t", "https://u.example/x", 'The "T" <b>')]))
    assert (a.tag, a.get("href"), a.get("title"), a.text) == (
        "a", "https://u.example/x", 'The "T" <b>', "t")


def test_link_without_title_has_no_title_attribute():
    out = HtmlRenderer().inlines([linked("t", "https://u.example/")])
    assert out == '<a href="https://u.example/">t</a>'


def test_unresolved_link_is_a_span_with_its_content():
    node = LinkSpan(Link("e x", None, title="ignored"),
                    (Emphasis("em", (Text("e"),)), Text(" x")))
    out = HtmlRenderer().inlines([node])
    assert out == '<span class="link-unresolved"><em>e</em> x</span>'
    span = one(out)
    assert span.get("class") == "link-unresolved"
    assert span.xpath("//a") == [] and span.get("title") is None


def test_href_override_changes_every_link():
    class Tracked(HtmlRenderer):
        def href(self, link: Link) -> str | None:
            if link.url is None or "drop" in link.url:
                return None
            return f"{link.url}?utm=x&n={link.text}"

    body = [
        para(linked("a", "https://a.example/"), Text(" "), linked("b", "https://b.example/"),
             Text(" "), linked("gone", "https://drop.example/")),
        ListBlock(False, ((para(linked("c", "https://c.example/")),),)),
        Table((TableCell((linked("d", "https://d.example/"),)),), ()),
        CallToAction("Go", Link("Go", "https://g.example/")),
        CallToAction("Dropped", Link("Dropped", "https://drop.example/cta")),
    ]
    elements = many(Tracked().blocks(body))
    hrefs = [a.get("href") for e in elements for a in e.iter("a")]
    assert hrefs == ["https://a.example/?utm=x&n=a", "https://b.example/?utm=x&n=b",
                     "https://c.example/?utm=x&n=c", "https://d.example/?utm=x&n=d",
                     "https://g.example/?utm=x&n=Go"]
    unresolved = [(s.tag, s.get("class"), s.text_content()) for e in elements
                  for s in e.xpath("descendant-or-self::*[contains(@class, 'unresolved')]")]
    assert unresolved == [("span", "link-unresolved", "gone"),
                          ("p", "cta cta-unresolved", "Dropped")]
    # The base renderer leaves the same tree's targets alone.
    plain = [a.get("href") for e in many(HtmlRenderer().blocks(body)) for a in e.iter("a")]
    assert plain == ["https://a.example/", "https://b.example/", "https://drop.example/",
                     "https://c.example/", "https://d.example/", "https://g.example/",
                     "https://drop.example/cta"]


# --------------------------------------------------------------------------- escaping


def test_text_is_escaped():
    out = HtmlRenderer().block(para(Text(HOSTILE)))
    p = one(out)
    assert len(p) == 0  # no <script>, no <b>: text only
    assert p.text == HOSTILE
    assert "<script>" not in out and "&amp;amp;" in out


def test_every_text_node_is_escaped():
    tree = [
        Heading(1, (Text(HOSTILE),), "h"),
        para(Text(HOSTILE), Code(HOSTILE), Emphasis("strong", (Text(HOSTILE),))),
        ListBlock(False, ((para(Text(HOSTILE)),),)),
        Quote((para(Text(HOSTILE)),)),
        CodeBlock(HOSTILE),
        Table((TableCell((Text(HOSTILE),)),), ((TableCell((Text(HOSTILE),)),),)),
        para(linked(HOSTILE, "https://x.example/"), linked(HOSTILE, None)),
        CallToAction(HOSTILE, Link("x", "https://x.example/")),
        CallToAction(HOSTILE, Link("x", None)),
    ]
    elements = many(HtmlRenderer().blocks(tree))
    tags = {e.tag for root in elements for e in root.iter()}
    assert tags == {"h2", "p", "code", "strong", "ul", "li", "blockquote", "pre", "table",
                    "thead", "tbody", "tr", "th", "td", "a", "span"}
    texts = [e.text for root in elements for e in root.iter() if e.text]
    assert texts == [HOSTILE] * 13


def test_attribute_values_are_escaped():
    url = 'https://x.example/?a="1"&b=<2>\'3\''
    out = HtmlRenderer().block(para(
        linked("t", url, title='"quoted" & <tag>'),
        Image('p.png?x="1"&y=<2>', 'alt "x" <y> & z')))
    p = one(out)
    a, img = p
    assert a.get("href") == url
    assert a.get("title") == '"quoted" & <tag>'
    assert img.get("src") == 'p.png?x="1"&y=<2>'
    assert img.get("alt") == 'alt "x" <y> & z'
    assert dict(img.attrib) == {"src": 'p.png?x="1"&y=<2>', "alt": 'alt "x" <y> & z'}
    assert 'href="https://x.example/?a=&#34;1&#34;&amp;b=&lt;2&gt;&#39;3&#39;"' in out


def test_heading_id_and_cell_alignment_are_escaped():
    out = HtmlRenderer().block(Heading(1, (), 'a"><script>x</script>'))
    h = one(out)
    assert (h.tag, h.get("id"), len(h)) == ("h2", 'a"><script>x</script>', 0)
    cell = HtmlRenderer().table_cell(TableCell((), 'left"><b'), "td")  # type: ignore[arg-type]
    td = one(cell)
    assert (td.tag, td.get("style"), len(td)) == ("td", 'text-align: left"><b', 0)


def test_text_that_looks_escaped_is_escaped_again():
    assert HtmlRenderer().inlines([Text("&lt;b&gt;")]) == "&amp;lt;b&amp;gt;"


# --------------------------------------------------------------------------- segments


def test_segments_split_at_calls_to_action():
    a, b, c = para(Text("a")), Rule(), para(Text("c"))
    go = CallToAction("Go", Link("Go", "https://g.example/"))
    more = CallToAction("More", Link("More", None))
    assert list(segments([a, b, go, more, c, go])) == [
        Segment((a, b)), Segment(cta=go), Segment(cta=more), Segment((c,)), Segment(cta=go)]


def test_segments_of_a_body_without_calls_to_action():
    a = para(Text("a"))
    assert list(segments([a, Rule()])) == [Segment((a, Rule()))]
    assert list(segments([])) == []


def test_segments_keep_calls_to_action_nested_in_a_quote_inside_their_run():
    nested = Quote((CallToAction("Go", Link("Go", "https://g.example/")),))
    assert list(segments([nested])) == [Segment((nested,))]
