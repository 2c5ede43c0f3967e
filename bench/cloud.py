"""The cloud the page benchmarks run against, and the means to measure it.

``BenchCloud`` starts, on free ports of 127.0.0.1 and under a fresh
``.sandbox/bench/cloud/``: the real Keystone, the sandbox stand-ins
(Magnum quota lifted, bays complete at once), this plugin's Horizon as
``make run`` serves it, and, when asked, the anchor: magnum-ui 19 in a
second Horizon process of the same kind (python-magnumclient 4.11 and
magnum-ui installed with ``pip --target`` under ``.sandbox/bench/``, never
into the venv). Both Horizons reach Magnum through :class:`MagnumCounter`,
a counting proxy registered in Keystone's catalog in Magnum's place. Every
process and thread started here stops in :meth:`BenchCloud.stop`.

Browsers are headless Chromium with a script injected before each page's
own (:func:`install_probe`) that stamps, in ``performance.now()`` time
(milliseconds since navigation start), when all rows of the table are
visible and when each row's Health cell got its answer.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs

import requests

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dcos_sandbox import keystone  # noqa: E402
from dcos_sandbox.config import Config, free_port  # noqa: E402
from devenv import run as devenv  # noqa: E402
from devenv.relay import Relay  # noqa: E402

BENCH_DIR = ROOT / ".sandbox" / "bench"
ANCHOR_SETTINGS = Path(__file__).resolve().parent / "anchor"
MAGNUM_UI = "magnum-ui==19.0.0"
# magnum-ui 19 builds its client with input_auth_token=, which magnumclient 5
# refuses (docs/reference.md#anchor-panels).
MAGNUMCLIENT = "python-magnumclient==4.11.0"
PAGE_TIMEOUT = 60.0
# Horizon as issue 14 deploys it: several processes sharing one memcached.
WORKERS = 4


def log(message: str) -> None:
    print(f"  .. {message}", file=sys.stderr, flush=True)


# -- counting Magnum ------------------------------------------------------------


class MagnumCounter(Relay):
    """A relay in Magnum's place that counts each request by method and path.

    Paths are counted with ids replaced by ``{id}``; everything, magnum-ui's
    ``/v1/stats`` and ``/v1/quotas`` included, is the stand-in's own answer.
    """

    def __init__(self, upstream_port: int):
        super().__init__("magnum-counter", upstream_port)

    def snapshot(self) -> Counter:
        return self.counts()


# -- the cloud ------------------------------------------------------------------


@dataclasses.dataclass
class Account:
    user: str
    password: str
    project: str
    project_id: str
    token: str


class BenchCloud:
    """Keystone, the stand-ins, our Horizon and (``anchor=True``) magnum-ui's."""

    def __init__(self, anchor: bool = False, workers: int = WORKERS):
        self.anchor = anchor
        self.workers = workers
        self.memcached: subprocess.Popen | None = None
        self.memcached_port: int | None = None
        self.anchor_error: str | None = None
        self.state_dir = BENCH_DIR / "cloud"
        self.procs: list[subprocess.Popen] = []
        self.drivers: list = []
        self.counter: MagnumCounter | None = None
        self.config: Config | None = None
        self.anchor_port: int | None = None
        self._profiles: list[str] = []
        self._projects: dict[str, tuple[Account, list[str]]] = {}
        self._loaded: dict[str, float] = {}

    # -- start and stop -------------------------------------------------------

    def start(self) -> BenchCloud:
        shutil.rmtree(self.state_dir, ignore_errors=True)
        self.state_dir.mkdir(parents=True)
        self.log_dir = self.state_dir / "logs"
        self.log_dir.mkdir()
        magnum_port = free_port()
        self.counter = MagnumCounter(magnum_port).start()
        # Keystone's catalog and Horizon see the counter; the sandbox serves
        # Magnum behind it.
        self.config = Config.on_free_ports(
            self.state_dir,
            magnum_port=self.counter.port,
            magnum_mode="dcos",
            transition_seconds=0.0,
        )
        self.sandbox_config = dataclasses.replace(self.config, magnum_port=magnum_port)
        os.environ["DCOS_SANDBOX_MAGNUM_MAX_CLUSTERS"] = "0"
        os.environ["DCOS_SANDBOX_MAGNUM_ROW_DELAY"] = "0"

        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            # Static files compress while Keystone bootstraps.
            ours = pool.submit(devenv.prepare_static, self.config)
            anchor = pool.submit(self._prepare_anchor) if self.anchor else None
            log("starting Keystone (bootstrap takes about 40 s)")
            stack = devenv.Stack(self.config, self.log_dir)
            try:
                stack.start_keystone()
                stack.config = self.sandbox_config
                stack.start_sandbox()
            finally:
                self.procs += stack.procs
            ours.result()
            if anchor is not None:
                try:
                    anchor.result()
                except Exception as exc:  # the rest is measured without it
                    self.anchor_error = f"{type(exc).__name__}: {exc}"
        log(f"starting memcached and Horizon ({self.workers} workers)")
        stack = devenv.Stack(self.config, self.log_dir, workers=self.workers)
        try:
            stack.start_horizon()
        finally:
            self.procs += stack.procs
        self.memcached_port = stack.memcached_port
        self._find_memcached(stack)
        if self.anchor and self.anchor_error is None:
            try:
                self._start_anchor()
            except Exception as exc:
                self.anchor_error = f"{type(exc).__name__}: {exc}"
        return self

    def _find_memcached(self, stack: devenv.Stack) -> None:
        self.memcached = next(
            p for p in stack.procs if stack.names.get(p.pid) == "memcached"
        )

    def kill_memcached(self) -> None:
        """SIGKILL the shared cache, as a crash or the OOM killer would."""
        os.killpg(self.memcached.pid, signal.SIGKILL)
        self.memcached.wait()

    def restart_memcached(self) -> None:
        """A fresh, empty memcached on the same port Horizon knows."""
        stack = devenv.Stack(
            self.config, self.log_dir, memcached_port=self.memcached_port
        )
        try:
            stack.start_memcached()
        finally:
            self.procs += stack.procs
        self._find_memcached(stack)

    def stop(self) -> None:
        for driver in self.drivers:
            with contextlib.suppress(Exception):
                driver.quit()
        self.drivers.clear()
        for profile in self._profiles:
            shutil.rmtree(profile, ignore_errors=True)
        for proc in reversed(self.procs):
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for proc in reversed(self.procs):
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        self.procs.clear()
        if self.counter is not None:
            self.counter.stop()
            self.counter = None

    def __enter__(self) -> BenchCloud:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- the anchor -----------------------------------------------------------

    @property
    def anchor_lib(self) -> Path:
        return BENCH_DIR / "magnum-ui-19.0.0"

    @property
    def anchor_dir(self) -> Path:
        return self.state_dir / "anchor"

    def _anchor_env(self) -> dict:
        env = dict(os.environ)
        # Its own magnumclient first; no devenv/ on the path, so Horizon
        # finds bench/anchor/local/local_settings.py.
        env["PYTHONPATH"] = os.pathsep.join(
            [str(self.anchor_lib), str(ANCHOR_SETTINGS), str(ROOT)]
        )
        env["DJANGO_SETTINGS_MODULE"] = "openstack_dashboard.settings"
        env["DCOS_BENCH_ANCHOR_DIR"] = str(self.anchor_dir)
        env["DCOS_SANDBOX_KEYSTONE_PORT"] = str(self.config.keystone_port)
        return env

    def _prepare_anchor(self) -> None:
        stamp = self.anchor_lib / ".installed"
        if not stamp.exists():
            log(f"installing {MAGNUM_UI} and {MAGNUMCLIENT} into {self.anchor_lib}")
            shutil.rmtree(self.anchor_lib, ignore_errors=True)
            # --no-deps: everything else they need is Horizon's, in the venv.
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--no-deps",
                    "--target",
                    str(self.anchor_lib),
                    MAGNUM_UI,
                    MAGNUMCLIENT,
                ],
                check=True,
                timeout=300,
                stdout=subprocess.DEVNULL,
            )
            stamp.write_text(f"{MAGNUM_UI} {MAGNUMCLIENT}\n")
        env = self._anchor_env()
        # Not manage.py: it puts devenv/ (the plugin's settings) first.
        manage = (
            "import sys; from django.core.management import execute_from_command_line;"
            " execute_from_command_line(['manage.py'] + sys.argv[1:])"
        )
        for args in (["collectstatic", "--noinput", "-v0"], ["compress", "--force"]):
            result = subprocess.run(
                [sys.executable, "-c", manage, *args],
                env=env,
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=600,
            )
            if result.returncode:
                raise RuntimeError(
                    f"manage.py {args[0]} for magnum-ui failed: "
                    + (result.stderr.strip().splitlines() or ["?"])[-1]
                )

    def _start_anchor(self) -> None:
        self.anchor_port = free_port()
        argv = devenv.horizon_command(
            dataclasses.replace(self.config, horizon_port=self.anchor_port)
        )
        proc = self.spawn("anchor-horizon", argv, self._anchor_env())
        devenv.wait_http(
            self.config.url(self.anchor_port, "/auth/login/"), proc, timeout=120
        )

    def spawn(self, name, argv, env) -> subprocess.Popen:
        """A process stopped with the cloud, its output in ``logs/<name>.log``."""
        proc = devenv.spawn(argv, env, self.log_dir / f"{name}.log")
        self.procs.append(proc)
        return proc

    # -- URLs -----------------------------------------------------------------

    @property
    def horizon(self) -> str:
        return self.config.url(self.config.horizon_port)

    @property
    def anchor_url(self) -> str:
        return self.config.url(self.anchor_port)

    @property
    def clusters_url(self) -> str:
        return self.config.clusters_url

    @property
    def magnum_url(self) -> str:
        """The stand-in itself, not the counter: setup calls are not counted."""
        return self.sandbox_config.magnum_url

    # -- Keystone -------------------------------------------------------------

    def _token(self, user, password, project) -> str:
        return keystone.password_token(self.config, user, password, project)

    def account(self, user: str) -> Account:
        """A member of a project of the same name; created unless it is demo."""
        config = self.config
        if user == config.demo_user:
            password = config.demo_password
        else:
            password = user
            keystone.Admin(config).add_member(user, password, user, "member")
        token = self._token(user, password, user)
        r = requests.get(
            f"{config.keystone_url}/auth/tokens",
            headers={"X-Auth-Token": token, "X-Subject-Token": token},
            timeout=30,
        )
        r.raise_for_status()
        project_id = r.json()["token"]["project"]["id"]
        return Account(user, password, user, project_id, token)

    # -- Magnum and the simulated clusters ------------------------------------

    def magnum(self, account: Account):
        from magnumclient.v1 import client as magnum_client

        return magnum_client.Client(
            auth_token=account.token, magnum_url=self.magnum_url, timeout=60
        )

    def create_bays(self, account: Account, count: int, prefix: str) -> list[str]:
        """``count`` DC/OS bays in the account's project, CREATE_COMPLETE.

        Returns every bay of the project, uuids in Magnum's list order.
        """
        # A Bay Model the stand-in accepts, as the tests make it.
        from tests.conftest import template_fields

        client = self.magnum(account)
        templates = client.cluster_templates.list()
        if templates:
            template = templates[0].uuid
        else:
            template = client.cluster_templates.create(
                **template_fields(name=f"{prefix}-model")
            ).uuid
        start = len(client.clusters.list(limit=1000))

        def one(i):
            return client.clusters.create(
                name=f"{prefix}-{start + i:04d}",
                cluster_template_id=template,
                master_count=1,
                node_count=1,
            ).uuid

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            list(pool.map(one, range(count)))
        deadline = time.monotonic() + 120
        while True:
            bays = self._all_bays(account)
            pending = [b for b in bays if b["status"] != "CREATE_COMPLETE"]
            if not pending:
                return [b["uuid"] for b in bays]
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(pending)} bays never completed")
            time.sleep(0.2)

    def _all_bays(self, account: Account) -> list[dict]:
        bays, url = [], f"{self.magnum_url}/clusters?limit=1000"
        headers = {
            "X-Auth-Token": account.token,
            "OpenStack-API-Version": "container-infra latest",
        }
        while url:
            page = requests.get(url, headers=headers, timeout=60).json()
            bays += page["clusters"]
            url = page.get("next")
        return bays

    def project(self, name: str, bays: int) -> tuple[Account, list[str]]:
        """A user and project of that name holding ``bays`` bays (made once).

        Returns the account and its bays' uuids in Magnum's list order, the
        order of the Bays index.
        """
        if name not in self._projects:
            account = self.account(name)
            uuids = self.create_bays(account, bays, name)
            self._projects[name] = (account, uuids)
        return self._projects[name]

    def loaded(self, name: str) -> None:
        """Note that a page of that project just filled the health cache."""
        self._loaded[name] = time.monotonic()

    def wait_cold(self, name: str, seconds: float) -> None:
        """Sleep until the health the project's last page cached has expired."""
        last = self._loaded.get(name)
        if last is not None:
            time.sleep(max(0.0, last + seconds + 0.5 - time.monotonic()))

    def knobs(self, uuid: str, **knobs) -> None:
        r = requests.post(
            f"{self.clusters_url}/_sandbox/clusters/{uuid}/knobs",
            json=knobs,
            timeout=30,
        )
        r.raise_for_status()

    def mesos_stats(self) -> dict[str, Counter]:
        r = requests.get(f"{self.clusters_url}/_sandbox/stats", timeout=30)
        r.raise_for_status()
        return {uuid: Counter(c) for uuid, c in r.json()["requests"].items()}

    def reset_counts(self) -> None:
        requests.delete(f"{self.clusters_url}/_sandbox/stats", timeout=30)
        self.counter.reset()

    # -- browsers -------------------------------------------------------------

    def browser(self):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        # The browser the e2e tests drive, so both see pages alike.
        from tests.browser import CHROMEDRIVER, CHROMIUM, FLAGS

        for path in (CHROMIUM, CHROMEDRIVER):
            if not Path(path).exists():
                raise RuntimeError(f"{path} is missing (apt-get install chromium)")
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in FLAGS:
            options.add_argument(flag)
        profile = tempfile.mkdtemp(prefix="bench-chromium-")
        self._profiles.append(profile)
        options.add_argument(f"--user-data-dir={profile}")
        # Navigation returns at once; the probe says when the page is there.
        options.page_load_strategy = "none"
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        self.drivers.append(driver)
        driver.set_page_load_timeout(PAGE_TIMEOUT)
        return driver

    def login(self, driver, base: str, account: Account) -> None:
        """Log in as a user does, through Horizon's form."""
        from selenium.webdriver.common.by import By

        driver.get(f"{base}/auth/login/")
        wait_for(driver, "document.getElementById('loginBtn') !== null")
        driver.find_element(By.ID, "id_username").send_keys(account.user)
        driver.find_element(By.ID, "id_password").send_keys(account.password)
        driver.execute_script("window.__bench_old = true")
        driver.find_element(By.ID, "loginBtn").click()
        wait_for(
            driver,
            "window.__bench_old === undefined && document.readyState === 'complete'"
            " && location.pathname.indexOf('/auth/login') < 0",
        )
        # Horizon lands on the Bays index: let its Health cells finish, so
        # that their requests are not counted or timed with the next page.
        with contextlib.suppress(TimeoutError):
            wait_for(
                driver,
                "document.querySelectorAll('.dcos-health-pending').length === 0",
            )
        self.loaded(account.user)


