"""One simulated cluster as the simulator keeps it: what is persisted in
``<state_dir>/clusters.json`` (so bays survive a restart), its live listeners
and its cached bodies."""

import dataclasses
import json
import logging
import os
import threading
import time

LOG = logging.getLogger(__name__)


# What clusters.json keeps of a bay (its uuid is the key it is kept under).
_PERSISTED = ("coe", "name", "master_count", "node_count", "created_at", "knobs",
              "master_ports", "hole_port")  # fmt: skip


@dataclasses.dataclass(eq=False)
class Bay:
    """One simulated cluster: what is persisted, plus its live servers and cache."""

    uuid: str
    coe: str
    name: str
    master_count: int
    node_count: int
    created_at: float
    knobs: dict
    master_ports: list
    # A DC/OS bay's black-hole listener while the blackhole knob is on;
    # its port is kept so the address stays the same from one time to the next.
    hole_port: int = 0
    hole: object = dataclasses.field(default=None, init=False)
    masters: list = dataclasses.field(init=False)
    generation: int = dataclasses.field(default=0, init=False)
    snapshot: object = dataclasses.field(default=None, init=False)
    build_lock: threading.Lock = dataclasses.field(
        default_factory=threading.Lock, init=False
    )

    def __post_init__(self):
        self.masters = [None] * self.master_count

    def to_json(self):
        return {key: getattr(self, key) for key in _PERSISTED}

    @classmethod
    def from_json(cls, uuid, data):
        master_count = int(data["master_count"])
        ports = list(data.get("master_ports") or [])
        ports = (ports + [0] * master_count)[:master_count]
        return cls(
            uuid,
            data["coe"],
            data.get("name", ""),
            master_count,
            int(data["node_count"]),
            float(data["created_at"]),
            dict(data.get("knobs") or {}),
            [int(p or 0) for p in ports],
            int(data.get("hole_port") or 0),
        )

    @property
    def leader(self):
        return self.knobs.get("leader", 0)

    def down_masters(self):
        down = self.knobs.get("master_down")
        if down is True:
            return set(range(self.master_count))
        return set(down or ())

    def changed(self):
        self.generation += 1
        self.snapshot = None


def load_bays(path):
    """(bays by uuid, secret) from ``path``; None when there is nothing usable.

    An unreadable file is moved aside, so a bad edit never blocks a start.
    """
    try:
        raw = path.read_text()
    except FileNotFoundError:
        return None
    try:
        data = json.loads(raw)
        bays = {u: Bay.from_json(u, b) for u, b in data.get("bays", {}).items()}
        secret = bytes.fromhex(data["secret"])
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        aside = path.with_name(f"clusters.json.unreadable-{int(time.time())}")
        os.replace(path, aside)
        LOG.warning("%s is unreadable (%s); moved it to %s and started empty",
                    path, exc, aside)  # fmt: skip
        return None
    return bays, secret


def save_bays(path, bays, secret):
    data = {
        "version": 1,
        "secret": secret.hex(),
        "bays": {u: bay.to_json() for u, bay in bays.items()},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True))
    os.replace(tmp, path)
