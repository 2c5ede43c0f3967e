"""Find the node that matters among thousands: filter, search, sort, page (pure).

A :class:`NodeQuery` is what the Nodes tab's URL says (so a link can be
shared); :func:`select` applies it to a bay's ``health.NodeHealth`` records
and returns one page. Everything runs on the server over the cached answer:
a 10,000-agent bay is filtered and sorted in milliseconds, and the browser
only ever receives one page. :func:`index_of` keeps what every query of the
same nodes needs (sorted orders, search text, fault domains), so a warm
worker sorts a bay once per answer, not once per request. No Django, no I/O.
"""

from __future__ import annotations

import dataclasses
import math
import threading
from collections.abc import Iterable, Sequence
from functools import cached_property

from dcos_dashboard import health

STATES = health.NODE_STATES
# dcos/dcos-diagnostics: 0 healthy, 1 unhealthy, 3 unknown; None: not asked.
DIAGNOSTICS = {"healthy": 0, "unhealthy": 1, "unknown": 3}
PUBLIC, PRIVATE = "public", "private"
ROLES = (PUBLIC, PRIVATE)
# DC/OS diagnostics name a public agent's role so (dcos/dcos-diagnostics).
_PUBLIC_ROLES = frozenset(("agent_public", "slave_public"))

# Worst first, so the default order shows what needs attention.
_ATTENTION = {
    health.UNHEALTHY: 0,
    health.DISCONNECTED: 1,
    health.UNKNOWN: 2,
    health.DRAINING: 3,
    health.DRAINED: 4,
    health.DEACTIVATED: 5,
    health.HEALTHY: 6,
}


def _percent(used, total):
    return used / total if total else -1.0


def _text(value):
    return (value or "").lower()


# sort name -> key of a node; every key is total (no None) so any bay sorts.
SORTS = {
    "attention": lambda n: (_ATTENTION.get(n.state, 2), _text(n.hostname)),
    "hostname": lambda n: _text(n.hostname or n.ip or n.agent_id),
    "ip": lambda n: _text(n.ip),
    "state": lambda n: (n.state or "", _text(n.hostname)),
    "cpus": lambda n: _percent(n.cpus_used, n.cpus_total),
    "mem": lambda n: _percent(n.mem_used, n.mem_total),
    "disk": lambda n: _percent(n.disk_used, n.disk_total),
    "gpus": lambda n: _percent(n.gpus_used, n.gpus_total),
    "tasks": lambda n: n.running_tasks,
    "registered": lambda n: n.registered_time or 0.0,
    "region": lambda n: (_text(region_of(n)), _text(zone_of(n))),
    "zone": lambda n: (_text(zone_of(n)), _text(n.hostname)),
}
DEFAULT_SORT = "attention"


def role_of(node) -> str:
    """`public` or `private` agent (DC/OS diagnostics, else the agent's attributes)."""
    role = getattr(node, "role", None)
    if role in _PUBLIC_ROLES or getattr(node, "public", False):
        return PUBLIC
    return PRIVATE


def region_of(node) -> str | None:
    return getattr(node, "region", None)


def zone_of(node) -> str | None:
    return getattr(node, "zone", None)


def diagnostics_of(node) -> str | None:
    value = node.diagnostics_health
    for name, code in DIAGNOSTICS.items():
        if value == code:
            return name
    return None


