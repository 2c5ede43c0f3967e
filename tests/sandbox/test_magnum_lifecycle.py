"""The Magnum stand-in's bay lifecycle at the WSGI level, on a clock the test turns.

No sockets and no Keystone here: requests go straight into the app behind
``auth.StaticTokens``, so each transition can be checked at its exact
deadline. The real-token, real-client path is in test_magnum.py.
"""

import json
import time

import pytest
import webob

from dcos_sandbox.auth import Identity, StaticTokens
from dcos_sandbox.config import Config
from dcos_sandbox.magnum import Magnum
from dcos_sandbox.openstack import World
from tests.sandbox.test_magnum import FakeSimulator

T = 3.0  # transition_seconds
ROW = 0.3  # the early-404 window
TOKENS = {
    "demo": Identity("p-demo", "u-demo", ("member", "reader")),
    "alt": Identity("p-alt", "u-alt", ("member", "reader")),
    "admin": Identity("p-admin", "u-admin", ("admin", "member", "reader")),
}


class Clock:
    def __init__(self):
        self.now = 1_700_000_000.0

    def __call__(self):
        return self.now


class Cloud:
    """One Magnum app, its fake simulator and clock, and a request helper."""

    def __init__(self, state_dir, mode="dcos", simulator=None, clock=None, **kwargs):
        self.config = Config(
            state_dir=state_dir, magnum_mode=mode, transition_seconds=T
        )
        self.clock = clock or Clock()
        self.simulator = simulator or FakeSimulator()
        kwargs.setdefault("row_delay", ROW)
        self.magnum = Magnum(
            self.config, World(), self.simulator, clock=self.clock, **kwargs
        )
        self.app = StaticTokens(self.magnum, TOKENS, self.magnum.public_paths)

    def call(self, method, path, body=None, token="demo", version=None):
        request = webob.Request.blank(path, method=method)
        if token:
            request.headers["X-Auth-Token"] = token
        if version:
            request.headers["OpenStack-API-Version"] = f"container-infra {version}"
        if body is not None:
            request.body = json.dumps(body).encode()
            request.content_type = "application/json"
        return request.get_response(self.app)

    def template(self, token="demo", **fields):
        body = {
            "name": "bm",
            "coe": "dcos",
            "image_id": "dcos-centos-7.2",
            "flavor_id": "m1.small",
            "master_flavor_id": "m1.medium",
            **fields,
        }
        response = self.call("POST", "/v1/clustertemplates", body, token=token)
        assert response.status_int == 201, response.text
        return response.json["uuid"]

    def bay(self, template_uuid, token="demo", **fields):
        body = {"name": "bay", "cluster_template_id": template_uuid, **fields}
        response = self.call("POST", "/v1/clusters", body, token=token)
        assert response.status_int == 202, response.text
        return response.json["uuid"]

    def scale(self, bay_uuid, count):
        """PATCH the bay's node count, which Magnum accepts (202); the bay as
        read right after."""
        patch = [{"op": "replace", "path": "/node_count", "value": count}]
        response = self.call("PATCH", f"/v1/clusters/{bay_uuid}", patch)
        assert response.status_int == 202, response.text
        return self.call("GET", f"/v1/clusters/{bay_uuid}").json

    def status(self, bay_uuid, token="demo"):
        response = self.call("GET", f"/v1/clusters/{bay_uuid}", token=token)
        return (
            response.json["status"]
            if response.status_int == 200
            else response.status_int
        )


@pytest.fixture
def cloud(tmp_path):
    return Cloud(tmp_path)


def test_new_bay_is_404_for_the_row_delay_then_in_progress(cloud):
    bay = cloud.bay(cloud.template())
    cloud.clock.now += ROW - 0.01
    assert cloud.status(bay) == 404
    assert cloud.call("GET", "/v1/clusters").json["clusters"] == []
    cloud.clock.now += 0.01
    assert cloud.status(bay) == "CREATE_IN_PROGRESS"
    assert [c["uuid"] for c in cloud.call("GET", "/v1/clusters").json["clusters"]] == [
        bay
    ]


def test_a_zero_row_delay_shows_the_bay_at_once(tmp_path):
    cloud = Cloud(tmp_path, row_delay=0)
    bay = cloud.bay(cloud.template())
    assert cloud.status(bay) == "CREATE_IN_PROGRESS"


