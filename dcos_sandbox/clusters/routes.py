"""What the simulated clusters answer over HTTP: the clusters port (DC/OS bays'
Admin Router under ``/dcos/<uuid>``, the ``/_sandbox/`` admin API) and each
Mesos master's own port."""

import json
import time
from urllib.parse import parse_qs, urlsplit

from dcos_sandbox.clusters.encoding import padded_stream
from dcos_sandbox.clusters.knobs import KnobError

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


class Routes:
    """Answers the requests a :class:`~.servers.Handler` hands over, from the
    state of ``sim`` (a :class:`~.simulator.ClusterSimulator`)."""

    def __init__(self, sim):
        self.sim = sim

    def serve_front(self, handler, method):
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
        sim = self.sim
        if parts == ["clusters"] and method == "GET":
            return handler.send_json(200, {"clusters": sim.listing()})
        if parts == ["stats"] and method == "GET":
            return handler.send_json(200, {"requests": sim.stats()})
        if parts == ["stats"] and method == "DELETE":
            sim.reset_stats()
            return handler.send_json(200, {"requests": {}})
        if len(parts) in (2, 3) and parts[0] == "clusters":
            with sim.lock:
                bay = sim.bays.get(parts[1])
                if bay is None:
                    return handler.send_json(404, {"message": f"no bay {parts[1]}"})
                if len(parts) == 2 and method == "GET":
                    return handler.send_json(200, sim.describe(bay))
            if parts[2:] == ["knobs"] and method == "GET":
                return handler.send_json(200, sim.get_knobs(bay.uuid))
            if parts[2:] == ["knobs"] and method == "POST":
                try:
                    knobs = json.loads(handler.request_body or b"{}")
                    if not isinstance(knobs, dict):
                        raise KnobError("knobs must be a JSON object")
                    return handler.send_json(200, sim.set_knobs(bay.uuid, **knobs))
                except (ValueError, KeyError) as exc:
                    return handler.send_json(400, {"message": str(exc)})
        handler.send_json(404, {"message": f"no {method} /_sandbox/{'/'.join(parts)}"})

    def _serve_dcos(self, handler, method, uuid, rest, query):
        sim = self.sim
        bay = sim.bays.get(uuid)
        if bay is None or bay.coe != "dcos":
            return handler.send_json(404, {"message": f"no DC/OS cluster {uuid}"})
        sim.count(uuid, rest)
        knobs = dict(bay.knobs)
        if knobs.get("blackhole"):
            # Its reported address is now the black hole; the old one goes
            # silent too, for a client that kept it.
            while sim.bays.get(uuid) is bay and bay.knobs.get("blackhole"):
                if sim.wake.wait(0.5):
                    break
            return handler.drop()
        if knobs.get("master_down") or not self._pause(knobs):
            return handler.drop()
        if rest in ("/", "/index.html"):
            body = sim.snapshot(bay).console()
            # Admin Router forbids framing the console
            # (docs/reference.md#dcos-console-links).
            headers = [("X-Frame-Options", "DENY")]
            return handler.send_body(200, body, "text/html; charset=utf-8", headers)
        if rest == "/acs/api/v1/auth/login":
            return sim.acs.login(handler, method, bay)
        endpoint = DCOS_ROUTES.get(rest)
        unit = None
        if endpoint is None and rest.startswith(UNIT_PREFIX):
            endpoint, unit = _unit_route(rest[len(UNIT_PREFIX) :])
        if endpoint is None:
            return handler.send_json(404, {"message": f"nothing at {rest}"})
        if knobs.get("auth_required") and not sim.acs.authorized(handler, bay):
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
        sim = self.sim
        if method != "GET":
            return handler.send_json(405, {"message": f"{method} not allowed"})
        body = sim.snapshot(bay).unit_body(endpoint, *unit)
        if body is None:
            # dcos-diagnostics answers an unknown unit or node with a text 404.
            return handler.send_text(404, f"{unit[-1]} not found\n")
        if bay.knobs.get("bad_json"):
            body = body[: len(body) // 2]
        handler.send_json(200, body)

    def serve_master(self, handler, method):
        sim = self.sim
        server = handler.server
        bay = sim.bays.get(server.uuid)
        if bay is None:
            return handler.drop()
        url = urlsplit(handler.path)
        sim.count(bay.uuid, url.path)
        knobs = dict(bay.knobs)
        if server.index in bay.down_masters() or not self._pause(knobs):
            return handler.drop()
        if url.path == "/master/health":
            # An empty 200 from any master, leader or not
            # (docs/reference.md#mesos-leader-redirects).
            return handler.send_body(200, b"", "text/plain")
        leading = server.index == min(bay.leader, bay.master_count - 1)
        endpoint = MESOS_LEADER_ROUTES.get(url.path)
        if endpoint is not None:
            if knobs.get("no_leader"):
                # Master::Http::redirect() when no leader is known (http.cpp).
                return handler.send_text(503, "No leader elected")
            if not leading:
                port = bay.master_ports[min(bay.leader, bay.master_count - 1)]
                target = f"//{sim.config.host}:{port}{url.path}"
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

    def _answer(self, handler, method, bay, knobs, endpoint, query, elected,
                uptime_from=None):  # fmt: skip
        sim = self.sim
        if method != "GET":
            return handler.send_json(405, {"message": f"{method} not allowed"})
        if endpoint == "health":
            return handler.send_body(200, b"", "text/plain")
        snap = sim.snapshot(bay)
        if endpoint == "metrics":
            uptime = time.time() - (uptime_from or sim.started_at)
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
        sim = self.sim
        delay = knobs.get("slow_seconds", 0)
        if delay:
            sim.wake.wait(delay)
        return not sim.stopping


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
