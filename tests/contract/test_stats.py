"""``/v1/stats`` and ``/v1/quotas`` on both Magnums: the counts and the
cluster quota magnum-ui's Clusters panel reads on every load."""

import pytest

pytestmark = pytest.mark.cloud


def test_stats_count_the_projects_clusters_and_nodes(backend):
    before = backend.http("GET", "/v1/stats")
    assert before.status_code == 200, before.text
    assert set(before.json()) == {"clusters", "nodes"}
    template = backend.template()
    cluster_id = backend.cluster(template.uuid, node_count=2, master_count=1)
    backend.wait_for(cluster_id, ("CREATE_COMPLETE",))

    after = backend.http("GET", "/v1/stats", user="reader").json()
    assert after == {
        "clusters": before.json()["clusters"] + 1,
        "nodes": before.json()["nodes"] + 3,
    }
    foreign = backend.http("GET", f"/v1/stats?project_id={'0' * 32}")
    assert foreign.status_code == 403
    assert foreign.json()["errors"][0]["detail"] == "Not authorized."


def test_quota_of_a_project_without_one_is_the_default(backend):
    template = backend.template()
    doc = backend.http("GET", f"/v1/clustertemplates/{template.uuid}").json()
    project_id = doc["project_id"]
    r = backend.http("GET", f"/v1/quotas/{project_id}/Cluster", user="reader")
    assert r.status_code == 200, r.text
    assert r.json() == {
        "project_id": project_id,
        "hard_limit": 20,
        "resource": "Cluster",
    }
    body = {"project_id": project_id, "resource": "Cluster", "hard_limit": 3}
    refused = backend.http("POST", "/v1/quotas", json=body)
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["detail"] == (
        "Policy doesn't allow quota:create to be performed."
    )