@dataclasses.dataclass(frozen=True)
class NodeQuery:
    """Filters, search, order and page, as given in the URL (bad values dropped)."""

    states: frozenset[str] = frozenset()
    diagnostics: frozenset[str] = frozenset()
    roles: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    zones: frozenset[str] = frozenset()
    text: str = ""
    sort: str = DEFAULT_SORT
    descending: bool = False
    page: int = 1

    # URL parameter names, prefixed so they never meet Horizon's own.
    PARAMS = {
        "states": "nodes_state",
        "diagnostics": "nodes_diag",
        "roles": "nodes_role",
        "regions": "nodes_region",
        "zones": "nodes_zone",
        "text": "nodes_q",
        "sort": "nodes_sort",
        "descending": "nodes_dir",
        "page": "nodes_page",
    }
    # The longest search a URL may carry (a hostname is at most 253).
    MAX_TEXT = 256

    @classmethod
    def from_params(cls, get_list) -> NodeQuery:
        """From ``QueryDict.getlist``-like access; anything unknown is ignored."""

        def chosen(field, allowed=None):
            values = {v for v in get_list(cls.PARAMS[field]) if v}
            if allowed is not None:
                values &= set(allowed)
            return frozenset(v[: cls.MAX_TEXT] for v in values)

        def last(field):
            values = get_list(cls.PARAMS[field])
            return values[-1] if values else ""

        try:
            page = max(1, int(last("page") or 1))
        except ValueError:
            page = 1
        sort = last("sort")
        return cls(
            states=chosen("states", STATES),
            diagnostics=chosen("diagnostics", list(DIAGNOSTICS) + ["none"]),
            roles=chosen("roles", ROLES),
            regions=chosen("regions"),
            zones=chosen("zones"),
            text=last("text").strip()[: cls.MAX_TEXT],
            sort=sort if sort in SORTS else DEFAULT_SORT,
            descending=last("descending") == "desc",
            page=min(page, 10**9),
        )

    def params(self, **changes) -> list[tuple[str, str]]:
        """The URL parameters of this query (with ``changes``), stable order."""
        query = dataclasses.replace(self, **changes)
        params = []
        for field in ("states", "diagnostics", "roles", "regions", "zones"):
            params += [(self.PARAMS[field], v) for v in sorted(getattr(query, field))]
        if query.text:
            params.append((self.PARAMS["text"], query.text))
        if query.sort != DEFAULT_SORT:
            params.append((self.PARAMS["sort"], query.sort))
        if query.descending:
            params.append((self.PARAMS["descending"], "desc"))
        params.append((self.PARAMS["page"], str(query.page)))
        return params

    @property
    def filtered(self) -> bool:
        return bool(
            self.states
            or self.diagnostics
            or self.roles
            or self.regions
            or self.zones
            or self.text
        )

    def _kept(self, index: NodeIndex, order: list[int]) -> list[int]:
        """The positions of ``order`` whose nodes match, in that order."""
        nodes = index.nodes
        if self.text:
            needle = self.text.lower()
            hosts, ips, ids = index.search_columns
            order = [
                i
                for i in order
                if needle in hosts[i] or needle in ips[i] or needle in ids[i]
            ]
        rest = dataclasses.replace(self, text="")
        if rest.filtered:
            matches = rest.matches
            order = [i for i in order if matches(nodes[i])]
        return order

    def matches(self, node) -> bool:
        if self.states and node.state not in self.states:
            return False
        if (
            self.diagnostics
            and (diagnostics_of(node) or "none") not in self.diagnostics
        ):
            return False
        if self.roles and role_of(node) not in self.roles:
            return False
        if self.regions and region_of(node) not in self.regions:
            return False
        if self.zones and zone_of(node) not in self.zones:
            return False
        if self.text:
            needle = self.text.lower()
            return any(
                needle in _text(value)
                for value in (node.hostname, node.ip, node.agent_id)
            )
        return True


@dataclasses.dataclass(frozen=True)
class Selection:
    """One page of the nodes a query matches: (index in the answer, node) pairs."""

    rows: list[tuple[int, object]]
    matching: int
    page: int
    page_count: int
    first: int  # 1-based position of the first row shown (0: none)
    last: int


