"""The text form of labels: parse what a person types, format, canonicalise."""

from __future__ import annotations

import re
from collections.abc import Mapping

from .catalogue import SECRET_KEYS, mask_secret, specs_of
from .messages import _, code

# Magnum keeps a bay's or model's labels as JSON in one TEXT column (magnum
# db/sqlalchemy/models.py, labels = Column(JSONEncodedDict)): 65,535 bytes
# on MySQL, so longer label text could never be stored anyway.
MAX_TEXT_CHARS = 65_535

_KEY_CHARS = "A-Za-z0-9_.-"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# A fragment that opens a pair; the key may be empty so that "=x" is reported.
_PAIR = re.compile(rf"([{_KEY_CHARS}]*)\s*=\s*(.*)", re.DOTALL)


def parse_labels(text: str) -> dict[str, str]:
    """Read the ``key=value`` text a person types into a label map."""
    if not isinstance(text, str):
        raise ValueError(_("Labels must be given as text."))
    # A line break counts once, as a browser's maxlength counts it, though
    # the form sends it as CRLF.
    length = len(text) - text.count("\r\n")
    if length > MAX_TEXT_CHARS:
        # Refused before any splitting: 1 MB of pairs costs seconds to check.
        raise ValueError(
            _(
                "The labels are %(length)s characters long; at most %(max)s "
                "are accepted. Remove some labels or shorten their values."
            )
            % {"length": f"{length:,}", "max": f"{MAX_TEXT_CHARS:,}"}
        )
    parts: dict[str, list[str]] = {}
    for number, line in enumerate(_LINE_BREAK.split(text), start=1):
        current: list[str] | None = None
        for raw in line.split(","):
            fragment = raw.strip()
            if not fragment:
                continue
            match = _PAIR.match(fragment)
            if match is None:
                if current is None:
                    raise ValueError(
                        _(
                            "Line %(line)d: %(fragment)s comes before any "
                            "label name; start the line with `name=value`."
                        )
                        % {"line": number, "fragment": code(fragment)}
                    )
                current.append(fragment)
                continue
            key, value = match.group(1), match.group(2)
            if not key:
                raise ValueError(
                    _("Line %(line)d: %(fragment)s has no label name before `=`.")
                    % {"line": number, "fragment": code(fragment)}
                )
            if key in parts:
                raise ValueError(
                    _(
                        "Line %(line)d: %(fragment)s gives the label %(key)s a "
                        "second time; keep one of the two."
                    )
                    % {
                        "line": number,
                        "fragment": code(_shown_pair(key, value)),
                        "key": code(key),
                    }
                )
            current = parts[key] = [value]
    return {key: ",".join(values) for key, values in parts.items()}


def format_labels(labels: Mapping[str, str]) -> str:
    """Write a label map as text, one ``key=value`` a line, in map order."""
    return "\n".join(f"{key}={value}" for key, value in labels.items())


def _shown_pair(key: str, value: str) -> str:
    if key in SECRET_KEYS:
        return f"{key}={mask_secret(value)}"
    return f"{key}={value}"


# --------------------------------------------------------------------------
# Canonical form


def list_items(value: str) -> list[str]:
    return [item for item in (raw.strip() for raw in value.split(",")) if item]


def canonicalize_labels(coe: str, labels: Mapping[str, str]) -> dict[str, str]:
    """The labels as they are sent to Magnum."""
    specs = specs_of(coe)
    result: dict[str, str] = {}
    for key, value in labels.items():
        spec = specs.get(key)
        if not isinstance(value, str):
            result[key] = value
            continue
        text = value.strip()
        if spec is None:
            result[key] = text
        elif spec.kind == "boolean":
            result[key] = text.lower()
        elif spec.kind in ("enum_list", "hostport_list"):
            items = list_items(text)
            if spec.any_case:
                items = [item.lower() for item in items]
            result[key] = ",".join(items)
        elif spec.kind == "domain_list":
            result[key] = " ".join(text.split())
        else:
            result[key] = text
    return result
