"""Source file → :class:`~briefexport.model.Briefing`.

The only code that opens a briefing.  It decodes (BOM, CRLF), splits the YAML front matter,
finds the headline, parses the body once and resolves placeholder links, so that a briefing
that reaches a writer is complete: a missing title fails here, not inside a template.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from briefexport.config import Settings
from briefexport.errors import SourceError
from briefexport.markdown import Converter, cta_label, parser, plain_text
from briefexport.model import Briefing, CallToAction, Diagnostic, Metadata

#: Refuse larger sources unless the caller raises the limit: a briefing is a few KB.
DEFAULT_MAX_BYTES = 5 * 1024 * 1024

KNOWN_KEYS = frozenset({
    "title", "slug", "date", "author", "region", "tags", "lang", "summary",
    "classification", "reference", "cta", "links",
})

# A slug is a short run of capitals (with spaces, digits and a little punctuation) before
# a colon: MALI, BURKINA FASO, DR CONGO, CÔTE D'IVOIRE.
_SLUG_RE = re.compile(r"^\s*([^\W\d_a-z][^:a-z]{0,39}?)\s*:\s+(\S.*)$")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])([\"'”’)]?)\s+(?=[\"'“‘(]?[A-Z0-9])")
# Words that end in a full stop mid-sentence in briefings: titles, ranks and the like.
_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cpt", "sgt", "adm",
    "brig", "cdr", "cmdr", "gov", "sen", "rep", "pres", "amb", "st", "mt", "ft", "no", "nos",
    "vol", "fig", "approx", "est", "dept", "inc", "ltd", "co", "corp", "jr", "sr", "vs", "al",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
})
# An initial or a run of initials: J, U.S, U.N.
_INITIALS_RE = re.compile(r"(?:[^\W\d_]\.)*[^\W\d_]")
_LANG_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


#: How a front matter that is not a mapping is named in the error.
_YAML_KINDS: dict[type, str] = {list: "a list", str: "a string", int: "a number",
                                float: "a number", bool: "true or false"}

# --------------------------------------------------------------------------- decoding


def decode(raw: bytes, path: str) -> str:
    """UTF-8 (with or without BOM) → text with ``\\n`` line endings; anything else is refused."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError("is UTF-16 (it starts with a UTF-16 byte-order mark); "
                          "save it as UTF-8", path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"is not UTF-8: invalid byte 0x{raw[exc.start]:02x} at byte offset "
                          f"{exc.start}", path) from None
    if "\x00" in text:
        raise SourceError(f"contains a NUL byte at character {text.index(chr(0))}; "
                          "is it a binary file?", path)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str, path: str) -> tuple[dict[str, Any], str, int]:
    """Return (front matter, body, number of lines before the body)."""
    if not text.startswith("---\n") and text.rstrip("\n") != "---":
        return {}, text, 0
    lines = text.split("\n")
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            break
    else:
        raise SourceError("front matter opened with '---' on line 1 is never closed", path, 1)
    block = "\n".join(lines[1:index])
    import yaml  # here: a source without front matter, like the seed, never pays for PyYAML

    try:
        data = yaml.safe_load(block) if block.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else None
        problem = getattr(exc, "problem", None) or "does not parse"
        raise SourceError(f"front matter is not valid YAML: {problem}", path, line) from None
    except RecursionError:
        # PyYAML's composer recurses once per nesting level.
        raise SourceError("front matter is nested too deeply", path, 2) from None
    except (ValueError, OverflowError) as exc:
        # PyYAML builds dates and numbers after parsing: `date: 2026-13-45` parses, then fails.
        raise SourceError(f"front matter has a value that is not valid: {exc}", path) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SourceError(
            "front matter must be a mapping of keys to values, not "
            f"{_YAML_KINDS.get(type(data), type(data).__name__)}",
            path, 2)
    return data, "\n".join(lines[index + 1:]), index + 1


# --------------------------------------------------------------------------- metadata


def split_slug(headline: str) -> tuple[str | None, str]:
    """``"MALI: Coup"`` → ``("MALI", "Coup")``; a headline without a capital slug is kept whole."""
    match = _SLUG_RE.match(headline)
    if match and match[1] == match[1].upper() and any(c.isalpha() for c in match[1]):
        return match[1].strip(), match[2].strip()
    return None, headline.strip()


def first_sentence(text: str) -> str:
    """The first sentence of a paragraph (a summary for a briefing that has none).

    A full stop after a title (``Col. Goïta``), an initial (``J. Smith``) or initials
    (``the U.S. Treasury``) does not end the sentence.
    """
    text = text.strip()
    for end in _SENTENCE_END_RE.finditer(text):
        before = text[:end.start()]  # up to the stop; group 1 is a closing quote or bracket
        words = before[:-1].split()
        if before.endswith(".") and words and _abbreviation(words[-1]):
            continue
        return text[:end.end(1)].strip()
    return text


def _abbreviation(word: str) -> bool:
    word = word.lstrip("\"'“‘(")
    return word.lower() in _ABBREVIATIONS or bool(_INITIALS_RE.fullmatch(word))


def one_line(text: str) -> str:
    """Metadata is one line: CR, LF and every other control or separator character become
    a space, so a headline can never start a new mail header or terminal sequence."""
    return " ".join("".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c
                            for c in text).split())


def _str_field(fm: Mapping[str, Any], key: str, path: str) -> str | None:
    value = fm.get(key)
    if value is None:
        return None
    if isinstance(value, bool | dict | list):
        raise SourceError(f"front matter '{key}' must be text, not {type(value).__name__}", path)
    return one_line(str(value)) or None


