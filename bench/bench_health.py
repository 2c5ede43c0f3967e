"""Benchmark: a bay's health against the JSON floor, 10,000 agents.

Figure 2 (``health``), side by side in one run:

- against the simulated DC/OS bay of the sandbox (in a process of its
  own, bench/simulator.py): ``api.mesos.bay_health`` with a cold cache
  (state-summary, metrics and diagnostics fetched, summarised, cached)
  against two floors with equal weight, a bare ``requests.get`` of the same
  state-summary decoded by ``json.loads`` and by ``orjson.loads`` (what
  the dashboard itself decodes with). Goal <= 1.1x the orjson floor. Its
  parts (the two extra fetches, summarising, pickling into the cache) are
  printed beside it. ``python -m bench`` runs it in a fresh process, so
  that the heap the browser figures left does not slow the floors.
- ``health.summarize`` alone against ``json.loads`` of its input, on a
  payload built here (goal < 1.0x), and its peak memory against the size
  of the payload.

Only ratios are meaningful; nothing here asserts on time.
Run: ``.venv/bin/python -m bench health`` (or ``bench/bench_health.py
[agents] [repeats]``).
"""

from __future__ import annotations

import gc
import json
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dcos_dashboard.health import summarize  # noqa: E402

AGENTS = 10_000
REPEATS = 7


def _agent(i: int) -> dict:
    """One agent shaped like the DC/OS 1.12 (Mesos 1.7.0) state-summary one.

    Field set copied from ../shared/fixtures/mesos/
    master_state-summary__dcos-diagnostics__decoded.json; ids, addresses,
    sizes, usage and states vary with i.
    """
    ip = f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}"
    cpus = float(4 << (i % 4))
    mem = 15000.0 + (i % 17) * 1024.0
    disk = 20778.0 + (i % 5) * 1000.0
    gpus = float(i % 10 == 0)
    fraction = (i % 11) / 10.0
    used = {
        "disk": round(disk * fraction / 2, 1),
        "mem": round(mem * fraction, 1),
        "gpus": gpus if i % 20 == 0 else 0.0,
        "cpus": round(cpus * fraction, 2),
    }
    ports = "[1025-2180, 2182-3887, 3889-5049, 5052-8079, 8082-8180, 8182-32000]"
    resources = {"disk": disk, "mem": mem, "gpus": gpus, "cpus": cpus, "ports": ports}
    agent = {
        "id": f"f7b5b567-b49a-4b8c-8f71-acf46a23fdb9-S{i}",
        "hostname": ip,
        "port": 5051,
        "attributes": {"rack": f"r{i % 40}"},
        "pid": f"slave(1)@{ip}:5051",
        "registered_time": 1538404905.241877 + i,
        "resources": resources,
        "used_resources": used,
        "offered_resources": {"disk": 0.0, "mem": 0.0, "gpus": 0.0, "cpus": 0.0},
        "reserved_resources": {},
        "unreserved_resources": dict(resources),
        "active": i % 50 != 7,
        "version": "1.7.0",
        "capabilities": [
            "MULTI_ROLE",
            "HIERARCHICAL_ROLE",
            "RESERVATION_REFINEMENT",
            "RESOURCE_PROVIDER",
            "RESIZE_VOLUME",
        ],
        "TASK_STAGING": 0,
        "TASK_STARTING": 0,
        "TASK_RUNNING": i % 13,
        "TASK_KILLING": 0,
        "TASK_FINISHED": i % 7,
        "TASK_KILLED": 0,
        "TASK_FAILED": 0,
        "TASK_LOST": 0,
        "TASK_ERROR": 0,
        "TASK_UNREACHABLE": 0,
        "framework_ids": ["f7b5b567-b49a-4b8c-8f71-acf46a23fdb9-0000"],
    }
    if i % 100 == 3:
        agent["deactivated"] = True
        agent["drain_info"] = {"state": "DRAINING", "config": {}}
    return agent


def build_payload(agents: int = AGENTS) -> tuple[bytes, dict, dict]:
    """(state-summary bytes, metrics, diagnostics) for `agents` agents."""
    state = {
        "hostname": "10.255.0.1",
        "cluster": "bench",
        "slaves": [_agent(i) for i in range(agents)],
        "frameworks": [],
    }
    diagnostics = {
        "nodes": [
            {"host_ip": agent["hostname"], "role": "agent", "health": int(i % 30 == 1)}
            for i, agent in enumerate(state["slaves"])
        ]
    }
    metrics = {"master/elected": 1.0, "master/slaves_unreachable": 2.0}
    return json.dumps(state).encode(), metrics, diagnostics


