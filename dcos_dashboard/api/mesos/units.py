"""One DC/OS component's nodes, read when a user opens that component.

The Components tab shows ``/system/health/v1/units`` from the bay's cached
health; a unit's nodes are a request of their own, so they are asked only
on the component's page, never per row, and shared by every user in the
``default`` cache for ``HEALTH_CACHE_SECONDS``, failures included, like a
bay's health. No lease: one small answer, asked by whoever opens the page.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging

from django.conf import settings
from django.utils import translation

from dcos_dashboard import config, health
from dcos_dashboard.api.mesos import dcos, shared
from dcos_dashboard.api.mesos.addresses import DCOS, Target
from dcos_dashboard.api.mesos.cache import cache_key
from dcos_dashboard.api.mesos.failures import Failure, no_address
from dcos_dashboard.api.mesos.http import Client, decode

LOG = logging.getLogger(__name__)

_SHAPE = hashlib.sha256(
    repr([f.name for f in dataclasses.fields(health.UnitNode)]).encode()
).hexdigest()[:8]
_PREFIX = f"dcos_dashboard:mesos:unit-nodes:{_SHAPE}:"


@dataclasses.dataclass(frozen=True)
class UnitNodes:
    """A unit's nodes, unhealthy first; or why they could not be read."""

    nodes: tuple[health.UnitNode, ...] = ()
    reason: str | None = None
    auth_required: bool = False


def _key(target: Target, unit_id: str) -> str:
    identity = f"{cache_key(target)}\0{unit_id}"
    return _PREFIX + hashlib.sha256(identity.encode()).hexdigest()


def _fetch(target: Target, unit_id: str) -> UnitNodes:
    """Ask the bay's Admin Router now; never raises for what the network does."""
    # One answer serves every user, as a bay's health does.
    with translation.override(settings.LANGUAGE_CODE):
        client = Client()
        try:
            if target.coe != DCOS:
                raise no_address()
            body = dcos.unit_nodes(client, target, unit_id)
            return UnitNodes(health.unit_nodes(decode(body.data, body.url)))
        except Failure as failure:
            LOG.log(
                failure.level, "Bay %s, %s: %s", target.uuid, unit_id, failure.reason
            )
            return UnitNodes(
                reason=str(failure.reason), auth_required=failure.auth_required
            )
        finally:
            client.close()


def unit_nodes(target: Target, unit_id: str) -> UnitNodes:
    """The unit's nodes from the shared cache, else asked once and kept."""
    key = _key(target, unit_id)
    answer = shared.get(key)
    if isinstance(answer, UnitNodes):
        return answer
    answer = _fetch(target, unit_id)
    shared.set(key, answer, float(config.get("HEALTH_CACHE_SECONDS")))
    return answer
