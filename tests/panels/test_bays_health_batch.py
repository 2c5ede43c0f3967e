"""The Health cells of a Bays page in one request (issue 14, item 5).

Magnum and the Mesos client are mocked at the api layer; Magnum's list is
what decides which bays belong to the user's project.
"""

import json
import threading
import time

from django.core.cache import cache
from django.test.utils import override_settings
from django.urls import reverse
from openstack_dashboard.test import helpers as test
from urllib3.connection import HTTPConnection

from dcos_dashboard.api import magnum, mesos
from tests.panels.test_bays import (
    BAY_A,
    BAY_B,
    BAY_C,
    DEGRADED,
    HEALTHY,
    INDEX_URL,
    MESOS_MODEL,
    ROOMY_CACHE,
    TEMPLATES,
    BaysTestCase,
    cluster,
)
from tests.unit.test_mesos_client_http import (
    METRICS_BODY,
    SUMMARY_BODY,
    _Handler,
    _Server,
)

BATCH_URL = reverse("horizon:project:dcos_bays:health_batch")
AJAX = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


# Only a guard against a hanging run: the tests assert what the cells say.
GUARD_SECONDS = 30


class Master:
    """A Mesos master on 127.0.0.1 that answers, or accepts and never does."""

    def __init__(self, hung=False):
        self.hung = hung
        self.release = threading.Event()
        self.summaries = 0
        self.server = _Server(("127.0.0.1", 0), _Handler)
        self.server.behaviour = self.answer
        self.server.seen, self.server.lock = [], threading.Lock()
        self.address = f"127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}
        ).start()

    def answer(self, handler):
        if handler.path == "/master/state-summary":
            with self.server.lock:
                self.summaries += 1
        if self.hung:
            self.release.wait(GUARD_SECONDS)
        elif handler.path == "/master/state-summary":
            handler.reply(SUMMARY_BODY)
        else:
            handler.reply(METRICS_BODY)

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def batch(client, *uuids, **page):
    query = "&".join(
        [f"bay={u}" for u in uuids] + [f"{k}={v}" for k, v in page.items()]
    )
    return client.get(f"{BATCH_URL}?{query}", **AJAX)


class HealthBatchTests(BaysTestCase):
    @test.create_mocks(
        {
            magnum: ("cluster_list", "cluster_get", "cluster_template_get"),
            mesos: ("bays_health", "bay_health"),
        }
    )
    def test_one_request_fills_every_cell_of_the_page(self):
        self.mock_cluster_list.return_value = (
            [cluster(BAY_A, "alpha"), cluster(BAY_B, "beta")],
            False,
        )
        self.mock_cluster_template_get.return_value = TEMPLATES[0]
        self.mock_bays_health.return_value = {BAY_A: HEALTHY, BAY_B: DEGRADED}

        res = batch(self.client, BAY_A, BAY_B, marker=BAY_C)

        self.assertEqual(res.status_code, 200)
        cells = json.loads(res.content)
        self.assertEqual(set(cells), {BAY_A, BAY_B})
        self.assertIn("dcos-health-healthy", cells[BAY_A])
        self.assertIn("dcos-health-degraded", cells[BAY_B])
        # The page the table showed, asked once; no Magnum call per bay.
        self.mock_cluster_list.assert_called_once_with(
            test.IsHttpRequest(), limit=20, marker=BAY_C
        )
        self.mock_cluster_get.assert_not_called()
        self.mock_cluster_template_get.assert_called_once()
        self.mock_bay_health.assert_not_called()
        (targets,), kwargs = self.mock_bays_health.call_args
        self.assertEqual([t.uuid for t in targets], [BAY_A, BAY_B])
        self.assertEqual({t.coe for t in targets}, {"dcos"})
        self.assertIs(kwargs["nodes"], False)

    @test.create_mocks(
        {
            magnum: ("cluster_list", "cluster_get", "cluster_template_get"),
            mesos: ("bays_health",),
        }
    )
    def test_another_projects_bay_never_appears(self):
        # Magnum lists the project's bays only: BAY_C is another project's.
        self.mock_cluster_list.return_value = ([cluster(BAY_A, "alpha")], False)
        self.mock_cluster_template_get.return_value = TEMPLATES[0]
        self.mock_bays_health.return_value = {BAY_A: HEALTHY, BAY_C: HEALTHY}

        res = batch(self.client, BAY_A, BAY_C)

        cells = json.loads(res.content)
        self.assertEqual(set(cells), {BAY_A})
        (targets,), _kw = self.mock_bays_health.call_args
        self.assertEqual([t.uuid for t in targets], [BAY_A])
        self.mock_cluster_get.assert_not_called()

    @test.create_mocks(
        {
            magnum: ("cluster_list", "cluster_template_get"),
            mesos: ("bays_health",),
        }
    )
    def test_a_bay_not_answered_yet_is_checking_and_asked_again(self):
        self.mock_cluster_list.return_value = ([cluster(BAY_A, "alpha")], False)
        self.mock_cluster_template_get.return_value = TEMPLATES[0]
        self.mock_bays_health.return_value = {}  # its master is slow

        cells = json.loads(batch(self.client, BAY_A).content)

        self.assertIn("dcos-health-pending", cells[BAY_A])
        self.assertIn('data-dcos-health-later="true"', cells[BAY_A])
        self.assertIn(f'data-dcos-health-bay="{BAY_A}"', cells[BAY_A])
        # Asked until twice one fetch's longest (2 + 8 x 5 s): then the page
        # gives up with a sentence.
        self.assertIn('data-dcos-health-patience="84"', cells[BAY_A])

    @test.create_mocks({magnum: ("cluster_list",), mesos: ("bays_health",)})
    def test_ids_that_are_not_uuids_ask_nothing(self):
        res = batch(self.client, "..", "%2e", "x" * 5000)

        self.assertEqual(json.loads(res.content), {})
        self.mock_cluster_list.assert_not_called()
        self.mock_bays_health.assert_not_called()

    @test.create_mocks({magnum: ("cluster_list",), mesos: ("bays_health",)})
    def test_policy_guards_the_batch(self):
        self._setup_user(roles=[])

        res = batch(self.client, BAY_A)

        self.assertEqual(res.status_code, 403)
        self.mock_cluster_list.assert_not_called()
        self.mock_bays_health.assert_not_called()

    # A page's compressor entries would cull the tests' small LocMemCache.
    @override_settings(CACHES={"default": ROOMY_CACHE})
    @test.create_mocks(
        {
            magnum: (
                "cluster_list",
                "cluster_template_list",
                "cluster_get",
                "cluster_template_get",
            ),
            mesos: ("bays_health", "cached_bay_health"),
        }
    )
    def test_a_cold_index_and_its_health_cost_three_magnum_calls(self):
        for size in (10, 100, 500):
            cache.clear()
            page = [
                cluster(f"b0000000-0000-4000-8000-{i:012d}", f"bay{i}")
                for i in range(min(size, 20))
            ]
            self.mock_cluster_list.reset_mock()
            self.mock_cluster_template_list.reset_mock()
            self.mock_cluster_list.return_value = (page, size > 20)
            self.mock_cluster_template_list.return_value = (TEMPLATES, False)
            self.mock_cached_bay_health.return_value = None
            self.mock_bays_health.return_value = {}

            self.client.get(INDEX_URL)
            batch(self.client, *(c.uuid for c in page))

            calls = (
                self.mock_cluster_list.call_count
                + self.mock_cluster_template_list.call_count
                + self.mock_cluster_get.call_count
                + self.mock_cluster_template_get.call_count
            )
            self.assertLessEqual(calls, 3, size)


