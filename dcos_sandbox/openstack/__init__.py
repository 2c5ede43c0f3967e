"""Glance v2, Nova v2.1 and Neutron v2.0 stand-ins: the reads Horizon and
Magnum make for a bay's choices (images, flavors, keypairs, networks).

All three serve one read-only :class:`World` seeded in ``world``; the Magnum
stand-in validates templates and bays against the same ``World`` object.
Answers follow the real services' shapes, including their error bodies
(Nova ``{"itemNotFound": ...}``, Neutron ``{"NeutronError": ...}``, Glance
plain text), because the real clients parse nothing else.

What lives where: ``world`` (the seeded objects), ``glance``, ``nova``,
``neutron`` (one :class:`~dcos_sandbox.wsgi.App` per service), ``listing``
(the app base, paging, sorting, filtering they share).
"""

from dcos_sandbox.openstack.glance import GlanceApp
from dcos_sandbox.openstack.neutron import NeutronApp
from dcos_sandbox.openstack.nova import NovaApp
from dcos_sandbox.openstack.world import World

__all__ = ["GlanceApp", "NeutronApp", "NovaApp", "World"]
