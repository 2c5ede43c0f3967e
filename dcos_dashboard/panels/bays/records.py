"""What the Bays panel knows of one bay: its Magnum fields, its Bay Model, its links.

Magnum's resources are read once into plain dicts here, so nothing above
touches a magnumclient object (whose missing attributes can trigger a GET).
``get_bay`` is the one way the panel reads a bay.
"""

import logging
import time
from collections.abc import Mapping
from functools import cached_property

from django.conf import settings
from django.core import signing

from dcos_dashboard.api import magnum, mesos

LOG = logging.getLogger(__name__)

# Magnum's cluster status values are <OPERATION>_<STATE>
# (docs/reference.md#magnum-status-values).
OPERATIONS = (
    "CREATE",
    "UPDATE",
    "DELETE",
    "RESUME",
    "RESTORE",
    "ROLLBACK",
    "SNAPSHOT",
    "CHECK",
    "ADOPT",
)
IN_PROGRESS = "_IN_PROGRESS"
COMPLETE = "_COMPLETE"
FAILED = "_FAILED"
CREATE_IN_PROGRESS = "CREATE_IN_PROGRESS"
DELETE_IN_PROGRESS = "DELETE_IN_PROGRESS"
DELETE_COMPLETE = "DELETE_COMPLETE"

# Magnum accepts an update only in these states (magnum api/controllers/v1/
# cluster.py: a *_COMPLETE other than DELETE_COMPLETE); others answer 409.
SCALABLE = frozenset(f"{op}{COMPLETE}" for op in OPERATIONS) - {DELETE_COMPLETE}

# Bays created from this browser that Magnum may not list yet: a GET right
# after the POST can answer 404 until the conductor writes the row. Kept in
# a signed cookie of their own (keep_pending says why not the session).
CREATED_COOKIE = "dcos_bays_created"
_CREATED_SALT = "dcos_dashboard.bays.created"
PENDING_SECONDS = 600
# A browser keeps 4 KB a cookie: 10 bays with 242-character names sign to
# under 3 KB (tests/panels/test_bays_pending.py).
PENDING_MAX = 10


def fields_of(resource) -> dict:
    """A Magnum resource (magnumclient object or dict) as a plain dict."""
    if resource is None:
        return {}
    if isinstance(resource, Mapping):
        return dict(resource)
    to_dict = getattr(type(resource), "to_dict", None)
    if callable(to_dict):
        return dict(resource.to_dict())
    return {k: v for k, v in vars(resource).items() if not k.startswith("_")}


class Bay:
    """One Magnum cluster with the Bay Model (cluster template) it was built from."""

    # Whether its Bay Model's COE was already put where its badge reads it
    # (coe_trust.tell_badges).
    coe_told = False

    def __init__(self, cluster, baymodel=None, pending=False):
        self.fields = fields_of(cluster)
        self.baymodel = fields_of(baymodel) if baymodel is not None else None
        self.pending = pending
        get = self.fields.get
        self.id = get("uuid") or ""
        self.name = get("name") or ""
        self.status = get("status") or ""
        self.status_reason = get("status_reason") or ""
        self.node_count = get("node_count")
        self.master_count = get("master_count")
        self.cluster_template_id = get("cluster_template_id") or ""
        self.api_address = get("api_address") or ""

    @property
    def baymodel_name(self):
        if self.baymodel:
            return self.baymodel.get("name") or self.baymodel.get("uuid")
        return None

    @property
    def coe(self):
        return (self.baymodel or {}).get("coe")

    @property
    def scalable(self):
        return self.status in SCALABLE

    @cached_property
    def target(self):
        """The Mesos/DC/OS target, or None (not dcos/mesos, or no address yet)."""
        if not self.coe or self.pending:
            return None
        return mesos.target_for(self.fields, self.coe)

    @cached_property
    def cached_health(self):
        """The shared cache's answer for this bay (no nodes), or None: never
        asks a master. Read once per row, by its Health cell and the summary."""
        target = self.target
        return mesos.cached_bay_health(target, nodes=False) if target else None

    def links(self, health=None):
        target = self.target
        return mesos.links(target, health) if target is not None else None

    def __repr__(self):
        return f"<Bay {self.id} {self.status}>"


def sign_pending(pending: dict) -> str:
    return signing.dumps(pending, salt=_CREATED_SALT, compress=True)


