"""An operator's install, following the README word for word, into a fresh
virtualenv that holds only Horizon 27 (and gunicorn to serve it), then its
removal, after which Horizon starts as if the plugin had never been there.

The virtualenv with Horizon alone is built once and cached (keyed by
constraints.txt and the Python version); each run works on a copy of it, so
what the plugin's install adds never leaks into the next run. pip's own
cache keeps the plugin's dependencies (python-magnumclient, orjson) cheap.
"""

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

from dcos_sandbox.config import free_port
from tests.install.conftest import ROOT, run

HORIZON = "horizon==27.0.0"
BRANDING = "Install Test Cloud"
PLUGIN_CSS = ".dcos-health-healthy"
INSTALLING = "Installing the plugin into an existing Horizon"


def cache_dir() -> Path:
    base = (
        Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        / "dcos-dashboard"
    )
    key = hashlib.sha256(
        (ROOT / "constraints.txt").read_bytes()
        + f"{HORIZON} gunicorn {sys.version}".encode()
    ).hexdigest()[:16]
    return base / f"horizon-venv-{key}"


def horizon_only_venv() -> Path:
    """The cached virtualenv holding Horizon 27 and gunicorn, built if absent."""
    venv = cache_dir()
    if (venv / ".complete").exists():
        return venv
    building = venv.with_name(venv.name + f".building-{os.getpid()}")
    shutil.rmtree(building, ignore_errors=True)
    run([sys.executable, "-m", "venv", building])
    run(
        [
            building / "bin" / "python",
            "-m",
            "pip",
            "install",
            "--quiet",
            "-c",
            ROOT / "constraints.txt",
            HORIZON,
            "gunicorn",
        ],
        timeout=1800,
    )
    (building / ".complete").touch()
    shutil.rmtree(venv, ignore_errors=True)
    building.rename(venv)
    return venv


def readme_block(heading: str) -> str:
    """The first ```sh block under a README heading."""
    text = (ROOT / "README.md").read_text()
    section = text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return re.search(r"```sh\n(.*?)```", section, re.S).group(1)


def operator_local_settings(keystone_port: int, static_root: Path) -> str:
    """What an existing Horizon's local_settings.py already says."""
    return f"""
DEBUG = False
SECRET_KEY = "install-test-only"
ALLOWED_HOSTS = ["127.0.0.1"]
OPENSTACK_HOST = "127.0.0.1"
OPENSTACK_KEYSTONE_URL = "http://127.0.0.1:{keystone_port}/v3"
SITE_BRANDING = "{BRANDING}"
STATIC_ROOT = "{static_root}"
COMPRESS_OFFLINE = True
CACHES = {{"default": {{"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}}}
"""


