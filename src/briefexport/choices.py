"""Every closed list of words a setting or an option accepts, defined once.

Config validation, the command line's ``Choice`` options, ``init``'s commented config and the
writers all read these; a new word is added here and nowhere else.
"""

from __future__ import annotations

from briefexport.record import record

#: CSS page-size keywords the report accepts (optionally followed by an orientation).
PAGE_SIZES = ("a3", "a4", "a5", "b4", "b5", "letter", "legal", "ledger")
PAGE_ORIENTATIONS = ("landscape", "portrait")
#: Where a link's URL is printed: at the foot of its page, at the end, or nowhere.
LINK_URL_MODES = ("footnotes", "endnotes", "none")
#: The PDF variants offered; tagging is on for all of them and for the default.
PDF_VARIANTS = ("pdf/ua-1", "pdf/a-3b", "pdf/a-3a")
#: An edition's email: every story in full, or a teaser with a button each.
EMAIL_MODES = ("full", "teaser")
#: An edition's wire text: one link list for the whole edition, or one after each story.
TEXT_REFERENCES = ("edition", "story")
#: ``check``'s report: for people, or JSON for CI.
REPORT_FORMATS = ("text", "json")


@record
class EspProfile:
    """A campaign tool's unsubscribe and view-in-browser merge tags."""

    name: str
    unsubscribe: str | None
    web_version: str | None = None
    html_unsubscribe_element: str | None = None
    """Campaign Monitor style: the HTML is ``<element>label</element>``, not ``<a href>``."""
    html_web_version_element: str | None = None


#: TLP 2.0 labels as FIRST writes them, least restrictive first (an edition's cover carries the
#: most restrictive of its stories'), each with FIRST's colour; every label is shown on black.
TLP_COLOURS: dict[str, str] = {
    "TLP:CLEAR": "#FFFFFF",
    "TLP:GREEN": "#33FF00",
    "TLP:AMBER": "#FFC000",
    "TLP:AMBER+STRICT": "#FFC000",
    "TLP:RED": "#FF2B2B",
}
TLP_MARKINGS = tuple(TLP_COLOURS)
TLP_BACKGROUND = "#000000"

#: A briefing's ``status``, as ninjs's ``pubStatus``: usable, held back, or killed.
PUB_STATUSES = ("usable", "withheld", "canceled")
#: What a wire slug line starts with at the top three urgencies (nothing for the rest).
URGENCY_WORDS: dict[int, str] = {1: "FLASH", 2: "BULLETIN", 3: "URGENT"}

#: The outputs an ``only`` block may name: the PDF, the email (HTML and the .eml's HTML part)
#: and the wire (the wire text and the .eml's plain part).
CONDITION_OUTPUTS = ("pdf", "email", "wire")

#: A risk rating's trend words, each with the arrow shown beside it (never alone).
RISK_TRENDS: dict[str, str] = {"rising": "↑", "steady": "→", "falling": "↓"}

#: The placeholders that make ``[email] unsubscribe_url`` name its recipient (RFC 8058's
#: one-click unsubscribe must know who asked), filled for each copy of a client run.
UNSUBSCRIBE_PLACEHOLDERS = ("token", "recipient")

#: Campaign tools (ESPs) by name.  ``generic`` takes its URLs from ``[email]`` instead.
ESP_PROFILES: dict[str, EspProfile] = {p.name: p for p in (
    EspProfile("generic", None),
    EspProfile("mailchimp", "*|UNSUB|*", "*|ARCHIVE|*"),
    EspProfile("sendgrid", "{{{unsubscribe}}}"),
    EspProfile("campaign-monitor", "[unsubscribe]", "[webversion]",
               html_unsubscribe_element="unsubscribe", html_web_version_element="webversion"),
    EspProfile("listmonk", "{{ UnsubscribeURL }}", "{{ MessageURL }}"),
    EspProfile("brevo", "{{ unsubscribe }}", "{{ mirror }}"),
    EspProfile("mailgun", "%unsubscribe_url%"),
)}


@record
class ClientFamily:
    """An email client family ``check --clients`` names, and its platforms in caniemail's data.

    ``name`` is caniemail's family key too; ``platforms`` pairs each caniemail platform key with
    the label a report shows after the family's title, e.g. ``Gmail (iOS)``.
    """

    name: str
    title: str
    platforms: tuple[tuple[str, str], ...]


#: The client families the client-support lint reports, by name.  Outlook's ``windows`` is the
#: Word-rendered desktop Outlook (2007–2021, 365); caniemail's ``windows-mail`` (the retired
#: Windows 10 Mail app) and the Outlook phone apps are left out.
CLIENT_FAMILIES: dict[str, ClientFamily] = {f.name: f for f in (
    ClientFamily("gmail", "Gmail", (("desktop-webmail", "web"), ("ios", "iOS"),
                                    ("android", "Android"), ("mobile-webmail", "mobile web"))),
    ClientFamily("outlook", "Outlook", (("windows", "Windows"), ("macos", "Mac"),
                                        ("outlook-com", "Outlook.com"))),
    ClientFamily("apple-mail", "Apple Mail", (("macos", "macOS"), ("ios", "iOS"))),
    ClientFamily("yahoo", "Yahoo", (("desktop-webmail", "web"), ("ios", "iOS"),
                                    ("android", "Android"))),
)}
#: The client that reads Outlook's conditional comments (``<!--[if mso]>``), the Word-rendered
#: Outlook for Windows: what ``<!--[if !mso]><!-->`` hides is hidden from it alone.
MSO_CLIENT = ("outlook", "windows")
