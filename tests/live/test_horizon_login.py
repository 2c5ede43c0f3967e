"""Real Horizon under gunicorn, logging in against the real Keystone."""

import re

import pytest
import requests

from tests.horizon_login import horizon_login

pytestmark = pytest.mark.cloud


def test_demo_user_lands_on_the_bays_panel_with_the_dcos_group(live_stack):
    base = live_stack.url(live_stack.horizon_port)
    session, response = horizon_login(base, "demo", "demo")
    assert response.status_code == 200
    assert response.url == f"{base}/project/dcos_bays/"
    # The panel group and both panels are in the navigation.
    assert re.search(r">\s*DC/OS\s*<", response.text)
    assert 'href="/project/dcos_baymodels/"' in response.text
    assert 'href="/project/dcos_bays/"' in response.text
    models = session.get(f"{base}/project/dcos_baymodels/", timeout=30)
    assert models.status_code == 200
    assert "Bay Models" in models.text


def test_wrong_password_is_refused_with_horizons_message(live_stack):
    base = live_stack.url(live_stack.horizon_port)
    _, response = horizon_login(base, "demo", "wrong-password")
    assert response.url.startswith(f"{base}/auth/login/")
    assert "Invalid credentials." in response.text


def test_pages_need_a_login(live_stack):
    base = live_stack.url(live_stack.horizon_port)
    response = requests.get(
        f"{base}/project/dcos_bays/", timeout=30, allow_redirects=False
    )
    assert response.status_code == 302
    assert "/auth/login/" in response.headers["Location"]


def test_csrf_is_enforced_on_login(live_stack):
    base = live_stack.url(live_stack.horizon_port)
    session = requests.Session()
    response = session.post(
        f"{base}/auth/login/",
        data={"username": "demo", "password": "demo", "region": "default"},
        timeout=30,
        allow_redirects=False,
    )
    # Horizon's CSRF_FAILURE_VIEW sends the user back to the login form.
    assert response.status_code == 302
    assert "csrf_failure=" in response.headers["Location"]
    after = session.get(f"{base}/project/dcos_bays/", timeout=30, allow_redirects=False)
    assert after.status_code == 302
    assert "/auth/login/" in after.headers["Location"]
