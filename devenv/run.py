"""`make run`: the embedded cloud and Horizon with the plugin, until Ctrl-C.

Starts real Keystone (gunicorn), the sandbox stand-ins, a memcached and
Horizon as it is deployed (gunicorn, several worker processes sharing that
memcached, offline-compressed static files), each in its own process group,
then prints the URL and the login. SIGINT and SIGTERM stop all of them; no
process of ours is left behind and no port stays bound. When one part dies,
the launcher names it and its log file.
"""

import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from dcos_sandbox import keystone
from dcos_sandbox.config import Config, free_port

ROOT = Path(__file__).resolve().parent.parent


DEFAULT_WORKERS = 3
DEFAULT_MEMCACHED_PORT = 11211

# What each process of the stack is, for the sentence saying which one died.
SERVICES = {
    "keystone": "Keystone",
    "sandbox": "the sandbox stand-ins (Magnum, Glance, Nova, Neutron, clusters)",
    "memcached": "memcached",
    "horizon": "Horizon",
}


def workers_from_env() -> int:
    raw = os.environ.get("DCOS_DASHBOARD_WORKERS", str(DEFAULT_WORKERS))
    try:
        count = int(raw)
    except ValueError:
        count = 0
    if count < 1:
        raise SystemExit(
            f"DCOS_DASHBOARD_WORKERS must be a whole number of at least 1, not {raw!r}."
        )
    return count


def horizon_env(config: Config, memcached_port: int | None = None) -> dict:
    """Horizon's environment; without a memcached port its cache is in-process
    (what manage.py commands need, run before any memcached is up)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "devenv"), str(ROOT), env.get("PYTHONPATH", "")]
    ).rstrip(os.pathsep)
    env["DJANGO_SETTINGS_MODULE"] = "openstack_dashboard.settings"
    env["DCOS_SANDBOX_DIR"] = str(config.state_dir)
    env["DCOS_SANDBOX_KEYSTONE_PORT"] = str(config.keystone_port)
    env.pop("DCOS_SANDBOX_MEMCACHED_PORT", None)
    if memcached_port is not None:
        env["DCOS_SANDBOX_MEMCACHED_PORT"] = str(memcached_port)
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


def horizon_command(config: Config, workers: int | None = None) -> list[str]:
    """gunicorn as Horizon is deployed: several processes, each threaded.

    The processes share nothing but memcached, so whatever the plugin
    promises "for all users" has to hold across them.
    """
    argv = keystone.gunicorn_command(
        config.host,
        config.horizon_port,
        "devenv.wsgi:application",
        "--chdir",
        str(ROOT),
    )
    # gunicorn reads its options with argparse: a later --workers wins.
    count = workers if workers is not None else workers_from_env()
    return [*argv[:-1], "--workers", str(count), argv[-1]]


def memcached_command(host: str, port: int) -> list[str]:
    """Debian's memcached on host:port only, TCP only (no UDP amplification)."""
    binary = shutil.which("memcached") or "/usr/bin/memcached"
    # -I: a 10,000-agent bay's health pickles to about 2 MB, over the 1 MB
    # default item size; shared across workers only if memcached takes it.
    argv = [binary, "-l", host, "-p", str(port), "-U", "0", "-m", "256", "-I", "16m"]
    if os.geteuid() == 0:
        # memcached refuses to run as root without -u; drop to nobody.
        try:
            pwd.getpwnam("nobody")
            argv += ["-u", "nobody"]
        except KeyError:
            argv += ["-u", "root"]
    return argv


def wait_http(url: str, proc, timeout: float = 90.0, name: str | None = None) -> None:
    deadline = time.monotonic() + timeout
    what = name or proc.args[0]
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}")
        try:
            requests.get(url, timeout=2)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise TimeoutError(f"{what}: nothing answered on {url}")


