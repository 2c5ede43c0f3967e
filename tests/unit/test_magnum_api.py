"""api/magnum.py against Magnum's wire format, HTTP faked with requests-mock."""

import ast
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import requests_mock
from django.test import override_settings
from horizon import exceptions as horizon_exceptions

from dcos_dashboard.api import magnum

ENDPOINT = "http://magnum.example:9511/v1"
TOKEN = "tok-123"  # noqa: S105


class FakeUser:
    def __init__(self, catalog):
        self.service_catalog = catalog
        self.services_region = "RegionOne"
        self.token = type("Token", (), {"id": TOKEN})()


class FakeRequest:
    """What url_for and magnumclient() read of a Django request."""

    def __init__(self, url=ENDPOINT):
        catalog = [
            {
                "type": "container-infra",
                "name": "magnum",
                "endpoints": [
                    {"region": "RegionOne", "interface": "public", "url": url},
                    {
                        "region": "RegionOne",
                        "interface": "internal",
                        "url": "http://internal.invalid/v1",
                    },
                ],
            }
        ]
        self.user = FakeUser(catalog)


def template(n, **extra):
    body = {
        "uuid": f"00000000-0000-0000-0000-{n:012d}",
        "name": f"tpl-{n}",
        "coe": "dcos",
        "image_id": "centos-7",
        "labels": {},
    }
    body.update(extra)
    return body


def error_body(status, title, detail=None):
    """Magnum's error document (magnum/api/middleware/parsable_error.py)."""
    return {
        "errors": [
            {
                "request_id": "",
                "code": "client" if status < 500 else "server",
                "status": status,
                "title": title,
                "detail": detail if detail is not None else title,
                "links": [],
            }
        ]
    }


@pytest.fixture
def request_():
    return FakeRequest()


class MagnumMocker(requests_mock.Mocker):
    """Answers with JSON carry Magnum's Content-Type: without it
    magnumclient reads no body at all."""

    def register_uri(self, method, url, response_list=None, **kwargs):
        for answer in response_list or [kwargs]:
            if "json" in answer:
                answer.setdefault("headers", {"Content-Type": "application/json"})
        return super().register_uri(method, url, response_list, **kwargs)


@pytest.fixture
def http():
    with MagnumMocker() as m:
        yield m


def query(req):
    return {k: v[0] for k, v in parse_qs(urlsplit(req.url).query).items()}


def refuse(http, call, status, title, detail=None):
    """Magnum answers ``call`` ("METHOD /path") with its error document."""
    method, path = call.split(" ", 1)
    http.register_uri(
        method,
        f"{ENDPOINT}{path}",
        status_code=status,
        json=error_body(status, title, detail),
    )


def magnum_error(call, *args, **kwargs):
    """The MagnumError the call raises (the test fails when it raises none)."""
    with pytest.raises(magnum.MagnumError) as err:
        call(*args, **kwargs)
    return err.value


# --- the client ---------------------------------------------------------


def test_client_uses_catalog_endpoint_token_and_latest_version(http, request_):
    http.get(f"{ENDPOINT}/clustertemplates/abc", json=template(1))
    got = magnum.cluster_template_get(request_, "abc")
    assert got.name == "tpl-1"
    sent = http.request_history[0]
    assert sent.url == f"{ENDPOINT}/clustertemplates/abc"
    assert sent.headers["X-Auth-Token"] == TOKEN
    assert sent.headers["OpenStack-API-Version"] == "container-infra latest"


def test_endpoint_without_v1_gets_it(http):
    req = FakeRequest(url="http://magnum.example:9511/")
    http.get(f"{ENDPOINT}/clustertemplates/abc", json=template(1))
    magnum.cluster_template_get(req, "abc")
    assert http.request_history[0].url == f"{ENDPOINT}/clustertemplates/abc"


def test_client_is_memoized_per_request(request_):
    assert magnum.magnumclient(request_) is magnum.magnumclient(request_)
    assert magnum.magnumclient(request_) is not magnum.magnumclient(FakeRequest())


