"""api/mesos across processes: one fetch per bay per period on a real memcached.

Horizon runs several workers sharing one memcached (Django's
``PyMemcacheCache``, Horizon's default). Here separate Python processes play
the workers, a real ``/usr/bin/memcached`` on a free 127.0.0.1 port is the
shared cache, and a master on 127.0.0.1 counts what it is asked: two
processes racing fetch once, a lease holder killed mid-fetch is taken over
after the lease's seconds, memcached stopped mid-test costs no exception,
one log line, and still a bounded number of fetches.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import override_settings

from dcos_dashboard import health
from dcos_dashboard.api import mesos
from dcos_dashboard.api.mesos import shared
from tests.unit.test_mesos_client_http import (  # noqa: F401 - fixture
    METRICS_BODY,
    SUMMARY,
    SUMMARY_BODY,
    free_port,
    serve,
)

MEMCACHED = "/usr/bin/memcached"
ROOT = Path(__file__).resolve().parents[2]
HEALTHY = health.summarize(SUMMARY, json.loads(METRICS_BODY))

pytestmark = pytest.mark.skipif(
    not os.access(MEMCACHED, os.X_OK), reason="needs Debian's memcached"
)


class Memcached:
    def __init__(self, *options):
        self.options = list(options)
        self.port = free_port()
        self.process = None
        # Every process of one test shares the keys; no test sees another's.
        self.prefix = f"test-{os.getpid()}-{time.monotonic_ns()}"

    def start(self):
        command = [MEMCACHED, "-l", "127.0.0.1", "-p", str(self.port), "-U", "0"]
        command += self.options
        if os.geteuid() == 0:  # memcached refuses root without a user to become
            command += ["-u", "nobody"]
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.02)
        raise RuntimeError("memcached did not start")

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)

    @property
    def caches(self):
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
                "LOCATION": f"127.0.0.1:{self.port}",
                "KEY_PREFIX": self.prefix,
            }
        }


@pytest.fixture
def memcached():
    server = Memcached()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def counting_master(serve, delay=0.0, hang_first=False):  # noqa: F811
    """A Mesos leader that counts state-summaries; slow, or hung once."""

    def behaviour(handler):
        if handler.path == "/master/state-summary":
            with handler.server.lock:
                handler.server.summaries += 1
                first = handler.server.summaries == 1
            if hang_first and first:
                handler.server.stopping.wait(60)
                return
            time.sleep(delay)
            handler.reply(SUMMARY_BODY)
        elif handler.path == "/metrics/snapshot":
            handler.reply(METRICS_BODY)
        else:
            handler.reply(b"{}", status=404)

    server = serve(behaviour)
    server.summaries = 0
    return server


WORKER = """
import json, sys, threading, time
import django
from django.conf import settings
args = json.loads(sys.argv[1])
settings.configure(
    CACHES=args["caches"], DCOS_DASHBOARD=args["dashboard"], USE_I18N=True,
    LANGUAGE_CODE="en", INSTALLED_APPS=[],
)
django.setup()
from dcos_dashboard.api import mesos
from dcos_dashboard.api.mesos import shared
target = mesos.Target("bay-1", "mesos", None, (args["master"],))
print("ready", flush=True)
sys.stdin.readline()
answers = []
def ask():
    started = time.monotonic()
    answer = mesos.bay_health(target)
    answers.append([answer.overall, bool(getattr(answer, "stale", False)),
                    time.monotonic() - started])
