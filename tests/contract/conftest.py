"""The contract suite's two Magnums: the sandbox stand-in and real Magnum 23.

Every case takes the parametrized ``backend`` fixture and runs against both.
Real Magnum 23 (``real_magnum``) runs in one subprocess (``run_magnum.py``)
beside the session's real Keystone, on its own port, called with an explicit
endpoint: the catalog's ``container-infra`` entry stays the sandbox's. Its
own calls to Glance, Nova and Neutron go through the catalog to the
sandbox's stand-ins on the catalog ports (started here unless something,
such as a ``make run``-like live stack, already serves them).

The fixtures are package-scoped rather than session-scoped: the stand-ins
this package may start on the catalog ports must be gone before the live
stack of tests/live and tests/e2e binds the same ports.
"""

import dataclasses
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests

from dcos_dashboard.api import magnum
from dcos_sandbox.keystone import Admin as KeystoneAdmin
from tests.conftest import (
    free_port,
    running_sandbox,
    statuses_until,
    template_fields,
)

HERE = Path(__file__).resolve().parent
TIMEOUT = 30
# Seconds a bay of the sandbox spends in each *_IN_PROGRESS state.
TRANSITION = 0.5

MAGNUM_USER = "magnum"
MAGNUM_PASSWORD = "magnum-contract"
TRUSTEE_DOMAIN = "magnum"
TRUSTEE_ADMIN = "trustee_domain_admin"
TRUSTEE_PASSWORD = "trustee-contract"


# --- Keystone: the accounts real Magnum needs ---------------------------------


def provision_magnum_accounts(config):
    """The ``magnum`` service user and the trustee domain with its admin."""
    ks = KeystoneAdmin(config)
    admin_role = ks.find_or_create("roles", "admin", {"name": "admin"})
    service = ks.find_or_create("projects", "service", {"name": "service"})
    magnum = ks.find_or_create(
        "users",
        MAGNUM_USER,
        {"name": MAGNUM_USER, "password": MAGNUM_PASSWORD, "domain_id": "default"},
        domain_id="default",
    )
    ks.call("PUT", f"/projects/{service}/users/{magnum}/roles/{admin_role}")
    domain = ks.find_or_create(
        "domains",
        TRUSTEE_DOMAIN,
        {"name": TRUSTEE_DOMAIN, "description": "Owns users and projects of Magnum"},
    )
    trustee_admin = ks.find_or_create(
        "users",
        TRUSTEE_ADMIN,
        {"name": TRUSTEE_ADMIN, "password": TRUSTEE_PASSWORD, "domain_id": domain},
        domain_id=domain,
    )
    ks.call("PUT", f"/domains/{domain}/users/{trustee_admin}/roles/{admin_role}")
    return {"trustee_domain_id": domain, "trustee_domain_admin_id": trustee_admin}


def magnum_conf(config, port, state_dir, trust):
    auth = "\n".join(
        [
            "auth_type = password",
            f"auth_url = {config.keystone_url}",
            f"username = {MAGNUM_USER}",
            f"password = {MAGNUM_PASSWORD}",
            "project_name = service",
            "user_domain_id = default",
            "project_domain_id = default",
        ]
    )
    paste = Path(sys.prefix) / "etc" / "magnum" / "api-paste.ini"
    return f"""[DEFAULT]
transport_url = fake://
host = contract-magnum
use_stderr = true
debug = false

[api]
host = {config.host}
port = {port}
api_paste_config = {paste}
workers = 1

[database]
connection = sqlite:///{state_dir / "magnum.sqlite"}?timeout=30

[keystone_authtoken]
{auth}
www_authenticate_uri = {config.keystone_url}
memcached_servers =
http_connect_timeout = 10

[keystone_auth]
{auth}

[trust]
trustee_domain_id = {trust["trustee_domain_id"]}
trustee_domain_admin_id = {trust["trustee_domain_admin_id"]}
trustee_domain_admin_password = {TRUSTEE_PASSWORD}

[certificates]
cert_manager_type = x509keypair

[oslo_concurrency]
lock_path = {state_dir / "locks"}

[oslo_policy]
# Magnum 23's own default (oslo.policy >= 4.4): the new reader/member/admin
# defaults alone, as the stand-in enforces them (dcos_sandbox/magnum/policy.py).
enforce_new_defaults = true
enforce_scope = false
"""