@override_settings(OPENSTACK_SSL_NO_VERIFY=True, OPENSTACK_SSL_CACERT="/ca.pem")
def test_tls_no_verify_wins(http, request_):
    http.get(f"{ENDPOINT}/clustertemplates/abc", json=template(1))
    magnum.cluster_template_get(request_, "abc")
    assert http.request_history[0].verify is False


@override_settings(OPENSTACK_SSL_NO_VERIFY=False, OPENSTACK_SSL_CACERT="/ca.pem")
def test_tls_ca_bundle_is_used(http, request_):
    http.get(f"{ENDPOINT}/clustertemplates/abc", json=template(1))
    magnum.cluster_template_get(request_, "abc")
    assert http.request_history[0].verify == "/ca.pem"


@override_settings(DCOS_DASHBOARD={"MAGNUM_TIMEOUT": 7.5})
def test_timeout_setting_reaches_the_socket(http, request_):
    http.get(f"{ENDPOINT}/clustertemplates/abc", json=template(1))
    magnum.cluster_template_get(request_, "abc")
    assert http.request_history[0].timeout == 7.5


def test_no_magnum_in_catalog_is_a_magnum_error():
    req = FakeRequest()
    req.user.service_catalog = []
    err = magnum_error(magnum.cluster_template_get, req, "abc")
    assert "container-infra" in err.message


# --- pagination ---------------------------------------------------------


def test_list_asks_one_more_and_reports_more(http, request_):
    http.get(
        f"{ENDPOINT}/clustertemplates/detail",
        json={"clustertemplates": [template(i) for i in range(4)]},
    )
    items, has_more = magnum.cluster_template_list(
        request_, limit=3, marker="m-1", sort_key="name", sort_dir="asc"
    )
    assert [t.name for t in items] == ["tpl-0", "tpl-1", "tpl-2"]
    assert has_more is True
    assert query(http.request_history[0]) == {
        "limit": "4",
        "marker": "m-1",
        "sort_key": "name",
        "sort_dir": "asc",
    }


def test_list_last_page_has_no_more(http, request_):
    http.get(
        f"{ENDPOINT}/clustertemplates/detail",
        json={"clustertemplates": [template(i) for i in range(2)]},
    )
    items, has_more = magnum.cluster_template_list(request_, limit=3)
    assert len(items) == 2
    assert has_more is False


def test_list_without_limit_follows_next_links(http, request_):
    # Magnum caps a page at api.max_limit and links the rest with `next`.
    first = [template(i) for i in range(2)]
    second = [template(i) for i in range(2, 3)]
    http.get(
        f"{ENDPOINT}/clustertemplates/detail",
        [
            {
                "json": {
                    "clustertemplates": first,
                    "next": f"{ENDPOINT}/clustertemplates/detail?limit=2"
                    f"&marker={first[-1]['uuid']}",
                }
            },
            {"json": {"clustertemplates": second}},
        ],
    )
    items, has_more = magnum.cluster_template_list(request_)
    assert [t.name for t in items] == ["tpl-0", "tpl-1", "tpl-2"]
    assert has_more is False
    assert query(http.request_history[1])["marker"] == first[-1]["uuid"]
    # never limit=0: Magnum answers "Limit must be positive"
    assert int(query(http.request_history[0])["limit"]) > 0


def test_cluster_list_pages_like_templates(http, request_):
    clusters = [{"uuid": f"c{i}", "name": f"bay-{i}"} for i in range(3)]
    http.get(f"{ENDPOINT}/clusters/detail", json={"clusters": clusters})
    items, has_more = magnum.cluster_list(request_, limit=2, marker="c-0")
    assert [c.name for c in items] == ["bay-0", "bay-1"]
    assert has_more is True
    assert query(http.request_history[0]) == {"limit": "3", "marker": "c-0"}


# --- create / update / delete ------------------------------------------


