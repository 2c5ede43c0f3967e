"""A DC/OS component's page (issue 16, scope 2): its nodes, asked on demand.

Magnum and the Mesos client are mocked at the api layer: what is asked,
and with what, is what these tests check.
"""

from django.test.utils import override_settings
from django.urls import reverse
from openstack_dashboard.test import helpers as test

from dcos_dashboard import health
from dcos_dashboard.api import magnum, mesos
from dcos_dashboard.panels.bays import views as bays_views
from tests.panels.test_bays import (
    AJAX,
    BAY_A,
    BAY_B,
    INDEX_URL,
    MASTER_DOWN,
    MESOS_MODEL,
    TEMPLATES,
    BaysTestCase,
    agent,
    cluster,
    not_found,
)

DNS = "dcos-mesos-dns.service"
UNITS = {
    "units": [
        {
            "id": "dcos-marathon.service",
            "name": "Marathon",
            "health": 0,
            "description": "Container orchestration engine",
        },
        {
            "id": DNS,
            "name": "Mesos DNS",
            "health": 1,
            "description": "DNS-based service discovery",
        },
    ]
}


def overview(units=UNITS):
    return health.summarize(
        {"hostname": "10.0.0.5", "slaves": [agent(1)], "frameworks": []},
        {"master/elected": 1},
        None,
        units,
    )


def nodes(*entries):
    return mesos.UnitNodes(health.unit_nodes({"nodes": list(entries)}))


def page(unit_id=DNS, bay_id=BAY_A):
    return reverse("horizon:project:dcos_bays:component", args=[bay_id, unit_id])


MOCKS = {
    magnum: ("cluster_get", "cluster_template_get"),
    mesos: ("bay_health", "unit_nodes"),
}


