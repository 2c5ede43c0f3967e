"""The Magnum stand-in through python-magnumclient 5, with real Keystone tokens.

The cluster simulator is replaced by a recording fake with its interface, so
these tests check what Magnum tells it and when. Timing-exact checks (the
404 window, transitions at their deadline, restart) live in
test_magnum_lifecycle.py with a controllable clock.
"""

import threading
import time
import uuid

import pytest
import requests
from magnumclient import exceptions as mexc
from magnumclient.v1 import client as magnum_client

from dcos_sandbox.server import Sandbox
from tests.conftest import stand_in_config, statuses_until, template_fields

TIMEOUT = 30
TRANSITION = 1.0
ROW_DELAY = 0.4


class FakeSimulator:
    """Records calls; answers as ClusterSimulator does (addresses per bay)."""

    def __init__(self):
        self.calls = []
        self.bays = {}
        self.lock = threading.Lock()

    def start(self):
        pass

    def stop(self):
        pass

    def create(self, uuid, coe, master_count, node_count, name=""):
        with self.lock:
            self.calls.append(("create", uuid, coe, master_count, node_count, name))
            self.bays[uuid] = [master_count, node_count]
        return self.addresses(uuid)

    def resize(self, uuid, node_count):
        with self.lock:
            self.calls.append(("resize", uuid, node_count))
            self.bays[uuid][1] = node_count
        return self.addresses(uuid)

    def delete(self, uuid):
        with self.lock:
            self.calls.append(("delete", uuid))
            self.bays.pop(uuid, None)

    def addresses(self, uuid):
        with self.lock:
            if uuid not in self.bays:
                return None
            masters, nodes = self.bays[uuid]
            tag = int(uuid[:2], 16)
            return {
                "api_address": f"127.0.{tag}.1",
                "master_addresses": [f"127.0.{tag}.{10 + i}" for i in range(masters)],
                "node_addresses": [f"127.0.{tag}.{100 + i}" for i in range(nodes)],
            }

    def calls_for(self, bay_uuid):
        with self.lock:
            return [c for c in self.calls if c[1] == bay_uuid]


def _start(keystone, tmp_path_factory, mode):
    config = stand_in_config(
        keystone,
        tmp_path_factory.mktemp(f"magnum-{mode}"),
        magnum_mode=mode,
        transition_seconds=TRANSITION,
    )
    simulator = FakeSimulator()
    sandbox = Sandbox(config, simulator=simulator, row_delay=ROW_DELAY).start()
    return sandbox, simulator


@pytest.fixture(scope="module")
def cloud(keystone, tmp_path_factory):
    sandbox, simulator = _start(keystone, tmp_path_factory, "dcos")
    try:
        yield sandbox, simulator
    finally:
        sandbox.stop()


@pytest.fixture(scope="module")
def stock(keystone, tmp_path_factory):
    sandbox, _ = _start(keystone, tmp_path_factory, "stock")
    try:
        yield sandbox
    finally:
        sandbox.stop()


def _client(sandbox, token):
    url = sandbox.servers["magnum"].url + "/v1"
    return magnum_client.Client(auth_token=token, magnum_url=url, timeout=TIMEOUT)


@pytest.fixture(scope="module")
def demo(cloud, token):
    return _client(cloud[0], token())


@pytest.fixture(scope="module")
def alt(cloud, token):
    return _client(cloud[0], token("alt", "alt", "alt"))


@pytest.fixture(scope="module")
def admin(cloud, token, keystone):
    return _client(
        cloud[0], token(keystone.admin_user, keystone.admin_password, "admin")
    )


def _unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _template(client, **overrides):
    fields = template_fields(**{"labels": {"dcos_overlay_enable": "true"}, **overrides})
    return client.cluster_templates.create(**fields)


