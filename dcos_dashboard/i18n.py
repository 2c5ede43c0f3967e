"""The pure cores' messages in the user's language.

``labels`` and ``health`` import nothing of Django, so their sentences are
``Message`` objects (English ``str`` plus message id and parameters); this is
where Django's gettext turns one into the active language. Anything else is
returned unchanged, so callers need not know where a sentence came from.
"""

from django.utils.translation import gettext, ngettext

from dcos_dashboard.labels.messages import Message


def translate(text):
    """``text`` in the active language when it is a core's Message."""
    if isinstance(text, Message):
        return text.translated(gettext, ngettext)
    return text


def error_text(error: Exception) -> str:
    """A core's ValueError as a sentence in the active language."""
    if error.args:
        return str(translate(error.args[0]))
    return str(error)
