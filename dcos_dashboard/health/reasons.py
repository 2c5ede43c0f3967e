"""The one-line reason a user reads beside a bay's verdict."""

from __future__ import annotations

# Reasons are Messages: English text that the panel translates (labels'
# messages module is pure as this one is, and imports nothing else).
from dcos_dashboard.labels.messages import Message, _, ngettext

from . import model


def _json_kind(value) -> str:
    """The JSON name of a decoded value's type, for reasons a user reads."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return _("a boolean")
    if isinstance(value, int | float):
        return _("a number")
    if isinstance(value, str):
        return _("a string")
    if isinstance(value, list):
        return _("an array")
    if isinstance(value, dict):
        return _("an object")
    return type(value).__name__


# How each count reads in a reason; worst first, as _verdict lists them.
_STATE_WORDS = {
    model.HEALTHY: _("healthy"),
    model.DISCONNECTED: _("disconnected"),
    model.UNHEALTHY: _("unhealthy"),
    model.UNREACHABLE: _("unreachable"),
    model.UNKNOWN: _("in an unknown state"),
    model.DRAINING: _("draining"),
    model.DRAINED: _("drained"),
    model.DEACTIVATED: _("deactivated"),
}


def _tally(listed: int, items: list[tuple[int, str, bool]], lead: bool) -> Message:
    """Join non-zero counts: "2 of 5 agents disconnected; 1 unreachable".

    Each item is (count, state, among_listed): unreachable agents are not
    among the listed ones, so they never read as "N of M".
    """
    parts: list[Message] = []
    for count, state, among_listed in items:
        if not count:
            continue
        values = {"count": count, "listed": listed, "state": _STATE_WORDS[state]}
        if parts or not lead:
            parts.append(_("%(count)s %(state)s") % values)
        elif among_listed:
            parts.append(
                ngettext(
                    "%(count)s of %(listed)s agent %(state)s",
                    "%(count)s of %(listed)s agents %(state)s",
                    listed,
                )
                % values
            )
        else:
            parts.append(
                ngettext(
                    "%(count)s agent %(state)s", "%(count)s agents %(state)s", count
                )
                % values
            )
    joined = parts[-1] if parts else Message("")
    for part in reversed(parts[:-1]):
        joined = _("%(first)s; %(rest)s") % {"first": part, "rest": joined}
    return joined


def _verdict(
    listed: int, counts: dict[str, int], unreachable_agents: int
) -> tuple[str, str]:
    """Rules 3-5 of the module docstring, with a one-line reason."""
    # Worst first, so the reason leads with what needs attention.
    others = [
        (counts[model.DISCONNECTED], model.DISCONNECTED, True),
        (counts[model.UNHEALTHY], model.UNHEALTHY, True),
        (unreachable_agents, model.UNREACHABLE, False),
        (counts[model.UNKNOWN], model.UNKNOWN, True),
        (counts[model.DRAINING], model.DRAINING, True),
        (counts[model.DRAINED], model.DRAINED, True),
        (counts[model.DEACTIVATED], model.DEACTIVATED, True),
    ]
    if listed == 0:
        if unreachable_agents:
            reason = _("The Mesos master lists no agents; %(tally)s") % {
                "tally": _tally(listed, others, lead=False)
            }
        else:
            reason = _("The Mesos master lists no agents")
        return model.UNHEALTHY, reason
    if counts[model.HEALTHY] == 0:
        values = {"listed": listed, "tally": _tally(listed, others, lead=False)}
        if listed == 1:
            return model.UNHEALTHY, _(
                "The only agent is not healthy: %(tally)s"
            ) % values
        return model.UNHEALTHY, _(
            "None of the %(listed)s agents is healthy: %(tally)s"
        ) % values
    if counts[model.DISCONNECTED] or counts[model.UNHEALTHY] or unreachable_agents:
        return model.DEGRADED, _tally(listed, others, lead=True)
    if counts[model.HEALTHY] == listed:
        if listed == 1:
            return model.HEALTHY, _("The only agent is healthy")
        return model.HEALTHY, _("All %(listed)s agents healthy") % {"listed": listed}
    return model.HEALTHY, _tally(
        listed, [(counts[model.HEALTHY], model.HEALTHY, True), *others], True
    )


def component_reason(failing: list[str], agents: str) -> Message:
    """ "DC/OS component Mesos DNS is unhealthy; all 3 agents healthy"."""
    if len(failing) == 1:
        lead = _("DC/OS component %(name)s is unhealthy") % {"name": failing[0]}
    else:
        lead = ngettext(
            "DC/OS components %(names)s and %(more)s other are unhealthy",
            "DC/OS components %(names)s and %(more)s others are unhealthy",
            len(failing) - 1,
        ) % {"names": failing[0], "more": len(failing) - 1}
    return _("%(components)s; %(agents)s") % {"components": lead, "agents": agents}
