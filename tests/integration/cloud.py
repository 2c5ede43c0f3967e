"""A private cloud whose every OpenStack service sits behind a gate.

Keystone, Magnum, Glance, Nova and Neutron are reached, by Horizon and by
the stand-ins alike, through :class:`Gate`: an HTTP relay registered in
Keystone's catalog (and as Horizon's Keystone URL) in the service's place.
A gate counts every request it relays (so a test can prove that nothing
reached Magnum), and can make its service *down* (the port refuses
connections) or *hung* (connections are accepted and never answered, what
``kill -STOP`` of the service's process does). The real processes run
behind: Keystone under gunicorn, ``python -m dcos_sandbox.server``, and
Horizon under gunicorn exactly as ``make run`` serves it (its workers
sharing a memcached of its own), with the plugin's timeouts shortened
(``horizon/local/local_settings.py``).

One cloud is shared by ``tests/integration`` and ``tests/resilience``
(Keystone's bootstrap is most of its ~40 s start): :func:`acquire` starts
it on first use, :func:`release` stops it after the last user.
"""

from __future__ import annotations

import dataclasses
import fcntl
import html
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from html.parser import HTMLParser
from pathlib import Path

import requests

from dcos_sandbox import keystone
from dcos_sandbox.config import Config, free_port
from devenv import run as devenv
from devenv.relay import Relay
from tests.conftest import template_fields
from tests.horizon_login import horizon_login

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_DIR = Path(__file__).resolve().parent / "horizon"

# The plugin settings of this cloud's Horizon: timeouts short enough that a
# hung service costs seconds. A page reads a service a few times at most,
# so every page must answer well within PAGE_BUDGET.
DASHBOARD = {
    "MAGNUM_TIMEOUT": 4.0,
    "CONNECT_TIMEOUT": 1.0,
    "READ_TIMEOUT": 3.0,
    "HEALTH_CACHE_SECONDS": 1,
    # Past a 10,000-agent state-summary (12.9 MB); an oversize body costs
    # 16 MB, not the default 64.
    "MAX_RESPONSE_BYTES": 16_000_000,
    # Names other areas may give the timeout of Horizon's own api calls
    # (Glance, Nova, Neutron, Keystone); unknown keys are ignored.
    "OPENSTACK_TIMEOUT": 4.0,
}
PAGE_BUDGET = 30.0  # seconds; a hung call without a timeout never ends

SERVICES = ("keystone", "magnum", "glance", "nova", "neutron")


class Gate(Relay):
    """A relay in front of one service: up, down or hung; counting."""

    def __init__(self, name: str, port: int, upstream_port: int):
        super().__init__(name, upstream_port, port=port, timeout=120)
        self.state = "up"
        # (method, path, body) -> True: counted, then answered here and never
        # relayed; for requests that would wedge the stand-in itself.
        self.hold_back = None
        self._released = threading.Event()

    # -- states -------------------------------------------------------------

    def up(self) -> None:
        self._set("up")

    def down(self) -> None:
        """Nothing listens: every connection is refused."""
        self._set("down")

    def hang(self) -> None:
        """Connections are accepted, requests read, and never answered."""
        self._set("hung")

    def _set(self, state: str) -> None:
        if state == self.state:
            return
        # Whatever waits in a hung request is let go (its connection closes
        # without an answer, as when a stopped process is killed).
        self._released.set()
        self._released = threading.Event()
        if state == "down":
            self.close()
        elif self._server is None:
            self.listen()
        self.state = state

    # -- counting -----------------------------------------------------------

    def reset(self) -> None:
        super().reset()
        self.hold_back = None

    def writes(self) -> list[tuple[str, str]]:
        """The POST, PATCH, PUT and DELETE requests relayed since reset()."""
        with self._lock:
            return [(m, p) for m, p in self.requests if m != "GET"]

    # -- serving ------------------------------------------------------------

    def stop(self) -> None:
        self._released.set()
        super().stop()

    def answer(self, handler, path, body) -> None:
        if self.state == "down":
            # A connection kept alive from before: a stopped service's would
            # be gone too. Relaying here let a client (Magnum's token check)
            # still reach a service that is down.
            handler.close_connection = True
            return
        if self.state == "hung":
            released = self._released
            released.wait(600)
            handler.close_connection = True
            return
        self.record(handler.command, path)
        if self.hold_back is not None and self.hold_back(handler.command, path, body):
            data = json.dumps({"errors": [{"status": 503, "title": "held back"}]})
            handler.send_response(503)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data.encode())
            return
        self.relay(handler, body)


