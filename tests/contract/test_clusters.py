"""Clusters (Bays) on both Magnums: create (202 + uuid, then a GET that may
answer 404 for a moment), get, list, scale (PATCH /node_count), delete.

On real Magnum 23 the clusters come from coe=kubernetes templates on
fedora-coreos-40, on the stand-in from coe=dcos templates on dcos-centos-7.2.
"""

import uuid

import pytest

from dcos_dashboard.api import magnum
from tests.contract.conftest import NO_NODEGROUPS, unique

pytestmark = pytest.mark.cloud


def test_create_patch_delete_on_the_wire(backend):
    template = backend.template()
    r = backend.http(
        "POST",
        "/v1/clusters",
        json={"name": unique("bay"), "cluster_template_id": template.uuid},
    )
    assert r.status_code == 202, r.text
    body = r.json()
    assert list(body) == ["uuid"]
    cluster_id = body["uuid"]
    assert str(uuid.UUID(cluster_id)) == cluster_id
    backend.made.append(("cluster", cluster_id, "demo"))

    # The conductor writes the row after the 202: a 404 may come first.
    seen = backend.wait_for(cluster_id, ("CREATE_COMPLETE",))
    assert set(seen) <= {None, NO_NODEGROUPS, "CREATE_IN_PROGRESS", "CREATE_COMPLETE"}

    listed = backend.http("GET", "/v1/clusters?limit=1").json()
    first = listed["clusters"][0]["uuid"]
    assert listed["next"] == (
        f"{backend.url}/v1/clusters?sort_key=id&sort_dir=asc&limit=1&marker={first}"
    )

    r = backend.http(
        "PATCH",
        f"/v1/clusters/{cluster_id}",
        json=[{"op": "replace", "path": "/node_count", "value": 2}],
    )
    assert (r.status_code, r.json()) == (202, {"uuid": cluster_id})
    backend.wait_for(cluster_id, ("UPDATE_COMPLETE",))

    r = backend.http("DELETE", f"/v1/clusters/{cluster_id}")
    assert (r.status_code, r.content) == (204, b"")
    backend.wait_for(cluster_id, (None,))
    r = backend.http("GET", f"/v1/clusters/{cluster_id}")
    assert r.status_code == 404


def test_lifecycle_through_the_plugin(backend):
    req = backend.request()
    template = backend.template()
    cluster_id = backend.cluster(template.uuid, node_count=1, master_count=1)

    backend.wait_for(cluster_id, ("CREATE_COMPLETE",))
    bay = magnum.cluster_get(req, cluster_id)
    inherited = {
        "cluster_template_id": template.uuid,
        "keypair": "testkey",
        "labels": {"contract": "yes"},
        "flavor_id": "m1.small",
        "master_flavor_id": "m1.medium",
        "node_count": 1,
        "master_count": 1,
        "create_timeout": 60,
        "master_lb_enabled": False,
        "floating_ip_enabled": True,
    }
    assert {name: getattr(bay, name) for name in inherited} == inherited
    assert bay.api_address
    listed, more = magnum.cluster_list(req)
    assert more is False
    assert cluster_id in [c.uuid for c in listed]

    magnum.cluster_scale(req, cluster_id, 3)
    seen = backend.wait_for(cluster_id, ("UPDATE_COMPLETE",))
    assert set(seen) <= {"CREATE_COMPLETE", "UPDATE_IN_PROGRESS", "UPDATE_COMPLETE"}
    assert magnum.cluster_get(req, cluster_id).node_count == 3

    magnum.cluster_delete(req, cluster_id)
    seen = backend.wait_for(cluster_id, (None,))
    assert set(seen) <= {
        "UPDATE_COMPLETE",
        "DELETE_IN_PROGRESS",
        "DELETE_COMPLETE",
        NO_NODEGROUPS,
        None,
    }
    assert magnum.cluster_get_or_none(req, cluster_id) is None
    with pytest.raises(magnum.MagnumError) as err:
        magnum.cluster_get(req, cluster_id)
    assert err.value.status == 404