def test_template_create_posts_fields(http, request_):
    http.post(f"{ENDPOINT}/clustertemplates", status_code=201, json=template(1))
    created = magnum.cluster_template_create(
        request_, name="tpl-1", coe="dcos", image_id="centos-7", labels={"a": "b"}
    )
    assert created.uuid == template(1)["uuid"]
    assert http.request_history[0].json() == {
        "name": "tpl-1",
        "coe": "dcos",
        "image_id": "centos-7",
        "labels": {"a": "b"},
    }


def test_template_patch_replace_remove_and_labels_whole():
    patch = magnum.template_patch(
        {
            "name": "new",
            "public": False,
            "docker_volume_size": 5,
            "keypair_id": None,
            "http_proxy": "",
            "labels": {"isolation": "docker/volume", "launcher": "linux"},
        }
    )
    assert patch == [
        {"op": "replace", "path": "/name", "value": "new"},
        {"op": "replace", "path": "/public", "value": False},
        {"op": "replace", "path": "/docker_volume_size", "value": 5},
        {"op": "remove", "path": "/keypair_id"},
        {"op": "remove", "path": "/http_proxy"},
        {
            "op": "replace",
            "path": "/labels",
            "value": '{"isolation": "docker/volume", "launcher": "linux"}',
        },
    ]
    # Magnum parses the labels text with ast.literal_eval.
    assert ast.literal_eval(patch[-1]["value"]) == {
        "isolation": "docker/volume",
        "launcher": "linux",
    }


def test_template_patch_clearing_all_labels_removes_them():
    assert magnum.template_patch({"labels": {}}) == [
        {"op": "remove", "path": "/labels"}
    ]


def test_template_update_sends_the_patch(http, request_):
    http.patch(f"{ENDPOINT}/clustertemplates/abc", json=template(1, name="new"))
    updated = magnum.cluster_template_update(
        request_, "abc", {"name": "new", "fixed_subnet": None}
    )
    assert updated.name == "new"
    assert http.request_history[0].json() == [
        {"op": "replace", "path": "/name", "value": "new"},
        {"op": "remove", "path": "/fixed_subnet"},
    ]


def test_template_update_without_changes_sends_no_patch(http, request_):
    http.get(f"{ENDPOINT}/clustertemplates/abc", json=template(1))
    magnum.cluster_template_update(request_, "abc", {})
    assert [r.method for r in http.request_history] == ["GET"]


def test_template_delete(http, request_):
    http.delete(f"{ENDPOINT}/clustertemplates/abc", status_code=204)
    magnum.cluster_template_delete(request_, "abc")
    assert http.request_history[0].method == "DELETE"


def test_cluster_create_returns_uuid(http, request_):
    http.post(f"{ENDPOINT}/clusters", status_code=202, json={"uuid": "c-1"})
    uuid = magnum.cluster_create(
        request_, name="bay", cluster_template_id="abc", node_count=2
    )
    assert uuid == "c-1"
    assert http.request_history[0].json() == {
        "name": "bay",
        "cluster_template_id": "abc",
        "node_count": 2,
    }


def test_cluster_update_replaces_node_count(http, request_):
    http.patch(f"{ENDPOINT}/clusters/c-1", status_code=202, json={"uuid": "c-1"})
    magnum.cluster_scale(request_, "c-1", "4")
    assert http.request_history[0].json() == [
        {"op": "replace", "path": "/node_count", "value": 4}
    ]


def test_cluster_delete(http, request_):
    http.delete(f"{ENDPOINT}/clusters/c-1", status_code=204)
    magnum.cluster_delete(request_, "c-1")
    assert http.request_history[0].url == f"{ENDPOINT}/clusters/c-1"


def test_cluster_get_or_none_tolerates_404_after_create(http, request_):
    http.get(
        f"{ENDPOINT}/clusters/c-1",
        [
            {
                "status_code": 404,
                "json": error_body(404, "Cluster c-1 could not be found."),
            },
            {"json": {"uuid": "c-1", "status": "CREATE_IN_PROGRESS"}},
        ],
    )
    assert magnum.cluster_get_or_none(request_, "c-1") is None
    assert magnum.cluster_get_or_none(request_, "c-1").status == "CREATE_IN_PROGRESS"


