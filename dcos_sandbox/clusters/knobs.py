"""The knobs of a simulated cluster: their names, what each accepts, and
which of them change what the cluster says (and so its cached bodies)."""

from dcos_sandbox.clusters.diagnostics import UNIT_IDS

BOOL_KNOBS = ("blackhole", "no_leader", "bad_json", "auth_required", "old_mesos")

COUNT_KNOBS = (
    "oversize_bytes",
    "disconnected",
    "deactivated",
    "draining",
    "drained",
    "unreachable",
    "unhealthy",
    "agents",
    "leader",
)

KNOBS = ("master_down", "slow_seconds", "unhealthy_units") + BOOL_KNOBS + COUNT_KNOBS

# Knobs that change what the bodies say; the others leave the cache alone
# (oversize_bytes pads a body as it is served).
DATA_KNOBS = frozenset({"old_mesos", "unhealthy_units", *COUNT_KNOBS}) - {
    "oversize_bytes"
}

MAX_AGENTS = 100_000

MAX_SLOW_SECONDS = 3600.0


class KnobError(ValueError):
    """A knob name or value the simulator does not understand."""


def check_knob(bay, name, value):
    """The knob's value as stored, or KnobError saying what is allowed."""
    if name not in KNOBS:
        raise KnobError(f"unknown knob {name!r}; knobs: {', '.join(KNOBS)}")
    if value is None or value is False or (type(value) in (int, float) and value == 0):
        return None  # every knob resets with null, 0 or false
    if name == "master_down":
        if isinstance(value, bool):
            return value
        if (
            bay.coe == "mesos"
            and isinstance(value, list)
            and all(type(i) is int and 0 <= i < bay.master_count for i in value)
        ):
            return sorted(set(value)) or False
        raise KnobError("master_down: true/false, or (Mesos) a list of master indexes")
    if name == "slow_seconds":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise KnobError("slow_seconds: a number of seconds")
        if not 0 <= value <= MAX_SLOW_SECONDS:
            raise KnobError(f"slow_seconds: between 0 and {MAX_SLOW_SECONDS:g}")
        return float(value)
    if name == "unhealthy_units":
        if value == []:
            return None
        if type(value) is int and value > 0:
            return value
        if (
            isinstance(value, list)
            and value
            and all(isinstance(u, str) and u in UNIT_IDS for u in value)
        ):
            return sorted(set(value))
        raise KnobError(
            "unhealthy_units: a number of units, or a list of unit ids among "
            + ", ".join(UNIT_IDS)
        )
    if name in BOOL_KNOBS:
        if not isinstance(value, bool):
            raise KnobError(f"{name}: true or false")
        return value
    if type(value) is not int or value < 0:
        raise KnobError(f"{name}: a whole number >= 0")
    if name == "agents" and value > MAX_AGENTS:
        raise KnobError(f"agents: at most {MAX_AGENTS}")
    if name == "leader" and value >= bay.master_count:
        raise KnobError(f"leader: a master index below {bay.master_count}")
    return value


def knob_view(knobs):
    """Every knob with its value, the unset ones at their reset value."""
    view = dict.fromkeys(KNOBS, 0)
    view.update(dict.fromkeys(BOOL_KNOBS, False))
    view["master_down"] = False
    view["slow_seconds"] = 0.0
    view.update(knobs)
    return view
