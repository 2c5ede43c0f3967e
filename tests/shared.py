"""The recorded Mesos and DC/OS answers in ``shared/fixtures/mesos``.

``shared/`` sits beside the repository (SOURCES.md there says where each
file comes from). It is looked for, in order: at ``$DCOS_SHARED_DIR``;
beside this checkout; beside the checkout this one was cloned from, when
that is a local path (``git clone . /tmp/fresh`` of a checkout that has it).
"""

import functools
import json
import os
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _origin() -> Path | None:
    try:
        url = subprocess.run(
            ["git", "-C", str(ROOT), "config", "--get", "remote.origin.url"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout.strip()
    except OSError:
        return None
    if url.startswith("file://"):
        url = urlsplit(url).path
    if not url or "://" in url or (":" in url and not url.startswith("/")):
        return None  # a remote, not a folder on this machine
    return (ROOT / url).resolve()


@functools.cache
def shared_dir() -> Path | None:
    candidates = [os.environ.get("DCOS_SHARED_DIR"), ROOT.parent / "shared"]
    origin = _origin()
    if origin is not None:
        candidates.append(origin.parent / "shared")
    for candidate in candidates:
        if candidate and (Path(candidate) / "fixtures" / "mesos").is_dir():
            return Path(candidate)
    return None


def mesos_fixture(name: str):
    """A recorded answer, decoded; the test fails saying where it looked."""
    shared = shared_dir()
    path = shared / "fixtures" / "mesos" / name if shared else None
    if path is None or not path.is_file():
        pytest.fail(
            f"missing Mesos fixture {name}: put shared/ beside the repository"
            " (or set DCOS_SHARED_DIR); see shared/fixtures/mesos/SOURCES.md"
        )
    return json.loads(path.read_text())
