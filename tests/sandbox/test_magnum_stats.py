"""``/v1/stats`` and ``/v1/quotas`` of the Magnum stand-in, as Magnum 23
answers them (magnum/api/controllers/v1/stats.py, quota.py): counts of the
caller's project, and cluster quotas that the admin sets and bays obey."""

import pytest

from tests.sandbox.test_magnum_lifecycle import Cloud


@pytest.fixture
def cloud(tmp_path):
    return Cloud(tmp_path, row_delay=0, max_clusters_per_project=3)


def test_stats_count_the_callers_clusters_and_their_nodes(cloud):
    template = cloud.template()
    cloud.bay(template, master_count=1, node_count=2)
    cloud.bay(template, master_count=3, node_count=4, master_lb_enabled=True)
    alt_template = cloud.template(token="alt")
    cloud.bay(alt_template, token="alt", master_count=1, node_count=1)

    mine = cloud.call("GET", "/v1/stats")
    assert (mine.status_int, mine.json) == (200, {"clusters": 2, "nodes": 10})
    assert cloud.call("GET", "/v1/stats", token="alt").json == {
        "clusters": 1,
        "nodes": 2,
    }
    assert cloud.call("GET", "/v1/stats", token="admin").json == {
        "clusters": 3,
        "nodes": 12,
    }
    assert cloud.call("GET", "/v1/stats?project_id=p-alt", token="admin").json == {
        "clusters": 1,
        "nodes": 2,
    }
    foreign = cloud.call("GET", "/v1/stats?project_id=p-alt")
    assert foreign.status_int == 403
    assert foreign.json["errors"][0]["detail"] == "Not authorized."
    assert cloud.call("GET", "/v1/stats?type=node").status_int == 400


def test_quota_defaults_then_admin_sets_one_that_bays_obey(cloud):
    default = cloud.call("GET", "/v1/quotas/p-demo/Cluster")
    assert (default.status_int, default.json) == (
        200,
        {"project_id": "p-demo", "hard_limit": 3, "resource": "Cluster"},
    )
    assert cloud.call("GET", "/v1/quotas/p-alt/Cluster").status_int == 403

    body = {"project_id": "p-demo", "resource": "Cluster", "hard_limit": 1}
    refused = cloud.call("POST", "/v1/quotas", body)
    assert refused.status_int == 403
    made = cloud.call("POST", "/v1/quotas", body, token="admin")
    assert made.status_int == 201
    assert made.json["hard_limit"] == 1
    assert cloud.call("POST", "/v1/quotas", body, token="admin").status_int == 409
    assert cloud.call("GET", "/v1/quotas/p-demo/Cluster").json["hard_limit"] == 1

    template = cloud.template()
    cloud.bay(template)
    second = cloud.call(
        "POST", "/v1/clusters", {"name": "two", "cluster_template_id": template}
    )
    assert second.status_int == 403
    assert "maximum clusters per project, 1." in second.json["errors"][0]["detail"]

    raised = cloud.call(
        "PATCH", "/v1/quotas/p-demo/Cluster", {"hard_limit": 5}, token="admin"
    )
    assert (raised.status_int, raised.json["hard_limit"]) == (202, 5)
    cloud.bay(template, name="two")
    gone = cloud.call("DELETE", "/v1/quotas/p-demo/Cluster", token="admin")
    assert gone.status_int == 204
    assert cloud.call("GET", "/v1/quotas/p-demo/Cluster").json["hard_limit"] == 3
