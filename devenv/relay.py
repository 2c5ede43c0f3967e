"""An HTTP relay put in a service's place, recording every request it relays.

The benchmarks count Horizon's calls to Magnum through one; the gated
cloud of ``tests/integration`` puts one before each OpenStack service and
makes it refuse or hang. Paths are recorded with their ids as ``{id}``.
"""

from __future__ import annotations

import http.client
import re
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from dcos_sandbox.wsgi import NoDelayMixin

_UUID = re.compile(r"[0-9a-fA-F]{8}-?(?:[0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}")
# Hop-by-hop or recomputed: never copied from one side to the other.
_REQUEST_DROPPED = ("connection", "keep-alive", "content-length")
_REPLY_DROPPED = ("connection", "content-length", "date", "server")


class Relay:
    """Relays every request on 127.0.0.1:``port`` (0: any free port) to
    ``upstream_port``; :meth:`answer` may answer a request itself instead."""

    def __init__(self, name: str, upstream_port: int, port: int = 0, timeout=60.0):
        self.name = name
        self.port = port
        self.upstream = ("127.0.0.1", upstream_port)
        self.timeout = timeout
        self.requests: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self._server = None
        self._thread = None

    # -- what it relayed ----------------------------------------------------

    def record(self, method: str, path: str) -> None:
        with self._lock:
            self.requests.append((method, _UUID.sub("{id}", path)))

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()

    def counts(self) -> Counter:
        """``"METHOD /path/{id}"`` -> how many times, since reset()."""
        with self._lock:
            return Counter(f"{m} {p}" for m, p in self.requests)

    # -- serving ------------------------------------------------------------

    def start(self):
        self.listen()
        return self

    def stop(self) -> None:
        self.close()

    def listen(self) -> None:
        relay = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format, *args):
                pass

            def _serve(self):
                relay._serve(self)

            do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = do_HEAD = _serve

        class Server(NoDelayMixin, ThreadingHTTPServer):
            allow_reuse_address = True
            daemon_threads = True

            def handle_error(self, request, client_address):
                pass  # a client that hung up early, as clients do

        self._server = Server(("127.0.0.1", self.port), Handler)
        self.port = self._server.server_port
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"relay-{self.name}",
            daemon=True,
        )
        self._thread.start()

    def close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = self._thread = None

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else None
        self.answer(handler, handler.path.split("?", 1)[0], body)

    def answer(self, handler: BaseHTTPRequestHandler, path: str, body) -> None:
        """Record the request and relay it."""
        self.record(handler.command, path)
        self.relay(handler, body)

    def relay(self, handler: BaseHTTPRequestHandler, body) -> None:
        headers = {
            k: v
            for k, v in handler.headers.items()
            if k.lower() not in _REQUEST_DROPPED
        }
        connection = http.client.HTTPConnection(*self.upstream, timeout=self.timeout)
        try:
            connection.request(handler.command, handler.path, body, headers)
            response = connection.getresponse()
            data = response.read()
            status, reply_headers = response.status, response.getheaders()
        except OSError:
            # The service is gone: so is the answer, as without a relay.
            handler.close_connection = True
            return
        finally:
            connection.close()
        handler.send_response(status)
        for name, value in reply_headers:
            if name.lower() not in _REPLY_DROPPED:
                handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        if handler.command != "HEAD":
            handler.wfile.write(data)
