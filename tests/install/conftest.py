"""The wheel and sdist as `python -m build` makes them from this checkout.

Built once per session from a copy of the working tree (build leaves
``*.egg-info`` and ``build/`` behind; the checkout stays clean), in build's
own isolated environment: what pyproject.toml's build-system asks for, from
PyPI or pip's cache.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Never copied: what is not source (the shared venv, run state, outputs).
_NOT_SOURCE = shutil.ignore_patterns(
    ".git",
    ".venv",
    ".sandbox",
    "artifacts",
    "static_root",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    "*.pyc",
    ".pytest_cache",
    ".ruff_cache",
)


def run(argv, timeout=900, **kw):
    """Run argv; on failure, fail the test with its output's tail."""
    result = subprocess.run(
        [str(a) for a in argv],
        capture_output=True,
        text=True,
        timeout=timeout,
        **kw,
    )
    if result.returncode:
        tail = (result.stdout + result.stderr).strip().splitlines()[-25:]
        pytest.fail(
            f"{' '.join(map(str, argv))} exited with {result.returncode}:\n"
            + "\n".join(tail)
        )
    return result


@pytest.fixture(scope="session")
def dists(tmp_path_factory):
    """(wheel path, sdist path)."""
    work = tmp_path_factory.mktemp("build")
    source = work / "src"
    shutil.copytree(ROOT, source, ignore=_NOT_SOURCE, symlinks=True)
    out = work / "dist"
    # No --wheel: build makes the sdist, then the wheel from it, so a file
    # the sdist forgets is missing from the wheel too.
    run([sys.executable, "-m", "build", "--outdir", out, source])
    [wheel] = out.glob("*.whl")
    [sdist] = out.glob("*.tar.gz")
    return wheel, sdist
