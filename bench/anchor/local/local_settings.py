"""Horizon local settings for the anchor: magnum-ui, not this plugin.

The same Horizon as ``devenv/local/local_settings.py`` (real Keystone,
LocMem cache, signed-cookie sessions, offline-compressed static files under
gunicorn), with magnum-ui's enabled files instead of ours. magnum-ui and
python-magnumclient 4.11 come from a ``pip --target`` folder first on
PYTHONPATH (bench/cloud.py installs it); magnum-ui 19 cannot run with
magnumclient 5 (docs/reference.md#anchor-panels).
"""

import os
from pathlib import Path

import magnum_ui.enabled as _magnum_ui_enabled
import openstack_dashboard.local.enabled as _local_enabled
from horizon.utils import secret_key as _secret_key
from openstack_dashboard.settings import HORIZON_CONFIG

_STATE = Path(os.environ["DCOS_BENCH_ANCHOR_DIR"]).resolve()
_STATE.mkdir(parents=True, exist_ok=True)
_HOST = "127.0.0.1"
_KEYSTONE_PORT = os.environ["DCOS_SANDBOX_KEYSTONE_PORT"]

DEBUG = False
ALLOWED_HOSTS = [_HOST, "localhost"]
SECRET_KEY = _secret_key.generate_or_read_from_file(str(_STATE / ".secret_key_store"))

OPENSTACK_HOST = _HOST
OPENSTACK_KEYSTONE_URL = f"http://{_HOST}:{_KEYSTONE_PORT}/v3"
OPENSTACK_KEYSTONE_DEFAULT_ROLE = "member"
OPENSTACK_ENDPOINT_TYPE = "publicURL"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "magnum-ui-anchor",
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"

STATIC_ROOT = str(_STATE / "static")
COMPRESS_OFFLINE = True
COMPRESS_ENABLED = True

HORIZON_CONFIG["user_home"] = "/project/clusters/"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Enabled as its README says, by its enabled files (panels 1370-1372, 2370-2371).
_local_enabled.__path__.append(os.path.dirname(_magnum_ui_enabled.__file__))
