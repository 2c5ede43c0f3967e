"""The Bays panel under Horizon's TestCase, Magnum and Mesos mocked at the api layer.

Health answers are built with ``health.summarize`` from small state-summary
dicts, so the tests follow the real model rather than hand-built records.
"""

import dataclasses
import re
import shlex
from unittest import mock

from django.core.cache import cache
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone
from horizon import tables as horizon_tables
from magnumclient.v1.cluster_templates import ClusterTemplate
from magnumclient.v1.clusters import Cluster
from openstack_dashboard import api
from openstack_dashboard.test import helpers as test

from dcos_dashboard import commands, health
from dcos_dashboard.api import magnum, mesos
from dcos_dashboard.api.mesos import cache as mesos_cache
from dcos_dashboard.panels.bays import tables as bays_tables
from dcos_dashboard.panels.bays import tabs as bays_tabs

INDEX_URL = reverse("horizon:project:dcos_bays:index")
CREATE_URL = reverse("horizon:project:dcos_bays:create")
AJAX = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}

DCOS_MODEL = "8f0c36c5-0000-4000-8000-00000000dc05"
MESOS_MODEL = "8f0c36c5-0000-4000-8000-0000000e5050"
K8S_MODEL = "8f0c36c5-0000-4000-8000-000000000c8s"
NO_LB_MODEL = "8f0c36c5-0000-4000-8000-0000000001b0"

BAY_A = "b0000000-0000-4000-8000-00000000000a"
BAY_B = "b0000000-0000-4000-8000-00000000000b"
BAY_C = "b0000000-0000-4000-8000-00000000000c"

CONTAINER_INFRA = {
    "type": "container-infra",
    "name": "magnum",
    "endpoints_links": [],
    "endpoints": [
        {
            "region": "RegionOne",
            "interface": i,
            "url": "http://magnum.example.com:9511/v1",
        }
        for i in ("admin", "internal", "public")
    ],
}


def template(uuid, name, coe, master_lb_enabled=True, labels=None):
    return ClusterTemplate(
        None,
        {
            "uuid": uuid,
            "name": name,
            "coe": coe,
            "image_id": "centos-7" if coe == "dcos" else "ubuntu-14.04",
            "flavor_id": "m1.large",
            "master_flavor_id": "m1.medium",
            "master_lb_enabled": master_lb_enabled,
            "labels": labels or {},
        },
        loaded=True,
    )


TEMPLATES = [
    template(DCOS_MODEL, "dcos-small", "dcos", labels={"dcos_overlay_enable": "false"}),
    template(MESOS_MODEL, "mesos-plain", "mesos"),
    template(K8S_MODEL, "k8s", "kubernetes"),
    template(NO_LB_MODEL, "dcos-no-lb", "dcos", master_lb_enabled=False),
]


def cluster(uuid, name, status="CREATE_COMPLETE", template_id=DCOS_MODEL, **extra):
    fields = {
        "uuid": uuid,
        "name": name,
        "status": status,
        "cluster_template_id": template_id,
        "node_count": 3,
        "master_count": 1,
        "api_address": "10.0.0.5" if status != "CREATE_IN_PROGRESS" else None,
        "master_addresses": ["10.0.0.5"],
        "node_addresses": ["10.0.1.1", "10.0.1.2", "10.0.1.3"],
        "status_reason": "Stack CREATE completed successfully",
    }
    fields.update(extra)
    return Cluster(None, fields, loaded=True)


def agent(i, *, hostname=None, active=True, used_cpus=1.0, gpus=0.0):
    return {
        "id": f"agent-{i}",
        "hostname": hostname or f"agent{i}.bay",
        "pid": f"slave(1)@10.0.1.{i}:5051",
        "active": active,
        "resources": {"cpus": 4.0, "mem": 8192.0, "disk": 10240.0, "gpus": gpus},
        "used_resources": {"cpus": used_cpus, "mem": 2048.0, "disk": 0.0, "gpus": 0.0},
        "TASK_RUNNING": 2,
        "registered_time": 1700000000.0,
        "version": "1.7.0",
    }


def summarized(agents, elected=1, leader="10.0.0.5"):
    return health.summarize(
        {"hostname": leader, "slaves": agents, "frameworks": []},
        {"master/elected": elected},
    )


HEALTHY = summarized([agent(1), agent(2), agent(3)])
DEGRADED = summarized([agent(1), agent(2, active=False)])
MASTER_DOWN = health.unreachable(
    "Could not connect to http://10.0.0.5/mesos/master/state-summary: "
    "Connection refused"
)
AUTH_REQUIRED = health.unreachable(
    "DC/OS authentication required: set DCOS_ACS_TOKEN, or DCOS_ACS_UID and "
    "DCOS_ACS_PASSWORD, in DCOS_DASHBOARD",
    auth_required=True,
)


def not_found():
    return magnum.MagnumError(
        "This bay no longer exists in Magnum; it may have been deleted.", status=404
    )


class BaysTestCase(test.TestCase):
    def _setup_test_data(self):
        super()._setup_test_data()
        if not any(s["type"] == "container-infra" for s in self.service_catalog):
            self.service_catalog.append(CONTAINER_INFRA)

    def setUp(self):
        super().setUp()
        cache.clear()

    def rows(self, res, table="bays_table"):
        return res.context[table].data


