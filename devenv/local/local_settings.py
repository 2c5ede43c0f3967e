"""Horizon local settings for `make run` and the live tests.

Loaded by ``openstack_dashboard.settings`` as ``local.local_settings`` because
``devenv/`` is first on PYTHONPATH. It does what an operator does: point
Horizon at Keystone, enable the plugin's panels, register its policy file.
Secrets, caches and static files live under the sandbox state folder, never
in site-packages.
"""

import json
import os
from pathlib import Path

import openstack_dashboard.local.enabled as _local_enabled
from horizon.utils import secret_key as _secret_key

# Partly initialised while it imports this module, as Horizon's own example does.
from openstack_dashboard.settings import HORIZON_CONFIG

import dcos_dashboard.enabled as _dcos_enabled
from dcos_dashboard.settings_snippet import configure as _configure

_STATE = Path(os.environ.get("DCOS_SANDBOX_DIR", ".sandbox")).resolve() / "horizon"
_STATE.mkdir(parents=True, exist_ok=True)
_HOST = "127.0.0.1"
_KEYSTONE_PORT = os.environ.get("DCOS_SANDBOX_KEYSTONE_PORT", "5000")

DEBUG = os.environ.get("DCOS_DASHBOARD_DEBUG") == "1"
ALLOWED_HOSTS = [_HOST, "localhost"]
SECRET_KEY = _secret_key.generate_or_read_from_file(str(_STATE / ".secret_key_store"))

OPENSTACK_HOST = _HOST
OPENSTACK_KEYSTONE_URL = f"http://{_HOST}:{_KEYSTONE_PORT}/v3"
OPENSTACK_KEYSTONE_DEFAULT_ROLE = "member"
OPENSTACK_ENDPOINT_TYPE = "publicURL"

# The default cache wants pymemcache; one process's memory is enough here.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "dcos-dashboard",
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"

STATIC_ROOT = str(_STATE / "static")
# Online SCSS compression costs ~1.5 s a page; compressed once at start instead.
COMPRESS_OFFLINE = True
COMPRESS_ENABLED = True

# Land a logged-in user on the Bays panel.
HORIZON_CONFIG["user_home"] = "/project/dcos_bays/"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

DCOS_DASHBOARD = {}
# Plugin settings as JSON, over those above, for the Horizons tests/security
# starts with DC/OS credentials configured; `make run` sets nothing.
DCOS_DASHBOARD.update(json.loads(os.environ.get("DCOS_DASHBOARD_JSON") or "{}"))

# Enable the plugin as an operator would, by its "enabled" files.
_local_enabled.__path__.append(os.path.dirname(_dcos_enabled.__file__))
_configure(globals())
