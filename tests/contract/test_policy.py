"""Magnum 23's default policy on both Magnums, new defaults enforced
(magnum/common/policies/; the conftest's ``[oslo_policy]``): a reader of
the project reads and writes nothing, a member writes, the admin publishes.
"""

import pytest

from tests.contract.conftest import unique

pytestmark = pytest.mark.cloud


def refused(response, rule):
    assert response.status_code == 403, response.text
    detail = response.json()["errors"][0]["detail"]
    assert detail == f"Policy doesn't allow {rule} to be performed."


def test_a_reader_reads(backend):
    template = backend.template()
    for path in (
        "/v1/clustertemplates",
        "/v1/clustertemplates/detail",
        f"/v1/clustertemplates/{template.uuid}",
        "/v1/clusters",
        "/v1/clusters/detail",
    ):
        r = backend.http("GET", path, user="reader")
        assert r.status_code == 200, (path, r.text)
    listed = backend.http("GET", "/v1/clustertemplates", user="reader").json()
    assert template.uuid in {t["uuid"] for t in listed["clustertemplates"]}


def test_a_reader_writes_no_template(backend):
    template = backend.template()
    fields = backend.template_fields()
    refused(
        backend.http("POST", "/v1/clustertemplates", user="reader", json=fields),
        "clustertemplate:create",
    )
    rename = [{"op": "replace", "path": "/name", "value": unique("ct")}]
    path = f"/v1/clustertemplates/{template.uuid}"
    refused(
        backend.http("PATCH", path, user="reader", json=rename),
        "clustertemplate:update",
    )
    refused(backend.http("DELETE", path, user="reader"), "clustertemplate:delete")
    assert backend.http("GET", path).json()["name"] == template.name


def test_a_reader_writes_no_cluster(backend):
    template = backend.template()
    cluster_id = backend.cluster(template.uuid, node_count=1, master_count=1)
    backend.wait_for(cluster_id, ("CREATE_COMPLETE",))
    path = f"/v1/clusters/{cluster_id}"

    assert backend.http("GET", path, user="reader").status_code == 200
    scale = [{"op": "replace", "path": "/node_count", "value": 2}]
    refused(backend.http("PATCH", path, user="reader", json=scale), "cluster:update")
    refused(backend.http("DELETE", path, user="reader"), "cluster:delete")
    body = {"name": unique("bay"), "cluster_template_id": template.uuid}
    refused(
        backend.http("POST", "/v1/clusters", user="reader", json=body),
        "cluster:create",
    )
    shown = backend.http("GET", path).json()
    assert (shown["node_count"], shown["status"]) == (1, "CREATE_COMPLETE")


def test_a_member_writes_and_only_the_admin_publishes(backend):
    template = backend.template()
    path = f"/v1/clustertemplates/{template.uuid}"
    name = unique("ct")
    rename = [{"op": "replace", "path": "/name", "value": name}]
    r = backend.http("PATCH", path, json=rename)
    assert (r.status_code, r.json()["name"]) == (200, name)

    publish = [{"op": "replace", "path": "/public", "value": True}]
    r = backend.http("PATCH", path, json=publish)
    assert r.status_code == 403
    assert r.json()["errors"][0]["detail"] == (
        "Not authorized to set public or hidden flag for cluster template."
    )
    own = backend.template(user="admin")
    r = backend.http(
        "PATCH", f"/v1/clustertemplates/{own.uuid}", user="admin", json=publish
    )
    assert r.status_code == 200, r.text
    assert r.json()["public"] is True


def test_the_admin_does_not_find_another_projects_private_template(backend):
    # Magnum's PATCH validators read the template before the controller sets
    # all_tenants for an admin (magnum api/validation.py).
    template = backend.template()
    rename = [{"op": "replace", "path": "/name", "value": unique("ct")}]
    path = f"/v1/clustertemplates/{template.uuid}"
    r = backend.http("PATCH", path, user="admin", json=rename)
    assert r.status_code == 404, r.text
    assert r.json()["errors"][0]["detail"] == (
        f"ClusterTemplate {template.uuid} could not be found."
    )