class GatedCloud:
    """Keystone, the stand-ins and Horizon, each service behind a Gate."""

    def __init__(self):
        self.state_dir, ports = _state_dir()
        self.log_dir = self.state_dir / "logs"
        self.log_dir.mkdir(exist_ok=True)
        # What the catalog, Horizon and the stand-ins see: the gates.
        self.config = Config.on_free_ports(
            self.state_dir, magnum_mode="dcos", transition_seconds=0.5
        )
        self.config = dataclasses.replace(self.config, **ports["front"])
        # Where the services really listen.
        self.backend = dataclasses.replace(self.config, **ports["back"])
        self.gates = {
            s: Gate(
                s, getattr(self.config, f"{s}_port"), getattr(self.backend, f"{s}_port")
            )
            for s in SERVICES
        }
        self.procs: dict[str, subprocess.Popen] = {}
        self.memcached_port = free_port()

    # -- start and stop -----------------------------------------------------

    def _spawn(self, name, argv, env) -> subprocess.Popen:
        proc = devenv.spawn(argv, env, self.log_dir / f"{name}.log")
        self.procs[name] = proc
        return proc

    def start(self) -> GatedCloud:
        try:
            for gate in self.gates.values():
                gate.start()
            static = threading.Thread(target=devenv.prepare_static, args=(self.config,))
            static.start()
            # Bootstrapped with the gates' URLs, served behind them.
            keystone.prepare(self.config)
            ks = self._spawn(
                "keystone", keystone.command(self.backend), keystone.env(self.config)
            )
            keystone.wait_ready(self.config, proc=ks, timeout=120)
            keystone.provision(self.config)
            env = dict(os.environ)
            env.update(devenv.sandbox_env(self.backend))
            # The stand-ins check tokens through Keystone's gate.
            env["DCOS_SANDBOX_KEYSTONE_PORT"] = str(self.config.keystone_port)
            env["DCOS_SANDBOX_MAGNUM_ROW_DELAY"] = "0"
            env["DCOS_SANDBOX_MAGNUM_MAX_CLUSTERS"] = "0"
            sb = self._spawn(
                "sandbox", [sys.executable, "-m", "dcos_sandbox.server"], env
            )
            devenv.wait_http(self.backend.url(self.backend.magnum_port, "/"), sb)
            static.join()
            self.start_memcached()
            self.start_horizon()
        except BaseException:
            self.stop()
            raise
        return self

    def start_memcached(self) -> None:
        """memcached as ``make run`` starts it, empty, on its port."""
        host, port = self.config.host, self.memcached_port
        mc = self._spawn(
            "memcached", devenv.memcached_command(host, port), dict(os.environ)
        )
        devenv.wait_tcp(host, port, mc, "memcached")

    def start_horizon(self) -> None:
        env = devenv.horizon_env(self.config, self.memcached_port)
        env["PYTHONPATH"] = os.pathsep.join([str(SETTINGS_DIR), env["PYTHONPATH"]])
        env["DCOS_TEST_DASHBOARD"] = json.dumps(DASHBOARD)
        hz = self._spawn("horizon", devenv.horizon_command(self.config), env)
        devenv.wait_http(self.horizon + "/auth/login/", hz)

    def stop(self) -> None:
        for gate in self.gates.values():
            gate.stop()
        for proc in self.procs.values():
            if proc.poll() is None:
                for sig in (signal.SIGCONT, signal.SIGTERM):
                    try:
                        os.killpg(proc.pid, sig)
                    except ProcessLookupError:
                        pass
        for proc in self.procs.values():
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        self.procs.clear()

    # -- faults -------------------------------------------------------------

    def everything_up(self) -> None:
        for gate in self.gates.values():
            gate.up()
        for proc in self.procs.values():
            os.killpg(proc.pid, signal.SIGCONT)

    def memcached_gets(self) -> int:
        """How many reads memcached has served since it started."""
        with socket.create_connection(
            (self.config.host, self.memcached_port), timeout=5
        ) as conn:
            conn.sendall(b"stats\r\n")
            reply = b""
            while not reply.endswith(b"END\r\n"):
                chunk = conn.recv(4096)
                if not chunk:
                    break
                reply += chunk
        stats = dict(
            line.split()[1:3]
            for line in reply.decode().splitlines()
            if line.count(" ") >= 2
        )
        return int(stats.get("cmd_get", 0))

    def kill_memcached(self):
        """memcached killed (its port refuses connections); the returned
        callable starts it again, empty, as a restarted memcached is."""
        proc = self.procs["memcached"]
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        return self.start_memcached

    def stop_process(self, name: str):
        """``kill -STOP`` a process group; the returned callable resumes it."""
        pid = self.procs[name].pid
        os.killpg(pid, signal.SIGSTOP)
        return lambda: os.killpg(pid, signal.SIGCONT)

    # -- addresses and accounts ---------------------------------------------

    @property
    def horizon(self) -> str:
        return self.config.url(self.config.horizon_port)

    @property
    def magnum(self) -> Gate:
        return self.gates["magnum"]

    def token(self, user="demo", password="demo", project="demo") -> str:
        return keystone.password_token(self.backend, user, password, project)

    def magnum_call(self, method, path, token=None, **kw):
        """A call to the stand-in itself (behind the gate: not counted)."""
        r = requests.request(
            method,
            self.backend.url(self.backend.magnum_port, "/v1" + path),
            headers={
                "X-Auth-Token": token or self.token(),
                "OpenStack-API-Version": "container-infra latest",
            },
            timeout=30,
            **kw,
        )
        r.raise_for_status()
        return r.json() if r.content else None

    def template(self, name, token=None, **fields):
        """A Bay Model made straight in Magnum; returns its document."""
        body = template_fields(**{"name": name, **fields})
        return self.magnum_call("POST", "/clustertemplates", token, json=body)

    def bay(self, name, template_uuid, token=None, wait=True, **fields):
        """A bay made straight in Magnum, CREATE_COMPLETE when wait."""
        body = {
            "name": name,
            "cluster_template_id": template_uuid,
            "master_count": 1,
            "node_count": 1,
            **fields,
        }
        uuid = self.magnum_call("POST", "/clusters", token, json=body)["uuid"]
        deadline = time.monotonic() + 60
        while wait:
            try:
                bay = self.magnum_call("GET", f"/clusters/{uuid}", token)
            except requests.HTTPError:
                bay = {"status": None}
            if bay["status"] == "CREATE_COMPLETE":
                break
            if time.monotonic() > deadline:
                raise TimeoutError(f"bay {name} never completed: {bay['status']}")
            time.sleep(0.2)
        return uuid

    def set_knobs(self, uuid, **knobs) -> requests.Response:
        return requests.post(
            f"{self.config.clusters_url}/_sandbox/clusters/{uuid}/knobs",
            json=knobs,
            timeout=30,
        )

    def knobs(self, uuid, **knobs) -> None:
        self.set_knobs(uuid, **knobs).raise_for_status()

    def login(self, user="demo", password="demo", land=True) -> Horizon:
        return Horizon(self.horizon, user, password, land)