class IndexTests(BaysTestCase):
    @test.create_mocks(
        {
            magnum: ("cluster_list", "cluster_template_list"),
            mesos: ("bay_health", "bays_health", "cached_bay_health"),
        }
    )
    def test_empty(self):
        self.mock_cluster_list.return_value = ([], False)
        self.mock_cluster_template_list.return_value = (TEMPLATES, False)

        res = self.client.get(INDEX_URL)

        self.assertTemplateUsed(res, "horizon/common/_data_table_view.html")
        self.assertEqual(self.rows(res), [])
        self.assertContains(res, "No items to display.")
        self.mock_cluster_list.assert_called_once_with(
            test.IsHttpRequest(), limit=20, marker=None
        )
        self.mock_bay_health.assert_not_called()

    @test.create_mocks(
        {
            magnum: (
                "cluster_list",
                "cluster_template_list",
                "cluster_template_get",
                "cluster_get",
            ),
            mesos: ("bay_health", "bays_health", "cached_bay_health"),
        }
    )
    def test_rows_join_baymodels_from_one_list(self):
        self.mock_cluster_list.return_value = (
            [
                cluster(BAY_A, "alpha"),
                cluster(BAY_B, "beta", template_id=MESOS_MODEL),
                cluster(BAY_C, "gamma", status="CREATE_IN_PROGRESS"),
            ],
            False,
        )
        self.mock_cluster_template_list.return_value = (TEMPLATES, False)
        self.mock_cached_bay_health.return_value = None

        res = self.client.get(INDEX_URL)

        rows = self.rows(res)
        self.assertEqual([r.name for r in rows], ["alpha", "beta", "gamma"])
        self.assertEqual(
            [r.baymodel_name for r in rows], ["dcos-small", "mesos-plain", "dcos-small"]
        )
        self.assertContains(res, "dcos-small", 2)
        self.assertContains(res, "mesos-plain", 1)
        coes = [row.cells["coe"].data for row in res.context["bays_table"].get_rows()]
        self.assertEqual(coes, ["DC/OS", "Mesos", "DC/OS"])
        # One template list for the page, no per-row Magnum call.
        self.mock_cluster_template_list.assert_called_once_with(test.IsHttpRequest())
        self.mock_cluster_template_get.assert_not_called()
        self.mock_cluster_get.assert_not_called()
        self.assertContains(
            res, reverse("horizon:project:dcos_bays:detail", args=[BAY_A])
        )

    @test.create_mocks(
        {
            magnum: ("cluster_list", "cluster_template_list"),
            mesos: ("bay_health", "bays_health", "cached_bay_health"),
        }
    )
    def test_summary_and_filter_from_the_rows_and_the_cache_only(self):
        self.mock_cluster_list.return_value = (
            [
                cluster(BAY_A, "alpha"),
                cluster(BAY_B, "beta", api_address="10.0.0.6"),
                cluster(BAY_C, "gamma", status="CREATE_IN_PROGRESS"),
            ],
            False,
        )
        self.mock_cluster_template_list.return_value = (TEMPLATES, False)
        healthy = summarized([agent(1, used_cpus=2.0), agent(2, used_cpus=2.0)])
        degraded = summarized([agent(3), agent(4, active=False), agent(5)])
        answers = {"10.0.0.5": healthy, "10.0.0.6": degraded}

        def cached(target, nodes=True):
            self.assertFalse(nodes)
            return answers.get(target.api_address)

        self.mock_cached_bay_health.side_effect = cached

        res = self.client.get(INDEX_URL)

        summary = res.context["summary"]
        self.assertEqual(summary["count"], 3)
        self.assertEqual(
            [(verdict, count) for verdict, _name, count in summary["health"]],
            [("degraded", 1), ("healthy", 1)],
        )
        self.assertEqual(summary["agents"], 5)
        self.assertEqual(summary["cpus"].total, 20.0)  # 5 agents x 4 cpus
        self.assertEqual(dict(summary["status"]).get("Create Complete"), 2)
        self.assertContains(res, "dcos-bays-summary")
        self.assertContains(res, "5 agents")
        self.mock_bay_health.assert_not_called()
        self.mock_bays_health.assert_not_called()
        # Read once per bay with an address, for its cell and the summary.
        self.assertEqual(self.mock_cached_bay_health.call_count, 3)

        # The filter narrows by name, status or health, as the user typed.
        for typed, expected in (
            ("ALP", ["alpha"]),
            ("degraded", ["beta"]),
            ("in progress", ["gamma"]),
            ("nothing", []),
        ):
            res = self.client.post(INDEX_URL, {"bays__filter__q": typed})
            shown = res.context["bays_table"].filtered_data
            self.assertEqual([r.name for r in shown], expected, typed)

    @test.create_mocks({magnum: ("magnumclient",)})
    def test_whatever_the_client_raises_is_a_message_not_a_500(self):
        # magnumclient's own parser fails on a body Magnum did not write.
        self.mock_magnumclient.return_value.clusters.list.side_effect = KeyError(
            "errors"
        )

        res = self.client.get(INDEX_URL)

        self.assertEqual(res.status_code, 200)
        self.assertEqual(self.rows(res), [])
        self.assertEqual(
            [str(m.message) for m in res.context["messages"]],
            [
                "Magnum's answer could not be read. Try again later; if it "
                "keeps happening, tell your cloud operator."
            ],
        )

    @test.create_mocks(
        {
            magnum: ("cluster_list", "cluster_template_list"),
            mesos: ("cached_bay_health",),
        }
    )
    def test_magnum_errors_are_messages_with_the_page_intact(self):
        self.mock_cluster_list.side_effect = magnum.MagnumError(
            "Magnum cannot be reached. Try again later."
        )

        res = self.client.get(INDEX_URL)

        self.assertEqual(res.status_code, 200)
        self.assertEqual(self.rows(res), [])
        self.assertMessageCount(res, error=1)
        self.mock_cluster_template_list.assert_not_called()

        # Without the template list the bays still show, without model names.
        self.mock_cluster_list.side_effect = None
        self.mock_cluster_list.return_value = ([cluster(BAY_A, "alpha")], False)
        self.mock_cluster_template_list.side_effect = magnum.MagnumError(
            "Magnum failed with an internal error (HTTP 500)."
        )
        self.mock_cached_bay_health.return_value = None

        res = self.client.get(INDEX_URL)

        self.assertEqual([r.name for r in self.rows(res)], ["alpha"])
        self.assertEqual(self.rows(res)[0].baymodel_name, None)
        self.assertMessageCount(res, error=1)

    @test.create_mocks(
        {
            magnum: ("cluster_list", "cluster_template_list"),
            mesos: ("bay_health", "bays_health", "cached_bay_health"),
        }
    )
    def test_health_column_issues_zero_mesos_calls(self):
        self.mock_cluster_list.return_value = (
            [cluster(BAY_A, "alpha"), cluster(BAY_B, "beta")],
            False,
        )
        self.mock_cluster_template_list.return_value = (TEMPLATES, False)
        self.mock_bay_health.side_effect = AssertionError("index asked Mesos")
        self.mock_bays_health.side_effect = AssertionError("index asked Mesos")
        cached = {BAY_A: DEGRADED}
        self.mock_cached_bay_health.side_effect = lambda t, nodes=True: cached.get(
            t.uuid
        )

        res = self.client.get(INDEX_URL)

        self.assertEqual(res.status_code, 200)
        self.mock_bay_health.assert_not_called()
        self.mock_bays_health.assert_not_called()
        self.assertEqual(self.mock_cached_bay_health.call_count, 2)
        # alpha: the cached answer; beta: a slot the page's JS fills later.
        self.assertContains(res, 'class="dcos-health dcos-health-degraded"')
        health_url = reverse("horizon:project:dcos_bays:health", args=[BAY_B])
        # No COE in the URL: the health view trusts only Magnum's (issue 18).
        self.assertContains(res, f'data-dcos-health-url="{health_url}"')
        self.assertNotContains(
            res, reverse("horizon:project:dcos_bays:health", args=[BAY_A])
        )

    @test.create_mocks(
        {
            magnum: ("cluster_list", "cluster_template_list"),
            mesos: ("bay_health", "cached_bay_health"),
        }
    )
    def test_console_link_opens_new_tab_only_with_an_address(self):
        self.mock_cluster_list.return_value = (
            [
                cluster(BAY_A, "alpha"),
                cluster(
                    BAY_B, "beta", status="CREATE_IN_PROGRESS", master_addresses=[]
                ),
            ],
            False,
        )
        self.mock_cluster_template_list.return_value = (TEMPLATES, False)
        self.mock_cached_bay_health.return_value = None

        res = self.client.get(INDEX_URL)

        self.assertContains(
            res,
            '<a href="http://10.0.0.5/" target="_blank" '
            'rel="noopener noreferrer">Console</a>',
            1,
        )
        self.mock_bay_health.assert_not_called()

    @override_settings(DCOS_DASHBOARD={"PAGE_SIZE": 2})
    @test.create_mocks(
        {
            magnum: ("cluster_list", "cluster_template_list"),
            mesos: ("cached_bay_health",),
        }
    )
    def test_pagination_with_magnum_marker(self):
        self.mock_cached_bay_health.return_value = None
        self.mock_cluster_template_list.return_value = (TEMPLATES, False)
        self.mock_cluster_list.return_value = (
            [cluster(BAY_A, "alpha"), cluster(BAY_B, "beta")],
            True,
        )

        res = self.client.get(INDEX_URL)

        self.mock_cluster_list.assert_called_once_with(
            test.IsHttpRequest(), limit=2, marker=None
        )
        self.assertContains(res, f'href="?marker={BAY_B}"')
        self.assertNotContains(res, 'href="?prev_marker=')

        self.mock_cluster_list.reset_mock()
        self.mock_cluster_list.return_value = ([cluster(BAY_C, "gamma")], False)
        res = self.client.get(INDEX_URL + f"?marker={BAY_B}")

        self.mock_cluster_list.assert_called_once_with(
            test.IsHttpRequest(), limit=2, marker=BAY_B
        )
        self.assertEqual([r.name for r in self.rows(res)], ["gamma"])
        self.assertContains(res, f'href="?prev_marker={BAY_C}"')
        self.assertNotContains(res, 'href="?marker=')

        # Back: Magnum's order reversed from the first row, then put right.
        self.mock_cluster_list.reset_mock()
        self.mock_cluster_list.return_value = (
            [cluster(BAY_B, "beta"), cluster(BAY_A, "alpha")],
            False,
        )
        res = self.client.get(INDEX_URL + f"?prev_marker={BAY_C}")

        self.mock_cluster_list.assert_called_once_with(
            test.IsHttpRequest(), limit=2, marker=BAY_C, sort_dir="desc"
        )
        self.assertEqual([r.name for r in self.rows(res)], ["alpha", "beta"])
        self.assertContains(res, f'href="?marker={BAY_B}"')

    @test.create_mocks(
        {
            magnum: ("cluster_list", "cluster_template_list"),
            mesos: ("cached_bay_health",),
        }
    )
    def test_in_progress_row_polls_and_complete_row_does_not(self):
        self.mock_cached_bay_health.return_value = None
        self.mock_cluster_template_list.return_value = (TEMPLATES, False)
        self.mock_cluster_list.return_value = (
            [
                cluster(BAY_A, "alpha"),
                cluster(BAY_B, "beta", status="UPDATE_IN_PROGRESS"),
                cluster(BAY_C, "gamma", status="CREATE_FAILED"),
            ],
            False,
        )

        res = self.client.get(INDEX_URL)

        table = res.context["bays_table"]
        rows = {row.datum.id: row for row in table.get_rows()}
        self.assertIn("warning", rows[BAY_B].classes)  # Horizon polls tr.warning
        self.assertIn("ajax-update", rows[BAY_B].classes)
        self.assertIn(
            "action=row_update&table=bays&obj_id=" + BAY_B,
            rows[BAY_B].attrs["data-update-url"],
        )
        self.assertIn("status_up", rows[BAY_A].classes)
        self.assertIn("status_down", rows[BAY_C].classes)
        self.assertNotIn("warning", rows[BAY_A].classes)
        self.assertContains(res, "Update In Progress")


class RowUpdateTests(BaysTestCase):
    def row_url(self, bay_id):
        return INDEX_URL + f"?action=row_update&table=bays&obj_id={bay_id}"

    @test.create_mocks(
        {
            magnum: ("cluster_get", "cluster_template_get", "cluster_list"),
            mesos: ("cached_bay_health", "bay_health"),
        }
    )
    def test_row_update_reads_one_bay(self):
        self.mock_cluster_get.return_value = cluster(
            BAY_A, "alpha", status="UPDATE_COMPLETE"
        )
        self.mock_cluster_template_get.return_value = TEMPLATES[0]
        self.mock_cached_bay_health.return_value = HEALTHY

        res = self.client.get(self.row_url(BAY_A), **AJAX)

        self.assertEqual(res.status_code, 200)
        self.assertContains(res, "Update Complete")
        self.assertContains(res, "dcos-small")
        self.assertContains(res, 'class="dcos-health dcos-health-healthy"')
        self.mock_cluster_get.assert_called_once_with(test.IsHttpRequest(), BAY_A)
        self.mock_cluster_template_get.assert_called_once_with(
            test.IsHttpRequest(), DCOS_MODEL
        )
        self.mock_cluster_list.assert_not_called()
        self.mock_bay_health.assert_not_called()

    @test.create_mocks({magnum: ("cluster_get", "cluster_list")})
    def test_row_of_a_deleted_bay_answers_404(self):
        self.mock_cluster_get.side_effect = not_found()

        res = self.client.get(self.row_url(BAY_A), **AJAX)

        # horizon.tables.js removes the row on a 404.
        self.assertEqual(res.status_code, 404)
        self.mock_cluster_list.assert_not_called()


