"""Shared fixtures: the embedded cloud (Keystone, sandbox, Horizon) on free ports."""

import dataclasses
import socket
from pathlib import Path

import pytest
import requests
from hypothesis import settings as hypothesis_settings

from dcos_sandbox.config import Config

# Speed is measured by benchmarks, never asserted: no per-example deadline
# (a loaded 2-core machine makes hypothesis' default 200 ms one flaky).
hypothesis_settings.register_profile("dcos", deadline=None)
hypothesis_settings.load_profile("dcos")

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
FIXTURES = SHARED / "fixtures" / "mesos"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def cloud_config(tmp_path_factory) -> Config:
    """A Config whose every port is free and whose state is private to this run."""
    return Config.from_env(
        state_dir=tmp_path_factory.mktemp("sandbox"),
        keystone_port=free_port(),
        magnum_port=free_port(),
        glance_port=free_port(),
        nova_port=free_port(),
        neutron_port=free_port(),
        clusters_port=free_port(),
        horizon_port=free_port(),
        magnum_mode="dcos",
        # Long enough for a browser to see CREATE_IN_PROGRESS before it ends.
        transition_seconds=2.0,
    )


@pytest.fixture(scope="session")
def keystone(cloud_config):
    """A real Keystone, bootstrapped and provisioned, for the whole session."""
    from devenv.run import Stack

    stack = Stack(cloud_config, cloud_config.state_dir / "logs")
    try:
        stack.start_keystone()
        yield cloud_config
    finally:
        stack.stop()


@pytest.fixture(scope="session")
def live_stack(keystone):
    """Keystone + the sandbox stand-ins + Horizon under gunicorn, as `make run`."""
    from devenv.run import Stack

    stack = Stack(keystone, keystone.state_dir / "logs")
    try:
        stack.start_sandbox()
        stack.start_horizon()
        yield keystone
    finally:
        stack.stop()


def keystone_token(config: Config, user: str, password: str, project: str) -> str:
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


@pytest.fixture(scope="session")
def token(keystone):
    """token(user, password, project) -> a real Keystone token (cached)."""
    cache = {}

    def get(user="demo", password="demo", project="demo"):
        key = (user, password, project)
        if key not in cache:
            cache[key] = keystone_token(keystone, *key)
        return cache[key]

    return get


def with_ports(config: Config, **ports) -> Config:
    return dataclasses.replace(config, **ports)
