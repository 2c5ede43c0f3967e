"""Magnum's answers and failures as sentences a user reads.

``MagnumError`` carries the sentence (``message``), Magnum's HTTP status and
the form field at fault; ``translate`` maps what python-magnumclient and
keystoneauth raise to one; ``calling`` wraps each Magnum call so that
nothing else ever leaves the api layer.
"""

import ast
import logging
import re
from contextlib import contextmanager

from django.utils.translation import gettext as _
from horizon import exceptions as horizon_exceptions
from keystoneauth1 import exceptions as ksa_exceptions
from magnumclient import exceptions as magnum_exceptions

from dcos_dashboard import config
from dcos_dashboard.api.magnum.names import COE_NAMES, DCOS, SERVICE_TYPE

LOG = logging.getLogger("dcos_dashboard.api.magnum")


class MagnumError(horizon_exceptions.NotAvailable):
    """A Magnum call failed; ``message`` says what happened and what to do.

    ``NotAvailable`` is in Horizon's own RECOVERABLE tuple
    (horizon/exceptions.py) whatever the local settings say, so
    ``exceptions.handle`` shows the message and returns instead of
    raising a 500.
    """

    def __init__(self, message, status=None, field=None, detail=""):
        super().__init__(message)
        self.message = message
        self.status = status  # HTTP status from Magnum, None if none came back
        self.field = field  # the form field at fault, when known
        self.detail = detail  # Magnum's own words, for the log

    def __str__(self):
        return str(self.message)


# --- Magnum's messages -> sentences -------------------------------------

# (pattern, field, sentence) for messages Magnum sends whatever the status.
# Sources: magnum/common/exception.py (class named beside each),
# docs/reference.md#magnum-errors.
_KNOWN_MESSAGES = (
    # wsme enum check on coe (Magnum >= 16: only kubernetes left)
    (
        re.compile(r"Invalid input for field/attribute coe\. Value: '([^']*)'"),
        "coe",
        "coe",
    ),
    # ClusterTypeNotSupported-era validator (Magnum <= 15)
    (re.compile(r"Requested COE type (\S+) is not supported"), "coe", "coe"),
    # ClusterTypeNotSupported (driver lookup by server_type, os_distro, coe)
    (
        re.compile(r"Cluster type \(([^,]+), ([^,]+), ([^)]+)\)"),
        "image_id",
        "cluster_type",
    ),
    # OSDistroFieldNotFound
    (
        re.compile(r"Image (\S+) doesn't contain os_distro field"),
        "image_id",
        "os_distro",
    ),
    # ImageNotFound
    (re.compile(r"Image (\S+) could not be found"), "image_id", "image"),
    # FlavorNotFound (flavor_id and master_flavor_id alike)
    (re.compile(r"Unable to find flavor (\S+?)\.?$", re.M), "flavor_id", "flavor"),
    # ExternalNetworkNotFound
    (
        re.compile(r"Unable to find external network (\S+?)\.?$", re.M),
        "external_network_id",
        "external_network",
    ),
    # FixedNetworkNotFound
    (
        re.compile(r"Unable to find fixed network (\S+?)\.?$", re.M),
        "fixed_network",
        "fixed_network",
    ),
    # FixedSubnetNotFound
    (
        re.compile(r"Unable to find fixed subnet (\S+?)\.?$", re.M),
        "fixed_subnet",
        "fixed_subnet",
    ),
    # KeyPairNotFound
    (re.compile(r"Unable to find keypair (\S+?)\.?$", re.M), "keypair_id", "keypair"),
    # cluster POST validator (magnum/api/controllers/v1/cluster.py)
    (
        re.compile(r"master_count must be 1 when master_lb_enabled is False"),
        "master_count",
        "master_lb",
    ),
    # the driver's validate_master_size (Magnum 23's drivers, the stand-in)
    (
        re.compile(
            r"master nodegroup size of (\d+) is invalid, size cannot be an even"
        ),
        "master_count",
        "even_masters",
    ),
    # enforce_cluster_volume_storage_size (magnum/api/validation.py)
    (
        re.compile(r"expecting minimum value (\d+)GB for (\S+) storage driver"),
        "docker_volume_size",
        "volume_minimum",
    ),
    # ClusterTemplateNotFound on a cluster POST: the model was deleted
    (
        re.compile(r"ClusterTemplate (\S+) could not be found"),
        "cluster_template_id",
        "template_gone",
    ),
    # JsonPatchType.validate (magnum/api/controllers/v1/types.py): some
    # attributes (network_driver, external_network_id, public, coe ...)
    # cannot be removed once set
    (
        re.compile(r"'/(\w+)' is a mandatory attribute and can not be removed"),
        None,
        "not_removable",
    ),
    # ClusterTemplateReferenced
    (re.compile(r"is referenced by one or multiple clusters"), None, "in_use"),
    # ClusterTemplatePublishDenied
    (
        re.compile(r"Not authorized to set public or hidden flag"),
        "public",
        "publish",
    ),
)


