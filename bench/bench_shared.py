"""Benchmark: Horizon as deployed, several workers sharing one memcached.

Figure 8 (``shared``, issue 14), in the bench cloud's Horizon (``WORKERS``
gunicorn workers and a memcached, started by ``devenv.run.Stack`` exactly
as ``make run`` does):

- 20 logged-in ``requests`` sessions over one project of 20 bays for 30 s,
  each loading the Bays index and then its Health cells as the page's
  script does (one batch request; cells still "checking" asked again after
  0.25 s, then 1.5 times longer each time up to 3 s), over and over.
  State-summary fetches of each bay, counted by the simulator (polled
  every 0.25 s), across all workers: the most that fell
  within one ``HEALTH_CACHE_SECONDS`` (less one poll), and the shortest gap
  between two fetches of a bay. Goal: exactly 1.
- The same sessions for 20 s while the memcached is killed (SIGKILL) 6 s
  in; it is started again afterwards, empty, for the figures that follow.
  Goal: 0 error responses (HTTP >= 400, a redirect to the login page, or
  no answer within 60 s).

``shared-locmem`` (optional, named only) measures the first figure against
a second Horizon of the same shape whose cache is each process's own
``LocMemCache``: what one-cache-per-worker gives.
Run: ``.venv/bin/python -m bench shared``.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import html
import itertools
import threading
import time
from collections import Counter

import requests

from bench.bench_calls import STATE_SUMMARY, _session
from bench.bench_load import _BATCH, _BAY
from bench.bench_pages import HEALTH_CACHE_SECONDS
from bench.cloud import BenchCloud, log
from dcos_sandbox.config import free_port
from devenv import run as devenv

USERS = 20
BAYS = 20
SECONDS = 30.0
KILL_SECONDS = 20.0
KILL_AT = 6.0
# dcos_bays.js's AGAIN_FIRST_MS, AGAIN_GROWTH and AGAIN_MAX_MS.
AGAIN_FIRST_SECONDS, AGAIN_GROWTH, AGAIN_MAX_SECONDS = 0.25, 1.5, 3.0
POLL_SECONDS = 0.25


def _sessions(cloud, account, base):
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        return list(pool.map(lambda _i: _session(cloud, account, base), range(USERS)))


def _drive(sessions, base: str, seconds: float, during=None) -> dict:
    """Every session loads the index and its cells until ``seconds`` pass."""
    errors: list[str] = []
    answers = Counter()
    lock = threading.Lock()
    ready = threading.Barrier(len(sessions) + (1 if during else 0))

    def get(session, url, **kw):
        try:
            r = session.get(url, timeout=60, **kw)
        except requests.RequestException as e:
            return None, type(e).__name__
        if r.status_code >= 400:
            return r, f"HTTP {r.status_code}"
        if "/auth/login" in r.url:
            return r, "logged out"
        return r, None

    def note(kind, error):
        with lock:
            answers[kind] += 1
            if error:
                errors.append(f"{kind}: {error}")

    def user(index):
        session = sessions[index]
        ready.wait()
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            page, error = get(session, f"{base}/project/dcos_bays/")
            note("index", error)
            if error:
                continue
            text = page.text
            bays = _BAY.findall(text)
            batch = _BATCH.search(text)
            tries = 0
            while bays and batch and time.monotonic() < end:
                r, error = get(
                    session,
                    base + html.unescape(batch.group(1)),
                    params={"bay": bays},
                    headers={"X-Requested-With": "XMLHttpRequest"},
                )
                note("batch", error)
                if error:
                    break
                try:
                    cells = r.json()
                except ValueError:
                    note("batch", "not JSON")
                    break
                # Cells still checking come back with a slot of their own.
                bays = [u for u, cell in cells.items() if _BAY.search(cell)]
                if bays:
                    time.sleep(
                        min(
                            AGAIN_FIRST_SECONDS * AGAIN_GROWTH**tries, AGAIN_MAX_SECONDS
                        )
                    )
                    tries += 1

    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(len(sessions)) as pool:
        futures = [pool.submit(user, i) for i in range(len(sessions))]
        if during:
            ready.wait()
            during()
        for future in futures:
            future.result()
    return {
        "wall": time.monotonic() - started,
        "errors": errors,
        "answers": answers,
    }


def _fetches(cloud, uuids, seconds, sessions, base) -> tuple[int, float, dict]:
    """(most fetches of one bay within one period, shortest gap between two
    fetches of a bay in s, the run), the simulator's counts polled."""
    cloud.wait_cold("shared20", HEALTH_CACHE_SECONDS)
    cloud.reset_counts()
    times: dict[str, list[float]] = {uuid: [] for uuid in uuids}
    done = threading.Event()

    def poll():
        seen = Counter()
        while not done.is_set():
            now = time.monotonic()
            stats = cloud.mesos_stats()
            for uuid in uuids:
                count = stats.get(uuid, Counter())[STATE_SUMMARY]
                times[uuid] += [now] * (count - seen[uuid])
                seen[uuid] = count
            done.wait(POLL_SECONDS)

    poller = threading.Thread(target=poll, name="fetch-poller", daemon=True)
    poller.start()
    try:
        run = _drive(sessions, base, seconds)
        time.sleep(POLL_SECONDS * 2)
    finally:
        done.set()
        poller.join(10)
    cloud.loaded("shared20")
    # A fetch is seen up to one poll late: a window one poll shorter than
    # the period never holds two fetches a period apart.
    window = HEALTH_CACHE_SECONDS - POLL_SECONDS
    most = max(
        max((sum(1 for u in ts if t <= u < t + window) for t in ts), default=0)
        for ts in times.values()
    )
    gaps = [b - a for ts in times.values() for a, b in itertools.pairwise(ts)]
    run["per_bay"] = [len(ts) for ts in times.values()]
    return most, min(gaps, default=float("inf")), run


