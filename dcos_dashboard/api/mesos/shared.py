"""Django's shared cache, where a failure is a miss and never an error.

memcached stopped, restarted or full while pages are served: every call
here answers as if the entry were absent (``add`` answers None: "cannot
tell"). One warning says the cache is down; it is then left alone for
``_RETRY_SECONDS`` at a time (no connection attempt per call on a dead
host), and one warning says it is back once it really answers: a value
read or a key added. Django's memcached client (pymemcache's HashClient)
answers a server it holds as failing with defaults rather than errors, so
a silent miss proves nothing either way.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache import caches

from dcos_dashboard import config

LOG = logging.getLogger(__name__)


def _cache():
    """The Django cache the shared entries live in (``CACHE``: an alias whose
    client raises when the server is down, so a failure is told from a miss)."""
    return caches[config.get("CACHE")]


_RETRY_SECONDS = 5.0

_guard = threading.Lock()
_down = False
_retry_at = 0.0


def is_down() -> bool:
    return _down


def _skipped() -> bool:
    return _down and time.monotonic() < _retry_at


def _failed(exc: Exception) -> None:
    global _down, _retry_at
    with _guard:
        _retry_at = time.monotonic() + _RETRY_SECONDS
        if _down:
            return
        _down = True
    LOG.warning(
        "The shared cache is not answering (%s: %s): each process asks the"
        " masters itself, at most once per period, until it answers again",
        type(exc).__name__,
        exc,
    )


def _recovered() -> None:
    global _down
    if not _down:
        return
    with _guard:
        if not _down:
            return
        _down = False
    LOG.warning("The shared cache answers again")


def get(key: str):
    if _skipped():
        return None
    try:
        value = _cache().get(key)
    except Exception as exc:  # any client's error: the cache is down
        _failed(exc)
        return None
    if value is not None:
        _recovered()
    return value


def get_many(keys: list[str]) -> dict:
    if _skipped():
        return {}
    try:
        found = _cache().get_many(keys)
    except Exception as exc:
        _failed(exc)
        return {}
    if found:
        _recovered()
    return found


def _unreachable(exc: Exception) -> bool:
    """Whether a write failed for want of a server, not for its value."""
    return isinstance(exc, OSError) or "down" in str(exc)


_refusal_logged = False


def _refused(exc: Exception) -> None:
    """memcached answered, but would not keep the value (larger than its -I)."""
    global _refusal_logged
    level = logging.DEBUG if _refusal_logged else logging.WARNING
    _refusal_logged = True
    LOG.log(
        level,
        "The shared cache would not keep a health answer (%s); raise"
        " memcached's item size (-I) to share the nodes of big bays",
        exc,
    )


def set_many(values: dict, seconds: float) -> None:
    if _skipped():
        return
    try:
        _cache().set_many(values, seconds)
    except Exception as exc:
        if _unreachable(exc):
            _failed(exc)
        else:
            _refused(exc)


def set(key: str, value, seconds: float) -> None:  # noqa: A001 - as cache.set
    set_many({key: value}, seconds)


def add(key: str, value, seconds: float) -> bool | None:
    """True: stored; False: already there; None: the cache cannot tell."""
    if _skipped():
        return None
    try:
        stored = _cache().add(key, value, seconds)
    except Exception as exc:
        _failed(exc)
        return None
    if stored:
        _recovered()
        return True
    return None if _down else False


def delete(key: str) -> None:
    if _skipped():
        return
    try:
        _cache().delete(key)
    except Exception as exc:
        _failed(exc)