def _known_sentence(kind, groups, fields):
    """The sentence and field for one of _KNOWN_MESSAGES, or (None, None)."""
    fields = fields or {}
    if kind == "coe":
        coe = groups[0]
        if coe == DCOS:
            return _(
                "This Magnum does not accept coe=dcos: its DC/OS driver is "
                "not enabled. Ask your cloud operator to enable the DC/OS "
                "(or Mesos) driver."
            ), None
        return _(
            "This Magnum does not accept coe=%(coe)s: its %(driver)s driver "
            "is not enabled. Ask your cloud operator to enable it."
        ) % {"coe": coe, "driver": COE_NAMES.get(coe, coe)}, None
    if kind == "cluster_type":
        server_type, distro, coe = (g.strip() for g in groups)
        return _(
            "No Magnum driver here builds %(coe)s bays from %(distro)s images "
            "(server type %(server_type)s). Pick an image whose os_distro the "
            "driver supports, or ask your cloud operator to enable the driver."
        ) % {"coe": coe, "distro": distro, "server_type": server_type}, None
    if kind == "os_distro":
        return _(
            "Image %(image)s has no os_distro property, which Magnum needs to "
            "choose a driver. Pick another image, or set os_distro (centos for "
            "DC/OS, ubuntu for Mesos) on it in Glance."
        ) % {"image": groups[0]}, None
    if kind == "image":
        return _("Magnum cannot find image %(image)s. Pick another image.") % {
            "image": groups[0]
        }, None
    if kind == "flavor":
        name = groups[0]
        # Magnum says the same for both flavors: find the field that holds it.
        field = None
        if fields.get("master_flavor_id") == name and fields.get("flavor_id") != name:
            field = "master_flavor_id"
        return _("Magnum cannot find flavor %(flavor)s. Pick another flavor.") % {
            "flavor": name
        }, field
    if kind == "external_network":
        return _(
            "Magnum cannot find external network %(network)s. Pick another "
            "external network."
        ) % {"network": groups[0]}, None
    if kind == "fixed_network":
        return _(
            "Magnum cannot find network %(network)s. Pick another network or "
            "leave it empty to let Magnum create one."
        ) % {"network": groups[0]}, None
    if kind == "fixed_subnet":
        return _(
            "Magnum cannot find subnet %(subnet)s. Pick another subnet or "
            "leave it empty."
        ) % {"subnet": groups[0]}, None
    if kind == "keypair":
        return _(
            "Magnum cannot find key pair %(keypair)s. Pick another key pair "
            "or create it under Compute > Key Pairs."
        ) % {"keypair": groups[0]}, None
    if kind == "master_lb":
        return _(
            "A bay with more than one master needs a master load balancer: "
            "set the master count to 1, or use a bay model with the master "
            "load balancer enabled."
        ), None
    if kind == "even_masters":
        return _(
            "Magnum runs an odd number of masters (1, 3, 5 ...), so that they "
            "can always elect a leader; it refuses %(count)s."
        ) % {"count": groups[0]}, None
    if kind == "volume_minimum":
        return _(
            "With the %(driver)s storage driver the Docker volume must be at "
            "least %(size)s GB."
        ) % {"driver": groups[1], "size": groups[0]}, None
    if kind == "template_gone":
        return _("The bay model %(model)s was deleted. Choose another bay model.") % {
            "model": groups[0]
        }, None
    if kind == "not_removable":
        return _(
            "Magnum cannot clear %(field)s once it is set; choose a value "
            "for it instead."
        ) % {"field": groups[0]}, groups[0]
    if kind == "in_use":
        return _(
            "This bay model is still used by one or more bays, so Magnum keeps "
            "it. Delete those bays first."
        ), None
    if kind == "publish":
        return _(
            "Only a cloud administrator may make a bay model public. Clear "
            "\u201cPublic\u201d, or ask your cloud operator."
        ), None
    return None, None


def status_sentence(status, what, detail):
    if status == 401:
        return _("Your session has expired; log in again.")
    if status == 403:
        return _(
            "Magnum refused this for your role: %(detail)s Ask your project "
            "administrator for the rights you need."
        ) % {"detail": detail or _("forbidden.")}
    if status == 404:
        return _(
            "This %(what)s no longer exists in Magnum; it may have been "
            "deleted. Reload the page."
        ) % {"what": what}
    if status == 409:
        return _(
            "Magnum refused the change because the %(what)s is busy or "
            "changed meanwhile: %(detail)s Reload the page and try again."
        ) % {"what": what, "detail": detail}
    if status == 503:
        return _(
            "Magnum is unavailable (HTTP 503): %(detail)s Try again later; if "
            "it keeps happening, tell your cloud operator."
        ) % {"detail": detail or _("no reason given.")}
    if status is not None and status >= 500:
        return _(
            "Magnum failed with an internal error (HTTP %(status)s). Try again "
            "later; if it keeps failing, tell your cloud operator."
        ) % {"status": status}
    return _("Magnum refused the request: %(detail)s") % {
        "detail": detail or _("no reason given.")
    }


