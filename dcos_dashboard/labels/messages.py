"""Messages that can be translated later, and how they quote what was typed.

The pure cores (labels, health) import nothing of Django, so they cannot
translate: ``_()`` returns a ``Message``, an English ``str`` that also keeps
its message id and parameters. The panel turns it into the user's language
with ``translated()`` and Django's gettext (``dcos_dashboard.i18n``). Every
``_()``/``ngettext()`` here is found by ``makemessages`` like Django's own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable


class Message(str):
    """An English sentence that remembers its message id and parameters."""

    msgid: str
    plural: str | None
    count: int | None
    params: dict | None

    def __new__(
        cls,
        msgid: str,
        params: dict | None = None,
        plural: str | None = None,
        count: int | None = None,
    ) -> Message:
        english = plural if plural is not None and count != 1 else msgid
        if params is not None:
            english = english % params
        self = super().__new__(cls, english)
        self.msgid, self.params, self.plural, self.count = msgid, params, plural, count
        return self

    def __mod__(self, params: dict) -> Message:
        return Message(self.msgid, params, self.plural, self.count)

    def translated(
        self,
        gettext: Callable[[str], str],
        ngettext: Callable[[str, str, int], str],
    ) -> str:
        """This message in the language ``gettext``/``ngettext`` speak."""
        if self.plural is None:
            template = gettext(self.msgid)
        else:
            template = ngettext(self.msgid, self.plural, self.count)
        if self.params is None:
            return template
        return template % {
            name: value.translated(gettext, ngettext)
            if isinstance(value, Message)
            else value
            for name, value in self.params.items()
        }


def _(message: str) -> Message:
    return Message(message)


def ngettext(singular: str, plural: str, count: int) -> Message:
    return Message(singular, None, plural, count)


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
