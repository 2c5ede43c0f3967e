"""api/mesos with black-holed and hung masters, on real sockets (issue 14, item 6).

A black hole accepts no TCP connection at all: a listener on 127.0.0.1
whose accept queue is full, so the kernel drops every new SYN. A hung
master accepts and never answers. Neither may hold up another bay's answer;
a hung bay whose last answer is known shows it at once, marked stale, while
one worker asks again, and its own verdict comes within the timeouts.
"""

from __future__ import annotations

import contextlib
import dataclasses
import socket
import threading
import time

import pytest
from django.test import override_settings

from dcos_dashboard import health
from dcos_dashboard.api import mesos
from tests.unit.test_mesos_client_http import (  # noqa: F401 - fixtures
    METRICS_BODY,
    SUMMARY,
    SUMMARY_BODY,
    TIMEOUT,
    serve,
    short_limits,
)

HEALTHY = health.summarize(SUMMARY, {"master/elected": 1.0})
# Answers past their period within the test: each bay is asked again.
SHORT_PERIOD = {
    "CONNECT_TIMEOUT": TIMEOUT,
    "READ_TIMEOUT": TIMEOUT,
    "HEALTH_CACHE_SECONDS": 0.2,
}


@contextlib.contextmanager
def black_hole():
    """host:port of a listener that completes no new TCP handshake."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    address = listener.getsockname()
    fillers = []
    try:
        for _ in range(4):
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(address)
            fillers.append(filler)
        time.sleep(0.1)
        with pytest.raises(TimeoutError):  # the hole is really closed
            socket.create_connection(address, 0.2).close()
        yield f"{address[0]}:{address[1]}"
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


class Switch:
    """A master that answers, and hangs once told to (accepts, says nothing)."""

    def __init__(self, serve):  # noqa: F811
        self.hung = threading.Event()
        self.asked = threading.Event()

        def behaviour(handler):
            if self.hung.is_set():
                self.asked.set()
                handler.server.stopping.wait(10 * TIMEOUT)
                return
            if handler.path == "/master/state-summary":
                handler.reply(SUMMARY_BODY)
            else:
                handler.reply(METRICS_BODY)

        self.server = serve(behaviour)
        self.address = self.server.address


def target(address, uuid):
    return mesos.Target(uuid, "mesos", None, (address,))


def in_thread(function, *args):
    result = {}
    thread = threading.Thread(
        target=lambda: result.setdefault("answer", function(*args))
    )
    thread.start()
    return thread, result


def test_a_black_hole_is_unreachable_within_the_connect_timeout():
    with black_hole() as address:
        answer = mesos.bay_health(target(address, "hole"))
    assert answer.overall == health.UNREACHABLE
    assert "did not accept a connection within 0.5 seconds" in answer.reason


def test_a_black_hole_holds_no_other_bay(serve):  # noqa: F811
    good = Switch(serve)
    with black_hole() as address:
        hole, result = in_thread(mesos.bay_health, target(address, "hole"))
        answer = mesos.bay_health(target(good.address, "good"))
        # The other bay answered while the black hole was still being waited on.
        assert hole.is_alive()
        hole.join(10)
    assert answer == HEALTHY
    assert result["answer"].overall == health.UNREACHABLE


def test_a_page_of_bays_with_hung_and_black_holed_masters(serve):  # noqa: F811
    good, hung = Switch(serve), Switch(serve)
    hung.hung.set()
    with black_hole() as address:
        answers = mesos.bays_health(
            [
                target(good.address, "good"),
                target(hung.address, "hung"),
                target(address, "hole"),
            ],
            nodes=False,
        )
    assert answers["good"] == dataclasses.replace(HEALTHY, nodes=())
    assert answers["hung"].overall == health.UNREACHABLE
    assert "did not answer within 0.5 seconds" in answers["hung"].reason
    assert answers["hole"].overall == health.UNREACHABLE
    assert "did not accept a connection" in answers["hole"].reason


@pytest.mark.parametrize("nodes", [True, False])
def test_a_hung_bay_shows_its_last_known_answer_at_once(serve, nodes):  # noqa: F811
    master = Switch(serve)
    bay = target(master.address, "bay")
    with override_settings(DCOS_DASHBOARD=SHORT_PERIOD):
        assert mesos.bay_health(bay) == HEALTHY
        time.sleep(0.3)  # the answer is past its period: the bay is asked again
        master.hung.set()
        holder, result = in_thread(mesos.bay_health, bay)
        assert master.asked.wait(5)

        meanwhile = mesos.bay_health(bay, nodes=nodes)

        # Served while the holder still waits on the hung master.
        assert holder.is_alive()
        assert isinstance(meanwhile, mesos.StaleHealth)
        assert meanwhile.overall == health.HEALTHY
        assert bool(meanwhile.nodes) is nodes
        holder.join(10)
        # The final verdict, within the read timeout, for everyone.
        assert result["answer"].overall == health.UNREACHABLE
        final = mesos.bay_health(bay, nodes=nodes)
    assert not isinstance(final, mesos.StaleHealth)
    assert final.overall == health.UNREACHABLE
    assert "did not answer within" in final.reason


def test_a_page_answers_without_waiting_for_a_hung_master(serve):  # noqa: F811
    good, hung = Switch(serve), Switch(serve)
    hung.hung.set()
    bays = [target(good.address, "good"), target(hung.address, "hung")]

    answers = mesos.bays_health(bays, nodes=False, wait=0.4)

    assert set(answers) == {"good"}
    # The late fetch runs on, within its timeouts, and fills the cache.
    deadline = time.monotonic() + 10
    late = None
    while late is None and time.monotonic() < deadline:
        late = mesos.cached_bay_health(bays[1], nodes=False)
        time.sleep(0.05)
    assert late is not None
    assert late.overall == health.UNREACHABLE


def _health_threads():
    return [t for t in threading.enumerate() if t.name.startswith("dcos-health")]


def test_asking_again_while_a_fetch_runs_leaves_only_that_fetch(serve):  # noqa: F811
    # A page re-asks a hung bay every few hundred ms: each ask waits its
    # own short while for the one fetch under way and then lets go, so the
    # threads left running are that fetch's, not one more per ask.
    hung = Switch(serve)
    hung.hung.set()
    bay = target(hung.address, "hung")
    with override_settings(
        DCOS_DASHBOARD={"CONNECT_TIMEOUT": TIMEOUT, "READ_TIMEOUT": 4 * TIMEOUT}
    ):
        assert mesos.bays_health([bay], nodes=False, wait=0.1) == {}
        assert hung.asked.wait(5)
        for _ in range(3):
            assert mesos.bays_health([bay], nodes=False, wait=0.1) == {}
        time.sleep(0.3)
        assert len(_health_threads()) == 1
        assert hung.server.seen.count("/master/state-summary") == 1
        deadline = time.monotonic() + 10
        while _health_threads() and time.monotonic() < deadline:
            time.sleep(0.05)
        late = mesos.cached_bay_health(bay, nodes=False)
    assert late is not None and late.overall == health.UNREACHABLE


def test_hung_masters_take_no_pool_thread_another_bay_needs(serve):  # noqa: F811
    # A page's batch asks with a wait: hung masters first in the page, and
    # fewer HEALTH_WORKERS than them, still leave every good bay answered.
    hung = [Switch(serve) for _ in range(3)]
    for master in hung:
        master.hung.set()
    good = [Switch(serve) for _ in range(3)]
    bays = [target(m.address, f"hung{i}") for i, m in enumerate(hung)]
    bays += [target(m.address, f"good{i}") for i, m in enumerate(good)]
    with override_settings(
        DCOS_DASHBOARD={
            "CONNECT_TIMEOUT": TIMEOUT,
            "READ_TIMEOUT": 10 * TIMEOUT,
            "HEALTH_WORKERS": 2,
        }
    ):
        answers = mesos.bays_health(bays, nodes=False, wait=2.0)
    assert set(answers) == {"good0", "good1", "good2"}


def test_a_page_shows_a_late_bays_last_known_answer(serve):  # noqa: F811
    master = Switch(serve)
    bay = target(master.address, "bay")
    with override_settings(DCOS_DASHBOARD=SHORT_PERIOD):
        assert mesos.bays_health([bay], nodes=False, wait=2.0)["bay"].overall == (
            health.HEALTHY
        )
        time.sleep(0.3)
        master.hung.set()

        answers = mesos.bays_health([bay], nodes=False, wait=0.1)

    assert isinstance(answers["bay"], mesos.StaleHealth)
    assert answers["bay"].overall == health.HEALTHY


def test_a_bay_last_known_unreachable_holds_no_page(serve):  # noqa: F811
    # Its master failed last time: the page answers once the others are in,
    # with that answer marked stale, while the bay is asked again.
    good, hung = Switch(serve), Switch(serve)
    hung.hung.set()
    bays = [target(good.address, "good"), target(hung.address, "hung")]
    with override_settings(DCOS_DASHBOARD=SHORT_PERIOD):
        first = mesos.bays_health(bays, nodes=False, wait=5.0)
        assert first["hung"].overall == health.UNREACHABLE
        time.sleep(0.3)

        answers = mesos.bays_health(bays, nodes=False, wait=5.0)

        assert not isinstance(answers["good"], mesos.StaleHealth)
        assert answers["good"].overall == health.HEALTHY
        # Answered before its fetch could end (READ_TIMEOUT).
        assert isinstance(answers["hung"], mesos.StaleHealth)
        assert answers["hung"].overall == health.UNREACHABLE
        deadline = time.monotonic() + 10
        while _health_threads() and time.monotonic() < deadline:
            time.sleep(0.05)