def wait_for(driver, condition: str, timeout: float = PAGE_TIMEOUT):
    """Poll a JavaScript expression until it is truthy; returns its value."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = driver.execute_script(f"return ({condition});")
        except Exception:  # a page between two documents  # noqa: S112
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"never true: {condition}")
        time.sleep(0.02)


# -- the probe ------------------------------------------------------------------

PROBE = """
(function () {
  var rowSel = %(rows)s, want = %(want)d, cellSel = %(cell)s, doneSel = %(done)s;
  var b = window.__bench = {rows: null, cells: null, cell: {}};
  var first = {};
  function visible(row) {
    return row.getClientRects().length > 0 && row.textContent.indexOf('{$') < 0;
  }
  function answered(id, cell) {
    if (!cell) { return false; }
    if (cell.matches(doneSel)) { return true; }
    // A slot whose request failed keeps its class and gets another text.
    var text = cell.textContent.trim();
    if (!(id in first)) { first[id] = text; }
    return text !== first[id];
  }
  function check() {
    var now = performance.now();
    var rows = document.querySelectorAll(rowSel);
    if (b.rows === null && want > 0 && rows.length >= want &&
        visible(rows[want - 1])) {
      b.rows = now;
    }
    if (!cellSel || b.rows === null) { return; }
    var waiting = 0;
    for (var i = 0; i < rows.length; i++) {
      var id = rows[i].getAttribute('data-object-id');
      if (b.cell[id]) { continue; }
      var cell = rows[i].querySelector(cellSel);
      if (answered(id, cell)) {
        b.cell[id] = [now, cell.className, cell.textContent.trim()];
      } else {
        waiting++;
      }
    }
    if (!waiting && b.cells === null) { b.cells = now; }
  }
  new MutationObserver(check).observe(document, {
    childList: true, subtree: true, characterData: true});
  document.addEventListener('DOMContentLoaded', check);
  window.addEventListener('load', check);
})();
"""


class Probe:
    """The timing script of one browser, re-armed for each kind of page."""

    def __init__(self, driver):
        self.driver = driver
        self._script = None

    def arm(self, rows: str, want: int, cell: str = "", done: str = "") -> None:
        if self._script is not None:
            self.driver.execute_cdp_cmd(
                "Page.removeScriptToEvaluateOnNewDocument",
                {"identifier": self._script},
            )
        source = PROBE % {
            "rows": json.dumps(rows),
            "want": want,
            "cell": json.dumps(cell),
            "done": json.dumps(done),
        }
        self._script = self.driver.execute_cdp_cmd(
            "Page.addScriptToEvaluateOnNewDocument", {"source": source}
        )["identifier"]

    def load(self, url: str, cells: bool = False, timeout: float = PAGE_TIMEOUT):
        """Navigate; wait for the rows (and cells); returns window.__bench."""
        self.driver.execute_script("window.__bench = undefined;")
        self.driver.get(url)
        key = "cells" if cells else "rows"
        bench = wait_for(
            self.driver,
            f"window.__bench && window.__bench.{key} !== null && window.__bench",
            timeout,
        )
        # First paint: Chromium's first-contentful-paint, in the same clock.
        bench["paint"] = self.driver.execute_script(
            "var p = performance.getEntriesByName('first-contentful-paint')[0];"
            "return p ? p.startTime : null;"
        )
        return bench

    def settle(self, timeout: float = PAGE_TIMEOUT):
        """Wait until every Health cell of the current page has its answer."""
        return wait_for(
            self.driver,
            "window.__bench && window.__bench.cells !== null && window.__bench",
            timeout,
        )

    def health_requests(self) -> dict[str, float]:
        """uuid -> ms from sending its health request to the answer (the
        longest, when a bay was asked again); a batch counts for each bay."""
        entries = self.driver.execute_script(
            "return performance.getEntriesByType('resource')"
            ".filter(function (e) { return /\\/health\\/?(\\?|$)/.test(e.name); })"
            ".map(function (e) { return [e.name, e.responseEnd - e.requestStart]; });"
        )
        asked: dict[str, float] = {}
        for name, ms in entries:
            path, _, query = name.partition("?")
            bays = parse_qs(query).get("bay") or [path.rstrip("/").split("/")[-2]]
            for uuid in bays:
                asked[uuid] = max(ms, asked.get(uuid, 0.0))
        return asked
