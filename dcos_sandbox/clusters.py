"""Simulated DC/OS and Mesos clusters behind the Magnum stand-in's bays.

One ``ClusterSimulator`` serves every bay that reached CREATE_COMPLETE:

* DC/OS bays share the clusters port, each under ``/dcos/<uuid>`` as its
  Admin Router would answer (``/mesos/...``, ``/cache/...``,
  ``/system/health/v1/...``, ``/acs/api/v1/auth/login``, a console at ``/``).
* Plain Mesos bays get one listening port per master, with the leader
  answering and the others redirecting (307) as Mesos masters do.

Knobs, per bay (``set_knobs`` or ``POST /_sandbox/clusters/<uuid>/knobs``;
null, 0 or false resets one): master_down (true, or for Mesos a list of
master indexes; connections are refused), blackhole (connections are never
accepted, see :class:`BlackHole`), slow_seconds, no_leader, bad_json,
oversize_bytes, auth_required, old_mesos (the Mesos 1.0 agent shape of DC/OS
1.8), leader, agents (agent count instead of node_count), numbers of agents
that are disconnected, deactivated, draining, drained, unreachable or
unhealthy, and unhealthy_units (a count, or a list of DC/OS unit ids).
``GET /_sandbox/clusters`` lists bays; ``GET|DELETE /_sandbox/stats`` reads or
resets request counts per bay and path. State lives in
``<state_dir>/clusters.json`` so bays survive a restart.
"""

import base64
import contextlib
import errno
import hashlib
import hmac
import json
import logging
import os
import secrets
import socket
import socketserver
import struct
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from dcos_sandbox.clusters_model import (
    UNIT_IDS,
    BayView,
    Snapshot,
    agent_ip,
    bay_seed,
    encode,
    master_ip,
    padded_stream,
)
from dcos_sandbox.wsgi import NoDelayMixin

LOG = logging.getLogger(__name__)

# The sandbox's fixed DC/OS login: DC/OS Enterprise's documented default
# superuser (docs.d2iq.com, "Superuser account: bootstrapuser / deleteme").
DCOS_UID = "bootstrapuser"
DCOS_PASSWORD = "deleteme"
TOKEN_SECONDS = 5 * 24 * 3600  # ACS tokens last 5 days (REFERENCE.md, DC/OS auth)

BOOL_KNOBS = ("blackhole", "no_leader", "bad_json", "auth_required", "old_mesos")
COUNT_KNOBS = (
    "oversize_bytes",
    "disconnected",
    "deactivated",
    "draining",
    "drained",
    "unreachable",
    "unhealthy",
    "agents",
    "leader",
)
KNOBS = ("master_down", "slow_seconds", "unhealthy_units") + BOOL_KNOBS + COUNT_KNOBS
# Knobs that change what the bodies say; the others leave the cache alone.
DATA_KNOBS = {
    "old_mesos",
    "leader",
    "agents",
    "disconnected",
    "deactivated",
    "draining",
    "drained",
    "unreachable",
    "unhealthy",
    "unhealthy_units",
}
MAX_AGENTS = 100_000
MAX_SLOW_SECONDS = 3600.0
MAX_REQUEST_BODY = 1 << 20

# Admin Router paths of a DC/OS bay -> the Mesos/diagnostics body behind them.
DCOS_ROUTES = {
    "/mesos/master/state-summary": "state-summary",
    "/mesos/master/slaves": "slaves",
    "/mesos/master/state": "state",
    "/mesos/metrics/snapshot": "metrics",
    "/mesos/master/health": "health",
    "/cache/master/state-summary": "state-summary",
    "/cache/master/slaves": "slaves",
    "/cache/master/state": "state",
    "/system/health/v1/nodes": "nodes",
    "/system/health/v1/units": "units",
}
# dcos-diagnostics' per-unit routes (api/router.go): a unit, the nodes running
# it, one node's view of it.
UNIT_PREFIX = "/system/health/v1/units/"
# Master endpoints a non-leading Mesos master redirects (src/master/http.cpp).
MESOS_LEADER_ROUTES = {
    "/master/state-summary": "state-summary",
    "/master/slaves": "slaves",
    "/master/state": "state",
}
# Where the padding of an oversized body goes, per endpoint.
LIST_KEYS = {
    "state-summary": "slaves",
    "slaves": "slaves",
    "state": "slaves",
    "nodes": "nodes",
    "units": "units",
    "unit-nodes": "nodes",
    "metrics": "padding",
}


