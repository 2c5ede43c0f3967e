"""Shared fixtures: the embedded cloud (Keystone, sandbox, Horizon) on free ports."""

import contextlib
import dataclasses
import os
import time
import uuid

import pytest
from hypothesis import settings as hypothesis_settings

from dcos_sandbox.config import Config, free_port  # noqa: F401 - re-exported
from dcos_sandbox.keystone import password_token

# The browser and its fixtures, shared by tests/e2e and tests/security.
pytest_plugins = ("tests.browser",)

# Speed is measured by benchmarks, never asserted: no per-example deadline
# (a loaded 2-core machine makes hypothesis' default 200 ms one flaky).
hypothesis_settings.register_profile("dcos", deadline=None)
hypothesis_settings.load_profile("dcos")


@pytest.fixture(scope="session")
def cloud_config(tmp_path_factory) -> Config:
    """A Config whose every port is free and whose state is private to this run."""
    return Config.on_free_ports(
        tmp_path_factory.mktemp("sandbox"),
        magnum_mode="dcos",
        # Long enough for a browser to see CREATE_IN_PROGRESS before it ends,
        # on a loaded machine too (2.0 s was not, once: the page came later).
        transition_seconds=3.0,
    )


@contextlib.contextmanager
def stack_of(config):
    """A devenv Stack of ``config`` (what the caller starts), stopped after."""
    from devenv.run import Stack

    stack = Stack(config, config.state_dir / "logs")
    try:
        yield stack
    finally:
        stack.stop()


def statuses_until(read, wanted, timeout, every, what):
    """Poll ``read()`` every ``every`` seconds until the status it returns is
    in ``wanted``; the statuses seen, each change once. Fails, naming
    ``what``, after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        status = read()
        if not seen or seen[-1] != status:
            seen.append(status)
        if status in wanted:
            return seen
        time.sleep(every)
    raise AssertionError(f"{what} never reached {wanted}; saw {seen}")


@pytest.fixture(scope="session")
def keystone(cloud_config):
    """A real Keystone, bootstrapped and provisioned, for the whole session."""
    with stack_of(cloud_config) as stack:
        stack.start_keystone()
        yield cloud_config


@pytest.fixture(scope="session")
def horizon_stack(keystone):
    """The devenv.run.Stack of ``live_stack``: the sandbox stand-ins, a
    memcached and Horizon under gunicorn with several workers sharing it."""
    from tests.german import write_german_catalogue

    # The language tests' German (tests/live/test_language.py), where this
    # Horizon looks first; English users see no difference.
    locale = write_german_catalogue(keystone.state_dir / "test-locale")
    os.environ["DCOS_DEVENV_LOCALE_PATHS"] = str(locale)
    with stack_of(keystone) as stack:
        stack.start_sandbox()
        stack.start_horizon()
        yield stack


@pytest.fixture(scope="session")
def live_stack(horizon_stack):
    """Keystone + the sandbox stand-ins + Horizon as `make run` deploys it
    (gunicorn workers, one shared memcached)."""
    return horizon_stack.config


# Kept under this name: the tests import it from here.
keystone_token = password_token


def stand_in_config(keystone, state_dir, **changes) -> Config:
    """The session Keystone's Config with the stand-ins on ports of their own
    and their state in ``state_dir``, plus changes (a port named there wins)."""
    ports = {
        name: free_port()
        for name in ("magnum_port", "glance_port", "nova_port", "neutron_port")
    }
    return dataclasses.replace(keystone, state_dir=state_dir, **{**ports, **changes})


@contextlib.contextmanager
def running_sandbox(keystone, state_dir, **changes):
    """The sandbox (stand-ins and simulated clusters) of
    :func:`stand_in_config`, started; stopped after."""
    from dcos_sandbox.server import Sandbox

    config = stand_in_config(keystone, state_dir, clusters_port=free_port(), **changes)
    sandbox = Sandbox(config).start()
    try:
        yield sandbox
    finally:
        sandbox.stop()


def template_fields(prefix="bm", **overrides):
    """A Bay Model the stand-in accepts (DC/OS on its CentOS image, the
    seeded flavors, network and key pair), named ``prefix-xxxxxxxx``."""
    return {
        "name": f"{prefix}-{uuid.uuid4().hex[:8]}",
        "coe": "dcos",
        "image_id": "dcos-centos-7.2",
        "flavor_id": "m1.small",
        "master_flavor_id": "m1.medium",
        "external_network_id": "public",
        "keypair_id": "testkey",
        **overrides,
    }


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