def test_cluster_get_or_none_waits_out_nodegroups_in_flux(http, request_):
    # Magnum 23, while the conductor writes or deletes the nodegroups.
    flux = (
        "Invalid input for field/attribute master_count. Value: '0'. "
        "Value should be greater or equal to 1"
    )
    http.get(
        f"{ENDPOINT}/clusters/c-1",
        [
            {"status_code": 400, "json": error_body(400, flux)},
            {"json": {"uuid": "c-1", "status": "CREATE_IN_PROGRESS"}},
        ],
    )
    assert magnum.cluster_get_or_none(request_, "c-1") is None
    assert magnum.cluster_get_or_none(request_, "c-1").status == "CREATE_IN_PROGRESS"


def test_cluster_get_or_none_raises_other_bad_requests(http, request_):
    refuse(
        http,
        "GET /clusters/c-1",
        400,
        "Invalid input for field/attribute node_count.",
    )
    err = magnum_error(magnum.cluster_get_or_none, request_, "c-1")
    assert err.status == 400


def test_cluster_get_or_none_raises_other_errors(http, request_):
    refuse(http, "GET /clusters/c-1", 500, "boom")
    err = magnum_error(magnum.cluster_get_or_none, request_, "c-1")
    assert err.status == 500


# --- error mapping ------------------------------------------------------

COE_SENTENCE = (
    "This Magnum does not accept coe=dcos: its DC/OS driver is not enabled. "
    "Ask your cloud operator to enable the DC/OS (or Mesos) driver."
)


def fail_create(http, request_, status, title, detail=None, **fields):
    refuse(http, "POST /clustertemplates", status, title, detail)
    fields = fields or {"coe": "dcos", "image_id": "centos-7"}
    return magnum_error(magnum.cluster_template_create, request_, **fields)


@pytest.mark.parametrize(
    "title",
    [
        # Magnum >= 16 (wsme enum)
        "Invalid input for field/attribute coe. Value: 'dcos'. "
        "Value should be one of: kubernetes",
        # Magnum <= 15 (COE validator)
        "Requested COE type dcos is not supported.",
    ],
)
def test_coe_rejection_becomes_the_operator_sentence(http, request_, title):
    err = fail_create(http, request_, 400, title)
    assert err.message == COE_SENTENCE
    assert err.field == "coe"
    assert err.status == 400
    assert title in err.detail


def test_coe_rejection_for_mesos_names_mesos(http, request_):
    err = fail_create(
        http,
        request_,
        400,
        "Invalid input for field/attribute coe. Value: 'mesos'. "
        "Value should be one of: kubernetes",
    )
    assert "coe=mesos" in err.message
    assert "Mesos driver" in err.message
    assert err.field == "coe"


@pytest.mark.parametrize(
    ("status", "title", "field", "needle"),
    [
        (400, "Image fedora-coreos-40 doesn't contain os_distro field.", "image_id",
         "fedora-coreos-40 has no os_distro"),
        (404, "Image nope could not be found.", "image_id", "image nope"),
        (404, "Unable to find flavor m9.huge.", "flavor_id", "flavor m9.huge"),
        (404, "Unable to find external network private.", "external_network_id",
         "external network private"),
        (404, "Unable to find keypair nokey.", "keypair_id", "key pair nokey"),
        (404, "Unable to find fixed network net9.", "fixed_network", "network net9"),
        (404, "Unable to find fixed subnet sub9.", "fixed_subnet", "subnet sub9"),
        (400, "Cluster type (vm, centos, dcos) is not supported by any loaded "
         "cluster driver.", "image_id", "dcos bays from centos images"),
        (403, "Not authorized to set public or hidden flag for cluster template.",
         "public", "administrator"),
    ],
)  # fmt: skip
def test_known_messages_land_on_their_field(
    http, request_, status, title, field, needle
):
    err = fail_create(http, request_, status, title)
    assert err.field == field
    assert needle in err.message
    assert err.status == status


