"""A bay's lifecycle: the conductor's side of the stand-in.

An operation (create, update, delete) is scheduled with a deadline
``transition_seconds`` ahead; :meth:`Lifecycle.advance` finishes every
operation whose time has come, telling the cluster simulator, on a
background ticker and before every request is answered.
"""

import copy
import logging
import threading
import uuid

from dcos_sandbox.magnum.addresses import (
    SIMULATED_COES,
    fabricated_addresses,
    reported_addresses,
    set_addresses,
)
from dcos_sandbox.magnum.wire import now_iso

LOG = logging.getLogger(__name__)

# Heat resource group of the masters in each driver's templates.
MASTER_GROUP = {
    "kubernetes": "kube_masters",
    "swarm": "swarm_masters",
    "swarm-mode": "swarm_primary_master",
    "mesos": "mesos_masters",
    "dcos": "dcos_masters",
}


class Lifecycle:
    """Schedules and finishes the operations of every bay in ``state``.

    ``simulator`` has the ClusterSimulator interface (create/resize/delete/
    addresses, and optionally subscribe) or is None.
    """

    def __init__(self, state, simulator, clock, transition_seconds, tick_seconds):
        self.state = state
        self.simulator = simulator
        self.clock = clock
        self.transition = float(transition_seconds)
        self._tick = tick_seconds
        # Serialises transitions, simulator calls included, so a reader that
        # arrives after a deadline always sees the finished state.
        self._advance_lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker = None
        if hasattr(simulator, "subscribe"):
            simulator.subscribe(self._addresses_moved)

    def start(self):
        """Bring simulated clusters back after a restart, then start ticking."""
        self._restore_simulated()
        self._stop.clear()
        self._ticker = threading.Thread(
            target=self._run, name="magnum-ticker", daemon=True
        )
        self._ticker.start()

    def stop(self):
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join(timeout=5)
            self._ticker = None

    def _run(self):
        while not self._stop.wait(self._tick):
            try:
                self.advance()
            except Exception:  # the ticker must outlive one bad transition
                LOG.exception("magnum: transition failed")

    def _restore_simulated(self):
        if self.simulator is None:
            return
        with self.state.lock:
            live = [c for c in self.state.clusters.values() if c.get("_simulated")]
        for cluster in live:
            try:
                known = self.simulator.addresses(cluster["uuid"])
                if not known:
                    known = self.simulator.create(
                        cluster["uuid"],
                        self.state.coe_of(cluster),
                        cluster["master_count"],
                        cluster["node_count"],
                        name=cluster["name"],
                    )
            except Exception:
                # One bay the simulator cannot bring back must not keep the
                # others (or Magnum) down; it keeps its last known addresses.
                LOG.exception("magnum: could not restore bay %s", cluster["uuid"])
                continue
            with self.state.lock:
                if cluster["uuid"] in self.state.clusters:
                    set_addresses(cluster, known)
                    self.state.save()

    def _addresses_moved(self, cluster_uuid, addresses):
        """The simulator moved a bay (a knob): report where it is now."""
        with self.state.lock:
            cluster = self.state.clusters.get(cluster_uuid)
            if cluster is not None and cluster.get("_simulated"):
                set_addresses(cluster, addresses)
                self.state.save()

    def schedule(self, cluster, op, **extra):
        cluster["_pending"] = {
            "op": op,
            "due": self.clock() + self.transition,
            "token": uuid.uuid4().hex,
            **extra,
        }

    def advance(self):
        """Finish every operation whose time has come; tell the simulator."""
        state = self.state
        with self._advance_lock:
            now = self.clock()
            with state.lock:
                due = [
                    (c["uuid"], copy.deepcopy(c["_pending"]))
                    for c in sorted(state.clusters.values(), key=lambda c: c["id"])
                    if c.get("_pending") and c["_pending"]["due"] <= now
                ]
                coes = {u: state.coe_of(state.clusters[u]) for u, _ in due}
                snapshot = {u: dict(state.clusters[u]) for u, _ in due}
            for cluster_uuid, pending in due:
                outcome = self._run_transition(
                    snapshot[cluster_uuid], coes[cluster_uuid], pending
                )
                with state.lock:
                    cluster = state.clusters.get(cluster_uuid)
                    if (
                        cluster is None
                        or cluster.get("_pending", {}).get("token") != pending["token"]
                    ):
                        continue
                    self._finish(cluster, pending, outcome, coes[cluster_uuid])
                    state.save()

    def _run_transition(self, cluster, coe, pending):
        """Call the simulator for one transition; return (ok, detail)."""
        op = pending["op"]
        if op == "create" and pending.get("fail"):
            return False, None
        if op == "delete" and not cluster.get("_simulated"):
            return True, None
        reported = reported_addresses(cluster)
        if reported is not None and op != "delete":
            return True, reported
        if self.simulator is None or coe not in SIMULATED_COES:
            return True, fabricated_addresses(cluster, coe, pending.get("node_count"))
        try:
            if op == "create":
                return True, self.simulator.create(
                    cluster["uuid"],
                    coe,
                    cluster["master_count"],
                    cluster["node_count"],
                    name=cluster["name"],
                )
            if op == "update":
                return True, self.simulator.resize(
                    cluster["uuid"], pending["node_count"]
                )
            try:
                self.simulator.delete(cluster["uuid"])
            except KeyError:
                pass  # already gone from the simulator: nothing to tear down
            return True, None
        except Exception as e:
            LOG.exception("magnum: simulator %s of %s failed", op, cluster["uuid"])
            return False, f"{type(e).__name__}: {e}"

    def _finish(self, cluster, pending, outcome, coe):
        ok, detail = outcome
        op = pending["op"]
        cluster["_pending"] = None
        cluster["updated_at"] = now_iso(self.clock)
        if op == "delete":
            if ok:
                del self.state.clusters[cluster["uuid"]]
            else:
                cluster["status"] = "DELETE_FAILED"
                cluster["status_reason"] = detail
            return
        verb = op.upper()
        if ok:
            set_addresses(cluster, detail)
            cluster["_simulated"] = (
                self.simulator is not None
                and coe in SIMULATED_COES
                and reported_addresses(cluster) is None
            )
            cluster["status"] = f"{verb}_COMPLETE"
            # The Heat driver copies the stack's reason (heat stack_status_reason).
            cluster["status_reason"] = f"Stack {verb} completed successfully"
            return
        if detail is None:
            group = MASTER_GROUP.get(coe, "masters")
            detail = (
                f"ResourceInError: resources.{group}.resources[0].resources."
                f'{group[:-1]}: Went to status ERROR due to "Message: No valid '
                'host was found. There are not enough hosts available., Code: 500"'
            )
        cluster["status"] = f"{verb}_FAILED"
        cluster["status_reason"] = detail
        cluster["_faults"] = {"default-master": detail}
