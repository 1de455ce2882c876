"""The front matter of an intelligence product: TLP marking, risk rating, contact and key
judgements, each checked for its kind with the key and line named in the error."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from briefexport.choices import RISK_TRENDS, TLP_MARKINGS
from briefexport.config import ContactSettings, RiskSettings
from briefexport.model import Contact, RiskRating
from briefexport.names import one_line
from briefexport.source.frontmatter import key_error

#: A phone number as people write one: digits, spaces, + ( ) - . and /.
_PHONE_RE = re.compile(r"^\+?[\d\s().\-/]{5,30}$")
#: An address with one @ and a dot in its domain; the mail system judges the rest.
_EMAIL_RE = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$")


def marking_field(fm: Mapping[str, Any], path: str) -> str | None:
    """``marking``: a TLP 2.0 label, any case; a bare colour (``amber``) means its label."""
    value = fm.get("marking")
    if value is None:
        return None
    if isinstance(value, str):
        label = "".join(value.split()).upper()
        if not label.startswith("TLP:"):
            label = f"TLP:{label}"
        if label in TLP_MARKINGS:
            return label
    raise key_error(fm, "marking", f"must be a TLP 2.0 label ({', '.join(TLP_MARKINGS)}), "
                    f"not {one_line(str(value))[:40]!r}", path)


def _level(fm: Mapping[str, Any], value: Any, scale: RiskSettings, path: str,
           where: str | None) -> str:
    level = scale.level(value) if isinstance(value, str) else None
    if level is None:
        name = f"'{where}' " if where else ""
        raise key_error(fm, "risk", f"{name}must be a level on the scale "
                        f"({', '.join(scale.levels)}), not {one_line(str(value))[:40]!r}",
                        path, where)
    return level


def risk_field(fm: Mapping[str, Any], scale: RiskSettings, path: str) -> RiskRating | None:
    """``risk``: a level, or a map of ``overall``, ``trend`` and named categories."""
    value = fm.get("risk")
    if value is None:
        return None
    line = fm.line("risk") if hasattr(fm, "line") else None
    if isinstance(value, str):
        return RiskRating(overall=_level(fm, value, scale, path, None), line=line)
    if not isinstance(value, dict) or not value:
        raise key_error(fm, "risk", "must be a level or a map of overall, trend and "
                        "categories", path)
    overall = trend = None
    categories = []
    for key, item in value.items():
        name = str(key).strip()
        if name == "overall":
            overall = _level(fm, item, scale, path, name)
        elif name == "trend":
            trend = item.strip().lower() if isinstance(item, str) else None
            if trend not in RISK_TRENDS:
                raise key_error(fm, "risk", f"'trend' must be one of {', '.join(RISK_TRENDS)}"
                                f", not {one_line(str(item))[:40]!r}", path, name)
        else:
            categories.append((one_line(name), _level(fm, item, scale, path, name)))
    return RiskRating(overall, trend, tuple(categories), line)


def contact_field(fm: Mapping[str, Any], default: ContactSettings, path: str
                  ) -> Contact | None:
    """``contact`` (``{name, email, phone}``), else the config's ``[contact]``."""
    value = fm.get("contact")
    if value is None:
        contact = Contact(default.name, default.email, default.phone)
        return contact or None
    if not isinstance(value, dict) or set(value) - {"name", "email", "phone"}:
        raise key_error(fm, "contact", "must be a map of name, email and phone", path)
    parts = {}
    for key in ("name", "email", "phone"):
        item = value.get(key)
        if item is not None and (isinstance(item, dict | list | bool)):
            raise key_error(fm, "contact", f"'{key}' must be text", path, key)
        parts[key] = one_line(str(item)) if item is not None else None
    if parts["email"] and not _EMAIL_RE.match(parts["email"]):
        raise key_error(fm, "contact", f"'email' is not an address: {parts['email'][:60]!r}",
                        path, "email")
    if parts["phone"] and not _PHONE_RE.match(parts["phone"]):
        raise key_error(fm, "contact", f"'phone' is not a phone number: "
                        f"{parts['phone'][:40]!r}", path, "phone")
    return Contact(**parts) or None


def judgement_texts(fm: Mapping[str, Any], path: str) -> list[tuple[str, int | None]]:
    """``key_judgements``: the Markdown of each judgement, with its line."""
    value = fm.get("key_judgements")
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or any(
            not isinstance(item, str | int | float) or isinstance(item, bool) for item in value):
        raise key_error(fm, "key_judgements", "must be a list of sentences", path)
    line_of = getattr(fm, "line", None)
    return [(one_line(str(item)), line_of("key_judgements", n) if line_of else None)
            for n, item in enumerate(value) if str(item).strip()]
