"""Horizon's navigation on a plugin page survives a Keystone it cannot reach.

Horizon renders its menu around every page and asks each panel whether to
show itself. Horizon 27's Application Credentials panel answers by asking
Keystone for its API version
(``openstack_dashboard/dashboards/identity/application_credentials/
panel.py``, ``can_access``) and lets a connection error through, so a
Keystone down or hung made every page a 500 before the plugin could say
anything. Horizon's other panels that ask a service (Volume Groups, the
admin panels asking Neutron) catch the failure and hide themselves; while a
plugin page renders, this one does the same. Hiding a panel weakens no
policy: its own views still check it. Outside a plugin page Horizon behaves
as it always did.
"""

import contextlib
import contextvars
import logging

from keystoneauth1 import exceptions as ksa_exceptions
from openstack_dashboard.dashboards.identity.application_credentials import (
    panel as app_credentials,
)

LOG = logging.getLogger(__name__)

_GUARDED = contextvars.ContextVar("dcos_dashboard_navigation_guarded", default=False)

# Panels whose ``can_access`` asks a service and does not catch its failure.
PANELS = (app_credentials.ApplicationCredentialsPanel,)


def _guard(panel_class):
    can_access = panel_class.can_access
    if getattr(can_access, "dcos_dashboard_guarded", False):
        return

    def guarded_can_access(self, context):
        if not _GUARDED.get():
            return can_access(self, context)
        try:
            return can_access(self, context)
        except ksa_exceptions.ClientException as error:
            LOG.warning(
                "The %s panel is not shown: it could not ask Keystone (%s)",
                self.slug,
                error,
            )
            return False

    guarded_can_access.dcos_dashboard_guarded = True
    guarded_can_access.__wrapped__ = can_access
    panel_class.can_access = guarded_can_access


for _panel in PANELS:
    _guard(_panel)


@contextlib.contextmanager
def guarded():
    """In this block, a panel that cannot ask its service is not shown."""
    token = _GUARDED.set(True)
    try:
        yield
    finally:
        _GUARDED.reset(token)
