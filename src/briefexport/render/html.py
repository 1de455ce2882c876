"""Model blocks → HTML fragments, shared by the PDF and the email writers.

One small method per node, named after what it renders, so a writer subclasses and overrides
only what differs (the email rewrites link targets, the PDF adds URL notes).  Every piece of
source text passes through :func:`markupsafe.escape`; nothing from the source is ever markup.
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape

from briefexport.model import (
    Block,
    Break,
    CallToAction,
    Code,
    CodeBlock,
    Emphasis,
    Figure,
    Heading,
    Image,
    Inline,
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


class HtmlRenderer:
    """Renders model nodes as HTML; subclass and override a method to change one node."""

    #: Prepended to heading ids, so that several briefings can share one document.
    id_prefix: str = ""

    def href(self, link: Link) -> str | None:
        """The URL an ``<a>`` points to; ``None`` renders the text without a link."""
        return link.url

    # ---- entry points

    def blocks(self, blocks: Iterable[Block]) -> Markup:
        """Render body blocks."""
        return Markup("\n").join(self.block(b) for b in blocks)

    def block(self, node: Block) -> Markup:
        """Dispatch one block to the method named after its type."""
        return getattr(self, rule_name(node))(node)

    def inlines(self, children: Iterable[Inline]) -> Markup:
        """Render inline runs."""
        return Markup("").join(getattr(self, rule_name(c))(c) for c in children)

    # ---- blocks

    def paragraph(self, node: Paragraph) -> Markup:
        return Markup("<p>%s</p>") % self.inlines(node.children)

    def heading(self, node: Heading) -> Markup:
        level = min(6, node.level + 1)  # h1 is the headline; body headings start at h2
        return Markup('<h{0} id="{1}">{2}</h{0}>').format(level, self.id_prefix + node.id,
                                                           self.inlines(node.children))

    def list_block(self, node: ListBlock) -> Markup:
        tag = "ol" if node.ordered else "ul"
        start = Markup(' start="%d"') % node.start if node.ordered and node.start != 1 else ""
        items = Markup("").join(Markup("<li>%s</li>") % self.list_item(item)
                                for item in node.items)
        return Markup("<{0}{1}>{2}</{0}>").format(tag, start, items)

    def list_item(self, item: tuple[Block, ...]) -> Markup:
        if len(item) == 1 and isinstance(item[0], Paragraph):
            return self.inlines(item[0].children)
        return self.blocks(item)

    def quote(self, node: Quote) -> Markup:
        return Markup("<blockquote>%s</blockquote>") % self.blocks(node.children)

    def code_block(self, node: CodeBlock) -> Markup:
        return Markup("<pre><code>%s</code></pre>") % node.text.rstrip("\n")

    def rule(self, node: Rule) -> Markup:
        return Markup("<hr>")

    def table(self, node: Table) -> Markup:
        # scope="col": each header cell names its column for screen readers (WCAG 1.3.1).
        head = Markup("").join(self.table_cell(c, "th") for c in node.header)
        body = Markup("").join(
            Markup("<tr>%s</tr>") % Markup("").join(self.table_cell(c, "td") for c in row)
            for row in node.rows)
        return Markup("<table><thead><tr>{0}</tr></thead><tbody>{1}</tbody></table>").format(
            head, body)

    def table_cell(self, cell: TableCell, tag: str) -> Markup:
        scope = Markup(' scope="col"') if tag == "th" else ""
        align = Markup(' style="text-align: %s"') % cell.align if cell.align else ""
        return Markup("<{0}{1}{2}>{3}</{0}>").format(tag, scope, align,
                                                    self.inlines(cell.children))

    def figure(self, node: Figure) -> Markup:
        caption = (Markup("<figcaption>%s</figcaption>") % node.caption
                   if node.caption else Markup(""))
        return Markup('<figure id="{0}figure-{1}">{2}{3}</figure>').format(
            self.id_prefix, node.number, self.image(node.image), caption)

    def call_to_action(self, node: CallToAction) -> Markup:
        url = self.href(node.link)
        if url is None:
            return Markup('<p class="cta cta-unresolved">%s</p>') % node.label
        return Markup('<p class="cta"><a class="cta-link" href="{0}">{1}</a></p>').format(
            url, node.label)

    # ---- inlines

    def text(self, node: Text) -> Markup:
        return escape(node.text)

    def code(self, node: Code) -> Markup:
        return Markup("<code>%s</code>") % node.text

    def break_(self, node: Break) -> Markup:
        return Markup("<br>") if node.hard else Markup("\n")

    def emphasis(self, node: Emphasis) -> Markup:
        tag = {"em": "em", "strong": "strong", "strike": "s"}[node.kind]
        return Markup("<{0}>{1}</{0}>").format(tag, self.inlines(node.children))

    def link_span(self, node: LinkSpan) -> Markup:
        url = self.href(node.link)
        inner = self.inlines(node.children)
        if url is None:
            return Markup('<span class="link-unresolved">%s</span>') % inner
        title = Markup(' title="%s"') % node.link.title if node.link.title else ""
        return Markup('<a href="{0}"{1}>{2}</a>').format(url, title, inner)

    def image(self, node: Image) -> Markup:
        return Markup('<img src="{0}" alt="{1}">').format(node.src, node.alt)
