"""The ``.eml`` message: ``multipart/alternative`` with the plain text first and the HTML last.

Built with the standard library's :class:`email.message.EmailMessage`, so headers are folded
and encoded by the same code that mail clients' Python tooling trusts, and a header value can
never carry a line break (the SMTP policy refuses one; the subject is flattened before that).
The plain part is the wire text rendered again from the same model, for email: 72 columns,
campaign parameters on links, and the campaign tool's footer instead of ``ENDS``.

No message is built while the briefing's embargo holds, unless ``[email] ignore_embargo``
(``--ignore-embargo``): a message is made to be sent.  A client copy (``ctx.recipient``) is
addressed to the recipient, names them in ``X-Briefexport-Recipient``, and carries their PDF:
the message is then ``multipart/mixed``, the alternative first and the PDF after it.  A kill
notice carries no attachment.
"""

from __future__ import annotations

import datetime as dt
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from briefexport.config import EmailSettings
from briefexport.errors import RenderError
from briefexport.model import Briefing, Recipient
from briefexport.names import one_line
from briefexport.render.clock import build_time, reproducible
from briefexport.render.context import RenderContext
from briefexport.writers.base import shared
from briefexport.writers.email.esp import copy_footer_links
from briefexport.writers.email.html import EmailWriter
from briefexport.writers.email.intel import holding_embargo, subject
from briefexport.writers.email.unsubscribe import unsubscribe
from briefexport.writers.email.utm import Campaign, CampaignLinks, campaign
from briefexport.writers.text.wire import TextRenderer, TextWriter, wrap

PLACEHOLDER_FROM_USER = "briefings"
PLACEHOLDER_DOMAIN = "example.com"
#: An RFC 5322 empty group: a valid To header that names nobody, for the campaign tool to fill.
PLACEHOLDER_TO = "Undisclosed recipients:;"
#: The header naming the client a copy is for (the recipients file's ``id``).
RECIPIENT_HEADER = "X-Briefexport-Recipient"


def send_time(email: EmailSettings) -> dt.datetime:
    """The ``Date`` of a message: ``SOURCE_DATE_EPOCH``, else ``[email] send_date``, else now."""
    if reproducible():
        return build_time()
    return email.send_moment() or build_time()


class EmailTextRenderer(CampaignLinks, TextRenderer):
    """Wire-text rendering with the email's campaign parameters on http(s) links."""

    def __init__(self, width: int, links: Campaign) -> None:
        super().__init__(width)
        self.campaign = links


