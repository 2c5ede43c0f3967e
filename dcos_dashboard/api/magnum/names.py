"""Magnum's names for what the plugin shows: service type, COEs, resources."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Magnum's service type in the Keystone catalogue and in Horizon's policy.
SERVICE_TYPE = "container-infra"
API_VERSION = "latest"

# The COEs (Magnum's ``coe`` values) this plugin serves, with their names.
DCOS = "dcos"
MESOS = "mesos"
COE_NAMES = {DCOS: gettext_lazy("DC/OS"), MESOS: gettext_lazy("Mesos")}
COES = tuple(COE_NAMES)

# The two kinds of resource, in the code's words.
BAY_MODEL = "bay model"
BAY = "bay"


def what(kind):
    """The resource in the user's words."""
    return _("bay model") if kind == BAY_MODEL else _("bay")
