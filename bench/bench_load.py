"""Benchmark: the Bays list and its Health cells under 20 logged-in users.

Figure 6 (``load``, issue 19): 20 ``requests`` sessions, each logged in
through Horizon's form, for 60 s: each loads the Bays index of a project of
20 bays (some faulty: 2 dead masters, 1 hung master, 1 without a leader),
then, as a browser does after the page, the Health cells the page left
pending (in one batch request, as dcos_bays.js asks them; one by one, 6
at a time, for a page without the batch), then again. Horizon
runs in the bench cloud exactly as ``make run`` serves it: the worker and
thread counts printed are read from the command that started it, so the
figure follows the deployed shape. Reported: the list's p50 and p95, the
cells' p50, and errors (an HTTP status >= 400 or no answer within 60 s).
Goal: list p95 <= 1.0 s, 0 errors.

Beside it, where the machine's cores went during the run: the CPU seconds
of each service's processes (Horizon's workers, Keystone, the stand-ins,
memcached) and of this process (the 20 users and the counting proxy in
Magnum's place), read from ``/proc``; and the cores' capacity (cores x
wall). The users ask without think time (a closed loop), so the pages queue
for CPU: a list's time is about its share of that work, not one page alone.

Only the goal's terms are printed against it; nothing here asserts on time.
Run: ``.venv/bin/python -m bench load``.
"""

from __future__ import annotations

import concurrent.futures
import html
import os
import re
import statistics
import threading
import time
from urllib.parse import urlencode

import requests

from bench.bench_calls import _session
from bench.cloud import BenchCloud, log
from devenv import run as devenv

USERS = 20
SECONDS = 60.0
BAYS = 20
CONNECTIONS = 6  # a browser's connections to one host
FAULTS = (
    {"master_down": True},
    {"master_down": True},
    {"slow_seconds": 120},  # hung: only the read timeout ends it
    {"no_leader": True},
)
_PENDING = re.compile(r'data-dcos-health-url="([^"]+)"')
_BAY = re.compile(r'data-dcos-health-bay="([^"]+)"')
_BATCH = re.compile(r'data-dcos-health-batch="([^"]+)"')


def horizon_shape(cloud: BenchCloud) -> str:
    """Workers and threads of the Horizon that serves the figure."""
    argv = devenv.horizon_command(cloud.config, cloud.workers)

    def option(name, default="?"):
        # gunicorn parses with argparse: the last occurrence wins.
        at = [i for i, arg in enumerate(argv) if arg == name]
        return argv[at[-1] + 1] if at else default

    return f"{option('--workers', '1')} worker(s) x {option('--threads', '1')} threads"


# What each service's command line holds (bench/cloud.py starts them).
_SERVICES = (
    ("Horizon", "devenv.wsgi"),
    ("Keystone", "keystone"),
    ("stand-ins", "dcos_sandbox.server"),
    ("memcached", "memcached"),
)


def cpu_seconds(cloud: BenchCloud) -> dict[str, float]:
    """CPU seconds (user + system) used so far by each of the cloud's
    services (every process of its session: gunicorn's workers too), by this
    process ("bench"); and the machine's busy and idle seconds, all cores
    together ("busy", "idle")."""
    tick = os.sysconf("SC_CLK_TCK")
    sessions = {}
    for proc in cloud.procs:
        argv = " ".join(map(str, proc.args))
        sessions[proc.pid] = next((n for n, key in _SERVICES if key in argv), "other")
    used: dict[str, float] = {}
    own = os.getpid()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read().decode(errors="replace")
        except OSError:  # gone meanwhile
            continue
        # After the command's name: state, ppid, pgrp, session, ... utime (11).
        fields = stat[stat.rindex(")") + 2 :].split()
        seconds = (int(fields[11]) + int(fields[12])) / tick
        name = "bench" if int(entry) == own else sessions.get(int(fields[3]))
        if name is None:  # the neighbours: counted below, from the total
            continue
        used[name] = used.get(name, 0.0) + seconds
    # The machine's idle time: what "other" misses (processes that ended
    # during the run, the neighbours' short test runs) shows as less idle.
    with open("/proc/stat") as f:
        cpu = f.readline().split()
    ticks = [int(n) for n in cpu[1:9]]
    used["idle"] = (ticks[3] + ticks[4]) / tick
    used["busy"] = (sum(ticks) - ticks[3] - ticks[4]) / tick
    return used