def _wait_for(client, bay_uuid, wanted, timeout=TRANSITION + 10):
    """Poll until the bay's status is in `wanted`, or the bay is gone when
    `wanted` holds None; a 404 counts as None. Returns the statuses seen."""

    def read():
        try:
            return client.clusters.get(bay_uuid).status
        except mexc.NotFound:
            return None

    return statuses_until(read, wanted, timeout, 0.05, bay_uuid)


def _error(call, *args, **kwargs):
    with pytest.raises(mexc.HttpError) as info:
        call(*args, **kwargs)
    return info.value


# --- transport: versions, microversions, tokens ---------------------------------


def test_version_documents_need_no_token(cloud):
    base = cloud[0].servers["magnum"].url
    root = requests.get(base + "/", timeout=TIMEOUT).json()
    assert root["versions"][0]["id"] == "v1"
    assert root["versions"][0]["max_version"] == "1.14"
    r = requests.get(base + "/v1", timeout=TIMEOUT)
    assert r.status_code == 200
    assert r.json()["clustertemplates"][0]["href"].endswith("/v1/clustertemplates/")


def test_microversion_headers(cloud, token):
    url = cloud[0].servers["magnum"].url + "/v1/clusters"
    headers = {
        "X-Auth-Token": token(),
        "OpenStack-API-Version": "container-infra latest",
    }
    r = requests.get(url, headers=headers, timeout=TIMEOUT)
    assert r.status_code == 200
    # Magnum accepts "container-infra" (what python-magnumclient sends) and
    # answers with its first service name.
    service = "container-infrastructure-management"
    assert r.headers["OpenStack-API-Version"] == f"{service} 1.14"
    assert r.headers["OpenStack-API-Minimum-Version"] == f"{service} 1.1"
    assert r.headers["OpenStack-API-Maximum-Version"] == f"{service} 1.14"
    assert r.headers["Vary"] == "OpenStack-API-Version"
    del headers["OpenStack-API-Version"]
    r = requests.get(url, headers=headers, timeout=TIMEOUT)
    assert r.headers["OpenStack-API-Version"] == f"{service} 1.1"
    headers["OpenStack-API-Version"] = "container-infra 1.99"
    r = requests.get(url, headers=headers, timeout=TIMEOUT)
    assert r.status_code == 406


def test_missing_or_bad_token_gets_keystonemiddlewares_401(cloud):
    url = cloud[0].servers["magnum"].url + "/v1/clustertemplates"
    r = requests.get(url, timeout=TIMEOUT)
    assert r.status_code == 401
    assert r.json()["error"]["message"] == (
        "The request you have made requires authentication."
    )
    with pytest.raises(mexc.Unauthorized):
        _client(cloud[0], "gAAAAAnot-a-real-fernet-token").clusters.list()


def test_errors_use_magnums_body(cloud, token):
    r = requests.get(
        cloud[0].servers["magnum"].url + "/v1/clustertemplates/nope",
        headers={"X-Auth-Token": token()},
        timeout=TIMEOUT,
    )
    assert r.status_code == 404
    (error,) = r.json()["errors"]
    assert error == {
        "request_id": "",
        "code": "client",
        "status": 404,
        "title": "ClusterTemplate nope could not be found",
        "detail": "ClusterTemplate nope could not be found.",
        "links": [],
    }


# --- cluster templates ------------------------------------------------------------


