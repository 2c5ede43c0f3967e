"""The COE of a bay as Magnum reports it: what decides where credentials go.

A bay's COE is its Bay Model's ``coe``, read from Magnum, never from the
request (issue 18: ``?coe=dcos`` on a Kubernetes bay sent the DC/OS token to
its address). Magnum refuses to change the COE of a template a cluster uses,
so the answer is kept in the shared cache by template uuid: the Bays index,
which reads every template once, fills it, and the badges read no template.
"""

import logging

from dcos_dashboard.api import magnum
from dcos_dashboard.api.mesos import shared
from dcos_dashboard.panels.bays import records

LOG = logging.getLogger(__name__)

_PREFIX = "dcos_dashboard:template-coe:"
_SECONDS = 600


def remember(baymodel):
    """Keep the COE of a Bay Model Magnum just returned (a dict or resource)."""
    fields = records.fields_of(baymodel)
    uuid, coe = fields.get("uuid"), fields.get("coe")
    if isinstance(uuid, str) and uuid and isinstance(coe, str):
        shared.add(_PREFIX + uuid, coe, _SECONDS)  # down: only a miss


def tell_badges(bays):
    """Remember, once per Bay Model, the COE of the bays whose badge will ask.

    A page of 20 bays on one model tells it once (one cache round trip, not
    20); each bay told is marked so that its Health cell does not repeat it.
    """
    told = set()
    for bay in bays:
        if bay.baymodel is None or bay.target is None:
            continue
        if bay.cached_health is not None:
            continue
        uuid = bay.baymodel.get("uuid")
        if uuid not in told:
            told.add(uuid)
            remember(bay.baymodel)
        bay.coe_told = True


def coe_of(request, template_id):
    """The COE Magnum reports for the Bay Model; raises magnum.MagnumError."""
    if not template_id:
        return None
    coe = shared.get(_PREFIX + template_id)
    if coe is None:
        template = magnum.cluster_template_get(request, template_id)
        remember(template)
        coe = records.fields_of(template).get("coe")
    return coe
