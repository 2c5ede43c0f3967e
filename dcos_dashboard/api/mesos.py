"""The one door to Mesos and DC/OS: read a bay's health, cached and bounded.

Only addresses Magnum reported for a bay are ever contacted (its
``api_address`` and ``master_addresses``, in a :class:`Target`), and a
redirect is followed only to another of the bay's Mesos masters. Every
request has a connect and a read timeout (CONNECT_TIMEOUT, READ_TIMEOUT),
a whole body must arrive within CONNECT_TIMEOUT + 6 x READ_TIMEOUT and
stay under MAX_RESPONSE_BYTES, requests never follows redirects itself,
and every response is closed.

DC/OS: ``DCOS_ACS_TOKEN`` is sent as ``Authorization: token=...``; else
``DCOS_ACS_UID``/``DCOS_ACS_PASSWORD`` log in, and the token is kept in the
cache (per base URL and uid) until its JWT expiry, dropped and renewed
once when DC/OS answers 401.

What a fetch turns into (a ``health.BayHealth``):

- no connection, a timeout, a 5xx, a 503 (no Mesos leader elected), a
  4xx, a refused redirect: ``health.unreachable(reason)``; a 401 or 403
  from DC/OS: the same with ``auth_required=True`` and a sentence naming
  the setting to fix;
- a 200 whose body is too big or not JSON (a master that answered, but not
  with something readable): overall ``unknown`` with the reason; a 200
  whose JSON is not a state-summary object: whatever ``health.summarize``
  says of it (``unknown`` too);
- otherwise ``health.summarize(state_summary, metrics, diagnostics)``.
  Metrics and DC/OS diagnostics are extras: when they fail the bay is
  summarised without them. A DC/OS bay's three paths are asked at once.

Every result, failures included, is kept in Django's ``default`` cache for
``HEALTH_CACHE_SECONDS``, so a bay's master is asked at most once per
period whatever the number of users and pages, and a dead master is not
hammered; within one process, concurrent callers for one bay wait for a
single fetch. Reasons are rendered in ``settings.LANGUAGE_CODE``: one
cached answer serves every user.
"""

from __future__ import annotations

import base64
import binascii
import concurrent.futures
import contextlib
import dataclasses
import gc
import hashlib
import ipaddress
import json
import logging
import socket
import threading
import time
from collections.abc import Iterable, Mapping
from urllib.parse import quote, urlsplit

import orjson
import requests
import urllib3.exceptions
from django.conf import settings
from django.core.cache import cache, close_caches
from django.utils import translation
from django.utils.translation import gettext as _

from dcos_dashboard import conf, health

LOG = logging.getLogger(__name__)

DCOS = "dcos"
MESOS = "mesos"

# Admin Router sends /mesos/ to the leading master (dcos/dcos packages/adminrouter).
DCOS_STATE_SUMMARY = "/mesos/master/state-summary"
DCOS_METRICS = "/mesos/metrics/snapshot"
# dcos/dcos-diagnostics: {"nodes": [{"host_ip", "health", "role"}]}.
DCOS_DIAGNOSTICS = "/system/health/v1/nodes"
# dcos/dcos packages/bouncer: POST {uid, password} -> {token}.
DCOS_LOGIN = "/acs/api/v1/auth/login"
# apache/mesos src/master/readonly_handler.cpp. Never /master/state: it carries
# every task ever run and is what tips big masters over (REFERENCE.md).
MESOS_STATE_SUMMARY = "/master/state-summary"
MESOS_METRICS = "/metrics/snapshot"

# A non-leading Mesos master answers 307 (src/master/http.cpp redirect());
# the others are accepted too, they mean the same here.
_REDIRECTS = frozenset((301, 302, 303, 307, 308))
_DEFAULT_PORTS = {"http": 80, "https": 443}

_CHUNK_BYTES = 1024 * 1024
# READ_TIMEOUT bounds each wait on the socket; a master trickling a byte per
# wait would otherwise hold a worker forever, so a whole body gets this many.
_BODY_READ_TIMEOUTS = 6

# DC/OS tokens last 5 days (REFERENCE.md); renew a minute early so a token
# never expires between the cache read and the request.
_TOKEN_MAX_SECONDS = 5 * 24 * 3600
_TOKEN_MARGIN_SECONDS = 60
# When a token's expiry cannot be read, keep it for a short while only.
_TOKEN_FALLBACK_SECONDS = 3600

