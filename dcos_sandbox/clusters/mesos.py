"""What a simulated cluster's Mesos master says: state-summary, slaves, state and
metrics, as Mesos' ``src/master/readonly_handler.cpp`` (SlaveWriter,
state-summary, SlavesWriter) and the recorded responses in
``../shared/fixtures/mesos/`` write them.

Pure data, no sockets: a ``Snapshot`` is built from one bay's settings and
knobs and answers every endpoint from them, deterministically per bay, so a
bay shows the same agents and numbers after a restart.
"""

import hashlib
import html
import json
import uuid as uuidlib

from dcos_sandbox.clusters.agents import (
    AGENT_CAPABILITIES,
    AGENT_PORT,
    DCOS_PORTS,
    FAULT_DOMAINS,
    MESOS_PORTS,
    MESOS_VERSION,
    METRIC_TASK_STATES,
    OLD_MESOS_VERSION,
    SCALARS,
    TASK_STATES,
    agent_ip,
    agent_states,
    master_id,
    mix,
)
from dcos_sandbox.clusters.diagnostics import Diagnostics
from dcos_sandbox.clusters.encoding import encode, encode_str, full_resources, splice

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
        self.diagnostics = Diagnostics(view, len(self.states))
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
            r = mix(seed + i)
            r2 = mix(r)
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
            + (
                ',"domain":' + encode_str(fault_domain(region, zone))
                if with_domain
                else ""
            )
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
            unreserved = encode_str(full_resources(json.loads(self._resources(rec))))
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
        scheduler = uuidlib.UUID(int=mix(self.seed ^ pid_port) << 64 | pid_port)
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
        return splice(head, "slaves", agents, {"frameworks": self._frameworks()})

    def slaves(self, slave_id=None):
        chosen = [
            self._full_agent(rec)
            for rec in self.records
            if slave_id is None or self.agent_id(rec) == slave_id
        ]
        return splice({}, "slaves", chosen, {"recovered_slaves": []})

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
                # FullFrameworkWriter writes `roles` only for MULTI_ROLE
                # frameworks, `role` for the others (readonly_handler.cpp).
                role="*",
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
        return splice(head, "slaves", agents, rest)

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
        "nodes": lambda self: self.diagnostics.nodes(),
        "units": lambda self: self.diagnostics.units(),
    }

    def body(self, endpoint):
        """The serialised body, cached until the bay changes (a new Snapshot)."""
        if endpoint not in self._bodies:
            self._bodies[endpoint] = self.BUILDERS[endpoint](self)
        return self._bodies[endpoint]

    def unit_body(self, endpoint, uid, node_ip=None):
        return self.diagnostics.unit_body(endpoint, uid, node_ip)

    def obj(self, endpoint):
        if endpoint not in self._objects:
            self._objects[endpoint] = json.loads(self.body(endpoint))
        return self._objects[endpoint]


def fault_domain(region, zone):
    return {"fault_domain": {"region": {"name": region}, "zone": {"name": zone}}}
