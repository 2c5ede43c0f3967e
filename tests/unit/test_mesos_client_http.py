"""api/mesos against real sockets on 127.0.0.1: refusals, timeouts, size caps
and concurrency, which a mock cannot show.

Each server is a ``ThreadingHTTPServer`` on a free port; slow handlers wait
on an event that teardown sets, so no thread outlives its test by much.
"""

from __future__ import annotations

import contextlib
import gc
import json
import socket
import socketserver
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import urllib3.response
from django.core.cache import cache
from django.test import override_settings

from dcos_dashboard import health
from dcos_dashboard.api import mesos

TIMEOUT = 0.5
SUMMARY = {
    "hostname": "127.0.0.1",
    "slaves": [
        {
            "id": "S1",
            "hostname": "agent-1",
            "pid": "slave(1)@127.0.0.2:5051",
            "active": True,
            "resources": {"cpus": 4.0, "mem": 1024.0},
            "used_resources": {"cpus": 1.0, "mem": 256.0},
        }
    ],
    "frameworks": [],
}
METRICS = {"master/elected": 1.0}
SUMMARY_BODY = json.dumps(SUMMARY).encode()
METRICS_BODY = json.dumps(METRICS).encode()


@pytest.fixture(autouse=True)
def short_limits():
    cache.clear()
    limits = {"CONNECT_TIMEOUT": TIMEOUT, "READ_TIMEOUT": TIMEOUT}
    with override_settings(DCOS_DASHBOARD=limits):
        yield
    cache.clear()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def server_bind(self):
        # HTTPServer.server_bind looks up the host's FQDN, which can stall on DNS.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        with self.server.lock:
            self.server.seen.append(self.path)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.server.behaviour(self)

    def log_message(self, format, *args):
        pass

    def reply(self, body: bytes, status=200, headers=()):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def serve():
    """serve(behaviour) -> a running server; behaviour(handler) answers."""
    servers = []

    def start(behaviour):
        server = _Server(("127.0.0.1", 0), _Handler)
        server.behaviour = behaviour
        server.seen = []
        server.lock = threading.Lock()
        server.stopping = threading.Event()
        server.address = f"127.0.0.1:{server.server_address[1]}"
        thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        thread.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stopping.set()
        server.shutdown()
        server.server_close()


def leader(handler):
    if handler.path == "/master/state-summary":
        handler.reply(SUMMARY_BODY)
    elif handler.path == "/metrics/snapshot":
        handler.reply(METRICS_BODY)
    else:
        handler.reply(b"{}", status=404)


def silent(handler):
    """Accept, then say nothing for far longer than READ_TIMEOUT."""
    handler.server.stopping.wait(10 * TIMEOUT)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def target(*masters, uuid="bay-1"):
    return mesos.Target(uuid, "mesos", None, tuple(masters))


def test_a_leader_answers(serve):
    server = serve(leader)
    answer = mesos.bay_health(target(server.address))
    assert answer == health.summarize(SUMMARY, METRICS)
    assert server.seen == ["/master/state-summary", "/metrics/snapshot"]


def test_redirect_to_the_leader_over_real_sockets(serve):
    lead = serve(leader)

    def follower(handler):
        handler.reply(
            b"", 307, [("Location", f"//{lead.address}/master/state-summary")]
        )

    follow = serve(follower)
    answer = mesos.bay_health(target(follow.address, lead.address))
    assert answer == health.summarize(SUMMARY, METRICS)
    assert follow.seen == ["/master/state-summary"]
    assert lead.seen == ["/master/state-summary", "/metrics/snapshot"]


def test_redirect_to_a_foreign_host_is_never_contacted(serve):
    foreign = serve(leader)

    def follower(handler):
        location = f"//{foreign.address}/master/state-summary"
        handler.reply(b"", 307, [("Location", location)])

    follow = serve(follower)
    answer = mesos.bay_health(target(follow.address))
    assert answer.overall == health.UNREACHABLE
    assert "did not report" in answer.reason
    assert foreign.seen == []


def test_connection_refused_is_unreachable_at_once():
    port = free_port()
    started = time.monotonic()
    answer = mesos.bay_health(target(f"127.0.0.1:{port}"))
    assert time.monotonic() - started < 2.5 * TIMEOUT
    assert answer.overall == health.UNREACHABLE
    assert "refused" in answer.reason.lower()


