"""Benchmarks in a real browser: the Bays index against magnum-ui, and failing masters.

Figure 1 (``list``): magnum-ui 19's Clusters panel and this plugin's Bays
index, two Horizons of the same kind on one sandbox, loaded in turns in
headless Chromium, for a project of 500 clusters and for one of 20 (where
magnum-ui's Angular start-up, not the listing, dominates). Timed from
navigation start to all rows of the first page visible, and to Chromium's
first contentful paint, on both sides (median of 7). Goal: ours <= 0.5x
theirs (rows visible).

Figure 3 (``refused``): the Bays index of a project of 50 bays, all
healthy, against one where 5 bays of the first page have masters that
refuse connections (``master_down``: the simulator answers the connection
attempt with a reset, as a host whose master process died does), each load
with a cold health cache, timed to every Health cell answered. Goal:
<= 1.1x, and those cells say Unreachable within the connect timeout.
Beside it, the same with 5 black-holed masters (``blackhole``: no answer
at all to the connection attempt, as behind a firewall that drops, which
only the connect timeout ends), when the simulator has that knob; and for
context 5 masters that accept and never answer (hung), which only the read
timeout ends.

Only ratios measured side by side in one run mean anything; nothing here
asserts on time. Run: ``.venv/bin/python -m bench list refused``.
"""

from __future__ import annotations

import statistics

import requests

from bench.cloud import BenchCloud, Probe, wait_for

REPEATS = 7
DEAD_REPEATS = 7
BAYS = 500
DEAD_BAYS = 50
DEAD = 5
PAGE_SIZE = 20  # DCOS_DASHBOARD PAGE_SIZE default; magnum-ui shows 20 too
# The plugin's defaults (dcos_dashboard/config.py), which the bench's Horizon runs.
HEALTH_CACHE_SECONDS = 10
CONNECT_TIMEOUT = 2.0
READ_TIMEOUT = 5.0
HUNG_SECONDS = 60

OURS_ROWS = "#bays tbody tr[data-object-id]"
THEIRS_ROWS = "hz-resource-table tbody tr[ng-repeat-start]"
HEALTH_CELL = ".dcos-health"
HEALTH_DONE = ".dcos-health:not(.dcos-health-pending)"
# magnum-ui is done when Angular has no request in flight (stats, quota).
THEIRS_IDLE = (
    "(function () { try { return angular.element(document.body).injector()"
    ".get('$http').pendingRequests.length === 0; } catch (e) { return false; } })()"
)


def _ms(values) -> str:
    return f"{statistics.median(values):7.0f} ms"


def bays_list(cloud: BenchCloud) -> list[str]:
    return _bays_list(cloud, BAYS, "bays500") + _bays_list(cloud, 20, "bays20")


