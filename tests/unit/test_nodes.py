"""Nodes tab queries: filters, search, sort and pages over health.summarize's nodes."""

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dcos_dashboard import health, nodes
from dcos_dashboard.nodes import NodeQuery
from tests.shared import mesos_fixture


def agent(i, *, hostname=None, active=True, cpus=1.0, tasks=0, registered=None):
    return {
        "id": f"agent-{i:05d}",
        "hostname": hostname or f"agent{i}.bay",
        "pid": f"slave(1)@10.0.{i // 250}.{i % 250}:5051",
        "active": active,
        "resources": {"cpus": 4.0, "mem": 8192.0, "disk": 10240.0},
        "used_resources": {"cpus": cpus, "mem": 1024.0 * (i % 8), "disk": 0.0},
        "TASK_RUNNING": tasks,
        "registered_time": registered if registered is not None else 1000.0 + i,
    }


def answer(agents, diagnostics=None):
    summary = {"hostname": "m1", "slaves": agents, "frameworks": []}
    return health.summarize(summary, {"master/elected": 1}, diagnostics)


def query(**params):
    return NodeQuery.from_params(
        lambda name: (
            [v for k, v in params.items() if k == name]
            if not isinstance(params.get(name), list)
            else params[name]
        )
    )


BAY = answer(
    [
        agent(1, cpus=3.0, tasks=5),
        agent(2, active=False, cpus=0.5),
        agent(3, hostname="gpu-box.example", cpus=2.0, tasks=9),
        agent(4, cpus=0.0, tasks=1),
    ],
    diagnostics={
        "nodes": [
            {"host_ip": "10.0.0.1", "health": 0, "role": "agent"},
            {"host_ip": "10.0.0.3", "health": 1, "role": "agent_public"},
            {"host_ip": "10.0.0.4", "health": 0, "role": "agent"},
        ]
    },
)


def hostnames(selection):
    return [node.hostname for _index, node in selection.rows]


def test_default_order_puts_attention_first():
    page = nodes.select(BAY.nodes, NodeQuery(), page_size=10)
    states = [node.state for _i, node in page.rows]
    assert states.index(health.DISCONNECTED) < states.index(health.HEALTHY)
    assert page.matching == 4 and page.page_count == 1


def test_filter_by_state():
    page = nodes.select(BAY.nodes, query(nodes_state="disconnected"), 10)
    assert hostnames(page) == ["agent2.bay"]


def test_filter_by_diagnostics_and_role():
    unhealthy = nodes.select(BAY.nodes, query(nodes_diag="unhealthy"), 10)
    assert hostnames(unhealthy) == ["gpu-box.example"]
    public = nodes.select(BAY.nodes, query(nodes_role="public"), 10)
    assert hostnames(public) == ["gpu-box.example"]
    private = nodes.select(BAY.nodes, query(nodes_role="private"), 10)
    assert "gpu-box.example" not in hostnames(private)
    assert len(hostnames(private)) == 3
    not_asked = nodes.select(BAY.nodes, query(nodes_diag="none"), 10)
    assert hostnames(not_asked) == ["agent2.bay"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("GPU-BOX", ["gpu-box.example"]),
        ("10.0.0.4", ["agent4.bay"]),
        ("agent-00002", ["agent2.bay"]),
        ("nothing", []),
    ],
)
def test_search_hostname_ip_and_id(text, expected):
    assert hostnames(nodes.select(BAY.nodes, query(nodes_q=text), 10)) == expected


def test_sort_by_each_column_both_ways():
    by_cpu = nodes.select(BAY.nodes, query(nodes_sort="cpus", nodes_dir="desc"), 10)
    assert hostnames(by_cpu)[0] == "agent1.bay"
    by_tasks = nodes.select(BAY.nodes, query(nodes_sort="tasks"), 10)
    assert [n.running_tasks for _i, n in by_tasks.rows] == [0, 1, 5, 9]
    by_time = nodes.select(
        BAY.nodes, query(nodes_sort="registered", nodes_dir="desc"), 10
    )
    assert hostnames(by_time)[0] == "agent4.bay"
    by_mem = nodes.select(BAY.nodes, query(nodes_sort="mem"), 10)
    mems = [n.mem_used / n.mem_total for _i, n in by_mem.rows]
    assert mems == sorted(mems)


def test_pages_are_clamped_and_counted():
    many = answer([agent(i) for i in range(250)])
    page = nodes.select(many.nodes, query(nodes_page="99"), 100)
    assert page.page == 3 and page.page_count == 3
    assert (page.first, page.last) == (201, 250)
    empty = nodes.select(many.nodes, query(nodes_q="nope"), 100)
    assert (empty.page, empty.first, empty.last, empty.rows) == (1, 0, 0, [])


def test_bad_params_are_dropped_not_errors():
    q = query(
        nodes_state=["healthy", "<script>"],
        nodes_sort="__class__",
        nodes_page="-5",
        nodes_role="admin",
        nodes_q="x" * 10_000,
    )
    assert q.states == {"healthy"}
    assert q.sort == nodes.DEFAULT_SORT
    assert q.page == 1
    assert q.roles == frozenset()
    assert len(q.text) == NodeQuery.MAX_TEXT
    assert query(nodes_page="abc").page == 1


@given(
    states=st.sets(st.sampled_from(nodes.STATES)),
    sort=st.sampled_from(sorted(nodes.SORTS)),
    desc=st.booleans(),
    text=st.text(max_size=5),
    page=st.integers(min_value=1, max_value=50),
)
def test_params_round_trip(states, sort, desc, text, page):
    original = NodeQuery(
        states=frozenset(states),
        sort=sort,
        descending=desc,
        text=text.strip(),
        page=page,
    )
    params = original.params()
    again = NodeQuery.from_params(lambda name: [v for k, v in params if k == name])
    assert again == original


