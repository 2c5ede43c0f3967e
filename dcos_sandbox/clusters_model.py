"""What a simulated DC/OS or Mesos cluster says: its agents and the JSON bodies.

Pure data, no sockets: a ``Snapshot`` is built from one bay's settings and
knobs and answers every endpoint from them, deterministically per bay, so a
bay shows the same agents and numbers after a restart. Shapes follow Mesos'
``src/master/readonly_handler.cpp`` (SlaveWriter, state-summary, SlavesWriter)
and the recorded responses in ``../shared/fixtures/mesos/``.

Agent states are laid out by index, so tests can predict them: unreachable
agents are the last ones (and vanish from ``slaves``); then, from index 0,
come the disconnected, deactivated, draining and drained agents; ``unhealthy``
marks the first agents in the diagnostics, independently of the rest.
``unhealthy_units`` (a count: the first units of the listing; or unit ids)
makes a unit unhealthy on the first node that runs it (master 0, agent 0),
and that node unhealthy in ``/system/health/v1/nodes``.
"""

import dataclasses
import hashlib
import html
import ipaddress
import json
import uuid as uuidlib

AGENT_PORT = 5051  # Mesos agent default --port (docs/configuration/agent.md)
MESOS_VERSION = "1.10.0"  # the last Apache Mesos release, the one DC/OS 2.x ships
# DC/OS 1.8 (Magnum's contrib DC/OS driver) ships Mesos 1.0 (REFERENCE.md).
OLD_MESOS_VERSION = "1.0.1"
# DC/OS agents offer all but the system ports (dcos-diagnostics state-summary fixture).
DCOS_PORTS = "[1025-2180, 2182-3887, 3889-5049, 5052-8079, 8082-8180, 8182-32000]"
# Mesos agents' default ports resource (docs/attributes-resources.md).
MESOS_PORTS = "[31000-32000]"
# SlaveInfo::Capability values a Mesos 1.10 agent reports (include/mesos/mesos.proto).
AGENT_CAPABILITIES = (
    "MULTI_ROLE",
    "HIERARCHICAL_ROLE",
    "RESERVATION_REFINEMENT",
    "RESOURCE_PROVIDER",
    "RESIZE_VOLUME",
    "AGENT_OPERATION_FEEDBACK",
    "AGENT_DRAINING",
    "TASK_RESOURCE_LIMITS",
)
# The per-agent and per-framework counts state-summary writes (readonly_handler.cpp).
TASK_STATES = (
    "TASK_STAGING",
    "TASK_STARTING",
    "TASK_RUNNING",
    "TASK_KILLING",
    "TASK_FINISHED",
    "TASK_KILLED",
    "TASK_FAILED",
    "TASK_LOST",
    "TASK_ERROR",
    "TASK_UNREACHABLE",
)
# master/tasks_* gauges (src/master/metrics.cpp); the last three have no summary field.
METRIC_TASK_STATES = tuple(s[5:].lower() for s in TASK_STATES) + (
    "dropped",
    "gone",
    "gone_by_operator",
)
SCALARS = ("cpus", "mem", "disk", "gpus")  # Master::Metrics resources (metrics.cpp)
# (region, zone) of DC/OS agents' domain.fault_domain (mesos.proto DomainInfo),
# drawn per agent: OpenStack's default region and a second one, so that a UI
# can group agents by region and zone as dcos-ui does.
FAULT_DOMAINS = (
    ("RegionOne", "nova"),
    ("RegionOne", "nova"),
    ("RegionOne", "az-2"),
    ("RegionOne", "az-3"),
    ("RegionTwo", "az-4"),
    ("RegionTwo", "az-5"),
)
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
# RFC 2544 benchmark range: made-up node IPs that nothing will ever answer on.
_NET = ipaddress.IPv4Network("198.18.0.0/15")
_NET_BASE = int(_NET.network_address)
_NET_SPAN = _NET.num_addresses - 2  # neither the network nor the broadcast address
_MASTER_SLOTS = 16
_MASK = (1 << 64) - 1