def wait_tcp(host: str, port: int, proc, name: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited with {proc.returncode}")
        try:
            with socket.create_connection((host, port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"{name}: nothing listened on {host}:{port}")


def spawn(argv: list[str], env: dict, log_path: Path) -> subprocess.Popen:
    """Start a child in its own session (so its group can be stopped whole),
    from the checkout's root, its output appended to ``log_path``."""
    log = open(log_path, "ab")  # noqa: SIM115 - lives as long as the child
    return subprocess.Popen(
        argv,
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )


class Stack:
    """The processes of the demo, started in order, stopped together.

    ``memcached_port`` defaults to a free port (tests, benchmarks);
    ``workers`` to ``DCOS_DASHBOARD_WORKERS`` (3).
    """

    def __init__(
        self,
        config: Config,
        log_dir: Path,
        horizon: bool = True,
        memcached_port: int | None = None,
        workers: int | None = None,
    ):
        self.config = config
        self.log_dir = log_dir
        self.horizon = horizon
        self.memcached_port = memcached_port or free_port()
        self.workers = workers
        self.procs: list[subprocess.Popen] = []
        self.names: dict[int, str] = {}

    def log_file(self, name: str) -> Path:
        return self.log_dir / f"{name}.log"

    def describe(self, proc: subprocess.Popen) -> str:
        """'Horizon (pid 123, exit code 1); its log: /x/horizon.log'."""
        name = self.names.get(proc.pid, "")
        what = SERVICES.get(name, proc.args[0])
        code = proc.poll()
        if code is not None and code < 0:
            status = f"killed by signal {-code}"
        else:
            status = f"exit code {code}"
        log = f"; its log: {self.log_file(name)}" if name else ""
        return f"{what} (pid {proc.pid}, {status}){log}"

    def dead(self) -> list[str]:
        return [self.describe(p) for p in self.procs if p.poll() is not None]

    def _spawn(self, name, argv, env):
        self.log_dir.mkdir(parents=True, exist_ok=True)
        proc = spawn(argv, env, self.log_file(name))
        self.procs.append(proc)
        self.names[proc.pid] = name
        return proc

    def _wait(self, name, wait, proc, *args, **kw):
        """Run a readiness wait, naming the service and its log if it fails."""
        try:
            wait(*args, proc, name=SERVICES[name], **kw)
        except (RuntimeError, TimeoutError) as exc:
            raise RuntimeError(f"{exc}; its log: {self.log_file(name)}") from None

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
        try:
            keystone.wait_ready(config, proc=ks)
        except (RuntimeError, TimeoutError) as exc:
            raise RuntimeError(f"{exc}; its log: {self.log_file('keystone')}") from None
        keystone.provision(config)

    def start_sandbox(self) -> None:
        env = dict(os.environ)
        env.update(sandbox_env(self.config))
        sb = self._spawn("sandbox", [sys.executable, "-m", "dcos_sandbox.server"], env)
        self._wait(
            "sandbox", wait_http, sb, self.config.url(self.config.magnum_port, "/")
        )

    def start_memcached(self) -> None:
        host, port = self.config.host, self.memcached_port
        mc = self._spawn("memcached", memcached_command(host, port), dict(os.environ))
        self._wait("memcached", wait_tcp, mc, host, port)

    def start_horizon(self) -> None:
        if "memcached" not in self.names.values():
            self.start_memcached()
        prepare_static(self.config)
        env = horizon_env(self.config, self.memcached_port)
        hz = self._spawn("horizon", horizon_command(self.config, self.workers), env)
        self._wait(
            "horizon",
            wait_http,
            hz,
            self.config.url(self.config.horizon_port, "/auth/login/"),
        )

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
        self.names.clear()


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
    stack = Stack(
        config,
        Path(config.state_dir) / "logs",
        memcached_port=int(
            os.environ.get("DCOS_SANDBOX_MEMCACHED_PORT", DEFAULT_MEMCACHED_PORT)
        ),
        workers=workers_from_env(),
    )
    stopping = []

    def _stop(signum, frame):
        stopping.append(signum)
        raise KeyboardInterrupt

    # A background child of a non-interactive shell starts with SIGINT
    # ignored; take both signals back explicitly.
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        print(
            "Starting Keystone, the sandbox cloud, memcached and Horizon ...",
            flush=True,
        )
        stack.start()
        print(
            f"\n  DC/OS dashboard: {config.url(config.horizon_port, '/')}"
            f" ({stack.workers} Horizon workers, memcached on"
            f" {config.host}:{stack.memcached_port})\n"
            f"  Log in as {config.demo_user} / {config.demo_password}"
            f" (admin: {config.admin_user} / {config.admin_password})\n"
            f"  Logs: {stack.log_dir}   State: {config.state_dir}\n"
            "  Ctrl-C stops everything.\n",
            flush=True,
        )
        while all(p.poll() is None for p in stack.procs):
            time.sleep(0.5)
        for line in stack.dead():
            print(f"Stopped unexpectedly: {line}", flush=True)
        return 1
    except KeyboardInterrupt:
        return 0
    except RuntimeError as exc:
        print(f"Could not start: {exc}", flush=True)
        return 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stack.stop()
        print("Stopped.", flush=True)


if __name__ == "__main__":
    sys.exit(main())
