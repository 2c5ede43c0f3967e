"""The one door to Magnum: cluster templates (Bay Models) and clusters (Bays).

What lives where: ``names`` (service type, COEs), ``errors`` (MagnumError
and the sentences for Magnum's answers); here, the client, the ids checked
before any URL is built, and one function per Magnum call.

Every function takes the Django request, makes one Magnum call through
python-magnumclient and returns magnumclient's resource objects. Every
failure leaves as a ``MagnumError`` whose ``message`` is a sentence for the
user and whose ``field`` names the form field at fault when one is known.
``MagnumError`` is one of Horizon's recoverable exceptions, so views can hand
it to Horizon's messages through ``dcos_dashboard.panels.errors``.
"""

import json
import logging
import re
from urllib.parse import quote

from django.conf import settings
from django.utils.translation import gettext as _
from horizon.utils import memoized
from keystoneauth1 import session as ksa_session
from keystoneauth1 import token_endpoint
from magnumclient import exceptions as magnum_exceptions
from magnumclient.common import httpclient as magnum_httpclient
from magnumclient.v1 import client as magnum_client
from openstack_dashboard.api import base

from dcos_dashboard import config
from dcos_dashboard.api.magnum.errors import MagnumError, calling, status_sentence
from dcos_dashboard.api.magnum.names import (
    API_VERSION,
    BAY,
    BAY_MODEL,
    COE_NAMES,
    COES,
    DCOS,
    MESOS,
    SERVICE_TYPE,
    what,
)

LOG = logging.getLogger(__name__)

# Magnum's api.max_limit (default 1000) caps each page whatever we ask, and
# a limit <= 0 is refused ("Limit must be positive", magnum/api/utils.py);
# magnumclient follows the `next` links until it has this many items.
_EVERYTHING = 2**31 - 1


# --- the client ---------------------------------------------------------


def _endpoint(request):
    url = base.url_for(request, SERVICE_TYPE).rstrip("/")
    # magnumclient's paths start at /v1 and its session client strips that
    # prefix again, so the endpoint must end in /v1 (as Magnum registers it).
    if not url.endswith("/v1"):
        url += "/v1"
    return url


def _read_by_magnumclient(resp):
    """Whether magnumclient's error parser copes with this error answer.

    It knows only Magnum's own error shapes and raises KeyError, TypeError
    or IndexError on anything else, such as the webob body of the auth
    layer in front of Magnum (keystonemiddleware's 503 when Keystone is
    down: ``{"message", "code", "title"}``).
    """
    parse = getattr(magnum_httpclient, "_extract_error_json", None)
    if parse is None:
        return True
    try:
        return isinstance(parse(resp.content, resp), dict)
    except Exception:  # noqa: BLE001 - any failure of the parser is the answer
        return False


_TAGS = re.compile(r"<[^>]*>")


def _foreign_text(resp):
    """What an error answer not written by Magnum says, as plain text."""
    try:
        body = resp.json()
    except ValueError:
        body = resp.text
    if isinstance(body, dict):
        body = next(
            (body[k] for k in ("message", "title", "detail") if body.get(k)), ""
        )
    if not isinstance(body, str):
        return ""
    return " ".join(_TAGS.sub(" ", body).split())[:300]


class _Session(ksa_session.Session):
    """keystoneauth's session, raising magnumclient's exception itself for
    error answers magnumclient cannot read (see _read_by_magnumclient)."""

    def request(self, url, method, **kwargs):
        resp = super().request(url, method, **kwargs)
        if resp.status_code >= 400 and not _read_by_magnumclient(resp):
            raise magnum_exceptions.from_response(
                resp, _foreign_text(resp), None, method, url
            )
        return resp


@memoized.memoized
def magnumclient(request):
    """One python-magnumclient per request, with the user's token.

    magnumclient 5 builds its own http.client connection for
    ``auth_token=`` + ``magnum_url=``, which ignores ``cacert=`` (it reads
    ``ca_file``) and bypasses requests; a keystoneauth session honours
    Horizon's OPENSTACK_SSL_* settings and the timeout the same way as
    Horizon's other clients do.
    """
    endpoint = _endpoint(request)
    verify = settings.OPENSTACK_SSL_CACERT or True
    if settings.OPENSTACK_SSL_NO_VERIFY:
        verify = False
    session = _Session(
        auth=token_endpoint.Token(endpoint, request.user.token.id),
        verify=verify,
        timeout=config.get("MAGNUM_TIMEOUT"),
    )
    return magnum_client.Client(
        session=session,
        endpoint_override=endpoint,
        api_version=API_VERSION,
    )