def test_every_match_is_on_exactly_one_page():
    many = answer([agent(i, active=i % 3 != 0) for i in range(230)])
    q = query(nodes_state="disconnected")
    seen = []
    first = nodes.select(many.nodes, q, 25)
    for page in range(1, first.page_count + 1):
        selection = nodes.select(many.nodes, NodeQuery(states=q.states, page=page), 25)
        seen += [index for index, _node in selection.rows]
    assert len(seen) == len(set(seen)) == first.matching == 77


def test_fault_domains_and_public_agents_from_a_real_state_summary():
    # dcos-ui's recorded state-summary: agents in two AWS regions.
    bay = health.summarize(
        mesos_fixture("master_state-summary__dcos-ui__marathon-1-task_summary.json")
    )
    regions = nodes.choices_of(bay.nodes, nodes.region_of)
    assert "eu-central-1" in regions and "ap-northeast-1" in regions
    domains = nodes.fault_domains(bay.nodes)
    assert sum(count for _r, _z, count in domains) == sum(
        1 for n in bay.nodes if n.region or n.zone
    )
    assert ("eu-central-1", "eu-central-1c") in [(r, z) for r, z, _c in domains]
    page = nodes.select(bay.nodes, query(nodes_region="ap-northeast-1"), 100)
    assert page.matching >= 1
    assert {node.region for _i, node in page.rows} == {"ap-northeast-1"}
    by_zone = nodes.select(bay.nodes, query(nodes_sort="zone"), 100)
    zones = [node.zone or "" for _i, node in by_zone.rows]
    assert zones == sorted(zones, key=str.lower)


def test_public_agents_by_attribute_or_diagnostics_role():
    public = agent(1)
    public["attributes"] = {"public_ip": "true"}
    bay = answer([public, agent(2)])
    page = nodes.select(bay.nodes, query(nodes_role="public"), 10)
    assert hostnames(page) == ["agent1.bay"]
    assert bay.nodes[0].public is True and bay.nodes[1].public is False


def reference_select(all_nodes, q, page_size):
    """What a query shows, the plain way: filter, then sort, then slice."""
    pairs = [(i, n) for i, n in enumerate(all_nodes) if q.matches(n)]
    key = nodes.SORTS[q.sort]
    pairs.sort(key=lambda pair: key(pair[1]), reverse=q.descending)
    pages = max(1, -(-len(pairs) // page_size))
    start = (min(q.page, pages) - 1) * page_size
    return pairs[start : start + page_size], len(pairs)


def varied_bay(count, shift=0):
    agents = []
    for i in range(count):
        one = agent(
            i,
            hostname=f"host-{(i * 7 + shift) % 50:02d}.bay",  # many equal keys
            active=(i + shift) % 5 != 0,
            cpus=float((i + shift) % 4),
            tasks=i % 3,
            registered=1000.0 + i % 6,
        )
        if i % 4:
            one["domain"] = {
                "fault_domain": {
                    "region": {"name": f"r{i % 2}"},
                    "zone": {"name": f"z{i % 3}"},
                }
            }
        agents.append(one)
    return answer(agents)


QUERIES = [
    NodeQuery(),
    query(nodes_state="disconnected"),
    query(nodes_state=["healthy", "disconnected"], nodes_q="HOST-1"),
    query(nodes_q="10.0.0.1"),
    query(nodes_q="agent-0001"),
    query(nodes_region="r1", nodes_zone="z2"),
    query(nodes_role="private", nodes_diag="none"),
    query(nodes_q="nothing-matches"),
]


@pytest.mark.parametrize("sort", sorted(nodes.SORTS))
@pytest.mark.parametrize("descending", [False, True])
def test_a_kept_index_answers_as_the_plain_way_for_every_query(sort, descending):
    bay = varied_bay(230)
    for base in QUERIES:
        for page in (1, 2, 3, 99):
            q = dataclasses.replace(base, sort=sort, descending=descending, page=page)
            expected_rows, expected_matching = reference_select(bay.nodes, q, 40)
            cold = nodes.select(bay.nodes, q, 40)
            warm = nodes.select(nodes.index_of(bay.nodes), q, 40)
            again = nodes.select(nodes.index_of(bay.nodes), q, 40)
            for got in (cold, warm, again):
                assert got.rows == expected_rows, (q, got.rows[:3])
                assert got.matching == expected_matching


def test_the_index_is_kept_per_answer_and_replaced_with_it():
    bay = varied_bay(120)
    index = nodes.index_of(bay.nodes)
    assert nodes.index_of(bay.nodes) is index
    q = query(nodes_sort="cpus", nodes_dir="desc", nodes_page="2")
    assert nodes.select(index, q, 25) == nodes.select(bay.nodes, q, 25)
    assert index.fault_domains == nodes.fault_domains(bay.nodes)
    assert index.regions == ["r0", "r1"] and index.zones == ["z0", "z1", "z2"]

    # A new answer (equal or not) is a new tuple: its own index, never the old.
    replaced = varied_bay(120, shift=1)
    assert nodes.index_of(replaced.nodes) is not index
    assert nodes.select(nodes.index_of(replaced.nodes), q, 25) == nodes.select(
        replaced.nodes, q, 25
    )
    assert nodes.select(nodes.index_of(replaced.nodes), q, 25) != nodes.select(
        index, q, 25
    )
    same_again = varied_bay(120)
    assert nodes.index_of(same_again.nodes) is not index
    # A few answers are kept, the oldest dropped.
    for i in range(nodes._INDEXES):
        nodes.index_of(varied_bay(3, shift=i).nodes)
    assert all(kept.nodes is not bay.nodes for kept in nodes._indexes)
