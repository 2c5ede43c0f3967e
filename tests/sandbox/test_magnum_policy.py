"""The Magnum stand-in enforces Magnum 23's default policy
(magnum/common/policies/, new defaults): a reader reads, a member writes,
publishing is the admin's."""

import pytest

from dcos_sandbox.auth import Identity, StaticTokens
from tests.sandbox.test_magnum_lifecycle import TOKENS, Cloud

ROLES = {
    **TOKENS,
    # Keystone expands implied roles into the token: admin > member > reader.
    "reader": Identity("p-demo", "u-reader", ("reader",)),
    "member-only": Identity("p-demo", "u-other", ("member", "reader")),
}


@pytest.fixture
def cloud(tmp_path):
    cloud = Cloud(tmp_path, row_delay=0)
    cloud.app = StaticTokens(cloud.magnum, ROLES, cloud.magnum.public_paths)
    return cloud


def refused(response, rule):
    assert response.status_int == 403, response.text
    detail = response.json["errors"][0]["detail"]
    assert detail == f"Policy doesn't allow {rule} to be performed."


def test_a_reader_reads_but_writes_nothing(cloud):
    template = cloud.template()
    bay = cloud.bay(template, master_count=1, node_count=1)
    cloud.clock.now += 10

    for path in (
        "/v1/clustertemplates",
        "/v1/clustertemplates/detail",
        f"/v1/clustertemplates/{template}",
        "/v1/clusters",
        "/v1/clusters/detail",
        f"/v1/clusters/{bay}",
    ):
        assert cloud.call("GET", path, token="reader").status_int == 200, path

    patch = [{"op": "replace", "path": "/node_count", "value": 2}]
    refused(
        cloud.call("PATCH", f"/v1/clusters/{bay}", patch, token="reader"),
        "cluster:update",
    )
    refused(
        cloud.call("DELETE", f"/v1/clusters/{bay}", token="reader"), "cluster:delete"
    )
    body = {"name": "more", "cluster_template_id": template}
    refused(cloud.call("POST", "/v1/clusters", body, token="reader"), "cluster:create")
    rename = [{"op": "replace", "path": "/name", "value": "renamed"}]
    refused(
        cloud.call("PATCH", f"/v1/clustertemplates/{template}", rename, token="reader"),
        "clustertemplate:update",
    )
    refused(
        cloud.call("DELETE", f"/v1/clustertemplates/{template}", token="reader"),
        "clustertemplate:delete",
    )
    with pytest.raises(AssertionError):
        cloud.template(token="reader")
    assert cloud.call("GET", f"/v1/clusters/{bay}").json["node_count"] == 1


def test_another_member_of_the_project_writes(cloud):
    template = cloud.template()
    bay = cloud.bay(template, master_count=1, node_count=1)
    cloud.clock.now += 10
    patch = [{"op": "replace", "path": "/node_count", "value": 2}]

    response = cloud.call("PATCH", f"/v1/clusters/{bay}", patch, token="member-only")
    assert response.status_int == 202
    assert cloud.call("GET", f"/v1/clusters/{bay}").json["node_count"] == 2


def test_publishing_is_the_admins(cloud):
    refused_public = cloud.call(
        "POST",
        "/v1/clustertemplates",
        {"coe": "dcos", "image_id": "dcos-centos-7.2", "public": True},
    )
    assert refused_public.status_int == 403
    assert cloud.template(token="admin", public=True)