_HEALTH_PREFIX = "dcos_dashboard:mesos:health:"
# The same answer without its nodes, for lists: unpickling a BayHealth costs
# about 40 us per node (20 ms for 500 agents), and a list shows no nodes.
_OVERVIEW_PREFIX = "dcos_dashboard:mesos:overview:"
_LOGIN_PREFIX = "dcos_dashboard:mesos:acs-token:"


@dataclasses.dataclass(frozen=True)
class Target:
    """What Magnum reported of one bay: the only addresses ever contacted."""

    uuid: str
    coe: str
    api_address: str | None
    master_addresses: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class Links:
    """Where a user can look at a bay themselves (Magnum-reported hosts only)."""

    console: str
    nodes: str
    mesos_ui: str
    marathon: str
    node_base: str

    def node(self, agent_id: str) -> str:
        """The page of one agent."""
        return self.node_base + quote(agent_id, safe="")


@dataclasses.dataclass(frozen=True)
class _Endpoint:
    scheme: str
    host: str
    port: int

    @property
    def key(self) -> tuple[str, int]:
        return self.host, self.port

    @property
    def netloc(self) -> str:
        return _netloc(self.host, self.port)

    def url(self, path: str) -> str:
        return f"{self.scheme}://{self.netloc}{path}"


class _Failure(Exception):
    """Why a bay's state could not be read; ``rank`` orders the reasons
    of several masters, the most telling wins."""

    def __init__(
        self,
        reason: str,
        *,
        overall: str = health.UNREACHABLE,
        auth_required: bool = False,
        rank: int = 0,
        level: int = logging.INFO,
    ):
        super().__init__(reason)
        self.reason = reason
        self.overall = overall
        self.auth_required = auth_required
        self.rank = rank
        self.level = level

    def health(self) -> health.BayHealth:
        answer = health.unreachable(self.reason, auth_required=self.auth_required)
        if self.overall != health.UNREACHABLE:
            answer = dataclasses.replace(answer, overall=self.overall)
        return answer


# Ranks: a master that was down says least; a refused redirect says most.
_RANK_DOWN = 0
_RANK_HTTP = 1
_RANK_NO_LEADER = 2
_RANK_REDIRECT = 3


# -- addresses ----------------------------------------------------------------


def _field(cluster, name):
    if isinstance(cluster, Mapping):
        return cluster.get(name)
    # magnumclient's Resource fetches the whole cluster from Magnum again on
    # any missing attribute; its to_dict() reads only what is already there.
    to_dict = getattr(type(cluster), "to_dict", None)
    if callable(to_dict):
        return cluster.to_dict().get(name)
    return getattr(cluster, name, None)


def target_for(cluster, coe: str) -> Target | None:
    """The Target of a Magnum cluster (resource or dict) of the given COE.

    None when the COE is neither "dcos" nor "mesos" or when Magnum has not
    reported a usable address yet (a bay still being created).
    """
    coe = (coe or "").strip().lower()
    uuid = _field(cluster, "uuid")
    if coe not in (DCOS, MESOS) or not isinstance(uuid, str) or not uuid:
        return None
    api_address = _field(cluster, "api_address")
    if not isinstance(api_address, str) or not api_address.strip():
        api_address = None
    else:
        api_address = api_address.strip()
    masters = _field(cluster, "master_addresses")
    if isinstance(masters, str):
        masters = [masters]
    if not isinstance(masters, list | tuple):
        masters = ()
    target = Target(
        uuid=uuid,
        coe=coe,
        api_address=api_address,
        master_addresses=tuple(
            a.strip() for a in masters if isinstance(a, str) and a.strip()
        ),
    )
    usable = _dcos_base(target) if coe == DCOS else _masters(target)
    return target if usable else None


def _canonical_host(host: str) -> str:
    host = host.lower().rstrip(".")
    try:
        return ipaddress.ip_address(host).compressed
    except ValueError:
        return host


def _netloc(host: str, port: int | None) -> str:
    shown = f"[{host}]" if ":" in host else host
    return shown if port is None else f"{shown}:{port}"