def _free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _state_dir() -> tuple[Path, dict]:
    """The cloud's folder and ports, kept between runs to spare a bootstrap.

    Keystone's database (bootstrapped with the gates' URLs) and Horizon's
    compressed static files are what take time; both are kept, under
    ``.sandbox/gated`` with the ports they were made for, while those ports
    are free. The stand-ins' state is removed at every start. A second
    run at the same time gets a temporary folder.
    """
    root = ROOT / ".sandbox" / "gated"
    root.mkdir(parents=True, exist_ok=True)
    lock = open(root / ".lock", "w")  # noqa: SIM115 - held for the process
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        lock.close()
        root = Path(tempfile.mkdtemp(prefix="dcos-gated-"))
    else:
        _LOCKS.append(lock)
    saved = root / "ports.json"
    ports = json.loads(saved.read_text()) if saved.exists() else None
    names = [f"{s}_port" for s in SERVICES] + ["clusters_port", "horizon_port"]
    if ports is None or not all(
        _free(p) for part in ports.values() for p in part.values()
    ):
        shutil.rmtree(root / "keystone", ignore_errors=True)
        ports = {
            "front": {n: free_port() for n in names},
            "back": {f"{s}_port": free_port() for s in SERVICES},
        }
        saved.write_text(json.dumps(ports))
    for child in root.iterdir():
        if child.name not in ("keystone", "horizon", "ports.json", ".lock", "logs"):
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    return root, ports


