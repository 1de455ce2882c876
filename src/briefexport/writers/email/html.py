"""The responsive HTML email: an MJML template compiled by mjml-python (MRML).

The template (``email/briefing.mjml.j2``) is rendered by Jinja2 with autoescaping, so text from
the source can never open or close an MJML tag; body HTML comes from :class:`HtmlRenderer`,
which escapes every text node.  Calls to action become ``mj-button`` elements, which MRML
compiles into bulletproof table buttons that work in Outlook.

After compilation the CSS is inlined (Gmail's apps ignore ``<style>`` for some accounts) with the
style blocks kept for ``@media`` and dark-mode rules, and the campaign tool's merge tags, kept
out of MJML's and the inliner's way as tokens, are put back byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin, urlsplit

from markupsafe import Markup

from briefexport import colour
from briefexport.config import BrandSettings, Settings
from briefexport.errors import RenderError
from briefexport.limits import PREHEADER_MAX, PREHEADER_MIN, PREHEADER_SPAN
from briefexport.model import Block, Briefing, CallToAction, Document, Figure, Image
from briefexport.record import record
from briefexport.render.context import RenderContext
from briefexport.render.html import HtmlRenderer
from briefexport.render.templating import long_date, render
from briefexport.source.newsroom import KILL_NOTICE
from briefexport.writers.email.button import button_box
from briefexport.writers.email.esp import EspLink, Tokens, copy_footer_links
from briefexport.writers.email.intel import (
    Label,
    embargo_banner,
    pinned_labels,
    risk_view,
    subject,
    tlp_label,
)
from briefexport.writers.email.unsubscribe import unsubscribe
from briefexport.writers.email.utm import Campaign, CampaignLinks, campaign

# Invisible characters after the preview text, so that inbox previews stop there instead of
# pulling in the start of the body.  (U+034F COMBINING GRAPHEME JOINER, U+200C ZWNJ, NBSP.)
_PREHEADER_FILLER = "\u034f\u200c\u00a0"


#: The side padding of the email's text column (the template's ``mj-text`` padding).
GUTTER = 24


@record
class Segment:
    """A run of body blocks, one call to action or one figure, as the email lays them out."""

    blocks: tuple[Block, ...] = ()
    cta: CallToAction | None = None
    figure: Figure | None = None


def segments(blocks: Iterable[Block]) -> Iterator[Segment]:
    """Split the body at its calls to action (the email puts each in its own button) and its
    figures (each drawn by the template's ``figure`` macro)."""
    run: list[Block] = []
    for block in blocks:
        if isinstance(block, CallToAction | Figure):
            if run:
                yield Segment(tuple(run))
                run = []
            if isinstance(block, CallToAction):
                yield Segment(cta=block)
            else:
                yield Segment(figure=block)
        else:
            run.append(block)
    if run:
        yield Segment(tuple(run))


def asset_url(src: str, base: str | None) -> str | None:
    """Where a mail client fetches image ``src``: an absolute URL as it is, a relative path
    joined to ``[email] asset_base_url``; ``None`` when it is relative and there is no base.

    Nothing is fetched here: the email only names the URL.
    """
    try:
        parts = urlsplit(src)
    except ValueError:
        return None
    if parts.scheme or parts.netloc:
        return src
    if not base or not src.strip():
        return None
    base = base if base.endswith("/") else base + "/"
    path = src[2:] if src.startswith("./") else src
    return urljoin(base, path.lstrip("/"))


class EmailHtmlRenderer(CampaignLinks, HtmlRenderer):
    """Body HTML for the inside of ``mj-text``; http(s) links get the campaign parameters,
    images their hosted URL (``[email] asset_base_url``)."""

    def __init__(self, links: Campaign | None = None, *, assets: str | None = None,
                 portal: str | None = None, portal_label: str = "Client Portal",
                 image_width: int = 600 - 2 * GUTTER) -> None:
        self.campaign = links or Campaign()
        self.assets = assets
        self.portal = portal
        self.portal_label = portal_label
        self.image_width = image_width
        self.unhosted: list[Figure] = []
        """The figures rendered without a URL a mail client can fetch (``check`` warns)."""

    @classmethod
    def for_settings(cls, settings: Settings, links: Campaign | None = None
                     ) -> EmailHtmlRenderer:
        """A renderer with the config's asset base URL, portal and column width."""
        return cls(links, assets=settings.email.asset_base_url, portal=settings.portal.url,
                   portal_label=settings.portal.label,
                   image_width=settings.email.width - 2 * GUTTER)

    def image(self, node: Image) -> Markup:
        src = asset_url(node.src, self.assets) or node.src
        return Markup('<img src="{0}" alt="{1}">').format(src, node.alt)

    def figure_data(self, node: Figure) -> dict[str, Any]:
        """A figure as the template's ``figure`` macro draws it: ``src`` is ``None`` when the
        image has no URL a mail client can fetch (then the caption links to the portal)."""
        src = asset_url(node.image.src, self.assets)
        if src is None and node not in self.unhosted:
            self.unhosted.append(node)
        return {"number": node.number, "label": f"Figure {node.number}", "src": src,
                "alt": node.image.alt, "width": self.image_width, "caption": node.caption,
                "portal": self.campaign.stamp(self.portal) if self.portal else None,
                "portal_label": self.portal_label}

    def figure(self, node: Figure) -> Markup:
        """A figure inside other blocks (a list, a quote), as the ``figure`` macro draws one."""
        data = self.figure_data(node)
        caption = data["caption"] or ("" if data["src"] else data["alt"])
        label = (Markup("<strong>%s:</strong> %s") % (data["label"], caption) if caption
                 else Markup("<strong>%s</strong>") % data["label"])
        if data["src"]:
            image = Markup(
                '<p class="bx-figure"><img src="{0}" alt="{1}" width="{2}" '
                'style="display:block;width:100%;max-width:{2}px;height:auto;border:0;"></p>'
            ).format(data["src"], data["alt"], data["width"])
            return image + (Markup('<p class="bx-caption">%s</p>') % label if caption
                            else Markup(""))
        link = (Markup('<br><a href="{0}">View the figure on the {1} &#8594;</a>').format(
            data["portal"], data["portal_label"]) if data["portal"] else Markup(""))
        return Markup('<p class="bx-caption">{0}{1}</p>').format(label, link)


#: The preview (preheader) block as MRML 1.4.2 writes it: white text, which spam filters read as
#: text hidden by low contrast, and nothing that hides it from Outlook for Windows.
MRML_PREVIEW_STYLE = ('<div style="display:none;font-size:1px;color:#ffffff;line-height:1px;'
                      'max-height:0px;max-width:0px;opacity:0;overflow:hidden;">')
#: Ours: hidden by display, size and opacity, and by mso-hide for Outlook.  No colour and no
#: 1px font: SpamAssassin 4 (offline, -L) scores MRML's block HTML_FONT_LOW_CONTRAST (0.7) and
#: the same block without its colour FONT_INVIS_MSGID (1.0); this one scores 0.
PREVIEW_STYLE = ('<div class="bx-preheader" style="display:none;mso-hide:all;max-height:0px;'
                 'max-width:0px;opacity:0;overflow:hidden;">')


def hide_preview(html: str) -> str:
    """The compiled email with the preview block hidden our way (see PREVIEW_STYLE)."""
    return html.replace(MRML_PREVIEW_STYLE, PREVIEW_STYLE, 1)


def specific_first(parts: list[dict[str, Any]], portal: str | None) -> list[dict[str, Any]]:
    """A briefing whose calls to action include the portal's front page and a specific one:
    the specific ones take the first one's place, as buttons; the portal's follow, as links.

    The portal's front page is where every briefing leads; the route map or the report is what
    this one offers, so it is what the reader should see first.
    """
    def generic(part: dict[str, Any]) -> bool:
        url = part["cta"].link.url
        return bool(portal) and url is not None and url.rstrip("/") == (portal or "").rstrip("/")

    ctas = [p for p in parts if p["cta"]]
    if not any(generic(p) for p in ctas) or all(generic(p) for p in ctas):
        return parts
    # Every part before the first call to action is text, so it keeps its place.
    first = next(i for i, p in enumerate(parts) if p["cta"])
    text = [p for p in parts if not p["cta"]]
    ordered = [*(p for p in ctas if not generic(p)),
               *({**p, "secondary": True} for p in ctas if generic(p))]
    return [*text[:first], *ordered, *text[first:]]


def preheader(briefing: Briefing, low: int = PREHEADER_MIN, high: int = PREHEADER_MAX) -> str:
    """The inbox preview: the summary, lengthened from the lead or cut at a word to fit."""
    meta = briefing.meta
    # A summary that is the lead's first sentence is continued by the lead itself.
    summary = "" if briefing.summary_repeats_lead else " ".join((meta.summary or "").split())
    text = ""
    for piece in (summary, briefing.lead_text, meta.headline):
        if piece:
            text = f"{text} {piece}".strip()
        if len(text) >= low:
            break
    return fit_preheader(text, high)


def fit_preheader(text: str, high: int = PREHEADER_MAX) -> str:
    """``text`` cut at a word, with an ellipsis, when longer than ``high`` characters."""
    if len(text) <= high:
        return text
    return text[:high - 1].rsplit(" ", 1)[0].rstrip(" ,;:·–—-") + "…"


def preheader_padding(text: str) -> str:
    """Filler that keeps the preview to ``text`` in clients that show up to ~150 characters."""
    return _PREHEADER_FILLER * max(0, PREHEADER_SPAN - len(text))


@record
class Palette:
    """The email's colours for one scheme, each checked for 4.5:1 where it carries text."""

    canvas: str
    card: str
    text: str
    soft: str
    muted: str
    muted_card: str
    rule: str
    code: str
    link: str
    heading: str
    kicker: str
    button: str
    masthead: str
    box: str
    """The key judgements box's background."""
    box_link: str
    """Links inside that box."""


@lru_cache(maxsize=32)  # a search over shades: worth doing once per brand, not per email
def palettes(brand_color: str, accent: str) -> tuple[Palette, Palette]:
    """Light and dark palettes derived from the brand colours."""
    white = "#ffffff"
    # The button and masthead carry white text: shade the brand colour until it reads.
    button = colour.readable(brand_color, white)
    box = "#f2f4f7"
    light = Palette(
        canvas="#f2f4f7", card=white, text="#1f2328", soft="#424a53",
        muted=colour.readable("#57606a", "#f2f4f7"), muted_card=colour.readable("#57606a", white),
        rule="#d0d7de", code="#f6f8fa",
        link=colour.readable(brand_color, white), heading=colour.readable(brand_color, white),
        kicker=colour.readable(accent, white), button=button, masthead=button,
        box=box, box_link=colour.readable(colour.readable(brand_color, white), box),
    )
    card, dark_box = "#1b2129", "#252d37"
    dark_link = colour.readable(brand_color, card, 7)
    dark = Palette(
        canvas="#0f1318", card=card, text="#e6e9ed", soft="#c9d1d9",
        muted=colour.readable("#a3acb6", "#0f1318"), muted_card=colour.readable("#a3acb6", card),
        rule="#3d4550", code="#12171d",
        # Brand colours are usually dark: lift them well clear of the minimum on a dark card.
        link=dark_link, heading=colour.readable(brand_color, card, 7),
        kicker=colour.readable(accent, card, 5.5),
        button=colour.lightest_under(white, brand_color), masthead=button,
        box=dark_box, box_link=colour.readable(dark_link, dark_box, 7),
    )
    return light, dark


class EmailWriter:
    """Briefing → HTML email."""

    template = "email/briefing.mjml.j2"

    def __init__(self) -> None:
        # Imported here so that text-only exports never load the Rust extensions.
        import css_inline
        from mjml import mjml2html

        self._mjml2html = mjml2html
        self._inline = css_inline.inline

    # ---- pieces a template (or a multi-briefing email) is built from

    def renderer(self, briefing: Briefing, ctx: RenderContext) -> EmailHtmlRenderer:
        """The body renderer for ``briefing``, with its campaign parameters."""
        return EmailHtmlRenderer.for_settings(ctx.settings, campaign(ctx.settings, briefing))

    def article(self, briefing: Briefing, ctx: RenderContext,
                renderer: EmailHtmlRenderer | None = None) -> dict[str, Any]:
        """One briefing's template data: metadata, kicker (``KILL``/``CORRECTED`` before the
        slug), date line, handling labels, holding embargo, risk rating, key judgements, body
        parts, corrections and contact; for a kill notice, the kill line and the reference.

        A multi-briefing email passes its own ``renderer`` (one campaign's parameters, heading
        anchors made unique per story).  Figures the renderer could not give a URL are in
        ``renderer.unhosted`` afterwards (see :meth:`warn_unhosted`).
        """
        renderer = renderer or self.renderer(briefing, ctx)
        parts = []
        for seg in segments(briefing.blocks):
            part: dict[str, Any] = {"cta": None, "figure": None, "href": None,
                                    "html": Markup(""), "secondary": False}
            if seg.cta:
                part.update(cta=seg.cta, href=renderer.href(seg.cta.link))
            elif seg.figure:
                # "html" too, for themes whose body macro knows no figure parts.
                part.update(figure=renderer.figure_data(seg.figure),
                            html=renderer.figure(seg.figure))
            else:
                part.update(html=renderer.blocks(seg.blocks))
            parts.append(part)
        parts = specific_first(parts, ctx.settings.portal.url)
        meta = briefing.meta
        date_line = long_date(meta.date) if meta.date else ""
        if meta.author:
            date_line = f"{date_line} · {meta.author}" if date_line else meta.author
        killed = meta.killed
        return {"meta": meta, "briefing": briefing, "parts": parts,
                # A kill notice is its headline, the kill line and the reference: no date.
                "date_line": "" if killed else date_line,
                "kicker": meta.kicker, "embargo": embargo_banner(briefing),
                "kill_notice": KILL_NOTICE if killed else None, "reference": meta.reference,
                "corrections": [] if killed else [
                    {"date": long_date(c.date), "iso": c.date.isoformat(),
                     "note": c.note} for c in meta.corrections],
                "tlp": tlp_label(meta.marking), "classification": meta.classification,
                "risk": risk_view(briefing.risk, ctx.settings.risk),
                "judgements": [renderer.inlines(j) for j in briefing.key_judgements],
                "contact": briefing.contact}

    def warn_unhosted(self, origin: Document, renderer: EmailHtmlRenderer,
                      ctx: RenderContext) -> None:
        """A figure the email cannot show: its path is relative and no base URL is set."""
        for fig in renderer.unhosted:
            ctx.warn(origin, f"figure {fig.number} ({fig.image.src}) has a relative path "
                     "and [email] asset_base_url is not set: the email shows its caption "
                     "and a link to the portal instead of the image", "figure-url", fig.line)

    def footer(self, ctx: RenderContext, tokens: Tokens) -> dict[str, Any]:
        """Footer data: the profile's links (as tokens), the postal address lines, and the
        brand's disclaimer and copyright."""
        email = ctx.settings.email
        web, unsub = copy_footer_links(email, ctx.recipient)

        def footer_link(link: EspLink, label: str) -> Markup:
            return tokens.link(link, label)

        postal = [line.strip() for line in (email.postal_address or "").splitlines()
                  if line.strip()]
        brand = ctx.settings.brand
        return {"web_link": web, "unsubscribe_link": unsub, "footer_link": footer_link,
                "postal_lines": postal, "disclaimer": (brand.disclaimer or "").strip(),
                "copyright": (brand.copyright or "").strip()}

    def chrome(self, ctx: RenderContext, tokens: Tokens, origin: Document,
               labels: Iterable[Label | None] = ()) -> dict[str, Any]:
        """What any email template needs around its content: palettes, brand and footer, and
        the coloured ``labels`` it shows (their colours pinned in dark mode)."""
        brand = ctx.settings.brand
        try:
            light, dark = palettes(brand.color, brand.accent)
        except ValueError:
            # The PDF's CSS takes any colour; the email must compute contrast, so it needs hex.
            ctx.warn(origin, f"[brand] colours {brand.color!r} and {brand.accent!r} must be hex "
                     "(#rrggbb) for the email to check their contrast; it uses the default "
                     "colours", "email-colour")
            light, dark = palettes(BrandSettings.color, BrandSettings.accent)
        return {"brand": brand, "settings": ctx.settings, "light": light, "dark": dark,
                "button_box": button_box, "subject": subject(origin),
                "labels": pinned_labels(list(labels)), **self.footer(ctx, tokens)}

    def context(self, briefing: Briefing, ctx: RenderContext, tokens: Tokens) -> dict[str, Any]:
        """Everything the template sees."""
        # A kill notice's preview is the kill line: nothing of the withdrawn text.
        text = fit_preheader(KILL_NOTICE) if briefing.meta.killed else preheader(briefing)
        renderer = self.renderer(briefing, ctx)
        article = self.article(briefing, ctx, renderer)
        self.warn_unhosted(briefing, renderer, ctx)
        risk = article["risk"]
        return {
            "meta": briefing.meta,
            "lang": briefing.meta.lang,
            "briefing": briefing,
            "article": article,
            "parts": article["parts"],  # the name older themes use
            "preheader": text,
            "preheader_padding": preheader_padding(text),
            "preview": text,  # the name older themes use
            **self.chrome(ctx, tokens, briefing,
                          [article["tlp"], *(risk.labels if risk else ())]),
        }

    # ---- output

    def mjml(self, briefing: Briefing, ctx: RenderContext, tokens: Tokens | None = None) -> str:
        """The MJML source of the email (before compilation)."""
        briefing = briefing.for_output("email")
        tokens = tokens if tokens is not None else Tokens()
        return render(self.template, ctx.settings.themes,
                      **self.context(briefing, ctx, tokens))

    def compile(self, source: str, origin: Document, tokens: Tokens | None = None) -> str:
        """MJML → HTML with inlined CSS and the merge tags in place.

        ``origin`` (a briefing or an edition) names the file in errors; ``tokens`` are those
        the MJML was rendered with.
        """
        try:
            # fonts={}: no Google Fonts <link>; campaign tools and privacy both prefer none.
            html = self._mjml2html(source, fonts={})
        except Exception as exc:  # MRML raises plain exceptions with a message
            raise RenderError(f"the email template did not compile: {exc}",
                              origin.source) from None
        html = hide_preview(html)
        # keep_style_tags: @media, dark-mode and client-specific rules stay in <head> for the
        # clients that read it; everything that applies is also inlined for those that don't.
        html = self._inline(html, keep_style_tags=True, load_remote_stylesheets=False)
        if tokens is None:
            return html
        try:
            return tokens.substitute(html)
        except ValueError as exc:
            raise RenderError(f"the email lost a merge tag: {exc}", origin.source) from None

    def check_size(self, html: str, briefing: Document, ctx: RenderContext) -> None:
        """Warn over the size budget; Gmail clips a message from ~102 kB on."""
        email = ctx.settings.email
        size = len(html.encode("utf-8"))
        if email.clipped(size):
            ctx.warn(briefing, f"the email HTML is {size / 1000:.1f} kB; Gmail clips messages "
                     f"at {email.size_limit_kb} kB", "email-clipped")
        elif email.over_budget(size):
            ctx.warn(briefing, f"the email HTML is {size / 1000:.1f} kB, over the "
                     f"{email.size_warning_kb} kB budget (Gmail clips at "
                     f"{email.size_limit_kb} kB)", "email-size")

    def check_compliance(self, briefing: Document, ctx: RenderContext) -> None:
        """Campaign tools and anti-spam laws want an unsubscribe link and a postal address."""
        email = ctx.settings.email
        _, unsub = copy_footer_links(email, ctx.recipient)
        if unsub is None:
            why = unsubscribe(email.unsubscribe_url, ctx.recipient).problem
            ctx.warn(briefing, f"the email has no unsubscribe link: {why}; set [email] "
                     "unsubscribe_url or choose an ESP profile", "email-compliance")
        if not (email.postal_address or "").strip():
            ctx.warn(briefing, "the email footer has no postal address: set [email] "
                     "postal_address", "email-compliance")

    def finish(self, source: str, origin: Document, ctx: RenderContext,
               tokens: Tokens) -> str:
        """Compile, then check the result the way campaign tools and Gmail will."""
        html = self.compile(source, origin, tokens)
        self.check_compliance(origin, ctx)
        self.check_size(html, origin, ctx)
        return html

    def render(self, briefing: Briefing, ctx: RenderContext) -> str:
        tokens = Tokens()
        return self.finish(self.mjml(briefing, ctx, tokens), briefing, ctx, tokens)
