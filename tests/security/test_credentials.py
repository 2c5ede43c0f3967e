"""DC/OS credentials go to the bay's DC/OS Admin Router only, and are never shown.

Two more Horizons of the live stack's cloud (same Keystone, same Magnum),
started with DC/OS credentials in DCOS_DASHBOARD (devenv's
``DCOS_DASHBOARD_JSON``): one with a static ACS token, one with a uid and
password. Bays report listeners of this module as their addresses; each
listener records every request, its headers and body.
"""

import dataclasses
import json

import pytest

from dcos_sandbox.config import free_port
from devenv.run import Stack, horizon_command, horizon_env, wait_http
from tests.security import probes

pytestmark = pytest.mark.security

CREDENTIALS = "credentials to other hosts"
SHOWN = "credentials shown"
TOKEN = "acs-token-SECRET-4f1c"
UID = "secsuite-uid-7d2e"
PASSWORD = "secsuite-password-9a3b"

SUMMARY = {"hostname": "m1", "version": "1.11.0", "slaves": [], "frameworks": []}
LOGIN_OK = (200, {}, {"token": "login-token-from-a-stranger"})
DCOS_ROUTES = {
    "/mesos/master/state-summary": (200, {}, SUMMARY),
    "/mesos/metrics/snapshot": (200, {}, {"master/elected": 1}),
    "/system/health/v1/nodes": (200, {}, {"nodes": []}),
    "/acs/api/v1/auth/login": LOGIN_OK,
    "/master/state-summary": (200, {}, SUMMARY),
    "/metrics/snapshot": (200, {}, {"master/elected": 1}),
}


@pytest.fixture(scope="module")
def horizons(cloud):
    """{"token": base URL, "login": base URL}: Horizons with DC/OS credentials."""
    settings = {
        "token": {"DCOS_ACS_TOKEN": TOKEN, "HEALTH_CACHE_SECONDS": 0},
        "login": {
            "DCOS_ACS_UID": UID,
            "DCOS_ACS_PASSWORD": PASSWORD,
            # The operator has not allowed the login over plain http.
            "DCOS_ACS_LOGIN_OVER_HTTP": False,
            "HEALTH_CACHE_SECONDS": 0,
        },
    }
    # One Stack for both: stopping them waits for both at once.
    stack = Stack(cloud, cloud.state_dir / "logs")
    bases = {}
    try:
        started = []
        for name, overrides in settings.items():
            config = dataclasses.replace(cloud, horizon_port=free_port())
            env = horizon_env(config)
            env["DCOS_DASHBOARD_JSON"] = json.dumps(overrides)
            proc = stack._spawn(f"horizon-{name}", horizon_command(config), env)
            started.append((name, config, proc))
        for name, config, proc in started:
            wait_http(config.url(config.horizon_port, "/auth/login/"), proc)
            bases[name] = config.url(config.horizon_port)
        yield bases
    finally:
        stack.stop()


@pytest.fixture(scope="module")
def bays(created, hostile):
    """Bays whose addresses are listeners: a kubernetes bay, a DC/OS bay over
    plain http, a Mesos bay, and a DC/OS bay that refuses every login."""
    listeners = {
        "kubernetes": hostile(DCOS_ROUTES),
        "dcos_http": hostile(DCOS_ROUTES),
        "mesos": hostile(DCOS_ROUTES),
        "dcos_refusing": hostile(
            {
                **DCOS_ROUTES,
                "/acs/api/v1/auth/login": (401, {"WWW-Authenticate": "acsjwt"}, {}),
                "/mesos/master/state-summary": (401, {}, {}),
            }
        ),
    }
    k8s = created.model(coe="kubernetes", image_id="fedora-coreos-40")
    dcos = created.model(coe="dcos", labels={"dcos_overlay_enable": "true"})
    mesos = created.model(coe="mesos", image_id="ubuntu-mesos")
    made = {
        "kubernetes": created.bay_at(k8s, api=listeners["kubernetes"].url),
        "dcos_http": created.bay_at(dcos, api=listeners["dcos_http"].url),
        "mesos": created.bay_at(mesos, masters=listeners["mesos"]),
        "dcos_refusing": created.bay_at(dcos, api=listeners["dcos_refusing"].url),
    }
    for bay in made.values():
        created.wait(bay.uuid)
    return made, listeners


