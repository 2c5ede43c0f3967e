"""The Bays panel in Project > DC/OS."""

import horizon
from django.utils.translation import gettext_lazy as _


class Bays(horizon.Panel):
    name = _("Bays")
    slug = "dcos_bays"
    permissions = ("openstack.services.container-infra",)
    policy_rules = (("container-infra", "cluster:get_all"),)
