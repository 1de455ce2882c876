"""``briefexport.toml`` → :class:`Settings`, with defaults and unknown-key warnings.

Each table of the file is one frozen dataclass below; a key the dataclass does not name gets a
warning (usually a typo), a value of the wrong type an error naming the key.  Adding a setting is
adding a field with its default.
"""

# No `from __future__ import annotations`: the settings classes are read with
# typing.get_type_hints whenever a config file is read, and a string annotation costs a
# compile() each time.
import dataclasses
import datetime as dt
import string
import tomllib
import types
import typing
from collections.abc import Iterable
from dataclasses import field
from pathlib import Path
from typing import Any

from briefexport import colour, limits
from briefexport.choices import (
    EMAIL_MODES,
    ESP_PROFILES,
    LINK_URL_MODES,
    PAGE_ORIENTATIONS,
    PAGE_SIZES,
    PDF_VARIANTS,
    TEXT_REFERENCES,
    UNSUBSCRIBE_PLACEHOLDERS,
)
from briefexport.errors import ConfigError
from briefexport.model import Diagnostic
from briefexport.record import record

DEFAULT_CONFIG_NAME = "briefexport.toml"

#: ``field(metadata=...)`` key naming the words a setting accepts.
CHOICES = "choices"


def choice(default: str | None, words: Iterable[str]) -> Any:
    """A setting that takes one of ``words``: checked on every construction, listed by
    ``init``'s commented config, offered by the command line's options."""
    return field(default=default, metadata={CHOICES: tuple(words)})


def choices_of(cls: type, name: str) -> tuple[str, ...]:
    """The words a setting of ``cls`` accepts; empty for a free-form setting."""
    field_ = next(f for f in dataclasses.fields(cls) if f.name == name)
    return tuple(field_.metadata.get(CHOICES, ()))


def check_width(key: str, width: int) -> None:
    """A wrap width the wire text can honour, the same range the command line takes."""
    if not limits.MIN_TEXT_WIDTH <= width <= limits.MAX_TEXT_WIDTH:
        raise ValueError(f"'{key}' must be from {limits.MIN_TEXT_WIDTH} to "
                         f"{limits.MAX_TEXT_WIDTH}, not {width}")


def find_config(path: Path | None) -> Path | None:
    """The config file to read: ``path``, else ``./briefexport.toml`` when it exists."""
    if path is None and Path(DEFAULT_CONFIG_NAME).is_file():
        return Path(DEFAULT_CONFIG_NAME)
    return path


class _Table:
    """A settings table: checks its choice fields however it was built (TOML or Python)."""

    #: The table's name in the config file, for messages: ``pdf``, ``email.utm``.
    table: typing.ClassVar[str] = ""

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):  # type: ignore[arg-type]  # subclasses are dataclasses
            words = f.metadata.get(CHOICES)
            value = getattr(self, f.name)
            if words and value is not None and value not in words:
                raise ValueError(f"'{self.table}.{f.name}' must be one of "
                                 f"{', '.join(words)}, not {value!r}")


@record
class BrandSettings(_Table):
    """``[brand]``: who publishes the briefing."""

    table = "brand"

    name: str = "Briefing"
    logo: str | None = None
    """Path to a logo image (SVG or PNG), relative to the config file's folder."""
    color: str = "#12355b"
    """The main brand colour (headings, rules, the CTA box)."""
    accent: str = "#c8102e"
    """The kicker (slug) colour."""
    disclaimer: str | None = None
    """Closes every output: the PDF's last page, the email's footer, the wire text before
    ``ENDS``."""
    copyright: str | None = None
    """A copyright line, e.g. ``© 2026 Meridian Risk Intelligence``; shown with the
    disclaimer."""


#: The risk scale a fresh desk gets, lowest first, with a colour per level: each is the
#: background of a label in black or white text, whichever reads better (5.1:1 at least).
DEFAULT_RISK_COLOURS: dict[str, str] = {
    "insignificant": "#2e7d32",
    "low": "#8bc34a",
    "medium": "#ffc107",
    "high": "#f57c00",
    "extreme": "#c62828",
}