class Horizon:
    """The copied virtualenv and what the README's shell variables name."""

    def __init__(self, venv: Path, work: Path):
        self.venv = venv
        self.py = venv / "bin" / "python"
        self.work = work
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO")},
            "PY": str(self.py),
            "PYTHONPATH": "",
        }
        self.env.pop("VIRTUAL_ENV", None)
        self.root = Path(
            run(
                [self.py, "-c", "import openstack_dashboard as o; print(o.__file__)"],
                env=self.env,
            ).stdout.strip()
        ).parent

    def sh(self, script: str):
        """Run a README block as the operator would, with PY already set."""
        script = re.sub(r"^PY=.*$", "", script, flags=re.M)
        return run(
            ["bash", "-euo", "pipefail", "-c", script], env=self.env, cwd=self.work
        )

    def django(self, *args):
        env = {**self.env, "DJANGO_SETTINGS_MODULE": "openstack_dashboard.settings"}
        return run([self.py, "-m", "django", *args], env=env, cwd=self.work)

    def serve(self):
        """gunicorn serving Horizon's own WSGI module; returns (proc, base url)."""
        port = free_port()
        proc = subprocess.Popen(
            [
                self.py,
                "-m",
                "gunicorn",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--graceful-timeout",
                "3",
                "openstack_dashboard.wsgi:application",
            ],
            env=self.env,
            cwd=self.work,
            stdout=subprocess.DEVNULL,
            stderr=open(self.work / f"gunicorn-{port}.log", "wb"),  # noqa: SIM115
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert proc.poll() is None, (self.work / f"gunicorn-{port}.log").read_text()
            try:
                requests.get(f"{base}/auth/login/", timeout=5)
                return proc, base
            except requests.RequestException:
                time.sleep(0.3)
        stop(proc)
        pytest.fail("gunicorn never answered")


def stop(proc):
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def login_page_css(base: str, static_root: Path) -> str:
    """The login page (checked) and the text of the compressed CSS it links."""
    page = requests.get(f"{base}/auth/login/", timeout=60)
    assert page.status_code == 200
    # local_settings.py was read: it is the only place naming this cloud.
    assert BRANDING in page.text
    links = re.findall(r'href="/static/(dashboard/css/[^"]+\.css)"', page.text)
    assert links, "no compressed stylesheet on the login page"
    return "".join((static_root / link).read_text() for link in links)


def get(base, path):
    return requests.get(f"{base}{path}", timeout=60, allow_redirects=False)


PANELS = ("/project/dcos_bays/", "/project/dcos_baymodels/")


@pytest.fixture
def horizon(tmp_path):
    cached = horizon_only_venv()
    venv = tmp_path / "venv"
    shutil.copytree(cached, venv, symlinks=True)
    return Horizon(venv, tmp_path)


def test_install_enable_serve_then_remove_as_the_readme_says(horizon, dists):
    wheel, _ = dists
    work, static_root = horizon.work, horizon.work / "static"
    shutil.copy(wheel, work / wheel.name)
    (horizon.root / "local" / "local_settings.py").write_text(
        operator_local_settings(free_port(), static_root)
    )
    # Only Horizon: the plugin and what it alone brings are absent.
    before = run([horizon.py, "-m", "pip", "list", "--format=freeze"]).stdout
    assert "dcos-dashboard" not in before.lower()
    assert "python-magnumclient" not in before.lower()

    # The README's "Installing" block, as written.
    horizon.sh(readme_block(INSTALLING))
    installed = run([horizon.py, "-m", "pip", "show", "dcos-dashboard"]).stdout
    assert "Version: 0.1.0" in installed
    assert (horizon.root / "local/enabled/_1382_dcos_bays_panel.py").exists()
    check = horizon.django("check")
    assert "no issues" in check.stdout
    assert "No local_settings file found" not in check.stderr
    assert (static_root / "dcos_dashboard" / "dcos_dashboard.scss").exists()

    proc, base = horizon.serve()
    try:
        css = login_page_css(base, static_root)
        assert PLUGIN_CSS in css  # the plugin's SCSS went through compress
        for path in PANELS:
            response = get(base, path)
            assert response.status_code == 302, path
            location = urljoin(f"{base}/", response.headers["Location"])
            assert location == f"{base}/auth/login/?next={path}"
        # The policy file registered by the settings file is the plugin's.
        policy = run(
            [
                horizon.py,
                "-c",
                "from django.conf import settings; import django; django.setup();"
                "print(settings.POLICY_FILES['container-infra'])",
            ],
            env={
                **horizon.env,
                "DJANGO_SETTINGS_MODULE": "openstack_dashboard.settings",
            },
        ).stdout.strip()
        assert policy.endswith("dcos_dashboard/conf/magnum_policy.yaml")
        assert Path(policy).exists()
    finally:
        stop(proc)

    # The README's "Removing" block, as written, "with the same PY, HORIZON
    # and DJANGO_SETTINGS_MODULE as above".
    same = [
        line
        for line in readme_block(INSTALLING).splitlines()
        if line.startswith(("HORIZON=", "export DJANGO_SETTINGS_MODULE="))
    ]
    assert len(same) == 2
    horizon.sh("\n".join([*same, readme_block("Removing the plugin")]))
    gone = run([horizon.py, "-m", "pip", "list", "--format=freeze"]).stdout
    assert "dcos-dashboard" not in gone.lower()
    assert list((horizon.root / "local" / "enabled").glob("_138*")) == []
    check = horizon.django("check")
    assert "no issues" in check.stdout
    assert "Error importing" not in check.stderr
    assert "No local_settings file found" not in check.stderr
    # collectstatic --clear leaves empty folders behind, but no file.
    assert [p for p in (static_root / "dcos_dashboard").rglob("*") if p.is_file()] == []

    proc, base = horizon.serve()
    try:
        css = login_page_css(base, static_root)
        assert PLUGIN_CSS not in css
        for path in PANELS:
            assert get(base, path).status_code == 404, path
    finally:
        stop(proc)


def test_a_settings_file_left_behind_is_loud_and_harmless(horizon):
    """Without the package, a forgotten local_settings.d file costs only its
    own lines: Horizon says so and keeps local_settings.py."""
    static_root = horizon.work / "static"
    (horizon.root / "local" / "local_settings.py").write_text(
        operator_local_settings(free_port(), static_root)
    )
    shutil.copy(
        ROOT / "dcos_dashboard" / "local_settings.d" / "_1380_dcos_dashboard.py",
        horizon.root / "local" / "local_settings.d",
    )
    check = horizon.django("check")
    assert "no issues" in check.stdout
    assert "Can not exec settings snippet" in check.stderr
    assert "No module named 'dcos_dashboard'" in check.stderr
    shown = horizon.django("diffsettings").stdout
    assert f"SITE_BRANDING = '{BRANDING}'" in shown
