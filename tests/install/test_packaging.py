"""The wheel and sdist hold what an operator needs and nothing else."""

import email
import re
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "dcos_dashboard"


def package_files() -> set[str]:
    """Every file of the package in the checkout, as wheel paths."""
    return {
        path.relative_to(ROOT).as_posix()
        for path in PACKAGE.rglob("*")
        if path.is_file()
        and "__pycache__" not in path.parts
        and path.suffix not in (".pyc", ".pyo")
    }


def wheel_names(wheel) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def wheel_metadata(wheel):
    with zipfile.ZipFile(wheel) as archive:
        [name] = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        return email.message_from_bytes(archive.read(name))


def sdist_names(sdist) -> set[str]:
    with tarfile.open(sdist) as archive:
        # "dcos_dashboard-0.1.0/docs/x.md" -> "docs/x.md"
        return {n.split("/", 1)[1] for n in archive.getnames() if "/" in n}


def test_the_wheel_holds_every_file_of_the_package(dists):
    wheel, _ = dists
    names = wheel_names(wheel)
    expected = package_files()
    assert expected - names == set()
    # Spelled out, so an empty package tree cannot pass the line above.
    for needed in (
        "dcos_dashboard/templates/dcos_dashboard/",
        "dcos_dashboard/static/dcos_dashboard/",
        "dcos_dashboard/panels/bays/templates/",
        "dcos_dashboard/conf/default_policies/magnum.yaml",
        "dcos_dashboard/conf/magnum_policy.yaml",
        "dcos_dashboard/enabled/_1380_dcos_panel_group.py",
        "dcos_dashboard/enabled/_1381_dcos_baymodels_panel.py",
        "dcos_dashboard/enabled/_1382_dcos_bays_panel.py",
        "dcos_dashboard/local_settings.d/_1380_dcos_dashboard.py",
    ):
        assert any(n.startswith(needed) for n in names), needed
    assert any(n.endswith(".scss") for n in names)
    assert any(n.endswith(".html") for n in names)
    # Translations ship compiled, beside their sources, whenever the
    # package has any (the generic line above holds them in too).
    for mo in PACKAGE.glob("locale/*/LC_MESSAGES/*.mo"):
        assert mo.relative_to(ROOT).as_posix() in names


def test_the_wheel_holds_nothing_but_the_package(dists):
    wheel, _ = dists
    names = wheel_names(wheel)
    tops = {n.split("/", 1)[0] for n in names}
    assert tops == {"dcos_dashboard", "dcos_dashboard-0.1.0.dist-info"}
    assert not any(n.startswith("dcos_dashboard/test/") for n in names)
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)
    assert "dcos_dashboard-0.1.0.dist-info/licenses/LICENSE" in names


def test_the_wheel_metadata(dists):
    wheel, _ = dists
    meta = wheel_metadata(wheel)
    assert meta["Name"] == "dcos-dashboard"
    assert meta["Requires-Python"] == ">=3.10"
    assert meta["License"] == "Apache-2.0"
    assert "LICENSE" in meta.get_all("License-File")
    requires = {
        r.split(">", 1)[0].split("=", 1)[0] for r in meta.get_all("Requires-Dist")
    }
    assert {"horizon", "python-magnumclient", "urllib3", "orjson"} <= requires
    # The long description is the README, whose links into docs/ the sdist keeps.
    assert meta.get_payload().startswith("# dcos-dashboard")


def test_the_sdist_holds_the_docs_the_readme_links_and_no_development_tree(dists):
    _, sdist = dists
    names = sdist_names(sdist)
    assert {"LICENSE", "README.md", "setup.cfg", "pyproject.toml"} <= names
    docs = {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "docs").rglob("*")
        if p.is_file()
    }
    assert docs and docs <= names
    readme = (ROOT / "README.md").read_text()
    for link in set(re.findall(r"\]\((docs/[^)#\s]+)", readme)):
        assert link in names, link
    assert package_files() <= names
    for folder in (
        "tests/",
        "dcos_sandbox/",
        "devenv/",
        "bench/",
        "dcos_dashboard/test/",
    ):
        assert not any(n.startswith(folder) for n in names), folder
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)