# --- ids and query parameters -------------------------------------------

# Magnum finds a template or a cluster by UUID or by name; a name follows
# NameType (magnum/api/controllers/v1/types.py: ^[a-zA-Z][a-zA-Z0-9_.-]*$)
# and is at most 255 characters (the column's size). Anything else never
# names one, and would change the URL built from it ("." or ".." as a path
# segment, "?" or "/" inside one): it is refused before any URL is made.
_UUID = re.compile(r"[0-9a-fA-F]{8}(?:-?[0-9a-fA-F]{4}){3}-?[0-9a-fA-F]{12}")
_NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9_.-]{0,254}")


def is_magnum_id(value):
    """Whether ``value`` can be a Magnum UUID or name."""
    return isinstance(value, str) and bool(
        _UUID.fullmatch(value) or _NAME.fullmatch(value)
    )


def _quoted_id(value, refusal):
    """``value`` quoted for a URL if it can be a Magnum id; else ``refusal``.

    magnumclient pastes ids into its paths (``_path``) and joins its query
    parameters as "key=value" (``common_filters``), unencoded either way.
    """
    if not is_magnum_id(value):
        raise refusal
    return quote(value, safe="")


def _segment(id, kind):
    """``id`` as a URL path segment, or a "not found" ``MagnumError``."""
    return _quoted_id(
        id,
        MagnumError(
            _(
                "There is no such %(what)s: the address does not hold a "
                "Magnum ID or name. Go back to the list and choose one."
            )
            % {"what": what(kind)},
            status=404,
        ),
    )


def _marker(marker, kind):
    """A page marker for the query string, or a ``MagnumError``."""
    if marker is None:
        return None
    return _quoted_id(
        marker,
        MagnumError(
            _(
                "This page link is not valid: its marker is not a %(what)s "
                "ID. Go back to the first page."
            )
            % {"what": what(kind)},
            status=400,
        ),
    )


_SORT_DIRS = ("asc", "desc")
_SORT_KEY = re.compile(r"[a-z_]{1,64}")


def _sorting(sort_key, sort_dir):
    if sort_key is not None and not _SORT_KEY.fullmatch(sort_key):
        raise ValueError(f"not a Magnum sort key: {sort_key!r}")
    if sort_dir is not None and sort_dir not in _SORT_DIRS:
        raise ValueError(f"not a sort direction: {sort_dir!r}")
    return sort_key, sort_dir


def _found(resource, kind):
    """What magnumclient's ``get`` returned, if it is one resource.

    magnumclient answers None to an empty body, and a body without a uuid
    (a collection, Magnum's root) still becomes a resource: neither is
    the one asked for.
    """
    if resource is None or not getattr(resource, "_info", {}).get("uuid"):
        raise MagnumError(
            status_sentence(404, what(kind), ""), status=404, detail="no uuid"
        )
    return resource


# --- cluster templates (Bay Models) -------------------------------------


def _list(request, kind, limit, marker, sort_key, sort_dir):
    """(items, has_more) of one collection, paged as Horizon pages."""
    marker = _marker(marker, kind)
    sort_key, sort_dir = _sorting(sort_key, sort_dir)
    with calling(what(kind)):
        client = magnumclient(request)
        manager = client.cluster_templates if kind == BAY_MODEL else client.clusters
        items = list(
            manager.list(
                limit=_EVERYTHING if limit is None else limit + 1,
                marker=marker,
                sort_key=sort_key,
                sort_dir=sort_dir,
                detail=True,
            )
        )
    if limit is None:
        return items, False
    return items[:limit], len(items) > limit


def cluster_template_list(
    request, limit=None, marker=None, sort_key=None, sort_dir=None
):
    """(templates, has_more): one page of ``limit`` after ``marker``, or all.

    Horizon's pagination: ask one more than shown; if it came, there is a
    next page, whose marker is the uuid of the last template shown.
    """
    return _list(request, BAY_MODEL, limit, marker, sort_key, sort_dir)


def cluster_template_get(request, id):
    segment = _segment(id, BAY_MODEL)
    with calling(what(BAY_MODEL)):
        return _found(magnumclient(request).cluster_templates.get(segment), BAY_MODEL)