def test_flavor_not_found_for_master_flavor_names_that_field(http, request_):
    err = fail_create(
        http,
        request_,
        404,
        "Unable to find flavor m9.huge.",
        coe="dcos",
        image_id="centos-7",
        flavor_id="m1.small",
        master_flavor_id="m9.huge",
    )
    assert err.field == "master_flavor_id"


def test_a_title_cut_at_a_full_stop_does_not_cut_the_flavor_name(http, request_):
    # Real Magnum 23: the title stops at the first full stop, the detail
    # carries the whole sentence (seen in tests/contract).
    err = fail_create(
        http,
        request_,
        400,
        "Unable to find flavor m9",
        "Unable to find flavor m9.huge.",
        coe="dcos",
        image_id="centos-7",
        flavor_id="m1.small",
        master_flavor_id="m9.huge",
    )
    assert "m9.huge" in err.message
    assert err.field == "master_flavor_id"


def test_master_count_without_lb(http, request_):
    refuse(
        http,
        "POST /clusters",
        400,
        "master_count must be 1 when master_lb_enabled is False",
    )
    err = magnum_error(
        magnum.cluster_create, request_, cluster_template_id="abc", master_count=3
    )
    assert err.field == "master_count"
    assert "master load balancer" in err.message


@pytest.mark.parametrize(
    ("title", "field", "needle"),
    [
        # the driver's validate_master_size (Magnum 23 and the stand-in)
        ("master nodegroup size of 2 is invalid, size cannot be an even number.",
         "master_count", "odd number of masters"),
        # enforce_cluster_volume_storage_size
        ("docker volume size 1 GB is not valid, expecting minimum value 3GB for "
         "devicemapper storage driver.", "docker_volume_size", "at least 3 GB"),
        # ClusterTemplateNotFound on a cluster POST (Magnum >= 1.10: 404)
        ("ClusterTemplate 8f0c-gone could not be found.", "cluster_template_id",
         "was deleted"),
    ],
)  # fmt: skip
def test_cluster_refusals_land_on_their_field(http, request_, title, field, needle):
    refuse(http, "POST /clusters", 400, title)
    err = magnum_error(
        magnum.cluster_create, request_, cluster_template_id="abc", master_count=2
    )
    assert err.field == field
    assert needle in err.message


def test_a_missing_model_read_by_itself_is_the_404_sentence(http, request_):
    refuse(
        http,
        "GET /clustertemplates/abc",
        404,
        "ClusterTemplate abc could not be found.",
    )
    err = magnum_error(magnum.cluster_template_get, request_, "abc")
    assert "no longer exists" in err.message
    assert err.field is None


def test_template_in_use_on_delete(http, request_):
    refuse(
        http,
        "DELETE /clustertemplates/abc",
        400,
        "ClusterTemplate abc is referenced by one or multiple clusters.",
    )
    err = magnum_error(magnum.cluster_template_delete, request_, "abc")
    assert "still used by one or more bays" in err.message
    assert "Delete those bays first" in err.message


@pytest.mark.parametrize(
    ("status", "needle"),
    [
        (401, "Your session has expired; log in again."),
        (403, "Ask your project administrator"),
        (404, "no longer exists"),
        (409, "Reload the page and try again"),
        (500, "internal error (HTTP 500)"),
        (502, "internal error (HTTP 502)"),
        (503, "Magnum is unavailable (HTTP 503): Something odd happened."),
        (400, "Magnum refused the request: Something odd happened."),
    ],
)
def test_status_fallbacks(http, request_, status, needle):
    refuse(http, "GET /clustertemplates/abc", status, "Something odd happened")
    err = magnum_error(magnum.cluster_template_get, request_, "abc")
    assert needle in err.message
    assert err.status == status
    assert err.field is None


def test_404_names_a_bay_for_cluster_calls(http, request_):
    refuse(http, "GET /clusters/c-1", 404, "Cluster c-1 could not be found.")
    err = magnum_error(magnum.cluster_get, request_, "c-1")
    assert "This bay no longer exists" in err.message


