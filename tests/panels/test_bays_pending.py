"""A bay Magnum accepted but does not list yet keeps its row.

Magnum's API answers a bay POST with 202 and casts the create to its
conductor, which writes the row (magnum api/controllers/v1/cluster.py):
a list right after may not show the bay. The panel shows it from what was
asked until Magnum does. What it asked must survive the page's own ajax
requests (row refreshes, the health batch): Horizon's middleware saves the
session on every request, so one sent before the create and answered after
it writes back the session as it read it.
"""

import random
import string

from django.conf import settings
from django.core import signing
from django.urls import reverse
from openstack_dashboard.test import helpers as test

from dcos_dashboard.api import magnum, mesos
from dcos_dashboard.panels.bays import records
from tests.panels.test_bays import (
    BAY_A,
    BAY_B,
    CREATE_URL,
    DCOS_MODEL,
    INDEX_URL,
    TEMPLATES,
    WIZARD_MOCKS,
    BaysTestCase,
    cluster,
    wizard_data,
)

MOCKS = {
    **WIZARD_MOCKS,
    magnum: WIZARD_MOCKS[magnum]
    + ("cluster_list", "cluster_get", "cluster_template_get"),
    mesos: ("cached_bay_health",),
}


class PendingRowTests(BaysTestCase):
    def mock_choices(self):
        self.mock_cluster_template_list.return_value = (TEMPLATES, False)
        self.mock_keypair_list.return_value = self.keypairs.list()
        self.mock_flavor_list.return_value = self.flavors.list()
        self.mock_cached_bay_health.return_value = None

    def create(self, name="newbay", uuid=BAY_A):
        self.mock_cluster_create.return_value = uuid
        res = self.client.post(CREATE_URL, wizard_data(name=name))
        self.assertRedirectsNoFollow(res, INDEX_URL)

    def names(self):
        res = self.client.get(INDEX_URL)
        self.assertEqual(res.status_code, 200)
        return [(row.name, row.status) for row in self.rows(res)]

    def session_now(self):
        cookie = self.client.cookies.get(settings.SESSION_COOKIE_NAME)
        return (cookie.value if cookie else None), dict(self.client.session.items())

    def stale_session_write(self, before):
        """What a request sent before the create and answered after it does:
        its response sets the session it read (signed cookies: the cookie;
        a session store: the stored data under the same key)."""
        cookie, data = before
        if settings.SESSION_ENGINE.endswith("signed_cookies"):
            self.client.cookies[settings.SESSION_COOKIE_NAME] = cookie or ""
            return
        session = self.client.session
        for key in list(session.keys()):
            del session[key]
        session.update(data)
        session.save()

    @test.create_mocks(MOCKS)
    def test_a_new_bay_keeps_its_row_through_a_stale_session_write(self):
        self.mock_choices()
        self.mock_cluster_list.return_value = ([], False)
        self.client.get(INDEX_URL)  # the page the wizard opens over
        before = self.session_now()

        self.create()
        self.stale_session_write(before)

        self.assertEqual(self.names(), [("newbay", records.CREATE_IN_PROGRESS)])

    @test.create_mocks(MOCKS)
    def test_the_row_of_a_new_bay_opens_its_page_before_magnum_lists_it(self):
        self.mock_choices()
        self.mock_cluster_get.side_effect = magnum.MagnumError(
            f"Cluster {BAY_A} could not be found.", status=404
        )
        self.mock_cluster_template_get.return_value = TEMPLATES[0]
        self.create()

        res = self.client.get(reverse("horizon:project:dcos_bays:detail", args=[BAY_A]))

        self.assertEqual(res.status_code, 200)
        self.assertContains(res, "newbay")

    @test.create_mocks(MOCKS)
    def test_once_listed_a_bay_is_forgotten_so_a_deleted_one_leaves_no_ghost(self):
        self.mock_choices()
        self.create()
        self.mock_cluster_list.return_value = ([cluster(BAY_A, "newbay")], False)
        self.assertEqual(self.names(), [("newbay", "CREATE_COMPLETE")])

        # Deleted at once: Magnum lists it no more; no row comes back for it.
        self.mock_cluster_list.return_value = ([], False)
        self.assertEqual(self.names(), [])

    @test.create_mocks(MOCKS)
    def test_two_new_bays_both_keep_their_rows(self):
        self.mock_choices()
        self.mock_cluster_list.return_value = ([], False)
        self.create("first", BAY_A)
        self.create("second", BAY_B)

        self.assertEqual(
            sorted(self.names()),
            [
                ("first", records.CREATE_IN_PROGRESS),
                ("second", records.CREATE_IN_PROGRESS),
            ],
        )

    @test.create_mocks(MOCKS)
    def test_what_was_asked_is_signed_and_tied_to_the_project(self):
        self.mock_choices()
        self.mock_cluster_list.return_value = ([], False)
        forged = {
            BAY_A: {
                "name": "<b>forged</b>",
                "cluster_template_id": DCOS_MODEL,
                "project_id": self.tenant.id,
                "created": 4102444800,
            }
        }
        self.client.cookies[records.CREATED_COOKIE] = signing.dumps(
            forged, salt="another salt"
        )
        self.assertEqual(self.names(), [])

        # Signed as the panel signs it, but for another project.
        other = {BAY_B: {**forged[BAY_A], "project_id": "another-project"}}
        self.client.cookies[records.CREATED_COOKIE] = records.sign_pending(other)
        self.assertEqual(self.names(), [])

    @test.create_mocks(MOCKS)
    def test_the_most_bays_with_the_longest_names_fit_a_browsers_cookie(self):
        self.mock_choices()
        self.mock_cluster_list.return_value = ([], False)
        # Magnum takes names up to 242 characters; random ones compress little.
        chars = string.ascii_letters + string.digits + "_.-"
        rng = random.Random(7)
        names = [
            f"b{i}" + "".join(rng.choice(chars) for _ in range(240))
            for i in range(records.PENDING_MAX)
        ]
        for i, name in enumerate(names):
            self.create(name[:242], f"b0000000-0000-4000-8000-{i:012d}")
            cookie = self.client.cookies[records.CREATED_COOKIE]
            # 4096 for name, value and attributes (RFC 6265 section 6.1).
            self.assertLess(len(cookie.value), 3800)

        shown = sorted(name for name, _status in self.names())
        self.assertEqual(shown, sorted(name[:242] for name in names))
