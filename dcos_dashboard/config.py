"""The plugin's settings: ``DCOS_DASHBOARD`` in Horizon's local_settings.

Operators set only what differs from ``DEFAULTS``; ``get(name)`` reads the
merged value at call time, so tests can use ``override_settings``.
"""

from django.conf import settings

DEFAULTS = {
    # Mesos / DC/OS client (api/mesos/)
    "CONNECT_TIMEOUT": 2.0,  # seconds to open a TCP connection to a master
    "READ_TIMEOUT": 5.0,  # seconds to wait for each chunk of a master's answer
    "MAX_RESPONSE_BYTES": 64 * 1024 * 1024,  # a body past this is aborted
    "HEALTH_CACHE_SECONDS": 10,  # one fetch per bay per period, for every user
    # Django cache alias for the shared health entries and their lease: one
    # whose client raises when memcached is down (a failure, not a miss).
    "CACHE": "default",
    "HEALTH_LEASE_SECONDS": None,  # one fetch's longest; None: from the timeouts
    "HEALTH_WORKERS": 8,  # bounded pool for fetching many bays at once
    # The Bays page's batch of Health cells answers after this many seconds
    # with what is in; the rest say "Checking…" and the page asks again.
    "HEALTH_BATCH_WAIT": 0.3,
    "MESOS_PORT": 5050,  # a master address without a port means this one
    "MARATHON_PORT": 8080,  # plain Mesos bays' Marathon
    "DCOS_SCHEME": "http",  # a bare api_address means <scheme>://<address>
    "DCOS_ACS_TOKEN": None,  # a DC/OS auth token sent as Authorization: token=...
    "DCOS_ACS_UID": None,  # or a uid/password to log in with ...
    "DCOS_ACS_PASSWORD": None,  # ... at /acs/api/v1/auth/login
    "DCOS_ACS_LOGIN_OVER_HTTP": False,  # True: that login may go over plain http
    "VERIFY_TLS": True,  # False, True, or the path of a CA bundle
    # Labels (labels.py is told these; it reads no settings itself)
    "EXTRA_LABELS": (),  # label keys this cloud's Magnum driver also accepts
    # Panels
    "COES": ("dcos", "mesos"),  # templates shown by default
    "PAGE_SIZE": 20,  # rows per page, asked of Magnum with limit/marker
    "MAGNUM_TIMEOUT": 30.0,  # seconds for each Magnum call
    "OPENSTACK_TIMEOUT": 10.0,  # seconds for each Glance/Nova/Neutron read
    # Magnum 23 bounds none of these (an int column): the wizards do.
    "MAX_NODE_COUNT": 1000,  # nodes of one bay
    "MAX_CREATE_TIMEOUT": 1440,  # minutes Magnum may take to create a bay
    "MAX_DOCKER_VOLUME_SIZE": 1000,  # GB; Cinder's default project quota
}


def get(name):
    overrides = getattr(settings, "DCOS_DASHBOARD", None) or {}
    if name in overrides:
        return overrides[name]
    return DEFAULTS[name]