def _bays_list(cloud: BenchCloud, bays: int, project: str) -> list[str]:
    print(f"\n== 1. Bays list vs magnum-ui 19, {bays} clusters, first page in Chromium")
    account, uuids = cloud.project(project, bays)
    want = min(PAGE_SIZE, len(uuids))
    ours = Probe(cloud.browser())
    cloud.login(ours.driver, cloud.horizon, account)
    ours.arm(OURS_ROWS, want, HEALTH_CELL, HEALTH_DONE)
    ours_url = f"{cloud.horizon}/project/dcos_bays/"
    theirs = None
    if cloud.anchor_error is None and cloud.anchor_port is not None:
        theirs = Probe(cloud.browser())
        cloud.login(theirs.driver, cloud.anchor_url, account)
        theirs.arm(THEIRS_ROWS, want)
    theirs_url = f"{cloud.anchor_url}/project/clusters/" if theirs else None

    paints = {"ours": [], "theirs": []}

    def load_ours():
        cloud.counter.reset()
        # Rows first; then let its Health cells finish, so the next load
        # (either side) does not share the server with them.
        bench = ours.load(ours_url)
        ours.settle()
        cloud.loaded(project)
        paints["ours"].append(bench["paint"])
        return bench["rows"], sum(cloud.counter.snapshot().values())

    def load_theirs():
        cloud.counter.reset()
        bench = theirs.load(theirs_url)
        wait_for(theirs.driver, THEIRS_IDLE)
        paints["theirs"].append(bench["paint"])
        return bench["rows"], sum(cloud.counter.snapshot().values())

    load_ours()  # warm-up: browser cache, Horizon's first requests
    if theirs:
        load_theirs()
    runs = {"ours": [], "theirs": []}
    calls = {"ours": [], "theirs": []}
    for _ in range(REPEATS):
        for side, load in (("ours", load_ours), ("theirs", theirs and load_theirs)):
            if load:
                rows, count = load()
                runs[side].append(rows)
                calls[side].append(count)
    print(f"ours   (dcos_dashboard Bays)      {_ms(runs['ours'])}  median of {REPEATS}")
    ours_paint = _ms([p for p in paints["ours"][1:] if p is not None] or [0])
    print(f"  first contentful paint          {ours_paint}")
    if not theirs:
        print(f"theirs: magnum-ui not measured: {cloud.anchor_error}")
        return [
            f"1. Bays list, {bays} bays: ours {statistics.median(runs['ours']):.0f} ms;"
            f" magnum-ui not measured ({cloud.anchor_error})"
        ]
    ratio = statistics.median(runs["ours"]) / statistics.median(runs["theirs"])
    print(
        f"theirs (magnum-ui 19 Clusters)    {_ms(runs['theirs'])}  median of {REPEATS}"
    )
    theirs_paint = _ms([p for p in paints["theirs"][1:] if p is not None] or [0])
    print(f"  first contentful paint          {theirs_paint}")
    print(f"ratio ours/theirs                 {ratio:7.2f} x   (goal <= 0.5)")
    print(
        f"Magnum requests per load: ours {min(calls['ours'])}-{max(calls['ours'])}"
        f" (one page of {want}; the most when the {want} Health cells are cold),"
        f" theirs {min(calls['theirs'])}-{max(calls['theirs'])} (all"
        f" {len(uuids)} clusters in one answer, plus stats and quota)"
    )
    return [
        f"1. Bays list, {bays} bays, rows visible: ours/magnum-ui {ratio:.2f} x"
        f" (goal <= 0.5); {statistics.median(runs['ours']):.0f} vs"
        f" {statistics.median(runs['theirs']):.0f} ms; first paint"
        f" {ours_paint.strip()} vs {theirs_paint.strip()}"
    ]


