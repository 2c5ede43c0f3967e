"""The Magnum stand-in: Magnum's v1 REST API for cluster templates and clusters.

Speaks the wire format of real Magnum (magnum/api/controllers/v1/): the same
fields, status codes, pagination (``limit``, ``marker``, ``sort_key``,
``sort_dir``, ``next``), microversion headers, per-project isolation, and the
error body of magnum/api/middleware/parsable_error.py with real Magnum's
messages. Images, flavors, keypairs and networks are checked against the
Glance/Nova/Neutron stand-ins' :class:`~dcos_sandbox.openstack.World`.

What lives where:

- ``app``: the WSGI app (:class:`Magnum`), its routes and error mapping;
- ``versions``: microversion negotiation and the version documents;
- ``errors``: :class:`MagnumError` and Magnum's error body;
- ``wire``: field types, POST body and JSON-patch checks, document fields;
- ``validation``: drivers per COE, images/flavors/networks/keypairs, root volumes;
- ``collection``: paginated listings (:class:`~.collection.Collection`);
- ``templates``, ``clusters``: the two resources' handlers;
- ``stats``: ``/v1/stats`` and ``/v1/quotas`` (counts and cluster quotas);
- ``policy``: Magnum's default policy (reader, member, admin);
- ``lifecycle``: scheduled transitions and the cluster simulator's calls;
- ``addresses``: the addresses a bay reports (simulated or made up);
- ``store``: the rows in memory and ``<state_dir>/magnum.json``.

Modes (``config.magnum_mode``):

- ``dcos``: a Magnum with the DC/OS driver enabled; coe may be kubernetes,
  swarm, swarm-mode, mesos or dcos.
- ``stock``: Magnum >= 16, which knows only kubernetes and rejects the rest
  with wsme's "Invalid input for field/attribute coe ..." message.

Bay lifecycle, each step lasting ``config.transition_seconds``:

- POST -> CREATE_IN_PROGRESS -> CREATE_COMPLETE; at the transition the
  cluster simulator is told (``simulator.create``) and its addresses become
  ``api_address``, ``master_addresses`` and ``node_addresses``.
- **Failure trigger**: a bay whose name contains ``fail`` (any case) or whose
  labels carry ``sandbox_fail=true`` goes to CREATE_FAILED instead, with a
  Heat-like ``status_reason`` and ``faults`` (shown by GET of that bay).
- **Reported addresses**: labels ``sandbox_api_address=<value>`` and
  ``sandbox_master_addresses=<a,b,...>`` make the bay report exactly those
  (no simulated cluster behind them).
- PATCH of ``/node_count`` on a *_COMPLETE bay -> UPDATE_IN_PROGRESS ->
  UPDATE_COMPLETE (``simulator.resize``). As in Magnum, whose conductor
  ignores updates in other states after the API already said 202, a PATCH
  of a bay that is still in progress is accepted and does nothing.
- DELETE -> DELETE_IN_PROGRESS -> gone, 404 (``simulator.delete``).
- A new bay answers 404 for ``row_delay`` seconds after its 202, as a real
  Magnum may while the conductor writes the row.

Transitions happen on a background ticker and also before every request is
answered, so neither the simulator nor a reader ever waits for the other.

Faithful details worth knowing: python-magnumclient built with ``auth_token``
and ``magnum_url`` sends no ``OpenStack-API-Version`` header, so Magnum
answers at microversion 1.1 (``stack_id`` rather than ``cluster_id``, no
zero-node bays, a missing template on bay POST is a 400); ``next`` links
appear whenever a page is full (magnum/api/controllers/v1/collection.py);
a project may have at most ``max_clusters_per_project`` bays (Magnum's
default quota, 20).
"""

from dcos_sandbox.magnum.app import Magnum
from dcos_sandbox.magnum.clusters import DEFAULT_MAX_CLUSTERS
from dcos_sandbox.magnum.errors import MagnumError, error_body

__all__ = ["DEFAULT_MAX_CLUSTERS", "Magnum", "MagnumError", "error_body"]