def bay_seed(uuid):
    return int.from_bytes(hashlib.sha256(uuid.encode()).digest()[:8], "big")


def _mix(x):
    # splitmix64: cheap, well spread, and the same on every platform.
    x = (x + 0x9E3779B97F4A7C15) & _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


def _ip(seed, slot):
    x = _NET_BASE + 1 + (seed + slot) % _NET_SPAN
    return f"{x >> 24}.{(x >> 16) & 255}.{(x >> 8) & 255}.{x & 255}"


def master_ip(seed, index):
    return _ip(seed, index % _MASTER_SLOTS)


def agent_ip(seed, index):
    return _ip(seed, _MASTER_SLOTS + index)


def master_id(seed):
    """A Mesos master ID (a UUID), the prefix of agent and framework IDs."""
    return str(uuidlib.UUID(int=_mix(seed) << 64 | _mix(seed ^ _MASK)))


@dataclasses.dataclass(frozen=True)
class BayView:
    """What a snapshot needs to know of a bay, frozen at one generation."""

    uuid: str
    coe: str
    name: str
    master_count: int
    node_count: int
    created_at: float
    knobs: dict
    leader_host: str  # where the leading master says it lives
    leader_port: int
    generation: int = 0

    @property
    def label(self):
        return self.name or self.uuid[:8]

    @property
    def seed(self):
        return bay_seed(self.uuid)

    @property
    def agent_count(self):
        return self.knobs.get("agents") or self.node_count


def agent_states(view):
    """Per agent index: normal, disconnected, deactivated, draining, drained
    or unreachable."""
    n = view.agent_count
    k = view.knobs
    unreachable = min(k.get("unreachable", 0), n)
    states = []
    left = n - unreachable
    for name in ("disconnected", "deactivated", "draining", "drained"):
        count = min(k.get(name, 0), left)
        states += [name] * count
        left -= count
    states += ["normal"] * left
    states += ["unreachable"] * unreachable
    return states


_ZERO_USE = '{"disk":0.0,"mem":0.0,"gpus":0.0,"cpus":0.0}'
_ALLOCATED = ',"allocation_info":{"role":"*"}'


