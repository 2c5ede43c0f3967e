"""Benchmark: summarising 10,000 agents against decoding their JSON.

The goal is ``summarize`` costing less than the ``json.loads`` that must
precede it, so health adds under 2x to the parse of a big state-summary.
Both are timed side by side in one run; only ratios are meaningful, and
nothing here asserts on time.

Run: ``.venv/bin/python bench/bench_health.py [agents] [repeats]``.
"""

from __future__ import annotations

import gc
import json
import statistics
import sys
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


def main(agents: int = AGENTS, repeats: int = REPEATS) -> None:
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

    print(f"agents: {agents}, payload: {len(payload) / 1e6:.1f} MB, {repeats} runs")
    print(f"overall: {health.overall} ({health.reason})")
    print(f"json.loads(payload):                   {loads * 1e3:8.1f} ms median")
    print(f"summarize(state):                      {alone * 1e3:8.1f} ms median")
    print(f"summarize(state, metrics, diagnostics): {joined * 1e3:7.1f} ms median")
    print(f"ratio summarize/json.loads:            {alone / loads:8.2f} (goal < 1.0)")
    print(f"ratio with diagnostics/json.loads:     {joined / loads:8.2f} (goal < 1.0)")
    print(
        f"summarize peak memory: {peak / 1e6:.1f} MB, "
        f"ratio to payload size: {peak / len(payload):.2f}"
    )


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
