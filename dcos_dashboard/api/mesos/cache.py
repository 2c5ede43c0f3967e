"""A bay's health: fetched once per period for every worker and host.

Entries live in Django's ``default`` cache (memcached where Horizon is
deployed) as ``(fetched_at, answer)``, failures included, and are fresh
for ``HEALTH_CACHE_SECONDS``; they stay an hour longer as the bay's last
known answer. A fetch is coalesced across processes by a lease, an ``add``
of a key that expires by itself, so a worker that dies holding it blocks
the bay for the lease's seconds at most:

- the lease holder fetches, stores the answer and drops the lease;
- the others serve the last known answer at once, marked stale
  (:class:`StaleHealth`); with none yet, they wait for the holder's answer,
  never longer than one fetch, then fetch themselves;
- with the cache down (``shared``), each process fetches on its own,
  through its own single flight and entries: still once per period.

Reasons are rendered in ``settings.LANGUAGE_CODE``: one answer serves all.
"""

from __future__ import annotations

import collections
import concurrent.futures
import dataclasses
import hashlib
import json
import logging
import math
import threading
import time
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import close_caches
from django.utils import translation

from dcos_dashboard import config, health
from dcos_dashboard.api.mesos import dcos, leader, shared
from dcos_dashboard.api.mesos.addresses import DCOS, MESOS, Target
from dcos_dashboard.api.mesos.failures import Failure, no_address
from dcos_dashboard.api.mesos.http import (
    BODY_READ_TIMEOUTS,
    Body,
    Client,
    collector_paused,
    decode,
)

LOG = logging.getLogger(__name__)

# The shape of the records cached: entries pickled by an older release
# (another field list) are never read back as today's records.
_SHAPE = hashlib.sha256(
    repr(
        (
            health.NodeHealth._fields,
            [f.name for f in dataclasses.fields(health.BayHealth)],
        )
    ).encode()
).hexdigest()[:8]
_HEALTH_PREFIX = f"dcos_dashboard:mesos:health:{_SHAPE}:"
# The same answer without its nodes, for lists: unpickling a BayHealth costs
# about 40 us per node (20 ms for 500 agents), and a list shows no nodes.
_OVERVIEW_PREFIX = f"dcos_dashboard:mesos:overview:{_SHAPE}:"
# What a page derived from one answer (keep_derived), keyed by its fetched_at.
_DERIVED_PREFIX = f"dcos_dashboard:mesos:derived:{_SHAPE}:"
_LEASE_PREFIX = "dcos_dashboard:mesos:lease:"
# How long an answer is kept as the bay's last known one, past its period.
_LAST_KNOWN_SECONDS = 3600
# Waiters for a first answer look again after this, then less and less often.
_POLL_SECONDS = 0.05
_POLL_MAX_SECONDS = 0.5
# Per process, for when the shared cache is down.
_LOCAL_ENTRIES = 512
# Per process, the answers with nodes last read from the shared cache: a
# warm Nodes tab of a 10,000-agent bay otherwise unpickles 2 MB each time
# (docs/performance.md, figure 7). Bounded by bays and by nodes held.
_MEMO_ENTRIES = 4
_MEMO_NODES = 40_000


class StaleHealth(health.BayHealth):
    """The last known health of a bay, served while it is fetched again."""

    __slots__ = ()
    stale = True


def _stale(answer: health.BayHealth) -> StaleHealth:
    if isinstance(answer, StaleHealth):
        return answer
    return StaleHealth(*(getattr(answer, f.name) for f in dataclasses.fields(answer)))


def fetch(target: Target) -> health.BayHealth:
    """Ask the bay's master now; never raises for anything the network does."""
    with translation.override(settings.LANGUAGE_CODE):
        client = Client()
        try:
            if target.coe == DCOS:
                bodies = dcos.fetch(client, target)
            elif target.coe == MESOS:
                bodies = leader.fetch(client, target)
            else:
                raise no_address()
            with collector_paused():
                return _summarized(target, *bodies)
        except Failure as failure:
            LOG.log(failure.level, "Bay %s: %s", target.uuid, failure.reason)
            return failure.health()
        finally:
            client.close()


def _summarized(target: Target, state_summary: Body, *extras: Body | None):
    """The summary of the bodies; an extra that is not JSON is left out."""
    decoded = [decode(state_summary.data, state_summary.url)]
    for extra in extras:
        try:
            decoded.append(decode(extra.data, extra.url) if extra else None)
        except Failure as failure:
            LOG.info(
                "Bay %s: summarised without %s: %s", target.uuid, extra.url, failure
            )
            decoded.append(None)
    return health.summarize(*decoded)