def _split(address: str) -> tuple[str, str, int | None, str] | None:
    """(scheme or "", host, port or None, path) of a host, host:port or URL."""
    text = address.strip()
    if "://" not in text and text.count(":") > 1 and not text.startswith("["):
        text = f"[{text}]"  # a bare IPv6 address
    try:
        parts = urlsplit(text if "://" in text else "//" + text)
        port = parts.port
    except ValueError:  # an unclosed "[", a port that is not a number
        return None
    if not parts.hostname:
        return None
    return parts.scheme.lower(), _canonical_host(parts.hostname), port, parts.path


def _dcos_base(target: Target) -> str | None:
    """The DC/OS base URL, without a trailing slash.

    A bare host or host:port gets DCOS_SCHEME; a URL is kept with its path.
    Without an api_address, the first master: Admin Router runs on each.
    """
    address = target.api_address or next(iter(target.master_addresses), None)
    split = _split(address) if address else None
    if split is None:
        return None
    scheme, host, port, path = split
    if not scheme:
        scheme = str(conf.get("DCOS_SCHEME")).lower()
    if scheme not in _DEFAULT_PORTS:
        return None
    return f"{scheme}://{_netloc(host, port)}{path.rstrip('/')}"


def _masters(target: Target) -> tuple[_Endpoint, ...]:
    """The bay's Mesos masters, in Magnum's order, without duplicates.

    A master without a port listens on MESOS_PORT. A plain Mesos bay that
    reported no master addresses is read at its api_address.
    """
    addresses = target.master_addresses or (
        (target.api_address,) if target.api_address else ()
    )
    default_port = int(conf.get("MESOS_PORT"))
    endpoints: dict[tuple[str, int], _Endpoint] = {}
    for address in addresses:
        split = _split(address)
        if split is None:
            continue
        scheme, host, port, _path = split
        scheme = scheme or "http"
        if scheme not in _DEFAULT_PORTS:
            continue
        endpoint = _Endpoint(scheme, host, port or default_port)
        endpoints.setdefault(endpoint.key, endpoint)
    return tuple(endpoints.values())


