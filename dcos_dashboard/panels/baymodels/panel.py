"""The Bay Models panel in Project > DC/OS."""

import horizon
from django.utils.translation import gettext_lazy as _


class BayModels(horizon.Panel):
    name = _("Bay Models")
    slug = "dcos_baymodels"
    permissions = ("openstack.services.container-infra",)
    policy_rules = (("container-infra", "cluster_template:get_all"),)
