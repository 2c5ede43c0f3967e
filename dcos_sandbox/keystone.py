"""The real Keystone of the embedded cloud: configure, bootstrap, serve, provision.

Keystone itself comes from PyPI; this module only writes its config under the
state folder, runs ``keystone-manage`` once, starts it under gunicorn on
127.0.0.1, and registers the demo users and the stand-ins' catalog entries.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import requests

from dcos_sandbox.config import Config

KEYSTONE_WSGI = "dcos_sandbox.keystone_wsgi:application"


# (name, password, project, role) beside the bootstrap admin; `sandbox` is the
# service user the stand-ins validate tokens with (as Magnum's own `magnum`);
# `reader` may only read the demo project (Keystone's default reader role).
def _accounts(config):
    return (
        (config.demo_user, config.demo_password, config.demo_project, "member"),
        ("alt", "alt", "alt", "member"),
        # Reads the demo project, may change nothing (tests/security).
        ("reader", "reader", config.demo_project, "reader"),
        ("sandbox", config.service_password, "service", "admin"),
    )


def _services(config):
    # (type, name, url): what Horizon and magnumclient look up in the catalog.
    return (
        ("container-infra", "magnum", config.magnum_url),
        ("image", "glance", config.glance_url),
        ("compute", "nova", config.nova_url),
        ("network", "neutron", config.neutron_url),
    )


def _paths(config):
    root = Path(config.state_dir) / "keystone"
    return {
        "root": root,
        "conf": root / "keystone.conf",
        "db": root / "keystone.sqlite3",
        "fernet": root / "fernet-keys",
        "credential": root / "credential-keys",
        "bootstrapped": root / "bootstrapped",
        "provisioned": root / "provisioned",
    }


def env(config):
    """The environment keystone-manage and the WSGI module need."""
    e = dict(os.environ)
    e["OS_KEYSTONE_CONFIG_FILES"] = str(_paths(config)["conf"])
    e.pop("OS_KEYSTONE_CONFIG_DIR", None)
    return e


def _manage(config, *args):
    exe = Path(sys.executable).with_name("keystone-manage")
    cmd = [str(exe), "--config-file", str(_paths(config)["conf"]), *args]
    result = subprocess.run(
        cmd, env=env(config), capture_output=True, text=True, timeout=300
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"keystone-manage {args[0]} failed:\n{result.stdout}\n{result.stderr}"
        )


def prepare(config: Config) -> None:
    """Write keystone.conf, create the database and keys, bootstrap admin (once)."""
    p = _paths(config)
    p["root"].mkdir(parents=True, exist_ok=True)
    p["conf"].write_text(
        "\n".join(
            [
                "[DEFAULT]",
                "use_stderr = true",
                "debug = false",
                "[database]",
                f"connection = sqlite:///{p['db']}",
                "[token]",
                "provider = fernet",
                "expiration = 3600",
                "[fernet_tokens]",
                f"key_repository = {p['fernet']}",
                "[fernet_receipts]",
                f"key_repository = {p['fernet']}",
                "[credential]",
                f"key_repository = {p['credential']}",
                "[identity]",
                # bcrypt's minimum cost: logins in ms, not 250 ms, in a sandbox.
                "password_hash_rounds = 4",
                # One process, so an in-memory cache stays consistent; it
                # spares the SQL behind every token validation.
                "[cache]",
                "enabled = true",
                "backend = dogpile.cache.memory",
                "",
            ]
        )
    )
    if p["bootstrapped"].exists():
        return
    _manage(config, "db_sync")
    user = group = "root" if os.geteuid() == 0 else os.environ.get("USER", "nobody")
    for what in ("fernet_setup", "credential_setup"):
        _manage(config, what, "--keystone-user", user, "--keystone-group", group)
    _manage(
        config,
        "bootstrap",
        "--bootstrap-username",
        config.admin_user,
        "--bootstrap-password",
        config.admin_password,
        "--bootstrap-project-name",
        "admin",
        "--bootstrap-role-name",
        "admin",
        "--bootstrap-service-name",
        "keystone",
        "--bootstrap-region-id",
        "RegionOne",
        "--bootstrap-admin-url",
        config.keystone_url,
        "--bootstrap-public-url",
        config.keystone_url,
        # Magnum needs the internal one too (EndpointNotFound otherwise).
        "--bootstrap-internal-url",
        config.keystone_url,
    )
    p["bootstrapped"].write_text("ok\n")


def gunicorn_command(host: str, port: int, app: str, *extra: str) -> list[str]:
    """gunicorn on host:port, one process of 8 threads, quick to stop.

    One process keeps in-memory caches consistent (Keystone's here, the
    plugin's health cache in Horizon); gthread stops within the grace time.
    """
    return [
        str(Path(sys.executable).with_name("gunicorn")),
        "--bind",
        f"{host}:{port}",
        "--workers",
        "1",
        "--threads",
        "8",
        "--worker-class",
        "gthread",
        "--graceful-timeout",
        "3",
        "--timeout",
        "120",
        "--no-control-socket",
        *extra,
        app,
    ]


def command(config: Config) -> list[str]:
    """The argv that serves Keystone under gunicorn on 127.0.0.1."""
    return gunicorn_command(
        config.host, config.keystone_port, KEYSTONE_WSGI, "--log-level", "warning"
    )


def start(config: Config, log=None) -> subprocess.Popen:
    prepare(config)
    return subprocess.Popen(
        command(config),
        env=env(config),
        stdout=log or subprocess.DEVNULL,
        stderr=subprocess.STDOUT if log else subprocess.DEVNULL,
        start_new_session=True,
    )


def wait_ready(config: Config, timeout: float = 60.0, proc=None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"Keystone exited with {proc.returncode}")
        try:
            if requests.get(config.keystone_url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"Keystone did not answer on {config.keystone_url}")


def password_token(config: Config, user: str, password: str, project: str) -> str:
    """A project-scoped token for a user of the Default domain."""
    body = {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {
                    "user": {
                        "name": user,
                        "domain": {"id": "default"},
                        "password": password,
                    }
                },
            },
            "scope": {"project": {"name": project, "domain": {"id": "default"}}},
        }
    }
    r = requests.post(f"{config.keystone_url}/auth/tokens", json=body, timeout=30)
    r.raise_for_status()
    return r.headers["X-Subject-Token"]


class Admin:
    """A few Keystone v3 admin calls over plain HTTP (no client dependency)."""

    def __init__(self, config):
        self.url = config.keystone_url
        token = password_token(
            config, config.admin_user, config.admin_password, "admin"
        )
        self.headers = {"X-Auth-Token": token}

    def call(self, method, path, **kw):
        r = requests.request(
            method, f"{self.url}{path}", headers=self.headers, timeout=30, **kw
        )
        r.raise_for_status()
        return r.json() if r.content else None

    def find_or_create(self, collection, name, body, **filters):
        """The id of the ``collection`` entry of that name, made from ``body``
        when there is none."""
        found = self.call("GET", f"/{collection}", params={"name": name, **filters})
        if found[collection]:
            return found[collection][0]["id"]
        key = collection[:-1]
        return self.call("POST", f"/{collection}", json={key: body})[key]["id"]

    def add_member(self, name, password, project, role):
        """A user with ``role`` in ``project`` of the default domain, made as
        needed; returns the project's id."""
        project_id = self.find_or_create(
            "projects",
            project,
            {"name": project, "domain_id": "default", "enabled": True},
        )
        user_id = self.find_or_create(
            "users",
            name,
            {
                "name": name,
                "password": password,
                "domain_id": "default",
                "default_project_id": project_id,
                "enabled": True,
            },
        )
        role_id = self.find_or_create("roles", role, {"name": role})
        self.call("PUT", f"/projects/{project_id}/users/{user_id}/roles/{role_id}")
        return project_id


def provision(config: Config) -> None:
    """Users, projects, roles and catalog entries for the stand-ins (idempotent)."""
    marker = _paths(config)["provisioned"]
    wanted = repr((_accounts(config), _services(config)))
    if marker.exists() and marker.read_text() == wanted:
        return
    admin = Admin(config)
    for role in ("member", "reader", "admin"):
        admin.find_or_create("roles", role, {"name": role})
    for name, password, project, role in _accounts(config):
        admin.add_member(name, password, project, role)
    for stype, name, url in _services(config):
        service_id = admin.find_or_create(
            "services", name, {"type": stype, "name": name, "enabled": True}
        )
        existing = admin.call("GET", "/endpoints", params={"service_id": service_id})
        have = {e["interface"]: e for e in existing["endpoints"]}
        for interface in ("public", "internal"):
            if interface in have and have[interface]["url"] == url:
                continue
            if interface in have:
                admin.call("DELETE", f"/endpoints/{have[interface]['id']}")
            admin.call(
                "POST",
                "/endpoints",
                json={
                    "endpoint": {
                        "service_id": service_id,
                        "interface": interface,
                        "url": url,
                        "region_id": "RegionOne",
                        "enabled": True,
                    }
                },
            )
    marker.write_text(wanted)
