"""The Glance, Nova and Neutron stand-ins, read by the real clients Horizon uses.

Tokens come from the real Keystone; the stand-ins check them with
keystonemiddleware. Each client is pointed at its stand-in explicitly.
"""

import dataclasses

import glanceclient
import openstack
import pytest
import requests
from glanceclient import exc as glance_exc
from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3
from novaclient import client as nova_client
from novaclient import exceptions as nova_exc
from openstack import exceptions as sdk_exc

from dcos_sandbox import auth
from dcos_sandbox.openstack import GlanceApp, NeutronApp, NovaApp, World
from dcos_sandbox.wsgi import Server
from tests.conftest import free_port

TIMEOUT = 30
SEEDED_IMAGES = {
    "dcos-centos-7.2": "centos",
    "ubuntu-mesos": "ubuntu",
    "fedora-coreos-40": "fedora-coreos",
    "cirros": None,
}


@pytest.fixture(scope="module")
def services(keystone):
    """Glance, Nova and Neutron on fresh ports, behind real keystonemiddleware."""
    config = dataclasses.replace(
        keystone,
        glance_port=free_port(),
        nova_port=free_port(),
        neutron_port=free_port(),
    )
    world = World()
    servers = {}
    try:
        for name, app, port in (
            ("glance", GlanceApp(world), config.glance_port),
            ("nova", NovaApp(world), config.nova_port),
            ("neutron", NeutronApp(world), config.neutron_port),
        ):
            wrapped = auth.keystone_protect(app, config, app.public_paths)
            servers[name] = Server(wrapped, config.host, port, name).start()
        yield {name: server.url for name, server in servers.items()}
    finally:
        for server in servers.values():
            server.stop()


def _session(config, user="demo", password="demo", project="demo"):
    plugin = v3.Password(
        auth_url=config.keystone_url,
        username=user,
        password=password,
        project_name=project,
        user_domain_id="default",
        project_domain_id="default",
    )
    return ks_session.Session(auth=plugin, timeout=TIMEOUT)


@pytest.fixture(scope="module")
def demo_session(keystone):
    return _session(keystone)


@pytest.fixture(scope="module")
def glance(services, token):
    return glanceclient.Client(
        "2", endpoint=services["glance"], token=token(), timeout=TIMEOUT
    )


@pytest.fixture(scope="module")
def nova(services, demo_session):
    return nova_client.Client(
        "2.1", session=demo_session, endpoint_override=services["nova"] + "/v2.1"
    )


@pytest.fixture(scope="module")
def sdk(services, demo_session):
    return openstack.connection.Connection(
        session=demo_session,
        compute_endpoint_override=services["nova"] + "/v2.1",
        image_endpoint_override=services["glance"],
        network_endpoint_override=services["neutron"],
    )


# --- authentication -----------------------------------------------------------


@pytest.mark.parametrize(
    "service, path",
    [
        ("glance", "/v2/images"),
        ("nova", "/v2.1/flavors"),
        ("neutron", "/v2.0/networks"),
    ],
)
def test_requests_need_a_valid_keystone_token(services, service, path):
    url = services[service] + path
    missing = requests.get(url, timeout=TIMEOUT)
    forged = requests.get(url, headers={"X-Auth-Token": "not-a-token"}, timeout=TIMEOUT)
    for r in (missing, forged):
        assert r.status_code == 401
        assert r.json()["error"]["title"] == "Unauthorized"
        assert r.headers["WWW-Authenticate"].startswith("Keystone uri=")


def test_client_cannot_claim_another_project_by_header(services, token):
    # keystonemiddleware replaces X-Project-Id with the token's own project.
    r = requests.get(
        services["neutron"] + "/v2.0/networks",
        headers={"X-Auth-Token": token(), "X-Project-Id": "someone-else"},
        timeout=TIMEOUT,
    )
    private = [n for n in r.json()["networks"] if n["name"] == "private"]
    assert private and private[0]["project_id"] != "someone-else"


@pytest.mark.parametrize(
    "service, path, key",
    [
        ("glance", "/versions", "versions"),
        ("nova", "/v2.1", "version"),
        ("neutron", "/", "versions"),
    ],
)
def test_version_documents_need_no_token(services, service, path, key):
    r = requests.get(services[service] + path, timeout=TIMEOUT)
    assert r.status_code == 200
    assert r.json()[key]


# --- Glance ---------------------------------------------------------------------


def test_glanceclient_lists_seeded_images_with_os_distro(glance):
    images = {image["name"]: image for image in glance.images.list()}
    assert set(images) == set(SEEDED_IMAGES)
    for name, distro in SEEDED_IMAGES.items():
        assert images[name].get("os_distro") == distro
        assert images[name]["status"] == "active"


def test_horizon_image_list_pattern_sorts_newest_first(glance):
    # openstack_dashboard/api/glance.py image_list_detailed's call.
    images = list(
        glance.images.list(
            page_size=1000,
            limit=1000,
            filters={},
            sort_key="created_at",
            sort_dir="desc",
        )
    )
    created = [image["created_at"] for image in images]
    assert created == sorted(created, reverse=True)
    assert len(images) == len(SEEDED_IMAGES)


def test_glance_pages_with_next_links(services, token, glance):
    r = requests.get(
        services["glance"] + "/v2/images",
        params={"limit": 2, "sort_key": "name", "sort_dir": "asc"},
        headers={"X-Auth-Token": token()},
        timeout=TIMEOUT,
    )
    body = r.json()
    assert [i["name"] for i in body["images"]] == sorted(SEEDED_IMAGES)[:2]
    assert "marker=" in body["next"]
    # glanceclient follows the next links itself.
    names = [
        i["name"]
        for i in glance.images.list(page_size=1, sort_key="name", sort_dir="asc")
    ]
    assert names == sorted(SEEDED_IMAGES)