def test_template_crud(demo, token, keystone):
    created = _template(demo, docker_volume_size=5)
    assert created.coe == "dcos"
    assert created.cluster_distro == "centos"  # from the image's os_distro
    assert created.network_driver == "docker"  # the COE's default
    assert created.public is False and created.floating_ip_enabled is True
    assert created.labels == {"dcos_overlay_enable": "true"}
    by_name = demo.cluster_templates.get(created.name)
    assert by_name.uuid == created.uuid
    assert created.uuid in [t.uuid for t in demo.cluster_templates.list()]
    assert created.uuid in [t.uuid for t in demo.cluster_templates.list(detail=True)]

    patched = demo.cluster_templates.update(
        created.uuid,
        [
            {"op": "replace", "path": "/name", "value": created.name + "-x"},
            {
                "op": "replace",
                "path": "/labels",
                "value": "{'mesos_slave_isolation': 'posix/cpu'}",
            },
            {"op": "add", "path": "/dns_nameserver", "value": "8.8.8.8"},
        ],
    )
    assert patched.name == created.name + "-x"
    assert patched.labels == {"mesos_slave_isolation": "posix/cpu"}
    assert demo.cluster_templates.get(created.uuid).dns_nameserver == "8.8.8.8"

    demo.cluster_templates.delete(created.uuid)
    with pytest.raises(mexc.NotFound):
        demo.cluster_templates.get(created.uuid)


def test_template_pagination_with_limit_and_marker(cloud, token):
    client = _client(cloud[0], token("alt", "alt", "alt"))
    made = [_template(client, name=_unique(f"page{i}")).uuid for i in range(5)]
    try:
        mine = [t.uuid for t in client.cluster_templates.list() if t.uuid in made]
        assert mine == made  # default order: creation (Magnum's id)
        first = client.cluster_templates.list(limit=2)
        assert len(first) == 2
        rest = client.cluster_templates.list(marker=first[-1].uuid)
        assert [t.uuid for t in first + rest][-5:] == made

        url = cloud[0].servers["magnum"].url + "/v1/clustertemplates"
        body = requests.get(
            url,
            params={"limit": 2, "sort_key": "name", "sort_dir": "desc"},
            headers={"X-Auth-Token": token("alt", "alt", "alt")},
            timeout=TIMEOUT,
        ).json()
        names = [t["name"] for t in body["clustertemplates"]]
        assert names == sorted(names, reverse=True)
        assert "sort_key=name&sort_dir=desc&limit=2&marker=" in body["next"]
        assert body["next"].endswith(body["clustertemplates"][-1]["uuid"])
    finally:
        for template_uuid in made:
            client.cluster_templates.delete(template_uuid)


@pytest.mark.parametrize(
    "overrides, status, message",
    [
        ({"image_id": "nope"}, 400, "Image nope could not be found."),
        ({"image_id": "cirros"}, 400, "Image cirros doesn't contain os_distro field."),
        ({"flavor_id": "m9.huge"}, 400, "Unable to find flavor m9.huge."),
        ({"master_flavor_id": "m9.huge"}, 400, "Unable to find flavor m9.huge."),
        (
            {"external_network_id": "private"},
            400,
            "Unable to find external network private.",
        ),
        (
            {"docker_volume_size": 0},
            400,
            "Invalid input for field/attribute docker_volume_size. Value: '0'. "
            "Value should be greater or equal to 1",
        ),
        (
            {"coe": "rancher"},
            400,
            "Invalid input for field/attribute coe. Value: 'rancher'. "
            "Value should be one of: kubernetes, swarm, swarm-mode, mesos, dcos",
        ),
        (
            {"network_driver": "flannel"},
            400,
            "Network driver type flannel is not supported, expecting a "
            "docker/unspecified network driver.",
        ),
        (
            {"public": True},
            403,
            "Not authorized to set public or hidden flag for cluster template.",
        ),
    ],
)
def test_template_validation_errors(demo, overrides, status, message):
    error = _error(_template, demo, **overrides)
    assert error.http_status == status
    assert error.details == message


@pytest.mark.parametrize("field", ["coe", "image_id"])
def test_template_needs_coe_and_image(demo, field):
    fields = {"coe": "dcos", "image_id": "dcos-centos-7.2"}
    del fields[field]
    error = _error(demo.cluster_templates.create, **fields)
    assert isinstance(error, mexc.BadRequest)
    assert error.details == (
        f"Invalid input for field/attribute {field}. Value: 'None'. "
        "Mandatory field missing."
    )