ROOMY_CACHE = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "dcos-dashboard-roomy",
    "OPTIONS": {"MAX_ENTRIES": 100000},
}


class HealthViewTests(BaysTestCase):
    @test.create_mocks(
        {
            magnum: ("cluster_get", "cluster_get_or_none", "cluster_template_get"),
            mesos: ("bay_health",),
        }
    )
    def test_a_coe_in_the_url_never_decides_what_is_asked(self):
        self.mock_cluster_get.return_value = cluster(BAY_A, "alpha")
        self.mock_cluster_get_or_none.return_value = cluster(BAY_A, "alpha")
        self.mock_cluster_template_get.return_value = TEMPLATES[0]
        self.mock_bay_health.return_value = HEALTHY
        url = reverse("horizon:project:dcos_bays:health", args=[BAY_A])
        res = self.client.get(url + "?coe=mesos", **AJAX)

        self.assertContains(res, 'class="dcos-health dcos-health-healthy"')
        (target,), _kw = self.mock_bay_health.call_args
        self.assertEqual(target.coe, "dcos")  # the Bay Model's, not the URL's
        self.assertEqual(target.uuid, BAY_A)

    @test.create_mocks(
        {magnum: ("cluster_get", "cluster_template_get"), mesos: ("bay_health",)}
    )
    def test_the_coe_magnum_reported_is_read_once_per_bay_model(self):
        bays_of_one_model = {
            BAY_A: cluster(BAY_A, "alpha"),
            BAY_B: cluster(BAY_B, "beta"),
        }
        self.mock_cluster_get.side_effect = lambda r, uuid: bays_of_one_model[uuid]
        self.mock_cluster_template_get.return_value = TEMPLATES[0]
        self.mock_bay_health.return_value = HEALTHY

        for uuid in (BAY_A, BAY_B, BAY_A):
            self.client.get(
                reverse("horizon:project:dcos_bays:health", args=[uuid]), **AJAX
            )

        self.mock_cluster_template_get.assert_called_once_with(
            test.IsHttpRequest(), DCOS_MODEL
        )
        self.assertEqual(self.mock_cluster_get.call_count, 3)
        self.assertEqual(
            [call.args[0].coe for call in self.mock_bay_health.call_args_list],
            ["dcos"] * 3,
        )

    @test.create_mocks(
        {
            magnum: ("cluster_list", "cluster_template_list", "cluster_get")
            + ("cluster_template_get",),
            mesos: ("bay_health", "cached_bay_health"),
        }
    )
    # A page's compressor entries would cull the tests' small LocMemCache.
    @override_settings(CACHES={"default": ROOMY_CACHE})
    def test_the_index_tells_the_badges_their_coe(self):
        self.mock_cluster_list.return_value = ([cluster(BAY_A, "alpha")], False)
        self.mock_cluster_template_list.return_value = (TEMPLATES, False)
        self.mock_cached_bay_health.return_value = None
        self.mock_cluster_get.return_value = cluster(BAY_A, "alpha")
        self.mock_bay_health.return_value = HEALTHY
        self.client.get(INDEX_URL)

        res = self.client.get(
            reverse("horizon:project:dcos_bays:health", args=[BAY_A]), **AJAX
        )

        self.assertContains(res, 'class="dcos-health dcos-health-healthy"')
        self.mock_cluster_template_get.assert_not_called()
        (target,), _kw = self.mock_bay_health.call_args
        self.assertEqual(target.coe, "dcos")

    @test.create_mocks(
        {magnum: ("cluster_get", "cluster_template_get"), mesos: ("bay_health",)}
    )
    def test_a_bay_neither_dcos_nor_mesos_is_refused_with_a_sentence(self):
        self.mock_cluster_get.return_value = cluster(
            BAY_A, "k8s-bay", template_id=K8S_MODEL
        )
        self.mock_cluster_template_get.return_value = TEMPLATES[2]
        url = reverse("horizon:project:dcos_bays:health", args=[BAY_A])

        res = self.client.get(url + "?coe=dcos", **AJAX)

        self.assertEqual(res.status_code, 200)
        self.assertContains(res, "dcos-health-none")
        self.assertContains(res, "not a DC/OS or Mesos bay")
        self.mock_bay_health.assert_not_called()

    @test.create_mocks(
        {magnum: ("cluster_get", "cluster_template_get"), mesos: ("bay_health",)}
    )
    def test_an_unknown_coe_hint_is_ignored(self):
        self.mock_cluster_get.return_value = cluster(BAY_A, "alpha")
        self.mock_cluster_template_get.return_value = TEMPLATES[0]
        self.mock_bay_health.return_value = HEALTHY
        url = reverse("horizon:project:dcos_bays:health", args=[BAY_A])
        self.client.get(url + "?coe=kubernetes", **AJAX)

        (target,), _kw = self.mock_bay_health.call_args
        self.assertEqual(target.coe, "dcos")  # from the Bay Model, not the URL

    def fragment(self, answer, bay=None):
        self.mock_cluster_get.return_value = bay or cluster(BAY_A, "alpha")
        self.mock_cluster_template_get.return_value = TEMPLATES[0]
        self.mock_bay_health.return_value = answer
        return self.client.get(
            reverse("horizon:project:dcos_bays:health", args=[BAY_A]), **AJAX
        )

    @test.create_mocks(
        {magnum: ("cluster_get", "cluster_template_get"), mesos: ("bay_health",)}
    )
    def test_healthy(self):
        res = self.fragment(HEALTHY)

        self.assertContains(res, 'class="dcos-health dcos-health-healthy"')
        self.assertContains(res, 'title="All 3 agents healthy"')
        self.assertContains(res, ">Healthy</span>")
        (target,), _kw = self.mock_bay_health.call_args
        self.assertEqual(target.uuid, BAY_A)
        self.assertEqual(target.coe, "dcos")
        self.assertEqual(target.api_address, "10.0.0.5")
        self.assertEqual(res["Cache-Control"].split(",")[0], "max-age=0")

    @test.create_mocks(
        {magnum: ("cluster_get", "cluster_template_get"), mesos: ("bay_health",)}
    )
    def test_a_stale_answer_says_so_and_is_asked_again(self):
        url = reverse("horizon:project:dcos_bays:health", args=[BAY_A])
        fresh = self.fragment(HEALTHY)
        self.assertNotContains(fresh, "last known")
        self.assertNotContains(fresh, "data-dcos-health-url")

        stale = mesos.StaleHealth(
            *(getattr(HEALTHY, f.name) for f in dataclasses.fields(HEALTHY))
        )
        res = self.fragment(stale)

        self.assertContains(res, 'class="dcos-health dcos-health-healthy"')
        self.assertContains(res, "(last known)")
        self.assertContains(
            res, f'data-dcos-health-url="{url}" data-dcos-health-later="true"'
        )

    @test.create_mocks(
        {magnum: ("cluster_get", "cluster_template_get"), mesos: ("bay_health",)}
    )
    def test_degraded(self):
        res = self.fragment(DEGRADED)

        self.assertContains(res, 'class="dcos-health dcos-health-degraded"')
        self.assertContains(res, "1 of 2 agents disconnected")

    @test.create_mocks(
        {magnum: ("cluster_get", "cluster_template_get"), mesos: ("bay_health",)}
    )
    def test_unreachable(self):
        res = self.fragment(MASTER_DOWN)

        self.assertContains(res, 'class="dcos-health dcos-health-unreachable"')
        self.assertContains(res, "Connection refused")

    @test.create_mocks(
        {magnum: ("cluster_get", "cluster_template_get"), mesos: ("bay_health",)}
    )
    def test_auth_required(self):
        res = self.fragment(AUTH_REQUIRED)

        self.assertContains(res, 'class="dcos-health dcos-health-auth"')
        self.assertContains(res, "Authentication required")
        self.assertContains(res, "DCOS_ACS_TOKEN")

    @test.create_mocks(
        {magnum: ("cluster_get", "cluster_template_get"), mesos: ("bay_health",)}
    )
    def test_script_from_mesos_is_escaped(self):
        # A master that is not the leader names itself in the reason.
        answer = summarized([], elected=0, leader="<script>alert(1)</script>")
        self.assertIn("<script>", answer.reason)

        res = self.fragment(answer)

        self.assertNotContains(res, "<script>")
        self.assertContains(res, "&lt;script&gt;alert(1)&lt;/script&gt;")

    @test.create_mocks(
        {magnum: ("cluster_get", "cluster_template_get"), mesos: ("bay_health",)}
    )
    def test_bay_without_address_asks_no_master(self):
        bay = cluster(BAY_A, "alpha", status="CREATE_IN_PROGRESS", master_addresses=[])

        res = self.fragment(HEALTHY, bay=bay)

        self.assertContains(res, "dcos-health-none")
        self.mock_bay_health.assert_not_called()