def pending_bays(request) -> dict:
    """uuid -> what was asked, for bays created from this browser lately,
    in the user's current project (read once a request)."""
    known = getattr(request, "_dcos_pending", None)
    if known is not None:
        return known
    stored = {}
    raw = getattr(request, "COOKIES", {}).get(CREATED_COOKIE)
    if raw:
        try:
            stored = signing.loads(raw, salt=_CREATED_SALT, max_age=PENDING_SECONDS)
        except (signing.BadSignature, ValueError):
            stored = {}
    project = getattr(getattr(request, "user", None), "project_id", None)
    now = time.time()
    # Signed by this panel: the shape is its own. No lower bound on the age:
    # another host's clock may run ahead of this one's.
    fresh = {
        uuid: info
        for uuid, info in stored.items()
        if info["project_id"] == project and now - info["created"] < PENDING_SECONDS
    }
    request._dcos_pending = fresh
    return fresh


def _changed(request, pending):
    request._dcos_pending = pending
    request._dcos_pending_changed = True


def remember_pending(request, uuid, fields):
    pending = dict(pending_bays(request))
    pending[uuid] = {
        "name": fields.get("name") or "",
        "cluster_template_id": fields.get("cluster_template_id") or "",
        "node_count": fields.get("node_count"),
        "master_count": fields.get("master_count"),
        "project_id": getattr(getattr(request, "user", None), "project_id", None),
        "created": time.time(),
    }
    newest = sorted(pending.items(), key=lambda item: item[1]["created"])
    _changed(request, dict(newest[-PENDING_MAX:]))


def forget_pending(request, uuids):
    pending = pending_bays(request)
    if any(uuid in pending for uuid in uuids):
        kept = {uuid: info for uuid, info in pending.items() if uuid not in uuids}
        _changed(request, kept)


def keep_pending(request, response):
    """Write what changed of the pending bays to their own cookie.

    Not the session: Horizon's middleware saves the session on every
    request (its expiry), so the page's own ajax requests (row refreshes,
    the health batch) sent before a create and answered after it would
    write back the session they read, without the new bay.
    """
    if not getattr(request, "_dcos_pending_changed", False):
        return response
    request._dcos_pending_changed = False
    pending = request._dcos_pending
    if not pending:
        response.delete_cookie(CREATED_COOKIE, path=settings.SESSION_COOKIE_PATH)
        return response
    response.set_cookie(
        CREATED_COOKIE,
        sign_pending(pending),
        max_age=PENDING_SECONDS,
        path=settings.SESSION_COOKIE_PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


class KeepsPendingMixin:
    """For the views that remember or forget pending bays."""

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        render = getattr(response, "add_post_render_callback", None)
        if render is not None and not getattr(response, "is_rendered", True):
            # Rows are read while the template renders.
            render(lambda rendered: keep_pending(request, rendered))
            return response
        return keep_pending(request, response)


def pending_bay(uuid, info, baymodel=None) -> Bay:
    """The row of a bay Magnum has accepted but does not show yet."""
    cluster = {
        "uuid": uuid,
        "name": info.get("name"),
        "cluster_template_id": info.get("cluster_template_id"),
        "node_count": info.get("node_count"),
        "master_count": info.get("master_count"),
        "status": CREATE_IN_PROGRESS,
    }
    return Bay(cluster, baymodel, pending=True)


def baymodel_or_none(request, template_id):
    """The Bay Model of one bay, or None when Magnum will not say."""
    if not template_id:
        return None
    try:
        return magnum.cluster_template_get(request, template_id)
    except magnum.MagnumError as e:
        LOG.info("Bay model %s unavailable: %s", template_id, e.detail or e.message)
        return None


def get_bay(request, bay_id) -> Bay:
    """The bay with its Bay Model, read from Magnum.

    A bay created from this session moments ago is shown from what was
    asked while Magnum cannot show it yet (``magnum.not_shown``); any other
    failure, and a bay Magnum no longer shows, leaves as the MagnumError.
    """
    try:
        cluster = magnum.cluster_get(request, bay_id)
    except magnum.MagnumError as error:
        info = pending_bays(request).get(bay_id) if magnum.not_shown(error) else None
        if info is None:
            raise
        template = baymodel_or_none(request, info.get("cluster_template_id"))
        return pending_bay(bay_id, info, template)
    fields = fields_of(cluster)
    forget_pending(request, [bay_id])
    return Bay(fields, baymodel_or_none(request, fields.get("cluster_template_id")))