def test_deleting_a_template_in_use_is_refused(demo, cloud):
    template = _template(demo)
    bay = demo.clusters.create(name=_unique("inuse"), cluster_template_id=template.uuid)
    error = _error(demo.cluster_templates.delete, template.uuid)
    assert isinstance(error, mexc.BadRequest)
    assert error.details == (
        f"ClusterTemplate {template.uuid} is referenced by one or multiple clusters."
    )
    # A referenced template may still be renamed, but nothing else.
    demo.cluster_templates.update(
        template.uuid, [{"op": "replace", "path": "/name", "value": _unique("renamed")}]
    )
    error = _error(
        demo.cluster_templates.update,
        template.uuid,
        [{"op": "replace", "path": "/flavor_id", "value": "m1.large"}],
    )
    assert "is referenced by one or multiple clusters." in error.details
    _wait_for(demo, bay.uuid, {"CREATE_COMPLETE"})
    demo.clusters.delete(bay.uuid)
    _wait_for(demo, bay.uuid, {None})
    demo.cluster_templates.delete(template.uuid)


# --- clusters -------------------------------------------------------------------


def test_cluster_create_scale_delete(demo, cloud):
    simulator = cloud[1]
    template = _template(demo)
    name = _unique("bay")
    started = time.monotonic()
    bay_uuid = demo.clusters.create(
        name=name, cluster_template_id=template.uuid, node_count=2
    ).uuid
    with pytest.raises(mexc.NotFound):  # the row is not written yet
        demo.clusters.get(bay_uuid)
    assert _wait_for(demo, bay_uuid, {"CREATE_COMPLETE"}, timeout=TRANSITION + 2) == [
        None,
        "CREATE_IN_PROGRESS",
        "CREATE_COMPLETE",
    ]
    assert time.monotonic() - started >= TRANSITION
    assert simulator.calls_for(bay_uuid) == [("create", bay_uuid, "dcos", 1, 2, name)]
    bay = demo.clusters.get(bay_uuid)
    expected = simulator.addresses(bay_uuid)
    assert bay.api_address == expected["api_address"]
    assert bay.master_addresses == expected["master_addresses"]
    assert bay.node_addresses == expected["node_addresses"]
    assert bay.status_reason == "Stack CREATE completed successfully"
    assert bay.keypair == "testkey"  # inherited from the template
    assert bay.create_timeout == 60 and bay.master_count == 1

    demo.clusters.update(
        bay_uuid, [{"op": "replace", "path": "/node_count", "value": 3}]
    )
    assert demo.clusters.get(bay_uuid).status == "UPDATE_IN_PROGRESS"
    _wait_for(demo, bay_uuid, {"UPDATE_COMPLETE"})
    assert simulator.calls_for(bay_uuid)[-1] == ("resize", bay_uuid, 3)
    bay = demo.clusters.get(bay_uuid)
    assert bay.node_count == 3 and len(bay.node_addresses) == 3

    demo.clusters.delete(bay_uuid)
    assert demo.clusters.get(bay_uuid).status == "DELETE_IN_PROGRESS"
    _wait_for(demo, bay_uuid, {None})
    assert simulator.calls_for(bay_uuid)[-1] == ("delete", bay_uuid)
    demo.cluster_templates.delete(template.uuid)


@pytest.mark.parametrize(
    "name, labels", [("will-FAIL-soon", None), ("fine", {"sandbox_fail": "true"})]
)
def test_failure_trigger(demo, cloud, name, labels):
    template = _template(demo)
    kwargs = {"labels": labels} if labels else {}
    bay_uuid = demo.clusters.create(
        name=_unique(name), cluster_template_id=template.uuid, **kwargs
    ).uuid
    _wait_for(demo, bay_uuid, {"CREATE_FAILED", "CREATE_COMPLETE"})
    bay = demo.clusters.get(bay_uuid)
    assert bay.status == "CREATE_FAILED"
    assert "No valid host was found" in bay.status_reason
    assert bay.faults and all(bay.faults.values())
    assert bay.api_address is None and bay.node_addresses == []
    assert cloud[1].calls_for(bay_uuid) == []  # nothing was simulated
    demo.clusters.delete(bay_uuid)
    _wait_for(demo, bay_uuid, {None})
    assert cloud[1].calls_for(bay_uuid) == []
    demo.cluster_templates.delete(template.uuid)