class NodeIndex:
    """One answer's nodes with what queries of them need, each made once.

    Read-only once made: threads share it; two threads may both compute an
    order the first time, and either result is the same.
    """

    def __init__(self, nodes: Sequence):
        self.nodes = nodes
        self._orders: dict[tuple[str, bool], list[int]] = {}

    def order(self, sort: str, descending: bool) -> list[int]:
        """Positions of the nodes in ``sort`` order (stable, as ``sorted``)."""
        order = self._orders.get((sort, descending))
        if order is None:
            keys = list(map(SORTS[sort], self.nodes))
            order = sorted(range(len(keys)), key=keys.__getitem__, reverse=descending)
            self._orders[sort, descending] = order
        return order

    @cached_property
    def search_columns(self) -> tuple[list[str], list[str], list[str]]:
        nodes = self.nodes
        return (
            [_text(n.hostname) for n in nodes],
            [_text(n.ip) for n in nodes],
            [_text(n.agent_id) for n in nodes],
        )

    @cached_property
    def fault_domains(self) -> list[tuple[str, str, int]]:
        return fault_domains(self.nodes)

    @cached_property
    def regions(self) -> list[str]:
        return choices_of(self.nodes, region_of)

    @cached_property
    def zones(self) -> list[str]:
        return choices_of(self.nodes, zone_of)


# The indexes of the answers last shown, most recent last: the cache hands a
# warm worker the same nodes tuple until the answer is replaced.
_INDEXES = 4
_indexes: list[NodeIndex] = []
_indexes_guard = threading.Lock()


def index_of(nodes: Sequence) -> NodeIndex:
    """The index of these very nodes (by identity), made once per process."""
    with _indexes_guard:
        for index in _indexes:
            if index.nodes is nodes:
                return index
        index = NodeIndex(nodes)
        _indexes.append(index)
        del _indexes[:-_INDEXES]
    return index


def select(nodes: Sequence | NodeIndex, query: NodeQuery, page_size: int) -> Selection:
    """The page of ``nodes`` that ``query`` asks for, page clamped to what exists.

    Sorting all then filtering keeps the order filtering then sorting gives:
    both sorts are stable over the nodes' order in the answer.
    """
    index = nodes if isinstance(nodes, NodeIndex) else NodeIndex(nodes)
    ordered = index.order(query.sort, query.descending)
    if query.filtered:
        ordered = query._kept(index, ordered)
    matching = len(ordered)
    page_count = max(1, math.ceil(matching / page_size))
    page = min(query.page, page_count)
    start = (page - 1) * page_size
    rows = [(i, index.nodes[i]) for i in ordered[start : start + page_size]]
    return Selection(
        rows=rows,
        matching=matching,
        page=page,
        page_count=page_count,
        first=start + 1 if rows else 0,
        last=start + len(rows),
    )


@dataclasses.dataclass(frozen=True)
class NodesPage:
    """What the Nodes tab shows of one answer for one query: small, so it
    can be shared between workers (``mesos.keep_derived``)."""

    selection: Selection
    node_total: int
    fault_domains: list[tuple[str, str, int]]
    regions: list[str]
    zones: list[str]


def page_of(nodes: Sequence, query: NodeQuery, page_size: int) -> NodesPage:
    """The page ``query`` asks for, with what the tab shows beside it."""
    index = index_of(nodes)
    return NodesPage(
        selection=select(index, query, page_size),
        node_total=len(nodes),
        fault_domains=index.fault_domains,
        regions=index.regions,
        zones=index.zones,
    )


def fault_domains(nodes: Iterable) -> list[tuple[str, str, int]]:
    """(region, zone, agents) for every fault domain the nodes name, sorted."""
    counts: dict[tuple[str, str], int] = {}
    for node in nodes:
        region, zone = region_of(node), zone_of(node)
        if region or zone:
            key = (region or "", zone or "")
            counts[key] = counts.get(key, 0) + 1
    return [(region, zone, n) for (region, zone), n in sorted(counts.items())]


def choices_of(nodes: Iterable, attribute) -> list[str]:
    """The distinct non-empty values of ``attribute(node)``, sorted."""
    return sorted({v for v in map(attribute, nodes) if v})
