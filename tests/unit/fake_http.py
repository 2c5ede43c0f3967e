"""A fake of the HTTP the Mesos client speaks, at urllib3's level.

``api/mesos`` talks to urllib3 directly, below requests, so requests-mock
cannot see it. This keeps requests-mock's small interface the tests were
written against (``get``/``post`` with ``json``, ``text``, ``content``,
``status_code``, ``headers`` or ``exc``; ``request_history``,
``call_count``, ``last_request``) and records what each request carried:
method, URL, headers, body, timeouts, TLS verification, streaming.
A URL nobody registered fails as a refused connection.
"""

from __future__ import annotations

import io
import json as jsonlib
import threading
from unittest import mock
from urllib.parse import urlsplit

import urllib3
from urllib3.exceptions import NewConnectionError

try:
    import certifi
except ImportError:  # pragma: no cover
    certifi = None


class Request:
    def __init__(self, method, url, headers, body, timeout, verify, stream):
        self.method = method
        self.url = url
        self.headers = dict(headers or {})
        self.body = body
        self.timeout = timeout
        self.verify = verify
        self.stream = stream
        parts = urlsplit(url)
        self.scheme, self.path = parts.scheme, parts.path
        self.hostname, self.port = parts.hostname, parts.port

    def json(self):
        return jsonlib.loads(self.body)


class Context:
    def __init__(self, status_code, headers):
        self.status_code = status_code
        self.headers = headers


class Matcher:
    def __init__(self, method, url, spec):
        self.method = method
        self.url = url
        self.spec = spec
        self.request_history: list[Request] = []

    @property
    def call_count(self):
        return len(self.request_history)

    @property
    def called(self):
        return bool(self.request_history)

    @property
    def last_request(self):
        return self.request_history[-1] if self.request_history else None

    def answer(self, request):
        spec = self.spec
        if "exc" in spec:
            raise spec["exc"]
        context = Context(spec.get("status_code", 200), dict(spec.get("headers", {})))
        if "json" in spec:
            value = spec["json"]
            value = value(request, context) if callable(value) else value
            body = jsonlib.dumps(value).encode()
        elif "text" in spec:
            body = spec["text"].encode()
        else:
            body = spec.get("content", b"")
        return urllib3.HTTPResponse(
            body=io.BytesIO(body),
            headers=context.headers,
            status=context.status_code,
            preload_content=False,
            decode_content=False,
        )


def _verify(pool) -> object:
    """requests' ``verify`` from a PoolManager's TLS options."""
    options = pool.connection_pool_kw
    if options.get("cert_reqs") == "CERT_NONE":
        return False
    where = options.get("ca_certs") or options.get("ca_cert_dir")
    if where is None or (certifi is not None and where == certifi.where()):
        return True
    return where


class FakeHTTP:
    def __init__(self):
        self._matchers: list[Matcher] = []
        self._lock = threading.Lock()
        self.request_history: list[Request] = []

    @property
    def call_count(self):
        return len(self.request_history)

    def reset_mock(self):
        with self._lock:
            self.request_history.clear()
            for matcher in self._matchers:
                matcher.request_history.clear()

    def register_uri(self, method, url, **spec):
        matcher = Matcher(method.upper(), url, spec)
        with self._lock:
            self._matchers.append(matcher)
        return matcher

    def get(self, url, **spec):
        return self.register_uri("GET", url, **spec)

    def post(self, url, **spec):
        return self.register_uri("POST", url, **spec)

    def urlopen(self, pool, method, url, redirect=True, **kw):
        timeout = kw.get("timeout")
        request = Request(
            method.upper(),
            url,
            kw.get("headers"),
            kw.get("body"),
            (timeout.connect_timeout, timeout.read_timeout) if timeout else None,
            _verify(pool),
            kw.get("preload_content", True) is False,
        )
        with self._lock:
            self.request_history.append(request)
            # As requests-mock: the latest registration wins.
            matcher = next(
                (
                    m
                    for m in reversed(self._matchers)
                    if m.method == request.method and m.url == url
                ),
                None,
            )
            if matcher is not None:
                matcher.request_history.append(request)
        if matcher is None:
            raise NewConnectionError(None, f"no fake answer for {method} {url}")
        return matcher.answer(request)


def start():
    """A FakeHTTP patched into every urllib3.PoolManager; stop with ``.stop()``."""
    fake = FakeHTTP()

    def urlopen(pool, method, url, redirect=True, **kw):
        return fake.urlopen(pool, method, url, redirect=redirect, **kw)

    patcher = mock.patch.object(urllib3.PoolManager, "urlopen", urlopen)
    patcher.start()
    fake.stop = patcher.stop
    return fake
