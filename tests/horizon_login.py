"""Logging in to Horizon over plain HTTP as a browser does, for the suites
that speak to a running Horizon with requests (live, security, integration)."""

import requests


def horizon_login(
    base: str, username: str, password: str, timeout: float = 60, follow=True
):
    """GET the login form (which sets the CSRF cookie), then POST it back.

    Returns the session and the answer to the POST, redirects followed
    unless ``follow`` is false: the caller decides what a success or a
    refusal must look like.
    """
    session = requests.Session()
    session.get(f"{base}/auth/login/", timeout=timeout).raise_for_status()
    response = session.post(
        f"{base}/auth/login/",
        data={
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
            "username": username,
            "password": password,
            "region": "default",
        },
        headers={"Referer": f"{base}/auth/login/"},
        timeout=timeout,
        allow_redirects=follow,
    )
    return session, response