def test_no_leader_is_not_down(serve):
    server = serve(lambda h: h.reply(b"No leader elected", status=503))
    answer = mesos.bay_health(target(server.address))
    assert answer.overall == health.UNREACHABLE
    assert answer.reason.startswith("No Mesos leader elected")


def test_a_silent_master_times_out_quickly(serve):
    server = serve(silent)
    started = time.monotonic()
    answer = mesos.bay_health(target(server.address))
    assert time.monotonic() - started < 2.5 * TIMEOUT
    assert answer.overall == health.UNREACHABLE
    assert f"did not answer within {TIMEOUT} seconds" in answer.reason


def test_a_trickling_master_is_cut_off(serve):
    connect, read = 0.1, 0.2
    # The whole body gets CONNECT_TIMEOUT + 6 READ_TIMEOUTs.
    allowed = connect + 6 * read

    def trickle(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", "1000000")
        handler.end_headers()
        handler.wfile.write(b"{")
        # Each byte comes well within READ_TIMEOUT, the whole never does.
        give_up = time.monotonic() + 10 * allowed
        while time.monotonic() < give_up and not handler.server.stopping.wait(read / 4):
            handler.wfile.write(b" ")
            handler.wfile.flush()

    server = serve(trickle)
    started = time.monotonic()
    with override_settings(
        DCOS_DASHBOARD={"CONNECT_TIMEOUT": connect, "READ_TIMEOUT": read}
    ):
        answer = mesos.bay_health(target(server.address))
    elapsed = time.monotonic() - started
    assert 0.9 * allowed < elapsed < 2.5 * allowed
    assert answer.overall == health.UNREACHABLE
    assert "did not finish its answer" in answer.reason


@pytest.fixture
def bytes_read(monkeypatch):
    """How many body bytes the client took in, summed over urllib3's reads
    (what requests' iter_content and the client's own reads both go through)."""
    taken = []
    original = urllib3.response.HTTPResponse.read

    def counting(self, *args, **kwargs):
        data = original(self, *args, **kwargs)
        taken.append(len(data))
        return data

    monkeypatch.setattr(urllib3.response.HTTPResponse, "read", counting)
    return lambda: sum(taken)


def pour(handler, total, sent, done):
    """Write ``total`` bytes of blanks, noting each block in ``sent`` and
    setting ``done`` when the writes end (finished or cut off by the client)."""
    block = b" " * 65536
    try:
        for _ in range(total // len(block)):
            handler.wfile.write(block)
            sent.append(len(block))
    finally:
        done.set()


def test_an_oversized_body_is_aborted_near_the_cap(serve, bytes_read):
    total = 50 * 2**20
    cap = 2**20
    sent = []
    done = threading.Event()

    def flood(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.end_headers()
        handler.close_connection = True
        pour(handler, total, sent, done)

    server = serve(flood)
    with override_settings(DCOS_DASHBOARD={"MAX_RESPONSE_BYTES": cap}):
        answer = mesos.bay_health(target(server.address))
    assert answer.overall == health.UNKNOWN
    assert "MAX_RESPONSE_BYTES" in answer.reason
    # Reads never ask past the cap plus the one byte that shows it exceeded.
    assert bytes_read() == cap + 1
    assert done.wait(5)
    # The client hung up: the rest of the 50 MB was never sent.
    assert sum(sent) < total


def test_the_body_of_a_redirect_is_never_read(serve, bytes_read):
    total = 50 * 2**20
    sent = []
    done = threading.Event()
    lead = serve(leader)

    def follower(handler):
        handler.send_response(307)
        handler.send_header("Location", f"//{lead.address}/master/state-summary")
        handler.send_header("Content-Length", str(total))
        handler.end_headers()
        pour(handler, total, sent, done)

    follow = serve(follower)
    with override_settings(DCOS_DASHBOARD={"MAX_RESPONSE_BYTES": 2**20}):
        answer = mesos.bay_health(target(follow.address, lead.address))
    assert answer == health.summarize(SUMMARY, METRICS)
    # Only the leader's two bodies were read, none of the redirect's.
    assert bytes_read() == len(SUMMARY_BODY) + len(METRICS_BODY)
    assert done.wait(5)
    assert sum(sent) < total


def test_a_declared_oversized_body_is_not_read_at_all(serve, bytes_read):
    def declared(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", str(100 * 2**20))
        handler.end_headers()
        handler.wfile.write(b"{" * 65536)
        handler.server.stopping.wait(10 * TIMEOUT)

    server = serve(declared)
    started = time.monotonic()
    with override_settings(DCOS_DASHBOARD={"MAX_RESPONSE_BYTES": 2**20}):
        answer = mesos.bay_health(target(server.address))
    assert time.monotonic() - started < 2.5 * TIMEOUT
    assert answer.overall == health.UNKNOWN
    assert bytes_read() == 0


def test_invalid_json_over_real_sockets(serve):
    server = serve(lambda h: h.reply(SUMMARY_BODY[: len(SUMMARY_BODY) // 2]))
    answer = mesos.bay_health(target(server.address))
    assert answer.overall == health.UNKNOWN
    assert "Invalid JSON from the master" in answer.reason


def test_five_dead_masters_among_twenty_bays_cost_about_one_timeout(serve):
    dead = serve(silent)
    alive = serve(leader)
    targets = [target(dead.address, uuid=f"dead-{i}") for i in range(5)]
    targets += [target(alive.address, uuid=f"alive-{i}") for i in range(15)]
    started = time.monotonic()
    with override_settings(
        DCOS_DASHBOARD={
            "CONNECT_TIMEOUT": TIMEOUT,
            "READ_TIMEOUT": TIMEOUT,
            "HEALTH_WORKERS": 8,
        }
    ):
        answers = mesos.bays_health(targets)
    elapsed = time.monotonic() - started
    assert elapsed < 2.5 * TIMEOUT
    assert len(answers) == 20
    overall = {uuid: answer.overall for uuid, answer in answers.items()}
    assert {overall[f"dead-{i}"] for i in range(5)} == {health.UNREACHABLE}
    expected = health.summarize(SUMMARY, METRICS).overall
    assert {overall[f"alive-{i}"] for i in range(15)} == {expected}
    assert len(dead.seen) == 5


def test_concurrent_requests_for_one_bay_fetch_it_once(serve):
    def slow_leader(handler):
        handler.server.stopping.wait(0.3)
        leader(handler)

    server = serve(slow_leader)
    barrier = threading.Barrier(10)
    answers = []

    def ask():
        barrier.wait()
        answers.append(mesos.bay_health(target(server.address)))

    threads = [threading.Thread(target=ask) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert answers == [health.summarize(SUMMARY, METRICS)] * 10
    assert server.seen.count("/master/state-summary") == 1


def test_dcos_asks_its_four_paths_at_once(serve):
    """Each answer waits until all four requests are in: asked one after
    another, the first would time out and the bay read as unreachable."""
    all_in = threading.Barrier(4, timeout=4 * TIMEOUT)
    bodies = {
        "/mesos/master/state-summary": SUMMARY_BODY,
        "/mesos/metrics/snapshot": METRICS_BODY,
        "/system/health/v1/nodes": b'{"nodes": []}',
        "/system/health/v1/units": b'{"units": []}',
    }

    def dcos(handler):
        try:
            all_in.wait()
        except threading.BrokenBarrierError:
            handler.reply(b"{}", status=500)
            return
        handler.reply(bodies[handler.path])

    server = serve(dcos)
    answer = mesos.bay_health(mesos.Target("d", "dcos", server.address, ()))
    assert answer == health.summarize(SUMMARY, METRICS, {"nodes": []})
    assert sorted(server.seen) == sorted(bodies)


def test_the_collector_is_running_after_every_fetch(serve):
    # Decoding and summarising pause the cyclic collector; whatever the
    # outcome, it must run again afterwards.
    assert gc.isenabled()
    good = serve(leader)
    garbled = serve(lambda h: h.reply(b'{"slaves": ['))
    nan = serve(lambda h: h.reply(b'{"slaves": [{"active": true, "id": NaN}]}'))
    for server in (good, garbled, nan):
        mesos.bay_health(target(server.address))
        assert gc.isenabled()
    mesos.cached_bay_health(target(good.address))
    mesos.bays_health([target(good.address), target(nan.address, uuid="other")])
    assert gc.isenabled()