class EmlWriter:
    """Briefing → ``message/rfc822``."""

    text_template = "email/briefing.txt.j2"

    def plain_text(self, briefing: Briefing, ctx: RenderContext) -> str:
        """The plain-text part."""
        email = ctx.settings.email
        renderer = EmailTextRenderer(email.text_width, campaign(ctx.settings, briefing))
        web, unsub = copy_footer_links(email, ctx.recipient)
        postal = [wrapped for line in (email.postal_address or "").splitlines()
                  if line.strip() for wrapped in wrap(line.strip(), email.text_width)]
        return shared(TextWriter).compose(briefing, ctx, renderer, self.text_template,
                                          brand=ctx.settings.brand, postal_lines=postal,
                                          web_link=web, unsubscribe_link=unsub)

    def html(self, briefing: Briefing, ctx: RenderContext) -> str:
        """The HTML part, as the ``html`` format renders it (its warnings reported once)."""
        html = ctx.render_with(shared(EmailWriter), briefing)
        assert isinstance(html, str)
        return html

    def headers(self, msg: EmailMessage, briefing: Briefing, ctx: RenderContext) -> None:
        email = ctx.settings.email
        # The handling first, as the email's title has it: [TLP:AMBER] [CLIENT CONFIDENTIAL] …
        msg["Subject"] = subject(briefing)
        msg["From"] = email.from_address or Address(ctx.settings.brand.name,
                                                    PLACEHOLDER_FROM_USER, PLACEHOLDER_DOMAIN)
        recipient = ctx.recipient
        if recipient:
            msg["To"] = Address(one_line(recipient.name), addr_spec=addressable(
                recipient, briefing).strip())
            msg[RECIPIENT_HEADER] = one_line(recipient.id)
        else:
            msg["To"] = email.to_address or PLACEHOLDER_TO
        if email.reply_to:
            msg["Reply-To"] = email.reply_to
        # The moment the message is built (or --send-date), never the briefing's date: a
        # message dated days back sorts as old and scores as spam (DATE_IN_PAST_96_XX).  The
        # briefing's date stays in the body.
        msg["Date"] = format_datetime(send_time(email))
        # RFC 8058 one-click unsubscribe is a POST that must say who asked.  A campaign tool
        # writes its own header for each recipient; the generic profile writes one only when
        # the URL names this copy's recipient.
        if email.esp == "generic":
            personal = unsubscribe(email.unsubscribe_url, recipient)
            if personal.header:
                msg["List-Unsubscribe"] = f"<{personal.header}>"
                msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
            elif email.unsubscribe_url:  # no URL at all: the email's own warning says so
                ctx.warn(briefing, f"List-Unsubscribe left out of the .eml: {personal.problem}",
                         "email-compliance")
        for name, key in (("From", "[email] from_address"), ("To", (
                f"recipient {recipient.id}'s email" if recipient else "[email] to_address")),
                          ("Reply-To", "[email] reply_to")):
            header = msg[name]
            if header is not None and (header.defects or (name == "From" and len(
                    header.addresses) != 1)):
                raise RenderError(f"{key} is not a valid address: "
                                  f"{one_line(str(header))!r}", briefing.source)
        # In the sender's domain, never the machine's host name (make_msgid's default).
        msg["Message-ID"] = make_msgid(domain=msg["From"].addresses[0].domain
                                       or PLACEHOLDER_DOMAIN)

    def check_embargo(self, briefing: Briefing, ctx: RenderContext) -> None:
        """Refuse to build a message while the briefing's embargo holds (a kill notice has
        none), unless ``[email] ignore_embargo``."""
        until = holding_embargo(briefing)
        if until is not None and not ctx.settings.email.ignore_embargo:
            raise RenderError(f"embargoed until {until:%Y-%m-%d %H:%M} UTC: no .eml is built "
                              "before then (--ignore-embargo or [email] ignore_embargo builds "
                              "it anyway)", briefing.source)

    def attachment(self, briefing: Briefing, ctx: RenderContext) -> tuple[bytes, str] | None:
        """The PDF a client copy carries, and its file name; ``None`` for a plain export and
        for a kill notice, which carries nothing of the withdrawn briefing."""
        if ctx.recipient is None or briefing.meta.killed:
            return None
        # Imported here: WeasyPrint loads only when a copy needs its PDF.
        from briefexport.writers.pdf.report import PdfWriter

        pdf = ctx.render_with(shared(PdfWriter), briefing)
        assert isinstance(pdf, bytes)
        return pdf, f"{briefing.stem}.pdf"

    def render(self, briefing: Briefing, ctx: RenderContext) -> bytes:
        self.check_embargo(briefing, ctx)
        msg = EmailMessage(policy=policy.SMTP)
        try:
            self.headers(msg, briefing, ctx)
        except (ValueError, TypeError) as exc:  # the policy refuses what cannot be a header
            raise RenderError(f"cannot build the message headers: {exc}", briefing.source
                              ) from None
        # quoted-printable: readable in any client's "show source", safe for long lines.
        msg.set_content(self.plain_text(briefing, ctx), subtype="plain", charset="utf-8",
                        cte="quoted-printable")
        msg.add_alternative(self.html(briefing, ctx), subtype="html", charset="utf-8",
                            cte="quoted-printable")
        attached = self.attachment(briefing, ctx)
        if attached:
            pdf, filename = attached
            # The alternative becomes the first part of a multipart/mixed message.
            msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=filename)
        for part in msg.walk():
            if part is not msg:
                # MIME-Version belongs to the message alone (RFC 2045 §4); set_content and
                # add_attachment add one to each part they make.
                del part["MIME-Version"]
        return msg.as_bytes()


def addressable(recipient: Recipient, briefing: Briefing) -> str:
    """The address a client copy goes to; a recipient without one gets no message."""
    if not (recipient.email or "").strip():
        raise RenderError(f"recipient {one_line(recipient.id)} has no email: no .eml can be "
                          "addressed", briefing.source)
    return recipient.email or ""