def shared_cache(cloud: BenchCloud) -> list[str]:
    print(
        f"\n== 8. Deployed shape: Horizon {cloud.workers} workers + memcached,"
        f" {USERS} sessions over {BAYS} bays"
    )
    account, uuids = cloud.project("shared20", BAYS)
    base = cloud.horizon
    sessions = _sessions(cloud, account, base)
    most, gap, run = _fetches(cloud, uuids, SECONDS, sessions, base)
    per_bay = run["per_bay"]
    met = "met" if most == 1 else "not met"
    print(
        f"{SECONDS:.0f} s: {dict(run['answers'])} answers, {len(run['errors'])}"
        f" errors; state-summary fetches per bay {min(per_bay)}-{max(per_bay)},"
        f" shortest gap between two fetches of a bay {gap:.1f} s; most fetches of"
        f" one bay within one period ({HEALTH_CACHE_SECONDS} s) across"
        f" {cloud.workers} workers: {most} (goal exactly 1: {met})"
    )
    print(
        f"one cache per worker (LocMemCache; measured by `python -m bench"
        f" shared-locmem`): up to {cloud.workers} per bay per period, one per worker"
    )
    lines = [
        f"8. {cloud.workers} workers + memcached, {USERS} sessions x {BAYS} bays x"
        f" {SECONDS:.0f} s: state-summary fetches per bay per"
        f" {HEALTH_CACHE_SECONDS} s at most {most} (goal exactly 1): {met};"
        f" shortest gap {gap:.1f} s; a per-process cache: up to {cloud.workers}",
    ]
    return lines + _memcached_killed(cloud, sessions, base)


def _memcached_killed(cloud: BenchCloud, sessions, base) -> list[str]:
    def kill():
        time.sleep(KILL_AT)
        log(f"SIGKILL memcached (pid {cloud.memcached.pid})")
        cloud.kill_memcached()

    cloud.reset_counts()
    run = _drive(sessions, base, KILL_SECONDS, during=kill)
    stats = cloud.mesos_stats()
    fetches = sum(c[STATE_SUMMARY] for c in stats.values())
    cloud.restart_memcached()
    errors = run["errors"]
    met = "met" if not errors else "not met"
    print(
        f"memcached killed {KILL_AT:.0f} s into {KILL_SECONDS:.0f} s:"
        f" {dict(run['answers'])} answers, {len(errors)} error responses"
        + (f" ({', '.join(sorted(set(errors)))})" if errors else "")
        + f" (goal 0: {met}); {fetches} state-summary fetches meanwhile"
        f" ({BAYS} bays)"
    )
    return [
        f"8. memcached SIGKILLed mid-run: {len(errors)} error responses in"
        f" {sum(run['answers'].values())} (goal 0): {met}"
    ]


def per_process(cloud: BenchCloud) -> list[str]:
    """The first figure against Horizon with a LocMemCache in each worker."""
    port = free_port()
    config = dataclasses.replace(cloud.config, horizon_port=port)
    argv = devenv.horizon_command(config, cloud.workers)
    # No memcached port: the settings fall back to a per-process LocMemCache.
    proc = cloud.spawn("horizon-locmem", argv, devenv.horizon_env(config))
    devenv.wait_http(config.url(port, "/auth/login/"), proc, timeout=180)
    base = config.url(port)
    account, uuids = cloud.project("shared20", BAYS)
    sessions = _sessions(cloud, account, base)
    most, gap, run = _fetches(cloud, uuids, SECONDS, sessions, base)
    print(
        f"\nper-process LocMemCache, {cloud.workers} workers, {SECONDS:.0f} s:"
        f" most fetches of one bay within one period {most}, shortest gap"
        f" {gap:.1f} s; {len(run['errors'])} errors"
    )
    return [
        f"8. per-process LocMemCache instead of memcached: state-summary fetches"
        f" per bay per {HEALTH_CACHE_SECONDS} s at most {most}, shortest gap"
        f" {gap:.1f} s"
    ]