# --- the services -----------------------------------------------------------


def _listening(host, port):
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex((host, port)) == 0


def _sandbox(keystone, state_dir, mode, **ports):
    """A running sandbox on ports of its own, but for those given."""
    return running_sandbox(
        keystone, state_dir, magnum_mode=mode, transition_seconds=TRANSITION, **ports
    )


@pytest.fixture(scope="package")
def catalog_standins(keystone, tmp_path_factory):
    """Glance, Nova and Neutron stand-ins on the ports the catalog names."""
    ports = {
        "glance_port": keystone.glance_port,
        "nova_port": keystone.nova_port,
        "neutron_port": keystone.neutron_port,
    }
    if all(_listening(keystone.host, p) for p in ports.values()):
        yield None  # someone else's stand-ins (read-only seeded data)
        return
    state = tmp_path_factory.mktemp("contract-catalog")
    with _sandbox(keystone, state, "dcos", **ports) as sandbox:
        yield sandbox


@pytest.fixture(scope="package")
def real_magnum(keystone, catalog_standins, tmp_path_factory):
    """Real Magnum 23 (API + conductor) on 127.0.0.1; yields its base URL."""
    state = tmp_path_factory.mktemp("magnum23")
    (state / "locks").mkdir()
    port = free_port()
    trust = provision_magnum_accounts(keystone)
    conf = state / "magnum.conf"
    conf.write_text(magnum_conf(keystone, port, state, trust))
    log_path = state / "magnum.log"
    env = dict(os.environ, XDG_CACHE_HOME=str(state / "cache"))
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, str(HERE / "run_magnum.py"), str(conf), str(state)],
            cwd=state,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://{keystone.host}:{port}"
    try:
        _wait_ready(url, proc, log_path)
        yield url
    finally:
        # The conductor ignores SIGTERM.
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass  # it died already (its log says why)
        proc.wait(timeout=30)