def cluster_template_create(request, **fields):
    """Create a template from Magnum's field names; returns the template."""
    with calling(what(BAY_MODEL), fields):
        return magnumclient(request).cluster_templates.create(**fields)


def _cleared(value):
    return value is None or value == "" or value == {}


def template_patch(changes):
    """The JSON-patch list that applies ``changes`` ({field: new value}).

    A set value is a "replace": Magnum keeps every attribute in the document
    it patches (None when unset), and refuses "add" on one that has a value
    ("please use 'replace' operation instead", magnum/api/utils.py
    apply_jsonpatch). A cleared value (None, "", {}) is a "remove", which
    restores Magnum's default. Labels go as one map, replacing the old.
    """
    patch = []
    for key, value in changes.items():
        path = "/" + key
        if _cleared(value):
            patch.append({"op": "remove", "path": path})
            continue
        if key == "labels":
            # A patch value must be text or an integer (JsonPatchType.value,
            # magnum/api/controllers/v1/types.py); Magnum reads /labels
            # back with ast.literal_eval (apply_jsonpatch), and a JSON
            # object of strings is such a literal.
            value = json.dumps(dict(value))
        patch.append({"op": "replace", "path": path, "value": value})
    return patch


def cluster_template_update(request, id, changes):
    """Apply ``changes`` ({field: value}) to a template; returns it."""
    patch = template_patch(changes)
    if not patch:
        return cluster_template_get(request, id)
    segment = _segment(id, BAY_MODEL)
    with calling(what(BAY_MODEL), changes):
        return magnumclient(request).cluster_templates.update(segment, patch)


def cluster_template_delete(request, id):
    segment = _segment(id, BAY_MODEL)
    with calling(what(BAY_MODEL)):
        magnumclient(request).cluster_templates.delete(segment)


# --- clusters (Bays) ----------------------------------------------------


def cluster_list(request, limit=None, marker=None, sort_key=None, sort_dir=None):
    """(clusters, has_more), paged like ``cluster_template_list``."""
    return _list(request, BAY, limit, marker, sort_key, sort_dir)


def cluster_get(request, id):
    segment = _segment(id, BAY)
    with calling(what(BAY)):
        return _found(magnumclient(request).clusters.get(segment), BAY)


# While the conductor writes or deletes a cluster's nodegroups, Magnum 23
# reads the cluster with no master nodegroup and fails its own validation
# (seen in tests/contract): a passing state, not the user's error.
_NODEGROUPS_IN_FLUX = re.compile(
    r"Invalid input for field/attribute master_count\. Value: '0'"
)


def not_shown(error):
    """Whether ``error`` says Magnum cannot show the cluster, yet or any more.

    Magnum answers a cluster POST with 202 before the conductor writes the
    row, so a GET right after can be a 404 for a moment
    (docs/reference.md#magnum-create-then-read); and
    while nodegroups are written or deleted, a 400 about master_count 0.
    """
    if error.status == 404:
        return True
    return error.status == 400 and bool(_NODEGROUPS_IN_FLUX.search(error.detail or ""))


def cluster_get_or_none(request, id):
    """The cluster, or None while Magnum cannot show it (``not_shown``)."""
    try:
        return cluster_get(request, id)
    except MagnumError as e:
        if not_shown(e):
            return None
        raise


def cluster_create(request, **fields):
    """Ask Magnum for a cluster; returns its uuid (Magnum answers 202)."""
    with calling(what(BAY), fields):
        return magnumclient(request).clusters.create(**fields).uuid


def cluster_scale(request, id, node_count):
    """Scale a cluster to ``node_count`` workers (PATCH replace /node_count)."""
    segment = _segment(id, BAY)
    patch = [{"op": "replace", "path": "/node_count", "value": int(node_count)}]
    with calling(what(BAY), {"node_count": node_count}):
        return magnumclient(request).clusters.update(segment, patch)


def cluster_delete(request, id):
    segment = _segment(id, BAY)
    with calling(what(BAY)):
        magnumclient(request).clusters.delete(segment)


__all__ = [
    "API_VERSION",
    "BAY",
    "BAY_MODEL",
    "COES",
    "COE_NAMES",
    "DCOS",
    "MESOS",
    "SERVICE_TYPE",
    "MagnumError",
]