class ShortWaitTests(BaysTestCase):
    """The batch answers after HEALTH_BATCH_WAIT with what is in (issue 14)."""

    def setUp(self):
        super().setUp()
        # Horizon's TestCase refuses real connections; these go to the
        # masters above only.
        HTTPConnection.connect = self._real_conn_request
        self.good, self.hung = Master(), Master(hung=True)
        self.addCleanup(self.good.close)
        self.addCleanup(self.hung.close)

    # The connect timeout is long and the read timeout short: a batch that
    # waited for every master up to CONNECT_TIMEOUT would bring the hung
    # bay's verdict in its first answer.
    @override_settings(
        DCOS_DASHBOARD={
            "CONNECT_TIMEOUT": 20.0,
            "READ_TIMEOUT": 1.0,
            "HEALTH_BATCH_WAIT": 0.3,
        }
    )
    @test.create_mocks({magnum: ("cluster_list", "cluster_template_get")})
    def test_a_hung_master_is_checking_while_the_others_answer(self):
        self.mock_cluster_list.return_value = (
            [
                cluster(
                    BAY_A,
                    "good",
                    template_id=MESOS_MODEL,
                    master_addresses=[self.good.address],
                ),
                cluster(
                    BAY_B,
                    "hung",
                    template_id=MESOS_MODEL,
                    master_addresses=[self.hung.address],
                ),
            ],
            False,
        )
        self.mock_cluster_template_get.return_value = TEMPLATES[1]

        cells = json.loads(batch(self.client, BAY_A, BAY_B).content)

        self.assertIn("dcos-health-healthy", cells[BAY_A])
        self.assertIn("dcos-health-pending", cells[BAY_B])
        self.assertIn('data-dcos-health-later="true"', cells[BAY_B])
        self.assertEqual(self.good.summaries, 1)
        # Asked again, only the missing cell, until its verdict: the fetch
        # begun by the first answer ran on and is the only one.
        deadline = time.monotonic() + GUARD_SECONDS
        while "dcos-health-pending" in cells[BAY_B]:
            self.assertLess(time.monotonic(), deadline, "never a verdict")
            time.sleep(0.1)
            cells = json.loads(batch(self.client, BAY_B).content)
            self.assertEqual(set(cells), {BAY_B})
        self.assertIn("dcos-health-unreachable", cells[BAY_B])
        self.assertIn("did not answer within", cells[BAY_B])
        self.assertEqual(self.hung.summaries, 1)