def _readable(part: str) -> str:
    """The message inside an error body a client quoted whole.

    For a GET of one object magnumclient's SessionClient re-wraps an answer
    it could not parse (keystonemiddleware's 503 while Keystone is down) and
    its exception's text is then the Python form of that body,
    ``{'error': {'message': ...}}``: the user is shown the message, never
    the dict.
    """
    if not part.startswith("{") or len(part) > 10_000:
        return part
    try:
        body = ast.literal_eval(part)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return part
    while isinstance(body, dict):
        inner = body.get("error", body.get("message"))
        if isinstance(inner, str):
            return inner.strip() or part
        body = inner
    return part


def _magnum_text(exc):
    """Magnum's title and detail (magnumclient puts them in message/details)."""
    parts = []
    for part in (getattr(exc, "message", None), getattr(exc, "details", None)):
        part = _readable(str(part or "").strip())
        if part and part not in parts:
            parts.append(part)
    return "\n".join(parts)


def translate(exc, what, fields=None):
    """The ``MagnumError`` for a magnumclient or keystoneauth exception."""
    if isinstance(exc, MagnumError):
        return exc
    if isinstance(exc, ksa_exceptions.ConnectTimeout):
        # keystoneauth raises ConnectTimeout for connect and read timeouts.
        return MagnumError(
            _(
                "Magnum did not answer within %(seconds)s seconds. Try again "
                "later; if it keeps happening, tell your cloud operator."
            )
            % {"seconds": _seconds(config.get("MAGNUM_TIMEOUT"))},
            detail=str(exc),
        )
    if isinstance(exc, ksa_exceptions.SSLError):
        return MagnumError(
            _(
                "Magnum's TLS certificate could not be verified. Tell your "
                "cloud operator (OPENSTACK_SSL_CACERT)."
            ),
            detail=str(exc),
        )
    if isinstance(
        exc, ksa_exceptions.ConnectionError | magnum_exceptions.ConnectionError
    ):
        return MagnumError(
            _(
                "Magnum cannot be reached. Try again later; if it keeps "
                "happening, tell your cloud operator."
            ),
            detail=str(exc),
        )
    if isinstance(exc, horizon_exceptions.ServiceCatalogException):
        return MagnumError(
            _(
                "This cloud lists no Magnum (%(service_type)s) endpoint for "
                "your region. Ask your cloud operator."
            )
            % {"service_type": SERVICE_TYPE},
            detail=str(exc),
        )
    status = getattr(exc, "http_status", None) or None
    text = _magnum_text(exc)
    # Magnum's title is its message cut at the first full stop ("Unable to
    # find flavor m9" for m9.huge): read the longest line, the whole detail,
    # before the title.
    lines = sorted(text.split("\n"), key=len, reverse=True)
    for pattern, field, kind in _KNOWN_MESSAGES:
        if kind == "template_gone" and "cluster_template_id" not in (fields or {}):
            continue  # a GET of the model itself: the 404 sentence below
        match = next(filter(None, (pattern.search(line) for line in lines)), None)
        if match:
            message, better_field = _known_sentence(kind, match.groups(), fields)
            return MagnumError(
                message, status=status, field=better_field or field, detail=text
            )
    # The detail usually repeats the title with more words: show the longer.
    detail = max(text.split("\n"), key=len) if text else ""
    if detail and not detail.endswith((".", "!", "?")):
        detail += "."
    return MagnumError(
        status_sentence(status, what, detail), status=status, detail=text
    )


def _seconds(value):
    return f"{value:g}" if isinstance(value, float) else str(value)


_TRANSLATED = (
    magnum_exceptions.ClientException,
    ksa_exceptions.ClientException,
    horizon_exceptions.ServiceCatalogException,
)


@contextmanager
def calling(what, fields=None):
    try:
        yield
    except MagnumError:
        raise
    except _TRANSLATED as exc:
        error = translate(exc, what, fields)
        LOG.info("Magnum call failed (%s): %s", error.status, error.detail)
        raise error from exc
    except Exception as exc:
        # Whatever else a client library raises (its own parser's KeyError
        # included) is still a sentence for the user, never a 500.
        LOG.exception("Magnum call failed inside the client")
        raise MagnumError(
            _(
                "Magnum's answer could not be read. Try again later; if it "
                "keeps happening, tell your cloud operator."
            ),
            detail=repr(exc),
        ) from exc
