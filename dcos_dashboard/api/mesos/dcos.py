"""DC/OS: the Admin Router paths of a bay, and the ACS login.

``DCOS_ACS_TOKEN`` is sent as ``Authorization: token=...``; else
``DCOS_ACS_UID``/``DCOS_ACS_PASSWORD`` log in (over https, or over http when
``DCOS_ACS_LOGIN_OVER_HTTP`` allows it), and the token is kept in the cache
(per base URL and uid) until its JWT expiry, dropped and renewed once when
DC/OS answers 401. A bay's three paths are asked at once.
"""

from __future__ import annotations

import base64
import binascii
import concurrent.futures
import hashlib
import json
import logging
import time
from urllib.parse import quote, urlsplit

from django.utils.translation import gettext as _

from dcos_dashboard import config, health
from dcos_dashboard.api.mesos import shared
from dcos_dashboard.api.mesos.addresses import Target, dcos_base
from dcos_dashboard.api.mesos.failures import (
    RANK_REDIRECT,
    Failure,
    http_failure,
    no_address,
)
from dcos_dashboard.api.mesos.http import REDIRECTS, Answer, Body, Client, decode

LOG = logging.getLogger(__name__)

# Admin Router sends /mesos/ to the leading master (dcos/dcos packages/adminrouter).
DCOS_STATE_SUMMARY = "/mesos/master/state-summary"
DCOS_METRICS = "/mesos/metrics/snapshot"
# dcos/dcos-diagnostics: {"nodes": [{"host_ip", "health", "role"}]}.
DCOS_DIAGNOSTICS = "/system/health/v1/nodes"
# dcos-diagnostics: {"units": [{"id", "name", "health", "description"}]}.
DCOS_UNITS = "/system/health/v1/units"
# dcos-diagnostics: one unit's nodes, {"nodes": [{"host_ip", "health", "role"}]}.
DCOS_UNIT_NODES = DCOS_UNITS + "/%s/nodes"
# dcos/dcos packages/bouncer: POST {uid, password} -> {token}.
DCOS_LOGIN = "/acs/api/v1/auth/login"

# DC/OS tokens last 5 days (docs/reference.md#dcos-authentication); renew a minute early
# so a token
# never expires between the cache read and the request.
_TOKEN_MAX_SECONDS = 5 * 24 * 3600
_TOKEN_MARGIN_SECONDS = 60
# When a token's expiry cannot be read, keep it for a short while only.
_TOKEN_FALLBACK_SECONDS = 3600

_LOGIN_PREFIX = "dcos_dashboard:mesos:acs-token:"


def _token_seconds(token: str) -> int:
    """How long to keep a login token: until its JWT ``exp``, read unverified."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(
            base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        )
        expiry = claims["exp"]
        if type(expiry) not in (int, float):
            raise TypeError(expiry)
    except (IndexError, KeyError, TypeError, ValueError, binascii.Error):
        return _TOKEN_FALLBACK_SECONDS
    return int(min(expiry - time.time() - _TOKEN_MARGIN_SECONDS, _TOKEN_MAX_SECONDS))


class _DcosAuth:
    """The Authorization header for one DC/OS, from settings or a login."""

    def __init__(self, client: Client, base: str):
        self.client = client
        self.base = base
        self.static_token = config.get("DCOS_ACS_TOKEN") or None
        self.uid = config.get("DCOS_ACS_UID") or None
        self.password = config.get("DCOS_ACS_PASSWORD") or None
        digest = hashlib.sha256(f"{base}\0{self.uid}".encode()).hexdigest()
        self.cache_key = _LOGIN_PREFIX + digest
        self.token: str | None = None
        self.from_cache = False

    @property
    def logs_in(self) -> bool:
        return not self.static_token and bool(self.uid and self.password)

    def headers(self) -> dict[str, str]:
        if self.static_token:
            return {"Authorization": f"token={self.static_token}"}
        if not self.logs_in:
            return {}
        if self.token is None:
            self.token = shared.get(self.cache_key)
            self.from_cache = self.token is not None
            if self.token is None:
                self.token = self._login()
        return {"Authorization": f"token={self.token}"}

    def renew(self) -> bool:
        """After a 401: drop a cached login token; True when a retry may help."""
        if not (self.logs_in and self.from_cache):
            return False
        shared.delete(self.cache_key)
        self.token = None
        self.from_cache = False
        return True

    def refused(self, status: int, url: str) -> Failure:
        if status == 403:
            reason = _(
                "DC/OS authentication required: the account in use may not read"
                " %(address)s (HTTP 403); grant it access or configure another"
                " account in DCOS_DASHBOARD"
            ) % {"address": url}
        elif self.static_token:
            reason = _(
                "DC/OS authentication required: DC/OS rejected the token in"
                " DCOS_ACS_TOKEN; set a valid one in DCOS_DASHBOARD"
            )
        elif self.logs_in:
            # The reason is every user's tooltip: it never names the account.
            reason = _(
                "DC/OS authentication required: DC/OS did not accept the login"
                " configured; check DCOS_ACS_UID and DCOS_ACS_PASSWORD in"
                " DCOS_DASHBOARD"
            )
        else:
            reason = _(
                "DC/OS authentication required: set DCOS_ACS_TOKEN, or"
                " DCOS_ACS_UID and DCOS_ACS_PASSWORD, in DCOS_DASHBOARD"
            )
        return Failure(reason, auth_required=True, level=logging.WARNING)

    def _login(self) -> str:
        url = self.base + DCOS_LOGIN
        if urlsplit(url).scheme != "https" and not config.get(
            "DCOS_ACS_LOGIN_OVER_HTTP"
        ):
            # Anyone on the path would read the password: the operator decides.
            raise Failure(
                _(
                    "DC/OS authentication required: the dashboard does not send"
                    " the DC/OS login over plain http; set DCOS_SCHEME to"
                    ' "https", or DCOS_ACS_LOGIN_OVER_HTTP to True, in'
                    " DCOS_DASHBOARD"
                ),
                auth_required=True,
                level=logging.WARNING,
            )
        answer = self.client.call(
            "POST", url, body={"uid": self.uid, "password": self.password}
        )
        if answer.status in (401, 403):
            raise self.refused(401, url)
        if answer.status != 200:
            raise http_failure(answer.status, url)
        reply = decode(answer.body, url)
        token = reply.get("token") if isinstance(reply, dict) else None
        if not isinstance(token, str) or not token:
            raise Failure(
                _("DC/OS answered the login at %(address)s without a token")
                % {"address": url},
                overall=health.UNKNOWN,
                level=logging.WARNING,
            )
        seconds = _token_seconds(token)
        if seconds > 0:
            shared.set(self.cache_key, token, seconds)
        return token


def _dcos_get(client: Client, auth: _DcosAuth, url: str) -> Body:
    """A DC/OS answer's body; one retry with a fresh login after a 401."""
    answer = client.call("GET", url, headers=auth.headers())
    if answer.status == 401 and auth.renew():
        answer = client.call("GET", url, headers=auth.headers())
    return _dcos_checked(auth, url, answer)


