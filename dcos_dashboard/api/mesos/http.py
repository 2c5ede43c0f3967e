"""One request to a master, bounded: timeouts, size cap, no redirects, decoding.

urllib3, used directly: it follows no redirect and retries nothing when
told so, reads no body before asked, and is what requests itself runs on
(without requests' redirect machinery, which reads a redirect's whole body
even when asked not to follow it). Every request has a connect and a read
timeout; a whole body must arrive within CONNECT_TIMEOUT + 6 x READ_TIMEOUT
and stay under MAX_RESPONSE_BYTES; every response is closed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import json
import logging
import os
import socket
import threading

import orjson
import urllib3
from django.utils.translation import gettext as _
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    NewConnectionError,
    ReadTimeoutError,
    SSLError,
)

from dcos_dashboard import config, health
from dcos_dashboard.api.mesos.failures import RANK_DOWN, Failure

try:  # requests' CA bundle, so VERIFY_TLS=True trusts what it always did
    import certifi
except ImportError:  # pragma: no cover - then the system's CAs
    certifi = None

# A non-leading Mesos master answers 307 (src/master/http.cpp redirect());
# the others are accepted too, they mean the same here.
REDIRECTS = frozenset((301, 302, 303, 307, 308))

_CHUNK_BYTES = 1024 * 1024
# READ_TIMEOUT bounds each wait on the socket; a master trickling a byte per
# wait would otherwise hold a worker forever, so a whole body gets this many.
BODY_READ_TIMEOUTS = 6

_HEADERS = {"Accept": "application/json", "Accept-Encoding": "gzip, deflate"}


@dataclasses.dataclass(frozen=True)
class Answer:
    status: int
    location: str | None
    body: bytes | None


@dataclasses.dataclass(frozen=True)
class Body:
    """A 200's body, not decoded yet: decoding waits for the summary."""

    url: str
    data: bytes


def _tls(verify) -> dict:
    """urllib3's pool options for VERIFY_TLS (False, True or a CA path)."""
    if verify is False:
        return {"cert_reqs": "CERT_NONE"}
    if isinstance(verify, str | os.PathLike):
        where = os.fspath(verify)
        return {
            "cert_reqs": "CERT_REQUIRED",
            ("ca_cert_dir" if os.path.isdir(where) else "ca_certs"): where,
        }
    bundle = {"ca_certs": certifi.where()} if certifi is not None else {}
    return {"cert_reqs": "CERT_REQUIRED", **bundle}


def _cause(exc: BaseException) -> str:
    """The operating system's words for why a connection failed, if any.

    urllib3 raises its own exception from the OSError (``raise ... from``)
    or carries it as its first argument.
    """
    for inner in (exc, exc.__cause__, exc.__context__, *exc.args):
        if isinstance(inner, OSError) and inner.strerror:
            return str(inner.strerror)
    return _("connection failed")


def _hang_up(response, expired: threading.Event) -> None:
    """Wake a read blocked on the response's socket: it then sees the end."""
    expired.set()
    sock = getattr(response.connection, "sock", None)
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


