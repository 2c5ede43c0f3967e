"""`make run`'s Horizon is shaped as deployed: several gunicorn workers
sharing one memcached, the security headers of the README, and a stack that
stops every process it started, names the part that died and its log."""

import dataclasses
import os
import signal
import socket
import time
from pathlib import Path

import pytest
import requests
from pymemcache.client.base import Client

from devenv import run as devenv
from tests.conftest import free_port
from tests.horizon_login import horizon_login

pytestmark = pytest.mark.cloud

ROOT = Path(__file__).resolve().parents[2]


def children(pid: int) -> list[int]:
    """Direct children of ``pid``, from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def bound(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def proc_named(stack, name):
    [proc] = [p for p in stack.procs if stack.names[p.pid] == name]
    return proc


def login(base):
    session, response = horizon_login(base, "demo", "demo")
    assert response.url == f"{base}/project/dcos_bays/"
    return session


def test_horizon_runs_several_workers_sharing_one_memcached(horizon_stack):
    expected = devenv.workers_from_env()
    assert expected >= 2  # the default (3) unless DCOS_DASHBOARD_WORKERS says
    master = proc_named(horizon_stack, "horizon")
    workers = children(master.pid)
    assert len(workers) == expected

    memcached = Client(("127.0.0.1", horizon_stack.memcached_port), timeout=5)
    before = memcached.stats()
    base = horizon_stack.config.url(horizon_stack.config.horizon_port)
    # Sessions are signed cookies: a login served by one worker holds on
    # every other one (connections are not kept, so requests spread).
    session = login(base)
    for _ in range(3 * expected):
        page = session.get(f"{base}/project/dcos_baymodels/", timeout=60)
        assert page.status_code == 200 and page.url.endswith("/dcos_baymodels/")
    after = memcached.stats()
    # Horizon's cache is this memcached: the pages read it.
    assert after[b"cmd_get"] > before[b"cmd_get"]
    assert after[b"total_connections"] > before[b"total_connections"]


def test_security_headers_the_readme_recommends(live_stack):
    base = live_stack.url(live_stack.horizon_port)
    response = requests.get(f"{base}/auth/login/", timeout=30)
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    csp = response.headers["Content-Security-Policy"]
    assert csp == devenv_csp()
    # The README recommends exactly the policy the devenv serves.
    readme = " ".join((ROOT / "README.md").read_text().split())
    assert f'Content-Security-Policy "{csp}"' in readme


def devenv_csp():
    from devenv.headers import CONTENT_SECURITY_POLICY

    return CONTENT_SECURITY_POLICY


@pytest.fixture
def small_stack(live_stack, tmp_path):
    """memcached + Horizon (2 workers) of their own, beside the session's
    stack, on its static files (already compressed) and Keystone."""
    config = dataclasses.replace(live_stack, horizon_port=free_port())
    stack = devenv.Stack(config, tmp_path / "logs", workers=2)
    try:
        stack.start_horizon()
        yield stack
    finally:
        stack.stop()


def test_stop_leaves_no_process_and_no_port(small_stack):
    stack = small_stack
    master = proc_named(stack, "horizon")
    memcached = proc_named(stack, "memcached")
    pids = [master.pid, memcached.pid, *children(master.pid)]
    assert len(pids) == 4
    ports = [stack.config.horizon_port, stack.memcached_port]
    assert all(bound(port) for port in ports)
    stack.stop()
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [pid for pid in pids if alive(pid)] == []
    assert [port for port in ports if bound(port)] == []


def test_a_dead_part_is_named_with_its_log(small_stack):
    stack = small_stack
    memcached = proc_named(stack, "memcached")
    os.kill(memcached.pid, signal.SIGKILL)
    memcached.wait(10)
    [line] = stack.dead()
    log = stack.log_dir / "memcached.log"
    pid = memcached.pid
    assert line == f"memcached (pid {pid}, killed by signal 9); its log: {log}"
    assert log.exists()
