"""Every page of the plugin, what it reads, and what any answer must be."""

import concurrent.futures
import dataclasses
import re
import time

import requests

from tests.integration.cloud import PAGE_BUDGET


@dataclasses.dataclass(frozen=True)
class PageSpec:
    name: str
    path: str  # with {bay} and {model}
    reads: frozenset  # services whose failure this page must put in a sentence
    ajax: bool = False


ALL = frozenset({"keystone", "magnum", "glance", "nova", "neutron"})
MAGNUM = frozenset({"keystone", "magnum"})

PAGES = (
    PageSpec("bays index", "/project/dcos_bays/", MAGNUM),
    PageSpec("bay detail", "/project/dcos_bays/{bay}/", MAGNUM),
    PageSpec(
        "nodes tab",
        "/project/dcos_bays/{bay}/?tab=bay_details__nodes",
        MAGNUM,
        ajax=True,
    ),
    PageSpec("health cell", "/project/dcos_bays/{bay}/health?coe=dcos", MAGNUM, True),
    PageSpec("scale form", "/project/dcos_bays/{bay}/scale/", MAGNUM),
    PageSpec("create bay", "/project/dcos_bays/create/", ALL - {"glance", "neutron"}),
    PageSpec("bay models index", "/project/dcos_baymodels/", MAGNUM),
    PageSpec("bay model detail", "/project/dcos_baymodels/{model}/", MAGNUM),
    PageSpec("create bay model", "/project/dcos_baymodels/create/", ALL - {"magnum"}),
    PageSpec("edit bay model", "/project/dcos_baymodels/{model}/update/", ALL),
)

_BADGE = re.compile(r'class="dcos-health dcos-health-(\w+)"(?: title="([^"]*)")?')
_ALERT = re.compile(
    r'<div class="alert alert-(?:danger|warning)[^"]*">(.*?)</div>', re.S
)


@dataclasses.dataclass
class Answer:
    page: PageSpec
    status: int | None = None
    seconds: float = 0.0
    text: str = ""
    error: str = ""
    headers: dict = dataclasses.field(default_factory=dict)

    def badges(self):
        return _BADGE.findall(self.text)

    def answered(self) -> bool:
        """A sentence, or an answer that is not an error: a health badge in a
        final state, or (ajax) Horizon's redirect to a page with the message."""
        if self.sentences() or "X-Horizon-Location" in self.headers:
            return True
        return any(state != "pending" for state, _title in self.badges())

    def alerts(self) -> list[str]:
        """The page's error and warning toasts and alerts, as text."""
        found = [
            " ".join(re.sub("<[^>]+>", " ", m).split())
            for m in _ALERT.findall(self.text)
        ]
        return [f for f in found if "requires JavaScript" not in f]

    def sentences(self) -> list[str]:
        """Error and warning sentences: toasts, alerts, and a badge's reason."""
        found = self.alerts()
        found += [
            title
            for state, title in self.badges()
            if state in ("unreachable", "unknown", "none", "auth") and title
        ]
        return found

    def describe(self) -> str:
        if self.error:
            return f"{self.page.name}: {self.error}"
        return (
            f"{self.page.name}: HTTP {self.status} in {self.seconds:.1f} s;"
            f" sentences {self.sentences()[:3]}"
        )


def fetch(session: requests.Session, base: str, page: PageSpec, **ids) -> Answer:
    answer = Answer(page)
    headers = {"X-Requested-With": "XMLHttpRequest"} if page.ajax else {}
    started = time.monotonic()
    try:
        r = session.get(
            base + page.path.format(**ids), headers=headers, timeout=PAGE_BUDGET
        )
    except requests.Timeout:
        answer.error = f"no answer within {PAGE_BUDGET:.0f} s"
    except requests.RequestException as e:
        answer.error = f"{type(e).__name__}: {e}"
    else:
        answer.status, answer.text, answer.headers = r.status_code, r.text, r.headers
    answer.seconds = time.monotonic() - started
    return answer


def fetch_all(horizon, pages=PAGES, **ids) -> list[Answer]:
    """Every page at once, each in its own session sharing the login."""

    def one(page):
        session = requests.Session()
        session.cookies.update(horizon.session.cookies)
        return fetch(session, horizon.base, page, **ids)

    with concurrent.futures.ThreadPoolExecutor(len(pages)) as pool:
        return list(pool.map(one, pages))
