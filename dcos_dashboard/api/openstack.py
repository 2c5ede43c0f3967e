"""Horizon's own Glance, Nova and Neutron calls, bounded while a plugin page runs.

Horizon builds its clients without a timeout (openstack_dashboard/api/
neutron.py ``networkclient``, _nova.py ``computeclient``), and openstacksdk
asks the service for its versions as the client is built, so no timeout can
be set on it beforehand: a hung service held a page, and a worker thread,
for ever. The navigation Horizon renders around every page asks Neutron for
its extensions that way.

``bounded(request)`` gives every keystoneauth request made in its block (in
this thread) a timeout of ``OPENSTACK_TIMEOUT`` seconds unless it has one,
and Glance's own HTTP client the same; outside the block Horizon behaves as
it always did. A timeout then fails as any other error of Horizon's api
layer, which the panels already turn into a message.

A service that timed out is not asked again in the same block: it fails at
once, as it did. A page asks Neutron for its extensions several times (the
navigation, once per panel that depends on one) and builds Nova's client
twice; each waited out its own timeout, and with the whole cloud stopped
the create wizards took longer than any page may.
"""

import contextlib
import contextvars
import logging
from urllib.parse import urlsplit

from keystoneauth1 import exceptions as ksa_exceptions
from keystoneauth1 import session as ksa_session
from openstack_dashboard.api import glance

from dcos_dashboard import config

LOG = logging.getLogger(__name__)

_TIMEOUT = contextvars.ContextVar("dcos_dashboard_openstack_timeout", default=None)
# The hosts that timed out in this block (host:port -> the first failure).
_SILENT = contextvars.ContextVar("dcos_dashboard_openstack_silent", default=None)


def _install():
    request = ksa_session.Session.request
    if getattr(request, "dcos_dashboard_bounded", False):
        return

    def bounded_request(self, url, method, **kwargs):
        seconds = _TIMEOUT.get()
        if seconds is not None and self.timeout is None:
            if kwargs.get("timeout") is None:
                kwargs["timeout"] = seconds
        # An absolute URL (a client's version discovery) is known here,
        # before keystoneauth prepares its request.
        _refuse_silent(url)
        return request(self, url, method, **kwargs)

    bounded_request.dcos_dashboard_bounded = True
    bounded_request.__wrapped__ = request
    ksa_session.Session.request = bounded_request

    send = ksa_session.Session._send_request

    def remembered_send(self, url, method, *args, **kwargs):
        silent = _SILENT.get()
        if silent is None:
            return send(self, url, method, *args, **kwargs)
        _refuse_silent(url)
        try:
            return send(self, url, method, *args, **kwargs)
        except ksa_exceptions.ConnectTimeout as error:
            silent.setdefault(urlsplit(url).netloc, str(error))
            raise

    remembered_send.__wrapped__ = send
    ksa_session.Session._send_request = remembered_send


def _refuse_silent(url):
    silent = _SILENT.get()
    host = urlsplit(url).netloc
    if silent and host in silent:
        raise ksa_exceptions.ConnectTimeout(
            f"Request to {url} not sent: {silent[host]} earlier on this page"
        )


_install()


def seconds():
    return float(config.get("OPENSTACK_TIMEOUT"))


@contextlib.contextmanager
def bounded(request):
    """Every call to Glance, Nova or Neutron in this block gives up in time."""
    token = _TIMEOUT.set(seconds())
    silent = _SILENT.set({})
    try:
        try:
            # glanceclient's own HTTP client (not keystoneauth) waits 600 s
            # by default; building it makes no call.
            glance.glanceclient(request).http_client.timeout = seconds()
        except Exception:  # noqa: BLE001 - a Glance Horizon cannot build fails in its call
            LOG.debug("Could not bound Horizon's Glance client", exc_info=True)
        yield
    finally:
        _SILENT.reset(silent)
        _TIMEOUT.reset(token)
