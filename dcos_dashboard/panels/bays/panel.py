"""The Bays panel in Project > DC/OS."""

import horizon
from django.utils.translation import gettext_lazy as _

from dcos_dashboard.api import magnum


class Bays(horizon.Panel):
    name = _("Bays")
    slug = "dcos_bays"
    permissions = (f"openstack.services.{magnum.SERVICE_TYPE}",)
    policy_rules = ((magnum.SERVICE_TYPE, "cluster:get_all"),)