def _dcos_checked(auth: _DcosAuth, url: str, answer: Answer) -> Body:
    if answer.status in (401, 403):
        raise auth.refused(answer.status, url)
    if answer.status in REDIRECTS:
        raise Failure(
            _(
                "%(address)s redirected to %(location)s, which is not followed;"
                ' if DC/OS serves HTTPS, set DCOS_SCHEME to "https" in DCOS_DASHBOARD'
            )
            % {"address": url, "location": answer.location},
            rank=RANK_REDIRECT,
            level=logging.WARNING,
        )
    if answer.status != 200:
        raise http_failure(answer.status, url)
    return Body(url, answer.body)


def _dcos_extra(url: str, headers: dict[str, str]) -> Answer | Failure:
    """The answer to metrics or diagnostics, in a thread of its own."""
    client = Client()
    try:
        return client.call("GET", url, headers=headers)
    except Failure as failure:
        return failure
    finally:
        client.close()


_EXTRAS = (DCOS_METRICS, DCOS_DIAGNOSTICS, DCOS_UNITS)


def fetch(client: Client, target: Target) -> tuple[Body, ...]:
    """State-summary, metrics, diagnostics and units, all asked at once.

    The three extras go out in threads of their own with the same token as
    the state-summary: a bay costs one round trip, not four. If the
    state-summary's 401 made a new login, an extra refused with the old
    token is asked again with the new one.
    """
    base = dcos_base(target)
    if base is None:
        raise no_address()
    auth = _DcosAuth(client, base)
    headers = auth.headers()  # logs in first when it must: one login, not three
    with concurrent.futures.ThreadPoolExecutor(
        max_workers=len(_EXTRAS), thread_name_prefix="dcos-extras"
    ) as pool:
        pending = [pool.submit(_dcos_extra, base + path, headers) for path in _EXTRAS]
        # On failure the pool still waits for the extras: they time out no
        # later than this request did, and no thread outlives the fetch.
        state_summary = _dcos_get(client, auth, base + DCOS_STATE_SUMMARY)
        done = [future.result() for future in pending]
    # The state-summary's 401 dropped a cached login and made a new one.
    logged_in_again = auth.token is not None and auth.headers() != headers
    extras = []
    for path, answer in zip(_EXTRAS, done, strict=True):
        url = base + path
        try:
            if isinstance(answer, Failure):
                raise answer
            if answer.status == 401 and logged_in_again:
                extras.append(_dcos_get(client, auth, url))
            else:
                extras.append(_dcos_checked(auth, url, answer))
        except Failure as failure:
            LOG.info("Bay %s: summarised without %s: %s", target.uuid, path, failure)
            extras.append(None)
    return state_summary, *extras


def unit_nodes(client: Client, target: Target, unit_id: str) -> Body:
    """One unit's ``/system/health/v1/units/<id>/nodes``, asked on demand.

    The id goes into the path quoted whole: whatever it holds, it stays one
    path segment under the bay's own Admin Router.
    """
    base = dcos_base(target)
    if base is None:
        raise no_address()
    url = base + DCOS_UNIT_NODES % quote(unit_id, safe="")
    return _dcos_get(client, _DcosAuth(client, base), url)