@record
class RiskSettings(_Table):
    """``[risk]``: the scale a briefing's ``risk`` is rated on."""

    table = "risk"

    levels: tuple[str, ...] = tuple(DEFAULT_RISK_COLOURS)
    """The levels, lowest first; a briefing's levels must be among them (any case)."""
    colors: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_RISK_COLOURS))
    """A hex colour per level; a level without one is shown in grey.  The text on it is
    black or white, whichever contrasts more: on any colour one of them reaches √21 ≈ 4.58:1,
    so every label passes WCAG AA whatever the desk picks."""

    def __post_init__(self) -> None:
        super().__post_init__()
        levels = [level.strip().lower() for level in self.levels]
        if not levels or any(not level for level in levels) or len(set(levels)) < len(levels):
            raise ValueError("'risk.levels' must list distinct, non-empty level names")
        object.__setattr__(self, "levels", tuple(levels))
        colours = {k.strip().lower(): v for k, v in self.colors.items()}
        for level, value in colours.items():
            if level not in levels:
                raise ValueError(f"'risk.colors' names {level!r}, which is not in risk.levels")
            try:
                colour.parse(value)
            except ValueError:
                raise ValueError(f"'risk.colors.{level}' must be a hex colour such as "
                                 f"#c62828, not {value!r}") from None
        object.__setattr__(self, "colors", colours)

    def level(self, word: str) -> str | None:
        """``word`` as a level on the scale (case folded), or ``None`` when it is not one."""
        folded = word.strip().lower()
        return folded if folded in self.levels else None

    def palette(self, level: str) -> tuple[str, str]:
        """(background, text) colours of a level's label."""
        background = self.colors.get(level, RISK_NEUTRAL)
        return background, colour.best_text(background)


#: The colour of a level the config gives none (white text on it reads at 5.9:1).
RISK_NEUTRAL = "#5b6470"


@record
class TiersSettings(_Table):
    """``[tiers]``: the client tiers ``::: tier NAME`` blocks and client copies name."""

    table = "tiers"

    order: tuple[str, ...] = ("standard", "premium")
    """The tiers, lowest first: a tier sees its own blocks and those of the tiers below."""
    tier: str | None = None
    """The tier a plain export is made for (``--tier``); default: the lowest."""

    def __post_init__(self) -> None:
        super().__post_init__()
        order = tuple(name.strip().lower() for name in self.order)
        if not order or any(not name or " " in name for name in order) or len(
                set(order)) < len(order):
            raise ValueError("'tiers.order' must list distinct one-word tier names")
        object.__setattr__(self, "order", order)
        if self.tier is not None:
            tier = self.tier.strip().lower()
            if tier not in order:
                raise ValueError(f"'tiers.tier' must be one of {', '.join(order)}, "
                                 f"not {self.tier!r}")
            object.__setattr__(self, "tier", tier)

    @property
    def current(self) -> str:
        """The tier this export is made for."""
        return self.tier or self.order[0]


