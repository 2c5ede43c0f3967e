"""api/mesos: addresses, redirects, auth, caching and links, with HTTP faked.

HTTP is faked at urllib3's level by ``fake_http`` (requests-mock's
interface: what was asked, with which options);
``test_mesos_client_http.py`` runs the same client against real sockets.
Expected health is computed with ``health.summarize`` on the very bodies
served, so these tests check the door, not the summary.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import json
import time
from unittest import mock

import pytest
from django.core.cache import cache
from django.test import override_settings
from magnumclient.v1.clusters import Cluster
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

from dcos_dashboard import health
from dcos_dashboard.api import mesos
from tests.shared import mesos_fixture
from tests.unit import fake_http

SUMMARY_NAME = "master_state-summary__dcos-ui__marathon-1-task_summary.json"
NODES_NAME = "system_health_v1_nodes__dcos-ui__unit-health_nodes.json"
UNITS_NAME = "system_health_v1_units__dcos-ui__unit-health_units.json"


load = mesos_fixture


SUMMARY = load(SUMMARY_NAME)
NODES = load(NODES_NAME)
UNITS = load(UNITS_NAME)
METRICS = {"master/elected": 1.0, "master/slaves_unreachable": 1.0}

M1, M2, M3 = "10.0.0.1", "10.0.0.2", "10.0.0.3"


@pytest.fixture
def requests_mock():
    """The HTTP fake (``fake_http``), under the name the tests know it by."""
    fake = fake_http.start()
    yield fake
    fake.stop()


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def dashboard(**values):
    return override_settings(DCOS_DASHBOARD=values)


def mesos_target(*masters, uuid="bay-1"):
    return mesos.Target(uuid, "mesos", None, tuple(masters))


def dcos_target(api_address, uuid="bay-1"):
    return mesos.Target(uuid, "dcos", api_address, ())


def jwt(claims):
    def part(obj):
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'HS256'})}.{part(claims)}.c2lnbmF0dXJl"


def serve_mesos_leader(requests_mock, host, port=5050):
    base = f"http://{host}:{port}"
    state = requests_mock.get(f"{base}/master/state-summary", json=SUMMARY)
    metrics = requests_mock.get(f"{base}/metrics/snapshot", json=METRICS)
    return state, metrics


def serve_dcos(requests_mock, base, **state_kwargs):
    state_kwargs = state_kwargs or {"json": SUMMARY}
    return (
        requests_mock.get(f"{base}/mesos/master/state-summary", **state_kwargs),
        requests_mock.get(f"{base}/mesos/metrics/snapshot", json=METRICS),
        requests_mock.get(f"{base}/system/health/v1/nodes", json=NODES),
    )


def paths(requests_mock):
    return [request.path for request in requests_mock.request_history]


# -- target_for ---------------------------------------------------------------


def test_target_for_reads_a_dict():
    cluster = {"uuid": "u1", "api_address": " 10.1.1.1 ", "master_addresses": [M1]}
    assert mesos.target_for(cluster, "DCOS") == mesos.Target(
        "u1", "dcos", "10.1.1.1", (M1,)
    )


def test_target_for_does_not_make_magnumclient_reload_the_cluster():
    manager = mock.Mock()
    manager.get.side_effect = AssertionError("a lazy load would call Magnum")
    # A cluster from a list call: no master_addresses attribute at all.
    cluster = Cluster(manager, {"uuid": "u2", "api_address": "10.1.1.2"})
    target = mesos.target_for(cluster, "dcos")
    assert target == mesos.Target("u2", "dcos", "10.1.1.2", ())
    manager.get.assert_not_called()


@pytest.mark.parametrize(
    ("cluster", "coe"),
    [
        ({"uuid": "u", "api_address": None, "master_addresses": []}, "dcos"),
        ({"uuid": "u", "api_address": None, "master_addresses": None}, "mesos"),
        ({"uuid": "u", "api_address": "10.1.1.1", "master_addresses": []}, "swarm"),
        ({"uuid": "", "api_address": "10.1.1.1", "master_addresses": [M1]}, "dcos"),
        ({"uuid": "u", "api_address": "tcp://10.1.1.1:2376"}, "dcos"),
        ({"uuid": "u", "master_addresses": ["10.0.0.1:notaport"]}, "mesos"),
        ({"uuid": "u", "master_addresses": ["[fd00::1"]}, "mesos"),
    ],
)
def test_target_for_is_none_without_a_usable_address(cluster, coe):
    assert mesos.target_for(cluster, coe) is None


# -- DC/OS --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("api_address", "scheme", "base"),
    [
        ("10.1.1.1", "http", "http://10.1.1.1"),
        ("10.1.1.1:8443", "https", "https://10.1.1.1:8443"),
        ("lb.example.com", "https", "https://lb.example.com"),
        ("fd00::5", "http", "http://[fd00::5]"),
        ("https://lb.example.com/dcos/", "http", "https://lb.example.com/dcos"),
        ("http://10.1.1.1:8080/", "https", "http://10.1.1.1:8080"),
    ],
)
def test_dcos_base_url_rules(requests_mock, api_address, scheme, base):
    serve_dcos(requests_mock, base)
    with dashboard(DCOS_SCHEME=scheme):
        answer = mesos.bay_health(dcos_target(api_address))
        assert mesos.links(dcos_target(api_address)).console == base + "/"
    assert answer == health.summarize(SUMMARY, METRICS, NODES)
    assert {r.url for r in requests_mock.request_history} == {
        f"{base}/mesos/master/state-summary",
        f"{base}/mesos/metrics/snapshot",
        f"{base}/system/health/v1/nodes",
        f"{base}/system/health/v1/units",
    }


def test_every_request_carries_the_limits(requests_mock):
    serve_dcos(requests_mock, "https://10.1.1.1")
    limits = dict(CONNECT_TIMEOUT=1.5, READ_TIMEOUT=2.5, VERIFY_TLS="/etc/ca.pem")
    with dashboard(DCOS_SCHEME="https", **limits):
        mesos.bay_health(dcos_target("10.1.1.1"))
    assert len(requests_mock.request_history) == 4
    for request in requests_mock.request_history:
        assert request.timeout == (1.5, 2.5)
        assert request.verify == "/etc/ca.pem"
        assert request.stream is True
    # allow_redirects=False shows in the redirect tests below: requests
    # would otherwise follow a 307 itself, to any host.


def test_dcos_extras_failing_do_not_make_the_bay_unreachable(requests_mock):
    base = "http://10.1.1.1"
    requests_mock.get(f"{base}/mesos/master/state-summary", json=SUMMARY)
    requests_mock.get(f"{base}/mesos/metrics/snapshot", status_code=500)
    requests_mock.get(f"{base}/system/health/v1/nodes", text="not json")
    answer = mesos.bay_health(dcos_target("10.1.1.1"))
    assert answer == health.summarize(SUMMARY)
    assert answer.overall != health.UNREACHABLE


def test_dcos_redirect_is_not_followed(requests_mock):
    requests_mock.get(
        "http://10.1.1.1/mesos/master/state-summary",
        status_code=301,
        headers={"Location": "https://10.1.1.1/mesos/master/state-summary"},
    )
    answer = mesos.bay_health(dcos_target("10.1.1.1"))
    assert answer.overall == health.UNREACHABLE
    assert "DCOS_SCHEME" in answer.reason
    # Metrics and diagnostics go out beside the state-summary; nothing goes
    # to the Location.
    asked = [request.url for request in requests_mock.request_history]
    assert sorted(asked) == [
        "http://10.1.1.1/mesos/master/state-summary",
        "http://10.1.1.1/mesos/metrics/snapshot",
        "http://10.1.1.1/system/health/v1/nodes",
        "http://10.1.1.1/system/health/v1/units",
    ]


def test_dcos_503_means_no_leader(requests_mock):
    serve_dcos(requests_mock, "http://10.1.1.1", status_code=503)
    answer = mesos.bay_health(dcos_target("10.1.1.1"))
    assert answer.overall == health.UNREACHABLE
    assert "No Mesos leader elected" in answer.reason


def test_invalid_json_is_unknown_not_unreachable(requests_mock):
    serve_dcos(requests_mock, "http://10.1.1.1", text='{"slaves": [')
    answer = mesos.bay_health(dcos_target("10.1.1.1"))
    assert answer.overall == health.UNKNOWN
    assert "Invalid JSON from the master" in answer.reason
    assert not answer.auth_required


@pytest.mark.parametrize(
    "body",
    [
        # What json reads and orjson refuses: the client must read it as json.
        b'{"slaves": [{"id": "S1", "active": true, "resources": {"cpus": NaN}}]}',
        b'{"slaves": [{"id": "S1", "active": true, "TASK_RUNNING": Infinity}]}',
        b'{"slaves": [{"id": "S1", "active": true, "hostname": "\\ud800"}]}',
        b'\xef\xbb\xbf{"slaves": [{"id": "S1", "active": true}]}',
        '{"slaves": [{"id": "S1", "active": true}]}'.encode("utf-16"),
        # Past 64 bits: json says int, orjson float; both read as missing.
        b'{"slaves": [{"id": "S1", "active": true, "TASK_RUNNING": 1%s}]}'
        % (b"0" * 30),
    ],
)
def test_bodies_json_accepts_are_read_as_json_reads_them(requests_mock, body):
    serve_dcos(requests_mock, "http://10.1.1.1", content=body)
    answer = mesos.bay_health(dcos_target("10.1.1.1"))
    assert answer == health.summarize(json.loads(body), METRICS, NODES)
    assert answer.overall == health.DEGRADED  # read: METRICS has 1 unreachable
    assert [node.agent_id for node in answer.nodes] == ["S1"]


def test_json_that_is_not_an_object_is_summarised_as_unknown(requests_mock):
    serve_dcos(requests_mock, "http://10.1.1.1", json=[1, 2])
    answer = mesos.bay_health(dcos_target("10.1.1.1"))
    assert answer == health.summarize([1, 2], METRICS, NODES)
    assert answer.overall == health.UNKNOWN


# -- DC/OS auth ---------------------------------------------------------------


def test_401_without_credentials_asks_for_them(requests_mock):
    serve_dcos(requests_mock, "http://10.1.1.1", status_code=401)
    answer = mesos.bay_health(dcos_target("10.1.1.1"))
    assert answer.overall == health.UNREACHABLE
    assert answer.auth_required
    assert answer.reason.startswith("DC/OS authentication required")
    assert "DCOS_ACS_TOKEN" in answer.reason
    assert "Authorization" not in requests_mock.request_history[0].headers


def test_dcos_components_are_read_and_name_what_is_unhealthy(requests_mock):
    base = "http://10.1.1.1"
    serve_dcos(requests_mock, base)
    units = requests_mock.get(f"{base}/system/health/v1/units", json=UNITS)
    with dashboard(DCOS_ACS_TOKEN="abc.def.ghi"):
        answer = mesos.bay_health(dcos_target("10.1.1.1"))
    assert units.call_count == 1
    assert units.last_request.headers["Authorization"] == "token=abc.def.ghi"
    assert answer == health.summarize(SUMMARY, METRICS, NODES, UNITS)
    # dcos-ui's recorded units: Mesos DNS is unhealthy.
    assert answer.components[0].name == "Mesos DNS"
    assert answer.components[0].state == health.UNHEALTHY
    assert answer.overall == health.UNHEALTHY
    assert answer.reason.startswith("DC/OS component Mesos DNS is unhealthy")


def test_configured_token_is_sent(requests_mock):
    serve_dcos(requests_mock, "http://10.1.1.1")
    with dashboard(DCOS_ACS_TOKEN="abc.def.ghi"):
        answer = mesos.bay_health(dcos_target("10.1.1.1"))
    assert answer == health.summarize(SUMMARY, METRICS, NODES)
    assert [r.headers["Authorization"] for r in requests_mock.request_history] == [
        "token=abc.def.ghi"
    ] * 4


def test_rejected_configured_token_says_so(requests_mock):
    serve_dcos(requests_mock, "http://10.1.1.1", status_code=401)
    with dashboard(DCOS_ACS_TOKEN="expired"):
        answer = mesos.bay_health(dcos_target("10.1.1.1"))
    assert answer.auth_required
    assert "rejected the token in DCOS_ACS_TOKEN" in answer.reason
    # A configured token is not a login: nothing to renew, no retry.
    assert sorted(paths(requests_mock)) == [
        "/mesos/master/state-summary",
        "/mesos/metrics/snapshot",
        "/system/health/v1/nodes",
        "/system/health/v1/units",
    ]


def login_server(requests_mock, base, tokens):
    """DC/OS handing out ``tokens`` in turn; it accepts those in ``valid``."""
    valid = set()

    def login(request, context):
        token = tokens[login_mock.call_count - 1]
        valid.add(token)
        return {"token": token}

    def guarded(body):
        def answer(request, context):
            if request.headers.get("Authorization", "")[6:] in valid:
                return body
            context.status_code = 401
            return {"title": "Unauthorized"}

        return answer

    login_mock = requests_mock.post(f"{base}/acs/api/v1/auth/login", json=login)
    state = requests_mock.get(
        f"{base}/mesos/master/state-summary", json=guarded(SUMMARY)
    )
    requests_mock.get(f"{base}/mesos/metrics/snapshot", json=guarded(METRICS))
    requests_mock.get(f"{base}/system/health/v1/nodes", json=guarded(NODES))
    return login_mock, state, valid


# These DC/OS listen on plain http: the operator must allow the login there.
LOGIN = dict(
    DCOS_ACS_UID="bootstrapuser",
    DCOS_ACS_PASSWORD="deleteme",
    DCOS_ACS_LOGIN_OVER_HTTP=True,
)


def test_the_login_never_goes_over_plain_http_by_default(requests_mock):
    login = requests_mock.post("http://10.1.1.1/acs/api/v1/auth/login", json={})
    serve_dcos(requests_mock, "http://10.1.1.1")
    with dashboard(DCOS_ACS_UID="bootstrapuser", DCOS_ACS_PASSWORD="deleteme"):
        answer = mesos.bay_health(dcos_target("10.1.1.1"))
    assert login.call_count == 0
    assert answer.auth_required
    assert "DCOS_ACS_LOGIN_OVER_HTTP" in answer.reason
    assert "bootstrapuser" not in answer.reason


def test_the_login_goes_over_https_without_being_allowed(requests_mock):
    later = int(time.time()) + 3600
    login, state, _valid = login_server(
        requests_mock, "https://10.1.1.1", [jwt({"exp": later})]
    )
    with dashboard(
        DCOS_SCHEME="https", DCOS_ACS_UID="bootstrapuser", DCOS_ACS_PASSWORD="x"
    ):
        answer = mesos.bay_health(dcos_target("10.1.1.1"))
    assert answer == health.summarize(SUMMARY, METRICS, NODES)
    assert login.call_count == 1


def test_login_once_and_reuse_the_token(requests_mock):
    later = int(time.time()) + 3600
    login, state, _valid = login_server(
        requests_mock, "http://10.1.1.1", [jwt({"exp": later})]
    )
    with dashboard(HEALTH_CACHE_SECONDS=0, **LOGIN):
        answers = [mesos.bay_health(dcos_target("10.1.1.1")) for _ in range(3)]
    assert answers == [health.summarize(SUMMARY, METRICS, NODES)] * 3
    assert login.call_count == 1
    assert login.last_request.json() == {"uid": "bootstrapuser", "password": "deleteme"}
    assert state.call_count == 3


def test_a_401_drops_the_cached_login_and_retries_once(requests_mock):
    later = int(time.time()) + 3600
    tokens = [jwt({"exp": later, "n": 1}), jwt({"exp": later, "n": 2})]
    login, state, valid = login_server(requests_mock, "http://10.1.1.1", tokens)
    with dashboard(HEALTH_CACHE_SECONDS=0, **LOGIN):
        first = mesos.bay_health(dcos_target("10.1.1.1"))
        # DC/OS forgets the first token (restart, revocation): the cached one fails.
        valid.clear()
        second = mesos.bay_health(dcos_target("10.1.1.1"))
    assert first == second == health.summarize(SUMMARY, METRICS, NODES)
    assert login.call_count == 2
    assert [r.headers["Authorization"] for r in state.request_history] == [
        f"token={tokens[0]}",
        f"token={tokens[0]}",
        f"token={tokens[1]}",
    ]


def test_a_401_that_persists_after_a_new_login_needs_auth(requests_mock):
    later = int(time.time()) + 3600
    requests_mock.post(
        "http://10.1.1.1/acs/api/v1/auth/login", json={"token": jwt({"exp": later})}
    )
    serve_dcos(requests_mock, "http://10.1.1.1", status_code=401)
    with dashboard(HEALTH_CACHE_SECONDS=0, **LOGIN):
        mesos.bay_health(dcos_target("10.1.1.1"))
        requests_mock.reset_mock()
        answer = mesos.bay_health(dcos_target("10.1.1.1"))
    assert answer.auth_required
    assert "DCOS_ACS_UID" in answer.reason
    # Cached token -> 401 -> a fresh login -> 401 again, and no further try.
    # (Metrics and diagnostics, asked beside the first GET, answered.)
    assert [
        (r.method, r.path)
        for r in requests_mock.request_history
        if r.path.endswith(("/state-summary", "/login"))
    ] == [
        ("GET", "/mesos/master/state-summary"),
        ("POST", "/acs/api/v1/auth/login"),
        ("GET", "/mesos/master/state-summary"),
    ]


def test_refused_login_needs_auth(requests_mock):
    requests_mock.post("http://10.1.1.1/acs/api/v1/auth/login", status_code=401)
    state, _metrics, _nodes = serve_dcos(requests_mock, "http://10.1.1.1")
    with dashboard(**LOGIN):
        answer = mesos.bay_health(dcos_target("10.1.1.1"))
    assert answer.auth_required
    assert "did not accept the login" in answer.reason
    # The reason is a tooltip every user of the project sees.
    assert "bootstrapuser" not in answer.reason
    assert state.call_count == 0


@pytest.mark.parametrize(
    ("token", "logins"),
    [
        (jwt({"exp": int(time.time()) - 10}), 3),  # already expired: never kept
        ("not-a-jwt", 1),  # expiry unreadable: kept for a while
    ],
)
def test_login_token_is_kept_until_it_expires(requests_mock, token, logins):
    login = requests_mock.post(
        "http://10.1.1.1/acs/api/v1/auth/login", json={"token": token}
    )
    serve_dcos(requests_mock, "http://10.1.1.1")
    with dashboard(HEALTH_CACHE_SECONDS=0, **LOGIN):
        for _ in range(3):
            mesos.bay_health(dcos_target("10.1.1.1"))
    assert login.call_count == logins


# -- plain Mesos --------------------------------------------------------------


def test_mesos_master_without_port_uses_mesos_port(requests_mock):
    serve_mesos_leader(requests_mock, M1, 15050)
    serve_mesos_leader(requests_mock, M2, 5051)
    with dashboard(MESOS_PORT=15050):
        assert mesos.bay_health(mesos_target(M1)).overall != health.UNREACHABLE
        answer = mesos.bay_health(mesos_target(f"{M2}:5051", uuid="bay-2"))
    assert answer == health.summarize(SUMMARY, METRICS)
    assert [r.port for r in requests_mock.request_history] == [15050] * 2 + [5051] * 2


@pytest.mark.parametrize(
    "location",
    [
        f"//{M2}:5050/master/state-summary",
        f"http://{M2}:5050/master/state-summary",
        # Whatever path a master names, the one asked is ours.
        f"//{M2}:5050/master/state",
    ],
)
def test_leader_redirect_is_followed_to_another_master(requests_mock, location):
    requests_mock.get(
        f"http://{M1}:5050/master/state-summary",
        status_code=307,
        headers={"Location": location},
    )
    serve_mesos_leader(requests_mock, M2)
    answer = mesos.bay_health(mesos_target(M1, M2))
    assert answer == health.summarize(SUMMARY, METRICS)
    assert [r.url for r in requests_mock.request_history] == [
        f"http://{M1}:5050/master/state-summary",
        f"http://{M2}:5050/master/state-summary",
        f"http://{M2}:5050/metrics/snapshot",
    ]
    assert "/master/state" not in paths(requests_mock)


@pytest.mark.parametrize(
    "location",
    [
        "//203.0.113.9:5050/master/state-summary",
        f"//{M2}:5051/master/state-summary",  # a reported host, another port
        f"ftp://{M2}:5050/master/state-summary",
        "//[fd00::2/master/state-summary",
        "",
    ],
)
def test_redirect_to_an_address_magnum_did_not_report_is_refused(
    requests_mock, location
):
    requests_mock.get(
        f"http://{M1}:5050/master/state-summary",
        status_code=307,
        headers={"Location": location},
    )
    # The other master is down: the refused redirect is the more telling reason.
    requests_mock.get(
        f"http://{M2}:5050/master/state-summary",
        exc=NewConnectionError(None, "refused"),
    )
    foreign = requests_mock.get("//203.0.113.9:5050/master/state-summary", json=SUMMARY)
    wrong_port = requests_mock.get(f"//{M2}:5051/master/state-summary", json=SUMMARY)
    answer = mesos.bay_health(mesos_target(M1, M2))
    assert answer.overall == health.UNREACHABLE
    assert "redirected to an address Magnum did not report" in answer.reason
    assert foreign.call_count == wrong_port.call_count == 0


def test_a_refused_redirect_does_not_stop_the_other_masters(requests_mock):
    requests_mock.get(
        f"http://{M1}:5050/master/state-summary",
        status_code=307,
        headers={"Location": "//203.0.113.9:5050/master/state-summary"},
    )
    serve_mesos_leader(requests_mock, M2)
    answer = mesos.bay_health(mesos_target(M1, M2))
    assert answer == health.summarize(SUMMARY, METRICS)


def test_masters_are_tried_in_order_past_dead_ones(requests_mock):
    requests_mock.get(
        f"http://{M1}:5050/master/state-summary",
        exc=NewConnectionError(None, "refused"),
    )
    serve_mesos_leader(requests_mock, M2)
    third = requests_mock.get(f"http://{M3}:5050/master/state-summary", json=SUMMARY)
    answer = mesos.bay_health(mesos_target(M1, M2, M3))
    assert answer == health.summarize(SUMMARY, METRICS)
    assert third.call_count == 0


def test_503_is_no_leader_and_outranks_a_dead_master(requests_mock):
    requests_mock.get(
        f"http://{M1}:5050/master/state-summary",
        exc=NewConnectionError(None, "refused"),
    )
    requests_mock.get(
        f"http://{M2}:5050/master/state-summary",
        status_code=503,
        text="No leader elected",
    )
    answer = mesos.bay_health(mesos_target(M1, M2))
    assert answer.overall == health.UNREACHABLE
    assert answer.reason.startswith("No Mesos leader elected")


def test_all_masters_down_is_not_reported_as_no_leader(requests_mock):
    for host in (M1, M2):
        requests_mock.get(
            f"http://{host}:5050/master/state-summary",
            exc=ConnectTimeoutError("slow"),
        )
    answer = mesos.bay_health(mesos_target(M1, M2))
    assert answer.overall == health.UNREACHABLE
    assert "did not accept a connection" in answer.reason
    assert "leader" not in answer.reason


def test_masters_redirecting_to_each_other_are_each_asked_once(requests_mock):
    for host, other in ((M1, M2), (M2, M1)):
        requests_mock.get(
            f"http://{host}:5050/master/state-summary",
            status_code=307,
            headers={"Location": f"//{other}:5050/master/state-summary"},
        )
    answer = mesos.bay_health(mesos_target(M1, M2))
    assert answer.overall == health.UNREACHABLE
    assert "redirect to one another" in answer.reason
    assert len(requests_mock.request_history) == 2


def test_mesos_metrics_failing_alone_is_summarised_without(requests_mock):
    requests_mock.get(f"http://{M1}:5050/master/state-summary", json=SUMMARY)
    requests_mock.get(f"http://{M1}:5050/metrics/snapshot", status_code=404)
    answer = mesos.bay_health(mesos_target(M1))
    assert answer == health.summarize(SUMMARY)


def test_never_asks_for_master_state(requests_mock):
    requests_mock.get(
        f"http://{M1}:5050/master/state-summary",
        status_code=307,
        headers={"Location": f"//{M2}:5050/master/state"},
    )
    serve_mesos_leader(requests_mock, M2)
    serve_dcos(requests_mock, "http://10.1.1.1")
    mesos.bays_health([mesos_target(M1, M2), dcos_target("10.1.1.1", uuid="bay-2")])
    asked = paths(requests_mock)
    assert len(asked) == 7  # 3 for the Mesos bay, 4 for the DC/OS one
    assert not [p for p in asked if p.rstrip("/").endswith("/master/state")]


# -- caching ------------------------------------------------------------------


def test_one_fetch_per_cache_period(requests_mock):
    state, metrics = serve_mesos_leader(requests_mock, M1)
    with dashboard(HEALTH_CACHE_SECONDS=1):
        answers = [mesos.bay_health(mesos_target(M1)) for _ in range(5)]
        answers += list(mesos.bays_health([mesos_target(M1)] * 3).values())
        assert state.call_count == 1
        time.sleep(1.1)
        mesos.bay_health(mesos_target(M1))
    assert answers == [health.summarize(SUMMARY, METRICS)] * 6
    assert state.call_count == metrics.call_count == 2


def test_failures_are_cached_too(requests_mock):
    dead = requests_mock.get(
        f"http://{M1}:5050/master/state-summary",
        exc=NewConnectionError(None, "refused"),
    )
    for _ in range(4):
        assert mesos.bay_health(mesos_target(M1)).overall == health.UNREACHABLE
    assert dead.call_count == 1


def test_new_addresses_are_a_new_cache_entry(requests_mock):
    first, _ = serve_mesos_leader(requests_mock, M1)
    second, _ = serve_mesos_leader(requests_mock, M2)
    mesos.bay_health(mesos_target(M1))
    mesos.bay_health(mesos_target(M2))
    assert first.call_count == second.call_count == 1


def test_cached_bay_health_never_touches_the_network(requests_mock):
    state, _ = serve_mesos_leader(requests_mock, M1)
    assert mesos.cached_bay_health(mesos_target(M1)) is None
    assert requests_mock.call_count == 0
    fetched = mesos.bay_health(mesos_target(M1))
    requests_mock.reset_mock()
    assert mesos.cached_bay_health(mesos_target(M1)) == fetched
    assert requests_mock.call_count == 0


def test_bays_health_answers_hits_from_the_cache_and_fetches_misses(requests_mock):
    serve_mesos_leader(requests_mock, M1)
    serve_mesos_leader(requests_mock, M2)
    cached = mesos.bay_health(mesos_target(M1, uuid="a"))
    requests_mock.reset_mock()
    answers = mesos.bays_health(
        [mesos_target(M1, uuid="a"), mesos_target(M2, uuid="b")]
    )
    assert answers == {"a": cached, "b": health.summarize(SUMMARY, METRICS)}
    assert {r.hostname for r in requests_mock.request_history} == {M2}


def test_lists_can_ask_without_nodes(requests_mock):
    state, _ = serve_mesos_leader(requests_mock, M1)
    serve_mesos_leader(requests_mock, M2)
    full = health.summarize(SUMMARY, METRICS)
    overview = dataclasses.replace(full, nodes=())
    assert full.nodes
    # A miss is fetched in full, and answered without nodes.
    assert mesos.bays_health([mesos_target(M1, uuid="a")], nodes=False) == {
        "a": overview
    }
    assert mesos.cached_bay_health(mesos_target(M1, uuid="a"), nodes=False) == overview
    assert mesos.cached_bay_health(mesos_target(M1, uuid="a")) == full
    # The overview was cached with the full answer: no second fetch.
    answers = mesos.bays_health(
        [mesos_target(M1, uuid="a"), mesos_target(M2, uuid="b")], nodes=False
    )
    assert answers == {"a": overview, "b": overview}
    assert mesos.bay_health(mesos_target(M2, uuid="b"), nodes=False) == overview
    assert state.call_count == 1
    assert mesos.bay_health(mesos_target(M2, uuid="b")) == full
    assert mesos.bay_health(mesos_target(M1, M2, uuid="c"), nodes=False) == overview


def test_cached_answers_survive_pickling(requests_mock):
    # Horizon's cache is usually memcached; LocMem pickles values the same way.
    serve_dcos(requests_mock, "http://10.1.1.1", status_code=401)
    answer = mesos.bay_health(dcos_target("10.1.1.1"))
    again = mesos.cached_bay_health(dcos_target("10.1.1.1"))
    assert again == answer
    assert again is not answer
    assert again.auth_required


# -- links --------------------------------------------------------------------


def test_dcos_links():
    links = mesos.links(dcos_target("https://lb.example.com/dcos/"))
    assert links.console == "https://lb.example.com/dcos/"
    assert links.nodes == "https://lb.example.com/dcos/#/nodes/agents/table"
    assert links.mesos_ui == "https://lb.example.com/dcos/mesos/"
    assert links.marathon == "https://lb.example.com/dcos/service/marathon/"
    assert links.node("a/b#c-S1") == "https://lb.example.com/dcos/#/nodes/a%2Fb%23c-S1"


def test_mesos_links_follow_a_leader_magnum_reported():
    target = mesos_target(M1, M2, M3)
    answer = health.summarize(dict(SUMMARY, hostname=M2))
    with dashboard(MESOS_PORT=5050, MARATHON_PORT=8080):
        links = mesos.links(target, answer)
        assert links.console == links.mesos_ui == f"http://{M2}:5050/"
        assert links.marathon == f"http://{M2}:8080/"
        assert links.node("S1") == f"http://{M2}:5050/#/agents/S1"
        # A leader that is not one of the bay's masters is never linked to.
        elsewhere = health.summarize(dict(SUMMARY, hostname="203.0.113.9"))
        assert mesos.links(target, elsewhere).console == f"http://{M1}:5050/"
        assert mesos.links(target).marathon == f"http://{M1}:8080/"


def test_a_lease_won_just_after_the_holder_stored_its_answer_fetches_nothing(
    requests_mock,
):
    """Between a worker's read of a stale entry and its lease, the previous
    holder may store its answer and let the lease go: no second fetch."""
    from dcos_dashboard.api.mesos import cache as mesos_cache
    from dcos_dashboard.api.mesos import shared

    target = mesos_target(M1)
    state, _metrics = serve_mesos_leader(requests_mock, M1)
    key = mesos_cache.cache_key(target)
    with dashboard(HEALTH_CACHE_SECONDS=10):
        first = mesos.bay_health(target)
        assert state.call_count == 1
        fetched_at, answer = cache.get(key)
        cache.set(key, (fetched_at - 60, answer), 3600)  # past its period
        real_add = shared.add

        def holder_finishes_first(lease_key, value, seconds):
            cache.set(key, (time.time(), answer), 3600)
            return real_add(lease_key, value, seconds)

        with mock.patch.object(shared, "add", holder_finishes_first):
            again = mesos.bay_health(target)
    assert state.call_count == 1
    assert again == first
    assert not isinstance(again, mesos.StaleHealth)


@contextlib.contextmanager
def shared_reads():
    """The keys read from the shared cache meanwhile, in order."""
    from dcos_dashboard.api.mesos import shared

    read = []
    real_get = shared.get

    def get(name):
        read.append(name)
        return real_get(name)

    with mock.patch.object(shared, "get", get):
        yield read


def test_a_warm_worker_unpickles_the_nodes_once_per_answer(requests_mock):
    """The answer with nodes read once from the shared cache is kept in the
    process until that entry is replaced or past its period (figure 7)."""
    from dcos_dashboard.api.mesos import cache as mesos_cache

    target = mesos_target(M1)
    state, _metrics = serve_mesos_leader(requests_mock, M1)
    key = mesos_cache.cache_key(target)
    with dashboard(HEALTH_CACHE_SECONDS=10), shared_reads() as read:
        fetched = mesos.bay_health(target)
        warm = mesos.bay_health(target)
        assert warm == fetched and warm is not fetched  # unpickled from the cache
        read.clear()
        assert mesos.bay_health(target) is warm
        assert mesos.bay_health(target) is warm
        assert key not in read  # only the small overview entry was read

        # Another worker's fetch replaced the entry: its answer, not ours.
        other = health.summarize(dict(SUMMARY, slaves=SUMMARY["slaves"][:1]))
        mesos_cache._store(target, other)
        replaced = mesos.bay_health(target)
        assert replaced == other and replaced != warm
        assert mesos.bay_health(target) is replaced

        # Past its period the answer is fetched again, never taken from memory.
        later = time.time() + 11
        with mock.patch.object(mesos_cache.time, "time", return_value=later):
            again = mesos.bay_health(target)
        assert state.call_count == 2
        assert again == fetched
    assert mesos.bay_health(target, nodes=False).nodes == ()


def test_the_answers_kept_per_process_are_bounded(monkeypatch):
    from dcos_dashboard.api.mesos import cache as mesos_cache

    monkeypatch.setattr(mesos_cache, "_memo", type(mesos_cache._memo)())
    monkeypatch.setattr(mesos_cache, "_MEMO_NODES", 2 * len(SUMMARY["slaves"]))
    answer = health.summarize(SUMMARY)
    with dashboard(HEALTH_CACHE_SECONDS=10):
        for i in range(6):
            entry = mesos_cache._store(mesos_target(M1, uuid=f"bay-{i}"), answer)
            mesos_cache._remember(
                mesos_cache.cache_key(mesos_target(M1, uuid=f"bay-{i}")), entry
            )
    kept = list(mesos_cache._memo)
    # Bounded by nodes held (2 answers' worth) before the count (4) applies.
    assert kept == [
        mesos_cache.cache_key(mesos_target(M1, uuid=f"bay-{i}")) for i in (4, 5)
    ]


def test_what_derives_from_an_answer_is_shared_only_with_that_answer(requests_mock):
    from dcos_dashboard.api.mesos import cache as mesos_cache

    target = mesos_target(M1)
    serve_mesos_leader(requests_mock, M1)
    with dashboard(HEALTH_CACHE_SECONDS=10):
        fetched = mesos.bay_health(target)
        # The fetch's own answer: its fetched_at is not known here, kept not.
        mesos.keep_derived(target, fetched, "page-1", "made from the fetch")
        assert mesos.cached_derived(target, "page-1") is None
        read = mesos.bay_health(target)
        mesos.keep_derived(target, read, "page-1", "made from the answer")
        overview, value = mesos.cached_derived(target, "page-1")
        assert value == "made from the answer"
        assert overview == mesos_cache.overview(read) and overview.nodes == ()
        assert mesos.cached_derived(target, "page-2") is None
        # An equal answer that is not the one read is never filed under it.
        mesos.keep_derived(target, health.summarize(SUMMARY), "page-2", "other")
        assert mesos.cached_derived(target, "page-2") is None

        mesos_cache._store(target, health.summarize(SUMMARY))  # replaced
        assert mesos.cached_derived(target, "page-1") is None


def test_an_answer_past_its_period_is_not_read_only_to_be_read_again(requests_mock):
    """The overview says the fetch is past its period: the 2 MB entry of a
    big bay is read by the coalescing alone (last known answer, then once
    more under the lease), not a third time before it."""
    from dcos_dashboard.api.mesos import cache as mesos_cache

    target = mesos_target(M1)
    state, _metrics = serve_mesos_leader(requests_mock, M1)
    key = mesos_cache.cache_key(target)
    with dashboard(HEALTH_CACHE_SECONDS=10):
        first = mesos.bay_health(target)
        later = time.time() + 11
        with (
            shared_reads() as read,
            mock.patch.object(mesos_cache.time, "time", return_value=later),
        ):
            again = mesos.bay_health(target)
    assert state.call_count == 2 and again == first
    assert read.count(key) == 2