def pages(session, base, bay, hints=("", "?coe=dcos", "?coe=mesos")):
    """Every page a user can open about one bay; their bodies."""
    bodies = []
    for hint in hints:
        r = session.get(f"{base}/project/dcos_bays/{bay}/health{hint}", timeout=60)
        bodies.append(r.text)
    for path in ("", "?tab=bay_details__nodes"):
        r = session.get(f"{base}/project/dcos_bays/{bay}/{path}", timeout=60)
        bodies.append(r.text)
    return bodies


def heard(session, base, bays, name, **hints):
    """Open every page of bay ``name`` (``pages``' hints) with its listener's
    log emptied first: (that listener, the pages' bodies)."""
    made, listeners = bays
    listener = listeners[name]
    listener.requests.clear()
    return listener, pages(session, base, made[name].uuid, **hints)


def described(requests):
    return [(r.method, r.path, r.headers.get("Authorization")) for r in requests]


def test_no_credential_reaches_a_bay_that_is_not_dcos(horizons, bays, probe):
    """Issue 18, escape 1: the COE hint in the health URL decided where the
    DC/OS token went. Only the COE Magnum reports for the bay may."""
    for mode, base in horizons.items():
        session = probes.login(base, "demo", "demo")
        listener, _ = heard(session, base, bays, "kubernetes")
        probe.check(
            CREDENTIALS,
            f"{mode}: no credential to a kubernetes bay's api_address",
            not listener.with_credentials(),
            f"{described(listener.with_credentials())}",
        )
        probe.check(
            CREDENTIALS,
            f"{mode}: no request at all to a kubernetes bay (?coe=dcos, ?coe=mesos)",
            not listener.requests,
            f"{described(listener.requests)}",
        )


def test_no_token_to_mesos_masters_and_none_shown(horizons, bays, probe):
    base = horizons["token"]
    session = probes.login(base, "demo", "demo")
    listener, bodies = heard(session, base, bays, "mesos", hints=("", "?coe=dcos"))
    assert listener.requests, "the Mesos bay's master was never asked"
    probe.check(
        CREDENTIALS,
        "token: the DC/OS token never goes to a plain Mesos master",
        not listener.with_credentials(),
        f"{described(listener.with_credentials())}",
    )
    dcos, more = heard(session, base, bays, "dcos_http", hints=("",))
    bodies += more
    # The control: this Horizon does hold the token, and sends it to a DC/OS bay.
    assert any(
        r.headers.get("Authorization") == f"token={TOKEN}" for r in dcos.requests
    ), "the DC/OS bay never got the configured token: the probes prove nothing"
    probe.check(
        SHOWN,
        "token: the ACS token is in no page",
        not any(TOKEN in body for body in bodies),
    )


def test_no_acs_login_over_plain_http(horizons, bays, probe):
    """Issue 18, escape 1: uid and password were POSTed over plain http."""
    base = horizons["login"]
    session = probes.login(base, "demo", "demo")
    listener, _ = heard(session, base, bays, "dcos_http", hints=("",))
    logins = [r for r in listener.requests if "/acs/" in r.path]
    probe.check(
        CREDENTIALS,
        "login: no ACS login over plain http (not allowed by the operator)",
        not logins,
        f"{[(r.method, r.path, r.body[:80]) for r in logins]}",
    )


def test_the_dcos_uid_and_password_are_never_shown(horizons, bays, probe):
    """Issue 18: the health tooltip showed the DC/OS uid."""
    made, listeners = bays
    base = horizons["login"]
    session = probes.login(base, "demo", "demo")
    bodies = pages(session, base, made["dcos_refusing"].uuid, hints=("",))
    probe.check(
        SHOWN, "login: the DC/OS uid is in no page", not any(UID in b for b in bodies)
    )
    probe.check(
        SHOWN,
        "login: the DC/OS password is in no page",
        not any(PASSWORD in b for b in bodies),
    )
