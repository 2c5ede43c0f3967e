"""Which hosts Magnum reported for a bay, and the URLs built from them.

Nothing here touches the network: a :class:`Target` holds what Magnum said
(``api_address``, ``master_addresses``), and every address this package
ever contacts is derived from it here.
"""

from __future__ import annotations

import dataclasses
import ipaddress
from collections.abc import Mapping
from urllib.parse import urlsplit

from dcos_dashboard import config

DCOS = "dcos"
MESOS = "mesos"

DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclasses.dataclass(frozen=True)
class Target:
    """What Magnum reported of one bay: the only addresses ever contacted."""

    uuid: str
    coe: str
    api_address: str | None
    master_addresses: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class Endpoint:
    scheme: str
    host: str
    port: int

    @property
    def key(self) -> tuple[str, int]:
        return self.host, self.port

    @property
    def netloc(self) -> str:
        return netloc(self.host, self.port)

    def url(self, path: str) -> str:
        return f"{self.scheme}://{self.netloc}{path}"


def _field(cluster, name):
    if isinstance(cluster, Mapping):
        return cluster.get(name)
    # magnumclient's Resource fetches the whole cluster from Magnum again on
    # any missing attribute; its to_dict() reads only what is already there.
    to_dict = getattr(type(cluster), "to_dict", None)
    if callable(to_dict):
        return cluster.to_dict().get(name)
    return getattr(cluster, name, None)


def target_for(cluster, coe: str) -> Target | None:
    """The Target of a Magnum cluster (resource or dict) of the given COE.

    None when the COE is neither "dcos" nor "mesos" or when Magnum has not
    reported a usable address yet (a bay still being created).
    """
    coe = (coe or "").strip().lower()
    uuid = _field(cluster, "uuid")
    if coe not in (DCOS, MESOS) or not isinstance(uuid, str) or not uuid:
        return None
    api_address = _field(cluster, "api_address")
    if not isinstance(api_address, str) or not api_address.strip():
        api_address = None
    else:
        api_address = api_address.strip()
    masters = _field(cluster, "master_addresses")
    if isinstance(masters, str):
        masters = [masters]
    if not isinstance(masters, list | tuple):
        masters = ()
    target = Target(
        uuid=uuid,
        coe=coe,
        api_address=api_address,
        master_addresses=tuple(
            a.strip() for a in masters if isinstance(a, str) and a.strip()
        ),
    )
    usable = dcos_base(target) if coe == DCOS else masters_of(target)
    return target if usable else None


def canonical_host(host: str) -> str:
    host = host.lower().rstrip(".")
    try:
        return ipaddress.ip_address(host).compressed
    except ValueError:
        return host


def netloc(host: str, port: int | None) -> str:
    shown = f"[{host}]" if ":" in host else host
    return shown if port is None else f"{shown}:{port}"


def split(address: str) -> tuple[str, str, int | None, str] | None:
    """(scheme or "", host, port or None, path) of a host, host:port or URL."""
    text = address.strip()
    if "://" not in text and text.count(":") > 1 and not text.startswith("["):
        text = f"[{text}]"  # a bare IPv6 address
    try:
        parts = urlsplit(text if "://" in text else "//" + text)
        port = parts.port
    except ValueError:  # an unclosed "[", a port that is not a number
        return None
    if not parts.hostname:
        return None
    return parts.scheme.lower(), canonical_host(parts.hostname), port, parts.path


def dcos_base(target: Target) -> str | None:
    """The DC/OS base URL, without a trailing slash.

    A bare host or host:port gets DCOS_SCHEME; a URL is kept with its path.
    Without an api_address, the first master: Admin Router runs on each.
    """
    address = target.api_address or next(iter(target.master_addresses), None)
    parts = split(address) if address else None
    if parts is None:
        return None
    scheme, host, port, path = parts
    if not scheme:
        scheme = str(config.get("DCOS_SCHEME")).lower()
    if scheme not in DEFAULT_PORTS:
        return None
    return f"{scheme}://{netloc(host, port)}{path.rstrip('/')}"


def masters_of(target: Target) -> tuple[Endpoint, ...]:
    """The bay's Mesos masters, in Magnum's order, without duplicates.

    A master without a port listens on MESOS_PORT. A plain Mesos bay that
    reported no master addresses is read at its api_address.
    """
    addresses = target.master_addresses or (
        (target.api_address,) if target.api_address else ()
    )
    default_port = int(config.get("MESOS_PORT"))
    endpoints: dict[tuple[str, int], Endpoint] = {}
    for address in addresses:
        parts = split(address)
        if parts is None:
            continue
        scheme, host, port, _path = parts
        scheme = scheme or "http"
        if scheme not in DEFAULT_PORTS:
            continue
        endpoint = Endpoint(scheme, host, port or default_port)
        endpoints.setdefault(endpoint.key, endpoint)
    return tuple(endpoints.values())


def redirect_endpoint(location: str | None, current: Endpoint) -> Endpoint | None:
    """Where a redirect points: Mesos sends ``//host:port/path``."""
    if not location:
        return None
    try:
        parts = urlsplit(location.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower() or current.scheme
    if scheme not in DEFAULT_PORTS:
        return None
    if not parts.netloc:
        return current
    if not parts.hostname:
        return None
    return Endpoint(
        scheme, canonical_host(parts.hostname), port or DEFAULT_PORTS[scheme]
    )