class KnobError(ValueError):
    """A knob name or value the simulator does not understand."""


class _Bay:
    """One simulated cluster: what is persisted, plus its live servers and cache."""

    def __init__(self, uuid, coe, name, master_count, node_count, created_at, knobs,
                 master_ports, hole_port=0):  # fmt: skip
        self.uuid = uuid
        self.coe = coe
        self.name = name
        self.master_count = master_count
        self.node_count = node_count
        self.created_at = created_at
        self.knobs = knobs
        self.master_ports = master_ports
        # A DC/OS bay's black-hole listener while the blackhole knob is on;
        # its port is kept so the address stays the same from one time to the next.
        self.hole_port = hole_port
        self.hole = None
        self.masters = [None] * master_count
        self.generation = 0
        self.snapshot = None
        self.build_lock = threading.Lock()

    def to_json(self):
        return {
            "coe": self.coe,
            "name": self.name,
            "master_count": self.master_count,
            "node_count": self.node_count,
            "created_at": self.created_at,
            "knobs": self.knobs,
            "master_ports": self.master_ports,
            "hole_port": self.hole_port,
        }

    @classmethod
    def from_json(cls, uuid, data):
        master_count = int(data["master_count"])
        ports = list(data.get("master_ports") or [])
        ports = (ports + [0] * master_count)[:master_count]
        return cls(
            uuid,
            data["coe"],
            data.get("name", ""),
            master_count,
            int(data["node_count"]),
            float(data["created_at"]),
            dict(data.get("knobs") or {}),
            [int(p or 0) for p in ports],
            int(data.get("hole_port") or 0),
        )

    @property
    def leader(self):
        return self.knobs.get("leader", 0)

    def down_masters(self):
        down = self.knobs.get("master_down")
        if down is True:
            return set(range(self.master_count))
        return set(down or ())

    def changed(self):
        self.generation += 1
        self.snapshot = None


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


class _Server(NoDelayMixin, ThreadingHTTPServer):
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
        super().__init__(address, _Handler)

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


class _Handler(BaseHTTPRequestHandler):
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
                self.server.simulator._serve_front(self, method)
            else:
                self.server.simulator._serve_master(self, method)
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


