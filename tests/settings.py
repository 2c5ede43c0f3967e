"""Django settings for the plugin's panel tests: Horizon's test settings + ours.

Here, not in the package, so no wheel ships them.
"""

import os

import openstack_dashboard.enabled
from openstack_dashboard.test.settings import *  # noqa: F403
from openstack_dashboard.test.settings import HORIZON_CONFIG, INSTALLED_APPS
from openstack_dashboard.utils import settings as settings_utils

import dcos_dashboard.enabled
from dcos_dashboard.settings_snippet import configure

# Horizon's test settings keep the secret key in the shared temp folder;
# ours stays with the test run.
SECRET_KEY = "dcos-dashboard-tests-only"  # noqa: S105

INSTALLED_APPS = list(INSTALLED_APPS)
settings_utils.update_dashboards(
    [dcos_dashboard.enabled, openstack_dashboard.enabled],
    HORIZON_CONFIG,
    INSTALLED_APPS,
)
# Horizon's test settings already added its own dashboards once.
INSTALLED_APPS = list(dict.fromkeys(INSTALLED_APPS))

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "dcos-dashboard-tests",
    }
}

DCOS_DASHBOARD = {}
configure(globals())

# Horizon's test settings point TEMPLATES at its own test templates folder.
TEMPLATES[0]["DIRS"].append(  # noqa: F405
    os.path.join(os.path.dirname(dcos_dashboard.__file__), "templates")
)
