"""Plugin pages when Keystone cannot be reached (issue 19: they were 500s).

Horizon 27's Application Credentials panel asks Keystone for its version
while the menu renders and lets the connection error through: on a plugin
page the panel is left out of the menu. Nova, unable to check the token,
answers 503, which Horizon takes for "unauthorized" (its 403 page, whose
menu failed the same way): the wizards say the read failed instead.
"""

from unittest import mock

from django.urls import reverse
from keystoneauth1 import exceptions as ksa_exceptions
from openstack import exceptions as sdk_exceptions
from openstack_dashboard import api
from openstack_dashboard.api import keystone
from openstack_dashboard.dashboards.identity.application_credentials import (
    panel as app_credentials,
)
from openstack_dashboard.test import helpers as test

from dcos_dashboard.api import magnum
from tests.panels.test_bays import BaysTestCase
from tests.panels.test_hung_services import assert_said

INDEX_URL = reverse("horizon:project:dcos_bays:index")
CREATE_URL = reverse("horizon:project:dcos_bays:create")
PANEL_URL = reverse("horizon:identity:application_credentials:index")

NOVA_503 = sdk_exceptions.HttpException(
    "503: Server Error for url: http://nova:8774/v2.1/flavors/detail, The server"
    " is currently unavailable.",
    http_status=503,
)
NOVA_401 = sdk_exceptions.HttpException("401: Unauthorized", http_status=401)
KEYSTONE_DOWN = ksa_exceptions.DiscoveryFailure(
    "Unable to find a version discovery document at http://keystone:5000/v3"
)


class NavigationTests(BaysTestCase):
    def setUp(self):
        super().setUp()
        # Horizon's TestCase mocks this panel's can_access away on every
        # page (TEST_GLOBAL_MOCKS_ON_PANELS): these tests need the real one.
        self.patchers["application_credentials"].stop()

    @test.create_mocks({magnum: ("cluster_list", "cluster_template_list")})
    def _index(self, version):
        self.mock_cluster_list.return_value = ([], False)
        self.mock_cluster_template_list.return_value = ([], False)
        with mock.patch.object(
            keystone, "get_identity_api_version", **version
        ) as asked:
            res = self.client.get(INDEX_URL)
        return res, asked

    def test_keystone_unreachable_leaves_the_panel_out_of_a_plugin_page(self):
        res, asked = self._index({"side_effect": KEYSTONE_DOWN})

        self.assertEqual(res.status_code, 200)
        self.assertTrue(asked.called, "the panel no longer asks Keystone")
        self.assertNotContains(res, PANEL_URL)
        self.assertContains(res, "No items to display.")

    def test_keystone_up_keeps_the_panel(self):
        res, asked = self._index({"return_value": (3, 14)})

        self.assertEqual(res.status_code, 200)
        self.assertContains(res, PANEL_URL)

    def test_outside_a_plugin_page_horizon_is_unchanged(self):
        panel = app_credentials.ApplicationCredentialsPanel
        with (
            mock.patch.object(
                keystone, "get_identity_api_version", side_effect=KEYSTONE_DOWN
            ),
            self.assertRaises(ksa_exceptions.DiscoveryFailure),
        ):
            panel.can_access(panel(), {"request": self.request})


class NovaWithoutKeystoneTests(BaysTestCase):
    @test.create_mocks(
        {
            magnum: ("cluster_template_list",),
            api.nova: ("flavor_list", "keypair_list"),
        }
    )
    def _create(self, error):
        self.mock_cluster_template_list.return_value = ([], False)
        self.mock_flavor_list.side_effect = error
        self.mock_keypair_list.side_effect = error
        return self.client.get(CREATE_URL)

    def test_a_503_is_said_on_the_wizard(self):
        res = self._create(NOVA_503)

        self.assertEqual(res.status_code, 200)
        assert_said(
            self, res, "Unable to retrieve flavors.", "Unable to retrieve key pairs."
        )
        shown = [str(m.message) for m in res.context["messages"]]
        self.assertFalse(any(m.startswith("Unauthorized") for m in shown), shown)

    def test_a_401_is_still_a_login_to_renew(self):
        res = self._create(NOVA_401)

        self.assertEqual(res.status_code, 403)