def wizard_data(**overrides):
    data = {
        "name": "bay1",
        "cluster_template_id": DCOS_MODEL,
        "master_count": 3,
        "node_count": 2,
        "create_timeout": 60,
        "discovery_url": "",
        "keypair": "",
        "flavor_id": "",
        "master_flavor_id": "",
        "labels": "",
    }
    data.update(overrides)
    return data


WIZARD_MOCKS = {
    magnum: ("cluster_template_list", "cluster_create"),
    api.nova: ("keypair_list", "flavor_list"),
}


class CreateWizardTests(BaysTestCase):
    def setUp(self):
        super().setUp()

    def mock_choices(self):
        self.mock_cluster_template_list.return_value = (TEMPLATES, False)
        self.mock_keypair_list.return_value = self.keypairs.list()
        self.mock_flavor_list.return_value = self.flavors.list()

    def step_errors(self, res, slug, field):
        workflow = res.context["workflow"]
        return [str(e) for e in workflow.get_step(slug).action.errors.get(field, [])]

    @test.create_mocks(WIZARD_MOCKS)
    def test_get_preselects_baymodel_and_lists_only_dcos_and_mesos(self):
        self.mock_choices()

        res = self.client.get(CREATE_URL + f"?baymodel={MESOS_MODEL}")

        self.assertTemplateUsed(res, "horizon/common/_workflow_base.html")
        workflow = res.context["workflow"]
        self.assertTrue(workflow.wizard)
        field = workflow.get_step("info").action["cluster_template_id"]
        self.assertEqual(field.value(), MESOS_MODEL)
        self.assertContains(res, f'<option value="{MESOS_MODEL}" selected>')
        choices = [value for value, _label in field.field.choices]
        self.assertNotIn(K8S_MODEL, choices)
        self.assertIn(DCOS_MODEL, choices)
        # The chosen model's one-line summary is shown, the others hidden.
        self.assertContains(res, "Mesos; image ubuntu-14.04")
        self.assertContains(res, f'data-dcos-baymodel="{DCOS_MODEL}" hidden')
        self.mock_cluster_template_list.assert_called_once_with(test.IsHttpRequest())

    @test.create_mocks(
        {**WIZARD_MOCKS, magnum: WIZARD_MOCKS[magnum] + ("cluster_get",)}
    )
    def test_create_again_starts_from_the_failed_bay(self):
        self.mock_choices()
        failed = cluster(
            BAY_C,
            "gamma",
            status="CREATE_FAILED",
            status_reason="Resource CREATE failed: quota exceeded",
            faults={"dcos_masters": "ResourceInError: no valid host"},
            master_count=3,
            node_count=4,
            create_timeout=90,
            labels_overridden={"aws_secret_access_key": "AKIASECRETAGAIN"},
            labels_added={"dcos_overlay_enable": "false"},
        )
        self.mock_cluster_get.return_value = failed

        res = self.client.get(CREATE_URL + f"?again={BAY_C}")

        self.assertEqual(res.status_code, 200)
        workflow = res.context["workflow"]

        def value(step, field):
            return workflow.get_step(step).action[field].value()

        self.assertEqual(value("info", "name"), "gamma")
        self.assertEqual(value("info", "cluster_template_id"), DCOS_MODEL)
        self.assertEqual(value("size", "master_count"), 3)
        self.assertEqual(value("size", "node_count"), 4)
        self.assertEqual(value("advanced", "create_timeout"), 90)
        self.assertEqual(value("advanced", "labels"), "dcos_overlay_enable=false")
        self.assertContains(res, 'Creating "gamma" again.')
        self.assertContains(res, "It failed: Resource CREATE failed: quota exceeded")
        self.assertContains(res, "ResourceInError: no valid host")
        self.assertContains(res, "secret label aws_secret_access_key was not carried")
        self.assertNotContains(res, "AKIASECRETAGAIN")

        # What the user submits from there is an ordinary creation.
        self.mock_cluster_create.return_value = BAY_A
        res = self.client.post(
            CREATE_URL + f"?again={BAY_C}",
            wizard_data(
                name="gamma",
                master_count=3,
                node_count=4,
                create_timeout=90,
                labels="dcos_overlay_enable=false",
            ),
        )
        self.assertNoWorkflowErrors(res)
        kwargs = self.mock_cluster_create.call_args.kwargs
        self.assertEqual(kwargs["name"], "gamma")
        self.assertEqual(kwargs["node_count"], 4)
        self.assertEqual(kwargs["labels"], {"dcos_overlay_enable": "false"})

    @test.create_mocks(WIZARD_MOCKS)
    def test_dropdown_labels_are_escaped_once(self):
        self.mock_choices()

        res = self.client.get(CREATE_URL)

        body = res.content.decode()
        self.assertTrue(">Use the bay model&#x27;s<" in body)
        self.assertFalse("&amp;#x27;" in body)

    @test.create_mocks(WIZARD_MOCKS)
    def test_a_model_deleted_meanwhile_is_said_deleted(self):
        self.mock_choices()

        res = self.client.post(
            CREATE_URL,
            wizard_data(cluster_template_id="8f0c36c5-0000-4000-8000-00000000dead"),
        )

        errors = self.step_errors(res, "info", "cluster_template_id")
        self.assertEqual(len(errors), 1)
        self.assertIn("may have been deleted", errors[0])
        self.mock_cluster_create.assert_not_called()

    @test.create_mocks(WIZARD_MOCKS)
    def test_aria_describedby_points_at_elements_of_the_page(self):
        self.mock_choices()
        res = self.client.post(
            CREATE_URL, wizard_data(name="1bay", node_count=0, labels="x")
        )
        html = res.content.decode()
        self.assertIn('aria-invalid="true"', html)
        for ids in re.findall(r'aria-describedby="([^"]*)"', html):
            for id_ in ids.split():
                self.assertIn(f'id="{id_}"', html)

    @test.create_mocks(WIZARD_MOCKS)
    def test_breadcrumb_names_the_page(self):
        self.mock_choices()
        res = self.client.get(CREATE_URL)
        self.assertContains(
            res, '<li class="breadcrumb-item-truncate active">Create Bay</li>'
        )
        self.assertNotContains(res, ">None</li>")

    @test.create_mocks(WIZARD_MOCKS)
    def test_dcos_refuses_two_masters(self):
        self.mock_choices()

        res = self.client.post(CREATE_URL, wizard_data(master_count=2))

        self.assertEqual(res.status_code, 200)
        errors = self.step_errors(res, "size", "master_count")
        self.assertEqual(len(errors), 1)
        self.assertIn("1, 3, 5, 7 or 9 masters", errors[0])
        self.mock_cluster_create.assert_not_called()

    @test.create_mocks(WIZARD_MOCKS)
    def test_three_masters_need_a_master_load_balancer(self):
        self.mock_choices()

        res = self.client.post(
            CREATE_URL, wizard_data(cluster_template_id=NO_LB_MODEL, master_count=3)
        )

        errors = self.step_errors(res, "size", "master_count")
        self.assertEqual(len(errors), 1)
        self.assertIn("no master load balancer", errors[0])
        self.assertIn("Set the master count to 1", errors[0])
        self.mock_cluster_create.assert_not_called()

    @test.create_mocks(WIZARD_MOCKS)
    def test_mesos_refuses_an_even_master_count_beside_the_field(self):
        # Magnum 23 (the driver's validate_master_size) refuses any even count.
        self.mock_choices()

        for count in (2, 4):
            res = self.client.post(
                CREATE_URL,
                wizard_data(cluster_template_id=MESOS_MODEL, master_count=count),
            )
            errors = self.step_errors(res, "size", "master_count")
            self.assertEqual(len(errors), 1)
            self.assertIn("odd number of masters", errors[0])
            self.assertEqual(res.context["workflow"].get_entry_point(), "size")
        self.mock_cluster_create.assert_not_called()

    @test.create_mocks(WIZARD_MOCKS)
    def test_mesos_accepts_three_masters_with_load_balancer(self):
        self.mock_choices()
        self.mock_cluster_create.return_value = BAY_A

        res = self.client.post(
            CREATE_URL, wizard_data(cluster_template_id=MESOS_MODEL, master_count=3)
        )

        self.assertRedirectsNoFollow(res, INDEX_URL)
        self.assertEqual(self.mock_cluster_create.call_args.kwargs["master_count"], 3)

    @test.create_mocks(WIZARD_MOCKS)
    def test_magnum_field_error_opens_the_wizard_on_its_step(self):
        self.mock_choices()
        sentence = "Magnum wants an odd number of masters."
        self.mock_cluster_create.side_effect = magnum.MagnumError(
            sentence, status=400, field="master_count"
        )

        res = self.client.post(CREATE_URL, wizard_data(name="kept-name"))

        self.assertEqual(res.status_code, 200)
        self.assertEqual(self.step_errors(res, "size", "master_count"), [sentence])
        self.assertEqual(res.context["workflow"].get_entry_point(), "size")
        # Beside the field only, as in the Bay Model wizard: no second copy.
        self.assertMessageCount(res, error=0)
        self.assertContains(res, 'value="kept-name"')

    @test.create_mocks(WIZARD_MOCKS)
    def test_magnum_error_without_a_field_tops_the_last_step(self):
        self.mock_choices()
        sentence = "Magnum failed with an internal error (HTTP 500)."
        self.mock_cluster_create.side_effect = magnum.MagnumError(sentence, status=500)

        res = self.client.post(CREATE_URL, wizard_data(name="kept-name"))

        self.assertEqual(res.status_code, 200)
        self.assertEqual(self.step_errors(res, "advanced", "__all__"), [sentence])
        self.assertEqual(res.context["workflow"].get_entry_point(), "advanced")
        self.assertContains(res, 'value="kept-name"')

    @test.create_mocks(WIZARD_MOCKS)
    def test_names_magnum_refuses_are_refused_beside_name(self):
        # magnum/api/controllers/v1/cluster.py: ^[a-zA-Z][a-zA-Z0-9_.-]*$, 242.
        self.mock_choices()
        for name in (
            "b\u00e4y",
            "\u05d1\u05d9\u05ea",
            "bay\U0001f600",
            "bay\x01x",
            "bay one",
            "1bay",
            "-bay",
            "a" * 243,
        ):
            res = self.client.post(CREATE_URL, wizard_data(name=name))
            errors = self.step_errors(res, "info", "name")
            self.assertEqual(len(errors), 1, repr(name))
            self.assertIn("starts with a letter", errors[0])
            self.assertEqual(res.context["workflow"].get_entry_point(), "info")
        self.mock_cluster_create.assert_not_called()

        self.mock_cluster_create.return_value = BAY_A
        res = self.client.post(CREATE_URL, wizard_data(name="a" + "b.c_d-" * 40))
        self.assertRedirectsNoFollow(res, INDEX_URL)

    @test.create_mocks(WIZARD_MOCKS)
    def test_huge_counts_are_refused_with_their_bound(self):
        self.mock_choices()

        res = self.client.post(
            CREATE_URL,
            wizard_data(node_count=1_000_000_000, create_timeout=1_000_000_000),
        )

        node = self.step_errors(res, "size", "node_count")
        self.assertEqual(len(node), 1)
        self.assertIn("at most 1000 nodes", node[0])
        timeout = self.step_errors(res, "advanced", "create_timeout")
        self.assertEqual(len(timeout), 1)
        self.assertIn("at most 1440 minutes", timeout[0])
        self.assertContains(res, 'value="1000000000"')
        self.mock_cluster_create.assert_not_called()

    @override_settings(DCOS_DASHBOARD={"MAX_NODE_COUNT": 50})
    @test.create_mocks(WIZARD_MOCKS)
    def test_the_node_bound_is_the_clouds(self):
        self.mock_choices()
        res = self.client.post(CREATE_URL, wizard_data(node_count=51))
        self.assertIn(
            "at most 50 nodes", self.step_errors(res, "size", "node_count")[0]
        )

    @test.create_mocks(WIZARD_MOCKS)
    def test_invalid_label_override_errs_on_the_field_and_keeps_input(self):
        self.mock_choices()
        typed = "isolaton=docker/volume"

        res = self.client.post(CREATE_URL, wizard_data(labels=typed))

        errors = self.step_errors(res, "advanced", "labels")
        self.assertEqual(len(errors), 1)
        self.assertIn("Did you mean `isolation`?", errors[0])
        self.assertContains(res, typed)
        self.mock_cluster_create.assert_not_called()

    @test.create_mocks(WIZARD_MOCKS)
    def test_override_checked_against_merged_labels(self):
        # The model says dcos_overlay_enable=false; turning it on needs
        # dcos_overlay_network, which only the merged map shows missing.
        self.mock_choices()

        res = self.client.post(
            CREATE_URL, wizard_data(labels="dcos_overlay_enable=true")
        )

        errors = self.step_errors(res, "advanced", "labels")
        self.assertEqual(len(errors), 1)
        self.assertIn("dcos_overlay_network", errors[0])
        self.mock_cluster_create.assert_not_called()

    @test.create_mocks(WIZARD_MOCKS)
    def test_magnum_error_is_a_message_and_keeps_input(self):
        self.mock_choices()
        sentence = "Magnum cannot find key pair nokey. Pick another key pair."
        self.mock_cluster_create.side_effect = magnum.MagnumError(
            sentence, status=404, field="keypair_id"
        )
        keypair = self.keypairs.first().name

        res = self.client.post(
            CREATE_URL, wizard_data(name="kept-name", keypair=keypair)
        )

        self.assertEqual(res.status_code, 200)
        self.assertMessageCount(res, error=0)
        self.assertEqual(self.step_errors(res, "advanced", "keypair"), [sentence])
        self.assertEqual(res.context["workflow"].get_entry_point(), "advanced")
        self.assertContains(res, 'value="kept-name"')
        self.mock_cluster_create.assert_called_once()

    @test.create_mocks(WIZARD_MOCKS)
    def test_success_sends_magnum_fields_and_redirects(self):
        self.mock_choices()
        self.mock_cluster_create.return_value = BAY_A
        keypair = self.keypairs.first().name
        flavor = self.flavors.first().name

        res = self.client.post(
            CREATE_URL,
            wizard_data(
                keypair=keypair,
                flavor_id=flavor,
                discovery_url="https://discovery.etcd.io/abc",
                create_timeout=0,
                labels="check_time=TRUE\ndcos_overlay_mtu = 1420",
            ),
        )

        self.assertNoFormErrors(res)
        self.assertRedirectsNoFollow(res, INDEX_URL)
        self.mock_cluster_create.assert_called_once_with(
            test.IsHttpRequest(),
            name="bay1",
            cluster_template_id=DCOS_MODEL,
            master_count=3,
            node_count=2,
            create_timeout=0,
            discovery_url="https://discovery.etcd.io/abc",
            keypair=keypair,
            flavor_id=flavor,
            labels={"check_time": "true", "dcos_overlay_mtu": "1420"},
            merge_labels=True,
        )

    @test.create_mocks(
        {
            magnum: (
                "cluster_template_list",
                "cluster_create",
                "cluster_list",
                "cluster_get",
                "cluster_template_get",
            ),
            api.nova: ("keypair_list", "flavor_list"),
            mesos: ("cached_bay_health",),
        }
    )
    def test_new_bay_shows_in_progress_while_magnum_answers_404(self):
        self.mock_choices()
        self.mock_cluster_create.return_value = BAY_C
        self.mock_cluster_list.return_value = ([cluster(BAY_A, "alpha")], False)
        self.mock_cluster_get.side_effect = not_found()
        self.mock_cluster_template_get.return_value = TEMPLATES[0]
        self.mock_cached_bay_health.return_value = None

        res = self.client.post(CREATE_URL, wizard_data(name="fresh", master_count=1))
        self.assertRedirectsNoFollow(res, INDEX_URL)

        res = self.client.get(INDEX_URL)
        rows = {r.id: r for r in self.rows(res)}
        self.assertEqual(rows[BAY_C].name, "fresh")
        self.assertEqual(rows[BAY_C].status, "CREATE_IN_PROGRESS")
        self.assertMessageCount(res, error=0)

        # The row's poll meets Magnum's 404: still in progress, not an error.
        res = self.client.get(
            INDEX_URL + f"?action=row_update&table=bays&obj_id={BAY_C}", **AJAX
        )
        self.assertEqual(res.status_code, 200)
        self.assertContains(res, "Create In Progress")
        self.assertContains(res, "fresh")

        # Its page too, from what was asked, until Magnum has the row.
        res = self.client.get(reverse("horizon:project:dcos_bays:detail", args=[BAY_C]))
        self.assertEqual(res.status_code, 200)
        self.assertContains(res, "Create In Progress")
        self.assertMessageCount(res, error=0)


