"""The cluster simulator: every simulated cluster, its listeners and its state;
the interface the Magnum stand-in calls (create, resize, delete, addresses)
and the knobs tests and the command line turn."""

import errno
import logging
import secrets
import threading
import time
from collections import Counter

from dcos_sandbox.clusters.acs import Acs
from dcos_sandbox.clusters.agents import BayView, agent_ip, bay_seed, master_ip
from dcos_sandbox.clusters.bay import Bay, load_bays, save_bays
from dcos_sandbox.clusters.knobs import DATA_KNOBS, check_knob, knob_view
from dcos_sandbox.clusters.mesos import Snapshot
from dcos_sandbox.clusters.routes import Routes
from dcos_sandbox.clusters.servers import BlackHole, HTTPServer

LOG = logging.getLogger(__name__)


class ClusterSimulator:
    """Every simulated cluster, its HTTP servers and its persisted state."""

    def __init__(self, config):
        self.config = config
        self.path = config.state_dir / "clusters.json"
        self.port = config.clusters_port
        self.stopping = False
        self.lock = threading.RLock()
        self.wake = threading.Event()  # cuts slow_seconds short on stop()
        self.bays = {}
        self._stats = {}
        self._server = None
        self.started_at = time.time()
        self._secret = secrets.token_bytes(32)
        self._listeners = []
        self.routes = Routes(self)
        loaded = load_bays(self.path)
        if loaded is not None:
            self.bays, self._secret = loaded
        self.acs = Acs(self._secret)

    def _save(self):
        save_bays(self.path, self.bays, self._secret)

    def start(self):
        with self.lock:
            if self._server is not None:
                return
            self.stopping = False
            self.wake.clear()
            self.started_at = time.time()
            self._server = HTTPServer(
                (self.config.host, self.config.clusters_port), self
            )
            self.port = self._server.port
            self._server.serve_in_background(f"clusters:{self.port}")
            for bay in self.bays.values():
                self._sync_masters(bay)  # nothing to close: none were open
            self._save()
        LOG.info("simulated clusters on %s", self.config.url(self.port))

    def stop(self):
        with self.lock:
            self.stopping = True
            self.wake.set()
            servers = [self._server] if self._server else []
            self._server = None
            for bay in self.bays.values():
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

    def create(self, uuid, coe, master_count, node_count, name=""):
        if coe not in ("dcos", "mesos"):
            raise ValueError(f"no simulated cluster for coe {coe!r} (dcos, mesos)")
        master_count, node_count = int(master_count), int(node_count)
        if master_count < 1 or node_count < 0:
            raise ValueError("master_count must be >= 1 and node_count >= 0")
        with self.lock:
            self._require_running()
            if uuid not in self.bays:
                bay = Bay(uuid, coe, name or "", master_count, node_count,
                           time.time(), {}, [0] * master_count)  # fmt: skip
                self.bays[uuid] = bay
                self._sync_masters(bay)  # a new bay has nothing to close
                self._save()
            return self._addresses(self.bays[uuid])

    def resize(self, uuid, node_count):
        node_count = int(node_count)
        if node_count < 0:
            raise ValueError("node_count must be >= 0")
        with self.lock:
            self._require_running()
            bay = self._get(uuid)
            bay.node_count = node_count
            bay.changed()
            self._save()
            return self._addresses(bay)

    def delete(self, uuid):
        with self.lock:
            bay = self.bays.pop(uuid, None)
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
        with self.lock:
            bay = self.bays.get(uuid)
            return None if bay is None else self._addresses(bay)

    def get_knobs(self, uuid):
        with self.lock:
            return self._knob_view(self._get(uuid))

    def subscribe(self, listener):
        """Call ``listener(uuid, addresses)`` when a knob moves a bay's addresses.

        The Magnum stand-in listens, so that what it reports follows the bay
        (a black-holed DC/OS bay answers on a port of its own).
        """
        self._listeners.append(listener)

    def set_knobs(self, uuid, **knobs):
        with self.lock:
            bay = self._get(uuid)
            before = self._addresses(bay)
            updated = dict(bay.knobs)
            for name, value in knobs.items():
                value = check_knob(bay, name, value)
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
        with self.lock:
            return {uuid: dict(counts) for uuid, counts in self._stats.items()}

    def reset_stats(self):
        with self.lock:
            self._stats.clear()

    def listing(self):
        with self.lock:
            return [self.describe(bay) for bay in self.bays.values()]

    def _require_running(self):
        if not self.running:
            raise RuntimeError("ClusterSimulator.start() must run before create/resize")

    def _get(self, uuid):
        bay = self.bays.get(uuid)
        if bay is None:
            raise KeyError(f"no simulated cluster {uuid}")
        return bay

    def _addresses(self, bay):
        seed = bay_seed(bay.uuid)
        nodes = [agent_ip(seed, i) for i in range(bay.node_count)]
        if bay.coe == "dcos":
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

    def describe(self, bay):
        return {
            "uuid": bay.uuid,
            "coe": bay.coe,
            "name": bay.name,
            "master_count": bay.master_count,
            "node_count": bay.node_count,
            **self._addresses(bay),
            "knobs": self._knob_view(bay),
        }

    @staticmethod
    def _knob_view(bay):
        return knob_view(bay.knobs)

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
            wanted = BlackHole if holed else None if i in down else HTTPServer
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
            elif wanted is HTTPServer:
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
            server = HTTPServer((self.config.host, wanted), self, bay.uuid, index)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE or not wanted:
                raise
            LOG.warning("port %s of bay %s is taken; moving master %s", wanted,
                        bay.uuid, index)  # fmt: skip
            server = HTTPServer((self.config.host, 0), self, bay.uuid, index)
        if server.port != wanted:
            bay.master_ports[index] = server.port
            bay.changed()  # the leader's pid and hostname name the port
        server.serve_in_background(f"mesos:{bay.uuid[:8]}:{index}")
        return server

    def snapshot(self, bay):
        with bay.build_lock:
            snap = bay.snapshot
            if snap is None or snap.generation != bay.generation:
                snap = Snapshot(self._view(bay))
                bay.snapshot = snap
            return snap

    def _view(self, bay):
        with self.lock:
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

    def count(self, uuid, path):
        with self.lock:
            self._stats.setdefault(uuid, Counter())[path] += 1

    def issue_token(self, uuid, now=None):
        """An HS256 JWT for one bay, as the DC/OS login would hand out."""
        return self.acs.issue_token(uuid, now)
