"""Small WSGI plumbing shared by the stand-ins: routing, JSON replies, a server.

Each stand-in is an :class:`App`: a WSGI callable whose routes go to a
:class:`Router` and whose unknown paths get its service's own error shape; a
:class:`Server` runs one on 127.0.0.1 in a background thread, one request per
thread, so a slow client never blocks the others.
"""

import json
import logging
import re
import socket
import socketserver
import threading
from wsgiref import simple_server

import webob

LOG = logging.getLogger(__name__)

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def json_response(body, status=200, headers=None):
    response = webob.Response(status=status, charset="UTF-8")
    response.content_type = "application/json"
    if body is not None:
        response.body = json.dumps(body).encode("utf-8")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def empty_response(status=204, headers=None):
    response = webob.Response(status=status)
    # A 204 carries no entity; webob's default text/html would be a lie.
    del response.content_type
    response.headers.pop("Content-Length", None)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def read_json(request):
    """The request's JSON body, or None when it has none or it is not JSON."""
    if not request.body:
        return None
    try:
        return json.loads(request.body)
    except ValueError:
        return None


class Router:
    """Maps (method, path template) to handlers; `{name}` matches one segment.

    Handlers are called as ``handler(request, **segments)`` and return a webob
    Response. Unknown paths and wrong methods go to the ``not_found`` and
    ``not_allowed`` callables, so each service answers in its own error shape.
    """

    def __init__(self, not_found, not_allowed=None):
        self._routes = []
        self._not_found = not_found
        self._not_allowed = not_allowed or (lambda request, allowed: not_found(request))

    def add(self, method, template, handler):
        parts, pos = [], 0
        for match in _PLACEHOLDER.finditer(template):
            parts.append(re.escape(template[pos : match.start()]))
            parts.append(f"(?P<{match.group(1)}>[^/]+)")
            pos = match.end()
        parts.append(re.escape(template[pos:]))
        pattern = re.compile("^" + "".join(parts).rstrip("/") + "/?$")
        self._routes.append((method, pattern, handler))

    def dispatch(self, request):
        path = request.path_info or "/"
        allowed = []
        for method, pattern, handler in self._routes:
            match = pattern.match(path)
            if not match:
                continue
            if method != request.method:
                allowed.append(method)
                continue
            return handler(request, **match.groupdict())
        if allowed:
            return self._not_allowed(request, allowed)
        return self._not_found(request)


class App:
    """Base of a stand-in: ``routes(add)`` declares, ``not_found`` and
    ``not_allowed`` answer in the service's error shape, ``handle`` may wrap
    the dispatch (versions, error mapping); ``public_paths`` need no token."""

    public_paths = ()

    def __init__(self):
        self.router = Router(self.not_found, self.not_allowed)
        self.routes(self.router.add)

    def routes(self, add):
        raise NotImplementedError

    def not_found(self, request):
        raise NotImplementedError

    def not_allowed(self, request, allowed):
        return self.not_found(request)

    def handle(self, request):
        return self.router.dispatch(request)

    def __call__(self, environ, start_response):
        return self.handle(webob.Request(environ))(environ, start_response)


class NoDelayMixin:
    """Send each write at once (TCP_NODELAY), as nginx, Apache and gunicorn do.

    The stdlib servers write a response's headers and its body separately;
    with Nagle's algorithm on, a small body on a kept-alive connection then
    waits for the client's delayed ACK: 40 ms added to every such request,
    which no real service in front of Magnum, DC/OS or Mesos costs.
    """

    def get_request(self):
        connection, address = super().get_request()
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection, address


class _ThreadingServer(
    NoDelayMixin, socketserver.ThreadingMixIn, simple_server.WSGIServer
):
    daemon_threads = True
    allow_reuse_address = True


class _QuietHandler(simple_server.WSGIRequestHandler):
    def log_message(self, format, *args):
        LOG.debug("%s %s", self.address_string(), format % args)


class Server:
    """One WSGI app served on host:port from a daemon thread (port 0 = any)."""

    def __init__(self, app, host="127.0.0.1", port=0, name="wsgi"):
        self._httpd = simple_server.make_server(
            host, port, app, server_class=_ThreadingServer, handler_class=_QuietHandler
        )
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"sandbox-{name}",
            daemon=True,
        )
        self.host = host

    @property
    def port(self):
        return self._httpd.server_port

    @property
    def url(self):
        return f"http://{self.host}:{self.port}"

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        if self._thread.is_alive():
            self._httpd.shutdown()
            self._thread.join(timeout=5)
        self._httpd.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