def _redirect_endpoint(location: str | None, current: _Endpoint) -> _Endpoint | None:
    """Where a redirect points: Mesos sends ``//host:port/path``."""
    if not location:
        return None
    try:
        parts = urlsplit(location.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower() or current.scheme
    if scheme not in _DEFAULT_PORTS:
        return None
    if not parts.netloc:
        return current
    if not parts.hostname:
        return None
    return _Endpoint(
        scheme, _canonical_host(parts.hostname), port or _DEFAULT_PORTS[scheme]
    )


# -- HTTP ---------------------------------------------------------------------


def _chain(exc: BaseException):
    """The exception and those nested in it: requests and urllib3 wrap them."""
    pending = [exc]
    seen = 0
    while pending and seen < 12:
        current = pending.pop(0)
        seen += 1
        yield current
        for inner in (
            getattr(current, "reason", None),
            current.__cause__,
            current.__context__,
            *current.args,
        ):
            if isinstance(inner, BaseException):
                pending.append(inner)


def _cause(exc: BaseException) -> str:
    """The operating system's words for why a connection failed, if any."""
    for inner in _chain(exc):
        if isinstance(inner, OSError) and inner.strerror:
            return str(inner.strerror)
    return _("connection failed")


def _caused_by(exc: BaseException, kind: type) -> bool:
    return any(isinstance(inner, kind) for inner in _chain(exc))


def _hang_up(response: requests.Response, expired: threading.Event) -> None:
    """Wake a read blocked on the response's socket: it then sees the end."""
    expired.set()
    connection = getattr(response.raw, "connection", None)
    sock = getattr(connection, "sock", None)
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


class _Session(requests.Session):
    """A Session blind to redirects: this module reads ``Location`` itself."""

    def get_redirect_target(self, resp):
        # Even with allow_redirects=False, Session.send() prepares
        # Response.next and so reads a redirect's whole body, uncapped, and
        # parses its Location (requests/sessions.py, send()).
        return None


@dataclasses.dataclass(frozen=True)
class _Answer:
    status: int
    location: str | None
    body: bytes | None


class _Client:
    """The requests of one fetch, in one thread: its own Session and limits."""

    def __init__(self):
        self.session = _Session()
        self.connect_timeout = float(conf.get("CONNECT_TIMEOUT"))
        self.read_timeout = float(conf.get("READ_TIMEOUT"))
        self.cap = int(conf.get("MAX_RESPONSE_BYTES"))
        self.verify = conf.get("VERIFY_TLS")

    def close(self):
        self.session.close()

    def call(self, method: str, url: str, *, headers=None, body=None) -> _Answer:
        """One request; the body is read (capped) only for a 200."""
        try:
            response = self.session.request(
                method,
                url,
                headers=headers,
                json=body,
                timeout=(self.connect_timeout, self.read_timeout),
                stream=True,
                allow_redirects=False,
                verify=self.verify,
            )
        except (requests.RequestException, ValueError) as exc:
            # urllib3 raises ValueErrors of its own on addresses it cannot parse.
            raise self._unanswered(exc, url) from None
        with response:
            if response.status_code != 200:
                return _Answer(
                    response.status_code, response.headers.get("Location"), None
                )
            return _Answer(200, None, self._read(response, url))

    def _read(self, response: requests.Response, url: str) -> bytes:
        declared = response.headers.get("Content-Length", "").strip()
        if declared.isdigit() and int(declared) > self.cap:
            raise self._too_large(url)
        allowed = self.connect_timeout + _BODY_READ_TIMEOUTS * self.read_timeout
        # A read blocks until its whole piece is in, so a trickle is never
        # seen between pieces: a timer hangs up on it instead.
        expired = threading.Event()
        watchdog = threading.Timer(allowed, _hang_up, (response, expired))
        watchdog.daemon = True
        watchdog.start()
        # urllib3's own read, in large pieces: requests' iter_content adds a
        # generator step and a copy per chunk, a sixth of the fetch of a
        # 13 MB state-summary. Never more than the cap plus one byte is asked.
        read = response.raw.read
        chunks = []
        size = 0
        try:
            while True:
                chunk = read(
                    min(_CHUNK_BYTES, self.cap + 1 - size), decode_content=True
                )
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
                if size > self.cap:
                    raise self._too_large(url)
        except (requests.RequestException, urllib3.exceptions.HTTPError) as exc:
            if expired.is_set():
                raise self._too_slow(url, allowed) from None
            if _caused_by(exc, urllib3.exceptions.ReadTimeoutError):
                raise _Failure(
                    _("%(address)s did not answer within %(seconds)s seconds")
                    % {"address": url, "seconds": self.read_timeout}
                ) from None
            raise _Failure(
                _("The connection to %(address)s broke off: %(cause)s")
                % {"address": url, "cause": _cause(exc)}
            ) from None
        finally:
            watchdog.cancel()
        if expired.is_set():
            # A body that ends with the connection reads as complete when cut.
            raise self._too_slow(url, allowed)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    def _too_slow(self, url: str, seconds: float) -> _Failure:
        return _Failure(
            _("%(address)s did not finish its answer within %(seconds)s seconds")
            % {"address": url, "seconds": seconds}
        )

    def _too_large(self, url: str) -> _Failure:
        return _Failure(
            _(
                "The answer from %(address)s is larger than %(limit)s bytes"
                " (MAX_RESPONSE_BYTES in DCOS_DASHBOARD)"
            )
            % {"address": url, "limit": self.cap},
            overall=health.UNKNOWN,
            level=logging.WARNING,
        )

    def _unanswered(self, exc: Exception, url: str) -> _Failure:
        if not isinstance(exc, requests.RequestException):
            reason = _("%(address)s cannot be asked: %(error)s") % {
                "address": url,
                "error": exc,
            }
        elif isinstance(exc, requests.exceptions.SSLError):
            reason = _(
                "TLS with %(address)s failed (%(cause)s); VERIFY_TLS in"
                " DCOS_DASHBOARD names the CA bundle to trust"
            ) % {"address": url, "cause": _cause(exc)}
        elif isinstance(exc, requests.exceptions.ConnectTimeout):
            reason = _(
                "%(address)s did not accept a connection within %(seconds)s seconds"
            ) % {"address": url, "seconds": self.connect_timeout}
        elif isinstance(exc, requests.exceptions.ReadTimeout):
            reason = _("%(address)s did not answer within %(seconds)s seconds") % {
                "address": url,
                "seconds": self.read_timeout,
            }
        else:
            reason = _("No answer from %(address)s: %(cause)s") % {
                "address": url,
                "cause": _cause(exc),
            }
        return _Failure(reason, rank=_RANK_DOWN)


# The cyclic garbage collector, paused while a big answer is decoded and
# summarised: those build 10^5 containers, so the collector runs dozens of
# times and walks every object of the Horizon process, yet they hold no
# reference cycle to find (Mercurial's util.nogc does the same). It costs a
# state-summary's decoding about half its time. Threads pause it together;
# the last to leave starts it again, unless it was off to begin with.
_collector_guard = threading.Lock()
_collector_pauses = 0
_collector_was_enabled = False


@contextlib.contextmanager
def _collector_paused():
    global _collector_pauses, _collector_was_enabled
    with _collector_guard:
        if not _collector_pauses:
            _collector_was_enabled = gc.isenabled()
            gc.disable()
        _collector_pauses += 1
    try:
        yield
    finally:
        with _collector_guard:
            _collector_pauses -= 1
            if not _collector_pauses and _collector_was_enabled:
                gc.enable()


def _decode(body: bytes, url: str):
    """JSON as ``json.loads`` reads it, by orjson when orjson can.

    orjson decodes a state-summary in about 60 % of json's time but refuses
    some of what json accepts (NaN, Infinity, lone surrogates, a BOM,
    UTF-16): those bodies are read by json. Integers past 64 bits come back
    as floats rather than ints; ``health`` reads any number past 2**53 as
    missing, so the verdict is the same.
    """
    try:
        with _collector_paused():
            return orjson.loads(body)
    except orjson.JSONDecodeError:
        pass
    try:
        with _collector_paused():
            return json.loads(body)
    except ValueError:
        raise _Failure(
            _("Invalid JSON from the master at %(address)s") % {"address": url},
            overall=health.UNKNOWN,
            level=logging.WARNING,
        ) from None


def _http_failure(status: int, url: str) -> _Failure:
    if status == 503:
        # Mesos answers 503 while no leader is elected (src/master/http.cpp);
        # Admin Router passes it on.
        return _Failure(
            _("No Mesos leader elected: %(address)s answered 503") % {"address": url},
            rank=_RANK_NO_LEADER,
        )
    return _Failure(
        _("%(address)s answered HTTP %(status)s") % {"address": url, "status": status},
        rank=_RANK_HTTP,
    )


# -- DC/OS --------------------------------------------------------------------


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

    def __init__(self, client: _Client, base: str):
        self.client = client
        self.base = base
        self.static_token = conf.get("DCOS_ACS_TOKEN") or None
        self.uid = conf.get("DCOS_ACS_UID") or None
        self.password = conf.get("DCOS_ACS_PASSWORD") or None
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
            self.token = cache.get(self.cache_key)
            self.from_cache = self.token is not None
            if self.token is None:
                self.token = self._login()
        return {"Authorization": f"token={self.token}"}

    def renew(self) -> bool:
        """After a 401: drop a cached login token; True when a retry may help."""
        if not (self.logs_in and self.from_cache):
            return False
        cache.delete(self.cache_key)
        self.token = None
        self.from_cache = False
        return True

    def refused(self, status: int, url: str) -> _Failure:
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
        return _Failure(reason, auth_required=True, level=logging.WARNING)

    def _login(self) -> str:
        url = self.base + DCOS_LOGIN
        if urlsplit(url).scheme != "https" and not conf.get("DCOS_ACS_LOGIN_OVER_HTTP"):
            # Anyone on the path would read the password: the operator decides.
            raise _Failure(
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
            raise _http_failure(answer.status, url)
        reply = _decode(answer.body, url)
        token = reply.get("token") if isinstance(reply, dict) else None
        if not isinstance(token, str) or not token:
            raise _Failure(
                _("DC/OS answered the login at %(address)s without a token")
                % {"address": url},
                overall=health.UNKNOWN,
                level=logging.WARNING,
            )
        seconds = _token_seconds(token)
        if seconds > 0:
            cache.set(self.cache_key, token, seconds)
        return token


def _dcos_get(client: _Client, auth: _DcosAuth, url: str):
    """A decoded DC/OS answer; one retry with a fresh login after a 401."""
    answer = client.call("GET", url, headers=auth.headers())
    if answer.status == 401 and auth.renew():
        answer = client.call("GET", url, headers=auth.headers())
    return _dcos_decoded(auth, url, answer)


def _dcos_decoded(auth: _DcosAuth, url: str, answer: _Answer):
    if answer.status in (401, 403):
        raise auth.refused(answer.status, url)
    if answer.status in _REDIRECTS:
        raise _Failure(
            _(
                "%(address)s redirected to %(location)s, which is not followed;"
                ' if DC/OS serves HTTPS, set DCOS_SCHEME to "https" in DCOS_DASHBOARD'
            )
            % {"address": url, "location": answer.location},
            rank=_RANK_REDIRECT,
            level=logging.WARNING,
        )
    if answer.status != 200:
        raise _http_failure(answer.status, url)
    return _decode(answer.body, url)


def _dcos_extra(url: str, headers: dict[str, str]) -> tuple[_Answer | None, object]:
    """(answer, decoded body) of metrics or diagnostics, in a thread of its own.

    ``(None, failure)`` when the request failed; the decoded body is None
    unless the answer is a 200 (a bad body: the failure).
    """
    client = _Client()
    try:
        answer = client.call("GET", url, headers=headers)
        if answer.status != 200:
            return answer, None
        try:
            return answer, _decode(answer.body, url)
        except _Failure as failure:
            return answer, failure
    except _Failure as failure:
        return None, failure
    finally:
        client.close()


_DCOS_EXTRAS = (DCOS_METRICS, DCOS_DIAGNOSTICS)


def _fetch_dcos(client: _Client, target: Target):
    """State-summary, metrics and diagnostics, the three asked at once.

    Metrics and diagnostics go out in two threads with the same token as
    the state-summary: a bay costs one round trip, not three. If the
    state-summary's 401 made a new login, an extra refused with the old
    token is asked again with the new one.
    """
    base = _dcos_base(target)
    if base is None:
        raise _no_address()
    auth = _DcosAuth(client, base)
    headers = auth.headers()  # logs in first when it must: one login, not three
    with concurrent.futures.ThreadPoolExecutor(
        max_workers=len(_DCOS_EXTRAS), thread_name_prefix="dcos-extras"
    ) as pool:
        pending = [
            pool.submit(_dcos_extra, base + path, headers) for path in _DCOS_EXTRAS
        ]
        # On failure the pool still waits for the extras: they time out no
        # later than this request did, and no thread outlives the fetch.
        state_summary = _dcos_get(client, auth, base + DCOS_STATE_SUMMARY)
        done = [future.result() for future in pending]
    # The state-summary's 401 dropped a cached login and made a new one.
    logged_in_again = auth.token is not None and auth.headers() != headers
    extras = []
    for path, (answer, body) in zip(_DCOS_EXTRAS, done, strict=True):
        url = base + path
        try:
            if isinstance(body, _Failure):
                raise body
            if answer.status == 200:
                extras.append(body)
            elif answer.status == 401 and logged_in_again:
                extras.append(_dcos_get(client, auth, url))
            else:
                extras.append(_dcos_decoded(auth, url, answer))
        except _Failure as failure:
            LOG.info("Bay %s: summarised without %s: %s", target.uuid, path, failure)
            extras.append(None)
    return state_summary, *extras


# -- Mesos --------------------------------------------------------------------


def _fetch_mesos(client: _Client, target: Target):
    """State-summary from the leader, trying Magnum's masters in order.

    A redirect is followed only to another of the bay's masters, and there
    the path asked is always ours, never the one in ``Location``.
    """
    masters = _masters(target)
    if not masters:
        raise _no_address()
    reported = {master.key for master in masters}
    tried: set[tuple[str, int]] = set()
    failed: set[tuple[str, int]] = set()
    failures: list[_Failure] = []
    for first in masters:
        if first.key in tried:
            continue
        endpoint = first
        while True:
            tried.add(endpoint.key)
            url = endpoint.url(MESOS_STATE_SUMMARY)
            try:
                answer = client.call("GET", url)
            except _Failure as failure:
                failures.append(failure)
                failed.add(endpoint.key)
                break
            if answer.status == 200:
                state_summary = _decode(answer.body, url)
                return state_summary, _mesos_metrics(client, endpoint, target), None
            if answer.status not in _REDIRECTS:
                failures.append(_http_failure(answer.status, url))
                failed.add(endpoint.key)
                break
            leader = _redirect_endpoint(answer.location, endpoint)
            # Mesos names the leader by the address it advertises, often a
            # private IP or hostname (docs/endpoints/master/redirect.md): such
            # a redirect is refused, and the next master in Magnum's list,
            # perhaps the leader itself, is asked directly.
            if leader is None or leader.key not in reported:
                failures.append(
                    _Failure(
                        _(
                            "%(address)s redirected to an address Magnum did not"
                            " report (%(location)s); not followed"
                        )
                        % {"address": url, "location": answer.location},
                        rank=_RANK_REDIRECT,
                        level=logging.WARNING,
                    )
                )
                break
            if leader.key in tried:
                # A dead master's own failure is already listed; a master
                # that redirected back means the masters disagree.
                if leader.key not in failed:
                    failures.append(
                        _Failure(
                            _(
                                "The Mesos masters redirect to one another"
                                " (%(address)s to %(location)s); a leader"
                                " election may be under way"
                            )
                            % {"address": url, "location": answer.location},
                            rank=_RANK_NO_LEADER,
                        )
                    )
                break
            endpoint = leader
    # Most telling first; among equals, the first master Magnum listed.
    raise max(failures, key=lambda failure: failure.rank)


def _mesos_metrics(client: _Client, leader: _Endpoint, target: Target):
    # Each master answers /metrics/snapshot itself: ask the one that led.
    url = leader.url(MESOS_METRICS)
    try:
        answer = client.call("GET", url)
        if answer.status != 200:
            raise _http_failure(answer.status, url)
        return _decode(answer.body, url)
    except _Failure as failure:
        LOG.info("Bay %s: summarised without metrics: %s", target.uuid, failure)
        return None


def _no_address() -> _Failure:
    return _Failure(
        _("Magnum reported no address this dashboard can use for the bay"),
        overall=health.UNKNOWN,
    )


# -- fetching, cached ---------------------------------------------------------


def _fetch(target: Target) -> health.BayHealth:
    """Ask the bay's master now; never raises for anything the network does."""
    with translation.override(settings.LANGUAGE_CODE):
        client = _Client()
        try:
            if target.coe == DCOS:
                bodies = _fetch_dcos(client, target)
            elif target.coe == MESOS:
                bodies = _fetch_mesos(client, target)
            else:
                raise _no_address()
        except _Failure as failure:
            LOG.log(failure.level, "Bay %s: %s", target.uuid, failure.reason)
            return failure.health()
        finally:
            client.close()
        with _collector_paused():
            return health.summarize(*bodies)


def _cache_key(target: Target, prefix: str = _HEALTH_PREFIX) -> str:
    identity = json.dumps(
        [target.uuid, target.coe, target.api_address, list(target.master_addresses)]
    )
    return prefix + hashlib.sha256(identity.encode()).hexdigest()


def _overview(answer: health.BayHealth) -> health.BayHealth:
    return dataclasses.replace(answer, nodes=()) if answer.nodes else answer


# Per process: Horizon workers in other processes may fetch the same bay at
# the same moment, once each at most; then all of them read the shared cache.
_flights: dict[str, list] = {}
_flights_guard = threading.Lock()


@contextlib.contextmanager
def _single_flight(key: str):
    """Hold the lock of one cache key; entries go when nobody holds or waits."""
    with _flights_guard:
        entry = _flights.get(key)
        if entry is None:
            entry = _flights[key] = [threading.Lock(), 0]
        entry[1] += 1
    try:
        with entry[0]:
            yield
    finally:
        with _flights_guard:
            entry[1] -= 1
            if not entry[1]:
                del _flights[key]


def _cached(key: str):
    """cache.get of a whole answer: unpickling 10^4 nodes is 10^4 tuples,
    a third of the time with the collector paused."""
    with _collector_paused():
        return cache.get(key)


def cached_bay_health(target: Target, *, nodes: bool = True) -> health.BayHealth | None:
    """The cached health of a bay, or None; never touches the network.

    ``nodes=False`` answers without the nodes (an empty tuple), faster.
    """
    if nodes:
        return _cached(_cache_key(target))
    return cache.get(_cache_key(target, _OVERVIEW_PREFIX))


def bay_health(target: Target, *, nodes: bool = True) -> health.BayHealth:
    """The health of one bay: from the cache, or fetched once and cached.

    ``nodes=False`` answers without the nodes (an empty tuple), faster.
    """
    if not nodes:
        answer = cache.get(_cache_key(target, _OVERVIEW_PREFIX))
        return answer if answer is not None else _overview(bay_health(target))
    key = _cache_key(target)
    answer = _cached(key)
    if answer is not None:
        return answer
    with _single_flight(key):
        # Whoever held the lock before us has likely just filled the cache.
        answer = _cached(key)
        if answer is None:
            answer = _fetch(target)
            cache.set_many(
                {key: answer, _cache_key(target, _OVERVIEW_PREFIX): _overview(answer)},
                conf.get("HEALTH_CACHE_SECONDS"),
            )
    return answer


def _bay_health_in_worker(target: Target) -> health.BayHealth:
    try:
        return bay_health(target)
    finally:
        # Django opens cache connections per thread and closes them only at
        # the end of a request; pool threads never see one.
        close_caches()


def bays_health(
    targets: Iterable[Target], *, nodes: bool = True
) -> dict[str, health.BayHealth]:
    """uuid -> health for many bays: cache hits at once, misses in parallel.

    The pool is bounded by HEALTH_WORKERS, so N slow masters cost about one
    timeout, not N. A plain ``concurrent.futures`` pool: futurist's idle
    workers add about a second to every page (REFERENCE.md).
    ``nodes=False`` answers without the nodes (an empty tuple): what a list
    of bays needs, read from the cache at a fraction of the cost.
    """
    prefix = _HEALTH_PREFIX if nodes else _OVERVIEW_PREFIX
    by_key = {_cache_key(target, prefix): target for target in targets}
    with _collector_paused():
        found = cache.get_many(list(by_key))
    answers = {by_key[key].uuid: answer for key, answer in found.items()}
    misses = [target for key, target in by_key.items() if key not in found]
    if len(misses) == 1:
        answers[misses[0].uuid] = bay_health(misses[0])
    elif misses:
        workers = max(1, min(int(conf.get("HEALTH_WORKERS")), len(misses)))
        with concurrent.futures.ThreadPoolExecutor(
            max_workers=workers, thread_name_prefix="dcos-health"
        ) as pool:
            for target, answer in zip(
                misses, pool.map(_bay_health_in_worker, misses), strict=True
            ):
                answers[target.uuid] = answer
    if not nodes:
        answers = {uuid: _overview(answer) for uuid, answer in answers.items()}
    return answers


# -- links --------------------------------------------------------------------


def _leading_master(
    target: Target, answer: health.BayHealth | None
) -> _Endpoint | None:
    masters = _masters(target)
    if not masters:
        return None
    leader = _split(answer.leader) if answer is not None and answer.leader else None
    if leader is not None:
        for master in masters:
            # The state-summary names the leader's host, not its port.
            if master.host == leader[1]:
                return master
    return masters[0]


def links(target: Target, health: health.BayHealth | None = None) -> Links | None:
    """Links to the bay's own consoles; None when it has no usable address.

    DC/OS: pages of the console behind ``api_address``. Plain Mesos: the
    Mesos UI and Marathon on the leading master when the health answer
    names one of the bay's masters, else on the first master.
    """
    if target.coe == DCOS:
        base = _dcos_base(target)
        if base is None:
            return None
        # dcos-ui hash routes (REFERENCE.md).
        return Links(
            console=base + "/",
            nodes=base + "/#/nodes/agents/table",
            mesos_ui=base + "/mesos/",
            marathon=base + "/service/marathon/",
            node_base=base + "/#/nodes/",
        )
    master = _leading_master(target, health)
    if master is None:
        return None
    root = master.url("/")
    marathon = _Endpoint("http", master.host, int(conf.get("MARATHON_PORT")))
    # Mesos web UI routes: #/agents and #/agents/<id> (src/webui/app/app.js).
    return Links(
        console=root,
        nodes=root + "#/agents",
        mesos_ui=root,
        marathon=marathon.url("/"),
        node_base=root + "#/agents/",
    )
