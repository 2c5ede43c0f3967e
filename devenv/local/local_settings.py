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

# Partly initialised while it imports this module, as Horizon's own example does.
from openstack_dashboard.settings import HORIZON_CONFIG, MIDDLEWARE

import dcos_dashboard.enabled as _dcos_enabled
from dcos_dashboard.settings_snippet import configure as _configure
from devenv import settings_common as _common

_STATE = Path(os.environ.get("DCOS_SANDBOX_DIR", ".sandbox")).resolve() / "horizon"
_HOST = _common.HOST
# Keystone, secret key, sessions, static files, logging: as the anchor's.
globals().update(
    _common.settings(_STATE, os.environ.get("DCOS_SANDBOX_KEYSTONE_PORT", "5000"))
)

DEBUG = os.environ.get("DCOS_DASHBOARD_DEBUG") == "1"

# As Horizon is deployed: every worker process shares one memcached, through
# the client Horizon's own default names. `make run` starts it and says where;
# a manage.py command run on its own keeps an in-process cache.
_MEMCACHED_PORT = os.environ.get("DCOS_SANDBOX_MEMCACHED_PORT")
if _MEMCACHED_PORT:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
            "LOCATION": f"{_HOST}:{_MEMCACHED_PORT}",
            # Horizon itself reads this cache on every page (sessions
            # middleware, {% cache %} in _scripts.html): with ignore_exc a
            # memcached that is down is a miss there, not a 500.
            "OPTIONS": {**_common.MEMCACHED_OPTIONS, "ignore_exc": True},
        },
        # The plugin's shared health entries and lease: the same memcached,
        # through a client that raises, so the plugin tells a failure from a
        # miss (DCOS_DASHBOARD["CACHE"] below).
        "dcos_dashboard": {
            "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
            "LOCATION": f"{_HOST}:{_MEMCACHED_PORT}",
            "OPTIONS": _common.MEMCACHED_OPTIONS,
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "dcos-dashboard",
        }
    }
# The headers Django can set itself (README "Deployment settings"); Horizon's
# MIDDLEWARE lacks SecurityMiddleware, so it is put first. The CSP is set in
# front of Django (devenv/wsgi.py), as an operator's web server does.
MIDDLEWARE = ("django.middleware.security.SecurityMiddleware", *MIDDLEWARE)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Land a logged-in user on the Bays panel.
HORIZON_CONFIG["user_home"] = "/project/dcos_bays/"

# The sandbox's DC/OS clusters serve plain http on 127.0.0.1 only. Plugin
# settings may be given as JSON too (DCOS_DASHBOARD_JSON), for a second
# Horizon that tests/security starts with DC/OS credentials configured.
DCOS_DASHBOARD = {
    "DCOS_ACS_LOGIN_OVER_HTTP": True,
    "CACHE": "dcos_dashboard" if "dcos_dashboard" in CACHES else "default",
    **json.loads(os.environ.get("DCOS_DASHBOARD_JSON") or "{}"),
}

# Extra message catalogues, first in Django's search: the test-only German
# one tests/conftest.py writes for the language tests (docs/i18n.md).
LOCALE_PATHS = [
    path
    for path in os.environ.get("DCOS_DEVENV_LOCALE_PATHS", "").split(os.pathsep)
    if path
]

# Enable the plugin as an operator would, by its "enabled" files.
_local_enabled.__path__.append(os.path.dirname(_dcos_enabled.__file__))
_configure(globals())