def cache_key(target: Target, prefix: str = _HEALTH_PREFIX) -> str:
    identity = json.dumps(
        [target.uuid, target.coe, target.api_address, list(target.master_addresses)]
    )
    return prefix + hashlib.sha256(identity.encode()).hexdigest()


def overview(answer: health.BayHealth) -> health.BayHealth:
    return dataclasses.replace(answer, nodes=()) if answer.nodes else answer


def fetch_seconds() -> float:
    """The longest one fetch may take: the lease's life, a waiter's patience.

    Connect, a first answer, then a body within BODY_READ_TIMEOUTS reads,
    and one READ_TIMEOUT of slack (a login, a redirect); HEALTH_LEASE_SECONDS
    overrides it.
    """
    lease = config.get("HEALTH_LEASE_SECONDS")
    if lease:
        return float(lease)
    connect = float(config.get("CONNECT_TIMEOUT"))
    read = float(config.get("READ_TIMEOUT"))
    return connect + (BODY_READ_TIMEOUTS + 2) * read


def _fresh(entry, since: float | None = None) -> bool:
    """Whether an entry is within its period, or was fetched after ``since``."""
    if not (isinstance(entry, tuple) and len(entry) == 2):
        return False
    fetched_at = entry[0]
    if since is not None and fetched_at >= since:
        return True
    return time.time() - fetched_at < float(config.get("HEALTH_CACHE_SECONDS"))


def _last_known(entry) -> health.BayHealth | None:
    """The answer of a cached entry, fresh or not."""
    if isinstance(entry, tuple) and len(entry) == 2:
        if isinstance(entry[1], health.BayHealth):
            return entry[1]
    return None


def _answer(entry, nodes: bool) -> health.BayHealth:
    return entry[1] if nodes else overview(entry[1])


def _store(target: Target, answer: health.BayHealth) -> tuple:
    entry = (time.time(), answer)
    seconds = float(config.get("HEALTH_CACHE_SECONDS")) + _LAST_KNOWN_SECONDS
    # Apart: memcached refuses an item past its -I (1 MB by default), which
    # the nodes of a big bay can be; the overview of lists is small.
    shared.set(
        cache_key(target, _OVERVIEW_PREFIX), (entry[0], overview(answer)), seconds
    )
    shared.set(cache_key(target), entry, seconds)
    return entry


def _lead(target: Target, lease_key: str, lease_seconds: float) -> tuple:
    """Fetch as the lease holder; the lease goes as soon as the answer is in."""
    started = time.monotonic()
    try:
        return _store(target, fetch(target))
    finally:
        # Past its life the lease may be another's by now: leave it be.
        if time.monotonic() - started < lease_seconds:
            shared.delete(lease_key)


def _coalesced(
    target: Target, nodes: bool, until: float | None = None
) -> health.BayHealth | None:
    """One fetch for every process: the lease's, or the last known answer.

    ``until`` (a ``time.monotonic()``): a waiter with no answer to show
    gives up then with None, the holder's fetch going on without it.
    """
    key = cache_key(target, _HEALTH_PREFIX if nodes else _OVERVIEW_PREFIX)
    lease_key = _LEASE_PREFIX + cache_key(target, "")
    lease_seconds = fetch_seconds()
    arrived = time.time()
    deadline = time.monotonic() + lease_seconds
    pause = _POLL_SECONDS
    while True:
        entry = shared.get(key)
        if _fresh(entry, since=arrived):
            return _answer(entry, nodes)
        # memcached counts whole seconds; never a lease shorter than a fetch.
        leased = shared.add(lease_key, arrived, math.ceil(lease_seconds))
        if leased is None:
            entry = _local(target, arrived, until)
            return None if entry is None else _answer(entry, nodes)
        if leased:
            # The holder before us may have stored its answer and let the
            # lease go between our read and our add: read once more, so a
            # period never sees two fetches.
            entry = shared.get(key)
            if _fresh(entry):
                shared.delete(lease_key)
                return _answer(entry, nodes)
            return _answer(_lead(target, lease_key, lease_seconds), nodes)
        if entry is not None:
            return _stale(_answer(entry, nodes))
        now = time.monotonic()
        if until is not None and now >= until:
            return None
        if now >= deadline:
            # The holder outlived a fetch yet kept its lease: ask directly.
            return _answer(_store(target, fetch(target)), nodes)
        time.sleep(pause if until is None else max(0.0, min(pause, until - now)))
        pause = min(pause * 1.5, _POLL_MAX_SECONDS)


