"""Links to a bay's own consoles, on the hosts Magnum reported only."""

from __future__ import annotations

import dataclasses
from urllib.parse import quote

from dcos_dashboard import config, health
from dcos_dashboard.api.mesos.addresses import (
    DCOS,
    Endpoint,
    Target,
    dcos_base,
    masters_of,
    split,
)


@dataclasses.dataclass(frozen=True)
class Links:
    """Where a user can look at a bay themselves (Magnum-reported hosts only)."""

    console: str
    nodes: str
    mesos_ui: str
    marathon: str
    node_base: str

    def node(self, agent_id: str) -> str:
        """The page of one agent."""
        return self.node_base + quote(agent_id, safe="")


def _leading_master(target: Target, answer: health.BayHealth | None) -> Endpoint | None:
    masters = masters_of(target)
    if not masters:
        return None
    leader = split(answer.leader) if answer is not None and answer.leader else None
    if leader is not None:
        for master in masters:
            # The state-summary names the leader's host, not its port.
            if master.host == leader[1]:
                return master
    return masters[0]


def links(target: Target, answer: health.BayHealth | None = None) -> Links | None:
    """Links to the bay's own consoles; None when it has no usable address.

    DC/OS: pages of the console behind ``api_address``. Plain Mesos: the
    Mesos UI and Marathon on the leading master when the health answer
    names one of the bay's masters, else on the first master.
    """
    if target.coe == DCOS:
        base = dcos_base(target)
        if base is None:
            return None
        # dcos-ui hash routes (docs/reference.md#dcos-console-links).
        return Links(
            console=base + "/",
            nodes=base + "/#/nodes/agents/table",
            mesos_ui=base + "/mesos/",
            marathon=base + "/service/marathon/",
            node_base=base + "/#/nodes/",
        )
    master = _leading_master(target, answer)
    if master is None:
        return None
    root = master.url("/")
    marathon = Endpoint("http", master.host, int(config.get("MARATHON_PORT")))
    # Mesos web UI routes: #/agents and #/agents/<id> (src/webui/app/app.js).
    return Links(
        console=root,
        nodes=root + "#/agents",
        mesos_ui=root,
        marathon=marathon.url("/"),
        node_base=root + "#/agents/",
    )
