"""Benchmark: how many Magnum and Mesos requests a page costs.

Figure 4 (``calls``), counted, not timed: Magnum requests at the counting
proxy that stands in Magnum's place in the catalog (bench/cloud.py), Mesos
and DC/OS requests at the simulator's ``/_sandbox/stats``.

- The Bays index of projects of 10, 100 and 500 bays, loaded in Chromium
  until every Health cell is filled, health cache cold, then again warm.
  Goal: the same numbers for every project size.
- The detail page of a bay with 10,000 agents and its Nodes tab (loaded by
  ajax when opened), cold and warm; with their server times for context.
- 20 logged-in sessions asking the health view of the same 20 bays all at
  once, cache cold. Goal: one state-summary fetch per bay.

Run: ``.venv/bin/python -m bench calls``.
"""

from __future__ import annotations

import concurrent.futures
import random
import statistics
import threading
import time
from collections import Counter

import requests

from bench.bench_pages import (
    HEALTH_CACHE_SECONDS,
    HEALTH_CELL,
    HEALTH_DONE,
    OURS_ROWS,
    PAGE_SIZE,
)
from bench.cloud import BenchCloud, Probe
from tests.horizon_login import horizon_login

SIZES = (10, 100, 500)
AGENTS = 10_000
USERS = 20
STATE_SUMMARY = "/mesos/master/state-summary"
# Issue 14: the index and all its Health cells (one batch request).
MAGNUM_GOAL = 3


def _mesos(cloud: BenchCloud) -> tuple[int, int, int]:
    """(all requests, state-summary fetches, bays asked) since the last reset."""
    stats = cloud.mesos_stats()
    total = sum(sum(c.values()) for c in stats.values())
    summaries = sum(c[STATE_SUMMARY] for c in stats.values())
    return total, summaries, sum(1 for c in stats.values() if c)


def _magnum(counts: Counter) -> str:
    groups = Counter()
    for path, n in counts.items():
        kind = {
            "GET /v1/clusters/detail": "list",
            "GET /v1/clusters": "list",
            "GET /v1/clustertemplates/detail": "models",
            "GET /v1/clustertemplates": "models",
            "GET /v1/clusters/{id}": "bay",
            "GET /v1/clustertemplates/{id}": "model",
        }.get(path, path)
        groups[kind] += n
    shown = ", ".join(f"{kind} {n}" for kind, n in sorted(groups.items()))
    return f"{sum(counts.values()):3d} ({shown})"


def index_calls(cloud: BenchCloud) -> list[str]:
    print("\n== 4. Calls per page")
    print(
        "Bays index, first page + Health cells (Chromium); Magnum: list/models"
        " per page, and the Health batch's list of the same page"
    )
    print(
        f"{'bays':>5} {'cache':5} {'Magnum requests':<40} Mesos (state-summary, bays)"
    )
    cold = {}
    for size in SIZES:
        name = f"bays{size}"
        account, uuids = cloud.project(name, size)
        probe = Probe(cloud.browser())
        cloud.login(probe.driver, cloud.horizon, account)
        probe.arm(OURS_ROWS, min(PAGE_SIZE, size), HEALTH_CELL, HEALTH_DONE)
        cloud.wait_cold(name, HEALTH_CACHE_SECONDS)
        for cache in ("cold", "warm"):
            cloud.reset_counts()
            probe.load(f"{cloud.horizon}/project/dcos_bays/", cells=True)
            cloud.loaded(name)
            magnum = _magnum(cloud.counter.snapshot())
            total, summaries, bays = _mesos(cloud)
            print(f"{size:5d} {cache:5} {magnum:<40} {total:3d} ({summaries}, {bays})")
            if cache == "cold":
                cold[size] = (sum(cloud.counter.snapshot().values()), total)
        probe.driver.quit()
        cloud.drivers.remove(probe.driver)
    worst = max(m for m, _n in cold.values())
    met = "met" if worst <= MAGNUM_GOAL else "not met"
    print(
        f"goal: at most {MAGNUM_GOAL} Magnum requests for a cold index with its"
        f" Health cells, whatever the project's size (issue 14): {met}"
    )
    shown = ", ".join(f"{size}: {m}/{n}" for size, (m, n) in cold.items())
    return [
        f"4. index + Health cells, cold, Magnum/Mesos requests by bays in the"
        f" project: {shown} (goal: Magnum <= {MAGNUM_GOAL}): {met}"
    ]


def _session(cloud: BenchCloud, account, base: str | None = None) -> requests.Session:
    """A session logged in through Horizon's form (``base``: another Horizon)."""
    session, response = horizon_login(
        base or cloud.horizon, account.user, account.password
    )
    response.raise_for_status()
    if "/auth/login" in response.url:
        raise RuntimeError(f"Horizon refused the login of {account.user}")
    return session


def _timed_get(session, url, **kw) -> tuple[requests.Response, float]:
    started = time.perf_counter()
    response = session.get(url, timeout=120, **kw)
    response.raise_for_status()
    return response, time.perf_counter() - started