class Snapshot:
    """Every body of one bay at one generation, each built once, on demand.

    Agents are kept as tuples of numbers and written with pre-encoded
    fragments: json.dumps of 10,000 agent dicts takes several times longer.
    The JSON bodies are the only representation; ``obj()`` parses them back.
    """

    def __init__(self, view):
        self.view = view
        self.generation = view.generation
        self.old = bool(view.knobs.get("old_mesos"))
        self.version = OLD_MESOS_VERSION if self.old else MESOS_VERSION
        self.seed = view.seed
        self.master_id = master_id(self.seed)
        self.marathon_id = f"{self.master_id}-0000"
        self.metronome_id = f"{self.master_id}-0001"
        self.states = agent_states(view)
        self._bodies = {}
        self._objects = {}
        self._resource_json = {}
        self._build_records(self.seed)
        self._encode_constants()

    # -- agents -------------------------------------------------------------

    def _build_records(self, seed):
        records = []
        totals = dict.fromkeys(SCALARS, 0.0)
        used_totals = dict.fromkeys(SCALARS, 0.0)
        task_totals = dict.fromkeys(TASK_STATES, 0)
        self.unreachable_ids = []
        self.unreachable_running = 0
        for i, state in enumerate(self.states):
            r = _mix(seed + i)
            r2 = _mix(r)
            cpus = (4.0, 8.0, 16.0, 32.0)[r & 3]
            mem = cpus * (1843.0, 3891.0, 3891.0, 7987.0)[(r >> 2) & 3]
            disk = (20778.0, 45356.0, 95946.0, 456229.0)[(r >> 4) & 3]
            gpus = 1.0 if (r >> 6) & 15 == 0 else 0.0
            running = (r >> 10) % 9
            if state == "unreachable":
                self.unreachable_ids.append(f"{self.master_id}-S{i}")
                self.unreachable_running += running
                continue
            used_cpus = min(cpus, round(running * (1 + (r2 & 15)) / 10, 1))
            used_mem = min(mem, float(running * 128 * (1 + ((r2 >> 4) & 15))))
            used_disk = min(disk, float(running * 256 * ((r2 >> 8) & 3)))
            used_gpus = gpus if running and (r2 >> 10) & 1 else 0.0
            first_port = 31000 + (r2 >> 12) % 900
            finished, killed, failed = (r2 >> 20) % 40, (r2 >> 26) % 5, (r2 >> 29) % 3
            domain = (r2 >> 32) % len(FAULT_DOMAINS)
            records.append(
                (i, state, cpus, mem, disk, gpus, used_cpus, used_mem, used_disk,
                 used_gpus, running, first_port, finished, killed, failed, domain)
            )  # fmt: skip
            totals["cpus"] += cpus
            totals["mem"] += mem
            totals["disk"] += disk
            totals["gpus"] += gpus
            used_totals["cpus"] += used_cpus
            used_totals["mem"] += used_mem
            used_totals["disk"] += used_disk
            used_totals["gpus"] += used_gpus
            task_totals["TASK_RUNNING"] += running
            task_totals["TASK_FINISHED"] += finished
            task_totals["TASK_KILLED"] += killed
            task_totals["TASK_FAILED"] += failed
        self.records = records
        self.totals = totals
        self.used_totals = used_totals
        self.task_totals = task_totals
        self.listed_states = [rec[1] for rec in records]

    def _encode_constants(self):
        v = self.view
        dcos = v.coe == "dcos"
        self._ports = DCOS_PORTS if dcos else MESOS_PORTS
        self._id_head = '{"id":"' + self.master_id + "-S"
        self._host_head = '","hostname":' + encode_str(v.label)[:-1] + "-agent-"
        head = f'","port":{AGENT_PORT},"attributes":{{}}'
        pid = ',"pid":"slave(1)@'
        with_domain = dcos and not self.old
        self._host_tails = tuple(
            head
            + (',"domain":' + encode_str(_domain(region, zone)) if with_domain else "")
            + pid
            for region, zone in FAULT_DOMAINS
        )
        self._base_time = v.created_at + 30.0  # agents join once the masters are up
        tails = {}
        for state in ("normal", "disconnected", "deactivated", "draining", "drained"):
            # Master::deactivate() clears `active` for disconnected and deactivated
            # agents alike (src/master/master.cpp).
            tail = ',"active":' + ("true" if state == "normal" else "false")
            if not self.old:
                deactivated = state in ("deactivated", "draining", "drained")
                tail += ',"deactivated":' + ("true" if deactivated else "false")
            tail += ',"version":"' + self.version + '"'
            if not self.old:
                tail += ',"capabilities":' + encode_str(list(AGENT_CAPABILITIES))
                if state in ("draining", "drained"):
                    tail += (
                        ',"drain_info":{"state":"' + state.upper() + '","config":{}}'
                    )
            tails[state] = tail
        self._tails = tails
        self._framework_ids = '"framework_ids":["' + self.marathon_id + '"]}'

    def _resources(self, rec):
        key = rec[2:6]
        text = self._resource_json.get(key)
        if text is None:
            cpus, mem, disk, gpus = key
            text = (
                f'{{"disk":{disk!r},"mem":{mem!r},"gpus":{gpus!r},"cpus":{cpus!r},'
                f'"ports":"{self._ports}"}}'
            )
            self._resource_json[key] = text
        return text

    def _used(self, rec):
        cpus, mem, disk, gpus, running, port = rec[6:12]
        text = f'{{"disk":{disk!r},"mem":{mem!r},"gpus":{gpus!r},"cpus":{cpus!r}'
        if running:
            text += f',"ports":"[{port}-{port + running - 1}]"'
        return text + "}"

    def _agent(self, rec):
        """One SlaveWriter object (readonly_handler.cpp), without its closing brace."""
        i = rec[0]
        registered = self._base_time + i * 0.001
        resources = self._resources(rec)
        ip = agent_ip(self.seed, i)
        return (
            f"{self._id_head}{i}{self._host_head}{i}{self._host_tails[rec[15]]}{ip}"
            f':{AGENT_PORT}","registered_time":{registered!r},'
            f'"reregistered_time":{registered + 0.0001!r},"resources":{resources},'
            f'"used_resources":{self._used(rec)},"offered_resources":{_ZERO_USE},'
            f'"reserved_resources":{{}},"unreserved_resources":{resources}'
            f"{self._tails[rec[1]]}"
        )

    def _summary_agent(self, rec):
        running, finished, killed, failed = rec[10], rec[12], rec[13], rec[14]
        busy = running or finished or killed or failed
        return (
            f'{self._agent(rec)},"TASK_STAGING":0,"TASK_STARTING":0,'
            f'"TASK_RUNNING":{running},"TASK_KILLING":0,"TASK_FINISHED":{finished},'
            f'"TASK_KILLED":{killed},"TASK_FAILED":{failed},"TASK_LOST":0,'
            f'"TASK_ERROR":0,"TASK_UNREACHABLE":0,'
            + (self._framework_ids if busy else '"framework_ids":[]}')
        )

    def _full_agent(self, rec):
        key = ("full",) + rec[2:6]
        unreserved = self._resource_json.get(key)
        if unreserved is None:
            unreserved = encode_str(_full(json.loads(self._resources(rec))))
            self._resource_json[key] = unreserved
        used = []
        for name, value in zip(SCALARS, (rec[6], rec[7], rec[8], rec[9]), strict=True):
            if value:
                used.append(
                    f'{{"name":"{name}","type":"SCALAR","scalar":{{"value":{value!r}}},'
                    f'"role":"*"{_ALLOCATED}}}'
                )
        running, port = rec[10], rec[11]
        if running:
            used.append(
                '{"name":"ports","type":"RANGES","ranges":{"range":[{"begin":'
                f'{port},"end":{port + running - 1}}}]}},"role":"*"{_ALLOCATED}}}'
            )
        return (
            f'{self._agent(rec)},"reserved_resources_full":{{}},'
            f'"unreserved_resources_full":{unreserved},'
            f'"used_resources_full":[{",".join(used)}],"offered_resources_full":[]}}'
        )

    def agent_id(self, rec):
        return f"{self.master_id}-S{rec[0]}"

    # -- whole bodies -------------------------------------------------------

    def _frameworks(self):
        busy = [
            self.agent_id(rec) for rec in self.records if any(rec[12:15]) or rec[10]
        ]
        marathon_counts = dict(self.task_totals)
        marathon_counts["TASK_UNREACHABLE"] = self.unreachable_running
        lost = self.unreachable_ids if self.unreachable_running else []
        caps = [
            "TASK_KILLING_STATE",
            "GPU_RESOURCES",
            "PARTITION_AWARE",
            "REGION_AWARE",
        ]
        frameworks = [
            self._framework(
                self.marathon_id,
                "marathon",
                15101,
                8080,
                caps,
                {k: self.used_totals[k] for k in ("disk", "mem", "gpus", "cpus")},
                marathon_counts,
                busy + lost,
            )
        ]
        if self.view.coe == "dcos":
            frameworks.append(
                self._framework(
                    self.metronome_id,
                    "metronome",
                    15201,
                    9000,
                    ["PARTITION_AWARE", "REGION_AWARE"],
                    json.loads(_ZERO_USE),
                    dict.fromkeys(TASK_STATES, 0),
                    [],
                )
            )
        return frameworks

    def _framework(self, fid, name, pid_port, ui_port, caps, used, counts, slave_ids):
        host = self.view.leader_host
        scheduler = uuidlib.UUID(int=_mix(self.seed ^ pid_port) << 64 | pid_port)
        framework = {
            "id": fid,
            "name": name,
            "pid": f"scheduler-{scheduler}@{host}:{pid_port}",
            "used_resources": used,
            "offered_resources": json.loads(_ZERO_USE),
            "capabilities": caps,
            "hostname": host,
            "webui_url": f"http://{host}:{ui_port}",
            "active": True,
            "connected": True,
            "recovered": False,
        }
        framework.update(counts)
        framework["slave_ids"] = slave_ids
        return framework

    def state_summary(self):
        head = {"hostname": self.view.leader_host, "cluster": self.view.label}
        agents = [self._summary_agent(rec) for rec in self.records]
        return _splice(head, "slaves", agents, {"frameworks": self._frameworks()})

    def slaves(self, slave_id=None):
        chosen = [
            self._full_agent(rec)
            for rec in self.records
            if slave_id is None or self.agent_id(rec) == slave_id
        ]
        return _splice({}, "slaves", chosen, {"recovered_slaves": []})

    def state(self):
        v = self.view
        frameworks = []
        for framework in self._frameworks():
            framework.update(
                user="root",
                failover_timeout=604800.0,
                checkpoint=True,
                registered_time=v.created_at + 60.0,
                unregistered_time=0.0,
                resources=framework["used_resources"],
                roles=["*"],
                tasks=[],
                unreachable_tasks=[],
                completed_tasks=[],
                offers=[],
                executors=[],
            )
            frameworks.append(framework)
        pid = f"master@{v.leader_host}:{v.leader_port}"
        active = self.listed_states.count("normal")
        head = {
            "version": self.version,
            "git_sha": hashlib.sha256(self.version.encode()).hexdigest()[:40],
            "git_tag": self.version,
            "build_date": "2020-06-02 12:09:43",
            "build_time": 1591099783.0,
            "build_user": "root",
            "start_time": v.created_at,
            "elected_time": v.created_at + 1.0,
            "id": self.master_id,
            "pid": pid,
            "hostname": v.leader_host,
            "capabilities": ["AGENT_UPDATE", "AGENT_DRAINING", "QUOTA_V2"],
            "activated_slaves": float(active),
            "deactivated_slaves": float(len(self.records) - active),
            "unreachable_slaves": float(len(self.unreachable_ids)),
            "leader": pid,
            "leader_info": {
                "id": self.master_id,
                "pid": pid,
                "port": v.leader_port,
                "hostname": v.leader_host,
            },
            "cluster": v.label,
            "log_dir": "/var/log/mesos",
            "flags": {"cluster": v.label, "port": str(v.leader_port)},
        }
        agents = [self._agent(rec) + "}" for rec in self.records]
        rest = {
            "recovered_slaves": [],
            "frameworks": frameworks,
            "completed_frameworks": [],
            "orphan_tasks": [],
            "unregistered_frameworks": [],
        }
        return _splice(head, "slaves", agents, rest)

    def metrics(self, elected, uptime):
        """Flat /metrics/snapshot; a master that is not the leader knows no agents."""
        m = {"master/uptime_secs": uptime, "master/elected": 1.0 if elected else 0.0}
        states = self.listed_states if elected else []
        connected = len(states) - states.count("disconnected")
        active = states.count("normal")
        m["master/slaves_connected"] = float(connected)
        m["master/slaves_disconnected"] = float(len(states) - connected)
        m["master/slaves_active"] = float(active)
        m["master/slaves_inactive"] = float(len(states) - active)
        m["master/slaves_unreachable"] = float(
            len(self.unreachable_ids) if elected else 0
        )
        frameworks = (2.0 if self.view.coe == "dcos" else 1.0) if elected else 0.0
        m["master/frameworks_connected"] = frameworks
        m["master/frameworks_disconnected"] = 0.0
        m["master/frameworks_active"] = frameworks
        m["master/frameworks_inactive"] = 0.0
        m["master/outstanding_offers"] = 0.0
        for state in METRIC_TASK_STATES:
            value = self.task_totals.get("TASK_" + state.upper(), 0) if elected else 0
            if state == "unreachable" and elected:
                value += self.unreachable_running
            m[f"master/tasks_{state}"] = float(value)
        for name in SCALARS:
            total = self.totals[name] if elected else 0.0
            used = self.used_totals[name] if elected else 0.0
            m[f"master/{name}_total"] = total
            m[f"master/{name}_used"] = used
            m[f"master/{name}_percent"] = used / total if total else 0.0
            m[f"master/{name}_revocable_total"] = 0.0
            m[f"master/{name}_revocable_used"] = 0.0
            m[f"master/{name}_revocable_percent"] = 0.0
        m["master/slave_registrations"] = float(len(self.states) if elected else 0)
        m["master/slave_reregistrations"] = 0.0
        m["master/slave_removals"] = float(len(self.unreachable_ids) if elected else 0)
        return encode(m)

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
            for i in range(len(self.states))
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
        return _splice({}, "nodes", nodes, {})

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
            return _splice({}, "nodes", items, {})
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

    def console(self):
        name = html.escape(self.view.label)
        return (
            '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>DC/OS</title>'
            "</head>\n<body><h1>DC/OS</h1>\n"
            f'<p>Cluster <strong id="cluster-name">{name}</strong></p>\n'
            f'<p><span id="agent-count">{len(self.records)}</span> agents</p>\n'
            "<p>The sandbox's stand-in for the DC/OS console.</p>\n"
            "</body></html>\n"
        ).encode()

    BUILDERS = {
        "state-summary": state_summary,
        "slaves": slaves,
        "state": state,
        "nodes": nodes,
        "units": units,
    }

    def body(self, endpoint):
        """The serialised body, cached until the bay changes (a new Snapshot)."""
        if endpoint not in self._bodies:
            self._bodies[endpoint] = self.BUILDERS[endpoint](self)
        return self._bodies[endpoint]

    def obj(self, endpoint):
        if endpoint not in self._objects:
            self._objects[endpoint] = json.loads(self.body(endpoint))
        return self._objects[endpoint]