def test_cluster_post_errors(demo):
    template = _template(demo)
    try:
        error = _error(
            demo.clusters.create, cluster_template_id=template.uuid, keypair="nokey"
        )
        assert isinstance(error, mexc.NotFound)
        assert error.details == "Unable to find keypair nokey."

        error = _error(
            demo.clusters.create, cluster_template_id=template.uuid, master_count=3
        )
        assert isinstance(error, mexc.BadRequest)
        assert error.details == "master_count must be 1 when master_lb_enabled is False"

        error = _error(demo.clusters.create, cluster_template_id="no-such-template")
        assert isinstance(error, mexc.BadRequest)  # 400 below microversion 1.10
        assert error.details == "ClusterTemplate no-such-template could not be found."

        error = _error(
            demo.clusters.create, cluster_template_id=template.uuid, name="1bad"
        )
        assert isinstance(error, mexc.BadRequest)
        assert error.details.startswith("Invalid input for field/attribute name.")

        error = _error(
            demo.clusters.create, cluster_template_id=template.uuid, flavor_id="m9.huge"
        )
        assert error.details == "Unable to find flavor m9.huge."
        assert [
            b for b in demo.clusters.list() if b.cluster_template_id == template.uuid
        ] == []
    finally:
        demo.cluster_templates.delete(template.uuid)


def test_labels_come_from_the_template_unless_given(demo):
    template = _template(demo, labels={"a": "1", "b": "2"})
    own = demo.clusters.create(
        name=_unique("own"),
        cluster_template_id=template.uuid,
        labels={"b": "3", "c": "4"},
    ).uuid
    merged = demo.clusters.create(
        name=_unique("merged"),
        cluster_template_id=template.uuid,
        labels={"b": "3"},
        merge_labels=True,
    ).uuid
    inherited = demo.clusters.create(
        name=_unique("inh"), cluster_template_id=template.uuid
    ).uuid
    for bay_uuid in (own, merged, inherited):
        _wait_for(demo, bay_uuid, {"CREATE_COMPLETE"})
    own_bay = demo.clusters.get(own)
    assert own_bay.labels == {"b": "3", "c": "4"}
    assert own_bay.labels_overridden == {"b": "2"}
    assert own_bay.labels_added == {"c": "4"}
    assert own_bay.labels_skipped == {"a": "1"}
    assert demo.clusters.get(merged).labels == {"a": "1", "b": "3"}
    assert demo.clusters.get(inherited).labels == {"a": "1", "b": "2"}
    for bay_uuid in (own, merged, inherited):
        demo.clusters.delete(bay_uuid)
    for bay_uuid in (own, merged, inherited):
        _wait_for(demo, bay_uuid, {None})
    demo.cluster_templates.delete(template.uuid)


def test_only_node_count_may_change(demo):
    template = _template(demo)
    bay_uuid = demo.clusters.create(
        name=_unique("fixed"), cluster_template_id=template.uuid
    ).uuid
    _wait_for(demo, bay_uuid, {"CREATE_COMPLETE"})
    error = _error(
        demo.clusters.update,
        bay_uuid,
        [{"op": "replace", "path": "/name", "value": "x"}],
    )
    assert error.details == "cannot change cluster property(ies) name."
    error = _error(
        demo.clusters.update,
        bay_uuid,
        [{"op": "replace", "path": "/api_address", "value": "x"}],
    )
    assert (
        error.details
        == "'/api_address' is an internal attribute and can not be updated"
    )
    demo.clusters.delete(bay_uuid)
    _wait_for(demo, bay_uuid, {None})
    demo.cluster_templates.delete(template.uuid)


