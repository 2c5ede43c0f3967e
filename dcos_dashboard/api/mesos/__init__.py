"""The one door to Mesos and DC/OS: read a bay's health, cached and bounded.

Only addresses Magnum reported for a bay are ever contacted, and a redirect
is followed only to another of the bay's Mesos masters. What lives where:

- ``addresses``: the :class:`Target` (what Magnum reported) and every URL
  built from it;
- ``http``: one bounded request (urllib3: timeouts, size cap, no redirects)
  and JSON decoding;
- ``failures``: why a bay could not be read, as its health;
- ``dcos``: Admin Router paths and the ACS login; ``leader``: plain Mesos
  leader discovery;
- ``cache``: one fetch per bay per period across workers and hosts (a
  lease in the shared cache; the last known answer, :class:`StaleHealth`,
  meanwhile); ``shared``: that cache, its failures taken as misses;
- ``links``: links to the bay's own consoles;
- ``units``: one DC/OS component's nodes, asked on demand and cached.

What a fetch turns into (a ``health.BayHealth``): no connection, a timeout,
a 5xx, a 503 (no leader), a 4xx, a refused redirect: ``unreachable`` with
the reason (a DC/OS 401/403: ``auth_required`` too, naming the setting to
fix); a 200 too big or not JSON: ``unknown``; otherwise
``health.summarize(state_summary, metrics, diagnostics)``, the extras left
out when they fail.
"""

from dcos_dashboard.api.mesos.addresses import DCOS, MESOS, Target, target_for
from dcos_dashboard.api.mesos.cache import (
    StaleHealth,
    bay_health,
    bays_health,
    cached_bay_health,
    cached_derived,
    fetch_seconds,
    keep_derived,
)
from dcos_dashboard.api.mesos.dcos import (
    DCOS_DIAGNOSTICS,
    DCOS_LOGIN,
    DCOS_METRICS,
    DCOS_STATE_SUMMARY,
    DCOS_UNITS,
)
from dcos_dashboard.api.mesos.leader import MESOS_METRICS, MESOS_STATE_SUMMARY
from dcos_dashboard.api.mesos.links import Links, links
from dcos_dashboard.api.mesos.units import UnitNodes, unit_nodes

__all__ = [
    "DCOS",
    "DCOS_DIAGNOSTICS",
    "DCOS_LOGIN",
    "DCOS_METRICS",
    "DCOS_STATE_SUMMARY",
    "DCOS_UNITS",
    "MESOS",
    "MESOS_METRICS",
    "MESOS_STATE_SUMMARY",
    "Links",
    "StaleHealth",
    "Target",
    "UnitNodes",
    "bay_health",
    "bays_health",
    "cached_bay_health",
    "cached_derived",
    "fetch_seconds",
    "keep_derived",
    "links",
    "target_for",
    "unit_nodes",
]