def _seconds(func) -> float:
    gc.collect()
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def pure(agents: int = AGENTS, repeats: int = REPEATS) -> list[str]:
    """summarize() against json.loads() of a payload built here."""
    payload, metrics, diagnostics = build_payload(agents)
    decoded = json.loads(payload)

    # Interleaved, so a noisy neighbour slows all three alike.
    runs: dict[str, list[float]] = {"loads": [], "alone": [], "joined": []}
    for _ in range(repeats):
        runs["loads"].append(_seconds(lambda: json.loads(payload)))
        runs["alone"].append(_seconds(lambda: summarize(decoded)))
        runs["joined"].append(
            _seconds(lambda: summarize(decoded, metrics, diagnostics))
        )
    loads, alone, joined = (statistics.median(runs[k]) for k in runs)

    tracemalloc.start()
    health = summarize(decoded, metrics, diagnostics)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    print(
        f"\nsummarize alone, payload built here: {agents} agents,"
        f" {len(payload) / 1e6:.1f} MB, median of {repeats}"
        f" (overall: {health.overall})"
    )
    print(f"json.loads(payload)                    {loads * 1e3:8.1f} ms")
    print(f"summarize(state)                       {alone * 1e3:8.1f} ms")
    print(f"summarize(state, metrics, diagnostics) {joined * 1e3:8.1f} ms")
    print(f"ratio summarize/json.loads             {alone / loads:8.2f} x (goal < 1.0)")
    print(
        f"ratio with diagnostics/json.loads      {joined / loads:8.2f} x (goal < 1.0)"
    )
    print(
        f"summarize peak memory                  {peak / 1e6:8.1f} MB,"
        f" {peak / len(payload):.2f} x the payload"
    )
    return [
        f"2. summarize alone / json.loads: {alone / loads:.2f} x (goal < 1.0)",
    ]


# -- against the sandbox's simulated bay -------------------------------------


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()


def _median_seconds(func, repeats: int) -> float:
    return statistics.median(_seconds(func) for _ in range(repeats))


def floor(agents: int = AGENTS, repeats: int = REPEATS) -> list[str]:
    """api.mesos.bay_health, cold, against requests.get + json.loads."""
    _django()
    import orjson
    import requests
    from django.core.cache import cache

    from bench.simulator import SimulatorProcess
    from dcos_dashboard.api import mesos
    from dcos_dashboard.api.mesos import cache as mesos_cache
    from dcos_dashboard.api.mesos import http as mesos_http

    with (
        tempfile.TemporaryDirectory(prefix="bench-health-") as state_dir,
        SimulatorProcess(Path(state_dir), agents) as bay,
    ):
        target = mesos.target_for(bay, "dcos")
        url = bay["api_address"] + mesos.DCOS_STATE_SUMMARY
        session = requests.Session()

        def get():
            response = session.get(url, timeout=60)
            response.raise_for_status()
            return response.content

        def bare():
            json.loads(get())

        def bare_orjson():
            orjson.loads(get())

        def dashboard():
            cache.clear()
            mesos.bay_health(target)

        size = len(get())  # also makes the simulator build its bodies
        dashboard()
        # Interleaved, so a noisy neighbour slows all of them alike; nothing
        # decoded is kept alive meanwhile (the collector would walk it).
        runs: dict[str, list[float]] = {"bare": [], "orjson": [], "ours": []}
        for _ in range(repeats):
            runs["bare"].append(_seconds(bare))
            runs["orjson"].append(_seconds(bare_orjson))
            runs["ours"].append(_seconds(dashboard))
        bare_s, orjson_s, ours_s = (statistics.median(runs[k]) for k in runs)
        session.close()

        # Its parts, each alone, as bay_health does them.
        client = mesos_http.Client()
        read_s = _median_seconds(lambda: client.call("GET", url), repeats)
        body = client.call("GET", url).body

        def decode():
            # As bay_health does it: the collector paused (api/mesos/http.py).
            with mesos_http.collector_paused():
                mesos_http.decode(body, url)

        decode_s = _median_seconds(decode, repeats)
        base = bay["api_address"]
        extras = [
            mesos_http.decode(client.call("GET", base + path).body, path)
            for path in (mesos.DCOS_METRICS, mesos.DCOS_DIAGNOSTICS)
        ]
        client.close()
        state = mesos_http.decode(body, url)
        body = None
        summarise_s = _median_seconds(lambda: summarize(state, *extras), repeats)
        answer = summarize(state, *extras)
        overview = mesos_cache.overview(answer)
        pickle_s = _median_seconds(
            lambda: (
                pickle.dumps(answer, pickle.HIGHEST_PROTOCOL),
                pickle.dumps(overview, pickle.HIGHEST_PROTOCOL),
            ),
            repeats,
        )
        cached = pickle.dumps(answer, pickle.HIGHEST_PROTOCOL)
        unpickle_s = _median_seconds(lambda: pickle.loads(cached), repeats)  # noqa: S301 - our own bytes

        tracemalloc.start()
        summarize(state, *extras)
        _, summarise_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        state = extras = None  # the children need the memory
        resident = {kind: _resident_peak(kind, bay) for kind in ("floor", "ours")}

    print(
        f"\n== 2. Health vs the JSON floor: simulated DC/OS bay, {agents:,} agents,"
        f" state-summary {size / 1e6:.1f} MB, median of {repeats}"
    )
    print(f"ours:  mesos.bay_health, cold cache               {ours_s * 1e3:7.1f} ms")
    print(f"floor: requests.get + json.loads (state-summary) {bare_s * 1e3:7.1f} ms")
    print(f"floor: requests.get + orjson.loads               {orjson_s * 1e3:7.1f} ms")
    print(f"ratio ours/json floor                            {ours_s / bare_s:7.2f} x")
    print(
        f"ratio ours/orjson floor                          {ours_s / orjson_s:7.2f} x"
        " (goal <= 1.1)"
    )
    print(
        f"  parts, each alone: read the state-summary {read_s * 1e3:.1f} ms,"
        f" decode it {decode_s * 1e3:.1f} ms, summarise {summarise_s * 1e3:.1f} ms,"
        f" pickle into the cache {pickle_s * 1e3:.1f} ms ({len(cached) / 1e6:.1f} MB);"
        f" metrics and diagnostics go out beside the state-summary; a warm read"
        f" unpickles in {unpickle_s * 1e3:.1f} ms"
    )
    print(
        f"summarise peak memory {summarise_peak / 1e6:.1f} MB ="
        f" {summarise_peak / size:.2f} x the payload (tracemalloc)"
        f" (answer: {answer.overall}, {len(answer.nodes):,} nodes)"
    )
    print(
        "resident peak, each in a fresh process: ours"
        f" {_megabytes(resident['ours'])}, the floor {_megabytes(resident['floor'])}"
        f" (payload {size / 1e6:.1f} MB; kernel peak, VmHWM)"
    )
    return [
        f"2. health, {agents:,} agents, bay_health cold: / requests.get+orjson.loads"
        f" {ours_s / orjson_s:.2f} x (goal <= 1.1), / requests.get+json.loads"
        f" {ours_s / bare_s:.2f} x; {ours_s * 1e3:.0f} vs {orjson_s * 1e3:.0f} and"
        f" {bare_s * 1e3:.0f} ms",
        f"2. summarise peak memory: {summarise_peak / size:.2f} x the"
        f" {size / 1e6:.1f} MB payload",
    ]


