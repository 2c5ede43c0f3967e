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
"""

import contextlib
import contextvars
import logging

from keystoneauth1 import session as ksa_session
from openstack_dashboard.api import glance

from dcos_dashboard import config

LOG = logging.getLogger(__name__)

_TIMEOUT = contextvars.ContextVar("dcos_dashboard_openstack_timeout", default=None)


def _install():
    request = ksa_session.Session.request
    if getattr(request, "dcos_dashboard_bounded", False):
        return

    def bounded_request(self, url, method, **kwargs):
        seconds = _TIMEOUT.get()
        if seconds is not None and self.timeout is None:
            if kwargs.get("timeout") is None:
                kwargs["timeout"] = seconds
        return request(self, url, method, **kwargs)

    bounded_request.dcos_dashboard_bounded = True
    bounded_request.__wrapped__ = request
    ksa_session.Session.request = bounded_request


_install()


def seconds():
    return float(config.get("OPENSTACK_TIMEOUT"))


@contextlib.contextmanager
def bounded(request):
    """Every call to Glance, Nova or Neutron in this block gives up in time."""
    token = _TIMEOUT.set(seconds())
    try:
        try:
            # glanceclient's own HTTP client (not keystoneauth) waits 600 s
            # by default; building it makes no call.
            glance.glanceclient(request).http_client.timeout = seconds()
        except Exception:  # noqa: BLE001 - a Glance Horizon cannot build fails in its call
            LOG.debug("Could not bound Horizon's Glance client", exc_info=True)
        yield
    finally:
        _TIMEOUT.reset(token)
