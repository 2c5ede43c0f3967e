"""Issue 18, escape 1: DC/OS credentials go only to a bay Magnum calls DC/OS.

The health view is asked with a forged ``?coe=`` for a bay whose Bay Model
is not DC/OS or Mesos, whose address is a real listener on 127.0.0.1: the
listener proves that no connection (hence no token, no login) arrives.
Magnum is mocked at the api layer; the Mesos client is the real one.
"""

import contextlib
import socket

from django.core.cache import cache
from django.test.utils import override_settings
from django.urls import reverse
from openstack_dashboard.test import helpers as test
from urllib3.connection import HTTPConnection

from dcos_dashboard.api import magnum
from tests.panels.test_bays import (
    AJAX,
    BAY_A,
    DCOS_MODEL,
    K8S_MODEL,
    TEMPLATES,
    BaysTestCase,
    cluster,
)

TOKEN = "s3cret-acs-token"
UID, PASSWORD = "bootstrapuser", "deleteme"
# Short limits: before the fix, each forged request waited on the listener.
LIMITS = {"CONNECT_TIMEOUT": 0.5, "READ_TIMEOUT": 0.5, "HEALTH_CACHE_SECONDS": 0}


@contextlib.contextmanager
def listener():
    """A socket on 127.0.0.1 that never answers; what arrives stays queued."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    sock.setblocking(False)
    try:
        yield sock
    finally:
        sock.close()


def arrived(sock) -> list[bytes]:
    """What every connection made to the listener sent (empty: none came)."""
    received = []
    while True:
        try:
            conn, _peer = sock.accept()
        except BlockingIOError:
            return received
        with conn:
            conn.settimeout(0.2)
            try:
                received.append(conn.recv(65536))
            except OSError:
                received.append(b"")


class CredentialsGoOnlyToDcosBays(BaysTestCase):
    def setUp(self):
        super().setUp()
        # Horizon's TestCase stubs out urllib3's connect to catch unmocked
        # OpenStack calls; here the sockets are the point of the test.
        HTTPConnection.connect = self._real_conn_request
        cache.clear()

    def ask(self, coe, cluster_):
        self.mock_cluster_get.return_value = cluster_
        self.mock_cluster_get_or_none.return_value = cluster_
        self.mock_cluster_template_get.side_effect = lambda r, uuid: {
            t.uuid: t for t in TEMPLATES
        }[uuid]
        url = reverse("horizon:project:dcos_bays:health", args=[BAY_A])
        return self.client.get(f"{url}?coe={coe}", **AJAX)

    def k8s_bay(self, port):
        return cluster(
            BAY_A,
            "k8s-bay",
            template_id=K8S_MODEL,
            api_address=f"http://127.0.0.1:{port}",
            master_addresses=["127.0.0.1"],
        )

    @test.create_mocks(
        {magnum: ("cluster_get", "cluster_get_or_none", "cluster_template_get")}
    )
    def test_a_forged_dcos_hint_sends_no_token_to_a_kubernetes_bay(self):
        with listener() as sock:
            port = sock.getsockname()[1]
            with override_settings(DCOS_DASHBOARD=dict(LIMITS, DCOS_ACS_TOKEN=TOKEN)):
                res = self.ask("dcos", self.k8s_bay(port))
            self.assertEqual(arrived(sock), [])
        self.assertEqual(res.status_code, 200)
        self.assertContains(res, "not a DC/OS or Mesos bay")
        self.assertNotContains(res, TOKEN)

    @test.create_mocks(
        {magnum: ("cluster_get", "cluster_get_or_none", "cluster_template_get")}
    )
    def test_a_forged_dcos_hint_sends_no_login_to_a_kubernetes_bay(self):
        settings = dict(
            LIMITS,
            DCOS_ACS_UID=UID,
            DCOS_ACS_PASSWORD=PASSWORD,
            DCOS_ACS_LOGIN_OVER_HTTP=True,
        )
        with listener() as sock:
            port = sock.getsockname()[1]
            with override_settings(DCOS_DASHBOARD=settings):
                res = self.ask("dcos", self.k8s_bay(port))
            self.assertEqual(arrived(sock), [])
        self.assertContains(res, "not a DC/OS or Mesos bay")

    @test.create_mocks(
        {magnum: ("cluster_get", "cluster_get_or_none", "cluster_template_get")}
    )
    def test_a_forged_mesos_hint_connects_to_no_port_of_a_kubernetes_bay(self):
        with listener() as sock:
            port = sock.getsockname()[1]
            # MESOS_PORT stands in for 5050: the port a forged hint would reach.
            with override_settings(DCOS_DASHBOARD=dict(LIMITS, MESOS_PORT=port)):
                res = self.ask("mesos", self.k8s_bay(port))
            self.assertEqual(arrived(sock), [])
        self.assertContains(res, "not a DC/OS or Mesos bay")

    @test.create_mocks(
        {magnum: ("cluster_get", "cluster_get_or_none", "cluster_template_get")}
    )
    def test_no_acs_login_over_plain_http_unless_the_operator_allows_it(self):
        settings = dict(LIMITS, DCOS_ACS_UID=UID, DCOS_ACS_PASSWORD=PASSWORD)
        with listener() as sock:
            port = sock.getsockname()[1]
            dcos_bay = cluster(
                BAY_A,
                "dcos-bay",
                template_id=DCOS_MODEL,
                api_address=f"http://127.0.0.1:{port}",
            )
            with override_settings(DCOS_DASHBOARD=settings):
                res = self.ask("dcos", dcos_bay)
            sent = arrived(sock)
            self.assertFalse([r for r in sent if PASSWORD.encode() in r], sent)
            self.assertFalse([r for r in sent if b"/acs/api/v1/auth/login" in r])
            self.assertContains(res, "DCOS_ACS_LOGIN_OVER_HTTP")
            self.assertNotContains(res, UID)

            # Allowed explicitly: the login goes out (and here gets no answer).
            cache.clear()
            with override_settings(
                DCOS_DASHBOARD=dict(settings, DCOS_ACS_LOGIN_OVER_HTTP=True)
            ):
                self.ask("dcos", dcos_bay)
            sent = arrived(sock)
            self.assertEqual(len(sent), 1)
            self.assertIn(b"POST /acs/api/v1/auth/login", sent[0])
