"""How messages quote what a person typed, and the marker for translation."""

from __future__ import annotations

from collections.abc import Iterable
from gettext import NullTranslations

# Marks messages for extraction without I/O: stdlib gettext() would look for
# catalogues on disk at every call, and this module does no I/O.
_catalogue = NullTranslations()
_gettext = _catalogue.gettext


def _(message: str) -> str:
    return _gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _catalogue.ngettext(singular, plural, count)


def gettext_noop(message: str) -> str:
    # Catalogue strings are built at import time, before any language is
    # active: marked here for extraction, translated where they are shown.
    return message


_SHOWN_MAX = 80


def clip(value: str) -> str:
    if len(value) > _SHOWN_MAX:
        value = value[: _SHOWN_MAX - 3] + "..."
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in value)


def code(value: str) -> str:
    return "`" + clip(value) + "`"


def literal(text: str) -> str:
    """Our own example text, shown whole."""
    return "`" + text + "`"


def codes(values: Iterable[str]) -> str:
    return ", ".join(code(value) for value in values)