def refused_masters(cloud: BenchCloud) -> list[str]:
    print(
        f"\n== 3. Refused connections: Bays index, {DEAD_BAYS} bays, {DEAD} of the"
        " first page with masters refusing connections, cold health cache, in"
        " Chromium"
    )
    variants = {}
    missing = None
    for name, knobs in (
        ("healthy", None),
        ("dead", {"master_down": True}),
        ("blackhole", {"blackhole": True}),
        ("hung", {"slow_seconds": HUNG_SECONDS}),
    ):
        if knobs and missing is None and variants:
            # A knob the simulator may not have yet: tried (and reset) on a
            # bay made already, before 50 bays are made for it.
            probe_bay = next(iter(variants.values()))[3]
            try:
                cloud.knobs(probe_bay, **knobs)
                cloud.knobs(probe_bay, **dict.fromkeys(knobs))
            except requests.HTTPError as e:
                missing = f"{name}: {e.response.text[:80]}"
                continue
        account, uuids = cloud.project(f"{name}50", DEAD_BAYS)
        first_page = uuids[:PAGE_SIZE]
        # Spread over the page: 2nd, 6th, 10th, 14th, 18th row.
        broken = first_page[1 : 1 + 4 * DEAD : 4] if knobs else []
        for uuid in broken:
            cloud.knobs(uuid, **knobs)
        probe = Probe(cloud.browser())
        cloud.login(probe.driver, cloud.horizon, account)
        probe.arm(OURS_ROWS, len(first_page), HEALTH_CELL, HEALTH_DONE)
        variants[name] = (account.user, probe, set(broken), uuids[-1])

    results = {name: [] for name in variants}
    url = f"{cloud.horizon}/project/dcos_bays/"
    for _ in range(DEAD_REPEATS):
        for name, (user, probe, _broken, _spare) in variants.items():
            cloud.wait_cold(user, HEALTH_CACHE_SECONDS)
            bench = probe.load(url, cells=True, timeout=HUNG_SECONDS)
            cloud.loaded(user)
            bench["requests"] = probe.health_requests()
            results[name].append(bench)

    def median(name, key):
        return statistics.median(b[key] for b in results[name])

    def broken_cells(name):
        """(slowest shown after the rows, slowest request, their texts)."""
        _user, _probe, broken, _spare = variants[name]
        shown, asked, texts = [], [], set()
        for bench in results[name]:
            for uuid in broken:
                at, _cls, text = bench["cell"][uuid]
                shown.append(at - bench["rows"])
                asked.append(bench["requests"].get(uuid, float("nan")))
                texts.add(text)
        return max(shown), max(asked), " / ".join(sorted(texts))

    for name in variants:
        print(
            f"{name:8} rows visible {median(name, 'rows'):6.0f} ms, every Health"
            f" cell answered {median(name, 'cells'):6.0f} ms  (median of"
            f" {DEAD_REPEATS})"
        )
    ratio = median("dead", "cells") / median("healthy", "cells")
    if "blackhole" in variants:
        # Issue 14's figure: every cell answered, black-holed vs healthy.
        hole = median("blackhole", "cells") / median("healthy", "cells")
        print(
            f"ratio black-holed/healthy, cells answered {hole:6.2f} x   (goal <= 1.1):"
            f" {'met' if hole <= 1.1 else 'not met'}"
        )
    print(f"ratio refused/healthy, cells answered {ratio:6.2f} x   (goal <= 1.1)")
    dead_shown, dead_asked, dead_texts = broken_cells("dead")
    print(
        f"refusing bays' cells: {dead_texts}; their health requests took at most"
        f" {dead_asked:.0f} ms (goal: Unreachable within the {CONNECT_TIMEOUT:.0f} s"
        f" connect timeout), shown at most {dead_shown:.0f} ms after the rows"
    )
    if "blackhole" in variants:
        hole_ratio = median("blackhole", "cells") / median("healthy", "cells")
        hole_shown, hole_asked, hole_texts = broken_cells("blackhole")
        blackhole = (
            f"black-holed/healthy {hole_ratio:.2f} x; cells {hole_texts},"
            f" requests <= {hole_asked:.0f} ms (goal: within the"
            f" {CONNECT_TIMEOUT:.0f} s connect timeout)"
        )
    else:
        blackhole = f"black-holed masters not measured ({missing})"
    print(blackhole)
    hung_ratio = median("hung", "cells") / median("healthy", "cells")
    rows_ratio = median("hung", "rows") / median("healthy", "rows")
    hung_shown, hung_asked, hung_texts = broken_cells("hung")
    print(
        f"context, hung masters: rows {rows_ratio:.2f} x, cells {hung_ratio:.2f} x;"
        f" their cells: {hung_texts}, requests up to {hung_asked:.0f} ms (read"
        f" timeout {READ_TIMEOUT:.0f} s), shown up to {hung_shown:.0f} ms after"
        " the rows"
    )
    healthy_last = _others_last(results["hung"], variants["hung"][2])
    print(
        f"  the {PAGE_SIZE - DEAD} healthy cells beside the hung ones: last at"
        f" {statistics.median(healthy_last):.0f} ms after the rows"
        f" (all healthy page: {_cells_after_rows(results['healthy']):.0f} ms)"
    )
    # A hung bay's cell says "Checking…" from the start and keeps it until
    # its verdict: the page shows something in every cell once the others
    # have their answers.
    hung_bays = variants["hung"][2]
    shown_all = statistics.median(
        b["rows"] + max([0.0, *_others_after_rows(b, hung_bays)])
        for b in results["hung"]
    )
    shown_ratio = shown_all / median("healthy", "cells")
    shown_met = "met" if shown_ratio <= 1.1 else "not met"
    print(
        f"hung masters: every cell showing something (the hung ones 'Checking…',"
        f" the others their answer) {shown_all:.0f} ms, {shown_ratio:.2f} x the"
        f" healthy page's cells (goal <= 1.1): {shown_met}"
    )
    return [
        f"3. hung masters: every cell showing something / healthy page"
        f" {shown_ratio:.2f} x (goal <= 1.1): {shown_met}",
        f"3. refused connections: page with Health cells, refused/healthy"
        f" {ratio:.2f} x (goal <= 1.1); cells {dead_texts}, requests <="
        f" {dead_asked:.0f} ms (goal: within {CONNECT_TIMEOUT:.0f} s)",
        f"3. {blackhole}",
        f"3. context, hung masters: rows {rows_ratio:.2f} x, cells {hung_ratio:.2f} x",
    ]


def _others_after_rows(bench, broken) -> list[float]:
    return [
        at - bench["rows"]
        for uuid, (at, _c, _t) in bench["cell"].items()
        if uuid not in broken
    ]


def _others_last(benches, broken) -> list[float]:
    return [max(_others_after_rows(b, broken)) for b in benches]


def _cells_after_rows(benches) -> float:
    return statistics.median(b["cells"] - b["rows"] for b in benches)