def _megabytes(grown: int | None) -> str:
    return "not measurable here" if grown is None else f"+{grown / 1e6:.0f} MB"


def _resident_peak(kind: str, bay: dict) -> int | None:
    """How far the resident set rose during one fetch, in a new process.

    tracemalloc would count the parse buffer orjson reserves (about 12 x the
    body) though it touches a fraction of it; the kernel's peak does not.
    """
    done = subprocess.run(
        [sys.executable, "-m", "bench.bench_health", "--resident", kind]
        + [json.dumps(bay)],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    grown = int(done.stdout.split()[-1])
    return grown if grown >= 0 else None


def _status_bytes(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise LookupError(field)


def _resident_child(kind: str, bay_json: str) -> None:
    """In the child: print the resident growth (bytes) of one fetch, or -1."""
    _django()
    import requests

    from dcos_dashboard.api import mesos

    bay = json.loads(bay_json)
    target = mesos.target_for(bay, "dcos")
    url = bay["api_address"] + mesos.DCOS_STATE_SUMMARY
    gc.collect()
    try:
        # Linux: "5" resets the peak (VmHWM) to the current resident size.
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
        before = _status_bytes("VmRSS")
    except OSError:
        print(-1)
        return
    if kind == "floor":
        json.loads(requests.get(url, timeout=60).content)
    else:
        mesos.bay_health(target)
    print(_status_bytes("VmHWM") - before)


def main(agents: int = AGENTS, repeats: int = REPEATS) -> list[str]:
    """Print the figures; return the summary lines for ``python -m bench``."""
    return floor(agents, repeats) + pure(agents, repeats)


_SUMMARY = "summary: "


def in_fresh_process() -> list[str]:
    """main() in a new interpreter; its output shown, its summary returned."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.bench_health", "--summary"],
        cwd=Path(__file__).resolve().parents[1],
        stdout=subprocess.PIPE,
        text=True,
        timeout=1800,
        check=True,
    )
    lines = done.stdout.splitlines()
    print("\n".join(line for line in lines if not line.startswith(_SUMMARY)))
    return [line[len(_SUMMARY) :] for line in lines if line.startswith(_SUMMARY)]


if __name__ == "__main__":
    if sys.argv[1:2] == ["--resident"]:
        _resident_child(sys.argv[2], sys.argv[3])
    elif sys.argv[1:2] == ["--summary"]:
        for line in main():
            print(_SUMMARY + line, flush=True)
    else:
        main(*(int(arg) for arg in sys.argv[1:3]))
