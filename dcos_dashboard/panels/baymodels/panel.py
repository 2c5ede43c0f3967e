"""The Bay Models panel in Project > DC/OS."""

import horizon
from django.utils.translation import gettext_lazy as _

from dcos_dashboard.api import magnum


class BayModels(horizon.Panel):
    name = _("Bay Models")
    slug = "dcos_baymodels"
    permissions = (f"openstack.services.{magnum.SERVICE_TYPE}",)
    policy_rules = ((magnum.SERVICE_TYPE, "cluster_template:get_all"),)