class ClusterSimulator:
    """Every simulated cluster, its HTTP servers and its persisted state."""

    def __init__(self, config):
        self.config = config
        self.path = config.state_dir / "clusters.json"
        self.port = config.clusters_port
        self.stopping = False
        self._lock = threading.RLock()
        self._wake = threading.Event()  # cuts slow_seconds short on stop()
        self._bays = {}
        self._stats = {}
        self._server = None
        self._started_at = time.time()
        self._secret = secrets.token_bytes(32)
        self._listeners = []
        self._load()

    # -- lifecycle ------------------------------------------------------------

    def start(self):
        with self._lock:
            if self._server is not None:
                return
            self.stopping = False
            self._wake.clear()
            self._started_at = time.time()
            self._server = _Server((self.config.host, self.config.clusters_port), self)
            self.port = self._server.port
            self._server.serve_in_background(f"clusters:{self.port}")
            for bay in self._bays.values():
                self._sync_masters(bay)  # nothing to close: none were open
            self._save()
        LOG.info("simulated clusters on %s", self.config.url(self.port))

    def stop(self):
        with self._lock:
            self.stopping = True
            self._wake.set()
            servers = [self._server] if self._server else []
            self._server = None
            for bay in self._bays.values():
                servers += [m for m in bay.masters if m is not None]
                bay.masters = [None] * bay.master_count
                if bay.hole is not None:
                    servers.append(bay.hole)
                    bay.hole = None
        for server in servers:
            server.close()

    @property
    def running(self):
        return self._server is not None

    # -- the interface the Magnum stand-in calls ------------------------------

    def create(self, uuid, coe, master_count, node_count, name=""):
        if coe not in ("dcos", "mesos"):
            raise ValueError(f"no simulated cluster for coe {coe!r} (dcos, mesos)")
        master_count, node_count = int(master_count), int(node_count)
        if master_count < 1 or node_count < 0:
            raise ValueError("master_count must be >= 1 and node_count >= 0")
        with self._lock:
            self._require_running()
            if uuid not in self._bays:
                bay = _Bay(uuid, coe, name or "", master_count, node_count,
                           time.time(), {}, [0] * master_count)  # fmt: skip
                self._bays[uuid] = bay
                self._sync_masters(bay)  # a new bay has nothing to close
                self._save()
            return self._addresses(self._bays[uuid])

    def resize(self, uuid, node_count):
        node_count = int(node_count)
        if node_count < 0:
            raise ValueError("node_count must be >= 0")
        with self._lock:
            self._require_running()
            bay = self._get(uuid)
            bay.node_count = node_count
            bay.changed()
            self._save()
            return self._addresses(bay)

    def delete(self, uuid):
        with self._lock:
            bay = self._bays.pop(uuid, None)
            if bay is None:
                return
            masters = [m for m in bay.masters if m is not None]
            bay.masters = [None] * bay.master_count
            if bay.hole is not None:
                masters.append(bay.hole)
                bay.hole = None
            self._save()
        for server in masters:
            server.close()

    def addresses(self, uuid):
        with self._lock:
            bay = self._bays.get(uuid)
            return None if bay is None else self._addresses(bay)

    def get_knobs(self, uuid):
        with self._lock:
            return self._knob_view(self._get(uuid))

    def subscribe(self, listener):
        """Call ``listener(uuid, addresses)`` when a knob moves a bay's addresses.

        The Magnum stand-in listens, so that what it reports follows the bay
        (a black-holed DC/OS bay answers on a port of its own).
        """
        self._listeners.append(listener)

    def set_knobs(self, uuid, **knobs):
        with self._lock:
            bay = self._get(uuid)
            before = self._addresses(bay)
            updated = dict(bay.knobs)
            for name, value in knobs.items():
                value = _check_knob(bay, name, value)
                if value in (None, 0, False):
                    updated.pop(name, None)
                else:
                    updated[name] = value
            if any(bay.knobs.get(k) != updated.get(k) for k in DATA_KNOBS):
                bay.changed()
            bay.knobs = updated
            closing = self._sync_masters(bay) if self.running else []
            self._save()
            view = self._knob_view(bay)
            after = self._addresses(bay)
        for server in closing:
            server.close()
        if after != before:
            for listener in self._listeners:
                listener(uuid, after)
        return view

    def stats(self):
        with self._lock:
            return {uuid: dict(counts) for uuid, counts in self._stats.items()}

    def reset_stats(self):
        with self._lock:
            self._stats.clear()

    def listing(self):
        with self._lock:
            return [self._describe(bay) for bay in self._bays.values()]

    # -- bays ---------------------------------------------------------------

    def _require_running(self):
        if not self.running:
            raise RuntimeError("ClusterSimulator.start() must run before create/resize")

    def _get(self, uuid):
        bay = self._bays.get(uuid)
        if bay is None:
            raise KeyError(f"no simulated cluster {uuid}")
        return bay

    def _addresses(self, bay):
        seed = bay_seed(bay.uuid)
        nodes = [agent_ip(seed, i) for i in range(bay.node_count)]
        if bay.coe == "dcos":
            # secsuite's test labels (sandbox_api_address, ...) belong here.
            port = self.port
            if bay.knobs.get("blackhole") and bay.hole_port:
                port = bay.hole_port
            api = self.config.url(port, f"/dcos/{bay.uuid}")
            masters = [master_ip(seed, i) for i in range(bay.master_count)]
        else:
            api = None
            masters = [f"{self.config.host}:{port}" for port in bay.master_ports]
        return {
            "api_address": api,
            "master_addresses": masters,
            "node_addresses": nodes,
        }

    def _describe(self, bay):
        return {
            "uuid": bay.uuid,
            "coe": bay.coe,
            "name": bay.name,
            "master_count": bay.master_count,
            "node_count": bay.node_count,
            **self._addresses(bay),
            "knobs": self._knob_view(bay),
        }

    def _knob_view(self, bay):
        view = dict.fromkeys(KNOBS, 0)
        view.update(dict.fromkeys(BOOL_KNOBS, False))
        view["master_down"] = False
        view["slow_seconds"] = 0.0
        view.update(bay.knobs)
        return view

    def _sync_masters(self, bay):
        """Open the listeners the knobs call for; return the servers to close.

        A Mesos master is an HTTP server, nothing (master_down: refused) or a
        :class:`BlackHole` on its own port (blackhole); a DC/OS bay gets a
        black hole beside the shared port. Closing an HTTP server joins its
        handler threads, which may be waiting for the lock the caller holds:
        the caller closes them once it let go (their port is free already).
        """
        closing = []
        holed = bool(bay.knobs.get("blackhole"))
        if bay.coe != "mesos":
            if holed and bay.hole is None:
                bay.hole = self._open_hole(bay.hole_port)
                bay.hole_port = bay.hole.port
            elif not holed and bay.hole is not None:
                bay.hole.close()
                bay.hole = None
            return closing
        down = bay.down_masters()
        for i in range(bay.master_count):
            server = bay.masters[i]
            wanted = BlackHole if holed else None if i in down else _Server
            if type(server) is wanted or (server is None and wanted is None):
                continue
            if isinstance(server, BlackHole):
                server.close()
            elif server is not None:
                server.stop_listening()  # the port is wanted again at once
                closing.append(server)
            bay.masters[i] = None
            if wanted is BlackHole:
                bay.masters[i] = self._open_hole(bay.master_ports[i])
                bay.master_ports[i] = bay.masters[i].port
            elif wanted is _Server:
                bay.masters[i] = self._open_master(bay, i)
        return closing

    def _open_hole(self, wanted):
        try:
            return BlackHole(self.config.host, wanted)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE or not wanted:
                raise
            LOG.warning("port %s is taken; black-holing another one", wanted)
            return BlackHole(self.config.host, 0)

    def _open_master(self, bay, index):
        wanted = bay.master_ports[index]
        try:
            server = _Server((self.config.host, wanted), self, bay.uuid, index)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE or not wanted:
                raise
            LOG.warning("port %s of bay %s is taken; moving master %s", wanted,
                        bay.uuid, index)  # fmt: skip
            server = _Server((self.config.host, 0), self, bay.uuid, index)
        if server.port != wanted:
            bay.master_ports[index] = server.port
            bay.changed()  # the leader's pid and hostname name the port
        server.serve_in_background(f"mesos:{bay.uuid[:8]}:{index}")
        return server

    def _snapshot(self, bay):
        with bay.build_lock:
            snap = bay.snapshot
            if snap is None or snap.generation != bay.generation:
                snap = Snapshot(self._view(bay))
                bay.snapshot = snap
            return snap

    def _view(self, bay):
        with self._lock:
            leader = min(bay.leader, bay.master_count - 1)
            if bay.coe == "dcos":
                host, port = master_ip(bay_seed(bay.uuid), leader), 5050
            else:
                host, port = self.config.host, bay.master_ports[leader]
            return BayView(
                uuid=bay.uuid,
                coe=bay.coe,
                name=bay.name,
                master_count=bay.master_count,
                node_count=bay.node_count,
                created_at=bay.created_at,
                knobs=dict(bay.knobs),
                leader_host=host,
                leader_port=port,
                generation=bay.generation,
            )

    # -- persistence ----------------------------------------------------------

    def _load(self):
        try:
            raw = self.path.read_text()
        except FileNotFoundError:
            return
        try:
            data = json.loads(raw)
            bays = {u: _Bay.from_json(u, b) for u, b in data.get("bays", {}).items()}
            secret = bytes.fromhex(data["secret"])
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            aside = self.path.with_name(f"clusters.json.unreadable-{int(time.time())}")
            os.replace(self.path, aside)
            LOG.warning("%s is unreadable (%s); moved it to %s and started empty",
                        self.path, exc, aside)  # fmt: skip
            return
        self._bays, self._secret = bays, secret

    def _save(self):
        data = {
            "version": 1,
            "secret": self._secret.hex(),
            "bays": {u: bay.to_json() for u, bay in self._bays.items()},
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True))
        os.replace(tmp, self.path)

    # -- HTTP: the clusters port ----------------------------------------------

    def _serve_front(self, handler, method):
        url = urlsplit(handler.path)
        parts = url.path.split("/")
        if url.path.startswith("/_sandbox/"):
            return self._serve_admin(handler, method, parts[2:])
        if len(parts) >= 3 and parts[1] == "dcos":
            rest = "/" + "/".join(parts[3:])
            return self._serve_dcos(
                handler, method, parts[2], rest, parse_qs(url.query)
            )
        handler.send_json(404, {"message": f"nothing at {url.path}"})

    def _serve_admin(self, handler, method, parts):
        if parts == ["clusters"] and method == "GET":
            return handler.send_json(200, {"clusters": self.listing()})
        if parts == ["stats"] and method == "GET":
            return handler.send_json(200, {"requests": self.stats()})
        if parts == ["stats"] and method == "DELETE":
            self.reset_stats()
            return handler.send_json(200, {"requests": {}})
        if len(parts) in (2, 3) and parts[0] == "clusters":
            with self._lock:
                bay = self._bays.get(parts[1])
                if bay is None:
                    return handler.send_json(404, {"message": f"no bay {parts[1]}"})
                if len(parts) == 2 and method == "GET":
                    return handler.send_json(200, self._describe(bay))
            if parts[2:] == ["knobs"] and method == "GET":
                return handler.send_json(200, self.get_knobs(bay.uuid))
            if parts[2:] == ["knobs"] and method == "POST":
                try:
                    knobs = json.loads(handler.request_body or b"{}")
                    if not isinstance(knobs, dict):
                        raise KnobError("knobs must be a JSON object")
                    return handler.send_json(200, self.set_knobs(bay.uuid, **knobs))
                except (ValueError, KeyError) as exc:
                    return handler.send_json(400, {"message": str(exc)})
        handler.send_json(404, {"message": f"no {method} /_sandbox/{'/'.join(parts)}"})

    def _serve_dcos(self, handler, method, uuid, rest, query):
        bay = self._bays.get(uuid)
        if bay is None or bay.coe != "dcos":
            return handler.send_json(404, {"message": f"no DC/OS cluster {uuid}"})
        self._count(uuid, rest)
        knobs = dict(bay.knobs)
        if knobs.get("blackhole"):
            # Its reported address is now the black hole; the old one goes
            # silent too, for a client that kept it.
            while self._bays.get(uuid) is bay and bay.knobs.get("blackhole"):
                if self._wake.wait(0.5):
                    break
            return handler.drop()
        if knobs.get("master_down") or not self._pause(knobs):
            return handler.drop()
        if rest in ("/", "/index.html"):
            body = self._snapshot(bay).console()
            # Admin Router forbids framing the console (REFERENCE.md, DC/OS).
            headers = [("X-Frame-Options", "DENY")]
            return handler.send_body(200, body, "text/html; charset=utf-8", headers)
        if rest == "/acs/api/v1/auth/login":
            return self._login(handler, method, bay)
        endpoint = DCOS_ROUTES.get(rest)
        unit = None
        if endpoint is None and rest.startswith(UNIT_PREFIX):
            endpoint, unit = _unit_route(rest[len(UNIT_PREFIX) :])
        if endpoint is None:
            return handler.send_json(404, {"message": f"nothing at {rest}"})
        if knobs.get("auth_required") and not self._authorized(handler, bay):
            # Admin Router's answer to a missing or bad ACS token.
            body = {"title": "Unauthorized", "description": "Authentication required"}
            return handler.send_json(401, body, [("WWW-Authenticate", "acsjwt")])
        if knobs.get("no_leader") and rest.startswith(("/mesos/", "/cache/")):
            # /mesos/ proxies to leader.mesos, which does not resolve without a leader.
            return handler.send_json(503, {"message": "Mesos leader unavailable"})
        if unit is not None:
            return self._answer_unit(handler, method, bay, endpoint, unit)
        self._answer(handler, method, bay, knobs, endpoint, query, elected=True)

    def _answer_unit(self, handler, method, bay, endpoint, unit):
        if method != "GET":
            return handler.send_json(405, {"message": f"{method} not allowed"})
        body = self._snapshot(bay).unit_body(endpoint, *unit)
        if body is None:
            # dcos-diagnostics answers an unknown unit or node with a text 404.
            return handler.send_text(404, f"{unit[-1]} not found\n")
        if bay.knobs.get("bad_json"):
            body = body[: len(body) // 2]
        handler.send_json(200, body)

    # -- HTTP: a Mesos master -------------------------------------------------

    def _serve_master(self, handler, method):
        server = handler.server
        bay = self._bays.get(server.uuid)
        if bay is None:
            return handler.drop()
        url = urlsplit(handler.path)
        self._count(bay.uuid, url.path)
        knobs = dict(bay.knobs)
        if server.index in bay.down_masters() or not self._pause(knobs):
            return handler.drop()
        if url.path == "/master/health":
            # An empty 200 from any master, leader or not (REFERENCE.md).
            return handler.send_body(200, b"", "text/plain")
        leading = server.index == min(bay.leader, bay.master_count - 1)
        endpoint = MESOS_LEADER_ROUTES.get(url.path)
        if endpoint is not None:
            if knobs.get("no_leader"):
                # Master::Http::redirect() when no leader is known (http.cpp).
                return handler.send_text(503, "No leader elected")
            if not leading:
                port = bay.master_ports[min(bay.leader, bay.master_count - 1)]
                target = f"//{self.config.host}:{port}{url.path}"
                if url.query:
                    target += "?" + url.query
                # Protocol-relative, as Master::Http::redirect() writes it.
                return handler.send_body(307, b"", "text/plain", [("Location", target)])
        elif url.path == "/metrics/snapshot":
            endpoint = "metrics"
            leading = leading and not knobs.get("no_leader")
        else:
            # /state.json and the other .json aliases went in Mesos 1.7.
            return handler.send_body(404, b"", "text/plain")
        self._answer(handler, method, bay, knobs, endpoint, parse_qs(url.query),
                     elected=leading, uptime_from=server.started_at)  # fmt: skip

    # -- HTTP: shared ---------------------------------------------------------

    def _answer(self, handler, method, bay, knobs, endpoint, query, elected,
                uptime_from=None):  # fmt: skip
        if method != "GET":
            return handler.send_json(405, {"message": f"{method} not allowed"})
        if endpoint == "health":
            return handler.send_body(200, b"", "text/plain")
        snap = self._snapshot(bay)
        if endpoint == "metrics":
            uptime = time.time() - (uptime_from or self._started_at)
            body = snap.metrics(elected, uptime)
        elif endpoint == "slaves" and "slave_id" in query:
            body = snap.slaves(query["slave_id"][0])
        else:
            body = snap.body(endpoint)
        oversize = knobs.get("oversize_bytes", 0)
        if oversize > len(body):
            obj = json.loads(body) if endpoint == "metrics" else snap.obj(endpoint)
            chunks = padded_stream(obj, oversize, LIST_KEYS[endpoint])
            if chunks is not None:
                return handler.send_chunked(chunks)
        if knobs.get("bad_json"):
            body = body[: len(body) // 2]  # a body cut short is never valid JSON
        handler.send_json(200, body)

    def _pause(self, knobs):
        """Wait out slow_seconds; False when the simulator stopped meanwhile."""
        delay = knobs.get("slow_seconds", 0)
        if delay:
            self._wake.wait(delay)
        return not self.stopping

    def _count(self, uuid, path):
        with self._lock:
            self._stats.setdefault(uuid, Counter())[path] += 1

    # -- DC/OS auth -----------------------------------------------------------

    def _login(self, handler, method, bay):
        if method != "POST":
            return handler.send_json(405, {"message": "POST {uid, password}"})
        try:
            creds = json.loads(handler.request_body or b"null")
        except ValueError:
            creds = None
        if not isinstance(creds, dict):
            body = {"title": "Bad Request", "description": "Expected {uid, password}"}
            return handler.send_json(400, body)
        if creds.get("uid") != DCOS_UID or creds.get("password") != DCOS_PASSWORD:
            body = {
                "title": "Invalid credentials",
                "description": "The sandbox's DC/OS login is "
                f"{DCOS_UID} / {DCOS_PASSWORD}",
                "code": "ERR_INVALID_CREDENTIALS",
            }
            return handler.send_json(401, body, [("WWW-Authenticate", "acsjwt")])
        handler.send_json(200, {"token": self.issue_token(bay.uuid)})

    def issue_token(self, uuid, now=None):
        """An HS256 JWT for one bay, as the DC/OS login would hand out."""
        now = time.time() if now is None else now
        header = _b64(encode({"alg": "HS256", "typ": "JWT"}))
        payload = _b64(encode({"uid": DCOS_UID, "exp": int(now + TOKEN_SECONDS)}))
        signed = f"{header}.{payload}"
        return f"{signed}.{_b64(self._sign(uuid, signed))}"

    def _sign(self, uuid, text):
        key = hmac.new(self._secret, uuid.encode(), hashlib.sha256).digest()
        return hmac.new(key, text.encode(), hashlib.sha256).digest()

    def _authorized(self, handler, bay):
        value = handler.headers.get("Authorization", "")
        if not value.startswith("token="):
            return False
        token = value[len("token=") :].strip()
        header, _, rest = token.partition(".")
        payload, _, signature = rest.partition(".")
        expected = _b64(self._sign(bay.uuid, f"{header}.{payload}"))
        if not hmac.compare_digest(signature, expected):
            return False
        try:
            claims = json.loads(
                base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
            )
            return float(claims["exp"]) > time.time()
        except (ValueError, KeyError, TypeError):
            return False


def _unit_route(rest):
    """(endpoint, (unit id[, node ip])) of a per-unit path, or (None, None)."""
    parts = rest.split("/")
    if len(parts) == 1 and parts[0]:
        return "unit", (parts[0],)
    if len(parts) == 2 and parts[0] and parts[1] == "nodes":
        return "unit-nodes", (parts[0],)
    if len(parts) == 3 and parts[0] and parts[1] == "nodes" and parts[2]:
        return "unit-node", (parts[0], parts[2])
    return None, None


def _b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _check_knob(bay, name, value):
    """The knob's value as stored, or KnobError saying what is allowed."""
    if name not in KNOBS:
        raise KnobError(f"unknown knob {name!r}; knobs: {', '.join(KNOBS)}")
    if value is None or value is False or (type(value) in (int, float) and value == 0):
        return None  # every knob resets with null, 0 or false
    if name == "master_down":
        if isinstance(value, bool):
            return value
        if (
            bay.coe == "mesos"
            and isinstance(value, list)
            and all(type(i) is int and 0 <= i < bay.master_count for i in value)
        ):
            return sorted(set(value)) or False
        raise KnobError("master_down: true/false, or (Mesos) a list of master indexes")
    if name == "slow_seconds":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise KnobError("slow_seconds: a number of seconds")
        if not 0 <= value <= MAX_SLOW_SECONDS:
            raise KnobError(f"slow_seconds: between 0 and {MAX_SLOW_SECONDS:g}")
        return float(value)
    if name == "unhealthy_units":
        if value == []:
            return None
        if type(value) is int and value > 0:
            return value
        if (
            isinstance(value, list)
            and value
            and all(isinstance(u, str) and u in UNIT_IDS for u in value)
        ):
            return sorted(set(value))
        raise KnobError(
            "unhealthy_units: a number of units, or a list of unit ids among "
            + ", ".join(UNIT_IDS)
        )
    if name in BOOL_KNOBS:
        if not isinstance(value, bool):
            raise KnobError(f"{name}: true or false")
        return value
    if type(value) is not int or value < 0:
        raise KnobError(f"{name}: a whole number >= 0")
    if name == "agents" and value > MAX_AGENTS:
        raise KnobError(f"agents: at most {MAX_AGENTS}")
    if name == "leader" and value >= bay.master_count:
        raise KnobError(f"leader: a master index below {bay.master_count}")
    return value