def test_create_completes_at_its_deadline_and_tells_the_simulator(cloud):
    bay = cloud.bay(cloud.template(), node_count=3, master_count=1)
    cloud.clock.now += T - 0.01
    assert cloud.status(bay) == "CREATE_IN_PROGRESS"
    assert cloud.simulator.calls == []
    cloud.clock.now += 0.01
    body = cloud.call("GET", f"/v1/clusters/{bay}").json
    assert body["status"] == "CREATE_COMPLETE"
    assert cloud.simulator.calls == [("create", bay, "dcos", 1, 3, "bay")]
    assert body["node_addresses"] == cloud.simulator.addresses(bay)["node_addresses"]
    assert body["updated_at"] is not None


def test_the_ticker_tells_the_simulator_without_any_reader(tmp_path):
    config = Config(state_dir=tmp_path, transition_seconds=0.2)
    simulator = FakeSimulator()
    magnum = Magnum(config, World(), simulator, row_delay=0).start()
    try:
        app = StaticTokens(magnum, TOKENS)
        template = webob.Request.blank("/v1/clustertemplates", method="POST")
        template.headers["X-Auth-Token"] = "demo"
        template.json = {
            "coe": "mesos",
            "image_id": "ubuntu-mesos",
            "flavor_id": "m1.small",
            "master_flavor_id": "m1.medium",
        }
        template_uuid = template.get_response(app).json["uuid"]
        bay = webob.Request.blank("/v1/clusters", method="POST")
        bay.headers["X-Auth-Token"] = "demo"
        bay.json = {"cluster_template_id": template_uuid}
        bay_uuid = bay.get_response(app).json["uuid"]
        deadline = time.monotonic() + 5
        while not simulator.calls_for(bay_uuid) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert simulator.calls_for(bay_uuid)[0][:3] == ("create", bay_uuid, "mesos")
    finally:
        magnum.stop()


def test_scale_and_delete_move_through_their_states(cloud):
    bay = cloud.bay(cloud.template())
    cloud.clock.now += T
    body = cloud.scale(bay, 4)
    assert (body["status"], body["node_count"]) == ("UPDATE_IN_PROGRESS", 4)
    cloud.clock.now += T
    assert cloud.status(bay) == "UPDATE_COMPLETE"
    assert cloud.simulator.calls[-1] == ("resize", bay, 4)
    assert cloud.call("DELETE", f"/v1/clusters/{bay}").status_int == 204
    cloud.clock.now += T - 0.01
    assert cloud.status(bay) == "DELETE_IN_PROGRESS"
    cloud.clock.now += 0.01
    assert cloud.status(bay) == 404
    assert cloud.simulator.calls[-1] == ("delete", bay)


def test_patch_of_a_busy_bay_is_accepted_and_ignored(cloud):
    # Magnum's API casts the update; its conductor drops it (cluster_update).
    bay = cloud.bay(cloud.template())
    cloud.clock.now += ROW
    body = cloud.scale(bay, 5)
    assert (body["status"], body["node_count"]) == ("CREATE_IN_PROGRESS", 1)


def test_delete_while_creating_never_simulates_the_bay(cloud):
    bay = cloud.bay(cloud.template())
    cloud.clock.now += ROW
    assert cloud.call("DELETE", f"/v1/clusters/{bay}").status_int == 204
    cloud.clock.now += T
    assert cloud.status(bay) == 404
    assert cloud.simulator.calls == []


def test_a_simulator_error_fails_the_bay(tmp_path):
    class Broken(FakeSimulator):
        def create(self, *args, **kwargs):
            raise RuntimeError("port exhausted")

    cloud = Cloud(tmp_path, simulator=Broken())
    bay = cloud.bay(cloud.template())
    cloud.clock.now += T
    body = cloud.call("GET", f"/v1/clusters/{bay}").json
    assert body["status"] == "CREATE_FAILED"
    assert body["status_reason"] == "RuntimeError: port exhausted"
    assert body["faults"] == {"default-master": "RuntimeError: port exhausted"}


def test_kubernetes_bays_complete_without_the_simulator(cloud):
    template = cloud.template(coe="kubernetes", image_id="fedora-coreos-40")
    bay = cloud.bay(template, node_count=2)
    cloud.clock.now += T
    body = cloud.call("GET", f"/v1/clusters/{bay}").json
    assert body["status"] == "CREATE_COMPLETE"
    assert (
        body["api_address"].startswith("https://") and len(body["node_addresses"]) == 2
    )
    assert cloud.simulator.calls == []