class ComponentTests(BaysTestCase):
    def given(self, bay=None, answer=None, units=UNITS):
        self.mock_cluster_get.return_value = bay or cluster(BAY_A, "alpha")
        self.mock_cluster_template_get.return_value = TEMPLATES[0]
        self.mock_bay_health.return_value = overview(units)
        self.mock_unit_nodes.return_value = answer or nodes(
            {"host_ip": "10.0.1.1", "health": 0, "role": "agent"},
            {"host_ip": "10.0.0.5", "health": 1, "role": "master"},
            {"host_ip": "10.0.2.1", "health": 0, "role": "agent_public"},
        )

    @test.create_mocks(MOCKS)
    def test_lists_the_units_nodes_unhealthy_first_with_a_link_back(self):
        self.given()

        res = self.client.get(page())

        self.assertEqual(res.status_code, 200)
        self.assertTemplateUsed(res, "project/dcos_bays/component.html")
        (target, unit_id), _kw = self.mock_unit_nodes.call_args
        self.assertEqual((target.uuid, target.coe, unit_id), (BAY_A, "dcos", DNS))
        self.mock_unit_nodes.assert_called_once()
        # The listing comes from the bay's small cached overview.
        self.assertEqual(self.mock_bay_health.call_args.kwargs, {"nodes": False})
        body = res.content.decode()
        self.assertIn("<h1>Mesos DNS</h1>", body)
        self.assertIn("1 of 3 nodes unhealthy.", body)
        table = body[body.index('id="component_nodes"') :]
        self.assertLess(table.index("10.0.0.5"), table.index("10.0.1.1"))
        self.assertIn("Master", table)
        self.assertIn("Public agent", table)
        self.assertIn('class="dcos-component-unhealthy"', table)
        back = reverse("horizon:project:dcos_bays:detail", args=[BAY_A])
        self.assertIn(f'href="{back}?tab=bay_details__components"', body)

    @test.create_mocks(MOCKS)
    def test_a_unit_on_thousands_of_nodes_shows_the_first_unhealthy_first(self):
        shown = bays_views.COMPONENT_NODES_SHOWN
        many = [
            {"host_ip": f"10.1.{i // 250}.{i % 250}", "health": 0, "role": "agent"}
            for i in range(shown + 7)
        ]
        many.append({"host_ip": "10.9.9.9", "health": 1, "role": "agent"})
        self.given(answer=nodes(*many))

        res = self.client.get(page())

        body = res.content.decode()
        start = body.index('id="component_nodes"')
        table = body[start : body.index("</table>", start)]
        self.assertEqual(table.count('<tr class="dcos-component-'), shown)
        self.assertLess(table.index("10.9.9.9"), table.index("10.1.0.0"))
        self.assertIn(f"1 of {shown + 8} nodes unhealthy.", body)
        self.assertIn(
            f"The first {shown} nodes are shown, the unhealthy ones first;"
            " 8 more nodes run this component.",
            body,
        )

    @test.create_mocks(MOCKS)
    def test_help_and_output_are_shown_and_hostile_values_escaped(self):
        units = {
            "units": [
                {"id": DNS, "name": "<b>DNS</b>", "health": 1, "description": "<i>"}
            ]
        }
        self.given(
            units=units,
            answer=nodes(
                {
                    "host_ip": "<script>alert(1)</script>",
                    "health": 1,
                    "role": "<img src=x onerror=alert(2)>",
                    "output": "</pre><script>alert(3)</script>",
                    "help": "Try `journalctl -xv` <a href=//evil>here</a>",
                }
            ),
        )

        res = self.client.get(page())

        body = res.content.decode()
        self.assertEqual(res.status_code, 200)
        for raw in ("<script>alert", "<img src=x", "<b>DNS</b>", "<a href=//evil>"):
            self.assertNotIn(raw, body)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", body)
        self.assertIn("&lt;img src=x onerror=alert(2)&gt;", body)
        self.assertIn("&lt;/pre&gt;&lt;script&gt;alert(3)", body)
        self.assertIn("Try `journalctl -xv` &lt;a href=//evil&gt;", body)
        self.assertIn("<h1>&lt;b&gt;DNS&lt;/b&gt;</h1>", body)

    @test.create_mocks(MOCKS)
    def test_ids_that_are_not_unit_names_are_never_asked(self):
        self.given()
        for unit_id in (
            "dcos-mesos-dns",
            ".hidden.service",
            "-x.service",
            "dcos mesos.service",
            "dcos;id.service",
            "dcos%00.service",
            "x" * 202 + ".service",  # one past the longest unit name
            "dcos-mesos-dns.service.exe",
            "..",
        ):
            url = f"/project/dcos_bays/{BAY_A}/components/{unit_id}/"
            res = self.client.get(url)
            self.assertEqual(res.status_code, 404, unit_id)
        for url in (
            f"/project/dcos_bays/{BAY_A}/components/a%2F..%2Fb.service/",
            f"/project/dcos_bays/{BAY_A}/components/a/b.service/",
        ):
            self.assertEqual(self.client.get(url).status_code, 404, url)
        self.mock_cluster_get.assert_not_called()
        self.mock_bay_health.assert_not_called()
        self.mock_unit_nodes.assert_not_called()

    @test.create_mocks(MOCKS)
    def test_a_unit_the_bay_does_not_list_is_not_found_and_not_asked(self):
        self.given()

        res = self.client.get(page("dcos-elsewhere.service"))

        self.assertEqual(res.status_code, 404)
        self.mock_unit_nodes.assert_not_called()

    @test.create_mocks(MOCKS)
    def test_a_plain_mesos_bay_has_no_components(self):
        self.given(bay=cluster(BAY_B, "beta", template_id=MESOS_MODEL))
        self.mock_cluster_template_get.return_value = TEMPLATES[1]

        res = self.client.get(page(bay_id=BAY_B))

        self.assertEqual(res.status_code, 404)
        self.mock_bay_health.assert_not_called()
        self.mock_unit_nodes.assert_not_called()

    @test.create_mocks(MOCKS)
    def test_a_bay_magnum_does_not_show_this_project_is_not_found(self):
        self.mock_cluster_get.side_effect = not_found()

        res = self.client.get(page())

        self.assertRedirectsNoFollow(res, INDEX_URL)
        self.assertMessageCount(error=1)
        self.mock_bay_health.assert_not_called()
        self.mock_unit_nodes.assert_not_called()

    @test.create_mocks(MOCKS)
    def test_an_unreachable_bay_says_why_without_asking_the_unit(self):
        self.given()
        self.mock_bay_health.return_value = MASTER_DOWN

        res = self.client.get(page())

        self.assertEqual(res.status_code, 200)
        self.assertContains(res, "Connection refused")
        self.assertContains(res, "dcos-master-failed")
        self.mock_unit_nodes.assert_not_called()

    @test.create_mocks(MOCKS)
    def test_a_failed_unit_read_shows_the_clients_sentence(self):
        reason = "http://10.0.0.5/system/health/v1/units/x/nodes answered HTTP 500"
        self.given(answer=mesos.UnitNodes(reason=reason))

        res = self.client.get(page())

        self.assertEqual(res.status_code, 200)
        self.assertContains(res, reason)
        self.assertContains(res, "Mesos DNS")
        self.assertNotContains(res, 'id="component_nodes"')

    @test.create_mocks(MOCKS)
    def test_units_not_reported_say_so(self):
        self.given(units=None)

        res = self.client.get(page())

        self.assertEqual(res.status_code, 200)
        self.assertContains(res, "DC/OS did not report its components")
        self.mock_unit_nodes.assert_not_called()

    @test.create_mocks(MOCKS)
    def test_the_components_tab_links_each_listed_unit_and_asks_no_nodes(self):
        units = {
            "units": [
                *UNITS["units"],
                {"id": "../../x", "name": "Odd", "health": 0, "description": ""},
            ]
        }
        self.given(units=units)
        url = reverse("horizon:project:dcos_bays:detail", args=[BAY_A])

        res = self.client.get(url + "?tab=bay_details__components", **AJAX)

        self.assertEqual(res.status_code, 200)
        self.assertContains(res, f'<a href="{page()}" class="dcos-component-link">')
        self.assertContains(res, f'href="{page("dcos-marathon.service")}"')
        # An id DC/OS should never give is shown, never linked.
        self.assertContains(res, "<td>Odd</td>", html=False)
        self.assertContains(res, "dcos-component-link", count=2)
        self.mock_unit_nodes.assert_not_called()


@override_settings(POLICY_CHECK_FUNCTION="openstack_auth.policy.check")
class ComponentPolicyTests(BaysTestCase):
    @test.create_mocks(MOCKS)
    def test_without_cluster_get_nothing_is_asked(self):
        self._setup_user(roles=[])

        res = self.client.get(page())

        self.assertEqual(res.status_code, 403)
        self.mock_cluster_get.assert_not_called()
        self.mock_bay_health.assert_not_called()
        self.mock_unit_nodes.assert_not_called()

    @test.create_mocks(MOCKS)
    def test_a_reader_may_look(self):
        self._setup_user(roles=[{"id": "3", "name": "reader"}])
        ComponentTests.given(self)

        self.assertEqual(self.client.get(page()).status_code, 200)
        self.mock_unit_nodes.assert_called_once()
