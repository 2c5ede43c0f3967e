"""Persistence of the Magnum stand-in: its templates and clusters in memory,
behind one lock, written to ``magnum.json`` after each change."""

import json
import os
import tempfile
import threading
from pathlib import Path


class Store:
    """magnum.json: every template and cluster, written atomically."""

    def __init__(self, path):
        self.path = Path(path)

    def load(self):
        try:
            data = json.loads(self.path.read_text())
        except FileNotFoundError:
            return {"next_id": 1, "templates": [], "clusters": [], "quotas": []}
        return data

    def save(self, data):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(
            prefix=".magnum-", suffix=".json", dir=self.path.parent
        )
        try:
            with os.fdopen(fd, "w") as f:
                json.dump(data, f, indent=1, sort_keys=True)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


class State:
    """Every template and cluster, by uuid; ``lock`` guards them all.

    Transitions, handlers and the simulator's callbacks take ``lock`` before
    reading or changing a row and call :meth:`save` before letting go.
    """

    def __init__(self, path):
        self._store = Store(path)
        self.lock = threading.RLock()
        data = self._store.load()
        self._next_id = data["next_id"]
        self.templates = {t["uuid"]: t for t in data["templates"]}
        self.clusters = {c["uuid"]: c for c in data["clusters"]}
        self.quotas = list(data.get("quotas") or [])

    def save(self):
        self._store.save(
            {
                "next_id": self._next_id,
                "templates": sorted(self.templates.values(), key=lambda t: t["id"]),
                "clusters": sorted(self.clusters.values(), key=lambda c: c["id"]),
                "quotas": self.quotas,
            }
        )

    def new_id(self):
        value = self._next_id
        self._next_id += 1
        return value

    def coe_of(self, cluster):
        template = self.templates.get(cluster["cluster_template_id"])
        return template["coe"] if template else "kubernetes"

    def in_use(self, template_uuid):
        return any(
            c["cluster_template_id"] == template_uuid for c in self.clusters.values()
        )
