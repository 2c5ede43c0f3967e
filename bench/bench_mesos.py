"""Benchmark: what the bays page pays for health, cold and warm, against the
sandbox's simulated DC/OS clusters.

Side by side in one run: fetching every bay one after another, the same
through ``bays_health``'s bounded pool, the pool when some masters hang,
and a warm cache. Only ratios are meaningful; nothing here asserts on time.

Run: ``.venv/bin/python bench/bench_mesos.py [bays] [agents] [slow]``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.test import override_settings  # noqa: E402

from dcos_dashboard.api import mesos  # noqa: E402
from dcos_sandbox.clusters import ClusterSimulator  # noqa: E402
from dcos_sandbox.config import Config  # noqa: E402

BAYS = 20
AGENTS = 500
SLOW = 5
TIMEOUT = 1.0


def timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def main(bays: int, agents: int, slow: int) -> None:
    with tempfile.TemporaryDirectory() as state_dir:
        sim = ClusterSimulator(
            Config.from_env(state_dir=Path(state_dir), clusters_port=0)
        )
        sim.start()
        try:
            targets = []
            for i in range(bays):
                uuid = f"bench-{i}"
                addresses = sim.create(uuid, "dcos", 1, 1)
                sim.set_knobs(uuid, agents=agents)
                targets.append(mesos.target_for({"uuid": uuid, **addresses}, "dcos"))
            limits = {"CONNECT_TIMEOUT": TIMEOUT, "READ_TIMEOUT": TIMEOUT}
            with override_settings(DCOS_DASHBOARD=limits):
                run(sim, targets, slow)
        finally:
            sim.stop()


def run(sim, targets, slow) -> None:
    def serial():
        for target in targets:
            mesos.bay_health(target)

    cache.clear()
    mesos.bays_health(targets)  # warm the simulator's own body cache
    cache.clear()
    one_by_one = timed(serial)
    cache.clear()
    pooled = timed(lambda: mesos.bays_health(targets))
    warm = timed(lambda: mesos.bays_health(targets))
    listing = timed(lambda: mesos.bays_health(targets, nodes=False))

    for target in targets[:slow]:
        sim.set_knobs(target.uuid, slow_seconds=10 * TIMEOUT)
    cache.clear()
    hanging = timed(lambda: mesos.bays_health(targets))

    agents = sim.get_knobs(targets[-1].uuid)["agents"]
    print(f"{len(targets)} DC/OS bays, {agents} agents each, timeouts {TIMEOUT} s")
    print(f"  one after another   {one_by_one * 1000:8.1f} ms")
    print(
        f"  bays_health, cold   {pooled * 1000:8.1f} ms"
        f"  ({one_by_one / pooled:.1f}x faster)"
    )
    print(
        f"  bays_health, warm   {warm * 1000:8.1f} ms"
        f"  ({pooled / warm:.0f}x faster than cold)"
    )
    print(
        f"  warm, nodes=False   {listing * 1000:8.1f} ms"
        f"  ({warm / listing:.0f}x faster than warm with nodes)"
    )
    print(
        f"  {slow} masters hanging  {hanging * 1000:8.1f} ms"
        f"  ({hanging / TIMEOUT:.2f} timeouts; one by one: {slow})"
    )


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:4]]
    main(*(args + [BAYS, AGENTS, SLOW][len(args) :]))