# With the shared cache down: per process, one fetch per bay at a time,
# whose answer every thread that waited for it takes (never a queue).
_local_guard = threading.Lock()
_local_entries: collections.OrderedDict[str, tuple] = collections.OrderedDict()
_local_flights: dict[str, threading.Event] = {}


def _local(target: Target, arrived: float, until: float | None = None) -> tuple | None:
    key = cache_key(target)
    with _local_guard:
        entry = _local_entries.get(key)
        if _fresh(entry, since=arrived):
            return entry
        flight = _local_flights.get(key)
        leads = flight is None
        if leads:
            flight = _local_flights[key] = threading.Event()
    if not leads:
        if entry is not None:
            return entry[0], _stale(entry[1])
        patience = fetch_seconds()
        if until is not None:
            patience = max(0.0, min(patience, until - time.monotonic()))
        flight.wait(patience)
        with _local_guard:
            entry = _local_entries.get(key)
        if _fresh(entry, since=arrived):
            return entry
        if until is not None and time.monotonic() >= until:
            return None
        return _store_locally(key, fetch(target))
    try:
        return _store_locally(key, fetch(target))
    finally:
        with _local_guard:
            del _local_flights[key]
        flight.set()


def _store_locally(key: str, answer: health.BayHealth) -> tuple:
    entry = (time.time(), answer)
    with _local_guard:
        _local_entries[key] = entry
        _local_entries.move_to_end(key)
        while len(_local_entries) > _LOCAL_ENTRIES:
            _local_entries.popitem(last=False)
    return entry


def cached_bay_health(target: Target, *, nodes: bool = True) -> health.BayHealth | None:
    """The fresh cached health of a bay, or None; never touches the network.

    ``nodes=False`` answers without the nodes (an empty tuple), faster.
    """
    entry = shared.get(cache_key(target, _HEALTH_PREFIX if nodes else _OVERVIEW_PREFIX))
    return entry[1] if _fresh(entry) else None


def bay_health(target: Target, *, nodes: bool = True) -> health.BayHealth:
    """The health of one bay: fresh from the cache, or fetched once for all.

    While another process fetches it, the last known answer, marked stale
    (:class:`StaleHealth`). ``nodes=False`` answers without the nodes (an
    empty tuple), faster. A warm answer with nodes is the same object each
    time in a process until the shared entry is replaced.
    """
    return _health(target, nodes)


def _health(
    target: Target, nodes: bool, until: float | None = None
) -> health.BayHealth | None:
    if nodes:
        stamp = shared.get(cache_key(target, _OVERVIEW_PREFIX))
        if stamp is not None and not _fresh(stamp):
            # Past its period, the big entry of the same fetch is too: not
            # unpickled here only to be read again by the coalescing.
            return _coalesced(target, nodes, until)
        remembered = _remembered(target, stamp)
        if remembered is not None:
            return remembered
    key = cache_key(target, _HEALTH_PREFIX if nodes else _OVERVIEW_PREFIX)
    entry = shared.get(key)
    if _fresh(entry):
        if nodes:
            _remember(key, entry)
        return entry[1]
    return _coalesced(target, nodes, until)


# key -> entry with nodes, least recently used first.
_memo_guard = threading.Lock()
_memo: collections.OrderedDict[str, tuple] = collections.OrderedDict()


def _remembered(target: Target, stamp) -> health.BayHealth | None:
    """The answer with nodes this process read last, if still the shared one.

    Both entries of one fetch carry the same ``fetched_at`` (``_store``): the
    small overview entry (``stamp``) says whether the big one was replaced
    since, so the big one is unpickled once per fetch per process, not once
    per request.
    """
    if not _fresh(stamp):
        return None
    key = cache_key(target)
    with _memo_guard:
        entry = _memo.get(key)
        if entry is None or entry[0] != stamp[0]:
            return None
        _memo.move_to_end(key)
    return entry[1]


def _remember(key: str, entry: tuple) -> None:
    with _memo_guard:
        _memo[key] = entry
        _memo.move_to_end(key)
        held = sum(len(e[1].nodes) for e in _memo.values())
        while len(_memo) > 1 and (len(_memo) > _MEMO_ENTRIES or held > _MEMO_NODES):
            _key, dropped = _memo.popitem(last=False)
            held -= len(dropped[1].nodes)


def _bay_health_in_worker(
    target: Target, nodes: bool, until: float | None
) -> health.BayHealth | None:
    try:
        return _health(target, nodes, until)
    finally:
        # Django opens cache connections per thread and closes them only at
        # the end of a request; pool threads never see one.
        close_caches()


