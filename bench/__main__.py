"""``python -m bench [figure ...]``: the benchmarks, all of them by default.

Figures: list (1, ours vs magnum-ui), health (2, against the JSON floors,
in a fresh process), refused (3, masters that refuse connections, and
black-holed and hung ones), calls (4, requests per page), labels (5), load
(6, 20 users on the Bays list), nodes (7, the Nodes tab of a 10,000-agent
bay), shared (8, several workers sharing memcached: fetches per bay per
period, memcached killed mid-run). The figures that need a cloud share one
(bench/cloud.py), started once and stopped at the end whatever happens.
``mesos`` (bench_mesos.py, the health pool) and ``shared-locmem`` (figure
8 with one cache per worker) run only when named. Nothing here asserts on
time: every figure is a ratio measured in this run, printed with its goal.
"""

from __future__ import annotations

import os
import platform
import signal
import sys
import time

FIGURES = ("list", "health", "refused", "calls", "labels", "load", "nodes", "shared")
OPTIONAL = ("mesos", "shared-locmem")
# In this order: ``shared`` kills the memcached (and starts it again).
CLOUD = ("list", "refused", "calls", "nodes", "load", "shared-locmem", "shared")
# Figure 3's former name, still accepted.
ALIASES = {"dead": "refused"}


def _usage() -> str:
    return (
        f"usage: python -m bench [{' '.join(FIGURES + OPTIONAL)}]"
        " (default: all but mesos)"
    )


def _stop(signum, frame):
    raise KeyboardInterrupt


def run(names: list[str]) -> list[str]:
    summary: list[str] = []
    wanted = [n for n in CLOUD if n in names]
    if wanted:
        from bench import (
            bench_calls,
            bench_load,
            bench_nodes,
            bench_pages,
            bench_shared,
        )
        from bench.cloud import BenchCloud

        cloud = BenchCloud(anchor="list" in names)
        try:
            cloud.start()
            if cloud.anchor_error:
                print(f"magnum-ui could not be started: {cloud.anchor_error}")
            for name in wanted:
                module = {
                    "list": bench_pages.bays_list,
                    "refused": bench_pages.refused_masters,
                    "calls": bench_calls.calls,
                    "load": bench_load.load,
                    "nodes": bench_nodes.nodes_tab,
                    "shared": bench_shared.shared_cache,
                    "shared-locmem": bench_shared.per_process,
                }[name]
                summary += module(cloud)
        finally:
            cloud.stop()
    if "health" in names:
        from bench import bench_health

        # A fresh process: after the browser figures this one's heap is
        # bigger, which slows the floors' decoding and not ours.
        summary += bench_health.in_fresh_process()
    if "labels" in names:
        from bench import bench_labels

        summary += bench_labels.main([])
    if "mesos" in names:
        from bench import bench_mesos

        bench_mesos.main(bench_mesos.BAYS, bench_mesos.AGENTS, bench_mesos.SLOW)
    return summary


def main(argv: list[str]) -> int:
    names = [ALIASES.get(n, n) for n in argv] or list(FIGURES)
    unknown = [n for n in names if n not in FIGURES + OPTIONAL]
    if unknown or any(n in ("-h", "--help") for n in names):
        print(_usage(), file=sys.stderr)
        return 0 if not unknown else 2
    # A background job of a non-interactive shell starts with SIGINT
    # ignored: take both back, so every process started here is stopped.
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    started = time.monotonic()
    print(
        f"dcos-dashboard benchmarks: {', '.join(names)};"
        f" {os.cpu_count()} cores, Python {platform.python_version()}",
        flush=True,
    )
    try:
        summary = run(names)
    except KeyboardInterrupt:
        print("interrupted; everything started was stopped", file=sys.stderr)
        return 130
    print(f"\n== Summary ({time.monotonic() - started:.0f} s)")
    for line in summary:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