@record
class CopiesSettings(_Table):
    """``[copies]``: one copy of a briefing per client (``briefexport copies``)."""

    table = "copies"
    #: What ``watermark`` may name.
    WATERMARK_FIELDS: typing.ClassVar[tuple[str, ...]] = ("id", "name", "organisation")
    #: What ``portal_link`` may name.
    LINK_FIELDS: typing.ClassVar[tuple[str, ...]] = ("url", "token", "id")

    watermark: str = "Prepared for {organisation} · {id} · not for redistribution"
    """The mark on every page of a client's PDF; ``{organisation}``, ``{name}``, ``{id}``."""
    portal_link: str | None = None
    """A client's own portal link, e.g. ``"{url}?c={token}"``: every link into the portal
    (``{url}``) becomes this, ``{token}`` the client's token."""
    secret_env: str = "BRIEFEXPORT_SECRET"
    """The environment variable holding the secret tokens are keyed with (never a file)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        check_pattern("copies.watermark", self.watermark, self.WATERMARK_FIELDS)
        if self.portal_link is not None:
            check_pattern("copies.portal_link", self.portal_link, self.LINK_FIELDS)
        if not self.secret_env.replace("_", "").isalnum():
            raise ValueError("'copies.secret_env' must be an environment variable's name")


@record
class BatchSettings(_Table):
    """``[batch]``: where and how long many documents are rendered (``copies``)."""

    table = "batch"

    scheduler: str | None = None
    """A Dask scheduler (``tcp://HOST:PORT``) ``copies`` runs on instead of the local pool
    (``--scheduler``; needs ``pip install briefexport[dask]``)."""
    timeout: float = 120.0
    """Seconds one document may render before it fails, the batch going on (``--timeout``)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if not self.timeout > 0:
            raise ValueError("'batch.timeout' must be a number of seconds above 0")


@record
class WireSettings(_Table):
    """``[wire]``: the newsroom side: the ninjs item and the wire text's character set."""

    table = "wire"

    uri_prefix: str = "urn:briefexport:"
    """A ninjs item's ``uri`` is this followed by the briefing's reference (else its slug and
    date), so that a later version or a kill replaces the item it names."""
    ascii: bool = False
    """Write the wire text in 7-bit ASCII (transliterated), as some wire systems need."""


@record
class ContactSettings(_Table):
    """``[contact]``: the analyst to ask when a briefing names none."""

    table = "contact"

    name: str | None = None
    email: str | None = None
    phone: str | None = None


def pattern_names(pattern: str) -> set[str]:
    """The ``{name}`` placeholders of a URL pattern; ``ValueError`` on unbalanced braces."""
    return {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}


def check_pattern(key: str, pattern: str, allowed: tuple[str, ...]) -> None:
    """Refuse a pattern that is malformed or names a placeholder outside ``allowed``."""
    try:
        names = pattern_names(pattern)
    except ValueError as exc:
        raise ValueError(f"'{key}' is not a valid pattern: {exc}") from None
    unknown = names - set(allowed)
    if unknown:
        raise ValueError(f"'{key}' uses {{{sorted(unknown)[0]}}}; only "
                         + ", ".join(f"{{{n}}}" for n in allowed) + " expand")


@record
class PortalSettings(_Table):
    """``[portal]``: where placeholder calls to action lead."""

    table = "portal"
    #: What ``story_url`` may name.
    STORY_FIELDS: typing.ClassVar[tuple[str, ...]] = ("portal", "slug", "reference", "date")

    url: str | None = None
    label: str = "Client Portal"
    story_url: str | None = None
    """Where an edition teaser's "Read more" leads, e.g. ``"{portal}/briefings/{slug}"``:
    ``{portal}`` (the url above), ``{slug}``, ``{reference}`` and ``{date}`` expand.  Default:
    the story's own call to action that is not the portal, else the portal."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.story_url is not None:
            check_pattern("portal.story_url", self.story_url, self.STORY_FIELDS)


@record
class PdfSettings(_Table):
    """``[pdf]``: the client report."""

    table = "pdf"

    page_size: str = "A4"
    """A CSS page-size keyword (A4, letter, …), optionally followed by landscape."""
    link_urls: str = choice("footnotes", LINK_URL_MODES)
    """How printed pages show link targets: at the foot of each page, at the end, or not."""
    variant: str | None = choice(None, PDF_VARIANTS)
    """The PDF standard to conform to; none gives a plain tagged PDF."""
    allow_remote: bool = False
    """Let the report fetch http(s) resources (never following redirects)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        # The page size ends up in CSS: refuse anything unexpected.
        size = self.page_size.lower().split()
        if not size or size[0] not in PAGE_SIZES or (
                size[1:] and size[1] not in PAGE_ORIENTATIONS) or len(size) > 2:
            raise ValueError(f"'pdf.page_size' must be one of {', '.join(PAGE_SIZES)} "
                             f"(optionally followed by landscape), not {self.page_size!r}")


@record
class UtmSettings(_Table):
    """``[email.utm]``: campaign parameters added to the email's http(s) links.

    ``{slug}`` (the briefing's slug, or its file name) and ``{date}`` (YYYY-MM-DD) expand.
    Nothing is added unless ``source`` is set.
    """

    table = "email.utm"
    #: The fields that become ``utm_*`` parameters, in the order they are added.
    PARAMETERS: typing.ClassVar[tuple[str, ...]] = ("source", "medium", "campaign", "term",
                                                    "content")

    source: str | None = None
    medium: str | None = None
    campaign: str | None = None
    term: str | None = None
    content: str | None = None
    domains: tuple[str, ...] | None = None
    """The hosts whose links are stamped (a subdomain counts as its domain).  Default: the
    portal's host and the hosts of the ``[links]`` URLs; a third-party site's link is never
    stamped."""

    def __post_init__(self) -> None:
        super().__post_init__()
        for name in self.PARAMETERS:
            value = getattr(self, name)
            try:
                names = [used for _, used, _, _ in string.Formatter().parse(value or "")
                         if used is not None]
            except ValueError as exc:
                raise ValueError(f"'email.utm.{name}' is not a valid pattern: {exc}"
                                 ) from None
            for used in names:
                if used not in ("slug", "date"):
                    raise ValueError(f"'email.utm.{name}' uses {{{used}}}; only {{slug}} "
                                     "and {date} expand")


@record
class EmailSettings(_Table):
    """``[email]``: the HTML email and the ``.eml`` message."""

    table = "email"

    width: int = 600
    esp: str = choice("generic", ESP_PROFILES)
    """The campaign tool whose unsubscribe and web-version tags go in the footer."""
    unsubscribe_url: str | None = None
    """The ``generic`` profile's unsubscribe link.  With ``{token}`` or ``{recipient}`` (the
    recipient's address) it names each client copy's recipient and also becomes the copy's
    one-click ``List-Unsubscribe`` (RFC 8058); a fixed URL serves the footer link only."""
    web_version_url: str | None = None
    """A "view in your browser" URL, for profiles without a tag of their own."""
    asset_base_url: str | None = None
    """Where the email's figures are fetched from: a figure's relative path is joined to it
    (``https://assets.example/briefings/`` + ``maps/route.png``)."""
    postal_address: str | None = None
    """The sender's postal address for the footer (CAN-SPAM)."""
    from_address: str | None = None
    """``From`` of the ``.eml``, e.g. ``"Desk <desk@example.com>"``."""
    to_address: str | None = None
    reply_to: str | None = None
    ignore_embargo: bool = False
    """Build the ``.eml`` of a briefing still under embargo (``--ignore-embargo``); by default
    it is refused, so that no message can leave before its time."""
    send_date: str | None = None
    """The ``.eml``'s ``Date``, ISO 8601 with a time zone (``2026-12-03T06:00:00Z``); default:
    the moment the message is built.  ``SOURCE_DATE_EPOCH`` wins over both."""
    utm: UtmSettings = field(default_factory=UtmSettings)
    text_width: int = limits.EMAIL_TEXT_WIDTH
    """Wrap width of the message's plain-text part."""
    size_warning_kb: int = limits.EMAIL_SIZE_WARNING_KB
    """Warn when the HTML is larger than this (kB of 1000 bytes)."""
    size_limit_kb: int = limits.EMAIL_SIZE_LIMIT_KB
    """Gmail clips messages from about this size on; a warning that ``--strict`` makes an error."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.asset_base_url is not None and not self.asset_base_url.lower().startswith(
                "https://"):
            raise ValueError("'email.asset_base_url' must be an https:// URL (mail clients "
                             "block images from plain http)")
        for key in ("unsubscribe_url", "web_version_url"):
            url = getattr(self, key)
            if url is not None and not url.lower().startswith(("https://", "http://",
                                                               "mailto:")):
                raise ValueError(f"'email.{key}' must be an http(s) or mailto: URL")
        if self.unsubscribe_url is not None:
            check_pattern("email.unsubscribe_url", self.unsubscribe_url,
                          UNSUBSCRIBE_PLACEHOLDERS)
        for key in ("from_address", "to_address", "reply_to"):
            value = getattr(self, key)
            if value is not None and ("\r" in value or "\n" in value):  # header injection
                raise ValueError(f"'email.{key}' must be one line")
        if self.send_date is not None:
            self.send_moment()  # raises on a bad value
        if not 0 < self.size_warning_kb <= self.size_limit_kb:
            raise ValueError("'email.size_warning_kb' must be positive and at most "
                             "'email.size_limit_kb'")
        check_width("email.text_width", self.text_width)

    def send_moment(self) -> dt.datetime | None:
        """``send_date`` as an aware datetime (``None`` when unset)."""
        if self.send_date is None:
            return None
        try:
            moment = dt.datetime.fromisoformat(self.send_date.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"'email.send_date' must be ISO 8601 such as "
                             f"2026-12-03T06:00:00Z, not {self.send_date!r}") from None
        if moment.tzinfo is None:
            raise ValueError("'email.send_date' needs a time zone (Z or +01:00)")
        return moment

    def clipped(self, size: int) -> bool:
        """True when an email of ``size`` bytes is one Gmail clips."""
        return size >= self.size_limit_kb * 1000

    def over_budget(self, size: int) -> bool:
        """True when an email of ``size`` bytes is over the budget that warns."""
        return size > self.size_warning_kb * 1000


@record
class TextSettings(_Table):
    """``[text]``: the wire text."""

    table = "text"

    width: int = limits.TEXT_WIDTH

    def __post_init__(self) -> None:
        super().__post_init__()
        check_width("text.width", self.width)


@record
class ThemeSettings(_Table):
    """``[theme]``: a folder of templates and styles searched before the built-in ones."""

    table = "theme"

    dir: str | None = None
    """Theme folder, relative to the config file: ``templates/<format>/…`` and ``styles/…``."""


@record
class EditionSettings(_Table):
    """``[edition]``: newsletter editions that bundle several briefings."""

    table = "edition"

    email_mode: str = choice("full", EMAIL_MODES)
    """``full`` puts every story's text in the email; ``teaser`` its summary and a button."""
    text_references: str = choice("edition", TEXT_REFERENCES)
    """``edition``: one link list for the whole wire text; ``story``: one after each story."""
    read_more_label: str = "Read more"
    """The teaser button's label."""


@record
class Settings:
    """Everything configurable, with the defaults a fresh desk gets."""

    brand: BrandSettings = field(default_factory=BrandSettings)
    portal: PortalSettings = field(default_factory=PortalSettings)
    links: dict[str, str] = field(default_factory=dict)
    """Link text → URL, used to resolve placeholder links."""
    pdf: PdfSettings = field(default_factory=PdfSettings)
    email: EmailSettings = field(default_factory=EmailSettings)
    text: TextSettings = field(default_factory=TextSettings)
    theme: ThemeSettings = field(default_factory=ThemeSettings)
    edition: EditionSettings = field(default_factory=EditionSettings)
    risk: RiskSettings = field(default_factory=RiskSettings)
    contact: ContactSettings = field(default_factory=ContactSettings)
    wire: WireSettings = field(default_factory=WireSettings)
    tiers: TiersSettings = field(default_factory=TiersSettings)
    copies: CopiesSettings = field(default_factory=CopiesSettings)
    batch: BatchSettings = field(default_factory=BatchSettings)
    themes: tuple[Path, ...] = ()
    """Theme folders searched before the built-in templates and styles, first match wins."""
    base_dir: Path = field(default_factory=Path.cwd)
    """The folder relative paths in the config are resolved against."""
    path: Path | None = None
    """The config file read, if any."""

    def replace(self, **changes: Any) -> "Settings":
        """A copy with top-level fields changed."""
        return dataclasses.replace(self, **changes)


#: The config file's tables, by name, in the order ``init`` lists them.
SECTIONS: dict[str, type] = {
    "brand": BrandSettings,
    "portal": PortalSettings,
    "pdf": PdfSettings,
    "email": EmailSettings,
    "text": TextSettings,
    "theme": ThemeSettings,
    "edition": EditionSettings,
    "risk": RiskSettings,
    "contact": ContactSettings,
    "wire": WireSettings,
    "tiers": TiersSettings,
    "copies": CopiesSettings,
    "batch": BatchSettings,
}

def _type_ok(value: Any, annotation: Any) -> bool:
    """A small runtime check for the annotation shapes used by the settings classes."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(_type_ok(value, arg) for arg in typing.get_args(annotation))
    if annotation is type(None):
        return value is None
    if origin is dict:
        key_t, val_t = typing.get_args(annotation)
        return isinstance(value, dict) and all(
            _type_ok(k, key_t) and _type_ok(v, val_t) for k, v in value.items()
        )
    if origin is list or origin is tuple:
        (item_t, *_) = typing.get_args(annotation)
        return isinstance(value, list) and all(_type_ok(v, item_t) for v in value)
    if annotation is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if annotation is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if annotation is Any:
        return True
    return isinstance(value, annotation)


def _type_name(annotation: Any) -> str:
    return str(annotation).replace("typing.", "").replace("<class '", "").replace("'>", "")


def _build(cls: type, table: dict[str, Any], where: str, path: Path,
           warnings: list[Diagnostic]) -> Any:
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls) if f.init}
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in known:
            warnings.append(Diagnostic(str(path), None, f"unknown key '{where}{key}' ignored",
                                       "unknown-key"))
            continue
        if dataclasses.is_dataclass(hints[key]):  # a sub-table such as [email.utm]
            if not isinstance(value, dict):
                raise ConfigError(f"'{where}{key}' must be a table", path)
            values[key] = _build(hints[key], value, f"{where}{key}.", path, warnings)
            continue
        if not _type_ok(value, hints[key]):
            raise ConfigError(
                f"'{where}{key}' must be {_type_name(hints[key])}, not {type(value).__name__}",
                path)
        values[key] = tuple(value) if isinstance(value, list) else value
    try:
        return cls(**values)
    except ValueError as exc:  # a settings class checks its own values in __post_init__
        raise ConfigError(str(exc), path) from None


def parse_settings(data: dict[str, Any], path: Path,
                   warnings: list[Diagnostic]) -> Settings:
    """Turn a parsed TOML document into :class:`Settings`, collecting warnings."""
    values: dict[str, Any] = {"base_dir": path.parent.resolve(), "path": path}
    for key, value in data.items():
        if key in SECTIONS:
            if not isinstance(value, dict):
                raise ConfigError(f"'{key}' must be a table ([{key}])", path)
            values[key] = _build(SECTIONS[key], value, f"{key}.", path, warnings)
        elif key == "links":
            if not isinstance(value, dict) or not all(
                isinstance(v, str) for v in value.values()
            ):
                raise ConfigError("[links] must map link text to URL strings", path)
            values["links"] = dict(value)
        else:
            warnings.append(Diagnostic(str(path), None, f"unknown key '{key}' ignored",
                                       "unknown-key"))
    theme = values.get("theme")
    if theme is not None and theme.dir:
        values["themes"] = (resolve_theme(values["base_dir"] / theme.dir, path),)
    return Settings(**values)


def resolve_theme(folder: Path, path: Path | None = None) -> Path:
    """An existing theme folder as an absolute path; a missing one is a config error.

    A theme that silently fell back to the built-in templates would leave an editor wondering
    why their header did not change.
    """
    if not folder.is_dir():
        raise ConfigError(f"theme folder not found: {folder}", path)
    return folder.resolve()


def load_settings(path: Path | None = None, *,
                  warnings: list[Diagnostic] | None = None) -> Settings:
    """Read ``path``, or ``./briefexport.toml`` when it exists, or return the defaults."""
    sink: list[Diagnostic] = warnings if warnings is not None else []
    path = find_config(path)
    if path is None:
        return Settings()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError("config file not found", path) from None
    except IsADirectoryError:
        raise ConfigError("is a folder, not a config file", path) from None
    except OSError as exc:
        raise ConfigError(f"cannot read config: {exc.strerror}", path) from None
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not UTF-8 (byte {exc.start})", path) from None
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message ends "(at line N, column M)"; keep it, it names the place.
        raise ConfigError(f"invalid TOML: {exc}", path) from None
    return parse_settings(data, path, sink)
