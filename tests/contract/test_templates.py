"""Cluster templates (Bay Models) on both Magnums: create, get, list, JSON-patch
update, delete, and list pagination.

On real Magnum 23 the templates are coe=kubernetes on fedora-coreos-40, on the
stand-in coe=dcos on dcos-centos-7.2 (see ``Backend`` in conftest.py).
"""

import pytest

from dcos_dashboard.api import magnum

pytestmark = pytest.mark.cloud

# The fields of a template document (GET, list and list/detail alike).
TEMPLATE_KEYS = sorted(
    "uuid name coe image_id flavor_id master_flavor_id dns_nameserver keypair_id "
    "external_network_id fixed_network fixed_subnet network_driver apiserver_port "
    "docker_volume_size cluster_distro links http_proxy https_proxy no_proxy "
    "volume_driver registry_enabled labels tls_disabled public server_type "
    "insecure_registry docker_storage_driver master_lb_enabled "
    "floating_ip_enabled project_id user_id hidden tags driver created_at "
    "updated_at".split()
)
DISTRO = {"dcos": "centos", "kubernetes": "fedora-coreos"}
DEFAULT_NETWORK_DRIVER = {"dcos": "docker", "kubernetes": "flannel"}


def test_create_answers_201_with_the_document_and_its_location(backend):
    fields = backend.template_fields()
    r = backend.http("POST", "/v1/clustertemplates", json=fields)
    assert r.status_code == 201, r.text
    doc = r.json()
    backend.made.append(("template", doc["uuid"], "demo"))
    self_url = f"{backend.url}/v1/clustertemplates/{doc['uuid']}"
    assert r.headers["Location"] == self_url
    assert sorted(doc) == TEMPLATE_KEYS
    assert {name: doc[name] for name in fields} == fields
    assert doc["cluster_distro"] == DISTRO[backend.coe]
    assert doc["network_driver"] == DEFAULT_NETWORK_DRIVER[backend.coe]
    defaults = {
        "public": False,
        "hidden": False,
        "tls_disabled": False,
        "registry_enabled": False,
        "master_lb_enabled": False,
        "floating_ip_enabled": True,
        "server_type": "vm",
        "updated_at": None,
    }
    assert {name: doc[name] for name in defaults} == defaults
    assert doc["links"] == [
        {"href": self_url, "rel": "self"},
        {
            "href": f"{backend.url}/clustertemplates/{doc['uuid']}",
            "rel": "bookmark",
        },
    ]
    for path in ("/v1/clustertemplates", "/v1/clustertemplates/detail"):
        listed = backend.http("GET", path).json()["clustertemplates"]
        (mine,) = [t for t in listed if t["uuid"] == doc["uuid"]]
        assert sorted(mine) == TEMPLATE_KEYS


def test_crud_through_the_plugin(backend):
    req = backend.request()
    created = backend.template()
    assert created.coe == backend.coe
    assert created.labels == {"contract": "yes"}

    assert magnum.cluster_template_get(req, created.uuid).name == created.name
    assert magnum.cluster_template_get(req, created.name).uuid == created.uuid
    listed, more = magnum.cluster_template_list(req)
    assert more is False
    assert created.uuid in [t.uuid for t in listed]

    renamed = created.name + "-v2"
    updated = magnum.cluster_template_update(
        req,
        created.uuid,
        {
            "name": renamed,
            "labels": {"contract": "yes", "gc_delay": "3"},
            "master_lb_enabled": True,
            "flavor_id": "m1.large",
            "http_proxy": "http://proxy.example:3128",
            "keypair_id": None,  # a JSON-patch "remove"
        },
    )
    changed = {
        "name": renamed,
        "labels": {"contract": "yes", "gc_delay": "3"},
        "master_lb_enabled": True,
        "flavor_id": "m1.large",
        "http_proxy": "http://proxy.example:3128",
        "keypair_id": None,
    }
    for doc in (updated, magnum.cluster_template_get(req, created.uuid)):
        assert {name: getattr(doc, name) for name in changed} == changed

    magnum.cluster_template_delete(req, created.uuid)
    with pytest.raises(magnum.MagnumError) as err:
        magnum.cluster_template_get(req, created.uuid)
    assert err.value.status == 404
    assert created.uuid in err.value.detail
    assert created.uuid not in [t.uuid for t in magnum.cluster_template_list(req)[0]]


