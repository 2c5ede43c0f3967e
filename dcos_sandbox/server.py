"""Runs the stand-ins: Magnum, Glance, Nova, Neutron and the simulated clusters.

Each service listens on its own ``config.*_port`` of 127.0.0.1 behind
keystonemiddleware checking tokens with the real Keystone (which runs in its
own process, see ``dcos_sandbox.keystone``). ``python -m dcos_sandbox.server``
serves until SIGINT or SIGTERM.

Two knobs beyond :class:`~dcos_sandbox.config.Config`, read from the
environment: ``DCOS_SANDBOX_MAGNUM_ROW_DELAY`` (seconds a new bay answers 404,
default 0.3) and ``DCOS_SANDBOX_MAGNUM_MAX_CLUSTERS`` (bays per project,
Magnum's default 20; 0 = unlimited).
"""

import logging
import os
import signal
import sys
import threading

from dcos_sandbox import auth
from dcos_sandbox.config import Config
from dcos_sandbox.magnum import DEFAULT_MAX_CLUSTERS, Magnum
from dcos_sandbox.openstack import GlanceApp, NeutronApp, NovaApp, World
from dcos_sandbox.wsgi import Server

LOG = logging.getLogger(__name__)


def _env_float(name, default):
    value = os.environ.get(name)
    return default if value in (None, "") else float(value)


class Sandbox:
    """Every stand-in of the embedded cloud, started and stopped together.

    ``protect(app, config, public_paths)`` wraps each app; it defaults to the
    real keystonemiddleware (tests of the WSGI layer may pass another).
    """

    def __init__(
        self,
        config,
        *,
        simulator=None,
        protect=auth.keystone_protect,
        row_delay=None,
        max_clusters_per_project=None,
    ):
        self.config = config
        self.world = World()
        self._own_simulator = simulator is None
        self.simulator = simulator
        self._protect = protect
        if row_delay is None:
            row_delay = _env_float("DCOS_SANDBOX_MAGNUM_ROW_DELAY", 0.3)
        if max_clusters_per_project is None:
            max_clusters_per_project = int(
                _env_float("DCOS_SANDBOX_MAGNUM_MAX_CLUSTERS", DEFAULT_MAX_CLUSTERS)
            )
        self._row_delay = row_delay
        self._max_clusters = max_clusters_per_project or None
        self.magnum = None
        self.servers = {}

    def start(self):
        config = self.config
        config.state_dir.mkdir(parents=True, exist_ok=True)
        if self.simulator is None:
            # Imported late: the simulator is a sibling module with its own
            # dependencies, and tests of the WSGI layer pass a fake instead.
            from dcos_sandbox.clusters import ClusterSimulator

            self.simulator = ClusterSimulator(config)
        try:
            if self._own_simulator:
                self.simulator.start()
            self.magnum = Magnum(
                config,
                self.world,
                self.simulator,
                row_delay=self._row_delay,
                max_clusters_per_project=self._max_clusters,
            )
            apps = {
                "magnum": (self.magnum, config.magnum_port),
                "glance": (GlanceApp(self.world), config.glance_port),
                "nova": (NovaApp(self.world), config.nova_port),
                "neutron": (NeutronApp(self.world), config.neutron_port),
            }
            for name, (app, port) in apps.items():
                wrapped = self._protect(app, config, app.public_paths)
                self.servers[name] = Server(wrapped, config.host, port, name).start()
            self.magnum.start()
        except BaseException:
            self.stop()
            raise
        LOG.info(
            "stand-ins up: %s",
            ", ".join(f"{n} {s.url}" for n, s in self.servers.items()),
        )
        return self

    def stop(self):
        for server in self.servers.values():
            server.stop()
        self.servers = {}
        if self.magnum is not None:
            self.magnum.stop()
        if self._own_simulator and self.simulator is not None:
            self.simulator.stop()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def main():
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s"
    )
    config = Config.from_env()
    done = threading.Event()
    # A background job of a non-interactive shell starts with SIGINT ignored;
    # installing handlers for both makes Ctrl-C and `kill` stop it alike.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: done.set())
    sandbox = Sandbox(config).start()
    print(
        "stand-ins: "
        + ", ".join(f"{name} {server.url}" for name, server in sandbox.servers.items()),
        flush=True,
    )
    try:
        while not done.wait(1):
            pass
    finally:
        sandbox.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
