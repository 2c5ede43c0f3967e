"""The shipped message catalogue lists every sentence the code marks.

``makemessages`` (GNU gettext's xgettext) is run on a copy of the package
and its message ids compared with dcos_dashboard/locale/en: a sentence added
without regenerating the catalogue could never be translated.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "dcos_dashboard"
LOCALE = PACKAGE / "locale" / "en" / "LC_MESSAGES"
REGENERATE = (
    "cd dcos_dashboard && for d in django djangojs; do "
    "PYTHONPATH=.. DJANGO_SETTINGS_MODULE=tests.settings python -m django "
    'makemessages -d "$d" -l en --no-obsolete --add-location file '
    "--ignore 'test/*'; done && python -m django compilemessages"
)


def msgids(path: Path) -> set:
    with open(path, "rb") as po:
        return {message.id for message in read_po(po) if message.id}


def test_catalogue_lists_every_marked_sentence(tmp_path):
    copy = tmp_path / "dcos_dashboard"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.rmtree(copy / "locale")
    (copy / "locale").mkdir()
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
    }
    for domain in ("django", "djangojs"):
        subprocess.run(
            [sys.executable, "-m", "django", "makemessages", "-d", domain]
            + ["-l", "en", "--ignore", "test/*"],
            cwd=copy,
            env=env,
            check=True,
            capture_output=True,
        )
        fresh = msgids(copy / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po")
        shipped = msgids(LOCALE / f"{domain}.po")
        assert fresh == shipped, f"{domain}.po is stale; regenerate: {REGENERATE}"
        assert (LOCALE / f"{domain}.mo").is_file()
    # A sentence of each pure core is among them.
    core_sentences = msgids(LOCALE / "django.po")
    assert "All %(listed)s agents healthy" in core_sentences
    assert "%(label)s is not a label of %(coe)s bays. Did you mean %(suggestion)s?" in (
        core_sentences
    )