def test_state_survives_a_restart(tmp_path):
    first = Cloud(tmp_path)
    template = first.template(labels={"k": "v"})
    done = first.bay(template, name="done")
    first.clock.now += T
    busy = first.bay(template, name="busy")
    before = first.call("GET", f"/v1/clusters/{done}").json
    assert [p.name for p in tmp_path.iterdir()] == ["magnum.json"]  # no temp files left

    # A fresh simulator knows no bays: Magnum brings the finished one back.
    second = Cloud(tmp_path, simulator=FakeSimulator(), clock=first.clock)
    second.magnum.start()
    try:
        assert second.simulator.calls == [("create", done, "dcos", 1, 1, "done")]
        after = second.call("GET", f"/v1/clusters/{done}").json
        assert after == before
        assert second.call("GET", f"/v1/clustertemplates/{template}").json[
            "labels"
        ] == {"k": "v"}
        second.clock.now += T
        assert second.status(busy) == "CREATE_COMPLETE"  # its deadline was kept
    finally:
        second.magnum.stop()


def test_quota_per_project(tmp_path):
    cloud = Cloud(tmp_path, max_clusters_per_project=2)
    template = cloud.template()
    cloud.bay(template)
    cloud.bay(template)
    response = cloud.call("POST", "/v1/clusters", {"cluster_template_id": template})
    assert response.status_int == 403
    assert response.json["errors"][0]["detail"] == (
        "Resource limit exceeded: You have reached the maximum clusters per "
        "project, 2. You may delete a cluster to make room for a new one."
    )
    # The quota counts per project.
    assert cloud.bay(cloud.template(token="alt"), token="alt")


def test_microversion_changes_what_magnum_answers(cloud):
    template = cloud.template()
    missing = {"cluster_template_id": "00000000-0000-0000-0000-000000000000"}
    assert cloud.call("POST", "/v1/clusters", missing).status_int == 400
    assert cloud.call("POST", "/v1/clusters", missing, version="1.10").status_int == 404
    empty = {"cluster_template_id": template, "node_count": 0}
    assert cloud.call("POST", "/v1/clusters", empty).status_int == 400
    bay = cloud.call("POST", "/v1/clusters", empty, version="1.10").json["uuid"]
    cloud.clock.now += ROW
    old = cloud.call("GET", f"/v1/clusters/{bay}").json
    new = cloud.call("GET", f"/v1/clusters/{bay}", version="latest").json
    assert "stack_id" in old and "cluster_id" not in old
    assert "cluster_id" in new and "stack_id" not in new
    assert new["cluster_id"] == old["stack_id"]


def test_list_pagination_and_its_errors(cloud):
    template = cloud.template()
    bays = [cloud.bay(template, name=f"b{i}") for i in range(3)]
    cloud.clock.now += ROW
    page = cloud.call("GET", "/v1/clusters?limit=2").json
    assert [b["uuid"] for b in page["clusters"]] == bays[:2]
    assert page["next"].endswith(
        f"/v1/clusters?sort_key=id&sort_dir=asc&limit=2&marker={bays[1]}"
    )
    rest = cloud.call("GET", f"/v1/clusters?limit=2&marker={bays[1]}").json
    assert [b["uuid"] for b in rest["clusters"]] == bays[2:]
    assert "next" not in rest
    desc = cloud.call("GET", "/v1/clusters/detail?sort_key=name&sort_dir=desc").json
    assert [b["name"] for b in desc["clusters"]] == ["b2", "b1", "b0"]
    assert "labels_added" in desc["clusters"][0]
    assert "labels_added" not in page["clusters"][0]

    cases = {
        "/v1/clusters?marker=nope": (400, "Expected a uuid but received nope."),
        "/v1/clusters?limit=0": (400, "Limit must be positive"),
        "/v1/clusters?sort_dir=up": (
            400,
            "Invalid sort direction: up. Acceptable values are 'asc' or 'desc'",
        ),
        "/v1/clusters?sort_key=colour": (
            400,
            'The sort_key value "colour" is an invalid field for sorting',
        ),
        f"/v1/clusters?marker={template}": (
            404,
            f"Cluster {template} could not be found.",
        ),
    }
    for path, (status, detail) in cases.items():
        response = cloud.call("GET", path)
        assert (response.status_int, response.json["errors"][0]["detail"]) == (
            status,
            detail,
        )