def test_glance_filters_by_property(glance):
    names = [i["name"] for i in glance.images.list(filters={"os_distro": "ubuntu"})]
    assert names == ["ubuntu-mesos"]


def test_glance_get_by_id_and_missing_image(glance):
    first = next(iter(glance.images.list(filters={"name": "cirros"})))
    assert glance.images.get(first["id"])["name"] == "cirros"
    with pytest.raises(glance_exc.HTTPNotFound) as info:
        glance.images.get("00000000-0000-0000-0000-000000000000")
    assert "No image found with ID 00000000-0000-0000-0000-000000000000" in str(
        info.value
    )


def test_image_schema_is_served(services, token):
    r = requests.get(
        services["glance"] + "/v2/schemas/image",
        headers={"X-Auth-Token": token()},
        timeout=TIMEOUT,
    )
    schema = r.json()
    assert schema["name"] == "image"
    assert schema["additionalProperties"] == {"type": "string"}
    assert "os_distro" in schema["properties"]


# --- Nova -----------------------------------------------------------------------


def test_novaclient_lists_flavors_and_keypairs(nova):
    flavors = {f.name: f for f in nova.flavors.list()}
    assert set(flavors) == {"m1.tiny", "m1.small", "m1.medium", "m1.large"}
    assert flavors["m1.small"].ram == 2048
    assert [k.name for k in nova.keypairs.list()] == ["testkey"]
    assert nova.keypairs.get("testkey").public_key.startswith("ssh-")


def test_nova_errors_are_nova_shaped(nova):
    with pytest.raises(nova_exc.NotFound) as info:
        nova.keypairs.get("nokey")
    assert "Keypair nokey not found for user" in str(info.value)
    with pytest.raises(nova_exc.NotFound) as info:
        nova.flavors.get("999")
    assert "Flavor 999 could not be found." in str(info.value)


def test_nova_overview_calls(nova, keystone):
    import datetime

    limits = nova.limits.get(reserved=True).to_dict()["absolute"]
    assert limits["maxTotalInstances"] > 0
    assert limits["totalInstancesUsed"] == 0
    end = datetime.datetime.now(datetime.UTC)
    usage = nova.usage.get("any-project", end - datetime.timedelta(days=1), end)
    assert usage.server_usages == []
    assert usage.total_hours == 0


def test_nova_microversion_is_negotiated(services, token):
    headers = {"X-Auth-Token": token(), "OpenStack-API-Version": "compute 2.61"}
    r = requests.get(
        services["nova"] + "/v2.1/flavors/detail", headers=headers, timeout=TIMEOUT
    )
    assert r.headers["OpenStack-API-Version"] == "compute 2.61"
    assert r.json()["flavors"][0]["extra_specs"] == {}
    headers["OpenStack-API-Version"] = "compute 9.9"
    r = requests.get(
        services["nova"] + "/v2.1/flavors", headers=headers, timeout=TIMEOUT
    )
    assert r.status_code == 406
    assert "computeFault" in r.json()


def test_openstacksdk_lists_flavors_as_horizon_does(sdk):
    # openstack_dashboard/api/nova.py flavor_list goes through openstacksdk.
    flavors = {f.name: f for f in sdk.compute.flavors(details=True, is_public=None)}
    assert flavors["m1.large"].vcpus == 4
    assert flavors["m1.large"].is_public is True


# --- Neutron ------------------------------------------------------------------------


def test_sdk_lists_external_networks_with_subnets(sdk):
    external = list(sdk.network.networks(is_router_external=True))
    assert [n.name for n in external] == ["public"]
    subnets = {s.id: s for s in sdk.network.subnets()}
    assert all(sid in subnets for sid in external[0].subnet_ids)
    names = {n.name for n in sdk.network.networks()}
    assert names == {"public", "private"}


def test_horizon_external_network_query(services, token):
    # openstack_dashboard/api/neutron.py network_list(**{"router:external": True}).
    r = requests.get(
        services["neutron"] + "/v2.0/networks?router%3Aexternal=True",
        headers={"X-Auth-Token": token()},
        timeout=TIMEOUT,
    )
    networks = r.json()["networks"]
    assert [n["name"] for n in networks] == ["public"]
    assert networks[0]["subnets"]


def test_neutron_errors_are_neutron_shaped(sdk, services, token):
    with pytest.raises(sdk_exc.ResourceNotFound) as info:
        sdk.network.get_network("00000000-0000-0000-0000-000000000000")
    assert "could not be found" in str(info.value)
    r = requests.get(
        services["neutron"] + "/v2.0/networks/nope",
        headers={"X-Auth-Token": token()},
        timeout=TIMEOUT,
    )
    assert r.status_code == 404
    assert r.json()["NeutronError"]["type"] == "NetworkNotFound"


def test_neutron_extensions_are_empty_and_side_lists_exist(services, token):
    headers = {"X-Auth-Token": token()}
    base = services["neutron"] + "/v2.0"
    assert requests.get(
        f"{base}/extensions", headers=headers, timeout=TIMEOUT
    ).json() == {"extensions": []}
    for collection in ("ports", "security-groups", "floatingips"):
        r = requests.get(f"{base}/{collection}", headers=headers, timeout=TIMEOUT)
        assert r.json() == {collection.replace("-", "_"): []}


def test_private_network_belongs_to_each_project(services, token):
    def private_owner(tok):
        r = requests.get(
            services["neutron"] + "/v2.0/networks",
            params={"name": "private"},
            headers={"X-Auth-Token": tok},
            timeout=TIMEOUT,
        )
        return r.json()["networks"][0]["project_id"]

    assert private_owner(token()) != private_owner(token("alt", "alt", "alt"))