def _date_field(value: Any, path: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise SourceError(f"front matter 'date' must be a date as YYYY-MM-DD, not {value!r}", path)


def _tags_field(value: Any, path: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):  # a lone tag written without list brackets
        return (value,)
    if not isinstance(value, list) or any(isinstance(v, dict | list) for v in value):
        raise SourceError("front matter 'tags' must be a list of words", path)
    return tuple(str(v) for v in value)


def _links_field(value: Any, path: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise SourceError("front matter 'links' must map link text to a URL", path)
    return {str(k): v for k, v in value.items()}


def _cta_field(value: Any, path: str) -> list[tuple[str, str]]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    out = []
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict) or not isinstance(item.get("label"), str):
            raise SourceError(f"front matter 'cta' entry {n} needs a 'label' and a 'url'", path)
        url = item.get("url")
        if url is None:
            raise SourceError(f"front matter 'cta' entry {n} ('{item['label']}') has no 'url'; "
                              "write url: '#' to use the portal", path)
        if not isinstance(url, str):
            raise SourceError(f"front matter 'cta' entry {n} has a 'url' that is not text", path)
        out.append((item["label"], url))
    return out


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def make_resolver(fm_links: Mapping[str, str], settings: Settings):  # noqa: ANN201
    """Placeholder resolution: front matter ``links``, then ``[links]``, then the portal."""
    tables = [{_norm(k): v for k, v in fm_links.items()},
              {_norm(k): v for k, v in settings.links.items()}]

    def resolve(text: str, is_cta: bool) -> str | None:
        key = _norm(text)
        for table in tables:
            if key in table and table[key].strip() not in ("", "#"):
                return table[key]
        if is_cta:
            return settings.portal.url
        return None

    return resolve


# --------------------------------------------------------------------------- reading


def read_text(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Open and decode a source, with clear errors for every way that can fail."""
    name = str(path)
    if path.is_dir():
        raise SourceError("is a folder, not a briefing file", name)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SourceError(f"is {size / 1_048_576:.1f} MB, over the {max_bytes // 1_048_576} "
                              "MB limit for a briefing (raise it with --max-size)", name)
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SourceError("no such file", name) from None
    except PermissionError:
        raise SourceError("permission denied", name) from None
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror}", name) from None
    text = decode(raw, name)
    if not text.strip():
        raise SourceError("is empty" if not text else "contains only white space", name)
    return text


def parse(text: str, path: Path, settings: Settings | None = None, *,
          default_date: dt.date | None = None) -> Briefing:
    """Parse decoded source text into a :class:`Briefing`."""
    settings = settings or Settings()
    name = str(path)
    fm, body, offset = split_front_matter(text, name)
    warnings: list[Diagnostic] = []
    for key in fm:
        if key not in KNOWN_KEYS:
            warnings.append(Diagnostic(name, None,
                                       f"unknown front matter key '{key}' (kept for templates)",
                                       "unknown-key"))

    md = parser()
    title = _str_field(fm, "title", name)
    slug = _str_field(fm, "slug", name)
    if title is None:
        # No title in front matter: the first non-blank line is the headline.
        lines = body.split("\n")
        index = next((i for i, line in enumerate(lines) if line.strip()), None)
        if index is None:
            raise SourceError("has no headline: the body is empty and there is no 'title'",
                              name)
        head_tokens = md.parse(lines[index])
        inline = next((t for t in head_tokens if t.type == "inline"), None)
        conv = Converter(name, lambda _t, _c: None)
        title = plain_text(conv.inlines(inline.children or [], None)).strip() if inline else ""
        if not title:
            raise SourceError("has no headline on its first line", name, offset + index + 1)
        body = "\n".join(lines[index + 1:])
        offset += index + 1
    title = one_line(title)
    if slug is None:
        slug, title = split_slug(title)

    fm_links = _links_field(fm.get("links"), name)
    conv = Converter(name, make_resolver(fm_links, settings), line_offset=offset)
    blocks = list(conv.blocks(md.parse(body)))
    for label, url in _cta_field(fm.get("cta"), name):
        clean = cta_label(label) or label
        cta = CallToAction(clean, conv.make_link(clean, url, None, cta=True))
        conv.ctas.append(cta)
        blocks.append(cta)

    summary = _str_field(fm, "summary", name)
    if summary is None:
        lead = next((b for b in blocks if type(b).__name__ == "Paragraph"), None)
        if lead is not None:
            summary = one_line(first_sentence(plain_text(lead.children))) or None  # type: ignore[union-attr]

    lang = _str_field(fm, "lang", name) or "en"
    if not _LANG_RE.match(lang):
        raise SourceError(f"front matter 'lang' must be a language tag such as 'en' or 'fr-FR', "
                          f"not {lang!r}", name)
    date = _date_field(fm.get("date"), name) or default_date
    if date is None:
        try:
            date = dt.date.fromtimestamp(path.stat().st_mtime)
        except OSError:
            date = None
    meta = Metadata(
        title=title,
        slug=slug,
        date=date,
        author=_str_field(fm, "author", name),
        region=_str_field(fm, "region", name),
        tags=_tags_field(fm.get("tags"), name),
        lang=lang,
        summary=summary,
        classification=_str_field(fm, "classification", name),
        reference=_str_field(fm, "reference", name),
        extra=tuple((k, v) for k, v in fm.items() if k not in KNOWN_KEYS),
    )
    return Briefing(meta=meta, blocks=tuple(blocks), links=tuple(conv.links),
                    ctas=tuple(conv.ctas), source=path,
                    warnings=tuple(warnings + conv.warnings))


def read(path: Path | str, settings: Settings | None = None, *,
         default_date: dt.date | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Briefing:
    """Read one briefing file."""
    path = Path(path)
    return parse(read_text(path, max_bytes=max_bytes), path, settings, default_date=default_date)