# --- projects -----------------------------------------------------------------------


def test_projects_see_only_their_own_and_public_templates(demo, alt, admin):
    private = _template(demo)
    public = _template(admin, public=True, name=_unique("shared"))
    bay_uuid = demo.clusters.create(
        name=_unique("mine"), cluster_template_id=private.uuid
    ).uuid
    try:
        alt_templates = {t.uuid for t in alt.cluster_templates.list()}
        assert public.uuid in alt_templates and private.uuid not in alt_templates
        assert public.uuid in {t.uuid for t in demo.cluster_templates.list()}
        with pytest.raises(mexc.NotFound):
            alt.cluster_templates.get(private.uuid)
        with pytest.raises(mexc.NotFound):
            alt.cluster_templates.delete(private.uuid)
        _wait_for(demo, bay_uuid, {"CREATE_COMPLETE"})
        assert bay_uuid not in {b.uuid for b in alt.clusters.list()}
        with pytest.raises(mexc.NotFound):
            alt.clusters.get(bay_uuid)
        with pytest.raises(mexc.NotFound):
            alt.clusters.delete(bay_uuid)
        # Another project's public template may be used, not changed.
        error = _error(
            demo.cluster_templates.update,
            public.uuid,
            [{"op": "replace", "path": "/name", "value": "mine-now"}],
        )
        assert isinstance(error, mexc.Forbidden)
        # Magnum's admin lists every project's bays.
        assert bay_uuid in {b.uuid for b in admin.clusters.list()}
    finally:
        demo.clusters.delete(bay_uuid)
        _wait_for(demo, bay_uuid, {None})
        demo.cluster_templates.delete(private.uuid)
        admin.cluster_templates.delete(public.uuid)


def test_session_client_at_the_latest_microversion(cloud, keystone):
    # How the dashboard builds its client: a keystoneauth session, "latest".
    from keystoneauth1 import session as ks_session
    from keystoneauth1.identity import v3

    auth = v3.Password(
        auth_url=keystone.keystone_url,
        username=keystone.demo_user,
        password=keystone.demo_password,
        project_name=keystone.demo_project,
        user_domain_id="default",
        project_domain_id="default",
    )
    client = magnum_client.Client(
        session=ks_session.Session(auth=auth, timeout=TIMEOUT),
        endpoint_override=cloud[0].servers["magnum"].url + "/v1",
        api_version="latest",
    )
    template = _template(client)
    bay_uuid = client.clusters.create(cluster_template_id=template.uuid).uuid
    _wait_for(client, bay_uuid, {"CREATE_IN_PROGRESS", "CREATE_COMPLETE"})
    raw = client.clusters.get(bay_uuid)._info
    assert "cluster_id" in raw and "stack_id" not in raw  # microversion >= 1.13
    assert raw["name"].endswith("-cluster")  # Magnum names unnamed bays
    client.clusters.delete(bay_uuid)
    _wait_for(client, bay_uuid, {None})
    client.cluster_templates.delete(template.uuid)


# --- stock Magnum ---------------------------------------------------------------------


def test_stock_magnum_rejects_dcos_with_its_own_message(stock, token):
    client = _client(stock, token())
    for coe in ("dcos", "mesos"):
        error = _error(_template, client, coe=coe)
        assert isinstance(error, mexc.BadRequest)
        assert error.details == (
            f"Invalid input for field/attribute coe. Value: '{coe}'. "
            "Value should be one of: kubernetes"
        )
    k8s = _template(client, coe="kubernetes", image_id="fedora-coreos-40", labels={})
    assert k8s.network_driver == "flannel" and k8s.cluster_distro == "fedora-coreos"
    client.cluster_templates.delete(k8s.uuid)