def test_unknown_paths_get_magnums_empty_error(cloud):
    response = cloud.call("GET", "/v1/bays")
    assert response.status_int == 404
    assert response.json["errors"][0]["title"] == ""
    assert cloud.call("PUT", "/v1/clusters").status_int == 405


def test_unknown_and_read_only_fields_are_refused(cloud):
    body = {"coe": "dcos", "image_id": "x", "colour": "red"}
    response = cloud.call("POST", "/v1/clustertemplates", body)
    assert response.json["errors"][0]["detail"] == (
        "Unknown attribute for argument cluster_template: colour"
    )
    body = {"coe": "dcos", "image_id": "dcos-centos-7.2", "project_id": "p-alt"}
    response = cloud.call("POST", "/v1/clustertemplates", body)
    assert response.json["errors"][0]["detail"] == (
        "Invalid input for field/attribute project_id. Value: 'p-alt'. "
        "Cannot set read only field."
    )


def test_admin_may_publish_and_hide(cloud):
    response = cloud.call(
        "POST",
        "/v1/clustertemplates",
        {"coe": "dcos", "image_id": "dcos-centos-7.2", "public": True, "hidden": True},
        token="admin",
    )
    assert response.status_int == 201
    hidden = response.json["uuid"]
    # Hidden templates stay out of other projects' sight.
    assert cloud.call("GET", f"/v1/clustertemplates/{hidden}").status_int == 404
    assert (
        cloud.call("GET", f"/v1/clustertemplates/{hidden}", token="admin").status_int
        == 200
    )


def test_patch_values_are_text_or_numbers_as_in_magnum(cloud):
    # JsonPatchType.value is MultiType(text, int) (magnum/api/controllers/v1/
    # types.py): labels travel as the text of a dict, never as a JSON object.
    template = cloud.template()
    as_object = [{"op": "replace", "path": "/labels", "value": {"a": "b"}}]
    response = cloud.call("PATCH", f"/v1/clustertemplates/{template}", as_object)
    assert response.status_int == 400
    assert response.json["errors"][0]["detail"] == (
        "Invalid input for field/attribute value. Value: '{'a': 'b'}'. Wrong type. "
        "Expected '(<class 'str'>, <class 'int'>)', got '<class 'dict'>'"
    )
    as_text = [{"op": "replace", "path": "/labels", "value": "{'a': 'b'}"}]
    response = cloud.call("PATCH", f"/v1/clustertemplates/{template}", as_text)
    assert response.json["labels"] == {"a": "b"}
    bay = cloud.bay(template)
    cloud.clock.now += T
    as_string = [{"op": "replace", "path": "/node_count", "value": "3"}]
    response = cloud.call("PATCH", f"/v1/clusters/{bay}", as_string)
    assert response.status_int == 400
    assert cloud.status(bay) == "CREATE_COMPLETE"


def test_remove_restores_an_unset_field(cloud):
    # A boot volume spares the flavors Magnum's root volume check, which a
    # PATCH runs on both of them (None included: see the next test).
    template = cloud.template(flavor_id="m1.small", labels={"boot_volume_size": "10"})
    patch = [{"op": "remove", "path": "/flavor_id"}]
    response = cloud.call("PATCH", f"/v1/clustertemplates/{template}", patch)
    assert response.json["flavor_id"] is None
    patch = [{"op": "remove", "path": "/coe"}]
    response = cloud.call("PATCH", f"/v1/clustertemplates/{template}", patch)
    assert response.json["errors"][0]["detail"] == (
        "'/coe' is a mandatory attribute and can not be removed"
    )
    patch = [{"op": "add", "path": "/flavor_id", "value": "m1.tiny"}]
    assert (
        cloud.call("PATCH", f"/v1/clustertemplates/{template}", patch).status_int == 200
    )
    response = cloud.call("PATCH", f"/v1/clustertemplates/{template}", patch)
    assert response.json["errors"][0]["detail"] == (
        "The attribute /flavor_id has existed, please use 'replace' operation instead."
    )


def test_removing_a_flavor_without_a_boot_volume_is_refused(cloud):
    template = cloud.template()
    patch = [{"op": "remove", "path": "/flavor_id"}]
    response = cloud.call("PATCH", f"/v1/clustertemplates/{template}", patch)
    assert response.status_int == 400
    assert response.json["errors"][0]["detail"] == "Unable to find flavor None."