class Client:
    """The requests of one fetch, in one thread: its own pool and limits."""

    def __init__(self):
        self.connect_timeout = float(config.get("CONNECT_TIMEOUT"))
        self.read_timeout = float(config.get("READ_TIMEOUT"))
        self.cap = int(config.get("MAX_RESPONSE_BYTES"))
        self.verify = config.get("VERIFY_TLS")
        self.pool = urllib3.PoolManager(num_pools=4, **_tls(self.verify))

    def close(self):
        self.pool.clear()

    def call(self, method: str, url: str, *, headers=None, body=None) -> Answer:
        """One request; the body is read (capped) only for a 200."""
        try:
            response = self.pool.request(
                method,
                url,
                headers={**_HEADERS, **(headers or {})},
                json=body,
                timeout=urllib3.Timeout(
                    connect=self.connect_timeout, read=self.read_timeout
                ),
                retries=False,
                redirect=False,
                preload_content=False,
            )
        except (HTTPError, ValueError) as exc:
            # urllib3 raises ValueErrors of its own on addresses it cannot parse.
            raise self._unanswered(exc, url) from None
        with response:
            if response.status != 200:
                return Answer(response.status, response.headers.get("Location"), None)
            return Answer(200, None, self._read(response, url))

    def _read(self, response, url: str) -> bytes:
        declared = response.headers.get("Content-Length", "").strip()
        if declared.isdigit() and int(declared) > self.cap:
            raise self._too_large(url)
        allowed = self.connect_timeout + BODY_READ_TIMEOUTS * self.read_timeout
        # A read blocks until its whole piece is in, so a trickle is never
        # seen between pieces: a timer hangs up on it instead.
        expired = threading.Event()
        watchdog = threading.Timer(allowed, _hang_up, (response, expired))
        watchdog.daemon = True
        watchdog.start()
        # Large pieces, never more than the cap plus one byte asked.
        chunks = []
        size = 0
        try:
            while True:
                chunk = response.read(
                    min(_CHUNK_BYTES, self.cap + 1 - size), decode_content=True
                )
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
                if size > self.cap:
                    raise self._too_large(url)
        except (HTTPError, OSError) as exc:
            if expired.is_set():
                raise self._too_slow(url, allowed) from None
            if isinstance(exc, ReadTimeoutError):
                raise Failure(
                    _("%(address)s did not answer within %(seconds)s seconds")
                    % {"address": url, "seconds": self.read_timeout}
                ) from None
            raise Failure(
                _("The connection to %(address)s broke off: %(cause)s")
                % {"address": url, "cause": _cause(exc)}
            ) from None
        finally:
            watchdog.cancel()
        if expired.is_set():
            # A body that ends with the connection reads as complete when cut.
            raise self._too_slow(url, allowed)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    def _too_slow(self, url: str, seconds: float) -> Failure:
        return Failure(
            _("%(address)s did not finish its answer within %(seconds)s seconds")
            % {"address": url, "seconds": seconds}
        )

    def _too_large(self, url: str) -> Failure:
        return Failure(
            _(
                "The answer from %(address)s is larger than %(limit)s bytes"
                " (MAX_RESPONSE_BYTES in DCOS_DASHBOARD)"
            )
            % {"address": url, "limit": self.cap},
            overall=health.UNKNOWN,
            level=logging.WARNING,
        )

    def _unanswered(self, exc: Exception, url: str) -> Failure:
        if not isinstance(exc, HTTPError):
            reason = _("%(address)s cannot be asked: %(error)s") % {
                "address": url,
                "error": exc,
            }
        elif isinstance(exc, SSLError):
            reason = _(
                "TLS with %(address)s failed (%(cause)s); VERIFY_TLS in"
                " DCOS_DASHBOARD names the CA bundle to trust"
            ) % {"address": url, "cause": _cause(exc)}
        elif isinstance(exc, ConnectTimeoutError) and not isinstance(
            exc, NewConnectionError
        ):
            reason = _(
                "%(address)s did not accept a connection within %(seconds)s seconds"
            ) % {"address": url, "seconds": self.connect_timeout}
        elif isinstance(exc, ReadTimeoutError):
            reason = _("%(address)s did not answer within %(seconds)s seconds") % {
                "address": url,
                "seconds": self.read_timeout,
            }
        else:
            reason = _("No answer from %(address)s: %(cause)s") % {
                "address": url,
                "cause": _cause(exc),
            }
        return Failure(reason, rank=RANK_DOWN)


# A state-summary of 10^4 agents decodes into ~10^5 containers that hold no
# reference cycle and die as soon as they are summarised. Built with the
# cyclic collector on, they make it run dozens of times and walk the whole
# Horizon heap: half the time of a fetch. So decoding and summarising run
# with the collector off, one thread at a time (the lock: no thread ever
# re-enables it under another's feet), never around network waits or cache
# reads; the collector is on again as soon as the summary is made.
_collector_lock = threading.Lock()


@contextlib.contextmanager
def collector_paused():
    with _collector_lock:
        enabled = gc.isenabled()
        gc.disable()
        try:
            yield
        finally:
            if enabled:
                gc.enable()


def decode(body: bytes, url: str):
    """JSON as ``json.loads`` reads it, by orjson when orjson can.

    orjson decodes a state-summary in about 60 % of json's time but refuses
    some of what json accepts (NaN, Infinity, lone surrogates, a BOM,
    UTF-16): those bodies are read by json. Integers past 64 bits come back
    as floats rather than ints; ``health`` reads any number past 2**53 as
    missing, so the verdict is the same.
    """
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        pass
    try:
        return json.loads(body)
    except ValueError:
        raise Failure(
            _("Invalid JSON from the master at %(address)s") % {"address": url},
            overall=health.UNKNOWN,
            level=logging.WARNING,
        ) from None