def bays_health(
    targets: Iterable[Target], *, nodes: bool = True, wait: float | None = None
) -> dict[str, health.BayHealth]:
    """uuid -> health for many bays: cache hits at once, misses in parallel.

    Without ``wait`` the pool is bounded by HEALTH_WORKERS, so N slow
    masters cost about one timeout, not N. A plain ``concurrent.futures``
    pool: futurist's idle workers add about a second to every page
    (docs/reference.md#anchor-panels).
    ``nodes=False`` answers without the nodes (an empty tuple): what a list
    of bays needs, read from the cache at a fraction of the cost.
    ``wait``: answer after this many seconds with what is in, each bay in
    a thread of its own (not HEALTH_WORKERS: the caller bounds how many
    bays it asks for, as a page of the Bays table does), sooner once all
    but the bays last known unreachable are in; a bay still being fetched
    answers its last known answer, marked stale, or is left out (its fetch
    finishes and fills the cache; a bay another thread or worker is
    fetching is waited for no longer).
    """
    prefix = _HEALTH_PREFIX if nodes else _OVERVIEW_PREFIX
    by_key = {cache_key(target, prefix): target for target in targets}
    found = shared.get_many(list(by_key))
    answers = {
        by_key[key].uuid: entry[1] for key, entry in found.items() if _fresh(entry)
    }
    misses = [target for target in by_key.values() if target.uuid not in answers]
    if len(misses) == 1 and wait is None:
        answers[misses[0].uuid] = bay_health(misses[0], nodes=nodes)
    elif misses:
        workers = max(1, min(int(config.get("HEALTH_WORKERS")), len(misses)))
        if wait is not None:
            # A thread per bay (callers bound their page): a hung master
            # holds its thread past the wait, never a thread another bay
            # of the page needs.
            workers = len(misses)
        pool = concurrent.futures.ThreadPoolExecutor(
            max_workers=workers, thread_name_prefix="dcos-health"
        )
        until = None if wait is None else time.monotonic() + wait
        try:
            pending = {
                pool.submit(_bay_health_in_worker, target, nodes, until): key
                for key, target in by_key.items()
                if target.uuid not in answers
            }
            awaited = list(pending)
            if wait is not None:
                # A bay whose master failed last time is not waited for
                # once the others are in: it would most likely hold the
                # page the whole wait.
                awaited = [
                    future
                    for future, key in pending.items()
                    if getattr(_last_known(found.get(key)), "overall", None)
                    != health.UNREACHABLE
                ]
            concurrent.futures.wait(awaited, timeout=wait)
            for future, key in pending.items():
                answer = future.result() if future.done() else None
                if answer is None and wait is not None:
                    # Still being fetched: its last known answer meanwhile.
                    last = _last_known(found.get(key))
                    answer = None if last is None else _stale(last)
                if answer is not None:
                    answers[by_key[key].uuid] = answer
        finally:
            # Late fetches run on, bounded by their timeouts, and are cached.
            pool.shutdown(wait=wait is None)
    return answers


def _derived_key(target: Target, fetched_at: float, name: str) -> str:
    identity = json.dumps([cache_key(target), fetched_at, name])
    return _DERIVED_PREFIX + hashlib.sha256(identity.encode()).hexdigest()


def cached_derived(target: Target, name: str) -> tuple[health.BayHealth, object] | None:
    """(the bay's fresh answer without nodes, what ``keep_derived`` kept under
    ``name`` from that very answer), or None; never touches the network.

    A warm Nodes tab on any worker reads this small entry instead of
    unpickling and sorting 10,000 nodes (docs/performance.md, figure 7).
    """
    stamp = shared.get(cache_key(target, _OVERVIEW_PREFIX))
    if not _fresh(stamp):
        return None
    value = shared.get(_derived_key(target, stamp[0], name))
    return None if value is None else (stamp[1], value)


def keep_derived(
    target: Target, answer: health.BayHealth, name: str, value: object
) -> None:
    """Share ``value``, made from ``answer``, while it is the bay's answer.

    Only an answer this process read from the shared cache (its fetched_at
    known) is kept for: a derived value is never filed under another answer.
    """
    key = cache_key(target)
    with _memo_guard:
        entry = _memo.get(key)
    if entry is None or entry[1] is not answer:
        return
    seconds = float(config.get("HEALTH_CACHE_SECONDS"))
    shared.set(_derived_key(target, entry[0], name), value, seconds)