def _wait_ready(url, proc, log_path, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log_path.read_text(errors="replace")[-4000:]
            raise RuntimeError(f"Magnum exited with {proc.returncode}:\n{tail}")
        try:
            if requests.get(url + "/", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    tail = log_path.read_text(errors="replace")[-4000:]
    raise TimeoutError(f"Magnum did not answer on {url}:\n{tail}")


@pytest.fixture(scope="package")
def sandbox_magnum(keystone, tmp_path_factory):
    """The stand-in as the plugin's tests use it: a Magnum with DC/OS enabled."""
    state = tmp_path_factory.mktemp("contract-dcos")
    with _sandbox(keystone, state, "dcos") as sandbox:
        yield sandbox.servers["magnum"].url


@pytest.fixture(scope="package")
def stock_sandbox_magnum(keystone, tmp_path_factory):
    """The stand-in in "stock" mode: a Magnum >= 16 without DC/OS."""
    state = tmp_path_factory.mktemp("contract-stock")
    with _sandbox(keystone, state, "stock") as sandbox:
        yield sandbox.servers["magnum"].url


# --- the backend every case runs against ----------------------------------------


class Request:
    """What the plugin's api layer reads of a Django request, for one user."""

    def __init__(self, url, token):
        catalog = [
            {
                "type": "container-infra",
                "endpoints": [
                    {"region": "RegionOne", "interface": "public", "url": url}
                ],
            }
        ]
        token_obj = type("Token", (), {"id": token})()
        self.user = type(
            "User",
            (),
            {
                "service_catalog": catalog,
                "services_region": "RegionOne",
                "token": token_obj,
            },
        )()


# Magnum 23 writes a cluster's row and its nodegroups one after the other
# (conductor cluster_create), and deletes them one after the other too
# (magnum/service/periodic.py ClusterUpdateJob). A GET in between counts
# master_count 0 and fails wsme's check with a 400; polls note it under this
# name.
NO_NODEGROUPS = "400: row without nodegroups"
_NO_NODEGROUPS_DETAIL = (
    "Invalid input for field/attribute master_count. Value: '0'. "
    "Value should be greater or equal to 1"
)

USERS = {
    "demo": ("demo", "demo", "demo"),
    "alt": ("alt", "alt", "alt"),
    # Keystone's reader role only, in the demo project (dcos_sandbox.keystone).
    "reader": ("reader", "reader", "demo"),
    "admin": ("admin", "admin", "admin"),
}


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


@dataclasses.dataclass
class Backend:
    """One Magnum under contract, and how to reach it as demo or alt.

    ``coe`` and ``image`` differ by backend: real Magnum 23 accepts only
    coe=kubernetes (and this suite's driver builds only fedora-coreos), while
    the stand-in is there for DC/OS bays (dcos on dcos-centos-7.2).
    """

    name: str
    url: str  # base URL, without /v1
    coe: str
    image: str
    token: object  # the session's token(user, password, project)
    # () -> the base URL of a Magnum without DC/OS: the stand-in in "stock"
    # mode, or real Magnum itself.
    stock: object = None
    made: list = dataclasses.field(default_factory=list)

    def request(self, user="demo", url=None):
        """A request for the plugin's api layer (dcos_dashboard.api.magnum)."""
        return Request(url or self.url, self.token(*USERS[user]))

    def http(self, method, path, user="demo", version="latest", url=None, **kw):
        """One raw request, to see status codes, headers and bodies as sent."""
        headers = {"X-Auth-Token": self.token(*USERS[user])}
        if version is not None:
            headers["OpenStack-API-Version"] = f"container-infra {version}"
        headers.update(kw.pop("headers", {}))
        return requests.request(
            method, (url or self.url) + path, headers=headers, timeout=TIMEOUT, **kw
        )

    def template_fields(self, **overrides):
        return template_fields(
            "ct",
            **{
                "coe": self.coe,
                "image_id": self.image,
                "labels": {"contract": "yes"},
                **overrides,
            },
        )

    def template(self, user="demo", **overrides):
        """A new template, made through the plugin's api layer."""
        made = magnum.cluster_template_create(
            self.request(user), **self.template_fields(**overrides)
        )
        self.made.append(("template", made.uuid, user))
        return made

    def cluster(self, template_id, user="demo", **fields):
        """A new cluster's uuid (the row may not exist yet: Magnum said 202)."""
        fields.setdefault("name", unique("bay"))
        uuid_ = magnum.cluster_create(
            self.request(user), cluster_template_id=template_id, **fields
        )
        self.made.append(("cluster", uuid_, user))
        return uuid_

    def wait_for(self, cluster_id, wanted, user="demo", timeout=60):
        """Poll through the plugin until the cluster's status is in ``wanted``
        (None: gone). A 404 counts as None, so the moment after a POST's 202
        when Magnum has no row yet is tolerated, and so is ``NO_NODEGROUPS``.
        Returns the statuses seen."""
        req = self.request(user)

        def read():
            try:
                found = magnum.cluster_get_or_none(req, cluster_id)
            except magnum.MagnumError as e:
                if _NO_NODEGROUPS_DETAIL not in e.detail:
                    raise
                return NO_NODEGROUPS
            return None if found is None else found.status

        return statuses_until(read, wanted, timeout, 0.1, cluster_id)

    def cleanup(self):
        """Delete what a case made, and wait until its clusters are gone: a
        cluster list that meets a deletion half done fails (NO_NODEGROUPS)."""
        clusters = [(i, u) for kind, i, u in self.made if kind == "cluster"]
        for ident, user in clusters:
            self.http("DELETE", f"/v1/clusters/{ident}", user=user)
        for ident, user in clusters:
            self.wait_for(ident, (None,), user=user)
        for kind, ident, user in self.made:
            if kind == "template":
                self.http("DELETE", f"/v1/clustertemplates/{ident}", user=user)
        self.made.clear()


_BACKENDS = {
    "sandbox": ("sandbox_magnum", "dcos", "dcos-centos-7.2", "stock_sandbox_magnum"),
    "magnum23": ("real_magnum", "kubernetes", "fedora-coreos-40", "real_magnum"),
}


@pytest.fixture(params=sorted(_BACKENDS, reverse=True))
def backend(request, token):
    """The Magnum under contract: "sandbox" (the stand-in) or "magnum23"."""
    fixture, coe, image, stock = _BACKENDS[request.param]
    chosen = Backend(
        name=request.param,
        url=request.getfixturevalue(fixture),
        coe=coe,
        image=image,
        token=token,
        stock=lambda: request.getfixturevalue(stock),
    )
    yield chosen
    chosen.cleanup()
