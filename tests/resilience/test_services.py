"""Each OpenStack service down or hung x every page of the plugin.

Down: its port refuses connections. Hung: connections are accepted and
never answered, what ``kill -STOP`` of its process does (one case stops
the real sandbox process so). Every page must answer within the budget of
the configured timeouts (cloud.PAGE_BUDGET; a call without a timeout never
ends), never with a 500, and a page that reads the service must say so in
a sentence on that page (a toast, an alert, or the health badge's reason);
a health view may instead give a final badge, an ajax tab Horizon's
redirect. All pages are asked at once, as a user's tabs would: one hung
call without a timeout holds a Horizon thread and starves the others.
"""

import time

import pytest

from devenv.settings_common import MEMCACHED_DEAD_SECONDS
from tests.integration.cloud import DASHBOARD, PAGE_BUDGET, SERVICES
from tests.integration.wizards import unique
from tests.resilience.pages import fetch_all

pytestmark = pytest.mark.cloud


@pytest.fixture(scope="module")
def things(cloud):
    model = cloud.template(unique("svc"))["uuid"]
    return {"model": model, "bay": cloud.bay(unique("svc"), model)}


def check(answers, service):
    problems = []
    for answer in answers:
        if answer.error:
            problems.append(answer.describe())
        elif answer.status >= 500:
            problems.append(answer.describe())
        elif service in answer.page.reads and not answer.answered():
            problems.append(f"{answer.describe()}: no sentence says what failed")
        alerts = answer.alerts()
        if len(alerts) != len(set(alerts)):
            # Issue 19, defect 8: "Magnum cannot be reached" twice on a page.
            problems.append(f"{answer.describe()}: a sentence said twice {alerts}")
    assert not problems, f"{service}:\n" + "\n".join(problems)


@pytest.mark.parametrize("state", ["down", "hung"])
@pytest.mark.parametrize("service", SERVICES)
def test_every_page_answers_with_a_sentence(healthy, things, service, state):
    cloud = healthy
    # A fresh login: a token Magnum's keystonemiddleware has not cached yet
    # must be checked with Keystone. Horizon's landing page is the plugin's
    # Bays list: landing there would cache it.
    horizon = cloud.login(land=False)
    gate = cloud.gates[service]
    gate.down() if state == "down" else gate.hang()
    try:
        answers = fetch_all(horizon, **things)
    finally:
        cloud.everything_up()
    check(answers, service)


@pytest.mark.parametrize(
    "process, service, land",
    [
        # Issue 19, defect 2: ``kill -STOP`` of the sandbox (Magnum, Glance,
        # Nova, Neutron and the simulated clusters at once).
        ("sandbox", "magnum", True),
        # As above: a token Magnum has not seen must be checked with Keystone.
        ("keystone", "keystone", False),
    ],
)
def test_a_process_stopped(healthy, things, process, service, land):
    cloud = healthy
    horizon = cloud.login(land=land)
    resume = cloud.stop_process(process)
    try:
        answers = fetch_all(horizon, **things)
    finally:
        resume()
    check(answers, service)


def reads_memcached(cloud, horizon, within: float) -> bool:
    """Whether Horizon's pages read memcached within ``within`` seconds of
    loading the Bays list again and again (its worker processes each take
    a server they saw fail out of rotation for a while)."""
    before = cloud.memcached_gets()
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        horizon.get("/project/dcos_bays/")
        if cloud.memcached_gets() > before:
            return True
        time.sleep(0.5)
    return False


# Each Horizon thread's client tries memcached again this long after it gave
# up on it (tests/unit/test_mesos_client_shared.py, the restarted memcached).
BACK_WITHIN = MEMCACHED_DEAD_SECONDS + 10


@pytest.mark.parametrize("state", ["down", "hung"])
def test_memcached_down(healthy, things, state):
    """Horizon's workers share one memcached: killed, or stopped so that it
    accepts and never answers, every page still answers, without a 500,
    within the budget (its clients' timeouts bound every call); once it is
    back (restarted empty, or resumed), the pages use it again within the
    clients' dead-server period, not a minute later."""
    cloud = healthy
    horizon = cloud.login()
    # An earlier case may have just brought it back.
    assert reads_memcached(cloud, horizon, BACK_WITHIN), (
        "this Horizon does not read its memcached"
    )
    if state == "down":
        resume = cloud.kill_memcached()
    else:
        resume = cloud.stop_process("memcached")
    try:
        answers = fetch_all(horizon, **things)
    finally:
        resume()
    check(answers, "memcached")
    assert reads_memcached(cloud, horizon, BACK_WITHIN), (
        f"memcached back, yet not read again within {BACK_WITHIN} s"
    )


def test_the_budget_covers_the_configured_timeouts():
    # What makes PAGE_BUDGET a fair bound: a page reads a service at most
    # a few times in sequence, each call bounded by these.
    slowest = max(DASHBOARD["MAGNUM_TIMEOUT"], DASHBOARD["OPENSTACK_TIMEOUT"])
    assert 3 * slowest < PAGE_BUDGET
