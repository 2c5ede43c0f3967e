"""Plain Mesos: find the leading master among those Magnum reported.

A redirect is followed only to another of the bay's masters, and there the
path asked is always ours, never the one in ``Location``.
"""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _

from dcos_dashboard.api.mesos.addresses import (
    Endpoint,
    Target,
    masters_of,
    redirect_endpoint,
)
from dcos_dashboard.api.mesos.failures import (
    RANK_NO_LEADER,
    RANK_REDIRECT,
    Failure,
    http_failure,
    no_address,
)
from dcos_dashboard.api.mesos.http import REDIRECTS, Body, Client

LOG = logging.getLogger(__name__)

# apache/mesos src/master/readonly_handler.cpp. Never /master/state: it carries
# every task ever run and is what tips big masters over
# (docs/reference.md#mesos-state-summary).
MESOS_STATE_SUMMARY = "/master/state-summary"
MESOS_METRICS = "/metrics/snapshot"


def fetch(client: Client, target: Target) -> tuple[Body, Body | None, None]:
    """State-summary from the leader, trying Magnum's masters in order.

    A redirect is followed only to another of the bay's masters, and there
    the path asked is always ours, never the one in ``Location``.
    """
    masters = masters_of(target)
    if not masters:
        raise no_address()
    reported = {master.key for master in masters}
    tried: set[tuple[str, int]] = set()
    failed: set[tuple[str, int]] = set()
    failures: list[Failure] = []
    for first in masters:
        if first.key in tried:
            continue
        endpoint = first
        while True:
            tried.add(endpoint.key)
            url = endpoint.url(MESOS_STATE_SUMMARY)
            try:
                answer = client.call("GET", url)
            except Failure as failure:
                failures.append(failure)
                failed.add(endpoint.key)
                break
            if answer.status == 200:
                state_summary = Body(url, answer.body)
                return state_summary, _mesos_metrics(client, endpoint, target), None
            if answer.status not in REDIRECTS:
                failures.append(http_failure(answer.status, url))
                failed.add(endpoint.key)
                break
            leader = redirect_endpoint(answer.location, endpoint)
            # Mesos names the leader by the address it advertises, often a
            # private IP or hostname (docs/endpoints/master/redirect.md): such
            # a redirect is refused, and the next master in Magnum's list,
            # perhaps the leader itself, is asked directly.
            if leader is None or leader.key not in reported:
                failures.append(
                    Failure(
                        _(
                            "%(address)s redirected to an address Magnum did not"
                            " report (%(location)s); not followed"
                        )
                        % {"address": url, "location": answer.location},
                        rank=RANK_REDIRECT,
                        level=logging.WARNING,
                    )
                )
                break
            if leader.key in tried:
                # A dead master's own failure is already listed; a master
                # that redirected back means the masters disagree.
                if leader.key not in failed:
                    failures.append(
                        Failure(
                            _(
                                "The Mesos masters redirect to one another"
                                " (%(address)s to %(location)s); a leader"
                                " election may be under way"
                            )
                            % {"address": url, "location": answer.location},
                            rank=RANK_NO_LEADER,
                        )
                    )
                break
            endpoint = leader
    # Most telling first; among equals, the first master Magnum listed.
    raise max(failures, key=lambda failure: failure.rank)


def _mesos_metrics(client: Client, leader: Endpoint, target: Target) -> Body | None:
    # Each master answers /metrics/snapshot itself: ask the one that led.
    url = leader.url(MESOS_METRICS)
    try:
        answer = client.call("GET", url)
        if answer.status != 200:
            raise http_failure(answer.status, url)
        return Body(url, answer.body)
    except Failure as failure:
        LOG.info("Bay %s: summarised without metrics: %s", target.uuid, failure)
        return None