class ScaleTests(BaysTestCase):
    def url(self):
        return reverse("horizon:project:dcos_bays:scale", args=[BAY_A])

    @test.create_mocks({magnum: ("cluster_get", "cluster_scale")})
    def test_get_shows_current_count(self):
        self.mock_cluster_get.return_value = cluster(BAY_A, "alpha")

        res = self.client.get(self.url())

        self.assertTemplateUsed(res, "project/dcos_bays/scale.html")
        self.assertEqual(res.context["form"]["node_count"].value(), 3)
        self.assertContains(res, "has 3 nodes now")

    @test.create_mocks({magnum: ("cluster_get", "cluster_scale")})
    def test_valid_count_updates_the_bay(self):
        self.mock_cluster_get.return_value = cluster(BAY_A, "alpha")

        res = self.client.post(self.url(), {"node_count": 5})

        self.assertNoFormErrors(res)
        self.assertRedirectsNoFollow(res, INDEX_URL)
        self.assertMessageCount(success=1)
        self.mock_cluster_scale.assert_called_once_with(test.IsHttpRequest(), BAY_A, 5)

    @test.create_mocks({magnum: ("cluster_get", "cluster_scale")})
    def test_a_huge_count_is_refused_with_its_bound(self):
        self.mock_cluster_get.return_value = cluster(BAY_A, "alpha")

        res = self.client.post(self.url(), {"node_count": 1_000_000_000})

        self.assertFormErrors(res, 1)
        self.assertContains(res, "at most 1000 nodes")
        self.mock_cluster_scale.assert_not_called()

    @test.create_mocks({magnum: ("cluster_get", "cluster_scale")})
    def test_zero_and_same_count_are_refused(self):
        self.mock_cluster_get.return_value = cluster(BAY_A, "alpha")

        res = self.client.post(self.url(), {"node_count": 0})
        self.assertFormErrors(res, 1)

        res = self.client.post(self.url(), {"node_count": 3})
        self.assertEqual(
            res.context["form"].errors["node_count"],
            ["The bay already has 3 nodes; enter a different number."],
        )

        self.mock_cluster_scale.assert_not_called()

    @test.create_mocks({magnum: ("cluster_get", "cluster_scale")})
    def test_magnum_error_is_a_message(self):
        self.mock_cluster_get.return_value = cluster(BAY_A, "alpha")
        self.mock_cluster_scale.side_effect = magnum.MagnumError(
            "Magnum refused the change because the bay is busy.", status=409
        )

        res = self.client.post(self.url(), {"node_count": 5})

        self.assertEqual(res.status_code, 200)
        self.assertMessageCount(res, error=1)
        self.assertContains(res, "modal")  # the form again, with its input
        self.mock_cluster_scale.assert_called_once()


