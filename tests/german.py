"""A test-only German catalogue for the sentences the language tests check.

No real translation ships yet (docs/i18n.md): each test that switches the
language writes this one where Django looks, so an assertion can only pass
if that sentence went through Django's gettext.
"""

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

UNKNOWN_KEY = "%(label)s is not a label of %(coe)s bays. Did you mean %(suggestion)s?"
GERMAN = {
    UNKNOWN_KEY: (
        "%(label)s ist kein Label von %(coe)s-Bays. Meinten Sie %(suggestion)s?"
    ),
    "All %(listed)s agents healthy": "Alle %(listed)s Agenten gesund",
    "Bay Models": "Bay-Modelle",
    ("Delete Bay", "Delete Bays"): ("Bay löschen", "Bays löschen"),
    ("\u2026 and %(count)s more problem.", "\u2026 and %(count)s more problems."): (
        "\u2026 und %(count)s weiteres Problem.",
        "\u2026 und %(count)s weitere Probleme.",
    ),
}
SEEN_IN_GERMAN = "`isolaton` ist kein Label von `dcos`-Bays. Meinten Sie `isolation`?"


def write_german_catalogue(locale_dir: Path) -> Path:
    """Write de/LC_MESSAGES/django.mo under ``locale_dir`` (a LOCALE_PATHS entry)."""
    catalogue = Catalog(locale="de", domain="django")
    for msgid, msgstr in GERMAN.items():
        catalogue.add(msgid, msgstr)
    folder = Path(locale_dir) / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "django.mo", "wb") as mo:
        write_mo(mo, catalogue)
    return Path(locale_dir)
