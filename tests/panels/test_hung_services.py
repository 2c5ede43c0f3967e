"""A hung Glance, Nova or Neutron never holds a plugin page for ever.

The stand-in for a hung service is a socket that takes connections and
never answers (as a stopped process does: the kernel completes the
handshake into its backlog). Every call Horizon's own api layer makes for
a plugin page, the navigation's Neutron extension check included, gives up
after OPENSTACK_TIMEOUT seconds.
"""

import socket
import threading

from django.test.utils import override_settings
from django.urls import reverse
from openstack_auth import utils as auth_utils
from openstack_dashboard import api
from openstack_dashboard.test import helpers as test
from urllib3.connection import HTTPConnection

from dcos_dashboard.api import magnum
from dcos_dashboard.api import openstack as os_api
from tests.panels.test_bays import CONTAINER_INFRA

BOUND = {"OPENSTACK_TIMEOUT": 0.5, "MAGNUM_TIMEOUT": 0.5}
# Only a guard against a hanging test run: what the tests assert is that
# the call ended (in an error or a page), not how fast.
GUARD_SECONDS = 60


class BlackHole:
    """Accepts TCP connections (into the backlog) and never answers."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def close(self):
        self.sock.close()


class CountingHole(BlackHole):
    """A black hole that can tell how many connections it was sent."""

    def count(self):
        """The connections waiting in the backlog, taken (and closed) now."""
        self.sock.setblocking(False)
        taken = 0
        while True:
            try:
                conn, _addr = self.sock.accept()
            except BlockingIOError:
                return taken
            conn.close()
            taken += 1


def finished(call):
    """(done, result or exception) of ``call`` run with a guard."""
    outcome = {}

    def run():
        try:
            outcome["result"] = call()
        except Exception as exc:  # noqa: BLE001 - the outcome is what we check
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(GUARD_SECONDS)
    return not thread.is_alive(), outcome


def assert_said(case, res, *sentences):
    """Each sentence begins one of the page's messages."""
    shown = [str(m.message) for m in res.context["messages"]]
    for sentence in sentences:
        case.assertTrue(any(m.startswith(sentence) for m in shown), (sentence, shown))


# What the Create Bay Model wizard says when Glance, Nova and Neutron hang.
ALL_READS_FAILED = (
    "Unable to retrieve images.",
    "Unable to retrieve flavors.",
    "Unable to retrieve key pairs.",
    "Unable to retrieve external networks.",
)


class BlackHoleTestCase(test.TestCase):
    """Horizon's Glance, Nova and Neutron endpoints lead into black holes:
    one shared, or (``HOLE_EACH``) one a service, in ``self.holes``."""

    HOLE_EACH = False

    def _setup_test_data(self):
        super()._setup_test_data()
        self.holes = {}
        shared = None
        for service in self.service_catalog:
            if service["type"] in ("network", "compute", "image"):
                if self.HOLE_EACH or shared is None:
                    shared = CountingHole()
                    self.addCleanup(shared.close)
                self.holes[service["type"]] = shared
                for endpoint in service["endpoints"]:
                    endpoint["url"] = shared.url
        if not any(s["type"] == "container-infra" for s in self.service_catalog):
            self.service_catalog.append(CONTAINER_INFRA)

    def setUp(self):
        super().setUp()
        # Horizon's TestCase refuses real connections; these tests make them,
        # to the black holes only.
        HTTPConnection.connect = self._real_conn_request

    def renders_saying(self, page, still_waiting, sentences):
        """The page renders though its services hang, and says each sentence."""
        done, outcome = finished(lambda: self.client.get(reverse(page)))
        self.assertTrue(done, still_waiting)
        res = outcome["result"]
        self.assertEqual(res.status_code, 200)
        assert_said(self, res, *sentences)
        return res


@override_settings(DCOS_DASHBOARD=BOUND)
class HungServiceTests(BlackHoleTestCase):
    def test_horizon_reads_of_a_plugin_page_give_up(self):
        request = self.request
        request.user = auth_utils.get_user(request)
        calls = {
            "neutron extensions": lambda: api.neutron.list_extensions(request),
            "external networks": lambda: api.neutron.network_list(
                request, **{"router:external": True}
            ),
            "images": lambda: api.glance.image_list_detailed(request),
            "flavors": lambda: api.nova.flavor_list(request),
            "key pairs": lambda: api.nova.keypair_list(request),
        }
        for name, call in calls.items():

            def bounded_call(call=call):
                with os_api.bounded(request):
                    return call()

            done, outcome = finished(bounded_call)
            self.assertTrue(done, f"{name}: still waiting on a hung service")
            self.assertIn("error", outcome, name)

    @test.create_mocks({magnum: ("cluster_template_list",)})
    def test_create_bay_wizard_renders_while_nova_hangs(self):
        self.mock_cluster_template_list.return_value = ([], False)

        self.renders_saying(
            "horizon:project:dcos_bays:create",
            "the Create Bay wizard is still waiting on Nova",
            ("Unable to retrieve key pairs.", "Unable to retrieve flavors."),
        )

    def test_create_bay_model_wizard_renders_while_all_hang(self):
        self.renders_saying(
            "horizon:project:dcos_baymodels:create",
            "the Create Bay Model wizard is still waiting",
            ALL_READS_FAILED,
        )


@override_settings(DCOS_DASHBOARD=BOUND)
class EachServiceOnceTests(BlackHoleTestCase):
    """Issue 19: with the whole cloud stopped, a page waited out one timeout
    per call (Neutron's extensions four times over for the navigation, Nova's
    versions twice): the create wizards took longer than any page may. A
    service that timed out is not asked again while the same page renders."""

    HOLE_EACH = True

    def test_create_bay_model_asks_each_hung_service_once(self):
        self.renders_saying(
            "horizon:project:dcos_baymodels:create",
            "the Create Bay Model wizard is still waiting",
            ALL_READS_FAILED,
        )

        asked = {name: hole.count() for name, hole in self.holes.items()}
        self.assertEqual(asked, {"network": 1, "compute": 1, "image": 1})

    def test_each_page_asks_again(self):
        request = self.request
        request.user = auth_utils.get_user(request)

        def page():
            with os_api.bounded(request):
                for _ in range(2):
                    try:
                        api.nova.flavor_list(request)
                    except Exception:  # noqa: BLE001, S110 - its timeout is expected
                        pass

        for _ in range(2):
            done, _outcome = finished(page)
            self.assertTrue(done)
        self.assertEqual(self.holes["compute"].count(), 2)