class DeleteTests(BaysTestCase):
    def list_two(self):
        self.mock_cluster_list.return_value = (
            [cluster(BAY_A, "alpha"), cluster(BAY_B, "beta")],
            False,
        )
        self.mock_cluster_template_list.return_value = (TEMPLATES, False)
        self.mock_cached_bay_health.return_value = None

    MOCKS = {
        magnum: ("cluster_list", "cluster_template_list", "cluster_delete"),
        mesos: ("cached_bay_health",),
    }

    @test.create_mocks(MOCKS)
    def test_delete_one(self):
        self.list_two()

        res = self.client.post(INDEX_URL, {"action": f"bays__delete__{BAY_A}"})

        self.assertRedirectsNoFollow(res, INDEX_URL)
        self.mock_cluster_delete.assert_called_once_with(test.IsHttpRequest(), BAY_A)

    @test.create_mocks(MOCKS)
    def test_delete_batch(self):
        self.list_two()

        res = self.client.post(
            INDEX_URL, {"action": "bays__delete", "object_ids": [BAY_A, BAY_B]}
        )

        self.assertRedirectsNoFollow(res, INDEX_URL)
        self.assertEqual(
            self.mock_cluster_delete.call_args_list,
            [
                mock.call(test.IsHttpRequest(), BAY_A),
                mock.call(test.IsHttpRequest(), BAY_B),
            ],
        )

    @test.create_mocks(MOCKS)
    def test_magnum_error_is_a_message(self):
        self.list_two()
        self.mock_cluster_delete.side_effect = magnum.MagnumError(
            "Magnum refused this for your role.", status=403
        )

        res = self.client.post(
            INDEX_URL, {"action": f"bays__delete__{BAY_A}"}, follow=True
        )

        self.assertEqual(res.status_code, 200)
        self.assertContains(res, "Magnum refused this for your role.")


