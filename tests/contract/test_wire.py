"""Microversions, document fields, and isolation between projects, on both
Magnums.

Clusters come from coe=kubernetes templates on fedora-coreos-40 on real
Magnum 23, from coe=dcos templates on dcos-centos-7.2 on the stand-in.
"""

import pytest

from dcos_dashboard.api import magnum

pytestmark = pytest.mark.cloud

# What Magnum 23 accepts as the service in OpenStack-API-Version
# (magnum/api/controllers/versions.py).
SERVICES = (
    "container-infrastructure-management",
    "container-infrastructure",
    "container-infra",
)

CLUSTER_BRIEF_KEYS = sorted(
    "uuid name cluster_template_id keypair node_count master_count "
    "docker_volume_size labels master_flavor_id flavor_id create_timeout links "
    "status health_status cluster_id merge_labels".split()
)
CLUSTER_KEYS = sorted(
    "uuid name cluster_template_id keypair node_count master_count "
    "docker_volume_size labels master_flavor_id flavor_id create_timeout links "
    "cluster_id status status_reason health_status health_status_reason "
    "discovery_url api_address coe_version container_version project_id user_id "
    "node_addresses master_addresses fixed_network fixed_subnet "
    "floating_ip_enabled merge_labels labels_overridden labels_added "
    "labels_skipped master_lb_enabled created_at updated_at".split()
)


def _versions(r):
    return tuple(
        r.headers.get(f"OpenStack-API-{name}")
        for name in ("Version", "Minimum-Version", "Maximum-Version")
    )


@pytest.mark.parametrize(
    ("asked", "answered"), [("latest", "1.14"), (None, "1.1"), ("1.10", "1.10")]
)
def test_microversion_negotiation(backend, asked, answered):
    r = backend.http("GET", "/v1/clusters", version=asked)
    assert r.status_code == 200
    assert r.headers["Vary"] == "OpenStack-API-Version"
    current, minimum, maximum = (value.split() for value in _versions(r))
    assert current[1] == answered
    assert (minimum[1], maximum[1]) == ("1.1", "1.14")
    assert current[0] == minimum[0] == maximum[0]
    assert current[0] in SERVICES


def test_microversion_headers_name_the_service_as_magnum_23(backend):
    r = backend.http("GET", "/v1/clusters")
    service = "container-infrastructure-management"
    assert _versions(r) == (f"{service} 1.14", f"{service} 1.1", f"{service} 1.14")


def test_unsupported_microversion_is_406(backend):
    r = backend.http("GET", "/v1/clusters", version="1.99")
    assert r.status_code == 406
    assert _versions(r)[0].split()[1] == "1.99"


def test_unsupported_microversion_body(backend):
    r = backend.http("GET", "/v1/clusters", version="1.99")
    assert r.json() == {
        "errors": [
            {
                "max_version": "1.14",
                "min_version": "1.1",
                "code": "magnum.microversion-unsupported",
                "links": [
                    {
                        "rel": "help",
                        "href": "http://docs.openstack.org/api-guide/compute/"
                        "microversions.html",
                    }
                ],
                "title": "Requested microversion is unsupported",
            }
        ]
    }


def test_microversion_header_for_another_service(backend):
    r = backend.http(
        "GET",
        "/v1/clusters",
        version=None,
        headers={"OpenStack-API-Version": "compute 2.1"},
    )
    assert r.status_code == 406
    assert _versions(r) == (None, None, None)
    assert r.json() == {
        "errors": [
            {
                "request_id": "",
                "code": "",
                "status": 406,
                "title": "",
                "detail": "",
                "links": [],
            }
        ]
    }


def test_cluster_document_fields(backend):
    template = backend.template()
    cluster_id = backend.cluster(template.uuid)
    backend.wait_for(cluster_id, ("CREATE_COMPLETE",))

    doc = backend.http("GET", f"/v1/clusters/{cluster_id}").json()
    assert sorted(doc) == CLUSTER_KEYS
    assert doc["merge_labels"] is False
    detail = backend.http("GET", "/v1/clusters/detail").json()["clusters"]
    assert [sorted(c) for c in detail if c["uuid"] == cluster_id] == [CLUSTER_KEYS]
    brief = backend.http("GET", "/v1/clusters").json()["clusters"]
    assert [sorted(c) for c in brief if c["uuid"] == cluster_id] == [CLUSTER_BRIEF_KEYS]


def test_new_cluster_health_fields(backend):
    template = backend.template()
    cluster_id = backend.cluster(template.uuid)
    backend.wait_for(cluster_id, ("CREATE_COMPLETE",))
    doc = backend.http("GET", f"/v1/clusters/{cluster_id}").json()
    assert (doc["health_status"], doc["health_status_reason"]) == (None, {})


def test_cluster_names_its_stack_by_microversion(backend):
    """Microversion 1.13 renamed stack_id to cluster_id."""
    template = backend.template()
    cluster_id = backend.cluster(template.uuid)
    backend.wait_for(cluster_id, ("CREATE_COMPLETE",))
    path = f"/v1/clusters/{cluster_id}"
    latest = backend.http("GET", path).json()
    old = backend.http("GET", path, version=None).json()
    assert ("cluster_id" in latest, "stack_id" in latest) == (True, False)
    assert ("cluster_id" in old, "stack_id" in old) == (False, True)
    assert latest["cluster_id"] == old["stack_id"]


def test_projects_do_not_see_each_others_templates_and_clusters(backend):
    demo, alt = backend.request("demo"), backend.request("alt")
    template = backend.template()
    cluster_id = backend.cluster(template.uuid)
    backend.wait_for(cluster_id, ("CREATE_COMPLETE",))
    theirs = backend.template(user="alt")

    assert template.uuid not in [t.uuid for t in magnum.cluster_template_list(alt)[0]]
    assert cluster_id not in [c.uuid for c in magnum.cluster_list(alt)[0]]
    assert theirs.uuid not in [t.uuid for t in magnum.cluster_template_list(demo)[0]]

    attempts = {
        "get template": lambda: magnum.cluster_template_get(alt, template.uuid),
        "update template": lambda: magnum.cluster_template_update(
            alt, template.uuid, {"name": "taken"}
        ),
        "delete template": lambda: magnum.cluster_template_delete(alt, template.uuid),
        "create cluster": lambda: magnum.cluster_create(
            alt, name="stolen", cluster_template_id=template.uuid
        ),
        "get cluster": lambda: magnum.cluster_get(alt, cluster_id),
        "scale cluster": lambda: magnum.cluster_scale(alt, cluster_id, 5),
        "delete cluster": lambda: magnum.cluster_delete(alt, cluster_id),
    }
    statuses = {}
    for what, attempt in attempts.items():
        with pytest.raises(magnum.MagnumError) as err:
            attempt()
        statuses[what] = err.value.status
    assert statuses == dict.fromkeys(attempts, 404)

    r = backend.http("GET", f"/v1/clusters/{cluster_id}", user="alt")
    assert (r.status_code, r.json()["errors"][0]["detail"]) == (
        404,
        f"Cluster {cluster_id} could not be found.",
    )

    # Nothing alt tried changed demo's.
    bay = magnum.cluster_get(demo, cluster_id)
    assert (bay.status, bay.node_count) == ("CREATE_COMPLETE", 1)
    assert magnum.cluster_template_get(demo, template.uuid).name == template.name
