"""The attack suite's fixtures, and the figure it prints at the end.

Everything runs against the session's live stack (tests/conftest.py) and its
one Chromium (tests/browser.py); what a test creates in Magnum it deletes.
"""

import time

import pytest
from magnumclient import exceptions as mexc
from magnumclient.v1 import client as magnum_client

from dcos_sandbox.keystone import password_token
from tests.browser import login
from tests.security import probes


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "security: the permanent attack suite (tests/security)"
    )


@pytest.fixture
def probe():
    return probes.Probe()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    probe = item.funcargs.get("probe")
    if probe is not None and probe.escapes:
        raise AssertionError(
            f"{len(probe.escapes)} of {probe.attempts} attempts escaped:\n"
            + "\n".join(probe.escapes)
        )
    return result


def pytest_terminal_summary(terminalreporter):
    if not probes.TALLY:
        return
    write = terminalreporter.write_line
    terminalreporter.section("security: attempts by category")
    width = max(len(c) for c in probes.TALLY)
    total = [0, 0]
    write(f"{'category':<{width}}  attempts  blocked  escaped")
    for category, (attempts, escaped) in sorted(probes.TALLY.items()):
        total[0] += attempts
        total[1] += escaped
        write(
            f"{category:<{width}}  {attempts:>8}  {attempts - escaped:>7}  {escaped:>7}"
        )
    write(
        f"{'total':<{width}}  {total[0]:>8}  {total[0] - total[1]:>7}"
        f"  {total[1]:>7}   (goal: 0 escaped)"
    )
    for line in probes.ESCAPES:
        write(f"  escaped: {line}")


# --- Magnum as its API's users see it -----------------------------------------


@pytest.fixture(scope="session")
def magnum(cloud):
    """magnum(user, password, project) -> a python-magnumclient with a real token."""
    clients = {}

    def get(user="demo", password="demo", project="demo"):
        key = (user, project)
        if key not in clients:
            clients[key] = magnum_client.Client(
                auth_token=password_token(cloud, user, password, project),
                magnum_url=cloud.magnum_url,
                timeout=30,
            )
        return clients[key]

    return get


def wait_status(client, uuid, wanted=("CREATE_COMPLETE",), timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            status = client.clusters.get(uuid).status
        except mexc.NotFound:
            status = None
        if status in wanted:
            return status
        time.sleep(0.3)
    raise AssertionError(f"bay {uuid} never reached {wanted}")


class Created:
    """What a module created in Magnum, deleted at its end (bays first)."""

    def __init__(self, client):
        self.client = client
        self.bays = []
        self.models = []

    def model(self, **fields):
        fields.setdefault("name", probes.unique("secmodel"))
        fields.setdefault("image_id", "dcos-centos-7.2")
        fields.setdefault("flavor_id", "m1.small")
        fields.setdefault("master_flavor_id", "m1.medium")
        fields.setdefault("external_network_id", "public")
        fields.setdefault("keypair_id", "testkey")
        model = self.client.cluster_templates.create(**fields)
        self.models.append(model.uuid)
        return model

    def bay(self, model, wait=True, **fields):
        fields.setdefault("name", probes.unique("secbay"))
        fields.setdefault("master_count", 1)
        fields.setdefault("node_count", 1)
        bay = self.client.clusters.create(cluster_template_id=model.uuid, **fields)
        self.bays.append(bay.uuid)
        # A new bay may answer 404 a moment (the stand-in's row delay).
        return self.wait(bay.uuid) if wait else bay

    def bay_at(self, model, api=None, masters=None):
        """A bay, not waited for, whose DC/OS API is at URL ``api`` or whose
        Mesos master is the server ``masters`` (the stand-in's labels)."""
        if api is not None:
            labels = {"sandbox_api_address": api}
        else:
            labels = {"sandbox_master_addresses": f"127.0.0.1:{masters.port}"}
        return self.bay(model, wait=False, labels=labels)

    def wait(self, uuid, wanted=("CREATE_COMPLETE",)):
        wait_status(self.client, uuid, wanted)
        return self.client.clusters.get(uuid)

    def clean(self):
        for uuid in self.bays:
            try:
                self.client.clusters.delete(uuid)
            except mexc.NotFound:
                pass
        for uuid in self.bays:
            try:
                wait_status(self.client, uuid, wanted=(None,))
            except AssertionError:
                pass
        # Bay Models the wizards made carry a payload in their name.
        for model in self.client.cluster_templates.list():
            if "data-xss" in (model.name or "") and model.uuid not in self.models:
                self.models.append(model.uuid)
        for uuid in self.models:
            try:
                self.client.cluster_templates.delete(uuid)
            except (mexc.NotFound, mexc.BadRequest, mexc.Conflict):
                pass


@pytest.fixture(scope="module")
def created(magnum):
    made = Created(magnum())
    try:
        yield made
    finally:
        made.clean()


@pytest.fixture(scope="session")
def watched(driver):
    """The session's Chromium, recording any dialog a page opens."""
    probes.install_alert_hook(driver)
    return driver


@pytest.fixture(scope="module")
def demo_browser(watched, base_url):
    """The browser logged in as demo, once for the module."""
    login(watched, base_url, "demo", "demo")
    return watched


@pytest.fixture(scope="module")
def hostile():
    """hostile(routes) -> a started HostileServer on 127.0.0.1, stopped after."""
    servers = []

    def start(routes=None):
        server = probes.HostileServer(routes=dict(routes or {})).start()
        servers.append(server)
        return server

    try:
        yield start
    finally:
        for server in servers:
            server.stop()
