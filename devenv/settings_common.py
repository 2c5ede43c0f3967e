"""What both development Horizons set alike: ours (``devenv/local``) and the
benchmarks' magnum-ui anchor (``bench/anchor/local``).

Each local_settings.py takes these and adds what differs (its cache, its
panels, its landing page), so that the two Horizons a benchmark compares
differ by nothing else.
"""

from pathlib import Path

from horizon.utils import secret_key

HOST = "127.0.0.1"

# pymemcache's HashClient takes a server that failed three times (a call and
# its two retries, a second apart) out of rotation for ``dead_timeout``
# seconds (60 by default): after memcached restarts, each Horizon process
# would go on ignoring it, and fetching health per process, for a minute.
# While it is down, a process then pays one failed call per this period,
# not one a request.
MEMCACHED_DEAD_SECONDS = 10

# Horizon's memcached client options (README "Deployment settings"): without
# timeouts pymemcache waits forever, and a hung memcached holds a thread.
MEMCACHED_OPTIONS = {
    "connect_timeout": 1.0,
    "timeout": 1.0,
    "dead_timeout": MEMCACHED_DEAD_SECONDS,
}


def settings(state: Path, keystone_port: str) -> dict:
    """Keystone on 127.0.0.1, the secret key and static files under ``state``,
    signed-cookie sessions, static files compressed once at start."""
    state.mkdir(parents=True, exist_ok=True)
    return {
        "ALLOWED_HOSTS": [HOST, "localhost"],
        "SECRET_KEY": secret_key.generate_or_read_from_file(
            str(state / ".secret_key_store")
        ),
        "OPENSTACK_HOST": HOST,
        "OPENSTACK_KEYSTONE_URL": f"http://{HOST}:{keystone_port}/v3",
        "OPENSTACK_KEYSTONE_DEFAULT_ROLE": "member",
        "OPENSTACK_ENDPOINT_TYPE": "publicURL",
        # Signed cookies, not the cache: a memcached restart or eviction then
        # logs nobody out, and workers on several hosts need no shared
        # session store.
        "SESSION_ENGINE": "django.contrib.sessions.backends.signed_cookies",
        "STATIC_ROOT": str(state / "static"),
        # Online SCSS compression costs ~1.5 s a page; compressed once at
        # start instead.
        "COMPRESS_OFFLINE": True,
        "COMPRESS_ENABLED": True,
        "LOGGING": {
            "version": 1,
            "disable_existing_loggers": False,
            "handlers": {"console": {"class": "logging.StreamHandler"}},
            "root": {"handlers": ["console"], "level": "WARNING"},
        },
    }
