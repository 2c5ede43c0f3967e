"""Why a bay's state could not be read, and how that becomes its health."""

from __future__ import annotations

import dataclasses
import logging

from django.utils.translation import gettext as _

from dcos_dashboard import health

# Ranks: a master that was down says least; a refused redirect says most.
RANK_DOWN = 0
RANK_HTTP = 1
RANK_NO_LEADER = 2
RANK_REDIRECT = 3


class Failure(Exception):
    """Why a bay's state could not be read; ``rank`` orders the reasons
    of several masters, the most telling wins."""

    def __init__(
        self,
        reason: str,
        *,
        overall: str = health.UNREACHABLE,
        auth_required: bool = False,
        rank: int = 0,
        level: int = logging.INFO,
    ):
        super().__init__(reason)
        self.reason = reason
        self.overall = overall
        self.auth_required = auth_required
        self.rank = rank
        self.level = level

    def health(self) -> health.BayHealth:
        answer = health.unreachable(self.reason, auth_required=self.auth_required)
        if self.overall != health.UNREACHABLE:
            answer = dataclasses.replace(answer, overall=self.overall)
        return answer


def http_failure(status: int, url: str) -> Failure:
    if status == 503:
        # Mesos answers 503 while no leader is elected (src/master/http.cpp);
        # Admin Router passes it on.
        return Failure(
            _("No Mesos leader elected: %(address)s answered 503") % {"address": url},
            rank=RANK_NO_LEADER,
        )
    return Failure(
        _("%(address)s answered HTTP %(status)s") % {"address": url, "status": status},
        rank=RANK_HTTP,
    )


def no_address() -> Failure:
    return Failure(
        _("Magnum reported no address this dashboard can use for the bay"),
        overall=health.UNKNOWN,
    )