_LOCKS: list = []


# -- the shared instance ----------------------------------------------------

_shared: GatedCloud | None = None
_users = 0
_shared_lock = threading.Lock()


def acquire() -> GatedCloud:
    global _shared, _users
    with _shared_lock:
        if _shared is None:
            _shared = GatedCloud().start()
        _users += 1
        return _shared


def release() -> None:
    global _shared, _users
    with _shared_lock:
        _users -= 1
        if _users == 0 and _shared is not None:
            _shared.stop()
            _shared = None


# -- a logged-in browser without a browser ------------------------------------


class Horizon:
    """A requests session logged in through Horizon's form, CSRF and all."""

    def __init__(self, base: str, user: str, password: str, land=True):
        """``land``: follow the login to Horizon's landing page (a page of the
        plugin's, where Magnum's keystonemiddleware caches the new token)."""
        self.base = base
        self.session, r = horizon_login(
            base, user, password, timeout=PAGE_BUDGET, follow=land
        )
        r.raise_for_status()
        landed = r.url if land else r.headers.get("Location", "/auth/login")
        if "/auth/login" in landed:
            raise RuntimeError(f"login as {user} failed")

    def get(self, path: str, **kw) -> requests.Response:
        kw.setdefault("timeout", PAGE_BUDGET)
        return self.session.get(self.base + path, **kw)

    def form(self, path: str) -> Form:
        page = self.get(path)
        page.raise_for_status()
        return Form(page.text, page.url)

    def submit(self, path: str, changes: dict, **kw) -> Page:
        """GET the form at ``path``, fill it as a browser would, POST it.

        ``changes`` maps field names to values (a list for a multiple
        choice); None removes the field from the POST.
        """
        data = self.form(path).fields
        for name, value in changes.items():
            if value is None:
                data.pop(name, None)
            else:
                data[name] = value
        data["csrfmiddlewaretoken"] = self.session.cookies["csrftoken"]
        kw.setdefault("timeout", PAGE_BUDGET)
        r = self.session.post(
            self.base + path,
            data=data,
            headers={"Referer": self.base + path},
            allow_redirects=False,
            **kw,
        )
        return Page(r)


class Page:
    """A POST's answer: a redirect (success) or the form again with errors."""

    def __init__(self, response: requests.Response):
        self.response = response
        self.status = response.status_code
        self.text = response.text
        self.redirect = response.headers.get("Location")
        self.form = Form(self.text, response.url) if self.status == 200 else None

    def errors(self, field: str) -> list[str]:
        return self.form.errors.get(field, []) if self.form else []

    def all_errors(self) -> dict[str, list[str]]:
        return dict(self.form.errors) if self.form else {}

    def value(self, field: str):
        return self.form.fields.get(field) if self.form else None

    def step_errors(self) -> list[str]:
        """Errors a workflow step shows atop its fields (no field of its own)."""
        found = re.findall(
            r'<div class="alert alert-danger">(.*?)</div>', self.text, re.S
        )
        return [
            " ".join(html.unescape(re.sub("<[^>]+>", " ", m)).split()) for m in found
        ]

    def shown(self) -> str:
        """Every error sentence on the page: beside fields, atop steps, toasts."""
        beside = [e for errors in self.all_errors().values() for e in errors]
        return " ".join(beside + self.step_errors() + self.messages())

    def messages(self) -> list[str]:
        """Horizon's toasts (error and warning messages) on the page."""
        found = re.findall(
            r'<div class="alert alert-(?:danger|warning) alert-dismissable[^"]*">'
            r"(.*?)</div>",
            self.text,
            re.S,
        )
        return [
            " ".join(html.unescape(re.sub("<[^>]+>", " ", m)).split()) for m in found
        ]


