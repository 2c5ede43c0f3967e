"""Issue 19's load figure: what one Bays index costs besides Magnum's answers.

Every page of 20 users goes through these paths, so a round trip to the
shared cache for each row, where one for the page says the same, is a cost
that shows under load (docs/performance.md, figure 6).
"""

from unittest import mock

from django.test.utils import override_settings
from django.urls import reverse
from openstack_dashboard.test import helpers as test

from dcos_dashboard.api import magnum, mesos
from dcos_dashboard.api.mesos import shared
from tests.panels.test_bays import (
    AJAX,
    BAY_A,
    BAY_B,
    BAY_C,
    DCOS_MODEL,
    HEALTHY,
    INDEX_URL,
    MESOS_MODEL,
    ROOMY_CACHE,
    TEMPLATES,
    BaysTestCase,
    cluster,
)

BAY_D = "b0000000-0000-4000-8000-00000000000d"
COE_KEY = "dcos_dashboard:template-coe:"


class IndexCost(BaysTestCase):
    def coe_adds(self, spy):
        return sorted(
            call.args[0]
            for call in spy.call_args_list
            if call.args[0].startswith(COE_KEY)
        )

    @test.create_mocks(
        {
            magnum: ("cluster_list", "cluster_template_list", "cluster_get")
            + ("cluster_template_get",),
            mesos: ("bay_health", "cached_bay_health"),
        }
    )
    @override_settings(CACHES={"default": ROOMY_CACHE})
    def test_the_index_tells_each_bay_models_coe_once_not_once_a_row(self):
        self.mock_cluster_list.return_value = (
            [
                cluster(BAY_A, "alpha"),
                cluster(BAY_B, "beta"),
                cluster(BAY_C, "gamma"),
                cluster(BAY_D, "delta", template_id=MESOS_MODEL),
            ],
            False,
        )
        self.mock_cluster_template_list.return_value = (TEMPLATES, False)
        self.mock_cached_bay_health.return_value = None

        with mock.patch.object(shared, "add", wraps=shared.add) as spy:
            res = self.client.get(INDEX_URL)

        self.assertEqual(res.status_code, 200)
        self.assertEqual(
            self.coe_adds(spy), [COE_KEY + DCOS_MODEL, COE_KEY + MESOS_MODEL]
        )
        # What was told is what the badges trust: no template read for any.
        self.mock_bay_health.return_value = HEALTHY
        for uuid, name, model in (
            (BAY_B, "beta", DCOS_MODEL),
            (BAY_D, "delta", MESOS_MODEL),
        ):
            self.mock_cluster_get.return_value = cluster(uuid, name, template_id=model)
            answer = self.client.get(
                reverse("horizon:project:dcos_bays:health", args=[uuid]), **AJAX
            )
            self.assertContains(answer, "dcos-health-healthy")
        self.mock_cluster_template_get.assert_not_called()

    @test.create_mocks(
        {
            magnum: ("cluster_list", "cluster_template_list"),
            mesos: ("bay_health", "cached_bay_health"),
        }
    )
    def test_bays_whose_health_is_cached_tell_nothing(self):
        self.mock_cluster_list.return_value = (
            [cluster(BAY_A, "alpha"), cluster(BAY_B, "beta")],
            False,
        )
        self.mock_cluster_template_list.return_value = (TEMPLATES, False)
        self.mock_cached_bay_health.return_value = HEALTHY

        with mock.patch.object(shared, "add", wraps=shared.add) as spy:
            res = self.client.get(INDEX_URL)

        self.assertContains(res, "dcos-health-healthy")
        self.assertEqual(self.coe_adds(spy), [])


ASKED = []


def counting_check(actions, request, target=None):
    """openstack_auth's policy check, noting what it was asked."""
    from openstack_auth import policy

    ASKED.append(tuple(tuple(a) for a in actions))
    return policy.check(actions, request, target)


@override_settings(POLICY_CHECK_FUNCTION=f"{__name__}.counting_check")
class PolicyOnceAPage(BaysTestCase):
    @test.create_mocks(
        {
            magnum: ("cluster_list", "cluster_template_list"),
            mesos: ("cached_bay_health",),
        }
    )
    def test_each_row_actions_rule_is_asked_once_a_page_not_once_a_row(self):
        self.mock_cluster_list.return_value = (
            [cluster(BAY_A, "alpha"), cluster(BAY_B, "beta"), cluster(BAY_C, "gamma")],
            False,
        )
        self.mock_cluster_template_list.return_value = (TEMPLATES, False)
        self.mock_cached_bay_health.return_value = None
        ASKED.clear()

        res = self.client.get(INDEX_URL)

        # Granted (member): every row still shows its actions.
        for uuid in (BAY_A, BAY_B, BAY_C):
            self.assertContains(
                res, reverse("horizon:project:dcos_bays:scale", args=[uuid])
            )
        # The table's and rows' actions; the panel's own get_all is Horizon's.
        actions = ("cluster:create", "cluster:delete", "cluster:update")
        asked = [r for r in ASKED if r[0][1] in actions]
        self.assertEqual(sorted(r[0][1] for r in asked), sorted(actions), asked)
