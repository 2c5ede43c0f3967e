"""A bay's health: fetched once, kept in Django's shared cache, for everyone.

Every result, failures included, is kept in Django's ``default`` cache for
``HEALTH_CACHE_SECONDS``, so a bay's master is asked at most once per
period whatever the number of users and pages, and a dead master is not
hammered; within one process, concurrent callers for one bay wait for a
single fetch. Reasons are rendered in ``settings.LANGUAGE_CODE``: one
cached answer serves every user.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import hashlib
import json
import logging
import threading
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache, close_caches
from django.utils import translation

from dcos_dashboard import conf, health
from dcos_dashboard.api.mesos import dcos, leader
from dcos_dashboard.api.mesos.addresses import DCOS, MESOS, Target
from dcos_dashboard.api.mesos.failures import Failure, no_address
from dcos_dashboard.api.mesos.http import Body, Client, collector_paused, decode

LOG = logging.getLogger(__name__)

_HEALTH_PREFIX = "dcos_dashboard:mesos:health:"
# The same answer without its nodes, for lists: unpickling a BayHealth costs
# about 40 us per node (20 ms for 500 agents), and a list shows no nodes.
_OVERVIEW_PREFIX = "dcos_dashboard:mesos:overview:"


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


# Per process: Horizon workers in other processes may fetch the same bay at
# the same moment, once each at most; then all of them read the shared cache.
_flights: dict[str, list] = {}
_flights_guard = threading.Lock()


@contextlib.contextmanager
def _single_flight(key: str):
    """Hold the lock of one cache key; entries go when nobody holds or waits."""
    with _flights_guard:
        entry = _flights.get(key)
        if entry is None:
            entry = _flights[key] = [threading.Lock(), 0]
        entry[1] += 1
    try:
        with entry[0]:
            yield
    finally:
        with _flights_guard:
            entry[1] -= 1
            if not entry[1]:
                del _flights[key]


def cached_bay_health(target: Target, *, nodes: bool = True) -> health.BayHealth | None:
    """The cached health of a bay, or None; never touches the network.

    ``nodes=False`` answers without the nodes (an empty tuple), faster.
    """
    return cache.get(cache_key(target, _HEALTH_PREFIX if nodes else _OVERVIEW_PREFIX))


def bay_health(target: Target, *, nodes: bool = True) -> health.BayHealth:
    """The health of one bay: from the cache, or fetched once and cached.

    ``nodes=False`` answers without the nodes (an empty tuple), faster.
    """
    if not nodes:
        answer = cache.get(cache_key(target, _OVERVIEW_PREFIX))
        return answer if answer is not None else overview(bay_health(target))
    key = cache_key(target)
    answer = cache.get(key)
    if answer is not None:
        return answer
    with _single_flight(key):
        # Whoever held the lock before us has likely just filled the cache.
        answer = cache.get(key)
        if answer is None:
            answer = fetch(target)
            cache.set_many(
                {key: answer, cache_key(target, _OVERVIEW_PREFIX): overview(answer)},
                conf.get("HEALTH_CACHE_SECONDS"),
            )
    return answer


def _bay_health_in_worker(target: Target) -> health.BayHealth:
    try:
        return bay_health(target)
    finally:
        # Django opens cache connections per thread and closes them only at
        # the end of a request; pool threads never see one.
        close_caches()


def bays_health(
    targets: Iterable[Target], *, nodes: bool = True
) -> dict[str, health.BayHealth]:
    """uuid -> health for many bays: cache hits at once, misses in parallel.

    The pool is bounded by HEALTH_WORKERS, so N slow masters cost about one
    timeout, not N. A plain ``concurrent.futures`` pool: futurist's idle
    workers add about a second to every page (REFERENCE.md).
    ``nodes=False`` answers without the nodes (an empty tuple): what a list
    of bays needs, read from the cache at a fraction of the cost.
    """
    prefix = _HEALTH_PREFIX if nodes else _OVERVIEW_PREFIX
    by_key = {cache_key(target, prefix): target for target in targets}
    found = cache.get_many(list(by_key))
    answers = {by_key[key].uuid: answer for key, answer in found.items()}
    misses = [target for key, target in by_key.items() if key not in found]
    if len(misses) == 1:
        answers[misses[0].uuid] = bay_health(misses[0])
    elif misses:
        workers = max(1, min(int(conf.get("HEALTH_WORKERS")), len(misses)))
        with concurrent.futures.ThreadPoolExecutor(
            max_workers=workers, thread_name_prefix="dcos-health"
        ) as pool:
            for target, answer in zip(
                misses, pool.map(_bay_health_in_worker, misses), strict=True
            ):
                answers[target.uuid] = answer
    if not nodes:
        answers = {uuid: overview(answer) for uuid, answer in answers.items()}
    return answers
