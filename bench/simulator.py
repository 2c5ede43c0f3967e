"""The sandbox's simulated clusters in a process of their own, for bench_health.

Serving a 10,000-agent state-summary from the measuring process would
share its interpreter lock with the client being timed; in a child
process the server costs the client nothing but what a real master's
network would.

``python -m bench.simulator STATE_DIR AGENTS`` creates one DC/OS bay of
AGENTS agents on a free port, prints ``{"uuid", "api_address",
"master_addresses", ...}`` as one JSON line, and serves until SIGTERM or
until its standard input closes. :class:`SimulatorProcess` runs it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


class SimulatorProcess:
    """A child process holding one simulated DC/OS bay; a context manager."""

    def __init__(self, state_dir: Path, agents: int):
        self.state_dir = state_dir
        self.agents = agents
        self.proc: subprocess.Popen | None = None
        self.bay: dict = {}

    def __enter__(self) -> dict:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            [str(ROOT), env.get("PYTHONPATH", "")]
        ).rstrip(os.pathsep)
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bench.simulator",
                str(self.state_dir),
                str(self.agents),
            ],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        line = self.proc.stdout.readline()
        if not line:
            self.__exit__()
            raise RuntimeError("the simulator process did not start")
        self.bay = json.loads(line)
        return self.bay

    def __exit__(self, *exc) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream:
                stream.close()
        self.proc = None


def _serve(state_dir: str, agents: int) -> None:
    from dcos_sandbox.clusters import ClusterSimulator
    from dcos_sandbox.config import Config

    sim = ClusterSimulator(Config.from_env(state_dir=Path(state_dir), clusters_port=0))
    sim.start()
    done = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: done.set())
    try:
        uuid = "bench-floor"
        addresses = sim.create(uuid, "dcos", 1, 1)
        sim.set_knobs(uuid, agents=agents)
        print(json.dumps({"uuid": uuid, **addresses}), flush=True)
        # The parent closing our stdin (it died, or it is done) also ends us.
        threading.Thread(
            target=lambda: (sys.stdin.read(), done.set()), daemon=True
        ).start()
        done.wait()
    finally:
        sim.stop()


if __name__ == "__main__":
    _serve(sys.argv[1], int(sys.argv[2]))
