"""The sandbox's real Keystone: bootstrap, demo accounts and the catalog."""

import requests


def _catalog(config, token):
    r = requests.get(
        f"{config.keystone_url}/auth/catalog",
        headers={"X-Auth-Token": token},
        timeout=30,
    )
    r.raise_for_status()
    return {s["type"]: s for s in r.json()["catalog"]}


def test_demo_user_gets_a_project_token(keystone, token):
    r = requests.get(
        f"{keystone.keystone_url}/auth/tokens",
        headers={"X-Auth-Token": token(), "X-Subject-Token": token()},
        timeout=30,
    )
    assert r.status_code == 200
    body = r.json()["token"]
    assert body["user"]["name"] == "demo"
    assert body["project"]["name"] == "demo"
    assert {"member", "reader"} <= {role["name"] for role in body["roles"]}


def test_wrong_password_is_refused(keystone):
    from tests.conftest import keystone_token

    try:
        keystone_token(keystone, "demo", "not-the-password", "demo")
    except requests.HTTPError as exc:
        assert exc.response.status_code == 401
    else:
        raise AssertionError("Keystone accepted a wrong password")


def test_catalog_points_every_service_at_the_sandbox(keystone, token):
    catalog = _catalog(keystone, token())
    expected = {
        "identity": keystone.keystone_url,
        "container-infra": keystone.magnum_url,
        "image": keystone.glance_url,
        "compute": keystone.nova_url,
        "network": keystone.neutron_url,
    }
    for stype, url in expected.items():
        interfaces = {e["interface"]: e["url"] for e in catalog[stype]["endpoints"]}
        assert interfaces["public"] == url, stype
        assert interfaces["internal"] == url, stype


def test_alt_user_lives_in_its_own_project(keystone, token):
    alt = token("alt", "alt", "alt")
    body = requests.get(
        f"{keystone.keystone_url}/auth/tokens",
        headers={"X-Auth-Token": alt, "X-Subject-Token": alt},
        timeout=30,
    ).json()["token"]
    assert body["user"]["name"] == "alt"
    assert body["project"]["name"] == "alt"
    assert body["project"]["id"] != _project_id(keystone, token())


def _project_id(config, token):
    r = requests.get(
        f"{config.keystone_url}/auth/tokens",
        headers={"X-Auth-Token": token, "X-Subject-Token": token},
        timeout=30,
    )
    return r.json()["token"]["project"]["id"]