def test_json_patch_answers_200_with_the_document(backend):
    made = backend.template()
    r = backend.http(
        "PATCH",
        f"/v1/clustertemplates/{made.uuid}",
        json=[
            {"op": "replace", "path": "/dns_nameserver", "value": "9.9.9.9"},
            {"op": "remove", "path": "/labels"},
        ],
    )
    assert r.status_code == 200, r.text
    doc = r.json()
    assert sorted(doc) == TEMPLATE_KEYS
    # The answer is the patched document; the labels removed read None in it.
    assert (doc["dns_nameserver"], doc["labels"]) == ("9.9.9.9", None)
    got = backend.http("GET", f"/v1/clustertemplates/{made.uuid}").json()
    assert got["dns_nameserver"] == "9.9.9.9"
    assert got["updated_at"] is not None


def test_removed_labels_read_back_as_an_empty_map(backend):
    made = backend.template()
    patch = [{"op": "remove", "path": "/labels"}]
    backend.http("PATCH", f"/v1/clustertemplates/{made.uuid}", json=patch)
    got = backend.http("GET", f"/v1/clustertemplates/{made.uuid}").json()
    assert got["labels"] == {}


def test_patch_answer_keeps_the_updated_at_it_had(backend):
    made = backend.template()
    patch = [{"op": "replace", "path": "/name", "value": made.name + "-v2"}]
    r = backend.http("PATCH", f"/v1/clustertemplates/{made.uuid}", json=patch)
    assert (r.status_code, r.json()["updated_at"]) == (200, None)


def test_pages_follow_limit_marker_and_next(backend):
    mine = [backend.template().uuid for _ in range(3)]
    everything = [
        t["uuid"]
        for t in backend.http("GET", "/v1/clustertemplates").json()["clustertemplates"]
    ]

    seen, path = [], "/v1/clustertemplates?limit=2"
    while path:
        body = backend.http("GET", path).json()
        page = [t["uuid"] for t in body["clustertemplates"]]
        assert len(page) <= 2
        seen += page
        if len(page) == 2:
            # A full page links to the next one (magnum's collection.py).
            assert body["next"] == (
                f"{backend.url}/v1/clustertemplates?sort_key=id&sort_dir=asc"
                f"&limit=2&marker={page[-1]}"
            )
            path = body["next"][len(backend.url) :]
        else:
            assert "next" not in body
            path = None
    assert seen == everything
    # Oldest first: the default sort is by creation (sort_key id).
    assert [u for u in seen if u in mine] == mine

    # The plugin pages as Horizon does: one more than shown says "more".
    req = backend.request()
    page, more = magnum.cluster_template_list(req, limit=1, marker=mine[0])
    assert ([t.uuid for t in page], more) == ([mine[1]], True)
    page, more = magnum.cluster_template_list(req, limit=1, marker=mine[1])
    assert [t.uuid for t in page] == [mine[2]]
    assert more is (everything[-1] != mine[2])


def test_the_edit_form_can_update_a_model_without_master_flavor(backend):
    """What UpdateBayModel sends for such a model (the node flavor for the
    masters) is accepted where a bare rename is not (test_errors.py)."""
    fields = backend.template_fields()
    del fields["master_flavor_id"]
    req = backend.request()
    made = magnum.cluster_template_create(req, **fields)
    backend.made.append(("template", made.uuid, "demo"))
    assert made.master_flavor_id is None
    updated = magnum.cluster_template_update(
        req, made.uuid, {"name": made.name + "-v2", "master_flavor_id": "m1.small"}
    )
    assert (updated.name, updated.master_flavor_id) == (made.name + "-v2", "m1.small")