def test_magnum_detail_text_is_kept_in_sentence(http, request_):
    # Magnum's detail is the longer of title/detail; the user sees it.
    err = fail_create(
        http,
        request_,
        400,
        "Invalid input",
        "Invalid input for field/attribute docker_volume_size. Value: '0'.",
    )
    assert "docker_volume_size" in err.message


@override_settings(DCOS_DASHBOARD={"MAGNUM_TIMEOUT": 12})
def test_timeout_names_the_seconds(http, request_):
    http.get(f"{ENDPOINT}/clustertemplates/abc", exc=requests.exceptions.ReadTimeout)
    err = magnum_error(magnum.cluster_template_get, request_, "abc")
    assert err.message.startswith("Magnum did not answer within 12 seconds.")
    assert err.status is None


def test_connect_timeout_too(http, request_):
    http.get(f"{ENDPOINT}/clustertemplates/abc", exc=requests.exceptions.ConnectTimeout)
    err = magnum_error(magnum.cluster_template_get, request_, "abc")
    assert "did not answer within 30 seconds" in err.message


def test_connection_refused(http, request_):
    http.get(
        f"{ENDPOINT}/clustertemplates/abc", exc=requests.exceptions.ConnectionError
    )
    err = magnum_error(magnum.cluster_template_get, request_, "abc")
    assert "Magnum cannot be reached" in err.message


def test_non_json_error_body_still_maps(http, request_):
    http.get(
        f"{ENDPOINT}/clustertemplates/abc",
        status_code=502,
        text="<html>Bad Gateway</html>",
        headers={"Content-Type": "text/html"},
    )
    err = magnum_error(magnum.cluster_template_get, request_, "abc")
    assert err.status == 502


# Keystone down: Magnum's auth layer (keystonemiddleware) answers before
# Magnum's own error middleware, in webob's shape, not Magnum's.
KEYSTONE_DOWN = {
    "message": "The server is currently unavailable. Please try again at a later "
    "time.<br /><br />\nThe Keystone service is temporarily unavailable.\n\n",
    "code": "503 Service Unavailable",
    "title": "Service Unavailable",
}


def test_an_auth_layer_503_is_a_sentence_not_a_client_crash(http, request_):
    http.get(f"{ENDPOINT}/clusters/detail", status_code=503, json=KEYSTONE_DOWN)
    err = magnum_error(magnum.cluster_list, request_)
    assert err.status == 503
    assert err.message.startswith("Magnum is unavailable (HTTP 503):")
    assert "The Keystone service is temporarily unavailable." in err.message
    assert "<br" not in err.message


@pytest.mark.parametrize(
    "call, path",
    [
        (magnum.cluster_template_get, "clustertemplates"),
        (magnum.cluster_get, "clusters"),
    ],
)
def test_an_auth_layer_503_on_one_object_says_its_message_not_a_dict(
    http, request_, call, path
):
    """magnumclient quotes the whole body it re-wrapped; the user reads the
    message in it (seen in the resilience suite with Keystone down)."""
    uuid = "5b9a5d3f-1c1e-4b9e-9a4e-3c1f2a7e9b10"
    http.get(f"{ENDPOINT}/{path}/{uuid}", status_code=503, json=KEYSTONE_DOWN)
    err = magnum_error(call, request_, uuid)
    assert err.status == 503
    assert err.message == (
        "Magnum is unavailable (HTTP 503): The server is currently unavailable."
        " Please try again at a later time. The Keystone service is temporarily"
        " unavailable. Try again later; if it keeps happening, tell your cloud"
        " operator."
    )


@pytest.mark.parametrize(
    "body",
    [
        {"errors": []},
        {"errors": ["text"]},
        {"errors": [{"detail": "no title"}]},
        {"error": "text"},
        {"error_message": "not json"},
        [1, 2],
        "text",
        None,
    ],
)
def test_any_error_body_is_a_magnum_error(http, request_, body):
    http.post(f"{ENDPOINT}/clustertemplates", status_code=400, json=body)
    err = magnum_error(
        magnum.cluster_template_create, request_, coe="dcos", image_id="centos-7"
    )
    assert err.status == 400
    assert err.message.startswith("Magnum refused the request:")


