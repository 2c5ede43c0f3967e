"""Simulated DC/OS and Mesos clusters behind the Magnum stand-in's bays.

One :class:`ClusterSimulator` serves every bay that reached CREATE_COMPLETE:

* DC/OS bays share the clusters port, each under ``/dcos/<uuid>`` as its
  Admin Router would answer (``/mesos/...``, ``/cache/...``,
  ``/system/health/v1/...``, ``/acs/api/v1/auth/login``, a console at ``/``).
* Plain Mesos bays get one listening port per master, with the leader
  answering and the others redirecting (307) as Mesos masters do.

Knobs, per bay (``set_knobs`` or ``POST /_sandbox/clusters/<uuid>/knobs``;
null, 0 or false resets one): master_down (true, or for Mesos a list of
master indexes; connections are refused), blackhole (connections are never
accepted, see :class:`BlackHole`), slow_seconds, no_leader, bad_json,
oversize_bytes, auth_required, old_mesos (the Mesos 1.0 agent shape of DC/OS
1.8), leader, agents (agent count instead of node_count), numbers of agents
that are disconnected, deactivated, draining, drained, unreachable or
unhealthy, and unhealthy_units (a count, or a list of DC/OS unit ids).
``GET /_sandbox/clusters`` lists bays; ``GET|DELETE /_sandbox/stats`` reads or
resets request counts per bay and path. State lives in
``<state_dir>/clusters.json`` so bays survive a restart.

What lives where:

- ``simulator``: :class:`ClusterSimulator`, bays' listeners and addresses;
- ``bay``: one bay's persisted settings and ``clusters.json``;
- ``knobs``: knob names, their checks and defaults;
- ``servers``: the HTTP server, its handler, :class:`BlackHole`;
- ``routes``: what the clusters port and each Mesos master answer;
- ``acs``: the DC/OS login and its tokens;
- ``agents``: masters, agents, addresses and states of a bay (pure data);
- ``mesos``: the Mesos bodies (state-summary, slaves, state, metrics);
- ``diagnostics``: dcos-diagnostics' nodes and units;
- ``encoding``: compact JSON, spliced and padded bodies.
"""

from dcos_sandbox.clusters.acs import DCOS_PASSWORD, DCOS_UID
from dcos_sandbox.clusters.knobs import KNOBS, KnobError
from dcos_sandbox.clusters.servers import BlackHole
from dcos_sandbox.clusters.simulator import ClusterSimulator

__all__ = [
    "DCOS_PASSWORD",
    "DCOS_UID",
    "KNOBS",
    "BlackHole",
    "ClusterSimulator",
    "KnobError",
]