def cpu_spent(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """CPU seconds each name used between two readings. "other" is the
    machine's busy time less ours: the neighbours, also those whose
    processes ended in between (which a sum over /proc misses)."""
    ours = [n for n, _ in _SERVICES] + ["bench"]
    spent = {n: max(0.0, after.get(n, 0.0) - before.get(n, 0.0)) for n in ours}
    busy = after.get("busy", 0.0) - before.get("busy", 0.0)
    spent["other"] = max(0.0, busy - sum(spent.values()))
    spent["idle"] = max(0.0, after.get("idle", 0.0) - before.get("idle", 0.0))
    return spent


def cpu_line(spent: dict[str, float], wall: float) -> str:
    """'Horizon 61 s, Keystone 9 s, ...; capacity 134 s (2 cores x 67 s)'."""
    cores = os.cpu_count() or 1
    parts = ", ".join(f"{n} {s:.0f} s" for n, s in spent.items())
    return f"{parts}; capacity {cores * wall:.0f} s ({cores} cores x {wall:.0f} s)"


def _percentile(values, q) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def load(cloud: BenchCloud) -> list[str]:
    shape = horizon_shape(cloud)
    print(
        f"\n== 6. Load: {USERS} users x {SECONDS:.0f} s on the Bays list and its"
        f" Health cells, {BAYS} bays ({len(FAULTS)} faulty); Horizon {shape}"
    )
    account, uuids = cloud.project("load20", BAYS)
    for uuid, knobs in zip(uuids[1::5], FAULTS, strict=False):
        cloud.knobs(uuid, **knobs)
    sessions = [_session(cloud, account) for _ in range(USERS)]
    base = cloud.horizon
    lists: list[float] = []
    cells: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    ready = threading.Barrier(USERS)

    def timed(session, url):
        started = time.perf_counter()
        try:
            r = session.get(url, timeout=60)
        except requests.RequestException as e:
            return None, time.perf_counter() - started, type(e).__name__
        error = f"HTTP {r.status_code}" if r.status_code >= 400 else None
        return r, time.perf_counter() - started, error

    def user(index):
        session = sessions[index]
        pool = concurrent.futures.ThreadPoolExecutor(CONNECTIONS)
        ready.wait()
        end = time.monotonic() + SECONDS
        try:
            while time.monotonic() < end:
                page, seconds, error = timed(session, f"{base}/project/dcos_bays/")
                with lock:
                    lists.append(seconds)
                    if error:
                        errors.append(f"list: {error}")
                if page is None or error:
                    continue
                batch = _BATCH.search(page.text)
                if batch:
                    # As dcos_bays.js does: the page's cells in one request.
                    bays = _BAY.findall(page.text)
                    query = urlencode([("bay", uuid) for uuid in bays])
                    url = f"{base}{html.unescape(batch.group(1))}?{query}"
                    answers = [timed(session, url)]
                else:
                    urls = [
                        base + html.unescape(u) for u in _PENDING.findall(page.text)
                    ]
                    answers = pool.map(lambda u: timed(session, u), urls)
                for _r, seconds, error in answers:
                    with lock:
                        cells.append(seconds)
                        if error:
                            errors.append(f"cell: {error}")
        finally:
            pool.shutdown()

    started = time.monotonic()
    before = cpu_seconds(cloud)
    with concurrent.futures.ThreadPoolExecutor(USERS) as pool:
        list(pool.map(user, range(USERS)))
    wall = time.monotonic() - started
    spent = cpu_spent(before, cpu_seconds(cloud))
    log(f"load took {wall:.0f} s")
    p50, p95 = _percentile(lists, 0.5), _percentile(lists, 0.95)
    cells_p50 = statistics.median(cells) if cells else float("nan")
    met = "met" if p95 <= 1.0 and not errors else "not met"
    print(f"Bays list: {len(lists)} loads, p50 {p50:.2f} s, p95 {p95:.2f} s")
    print(f"Health requests (a batch a page): {len(cells)}, p50 {cells_p50:.2f} s")
    print(f"CPU during the run: {cpu_line(spent, wall)}")
    if lists:
        # A closed loop: each user asks again at once, so by Little's law a
        # user's round (list + batch) takes users / throughput on average,
        # whatever the server does with its time.
        ours = sum(v for k, v in spent.items() if k not in ("other", "idle"))
        print(
            f"throughput {len(lists) / wall:.1f} pages/s: a user's round takes"
            f" {USERS * wall / len(lists):.2f} s on average (Little's law);"
            f" CPU a page (list + batch): Horizon"
            f" {spent['Horizon'] / len(lists) * 1000:.0f} ms, the whole cloud and"
            f" its users {ours / len(lists) * 1000:.0f} ms"
        )
    print(
        f"errors: {len(errors)}"
        + (f" ({', '.join(sorted(set(errors)))})" if errors else "")
        + f"; goal list p95 <= 1.0 s and 0 errors: {met}"
    )
    return [
        f"6. load, {USERS} users x {SECONDS:.0f} s, Horizon {shape}: list p50"
        f" {p50:.2f} s, p95 {p95:.2f} s (goal <= 1.0), cells p50 {cells_p50:.2f} s,"
        f" {len(errors)} errors (goal 0): {met}"
    ]