def _domain(region, zone):
    return {"fault_domain": {"region": {"name": region}, "zone": {"name": zone}}}


def encode(obj):
    # Mesos writes compact JSON; so do we, it is also the fastest to build.
    return json.dumps(obj, separators=(",", ":")).encode()


def encode_str(obj):
    return json.dumps(obj, separators=(",", ":"))


def _splice(head, key, items, rest):
    """Bytes of {**head, key: [items...], **rest}, items being JSON texts."""
    parts = [encode_str(head)[:-1]]
    if head:
        parts.append(",")
    parts += ['"', key, '":[', ",".join(items), "]"]
    if rest:
        parts += [",", encode_str(rest)[1:]]
    else:
        parts.append("}")
    return "".join(parts).encode()


def _full(resources):
    """The Resource protobufs behind a summary dict (SlavesWriter's *_full fields)."""
    full = []
    for name in ("cpus", "mem", "disk", "gpus"):
        value = resources.get(name, 0.0)
        if value:
            item = {
                "name": name,
                "type": "SCALAR",
                "scalar": {"value": value},
                "role": "*",
            }
            full.append(item)
    ports = resources.get("ports")
    if ports:
        ranges = []
        for part in ports.strip("[]").split(","):
            begin, _, end = part.strip().partition("-")
            ranges.append({"begin": int(begin), "end": int(end)})
        full.append(
            {
                "name": "ports",
                "type": "RANGES",
                "ranges": {"range": ranges},
                "role": "*",
            }
        )
    return full


def padded_stream(obj, size, list_key, chunk=65536):
    """Chunks of a valid JSON object of exactly ``size`` bytes, never held whole.

    The object's ``list_key`` list is padded with copies of its first item
    (or zeros), as a cluster far bigger than the real one would answer.
    Returns None when ``size`` is too small to hold the padding.
    """
    rest = {k: v for k, v in obj.items() if k != list_key}
    items = obj.get(list_key) or []
    item = encode(items[0]) if items else b"0"
    head = encode(rest)[:-1] + (b"," if rest else b"") + encode(list_key) + b":["
    tail = b"]}"
    unit = b"," + item
    room = size - len(head) - len(item) - len(tail)
    if room < 0:
        return None
    count, pad = divmod(room, len(unit))

    def chunks():
        yield head + item
        per_block = max(1, chunk // len(unit))
        block = unit * per_block
        left = count
        while left >= per_block:
            yield block
            left -= per_block
        if left:
            yield unit * left
        yield b" " * pad + tail

    return chunks()