threads = [threading.Thread(target=ask) for _ in range(args["threads"])]
for thread in threads: thread.start()
for thread in threads: thread.join()
print(json.dumps(answers), flush=True)
"""


class Worker:
    """A Horizon worker stand-in: its own process, the shared memcached."""

    def __init__(self, memcached, master, dashboard, threads=4):
        arguments = {
            "caches": memcached.caches,
            "dashboard": dashboard,
            "master": master.address,
            "threads": threads,
        }
        self.process = subprocess.Popen(
            [sys.executable, "-c", WORKER, json.dumps(arguments)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=ROOT,
            text=True,
        )
        assert self.process.stdout.readline().strip() == "ready"

    def go(self):
        self.process.stdin.write("\n")
        self.process.stdin.flush()

    def answers(self, timeout=60):
        out, _err = self.process.communicate(timeout=timeout)
        assert self.process.returncode == 0
        return json.loads(out.strip().splitlines()[-1])

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)


def test_two_processes_racing_fetch_once(serve, memcached):  # noqa: F811
    master = counting_master(serve, delay=1.0)
    dashboard = {"HEALTH_CACHE_SECONDS": 30, "READ_TIMEOUT": 5}
    workers = [Worker(memcached, master, dashboard) for _ in range(2)]
    for worker in workers:
        worker.go()
    answers = [answer for worker in workers for answer in worker.answers()]

    assert master.summaries == 1
    # Nobody had a last known answer: everyone waited for the one fetch.
    assert [(overall, stale) for overall, stale, _s in answers] == [
        (health.HEALTHY, False)
    ] * 8


def test_a_killed_lease_holder_blocks_the_bay_for_the_lease_only(
    serve,  # noqa: F811
    memcached,
):
    master = counting_master(serve, hang_first=True)
    # A long READ_TIMEOUT: only the lease's 2 s can free the bay soon.
    dashboard = {"HEALTH_CACHE_SECONDS": 30, "READ_TIMEOUT": 30}
    holder = Worker(memcached, master, dict(dashboard, HEALTH_LEASE_SECONDS=2), 1)
    holder.go()
    deadline = time.monotonic() + 10
    while master.summaries == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    holder.kill()  # mid-fetch, lease held

    other = Worker(memcached, master, dict(dashboard, HEALTH_LEASE_SECONDS=2), 2)
    other.go()
    answers = other.answers()

    assert master.summaries == 2  # the dead holder's, then one take-over
    assert [(overall, stale) for overall, stale, _s in answers] == [
        (health.HEALTHY, False)
    ] * 2
    # Free after the lease's 2 s, long before the 30 s a read could take.
    assert max(seconds for _o, _s, seconds in answers) < 15


def test_memcached_stopped_mid_test_is_a_miss_not_an_error(
    serve,  # noqa: F811
    memcached,
    caplog,
):
    master = counting_master(serve)
    target = mesos.Target("bay-1", "mesos", None, (master.address,))
    dashboard = {"HEALTH_CACHE_SECONDS": 30, "READ_TIMEOUT": 1}
    with override_settings(CACHES=memcached.caches, DCOS_DASHBOARD=dashboard):
        assert mesos.bay_health(target) == HEALTHY
        assert master.summaries == 1
        memcached.stop()
        caplog.set_level(logging.INFO, logger="dcos_dashboard.api.mesos")
        answers, errors = [], []

        def ask():
            try:
                answers.append(mesos.bay_health(target))
                answers.append(mesos.bays_health([target], nodes=False)["bay-1"])
                answers.append(mesos.cached_bay_health(target))
            except Exception as exc:  # noqa: BLE001 - the point of the test
                errors.append(exc)

        threads = [threading.Thread(target=ask) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert errors == []
        fetched = [a for a in answers if a is not None]
        assert {a.overall for a in fetched} == {health.HEALTHY}
        # This process fetched once more on its own, then kept the answer.
        assert master.summaries == 2
        down = [r for r in caplog.records if "shared cache" in r.getMessage()]
        assert len(down) == 1
        assert down[0].levelno == logging.WARNING
        assert "not answering" in down[0].getMessage()

        memcached.start()
        caplog.clear()
        deadline = time.monotonic() + 15
        while shared.is_down() and time.monotonic() < deadline:
            mesos.bay_health(target)
            time.sleep(0.1)
        back = [r for r in caplog.records if "answers again" in r.getMessage()]
        assert len(back) == 1
        # A restarted memcached is empty: one fetch fills it again.
        assert master.summaries == 3


def test_an_answer_too_large_for_memcached_is_not_a_cache_down(
    serve,  # noqa: F811
    caplog,
):
    # Items of 1 KB at most: the nodes of 40 agents do not fit, their overview does.
    small = Memcached("-I", "1k", "-o", "slab_chunk_max=512")
    small.start()
    agents = [dict(SUMMARY["slaves"][0], id=f"S{i}") for i in range(40)]
    body = json.dumps(dict(SUMMARY, slaves=agents)).encode()
    summaries = []

    def behaviour(handler):
        if handler.path == "/master/state-summary":
            summaries.append(1)
            handler.reply(body)
        else:
            handler.reply(METRICS_BODY)

    master = serve(behaviour)
    target = mesos.Target("bay-1", "mesos", None, (master.address,))
    try:
        with override_settings(
            CACHES=small.caches, DCOS_DASHBOARD={"HEALTH_CACHE_SECONDS": 30}
        ):
            first = mesos.bay_health(target)
            assert len(first.nodes) == 40
            assert not shared.is_down()
            assert mesos.cached_bay_health(target, nodes=False) is not None
            assert mesos.cached_bay_health(target) is None  # refused, not an error
            mesos.bays_health([target], nodes=False)
    finally:
        small.stop()
    assert len(summaries) == 1  # the list was served from the shared overview
    assert not [r for r in caplog.records if "not answering" in r.getMessage()]
    assert [r for r in caplog.records if "item size" in r.getMessage()]


@pytest.fixture(autouse=True)
def _cache_state(monkeypatch):
    """Each test starts with the cache up; a down cache is retried soon."""
    monkeypatch.setattr(shared, "_RETRY_SECONDS", 0.2)
    monkeypatch.setattr(shared, "_down", False)
    monkeypatch.setattr(shared, "_retry_at", 0.0)


def test_zero_cache_seconds_never_queues_behind_a_slow_fetch(serve):  # noqa: F811
    master = counting_master(serve, delay=1.0)
    target = mesos.Target("bay-1", "mesos", None, (master.address,))
    cache.clear()

    def wave(count):
        answers = []
        threads = [
            threading.Thread(target=lambda: answers.append(mesos.bay_health(target)))
            for _ in range(count)
        ]
        for thread in threads:
            thread.start()
            time.sleep(0.02)  # all arrive while the first one is fetching
        for thread in threads:
            thread.join()
        return answers

    with override_settings(DCOS_DASHBOARD={"HEALTH_CACHE_SECONDS": 0}):
        first = wave(6)
        # Every waiter took the one fetch's answer: no fetch each, in turn.
        assert master.summaries == 1
        assert first == [HEALTHY] * 6
        second = wave(6)
    cache.clear()

    assert master.summaries == 2
    # The one that fetched answers fresh; the others had the last known
    # answer at once, marked stale, instead of waiting in line.
    assert (
        sorted(bool(getattr(a, "stale", False)) for a in second) == [False] + [True] * 5
    )
    assert {a.overall for a in second} == {health.HEALTHY}


class Clock:
    """pymemcache's HashClient reads ``time.time()`` to retry a failed server
    and to bring a dead one back; this one moves only when told."""

    def __init__(self):
        self.now = 1_000_000.0

    def time(self):
        return self.now


def out_of_rotation(cache_, clock) -> bool:
    """Ask a stopped memcached, a second and a half apart, until the client
    takes it out of rotation (it then answers without trying it)."""
    from pymemcache.exceptions import MemcacheError

    for _ in range(10):
        try:
            cache_.get("key")
        except MemcacheError as error:
            if "All servers seem to be down" in str(error):
                return True
        except OSError:
            pass
        clock.now += 1.5
    return False


def test_a_restarted_memcached_is_used_again_within_the_dead_period(
    memcached, monkeypatch
):
    """Horizon's settings (devenv, README) give each client a short
    dead-server period: once memcached is back, pages read it again within
    MEMCACHED_DEAD_SECONDS, where pymemcache's own default (60 s) would have
    every Horizon thread ignore it, and fetch health on its own, a minute."""
    from django.core.cache.backends.memcached import PyMemcacheCache
    from pymemcache.client import hash as hash_client
    from pymemcache.exceptions import MemcacheError

    from devenv.settings_common import MEMCACHED_DEAD_SECONDS, MEMCACHED_OPTIONS

    clock = Clock()
    monkeypatch.setattr(hash_client, "time", clock)
    location = f"127.0.0.1:{memcached.port}"
    ours = PyMemcacheCache(location, {"OPTIONS": MEMCACHED_OPTIONS})
    default = PyMemcacheCache(location, {"OPTIONS": {"timeout": 1.0}})
    for cache_ in (ours, default):
        cache_.set("key", "value")

    memcached.stop()
    assert out_of_rotation(ours, clock) and out_of_rotation(default, clock)
    memcached.start()  # the same port, empty, as a restarted memcached is
    clock.now += MEMCACHED_DEAD_SECONDS + 1

    ours.set("key", "again")
    assert ours.get("key") == "again"
    with pytest.raises(MemcacheError, match="All servers seem to be down"):
        default.get("key")
