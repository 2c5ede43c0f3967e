"""What dcos-diagnostics says of a simulated DC/OS cluster: ``/system/health/v1``
nodes and units (dcos-diagnostics api/types.go shapes).

``unhealthy`` (a count) marks the first agents unhealthy; ``unhealthy_units``
(a count: the first units of the listing; or unit ids) makes a unit unhealthy
on the first node that runs it (master 0, agent 0), and that node unhealthy
in ``/system/health/v1/nodes``.
"""

from dcos_sandbox.clusters.agents import agent_ip, master_ip
from dcos_sandbox.clusters.encoding import encode, splice

# /system/health/v1/units of a DC/OS cluster: (id, name, description, role of
# the nodes that run it).
DCOS_UNITS = (
    ("dcos-adminrouter.service", "Admin Router", "Proxies the cluster's APIs",
     "master"),
    ("dcos-exhibitor.service", "Exhibitor", "Manages the ZooKeeper quorum",
     "master"),
    ("dcos-history.service", "History Service", "Keeps recent cluster state",
     "master"),
    ("dcos-marathon.service", "Marathon", "Orchestrates long-lived services",
     "master"),
    ("dcos-mesos-dns.service", "Mesos DNS", "Serves service discovery", "master"),
    ("dcos-mesos-master.service", "Mesos Master", "Manages agents and frameworks",
     "master"),
    ("dcos-mesos-slave.service", "Mesos Agent", "Runs tasks on a private agent",
     "agent"),
    ("dcos-metronome.service", "Jobs Service", "Schedules jobs", "master"),
)  # fmt: skip

UNIT_IDS = tuple(unit[0] for unit in DCOS_UNITS)

AGENT_UNIT = "dcos-mesos-slave.service"


class Diagnostics:
    """The diagnostics bodies of one bay (a :class:`BayView`) of ``agent_count``
    agents, unreachable ones included."""

    def __init__(self, view, agent_count):
        self.view = view
        self.seed = view.seed
        self.agent_count = agent_count

    def _unhealthy_units(self):
        chosen = self.view.knobs.get("unhealthy_units") or ()
        if isinstance(chosen, int):
            return set(UNIT_IDS[:chosen])
        return set(chosen)

    def _unit_nodes(self, uid, role):
        """[(host_ip, health, role)] of the nodes running one unit."""
        v, seed = self.view, self.seed
        broken = uid in self._unhealthy_units()
        if role == "master":
            return [
                (master_ip(seed, i), int(broken and i == 0), "master")
                for i in range(v.master_count)
            ]
        unhealthy = v.knobs.get("unhealthy", 0)
        return [
            (agent_ip(seed, i), int(i < unhealthy or (broken and i == 0)), "agent")
            for i in range(self.agent_count)
        ]

    def nodes(self):
        worst = {}
        for uid, _name, _description, role in DCOS_UNITS:
            for ip, health, node_role in self._unit_nodes(uid, role):
                worst[ip, node_role] = max(worst.get((ip, node_role), 0), health)
        nodes = [
            f'{{"host_ip":"{ip}","health":{health},"role":"{role}"}}'
            for (ip, role), health in worst.items()
        ]
        return splice({}, "nodes", nodes, {})

    def _unit(self, uid):
        for unit_id, name, description, role in DCOS_UNITS:
            if unit_id == uid:
                nodes = self._unit_nodes(uid, role)
                health = max((h for _ip, h, _role in nodes), default=0)
                unit = {
                    "id": uid,
                    "name": name,
                    "health": health,
                    "description": description,
                }
                return unit, nodes
        return None, None

    def units(self):
        return encode({"units": [self._unit(uid)[0] for uid in UNIT_IDS]})

    def unit_body(self, endpoint, uid, node_ip=None):
        """dcos-diagnostics' answer for one unit, its nodes or one of them;
        None when the unit (or the node) is unknown."""
        unit, nodes = self._unit(uid)
        if unit is None:
            return None
        if endpoint == "unit":
            return encode(unit)
        if endpoint == "unit-nodes":
            items = [
                f'{{"host_ip":"{ip}","health":{health},"role":"{role}"}}'
                for ip, health, role in nodes
            ]
            return splice({}, "nodes", items, {})
        for ip, health, role in nodes:
            if ip == node_ip:
                # NodeResponseFieldsWithErrorStruct: the unit's journal and help.
                state = "failed" if health else "active (running)"
                return encode(
                    {
                        "host_ip": ip,
                        "health": health,
                        "role": role,
                        "output": f"{uid} - {unit['name']}: {state}",
                        "help": f"Run `journalctl -u {uid}` on {ip} to read "
                        f"the log of {unit['name']}.",
                    }
                )
        return None
