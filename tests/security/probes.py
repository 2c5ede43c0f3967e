"""What the attack suite shares: the tally, hostile values, hostile servers.

Every attempt is recorded with :meth:`Probe.check` under a category; the
tally is printed at the end of the run (conftest.py) and a test fails,
naming each escape, as soon as one of its attempts escaped.
"""

import collections
import json
import re
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

from tests.horizon_login import horizon_login

# category -> [attempts, escaped]; filled by every test of the run.
TALLY: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
ESCAPES: list[str] = []


class Probe:
    """The attempts of one test; the test fails if any escaped."""

    def __init__(self):
        self.escapes: list[str] = []
        self.attempts = 0

    def check(self, category: str, attempt: str, blocked: bool, detail: str = ""):
        self.attempts += 1
        TALLY[category][0] += 1
        if not blocked:
            TALLY[category][1] += 1
            line = f"[{category}] {attempt}" + (f": {detail}" if detail else "")
            self.escapes.append(line)
            ESCAPES.append(line)
        return blocked


# --- hostile values ------------------------------------------------------------

# What an injection that ran writes into the title; the payloads build it by
# concatenation, so their own text (a title may show it) never holds it.
MARK = "XSS!"


def payload(tag: str) -> str:
    """Markup that breaks out of text, attributes, textareas and scripts.

    Were it to run, it sets the title and adds a node carrying ``data-xss``;
    left as text, it shows its ``tag``. No ``&``: an entity shown on a page
    is a double escape, searched for separately.
    """
    return (
        f"</textarea></script></title>\"'><img src=x data-xss={tag}"
        f" onerror=\"document.title='XS'+'S!{tag}'\">{tag}"
    )


def url_payload(tag: str) -> str:
    """A payload that fits in one path segment (no slash)."""
    return (
        f"\"'><img src=x data-xss={tag} onerror=\"document.title='XS'+'S!{tag}'\">{tag}"
    )


def script_payload(tag: str) -> str:
    return f"<script>document.title='XS'+'S!{tag}'</script><b data-xss={tag}>{tag}</b>"


# What runs in the page after every load: anything that executed or was
# parsed as markup shows here.
DETECT_JS = """
const bad = /^\\s*(javascript|data|vbscript):/i;
const links = [...document.querySelectorAll('a[href], iframe[src], form[action]')]
  .map(e => e.getAttribute('href') || e.getAttribute('src')
       || e.getAttribute('action') || '')
  .filter(h => bad.test(h));
const copy = document.body ? document.body.cloneNode(true) : null;
if (copy) copy.querySelectorAll('script, style, noscript, template')
  .forEach(e => e.remove());
const texts = [copy ? copy.textContent : ''];
for (const e of document.querySelectorAll('input, textarea, option')) {
  texts.push(e.value || '', e.textContent || '');
}
for (const e of document.querySelectorAll('[title], [data-original-title]')) {
  texts.push(e.getAttribute('title') || '',
             e.getAttribute('data-original-title') || '');
}
return {
  title: document.title,
  nodes: [...document.querySelectorAll('[data-xss]')]
    .map(e => e.getAttribute('data-xss')),
  links: links,
  alerts: (window.__xssAlerts || []).slice(),
  text: texts.join('\\n'),
};
"""

# Installed before any page script: a dialog opened by an injection is
# recorded instead of blocking the browser.
ALERT_HOOK = """
window.__xssAlerts = [];
for (const name of ['alert', 'confirm', 'prompt']) {
  const original = window[name];
  window[name] = function (message) {
    window.__xssAlerts.push(name + ':' + String(message));
    return name === 'confirm' ? true : null;
  };
}
"""

# A visible entity means a value was escaped twice.
ENTITY = re.compile(r"&(#x?[0-9a-f]+|amp|lt|gt|quot|apos);", re.IGNORECASE)


def install_alert_hook(driver):
    driver.execute_cdp_cmd(
        "Page.addScriptToEvaluateOnNewDocument", {"source": ALERT_HOOK}
    )


def inspect(driver) -> dict:
    return driver.execute_script(DETECT_JS)


def check_page(probe: Probe, driver, category: str, page: str, tags=(), entities=False):
    """One attempt per hostile tag the page shows, plus one for the page.

    A tag counts as shown when its text is on the page (text, values,
    options): the value was rendered, and as text.
    """
    seen = inspect(driver)
    executed = MARK in seen["title"]
    shown = [tag for tag in tags if tag in seen["text"]]
    for tag in shown:
        probe.check(
            category,
            f"{tag} on {page}",
            tag not in seen["nodes"] and f"{MARK}{tag}" not in seen["title"],
            f"injected node or title {seen['title']!r} on {driver.current_url}",
        )
    probe.check(
        category,
        f"nothing runs on {page}",
        not executed and not seen["alerts"] and not seen["links"] and not seen["nodes"],
        f"title={seen['title']!r} alerts={seen['alerts']} links={seen['links']}"
        f" nodes={seen['nodes']}",
    )
    if entities:
        check_entities(probe, driver, page, seen["text"])
    return shown


def check_entities(probe: Probe, driver, page: str, text: str):
    entity = ENTITY.search(text)
    probe.check(
        "double escaping",
        f"no entity shown on {page}",
        entity is None,
        f"{entity.group(0) if entity else ''} shown on {driver.current_url}: "
        + (
            " ".join(text[max(0, entity.start() - 60) : entity.end() + 20].split())
            if entity
            else ""
        ),
    )


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


# --- HTTP as a browser does it -------------------------------------------------


def login(base: str, user: str, password: str) -> requests.Session:
    session, response = horizon_login(base, user, password)
    assert "/auth/login/" not in response.url, f"{user} could not log in"
    return session


# --- hostile servers on 127.0.0.1 -----------------------------------------------


@dataclass
class Seen:
    method: str
    path: str
    headers: dict
    body: bytes


@dataclass
class HostileServer:
    """Answers each path from ``routes`` (path -> (status, headers, body));
    records every request it receives."""

    routes: dict = field(default_factory=dict)
    requests: list = field(default_factory=list)

    def start(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(min(length, 1 << 20)) if length else b""
                server.requests.append(
                    Seen(self.command, self.path, dict(self.headers), body)
                )
                path = self.path.split("?", 1)[0]
                status, headers, payload = server.routes.get(
                    path, (404, {}, b"not here")
                )
                if not isinstance(payload, bytes):
                    payload = json.dumps(payload).encode()
                    headers = {"Content-Type": "application/json", **headers}
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _answer

            def log_message(self, *args):
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def stop(self):
        self._httpd.shutdown()
        self._httpd.server_close()

    def with_credentials(self):
        """Requests that carried a credential: a token, a login, a password."""
        return [
            r
            for r in self.requests
            if any(k.lower() == "authorization" for k in r.headers) or "/acs/" in r.path
        ]
