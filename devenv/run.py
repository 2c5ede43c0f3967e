"""`make run`: the embedded cloud and Horizon with the plugin, until Ctrl-C.

Starts real Keystone (gunicorn), the sandbox stand-ins, and Horizon (gunicorn,
offline-compressed static files), each in its own process group, then prints
the URL and the login. SIGINT and SIGTERM stop all of them; no process of
ours is left behind and no port stays bound.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from dcos_sandbox import keystone
from dcos_sandbox.config import Config

ROOT = Path(__file__).resolve().parent.parent


def horizon_env(config: Config) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "devenv"), str(ROOT), env.get("PYTHONPATH", "")]
    ).rstrip(os.pathsep)
    env["DJANGO_SETTINGS_MODULE"] = "openstack_dashboard.settings"
    env["DCOS_SANDBOX_DIR"] = str(config.state_dir)
    env["DCOS_SANDBOX_KEYSTONE_PORT"] = str(config.keystone_port)
    return env


def prepare_static(config: Config) -> None:
    """collectstatic + offline compress, redone only when the install changed."""
    stamp = Path(config.state_dir) / "horizon" / "static.stamp"
    wanted = str(
        sorted(
            (p.name, p.stat().st_mtime_ns)
            for p in (ROOT / "dcos_dashboard" / "static").rglob("*")
        )
        + [sys.executable]
    )
    if stamp.exists() and stamp.read_text() == wanted:
        return
    env = horizon_env(config)
    for args in (["collectstatic", "--noinput", "-v0"], ["compress", "--force"]):
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            timeout=600,
        )
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(wanted)


def horizon_command(config: Config) -> list[str]:
    # One process: the plugin's health cache (LocMem) is then shared by
    # every request; threads give the concurrency.
    return keystone.gunicorn_command(
        config.host,
        config.horizon_port,
        "devenv.wsgi:application",
        "--chdir",
        str(ROOT),
    )


def wait_http(url: str, proc, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode}")
        try:
            requests.get(url, timeout=2)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise TimeoutError(f"nothing answered on {url}")


class Stack:
    """The three processes of the demo, started in order, stopped together."""

    def __init__(self, config: Config, log_dir: Path, horizon: bool = True):
        self.config = config
        self.log_dir = log_dir
        self.horizon = horizon
        self.procs: list[subprocess.Popen] = []

    def _spawn(self, name, argv, env):
        log = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115 - lives as long as the child
        proc = subprocess.Popen(
            argv,
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.procs.append(proc)
        return proc

    def start(self) -> None:
        self.start_keystone()
        self.start_sandbox()
        if self.horizon:
            self.start_horizon()

    def start_keystone(self) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        config = self.config
        keystone.prepare(config)
        ks = self._spawn("keystone", keystone.command(config), keystone.env(config))
        keystone.wait_ready(config, proc=ks)
        keystone.provision(config)

    def start_sandbox(self) -> None:
        env = dict(os.environ)
        env.update(sandbox_env(self.config))
        sb = self._spawn("sandbox", [sys.executable, "-m", "dcos_sandbox.server"], env)
        wait_http(self.config.url(self.config.magnum_port, "/"), sb)

    def start_horizon(self) -> None:
        prepare_static(self.config)
        env = horizon_env(self.config)
        hz = self._spawn("horizon", horizon_command(self.config), env)
        wait_http(self.config.url(self.config.horizon_port, "/auth/login/"), hz)

    def stop(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + 10
        for proc in reversed(self.procs):
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait()
        self.procs.clear()


def sandbox_env(config: Config) -> dict:
    """The environment variables that make a child see this exact cloud."""
    return {
        "DCOS_SANDBOX_DIR": str(config.state_dir),
        "DCOS_SANDBOX_KEYSTONE_PORT": str(config.keystone_port),
        "DCOS_SANDBOX_MAGNUM_PORT": str(config.magnum_port),
        "DCOS_SANDBOX_GLANCE_PORT": str(config.glance_port),
        "DCOS_SANDBOX_NOVA_PORT": str(config.nova_port),
        "DCOS_SANDBOX_NEUTRON_PORT": str(config.neutron_port),
        "DCOS_SANDBOX_CLUSTERS_PORT": str(config.clusters_port),
        "DCOS_DASHBOARD_PORT": str(config.horizon_port),
        "DCOS_SANDBOX_MAGNUM_MODE": config.magnum_mode,
        "DCOS_SANDBOX_TRANSITION_SECONDS": str(config.transition_seconds),
        "DCOS_SANDBOX_SERVICE_PASSWORD": config.service_password,
    }


def main() -> int:
    config = Config.from_env()
    stack = Stack(config, Path(config.state_dir) / "logs")
    stopping = []

    def _stop(signum, frame):
        stopping.append(signum)
        raise KeyboardInterrupt

    # A background child of a non-interactive shell starts with SIGINT
    # ignored; take both signals back explicitly.
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        print("Starting Keystone, the sandbox cloud and Horizon ...", flush=True)
        stack.start()
        print(
            f"\n  DC/OS dashboard: {config.url(config.horizon_port, '/')}\n"
            f"  Log in as {config.demo_user} / {config.demo_password}"
            f" (admin: {config.admin_user} / {config.admin_password})\n"
            f"  Logs: {stack.log_dir}   State: {config.state_dir}\n"
            "  Ctrl-C stops everything.\n",
            flush=True,
        )
        while all(p.poll() is None for p in stack.procs):
            time.sleep(0.5)
        dead = [p.args[0] for p in stack.procs if p.poll() is not None]
        print(f"A process stopped unexpectedly: {dead}; see {stack.log_dir}")
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stack.stop()
        print("Stopped.", flush=True)


if __name__ == "__main__":
    sys.exit(main())
