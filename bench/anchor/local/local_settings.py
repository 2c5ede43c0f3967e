"""Horizon local settings for the anchor: magnum-ui, not this plugin.

The same Horizon as ``devenv/local/local_settings.py`` (what
``devenv/settings_common.py`` gives both: real Keystone, signed-cookie
sessions, offline-compressed static files; under gunicorn), with a LocMem
cache and magnum-ui's enabled files instead of ours. magnum-ui and
python-magnumclient 4.11 come from a ``pip --target`` folder first on
PYTHONPATH (bench/cloud.py installs it); magnum-ui 19 cannot run with
magnumclient 5 (docs/reference.md#anchor-panels).
"""

import os
from pathlib import Path

import magnum_ui.enabled as _magnum_ui_enabled
import openstack_dashboard.local.enabled as _local_enabled
from openstack_dashboard.settings import HORIZON_CONFIG

from devenv import settings_common as _common

globals().update(
    _common.settings(
        Path(os.environ["DCOS_BENCH_ANCHOR_DIR"]).resolve(),
        os.environ["DCOS_SANDBOX_KEYSTONE_PORT"],
    )
)

DEBUG = False

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "magnum-ui-anchor",
    }
}

HORIZON_CONFIG["user_home"] = "/project/clusters/"

# Enabled as its README says, by its enabled files (panels 1370-1372, 2370-2371).
_local_enabled.__path__.append(os.path.dirname(_magnum_ui_enabled.__file__))