class DetailTests(BaysTestCase):
    def url(self, query=""):
        return reverse("horizon:project:dcos_bays:detail", args=[BAY_A]) + query

    def nodes_url(self, page=None):
        query = "?tab=bay_details__nodes"
        if page:
            query += f"&nodes_page={page}"
        return self.url(query)

    def bay_with_secrets(self):
        return cluster(
            BAY_A,
            "alpha",
            status="CREATE_FAILED",
            status_reason="Resource CREATE failed: timeout",
            faults={"kube_masters": "ResourceInError: quota exceeded"},
            labels={
                "aws_secret_access_key": "AKIAVERYSECRETVALUE1234",
                "aws_region": "eu-west-1",
            },
            stack_id="stack-1",
        )

    @test.create_mocks({magnum: ("cluster_get", "cluster_template_get")})
    def test_overview_says_when_the_bay_model_was_deleted(self):
        self.mock_cluster_get.return_value = cluster(BAY_A, "alpha")
        self.mock_cluster_template_get.side_effect = magnum.MagnumError(
            "This bay model no longer exists in Magnum.", status=404
        )

        res = self.client.get(self.url())

        self.assertEqual(res.status_code, 200)
        self.assertContains(res, f"{DCOS_MODEL} (deleted)")
        self.assertNotContains(res, f'<a href="/project/dcos_baymodels/{DCOS_MODEL}')

    @test.create_mocks(
        {
            magnum: ("cluster_get", "cluster_template_get"),
            mesos: ("bay_health", "bays_health", "cached_bay_health"),
        }
    )
    def test_overview_renders_without_mesos(self):
        self.mock_cluster_get.return_value = self.bay_with_secrets()
        self.mock_cluster_template_get.return_value = TEMPLATES[0]
        self.mock_bay_health.side_effect = RuntimeError("Mesos is down")
        self.mock_bays_health.side_effect = RuntimeError("Mesos is down")

        res = self.client.get(self.url())

        self.assertEqual(res.status_code, 200)
        self.assertTemplateUsed(res, "project/dcos_bays/_detail_overview.html")
        self.assertTemplateNotUsed(res, "project/dcos_bays/_detail_nodes.html")
        self.assertContains(res, "Resource CREATE failed: timeout")
        self.assertContains(res, "ResourceInError: quota exceeded")
        self.assertContains(res, "10.0.1.3")
        self.assertContains(res, "stack-1")
        self.assertContains(res, "eu-west-1")
        self.assertContains(res, "AK****")
        self.assertNotContains(res, "AKIAVERYSECRETVALUE1234")
        model_url = reverse("horizon:project:dcos_baymodels:detail", args=[DCOS_MODEL])
        self.assertContains(res, f'<a href="{model_url}">dcos-small</a>')
        # The Nodes tab is there, to be loaded when shown.
        self.assertContains(
            res, 'data-target="#bay_details__nodes" data-loaded="false"'
        )
        self.mock_bay_health.assert_not_called()

    @test.create_mocks(
        {
            magnum: ("cluster_get", "cluster_template_get"),
            mesos: ("bay_health",),
        }
    )
    def test_overview_gives_the_command_lines(self):
        bay = cluster(
            BAY_A,
            "alpha",
            node_count=4,
            labels={"aws_secret_access_key": "AKIAVERYSECRETVALUE1234", "x": "1"},
            labels_overridden={"aws_secret_access_key": "AKIAVERYSECRETVALUE1234"},
            labels_added={},
        )
        self.mock_cluster_get.return_value = bay
        self.mock_cluster_template_get.return_value = TEMPLATES[0]

        res = self.client.get(self.url())

        self.assertEqual(res.status_code, 200)
        lines = dict(
            res.context["tab_group"]
            .get_tab("overview")
            .get_context_data(res.wsgi_request)["commands"]
        )
        create = shlex.split(str(lines["Create this bay again"]))
        self.assertEqual(create[:4], ["openstack", "coe", "cluster", "create"])
        self.assertEqual(create[-1], "alpha")
        self.assertIn("--merge-labels", create)
        self.assertIn(f"aws_secret_access_key={commands.SECRET_PLACEHOLDER}", create)
        self.assertNotIn("x=1", create)  # the model's label, not the bay's own
        self.assertEqual(
            shlex.split(lines["Scale this bay"]),
            ["openstack", "coe", "cluster", "update", "--node-count", "4", BAY_A],
        )
        setup = shlex.split(lines["Set up the DC/OS CLI"])
        self.assertEqual(setup[:3], ["dcos", "cluster", "setup"])
        self.assertTrue(setup[3].startswith("http://10.0.0.5"))
        self.assertNotContains(res, "AKIAVERYSECRETVALUE1234")
        self.assertContains(res, 'data-dcos-copy="dcos-command-1"')
        self.mock_bay_health.assert_not_called()

    @test.create_mocks(
        {magnum: ("cluster_get", "cluster_template_get"), mesos: ("bay_health",)}
    )
    def test_components_tab_lists_unhealthy_first_with_help_text(self):
        self.mock_cluster_get.return_value = cluster(BAY_A, "alpha")
        self.mock_cluster_template_get.return_value = TEMPLATES[0]
        units = {
            "units": [
                {
                    "id": "dcos-marathon.service",
                    "name": "Marathon",
                    "health": 0,
                    "description": "Container orchestration engine",
                },
                {
                    "id": "dcos-mesos-dns.service",
                    "name": "<b>Mesos DNS</b>",
                    "health": 1,
                    "description": "DNS-based service discovery",
                },
            ]
        }
        self.mock_bay_health.return_value = health.summarize(
            {"hostname": "10.0.0.5", "slaves": [agent(1)], "frameworks": []},
            {"master/elected": 1},
            None,
            units,
        )

        res = self.client.get(self.url("?tab=bay_details__components"), **AJAX)

        self.assertEqual(res.status_code, 200)
        self.assertTemplateUsed(res, "project/dcos_bays/_detail_components.html")
        body = res.content.decode()
        self.assertIn("1 of 2 components healthy.", body)
        self.assertLess(body.index("Mesos DNS"), body.index("Marathon"))
        self.assertIn("&lt;b&gt;Mesos DNS&lt;/b&gt;", body)
        # Components are in the small overview: a big bay's nodes never read.
        self.assertEqual(self.mock_bay_health.call_args.kwargs, {"nodes": False})
        self.assertNotIn("<b>Mesos DNS</b>", body)
        self.assertIn("DNS-based service discovery", body)
        self.assertIn('class="dcos-component-unhealthy"', body)

        # The bay page names the component in its verdict.
        answer = self.mock_bay_health.return_value
        self.assertEqual(answer.overall, health.UNHEALTHY)
        self.assertIn("<b>Mesos DNS</b> is unhealthy", answer.reason)

    @test.create_mocks({magnum: ("cluster_get", "cluster_template_get")})
    def test_components_tab_only_for_dcos_bays(self):
        self.mock_cluster_get.return_value = cluster(
            BAY_B, "beta", template_id=MESOS_MODEL
        )
        self.mock_cluster_template_get.return_value = TEMPLATES[1]

        res = self.client.get(reverse("horizon:project:dcos_bays:detail", args=[BAY_B]))

        self.assertEqual(res.status_code, 200)
        self.assertNotContains(res, "bay_details__components")

    @test.create_mocks(
        {magnum: ("cluster_get", "cluster_template_get"), mesos: ("bay_health",)}
    )
    def test_nodes_tab_healthy_three_agents(self):
        self.mock_cluster_get.return_value = cluster(BAY_A, "alpha")
        self.mock_cluster_template_get.return_value = TEMPLATES[0]
        self.mock_bay_health.return_value = summarized(
            [agent(1, used_cpus=1.0), agent(2, used_cpus=2.0), agent(3, used_cpus=3.0)]
        )

        res = self.client.get(self.nodes_url(), **AJAX)

        self.assertEqual(res.status_code, 200)
        self.assertTemplateUsed(res, "project/dcos_bays/_detail_nodes.html")
        self.assertContains(res, 'class="dcos-health dcos-health-healthy"')
        self.assertContains(res, "All 3 agents healthy")
        self.assertContains(res, "10.0.0.5")  # leader
        self.assertContains(res, "1.7.0")
        # Bay CPU: 6 of 12 used -> 50%; per node 25%, 50%, 75%.
        self.assertContains(res, "6 of 12")
        self.assertContains(res, 'style="width: 50%;"')
        for percent in (25, 50, 75):
            self.assertContains(res, f'aria-valuenow="{percent}"')
        for i in (1, 2, 3):
            self.assertContains(
                res,
                f'<a href="http://10.0.0.5/#/nodes/agent-{i}" target="_blank" '
                f'rel="noopener noreferrer">agent{i}.bay</a>',
            )
        self.assertContains(res, 'href="http://10.0.0.5/service/marathon/"')
        self.assertContains(res, 'href="http://10.0.0.5/mesos/"')
        self.assertNotContains(res, "<iframe")
        self.assertNotContains(res, ">GPU<")  # no GPUs in this bay
        self.assertContains(res, 'data-sorter="dcosUsage"', 3)
        nodes = res.context["nodes_table"].data
        self.assertEqual(
            [n.hostname for n in nodes], ["agent1.bay", "agent2.bay", "agent3.bay"]
        )

    @test.create_mocks(
        {magnum: ("cluster_get", "cluster_template_get"), mesos: ("bay_health",)}
    )
    def test_nodes_tab_escapes_hostnames_from_mesos(self):
        self.mock_cluster_get.return_value = cluster(BAY_A, "alpha")
        self.mock_cluster_template_get.return_value = TEMPLATES[0]
        self.mock_bay_health.return_value = summarized(
            [agent(1, hostname="<script>alert(1)</script>")]
        )

        res = self.client.get(self.nodes_url(), **AJAX)

        self.assertNotContains(res, "<script>alert")
        self.assertContains(res, "&lt;script&gt;alert(1)&lt;/script&gt;")

    @test.create_mocks(
        {magnum: ("cluster_get", "cluster_template_get"), mesos: ("bay_health",)}
    )
    def test_nodes_rows_are_horizons_markup_without_its_templates(self):
        self.mock_cluster_get.return_value = cluster(BAY_A, "alpha")
        self.mock_cluster_template_get.return_value = TEMPLATES[0]
        hostile = agent(1, hostname='<img src=x onerror="alert(1)">', gpus=1.0)
        hostile["id"] = 'a"1<'
        hostile["domain"] = {
            "fault_domain": {"region": {"name": "r&1"}, "zone": {"name": "<z>"}}
        }
        self.mock_bay_health.return_value = summarized(
            [hostile, agent(2, active=False, used_cpus=3.9)]
        )

        def rows(row_class):
            with mock.patch.object(
                bays_tables.NodesTable._meta, "row_class", row_class
            ):
                res = self.client.get(self.nodes_url(), **AJAX)
            html = res.content.decode()
            html = html[html.index('<table id="nodes"') :]
            body = html[html.index("<tbody>") : html.index("</tbody>")]
            # Horizon's template indents values and orders a cell's classes
            # by a set: neither is markup a browser or a test can tell apart.
            body = re.sub(r">\s+", ">", re.sub(r"\s+<", "<", body))
            return re.sub(
                r'class="([^"]*)"',
                lambda m: f'class="{" ".join(sorted(m.group(1).split()))}"',
                body,
            )

        # Both renders must read one clock: the Registered cell carries its
        # age in seconds, which a second boundary between them would change.
        frozen = timezone.now()
        with mock.patch("django.utils.timezone.now", return_value=frozen):
            plain = rows(bays_tables.PlainRow)
            self.assertEqual(plain, rows(horizon_tables.Row))
        self.assertEqual(plain.count("<tr"), 2)
        self.assertNotIn("<img", plain)
        self.assertIn("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;", plain)
        self.assertIn("&lt;z&gt;", plain)
        self.assertIn('aria-valuenow="98"', plain)

    @test.create_mocks({magnum: ("cluster_get", "cluster_template_get")})
    def test_a_page_shown_again_is_read_back_as_first_made(self):
        self.mock_cluster_get.return_value = cluster(BAY_A, "alpha")
        self.mock_cluster_template_get.return_value = TEMPLATES[0]
        agents = [
            agent(i, hostname=f"a{i:04d}", used_cpus=float(i % 4), active=i % 7 != 0)
            for i in range(1, 251)
        ]
        first, second = summarized(agents), summarized(agents[:120])
        queries = ("", "&nodes_sort=cpus&nodes_dir=desc&nodes_page=2", "&nodes_q=a01")

        def shown(query):
            res = self.client.get(self.nodes_url() + query, **AJAX)
            html = res.content.decode()
            rows = [
                (r.hostname, r.state_class) for r in res.context["nodes_table"].data
            ]
            # Ages are told at each render: the one thing meant to differ.
            html = re.sub(r'data-seconds="\d+"', "", html)
            return rows, html[html.index('<table id="nodes"') :]

        with (
            mock.patch.object(mesos_cache, "fetch", return_value=first) as fetch,
            mock.patch.object(
                bays_tabs.mesos, "bay_health", wraps=mesos.bay_health
            ) as full,
        ):
            made = {q: shown(q) for q in queries}  # fetched, then read with nodes
            self.assertEqual(full.call_count, len(queries))
            for q in queries:
                self.assertEqual(shown(q), made[q])
            # Made once more only from the fetch's own answer: what derives
            # from an answer is shared once it was read back from the cache.
            self.assertEqual(full.call_count, len(queries) + 1)
            for q in queries:
                self.assertEqual(shown(q), made[q])
            # Read back from the shared cache: no answer with nodes was read.
            self.assertEqual(full.call_count, len(queries) + 1)
            self.assertEqual(fetch.call_count, 1)
            self.assertEqual(len(made[queries[1]][0]), 100)

            # Another worker's fetch replaced the answer: its pages, never
            # the old ones.
            target = full.call_args.args[0]
            mesos_cache._store(target, second)
            for q in queries:
                rows, html = shown(q)
                self.assertNotEqual((rows, html), made[q])
                self.assertIn("(120 in the bay)", html)
            self.assertEqual(fetch.call_count, 1)

    @test.create_mocks(
        {magnum: ("cluster_get", "cluster_template_get"), mesos: ("bay_health",)}
    )
    def test_nodes_tab_master_down_says_why_with_retry(self):
        self.mock_cluster_get.return_value = cluster(BAY_A, "alpha")
        self.mock_cluster_template_get.return_value = TEMPLATES[0]
        self.mock_bay_health.return_value = MASTER_DOWN

        res = self.client.get(self.nodes_url(), **AJAX)

        self.assertEqual(res.status_code, 200)
        self.assertContains(res, 'class="dcos-health dcos-health-unreachable"')
        self.assertContains(res, "Connection refused")
        self.assertContains(
            res,
            'href="?tab=bay_details__nodes&amp;nodes_page=1" '
            "data-dcos-tab-reload>Retry",
        )
        self.assertEqual(res.context["nodes_table"].data, [])

    @test.create_mocks(
        {magnum: ("cluster_get", "cluster_template_get"), mesos: ("bay_health",)}
    )
    def test_nodes_tab_auth_required(self):
        self.mock_cluster_get.return_value = cluster(BAY_A, "alpha")
        self.mock_cluster_template_get.return_value = TEMPLATES[0]
        self.mock_bay_health.return_value = AUTH_REQUIRED

        res = self.client.get(self.nodes_url(), **AJAX)

        html = res.content.decode()
        box = html[html.index("dcos-auth-required") :]
        box = box[: box.index("</div>")]
        # Said once in the box, the settings named once.
        self.assertEqual(box.count("DC/OS authentication required"), 1, box)
        self.assertEqual(box.count("DCOS_ACS_UID and DCOS_ACS_PASSWORD"), 1, box)
        self.assertContains(res, "data-dcos-tab-reload>Retry")

    @test.create_mocks(
        {magnum: ("cluster_get", "cluster_template_get"), mesos: ("bay_health",)}
    )
    def test_nodes_tab_renders_one_page_worst_first(self):
        self.mock_cluster_get.return_value = cluster(BAY_A, "alpha")
        self.mock_cluster_template_get.return_value = TEMPLATES[0]
        agents = [agent(i, hostname=f"a{i:04d}") for i in range(1, 251)]
        agents[200]["active"] = False  # a0201 lost its connection
        self.mock_bay_health.return_value = summarized(agents)
        page = bays_tabs.NODES_PAGE_SIZE

        res = self.client.get(self.nodes_url(), **AJAX)

        nodes = res.context["nodes_table"].data
        self.assertEqual(len(nodes), page)
        self.assertEqual(nodes[0].hostname, "a0201")
        self.assertEqual(nodes[1].hostname, "a0001")
        self.assertContains(res, f"Agents 1–{page} of 250")
        self.assertContains(res, 'href="?tab=bay_details__nodes&amp;nodes_page=2"')

        res = self.client.get(self.nodes_url(page=3), **AJAX)

        nodes = res.context["nodes_table"].data
        self.assertEqual(len(nodes), 50)
        self.assertEqual(nodes[-1].hostname, "a0250")
        self.assertContains(res, "Agents 201–250 of 250")
        self.assertNotContains(res, "nodes_page=4")

    @test.create_mocks(
        {magnum: ("cluster_get", "cluster_template_get"), mesos: ("bay_health",)}
    )
    def test_nodes_tab_filters_searches_and_sorts_from_the_url(self):
        self.mock_cluster_get.return_value = cluster(BAY_A, "alpha")
        self.mock_cluster_template_get.return_value = TEMPLATES[0]
        agents = [
            agent(i, hostname=f"a{i:04d}", used_cpus=float(i % 4))
            for i in range(1, 251)
        ]
        for i in range(0, 250, 2):
            agents[i]["active"] = False  # 125 lost their connection
        self.mock_bay_health.return_value = summarized(agents)

        res = self.client.get(
            self.nodes_url() + "&nodes_state=disconnected&nodes_sort=cpus"
            "&nodes_dir=desc&nodes_q=a01",
            **AJAX,
        )

        rows = res.context["nodes_table"].data
        # a0100-a0199 and a0010-a0019, disconnected ones only (odd numbers)
        expected = [f"a{i:04d}" for i in range(1, 251) if "a01" in f"a{i:04d}"]
        expected = [h for h in expected if int(h[1:]) % 2 == 1]
        self.assertEqual(sorted(r.hostname for r in rows), sorted(expected)[:100])
        self.assertTrue(all(r.state_class == "disconnected" for r in rows))
        cpus = [r.node.cpus_used for r in rows]
        self.assertEqual(cpus, sorted(cpus, reverse=True))
        self.assertContains(res, f"of {len(expected)} matching (250 in the bay)")
        # the form shows what was asked; the pager and Clear keep or drop it
        self.assertContains(res, '<option value="disconnected" selected>')
        self.assertContains(res, 'name="nodes_q" value="a01"')
        self.assertContains(res, "Clear filters")

        res = self.client.get(self.nodes_url() + "&nodes_q=zzz", **AJAX)
        self.assertEqual(res.context["nodes_table"].data, [])
        self.assertContains(res, "No agent matches these filters (250 in the bay).")

        res = self.client.get(self.nodes_url() + "&nodes_state=disconnected", **AJAX)
        self.assertContains(
            res,
            'href="?tab=bay_details__nodes&amp;nodes_state=disconnected'
            '&amp;nodes_page=2"',
        )

    @test.create_mocks(
        {magnum: ("cluster_get", "cluster_template_get"), mesos: ("bay_health",)}
    )
    def test_nodes_tab_hostile_filter_values_are_dropped(self):
        self.mock_cluster_get.return_value = cluster(BAY_A, "alpha")
        self.mock_cluster_template_get.return_value = TEMPLATES[0]
        self.mock_bay_health.return_value = summarized([agent(1), agent(2)])

        res = self.client.get(
            self.nodes_url() + "&nodes_state=%3Cscript%3E&nodes_sort=__class__"
            "&nodes_page=-1&nodes_q=%22%3E%3Cscript%3Ealert(1)%3C/script%3E",
            **AJAX,
        )

        self.assertEqual(res.status_code, 200)
        self.assertNotContains(res, "<script>alert(1)")
        self.assertContains(res, "&quot;&gt;&lt;script&gt;alert(1)")
        self.assertEqual(res.context["nodes_table"].data, [])

    @test.create_mocks(
        {magnum: ("cluster_get", "cluster_template_get"), mesos: ("bay_health",)}
    )
    def test_nodes_tab_shows_gpus_only_when_the_bay_has_some(self):
        self.mock_cluster_get.return_value = cluster(BAY_A, "alpha")
        self.mock_cluster_template_get.return_value = TEMPLATES[0]
        self.mock_bay_health.return_value = summarized([agent(1, gpus=2.0)])

        res = self.client.get(self.nodes_url(), **AJAX)

        self.assertIn("gpus", res.context["nodes_table"].columns)
        self.assertContains(res, "0 of 2")

    @test.create_mocks({magnum: ("cluster_get",)})
    def test_missing_bay_redirects_with_message(self):
        self.mock_cluster_get.side_effect = not_found()

        res = self.client.get(self.url())

        self.assertRedirectsNoFollow(res, INDEX_URL)
        self.assertMessageCount(error=1)

    @test.create_mocks(
        {
            magnum: ("cluster_get", "cluster_list", "cluster_template_list"),
            mesos: ("cached_bay_health",),
        }
    )
    def test_magnum_down_is_said_once_after_the_redirect(self):
        """Issue 19, defect 8: the detail page said it, sent the user to the
        index, and the index, failing the same way, said it again."""
        sentence = "Magnum is unavailable (HTTP 503): Keystone is down."
        self.mock_cluster_get.side_effect = magnum.MagnumError(sentence, status=503)
        self.mock_cluster_list.side_effect = magnum.MagnumError(sentence, status=503)

        res = self.client.get(self.url(), follow=True)

        self.assertEqual(res.redirect_chain, [(INDEX_URL, 302)])
        self.assertEqual([str(m.message) for m in res.context["messages"]], [sentence])


