"""The sockets of the simulated clusters: a threaded HTTP server that can be
closed with its open connections, its request handler, and a black hole."""

import contextlib
import logging
import socket
import socketserver
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from dcos_sandbox.clusters.encoding import encode
from dcos_sandbox.wsgi import NoDelayMixin

LOG = logging.getLogger(__name__)

MAX_REQUEST_BODY = 1 << 20


class BlackHole:
    """A listening port that never accepts a connection: a black-holed host.

    A refused connection (``master_down``) fails at once; a host whose packets
    vanish lets the client wait for its connect timeout. On 127.0.0.1 that is
    a listener whose accept queue is full and never drained: Linux drops the
    SYN of every further connection attempt (tcp_conn_request, "listen queue
    overflow"), so ``connect()`` times out, exactly as against a dead route.
    The queue is filled by the simulator's own connections, kept open.
    """

    def __init__(self, host, port=0):
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._fillers = []
        try:
            self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self._sock.bind((host, port))
            self._sock.listen(0)  # Linux queues backlog + 1 connections
            self.port = self._sock.getsockname()[1]
            self._fill(host)
        except BaseException:
            self.close()
            raise

    def _fill(self, host):
        # Until one more attempt hangs: the kernel's queue length is its own.
        for _ in range(64):
            filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            filler.settimeout(0.05)
            try:
                filler.connect((host, self.port))
            except OSError:
                filler.close()
                return
            self._fillers.append(filler)
        raise RuntimeError(f"port {self.port} keeps accepting; cannot black-hole it")

    def close(self):
        for sock in [*self._fillers, self._sock]:
            with contextlib.suppress(OSError):
                sock.close()
        self._fillers = []


class HTTPServer(NoDelayMixin, ThreadingHTTPServer):
    """A stdlib HTTP server that can be closed with its open connections."""

    daemon_threads = True
    allow_reuse_address = True
    # socketserver's default backlog of 5 refuses bursts a real Admin Router
    # (nginx: 511) or Mesos master takes: a page of bays asks 3 paths each at once.
    request_queue_size = 128

    def __init__(self, address, simulator, uuid=None, index=None):
        self.simulator = simulator
        self.uuid = uuid
        self.index = index
        self.down = False
        self.started_at = time.time()
        self._live = {}
        self._live_lock = threading.Lock()
        self._thread = None
        super().__init__(address, Handler)

    def server_bind(self):
        # HTTPServer.server_bind resolves the host's FQDN, which can stall on DNS.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    @property
    def port(self):
        return self.server_address[1]

    def process_request_thread(self, request, client_address):
        with self._live_lock:
            self._live[request] = threading.current_thread()
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._live_lock:
                self._live.pop(request, None)

    def serve_in_background(self, name):
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.05}, name=name
        )
        self._thread.daemon = True
        self._thread.start()

    def stop_listening(self):
        """Free the port at once; ``close`` then cuts the open connections."""
        self.down = True
        if self._thread is not None and self._thread.is_alive():
            self.shutdown()
        self.server_close()

    def close(self):
        """Stop listening, cut every open connection, join the threads."""
        self.stop_listening()
        with self._live_lock:
            live = list(self._live.items())
        for request, _thread in live:
            with contextlib.suppress(OSError):
                request.shutdown(socket.SHUT_RDWR)
        for _request, thread in live:
            if thread is not threading.current_thread():
                thread.join(timeout=2)
        if self._thread is not None:
            self._thread.join(timeout=2)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, and chunked bodies for oversize
    timeout = 60  # idle keep-alive connections let their thread go
    server_version = "sandbox-clusters"
    sys_version = ""

    def do_GET(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def do_PUT(self):
        self._dispatch("PUT")

    def do_DELETE(self):
        self._dispatch("DELETE")

    def version_string(self):
        return self.server_version

    def log_message(self, format, *args):
        LOG.debug("%s %s", self.address_string(), format % args)

    def _dispatch(self, method):
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_REQUEST_BODY:
            self.close_connection = True
            self.send_json(413, {"message": "request body too large or malformed"})
            return
        self.request_body = self.rfile.read(length) if length else b""
        try:
            if self.server.down or self.server.simulator.stopping:
                self.drop()
            elif self.server.uuid is None:
                self.server.simulator.routes.serve_front(self, method)
            else:
                self.server.simulator.routes.serve_master(self, method)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    # -- answers ------------------------------------------------------------

    def send_body(self, status, body, content_type, headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def send_json(self, status, obj, headers=()):
        body = obj if isinstance(obj, bytes) else encode(obj)
        self.send_body(status, body, "application/json", headers)

    def send_text(self, status, text, headers=()):
        self.send_body(status, text.encode(), "text/plain; charset=utf-8", headers)

    def send_chunked(self, chunks):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for chunk in chunks:
            if chunk:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        self.wfile.write(b"0\r\n\r\n")

    def drop(self):
        """Answer nothing: reset the connection, as a dead host's proxy would."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
            )