@pytest.mark.parametrize("raised", [KeyError("errors"), TypeError("x"), ValueError()])
def test_whatever_the_client_raises_is_a_magnum_error(request_, raised):
    client = magnum.magnumclient(request_)
    with mock.patch.object(client.clusters, "list", side_effect=raised):
        err = magnum_error(magnum.cluster_list, request_)
    assert err.message.startswith("Magnum's answer could not be read.")
    assert err.status is None


# --- Horizon treats MagnumError as recoverable ---------------------------


def test_horizon_handle_shows_message_and_returns(rf):
    from django.contrib.messages.storage.fallback import FallbackStorage

    req = rf.get("/")
    req.session = {}
    req._messages = FallbackStorage(req)
    req.horizon = {"async_messages": []}
    try:
        raise magnum.MagnumError("Magnum did not answer within 30 seconds.")
    except magnum.MagnumError as e:
        result = horizon_exceptions.handle(req, e.message, details="")
    assert result is horizon_exceptions.RecoverableError
    shown = [str(m) for m in req._messages]
    assert shown == ["Magnum did not answer within 30 seconds."]


def test_clearing_a_non_removable_attribute_names_the_field(http, request_):
    refuse(
        http,
        "PATCH /clustertemplates/abc",
        400,
        "'/network_driver' is a mandatory attribute and can not be removed",
    )
    err = magnum_error(
        magnum.cluster_template_update, request_, "abc", {"network_driver": None}
    )
    assert err.field == "network_driver"
    assert "cannot clear network_driver" in err.message


# --- ids and query parameters (issue 18, escapes 3 and 4) ---------------

HOSTILE_IDS = [".", "..", "\x00", "bäy", "a" * 100_000, "a/b", "a?x=1", "1abc", ""]
BY_ID = [
    lambda req, id: magnum.cluster_get(req, id),
    lambda req, id: magnum.cluster_template_get(req, id),
    lambda req, id: magnum.cluster_template_update(req, id, {"name": "x"}),
    lambda req, id: magnum.cluster_template_delete(req, id),
    lambda req, id: magnum.cluster_scale(req, id, 2),
    lambda req, id: magnum.cluster_delete(req, id),
]


@pytest.mark.parametrize("call", BY_ID)
@pytest.mark.parametrize("id", HOSTILE_IDS, ids=lambda id: repr(id)[:12])
def test_malformed_id_is_not_found_before_any_request(http, request_, call, id):
    assert magnum_error(call, request_, id).status == 404
    assert http.request_history == []


@pytest.mark.parametrize(
    "id", ["9b466b94-213a-4cda-badf-72c102a874da", "my-bay_1.0", "B", "a" * 255]
)
def test_magnum_ids_and_names_are_asked_for(http, request_, id):
    http.get(f"{ENDPOINT}/clusters/{id}", json={"uuid": "u-1", "name": "b"})
    assert magnum.cluster_get(request_, id).uuid == "u-1"


def test_an_answer_without_uuid_is_not_found(http, request_):
    # What "/v1/clustertemplates/." used to read: the collection itself.
    http.get(f"{ENDPOINT}/clustertemplates/x", json={"clustertemplates": []})
    err = magnum_error(magnum.cluster_template_get, request_, "x")
    assert err.status == 404


@pytest.mark.parametrize(
    "marker",
    [
        "9b466b94-213a-4cda-badf-72c102a874da&sort_dir=bogus",
        "x#y",
        "..",
        "a b",
    ],
)
def test_marker_cannot_carry_another_parameter(http, request_, marker):
    err = magnum_error(magnum.cluster_list, request_, limit=2, marker=marker)
    assert err.status == 400
    assert "page link" in err.message
    assert http.request_history == []


def test_sort_parameters_are_checked(request_):
    with pytest.raises(ValueError):
        magnum.cluster_list(request_, sort_dir="desc&limit=1")
    with pytest.raises(ValueError):
        magnum.cluster_template_list(request_, sort_key="name&x=1")