@override_settings(POLICY_CHECK_FUNCTION="openstack_auth.policy.check")
class PolicyTests(BaysTestCase):
    def setUp(self):
        super().setUp()
        self._setup_user(roles=[{"id": "3", "name": "reader"}])

    @test.create_mocks(
        {
            magnum: ("cluster_list", "cluster_template_list", "cluster_delete"),
            mesos: ("cached_bay_health",),
        }
    )
    def test_reader_sees_no_changes_and_crafted_posts_are_refused(self):
        self.mock_cluster_list.return_value = ([cluster(BAY_A, "alpha")], False)
        self.mock_cluster_template_list.return_value = (TEMPLATES, False)
        self.mock_cached_bay_health.return_value = None

        res = self.client.get(INDEX_URL)

        self.assertEqual(res.status_code, 200)
        self.assertEqual([r.name for r in self.rows(res)], ["alpha"])
        self.assertNotContains(res, CREATE_URL)
        self.assertNotContains(res, "Delete Bay")
        self.assertNotContains(
            res, reverse("horizon:project:dcos_bays:scale", args=[BAY_A])
        )

        res = self.client.post(INDEX_URL, {"action": f"bays__delete__{BAY_A}"})
        self.assertMessageCount(error=1)
        self.mock_cluster_delete.assert_not_called()

    @test.create_mocks({magnum: ("cluster_create", "cluster_scale", "cluster_get")})
    def test_reader_cannot_reach_create_or_scale(self):
        scale = reverse("horizon:project:dcos_bays:scale", args=[BAY_A])

        self.assertEqual(self.client.get(CREATE_URL).status_code, 403)
        self.assertEqual(self.client.post(CREATE_URL, wizard_data()).status_code, 403)
        self.assertEqual(self.client.get(scale).status_code, 403)
        self.assertEqual(self.client.post(scale, {"node_count": 5}).status_code, 403)
        self.mock_cluster_create.assert_not_called()
        self.mock_cluster_scale.assert_not_called()

    def test_member_may_create(self):
        self._setup_user()  # member + reader, Horizon's default test user
        with (
            mock.patch.object(
                magnum, "cluster_template_list", return_value=([], False)
            ),
            mock.patch.object(api.nova, "keypair_list", return_value=[]),
            mock.patch.object(api.nova, "flavor_list", return_value=[]),
        ):
            self.assertEqual(self.client.get(CREATE_URL).status_code, 200)
