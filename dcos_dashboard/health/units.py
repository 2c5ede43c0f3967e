"""One DC/OS component's nodes: ``/system/health/v1/units/<id>/nodes``.

dcos-diagnostics answers ``{"nodes": [{"host_ip", "health", "role"}]}``
(api/types.go NodeResponseFieldsStruct); its per-node answer adds
``output`` and ``help`` (NodeResponseFieldsWithErrorStruct), read here
too when a DC/OS gives them in the list. Everything is untrusted: an entry
without a usable ``host_ip`` is dropped, any other field of the wrong type
reads as missing.
"""

import ipaddress
from dataclasses import dataclass

from . import model
from .summary import STATE_ORDER, _health_code, _keyed, _string

MASTER = "master"
AGENT = "agent"
PUBLIC_AGENT = "agent_public"

# Unhealthy first (the node to look at), then masters before agents.
_ROLE_ORDER = {MASTER: 0, AGENT: 1, PUBLIC_AGENT: 2}


@dataclass(frozen=True, slots=True)
class UnitNode:
    """One node running a DC/OS component, as dcos-diagnostics reports it.

    ``health``: 0 healthy, 1 unhealthy, 3 unknown; None when missing.
    ``role``: ``master``, ``agent`` or ``agent_public``; None when missing.
    """

    host_ip: str
    role: str | None
    health: int | None
    output: str = ""
    help: str = ""

    @property
    def state(self) -> str:
        return {0: model.HEALTHY, 1: model.UNHEALTHY}.get(self.health, model.UNKNOWN)


def _address_order(ip: str) -> tuple:
    """10.0.0.9 before 10.0.0.10; IPv4, then IPv6, then anything else."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return (2, 0, ip)
    return (address.version == 6, int(address), ip)


def unit_nodes(body) -> tuple[UnitNode, ...]:
    """The nodes of a unit's answer, unhealthy first, then by role and address."""
    found = []
    for ip, entry in _keyed(body, "nodes", "host_ip"):
        role, code = _string(entry.get("role"), None), entry.get("health")
        texts = {name: _string(entry.get(name)) for name in ("output", "help")}
        found.append(UnitNode(ip, role, _health_code(code), **texts))
    found.sort(
        key=lambda n: (
            STATE_ORDER[n.state],
            _ROLE_ORDER.get(n.role, len(_ROLE_ORDER)),
            _address_order(n.host_ip),
        )
    )
    return tuple(found)