class Form(HTMLParser):
    """Fields (as a browser would post them) and errors beside each field.

    An error is a ``help-block`` span inside the ``form-group has-error``
    div that holds the field, which is where Horizon's _form_field.html
    puts it.
    """

    def __init__(self, text: str, url: str = ""):
        super().__init__(convert_charrefs=True)
        self.url = url
        self.fields: dict[str, object] = {}
        self.errors: dict[str, list[str]] = {}
        self.options: dict[str, list[str]] = {}  # a select's option values
        self._groups: list[dict] = []  # open form-group divs
        self._divs: list[bool] = []  # for each open div: is it a form-group
        self._select = None
        self._option = None
        self._textarea = None
        self._error = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "div":
            group = "form-group" in classes
            self._divs.append(group)
            if group:
                self._groups.append(
                    {"names": [], "errors": [], "failed": "has-error" in classes}
                )
        elif tag == "span" and "help-block" in classes:
            if self._groups and self._groups[-1]["failed"]:
                self._error = []
        elif tag == "input" and a.get("name"):
            self._note(a["name"])
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(a["name"], a.get("value", "on"), many=kind == "checkbox")
            elif kind not in ("submit", "button", "image", "file"):
                self.fields[a["name"]] = a.get("value", "")
        elif tag == "select" and a.get("name"):
            self._note(a["name"])
            self._select = {"name": a["name"], "multiple": "multiple" in a}
            self._select["first"] = None
            self._select["chosen"] = []
        elif tag == "option" and self._select is not None:
            self._option = {
                "value": a.get("value"),
                "text": "",
                "selected": "selected" in a,
            }
        elif tag == "textarea" and a.get("name"):
            self._note(a["name"])
            self._textarea = {"name": a["name"], "text": []}

    def handle_endtag(self, tag):
        if tag == "div" and self._divs:
            if self._divs.pop():
                group = self._groups.pop()
                for name in group["names"]:
                    if group["errors"]:
                        self.errors.setdefault(name, []).extend(group["errors"])
        elif tag == "span" and self._error is not None:
            text = " ".join("".join(self._error).split())
            self._groups[-1]["errors"].append(text)
            self._error = None
        elif tag == "option" and self._option is not None:
            self._end_option()
        elif tag == "select" and self._select is not None:
            if self._option is not None:
                self._end_option()
            s = self._select
            if s["multiple"]:
                self.fields[s["name"]] = s["chosen"]
            elif s["chosen"]:
                self.fields[s["name"]] = s["chosen"][-1]
            elif s["first"] is not None:
                self.fields[s["name"]] = s["first"]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._textarea["text"])
            # A browser drops the newline right after <textarea>.
            self.fields[self._textarea["name"]] = text.removeprefix("\n")
            self._textarea = None

    def handle_data(self, data):
        if self._error is not None:
            self._error.append(data)
        if self._option is not None:
            self._option["text"] += data
        if self._textarea is not None:
            self._textarea["text"].append(data)

    def _end_option(self):
        o, s = self._option, self._select
        value = o["value"] if o["value"] is not None else o["text"].strip()
        if s["first"] is None:
            s["first"] = value
        self.options.setdefault(s["name"], []).append(value)
        if o["selected"]:
            s["chosen"].append(value)
        self._option = None

    def _note(self, name):
        if self._groups and name not in self._groups[-1]["names"]:
            self._groups[-1]["names"].append(name)

    def _add(self, name, value, many):
        if many:
            current = self.fields.setdefault(name, [])
            if isinstance(current, list):
                current.append(value)
        else:
            self.fields[name] = value