def detail_calls(cloud: BenchCloud) -> list[str]:
    account, uuids = cloud.project("agents10k", 3)
    bay = uuids[0]
    cloud.knobs(bay, agents=AGENTS)
    session = _session(cloud, account)
    base = f"{cloud.horizon}/project/dcos_bays"
    xhr = {"X-Requested-With": "XMLHttpRequest"}
    print(f"\nDetail of a bay with {AGENTS:,} agents (requests, not a browser)")
    print(f"{'':24} {'Magnum requests':<30} {'Mesos':>5}  server time")
    timings = {}
    steps = (
        ("detail page", f"{base}/{bay}/", {}),
        ("Nodes tab, cold", f"{base}/{bay}/?tab=bay_details__nodes", xhr),
        ("Nodes tab, warm", f"{base}/{bay}/?tab=bay_details__nodes", xhr),
        ("Nodes tab, page 50", f"{base}/{bay}/?tab=bay_details__nodes&page=50", xhr),
        ("health view, warm", f"{base}/{bay}/health?coe=dcos", {}),
        ("1-agent bay: health cold", f"{base}/{uuids[1]}/health?coe=dcos", {}),
        ("1-agent bay: health warm", f"{base}/{uuids[1]}/health?coe=dcos", {}),
    )
    for label, url, headers in steps:
        cloud.reset_counts()
        _response, seconds = _timed_get(session, url, headers=headers)
        total, _summaries, _bays = _mesos(cloud)
        timings[label] = (sum(cloud.counter.snapshot().values()), total, seconds)
        print(
            f"{label:24} {_magnum(cloud.counter.snapshot()):<30} {total:5d}"
            f"  {seconds * 1000:6.0f} ms"
        )
    cloud.loaded("agents10k")
    # The index reads every row's health from the cache: with this bay on
    # its page, what does a warm index cost against one without it?
    index = []
    for agents in (0, AGENTS):
        cloud.knobs(bay, agents=agents or None)
        cloud.wait_cold("agents10k", HEALTH_CACHE_SECONDS)
        for url in [f"{base}/{u}/health?coe=dcos" for u in uuids]:
            _timed_get(session, url)
        cloud.loaded("agents10k")
        index.append(
            statistics.median(_timed_get(session, f"{base}/")[1] for _ in range(5))
        )
    print(
        f"index page, warm cache: {index[0] * 1000:.0f} ms with 1-agent bays,"
        f" {index[1] * 1000:.0f} ms with the {AGENTS:,}-agent bay among them"
        f" (ratio {index[1] / index[0]:.2f})"
    )
    magnum, mesos_calls, cold_s = timings["Nodes tab, cold"]
    warm_s = timings["Nodes tab, warm"][2]
    return [
        f"4. {AGENTS:,}-agent bay: Nodes tab cold {magnum} Magnum +"
        f" {mesos_calls} Mesos requests, {cold_s * 1000:.0f} ms; warm 0 Mesos,"
        f" {warm_s * 1000:.0f} ms; warm index with it / without"
        f" {index[1] / index[0]:.2f} x",
    ]


def concurrent_users(cloud: BenchCloud) -> list[str]:
    account, uuids = cloud.project("bays500", 500)
    # The second page: bays no page has asked for yet, so the cache is cold.
    bays = uuids[PAGE_SIZE : 2 * PAGE_SIZE]
    sessions = [_session(cloud, account) for _ in range(USERS)]
    base = f"{cloud.horizon}/project/dcos_bays"
    ready = threading.Barrier(USERS)

    def user(index):
        session = sessions[index]
        order = list(bays)
        random.Random(index).shuffle(order)  # noqa: S311 - an order, not a secret
        ready.wait()
        seconds = []
        for uuid in order:
            seconds.append(_timed_get(session, f"{base}/{uuid}/health?coe=dcos")[1])
        return seconds

    cloud.reset_counts()
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(USERS) as pool:
        seconds = [
            s for user_seconds in pool.map(user, range(USERS)) for s in user_seconds
        ]
    wall = time.perf_counter() - started
    stats = cloud.mesos_stats()
    per_bay = [stats.get(uuid, Counter())[STATE_SUMMARY] for uuid in bays]
    magnum = sum(cloud.counter.snapshot().values())
    print(
        f"\n{USERS} sessions x {len(bays)} health views at once (cold cache):"
        f" {len(seconds)} requests in {wall:.1f} s,"
        f" median {statistics.median(seconds) * 1000:.0f} ms"
    )
    print(
        f"state-summary fetches per bay: max {max(per_bay)}, total {sum(per_bay)}"
        f" for {len(bays)} bays (goal: at most 1 per bay per"
        f" {HEALTH_CACHE_SECONDS} s); Magnum requests {magnum}"
        f" ({magnum / len(seconds):.0f} per health view)"
    )
    cloud.loaded("bays500")
    return [
        f"4. {USERS} sessions x {len(bays)} bays at once: state-summary fetches"
        f" per bay max {max(per_bay)} (goal <= 1)"
    ]


def calls(cloud: BenchCloud) -> list[str]:
    """Figure 4: Magnum and Mesos requests per page, and per bay at once."""
    return index_calls(cloud) + detail_calls(cloud) + concurrent_users(cloud)
