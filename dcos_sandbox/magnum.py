"""The Magnum stand-in: Magnum's v1 REST API for cluster templates and clusters.

Speaks the wire format of real Magnum (magnum/api/controllers/v1/): the same
fields, status codes, pagination (``limit``, ``marker``, ``sort_key``,
``sort_dir``, ``next``), microversion headers, per-project isolation, and the
error body of magnum/api/middleware/parsable_error.py with real Magnum's
messages. Images, flavors, keypairs and networks are checked against the
Glance/Nova/Neutron stand-ins' :class:`~dcos_sandbox.openstack.World`.

Modes (``config.magnum_mode``):

- ``dcos``: a Magnum with the DC/OS driver enabled; coe may be kubernetes,
  swarm, swarm-mode, mesos or dcos.
- ``stock``: Magnum >= 16, which knows only kubernetes and rejects the rest
  with wsme's "Invalid input for field/attribute coe ..." message.

Bay lifecycle, each step lasting ``config.transition_seconds``:

- POST -> CREATE_IN_PROGRESS -> CREATE_COMPLETE; at the transition the
  cluster simulator is told (``simulator.create``) and its addresses become
  ``api_address``, ``master_addresses`` and ``node_addresses``.
- **Failure trigger**: a bay whose name contains ``fail`` (any case) or whose
  labels carry ``sandbox_fail=true`` goes to CREATE_FAILED instead, with a
  Heat-like ``status_reason`` and ``faults`` (shown by GET of that bay).
- **Reported addresses**: labels ``sandbox_api_address=<value>`` and
  ``sandbox_master_addresses=<a,b,...>`` make the bay report exactly those
  (no simulated cluster behind them).
- PATCH of ``/node_count`` on a *_COMPLETE bay -> UPDATE_IN_PROGRESS ->
  UPDATE_COMPLETE (``simulator.resize``). As in Magnum, whose conductor
  ignores updates in other states after the API already said 202, a PATCH
  of a bay that is still in progress is accepted and does nothing.
- DELETE -> DELETE_IN_PROGRESS -> gone, 404 (``simulator.delete``).
- A new bay answers 404 for ``row_delay`` seconds after its 202, as a real
  Magnum may while the conductor writes the row.

Transitions happen on a background ticker and also before every request is
answered, so neither the simulator nor a reader ever waits for the other.
State persists in ``<state_dir>/magnum.json``.

Faithful details worth knowing: python-magnumclient built with ``auth_token``
and ``magnum_url`` sends no ``OpenStack-API-Version`` header, so Magnum
answers at microversion 1.1 (``stack_id`` rather than ``cluster_id``, no
zero-node bays, a missing template on bay POST is a 400); ``next`` links
appear whenever a page is full (magnum/api/controllers/v1/collection.py);
a project may have at most ``max_clusters_per_project`` bays (Magnum's
default quota, 20).
"""

import ast
import copy
import datetime
import json
import logging
import os
import random
import re
import tempfile
import threading
import time
import uuid
from pathlib import Path

import jsonpatch
import webob

from dcos_sandbox.auth import Identity
from dcos_sandbox.wsgi import Router, empty_response, json_response, read_json

LOG = logging.getLogger(__name__)

# magnum/api/controllers/versions.py: Magnum names itself by the first of the
# service names it accepts in requests (python-magnumclient sends
# "container-infra").
SERVICE = "container-infrastructure-management"
SERVICE_ALIASES = (
    "container-infrastructure-management",
    "container-infrastructure",
    "container-infra",
)
MIN_VERSION = (1, 1)
MAX_VERSION = (1, 14)

# magnum/objects/fields.py ClusterType.ALL of a release that still shipped
# mesos/dcos, and of Magnum >= 16.
COES = {
    "dcos": ("kubernetes", "swarm", "swarm-mode", "mesos", "dcos"),
    "stock": ("kubernetes",),
}
# magnum/api/validation.py *Validator: (default, supported network drivers,
# supported volume drivers) per COE.
_DRIVERS = {
    "kubernetes": ("flannel", ("flannel", "calico", "cilium"), ("cinder",)),
    "swarm": ("docker", ("docker", "flannel"), ("rexray",)),
    "swarm-mode": ("docker", ("docker", "flannel"), ("rexray",)),
    "mesos": ("docker", ("docker",), ("rexray",)),
    "dcos": ("docker", ("docker",), ("rexray",)),
}
# The in-tree (and contrib, for DC/OS) driver that built each COE's bays.
_DRIVER_NAMES = {
    "kubernetes": "k8s_fedora_coreos_v1",
    "swarm": "swarm_fedora_atomic_v2",
    "swarm-mode": "swarm_fedora_atomic_v2",
    "mesos": "mesos_ubuntu_v1",
    "dcos": "dcos_centos_v1",
}
# Heat resource group of the masters in each driver's templates.
_MASTER_GROUP = {
    "kubernetes": "kube_masters",
    "swarm": "swarm_masters",
    "swarm-mode": "swarm_primary_master",
    "mesos": "mesos_masters",
    "dcos": "dcos_masters",
}

# The COEs the cluster simulator can stand up; other bays get addresses only.
SIMULATED_COES = ("dcos", "mesos")

MAX_LIMIT = 1000  # magnum/conf/api.py max_limit
DEFAULT_MAX_CLUSTERS = 20  # magnum/conf/quota.py max_clusters_per_project

# magnum/common/name_generator.py
_GREEK = (
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi "
    "omicron pi rho sigma tau upsilon phi chi psi omega"
).split()

_UUID_RE = re.compile(
    r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$"
)
_CLUSTER_NAME = r"^[a-zA-Z][a-zA-Z0-9_.-]*$"
_PATCH_PATH = re.compile(r"^(/[\w-]+)+$")

IN_PROGRESS_STATES = ("CREATE_IN_PROGRESS", "UPDATE_IN_PROGRESS", "DELETE_IN_PROGRESS")
# magnum/conductor/handlers/cluster_conductor.py, cluster_update.
_UPDATABLE_STATES = (
    "CREATE_COMPLETE",
    "UPDATE_COMPLETE",
    "RESUME_COMPLETE",
    "RESTORE_COMPLETE",
    "ROLLBACK_COMPLETE",
    "SNAPSHOT_COMPLETE",
    "CHECK_COMPLETE",
    "ADOPT_COMPLETE",
)


class MagnumError(Exception):
    """An error Magnum reports; ``message`` is the wsme faultstring.

    ``body``, when given, is the whole error document, sent as it is (as
    magnum/api/http_error.py HTTPNotAcceptableAPIVersion does)."""

    def __init__(self, status, message, headers=None, body=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}
        self.body = body


def _invalid_input(field, value, reason):
    # wsme/exc.py InvalidInput.faultstring
    return MagnumError(
        400, f"Invalid input for field/attribute {field}. Value: '{value}'. {reason}"
    )


def error_body(status, message):
    """Magnum's error document (magnum/api/middleware/parsable_error.py)."""
    if message:
        title, detail = message.split(".", 1)[0], message
    else:
        title = detail = ""
    code = "" if not message else ("client" if status < 500 else "server")
    return {
        "errors": [
            {
                "request_id": "",
                "code": code,
                "status": status,
                "title": title,
                "detail": detail,
                "links": [],
            }
        ]
    }


def _microversion_unsupported():
    """magnum/api/http_error.py HTTPNotAcceptableAPIVersion, whose document
    parsable_error.py leaves as it is (it carries min_version)."""
    return MagnumError(
        406,
        "Requested microversion is unsupported",
        body={
            "errors": [
                {
                    "max_version": ".".join(map(str, MAX_VERSION)),
                    "min_version": ".".join(map(str, MIN_VERSION)),
                    "code": "magnum.microversion-unsupported",
                    "links": [
                        {
                            "rel": "help",
                            "href": "http://docs.openstack.org/api-guide/"
                            "compute/microversions.html",
                        }
                    ],
                    "title": "Requested microversion is unsupported",
                }
            ]
        },
    )


def _check_root_volume(find_flavor, flavor, labels):
    """magnum/api/attr_validator.py validate_flavor_root_volume_size, with
    [cinder] default_boot_volume_size at its default, 0."""
    try:
        boot_volume_size = int(str((labels or {}).get("boot_volume_size", 0)))
    except ValueError:
        # oslo_utils strutils.validate_integer; wsme makes a ValueError a 500.
        raise MagnumError(500, "boot_volume_size must be an integer") from None
    if boot_volume_size > 0:
        return
    found = find_flavor(flavor)
    if found is None:
        raise MagnumError(400, f"Unable to find flavor {flavor}.")
    if found.get("disk") == 0:
        raise MagnumError(
            400,
            "Flavor with zero root volume size is not supported when "
            "boot_volume_size is zero.",
        )


def _now_iso(clock):
    moment = datetime.datetime.fromtimestamp(clock(), tz=datetime.UTC)
    return moment.replace(microsecond=0).isoformat()


def _fabricated_addresses(cluster, coe, node_count=None):
    """Addresses for a bay nothing simulates: unique per bay, never answering."""
    base = 16 + (cluster["id"] * 8) % 224
    masters = [f"172.24.4.{base + i}" for i in range(min(cluster["master_count"], 7))]
    count = cluster["node_count"] if node_count is None else node_count
    nodes = [f"10.0.{cluster['id'] % 250}.{10 + i}" for i in range(min(count, 240))]
    scheme = {"kubernetes": "https://{}:6443", "swarm": "tcp://{}:2376"}.get(
        coe.split("-")[0], "{}"
    )
    return {
        "api_address": scheme.format(masters[0]),
        "master_addresses": masters,
        "node_addresses": nodes,
    }


def _reported_addresses(cluster):
    """The addresses a test asked this bay to report, or None.

    Labels ``sandbox_api_address`` and ``sandbox_master_addresses`` (a comma
    list) make a bay report exactly those, simulated by nothing: the security
    suite points bays at its own hostile servers this way.
    """
    labels = cluster.get("labels") or {}
    if "sandbox_api_address" not in labels and "sandbox_master_addresses" not in labels:
        return None
    masters = labels.get("sandbox_master_addresses") or ""
    return {
        "api_address": labels.get("sandbox_api_address") or None,
        "master_addresses": [a for a in masters.split(",") if a],
        "node_addresses": [],
    }


def _is_uuid(value):
    return isinstance(value, str) and bool(_UUID_RE.match(value))


def _truthy(value):
    return str(value).strip().lower() in ("1", "t", "true", "on", "y", "yes")


# --- request body types (what wsme enforces in real Magnum) -------------------


class _Field:
    def __init__(self, kind="str", mandatory=False, readonly=False, **opts):
        self.kind = kind
        self.mandatory = mandatory
        self.readonly = readonly
        self.opts = opts

    def convert(self, name, value, patched=False):
        """The value as Magnum stores it, or a MagnumError like wsme's.

        ``patched`` values skip wsme's JSON decoding (Magnum builds its API
        object from the patched dict), so a number in a string is refused.
        """
        if value is None:
            return None
        if patched and self.kind == "int" and isinstance(value, str):
            # What IntegerType.validate's comparison raises (wsme/types.py).
            raise _invalid_input(
                name, value, "'<' not supported between instances of 'str' and 'int'"
            )
        kind, opts = self.kind, self.opts
        if kind == "str":
            if not isinstance(value, str):
                raise _invalid_input(name, value, "Value should be string")
            lo, hi = opts.get("min_length"), opts.get("max_length")
            if lo is not None and len(value) < lo:
                raise _invalid_input(
                    name,
                    value,
                    f"Value should have a minimum character requirement of {lo}",
                )
            if hi is not None and len(value) > hi:
                raise _invalid_input(
                    name,
                    value,
                    f"Value should have a maximum character requirement of {hi}",
                )
            pattern = opts.get("pattern")
            if pattern and not re.match(pattern, value):
                raise _invalid_input(
                    name, value, f"Value should match the pattern {pattern}"
                )
            return value
        if kind == "int":
            if isinstance(value, bool) or not isinstance(value, int | str):
                raise _invalid_input(name, value, "Value should be an integer")
            try:
                number = int(value)
            except ValueError:
                raise _invalid_input(
                    name, value, "Value should be an integer"
                ) from None
            lo, hi = opts.get("minimum"), opts.get("maximum")
            if lo is not None and number < lo:
                raise _invalid_input(
                    name, number, f"Value should be greater or equal to {lo}"
                )
            if hi is not None and number > hi:
                raise _invalid_input(
                    name, number, f"Value should be lower or equal to {hi}"
                )
            return number
        if kind == "bool":
            if isinstance(value, bool):
                return value
            if isinstance(value, int):
                return bool(value)
            text = str(value).strip().lower()
            if text in ("1", "t", "true", "on", "y", "yes"):
                return True
            if text in ("0", "f", "false", "off", "n", "no"):
                return False
            raise _invalid_input(
                name, value, f"Value not an unambiguous boolean: {value}"
            )
        if kind == "enum":
            values = opts["values"]
            if value not in values:
                # wsme/types.py Enum.validate
                raise _invalid_input(
                    name, value, "Value should be one of: " + ", ".join(values)
                )
            return value
        if kind == "dict":
            if not isinstance(value, dict):
                raise _invalid_input(name, value, f"Value not a valid dict: {value}")
            for item in value.values():
                if not isinstance(item, str | int | float | bool):
                    raise _invalid_input(
                        name,
                        value,
                        f"Wrong type. Expected 'text', got '{type(item).__name__}'",
                    )
            # magnum/objects DictOfStringsField keeps every value as a string.
            return {str(k): str(v) for k, v in value.items()}
        if kind == "uuid":
            if not _is_uuid(value):
                raise MagnumError(400, f"Expected a uuid but received {value}.")
            return str(uuid.UUID(value))
        if kind == "any":
            return value
        raise AssertionError(kind)


def _text(**kw):
    return _Field("str", min_length=1, max_length=255, **kw)


def _template_fields(coes):
    return {
        "uuid": _Field("uuid"),
        "name": _Field("str", min_length=1, max_length=255),
        "coe": _Field("enum", mandatory=True, values=coes),
        "image_id": _text(mandatory=True),
        "flavor_id": _text(),
        "master_flavor_id": _text(),
        "dns_nameserver": _Field("str"),
        "keypair_id": _text(),
        "external_network_id": _text(),
        "fixed_network": _text(),
        "fixed_subnet": _text(),
        "network_driver": _text(),
        "apiserver_port": _Field("int", minimum=1024, maximum=65535),
        "docker_volume_size": _Field("int", minimum=1),
        "cluster_distro": _text(),
        "links": _Field("any", readonly=True),
        "http_proxy": _text(),
        "https_proxy": _text(),
        "no_proxy": _text(),
        "volume_driver": _text(),
        "registry_enabled": _Field("bool"),
        "labels": _Field("dict"),
        "tls_disabled": _Field("bool"),
        "public": _Field("bool"),
        "server_type": _Field("enum", values=("vm", "bm")),
        "insecure_registry": _text(),
        "docker_storage_driver": _text(),
        "master_lb_enabled": _Field("bool"),
        "floating_ip_enabled": _Field("bool"),
        "project_id": _Field("str", readonly=True),
        "user_id": _Field("str", readonly=True),
        "hidden": _Field("bool"),
        "tags": _Field("str", min_length=0, max_length=255),
        "driver": _text(),
        "created_at": _Field("any", readonly=True),
        "updated_at": _Field("any", readonly=True),
    }


_TEMPLATE_DEFAULTS = {
    "keypair_id": None,
    "registry_enabled": False,
    "tls_disabled": False,
    "public": False,
    "server_type": "vm",
    "master_lb_enabled": False,
    "floating_ip_enabled": True,
    "hidden": False,
}

# Object fields a template document shows (magnum/objects/cluster_template.py
# fields that the API type exposes), in Magnum's order.
_TEMPLATE_SHOWN = (
    "uuid project_id user_id name image_id flavor_id master_flavor_id keypair_id "
    "dns_nameserver external_network_id fixed_network fixed_subnet network_driver "
    "volume_driver apiserver_port docker_volume_size docker_storage_driver "
    "cluster_distro coe http_proxy https_proxy no_proxy registry_enabled labels "
    "tls_disabled public server_type insecure_registry master_lb_enabled "
    "floating_ip_enabled hidden tags driver created_at updated_at"
).split()

_CLUSTER_FIELDS = {
    "uuid": _Field("uuid"),
    "name": _Field("str", min_length=1, max_length=242, pattern=_CLUSTER_NAME),
    "cluster_template_id": _Field("str", mandatory=True),
    "keypair": _text(),
    "node_count": _Field("int", minimum=0),
    "master_count": _Field("int", minimum=1),
    "docker_volume_size": _Field("int", minimum=1),
    "labels": _Field("dict"),
    "master_flavor_id": _text(),
    "flavor_id": _text(),
    "create_timeout": _Field("int", minimum=0),
    "links": _Field("any", readonly=True),
    "stack_id": _Field("any", readonly=True),
    "cluster_id": _Field("any", readonly=True),
    "status": _Field("any"),
    "status_reason": _Field("any"),
    "health_status": _Field("any"),
    "health_status_reason": _Field("any"),
    "discovery_url": _Field("str"),
    "api_address": _Field("any", readonly=True),
    "coe_version": _Field("any", readonly=True),
    "container_version": _Field("any", readonly=True),
    "project_id": _Field("any", readonly=True),
    "user_id": _Field("any", readonly=True),
    "node_addresses": _Field("any", readonly=True),
    "master_addresses": _Field("any", readonly=True),
    "faults": _Field("any"),
    "fixed_network": _text(),
    "fixed_subnet": _text(),
    "floating_ip_enabled": _Field("bool"),
    "merge_labels": _Field("bool"),
    "labels_overridden": _Field("any"),
    "labels_added": _Field("any"),
    "labels_skipped": _Field("any"),
    "master_lb_enabled": _Field("bool"),
    "created_at": _Field("any", readonly=True),
    "updated_at": _Field("any", readonly=True),
}

_CLUSTER_SHOWN = (
    "uuid name project_id user_id cluster_template_id keypair docker_volume_size "
    "labels master_flavor_id flavor_id stack_id status status_reason health_status "
    "health_status_reason create_timeout api_address discovery_url coe_version "
    "container_version fixed_network fixed_subnet floating_ip_enabled "
    "master_lb_enabled node_count master_count node_addresses master_addresses "
    "created_at updated_at"
).split()
# magnum/api/controllers/v1/cluster.py, Cluster._convert_with_links(expand=False)
_CLUSTER_BRIEF = (
    "uuid name cluster_template_id keypair docker_volume_size labels node_count "
    "status master_flavor_id flavor_id create_timeout master_count health_status"
).split()
_CLUSTER_UPDATABLE = {"node_count", "health_status", "health_status_reason"}


def _parse_body(body, fields, argname):
    """Check a POST body as wsme does; return {field: converted value}."""
    if not isinstance(body, dict):
        raise MagnumError(400, "Invalid data: expected a JSON object")
    unknown = sorted(set(body) - set(fields))
    if unknown:
        word = "attributes" if len(unknown) > 1 else "attribute"
        raise MagnumError(
            400, f"Unknown {word} for argument {argname}: {', '.join(unknown)}"
        )
    values = {}
    for name, field in fields.items():
        if name in body:
            if field.readonly:
                raise _invalid_input(name, body[name], "Cannot set read only field.")
            values[name] = field.convert(name, body[name])
        elif field.mandatory:
            raise _invalid_input(name, None, "Mandatory field missing.")
    return values


def _check_patch(patch, internal, non_removable):
    """Validate a JSON-patch list as magnum's JsonPatchType does."""
    if not isinstance(patch, list):
        raise MagnumError(400, "Invalid data: expected a JSON-patch list")
    checked = []
    for op in patch:
        if not isinstance(op, dict):
            raise MagnumError(400, "Invalid data: expected a JSON-patch operation")
        unknown = sorted(set(op) - {"path", "op", "value"})
        if unknown:
            word = "attributes" if len(unknown) > 1 else "attribute"
            raise MagnumError(
                400, f"Unknown {word} for argument patch: {', '.join(unknown)}"
            )
        for name in ("op", "path"):
            if name not in op:
                raise _invalid_input(name, None, "Mandatory field missing.")
        path, kind = op["path"], op["op"]
        if not isinstance(path, str) or not _PATCH_PATH.match(path):
            raise _invalid_input(
                "path", path, f"Value should match the pattern {_PATCH_PATH.pattern}"
            )
        if kind not in ("add", "replace", "remove"):
            raise _invalid_input(
                "op", kind, "Value should be one of: add, replace, remove"
            )
        value = op.get("value")
        if value is not None and not isinstance(value, str | int):
            raise _invalid_input(
                "value",
                value,
                "Wrong type. Expected '(<class 'str'>, <class 'int'>)', "
                f"got '{type(value)}'",
            )
        if path in internal:
            raise MagnumError(
                400, f"'{path}' is an internal attribute and can not be updated"
            )
        if path in non_removable and kind == "remove":
            raise MagnumError(
                400, f"'{path}' is a mandatory attribute and can not be removed"
            )
        if kind != "remove" and value is None:
            raise MagnumError(400, "'add' and 'replace' operations needs value")
        entry = {"path": path, "op": kind}
        if value is not None:
            entry["value"] = value
        checked.append(entry)
    return checked


def _apply_patch(doc, patch):
    """magnum/api/utils.py apply_jsonpatch, then jsonpatch itself."""
    for p in patch:
        if p["op"] == "add" and p["path"].count("/") == 1:
            attr = p["path"].lstrip("/")
            if attr not in doc:
                raise MagnumError(
                    400,
                    f"Adding a new attribute {p['path']} to the root of the "
                    "resource is not allowed.",
                )
            if doc[attr] is not None:
                raise MagnumError(
                    400,
                    f"The attribute {p['path']} has existed, please use "
                    "'replace' operation instead.",
                )
        if p["op"] == "replace" and p["path"] == "/labels":
            value = p["value"]
            try:
                p["value"] = (
                    value if isinstance(value, dict) else ast.literal_eval(value)
                )
            except (SyntaxError, ValueError) as e:
                raise MagnumError(
                    400, f"Couldn't apply patch '{patch}'. Reason: {e}"
                ) from None
    try:
        return jsonpatch.apply_patch(doc, patch)
    except (
        jsonpatch.JsonPatchException,
        jsonpatch.JsonPointerException,
        KeyError,
    ) as e:
        raise MagnumError(400, f"Couldn't apply patch '{patch}'. Reason: {e}") from None


# --- persistence ------------------------------------------------------------


class _Store:
    """magnum.json: every template and cluster, written atomically."""

    def __init__(self, path):
        self.path = Path(path)

    def load(self):
        try:
            data = json.loads(self.path.read_text())
        except FileNotFoundError:
            return {"next_id": 1, "templates": [], "clusters": []}
        return data

    def save(self, data):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(
            prefix=".magnum-", suffix=".json", dir=self.path.parent
        )
        try:
            with os.fdopen(fd, "w") as f:
                json.dump(data, f, indent=1, sort_keys=True)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


# --- the service ------------------------------------------------------------


class Magnum:
    """The Magnum v1 WSGI app with its bays' lifecycle.

    ``simulator`` has the ClusterSimulator interface (create/resize/delete/
    addresses) or is None; bays of COEs it cannot simulate (kubernetes, swarm)
    complete with made-up addresses that nothing answers on. Call
    :meth:`start` to run the background ticker and :meth:`stop` to end it.
    """

    public_paths = (r"/", r"/v1/?")

    def __init__(
        self,
        config,
        world,
        simulator=None,
        *,
        row_delay=0.3,
        max_clusters_per_project=DEFAULT_MAX_CLUSTERS,
        tick_seconds=0.05,
        clock=time.time,
    ):
        if config.magnum_mode not in COES:
            raise ValueError(f"unknown magnum_mode {config.magnum_mode!r}")
        self.config = config
        self.world = world
        self.simulator = simulator
        self.row_delay = row_delay
        self.max_clusters = max_clusters_per_project
        self.transition = float(config.transition_seconds)
        self.clock = clock
        self._tick = tick_seconds
        self._coes = COES[config.magnum_mode]
        self._template_fields = _template_fields(self._coes)
        self._store = _Store(Path(config.state_dir) / "magnum.json")
        self._lock = threading.RLock()
        # Serialises transitions, simulator calls included, so a reader that
        # arrives after a deadline always sees the finished state.
        self._advance_lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker = None
        data = self._store.load()
        self._next_id = data["next_id"]
        self._templates = {t["uuid"]: t for t in data["templates"]}
        self._clusters = {c["uuid"]: c for c in data["clusters"]}
        self.router = self._routes()

    # --- lifecycle of the service ---------------------------------------

    def start(self):
        """Bring simulated clusters back after a restart, then start ticking."""
        self._restore_simulated()
        self._stop.clear()
        self._ticker = threading.Thread(
            target=self._run, name="magnum-ticker", daemon=True
        )
        self._ticker.start()
        return self

    def stop(self):
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join(timeout=5)
            self._ticker = None

    def _run(self):
        while not self._stop.wait(self._tick):
            try:
                self.advance()
            except Exception:  # the ticker must outlive one bad transition
                LOG.exception("magnum: transition failed")

    def _restore_simulated(self):
        if self.simulator is None:
            return
        with self._lock:
            live = [c for c in self._clusters.values() if c.get("_simulated")]
        for cluster in live:
            try:
                known = self.simulator.addresses(cluster["uuid"])
                if not known:
                    known = self.simulator.create(
                        cluster["uuid"],
                        self._coe_of(cluster),
                        cluster["master_count"],
                        cluster["node_count"],
                        name=cluster["name"],
                    )
            except Exception:
                # One bay the simulator cannot bring back must not keep the
                # others (or Magnum) down; it keeps its last known addresses.
                LOG.exception("magnum: could not restore bay %s", cluster["uuid"])
                continue
            with self._lock:
                if cluster["uuid"] in self._clusters:
                    self._set_addresses(cluster, known)
                    self._save()

    # --- state helpers --------------------------------------------------

    def _save(self):
        self._store.save(
            {
                "next_id": self._next_id,
                "templates": sorted(self._templates.values(), key=lambda t: t["id"]),
                "clusters": sorted(self._clusters.values(), key=lambda c: c["id"]),
            }
        )

    def _new_id(self):
        value = self._next_id
        self._next_id += 1
        return value

    def _coe_of(self, cluster):
        template = self._templates.get(cluster["cluster_template_id"])
        return template["coe"] if template else "kubernetes"

    @staticmethod
    def _set_addresses(cluster, addresses):
        addresses = addresses or {}
        cluster["api_address"] = addresses.get("api_address")
        cluster["master_addresses"] = list(addresses.get("master_addresses") or [])
        cluster["node_addresses"] = list(addresses.get("node_addresses") or [])

    # --- transitions ----------------------------------------------------

    def advance(self):
        """Finish every operation whose time has come; tell the simulator."""
        with self._advance_lock:
            now = self.clock()
            with self._lock:
                due = [
                    (c["uuid"], copy.deepcopy(c["_pending"]))
                    for c in sorted(self._clusters.values(), key=lambda c: c["id"])
                    if c.get("_pending") and c["_pending"]["due"] <= now
                ]
                coes = {u: self._coe_of(self._clusters[u]) for u, _ in due}
                snapshot = {u: dict(self._clusters[u]) for u, _ in due}
            for cluster_uuid, pending in due:
                outcome = self._run_transition(
                    snapshot[cluster_uuid], coes[cluster_uuid], pending
                )
                with self._lock:
                    cluster = self._clusters.get(cluster_uuid)
                    if (
                        cluster is None
                        or cluster.get("_pending", {}).get("token") != pending["token"]
                    ):
                        continue
                    self._finish(cluster, pending, outcome, coes[cluster_uuid])
                    self._save()

    def _run_transition(self, cluster, coe, pending):
        """Call the simulator for one transition; return (ok, detail)."""
        op = pending["op"]
        if op == "create" and pending.get("fail"):
            return False, None
        if op == "delete" and not cluster.get("_simulated"):
            return True, None
        reported = _reported_addresses(cluster)
        if reported is not None and op != "delete":
            return True, reported
        if self.simulator is None or coe not in SIMULATED_COES:
            return True, _fabricated_addresses(cluster, coe, pending.get("node_count"))
        try:
            if op == "create":
                return True, self.simulator.create(
                    cluster["uuid"],
                    coe,
                    cluster["master_count"],
                    cluster["node_count"],
                    name=cluster["name"],
                )
            if op == "update":
                return True, self.simulator.resize(
                    cluster["uuid"], pending["node_count"]
                )
            try:
                self.simulator.delete(cluster["uuid"])
            except KeyError:
                pass  # already gone from the simulator: nothing to tear down
            return True, None
        except Exception as e:
            LOG.exception("magnum: simulator %s of %s failed", op, cluster["uuid"])
            return False, f"{type(e).__name__}: {e}"

    def _finish(self, cluster, pending, outcome, coe):
        ok, detail = outcome
        op = pending["op"]
        cluster["_pending"] = None
        cluster["updated_at"] = _now_iso(self.clock)
        if op == "delete":
            if ok:
                del self._clusters[cluster["uuid"]]
            else:
                cluster["status"] = "DELETE_FAILED"
                cluster["status_reason"] = detail
            return
        verb = op.upper()
        if ok:
            self._set_addresses(cluster, detail)
            cluster["_simulated"] = (
                self.simulator is not None
                and coe in SIMULATED_COES
                and _reported_addresses(cluster) is None
            )
            cluster["status"] = f"{verb}_COMPLETE"
            # The Heat driver copies the stack's reason (heat stack_status_reason).
            cluster["status_reason"] = f"Stack {verb} completed successfully"
            return
        if detail is None:
            group = _MASTER_GROUP.get(coe, "masters")
            detail = (
                f"ResourceInError: resources.{group}.resources[0].resources."
                f'{group[:-1]}: Went to status ERROR due to "Message: No valid '
                'host was found. There are not enough hosts available., Code: 500"'
            )
        cluster["status"] = f"{verb}_FAILED"
        cluster["status_reason"] = detail
        cluster["_faults"] = {"default-master": detail}

    def _schedule(self, cluster, op, **extra):
        cluster["_pending"] = {
            "op": op,
            "due": self.clock() + self.transition,
            "token": uuid.uuid4().hex,
            **extra,
        }

    # --- request plumbing -----------------------------------------------

    def _routes(self):
        router = Router(self._not_found, self._not_allowed)
        add = router.add
        add("GET", "/", self.root)
        add("GET", "/v1", self.v1)
        add("GET", "/v1/clustertemplates", self.list_templates)
        add("GET", "/v1/clustertemplates/detail", self.list_templates)
        add("POST", "/v1/clustertemplates", self.create_template)
        add("GET", "/v1/clustertemplates/{ident}", self.get_template)
        add("PATCH", "/v1/clustertemplates/{ident}", self.patch_template)
        add("DELETE", "/v1/clustertemplates/{ident}", self.delete_template)
        add("GET", "/v1/clusters", self.list_clusters)
        add("GET", "/v1/clusters/detail", self.list_clusters_detail)
        add("POST", "/v1/clusters", self.create_cluster)
        add("GET", "/v1/clusters/{ident}", self.get_cluster)
        add("PATCH", "/v1/clusters/{ident}", self.patch_cluster)
        add("DELETE", "/v1/clusters/{ident}", self.delete_cluster)
        return router

    def __call__(self, environ, start_response):
        request = webob.Request(environ)
        headers = {}
        try:
            if request.path_info.startswith("/v1"):
                version = self._negotiate(request, headers)
                request.environ["sandbox.magnum_version"] = version
            self.advance()
            response = self.router.dispatch(request)
        except MagnumError as e:
            headers.update(e.headers)
            body = e.body if e.body is not None else error_body(e.status, e.message)
            response = json_response(body, status=e.status)
        except Exception:
            LOG.exception("magnum: %s %s failed", request.method, request.path)
            response = json_response(
                error_body(500, "An unknown exception occurred."), status=500
            )
        for name, value in headers.items():
            response.headers[name] = value
        return response(environ, start_response)

    @staticmethod
    def _negotiate(request, headers):
        """Pick the microversion (magnum/api/controllers/v1/__init__.py _route).

        A header Magnum cannot read (magnum/api/controllers/versions.py
        parse_headers) is webob's plain 406, raised before any version header
        is set: parsable_error.py finds no faultstring in its HTML and sends
        an empty title, detail and code. A readable but unsupported version
        gets the version headers and HTTPNotAcceptableAPIVersion's document.
        """
        raw = request.headers.get("OpenStack-API-Version", f"{SERVICE} 1.1")
        parts = raw.split()
        if len(parts) != 2:
            raise MagnumError(406, "")
        service, asked = parts
        if asked.lower() == "latest":
            service, asked = SERVICE, ".".join(map(str, MAX_VERSION))
        if service not in SERVICE_ALIASES:
            raise MagnumError(406, "")
        try:
            version = tuple(int(x) for x in asked.split("."))
        except ValueError:
            version = ()
        if len(version) != 2:
            raise MagnumError(406, "")
        headers["OpenStack-API-Minimum-Version"] = f"{SERVICE} 1.1"
        headers["OpenStack-API-Maximum-Version"] = f"{SERVICE} 1.14"
        headers["OpenStack-API-Version"] = f"{SERVICE} {version[0]}.{version[1]}"
        headers["Vary"] = "OpenStack-API-Version"
        if version[0] != 1 or not MIN_VERSION <= version <= MAX_VERSION:
            raise _microversion_unsupported()
        return version

    def _not_found(self, request):
        # Pecan's own 404 is HTML; Magnum's middleware then finds no fault
        # string to parse, so title and detail come out empty.
        return json_response(error_body(404, ""), status=404)

    def _not_allowed(self, request, allowed):
        response = json_response(error_body(405, ""), status=405)
        response.headers["Allow"] = ", ".join(allowed)
        return response

    @staticmethod
    def _identity(request):
        return Identity.from_environ(request.environ)

    @staticmethod
    def _version(request):
        return request.environ.get("sandbox.magnum_version", MIN_VERSION)

    # --- version documents ----------------------------------------------

    def root(self, request):
        base = request.host_url
        return json_response(
            {
                "name": "OpenStack Magnum API",
                "description": "Magnum is an OpenStack project which aims to "
                "provide container cluster management.",
                "versions": [
                    {
                        "id": "v1",
                        "links": [{"href": f"{base}/v1/", "rel": "self"}],
                        "status": "CURRENT",
                        "max_version": "1.14",
                        "min_version": "1.1",
                    }
                ],
            }
        )

    def v1(self, request):
        base = request.host_url

        def links(resource):
            return [
                {"href": f"{base}/v1/{resource}/", "rel": "self"},
                {"href": f"{base}/{resource}/", "rel": "bookmark"},
            ]

        doc = {
            "id": "v1",
            "links": [
                {"href": f"{base}/v1/", "rel": "self"},
                {
                    "href": "http://docs.openstack.org/developer/magnum/dev/api-spec-v1.html",
                    "rel": "describedby",
                    "type": "text/html",
                },
            ],
            "media_types": [
                {
                    "base": "application/json",
                    "type": "application/vnd.openstack.magnum.v1+json",
                }
            ],
        }
        for resource in (
            "clustertemplates",
            "clusters",
            "quotas",
            "certificates",
            "mservices",
            "stats",
            "federations",
            "credentials",
        ):
            doc[resource] = links(resource)
        return json_response(doc)

    # --- listing --------------------------------------------------------

    @staticmethod
    def _list_params(request):
        params = request.GET
        limit = params.get("limit")
        if limit is not None:
            try:
                limit = int(limit)
            except ValueError:
                raise _invalid_input(
                    "limit", limit, "Value should be an integer"
                ) from None
            if limit <= 0:
                raise MagnumError(400, "Limit must be positive")
        limit = min(limit or MAX_LIMIT, MAX_LIMIT)
        sort_key = params.get("sort_key", "id")
        sort_dir = params.get("sort_dir", "asc")
        if sort_dir not in ("asc", "desc"):
            raise MagnumError(
                400,
                f"Invalid sort direction: {sort_dir}. "
                "Acceptable values are 'asc' or 'desc'",
            )
        marker = params.get("marker")
        if marker is not None and not _is_uuid(marker):
            raise MagnumError(400, f"Expected a uuid but received {marker}.")
        return limit, marker, sort_key, sort_dir

    @staticmethod
    def _page(rows, limit, marker, sort_key, sort_dir, sortable, not_found):
        if sort_key != "id" and sort_key not in sortable:
            raise MagnumError(
                400, f'The sort_key value "{sort_key}" is an invalid field for sorting'
            )

        def key(row):
            value = row.get(sort_key)
            # SQL puts NULLs first in ascending order.
            return (
                (value is not None, str(value) if value is not None else ""),
                row["id"],
            )

        rows = sorted(rows, key=key, reverse=sort_dir == "desc")
        if marker:
            uuids = [r["uuid"] for r in rows]
            if marker not in uuids:
                raise not_found(marker)
            rows = rows[uuids.index(marker) + 1 :]
        return rows[:limit]

    @staticmethod
    def _next(request, resource, page, limit, sort_key, sort_dir):
        if not page or len(page) != limit:
            return None
        return (
            f"{request.host_url}/v1/{resource}?sort_key={sort_key}&sort_dir={sort_dir}"
            f"&limit={limit}&marker={page[-1]['uuid']}"
        )

    # --- cluster templates ----------------------------------------------

    def _template_visible(self, template, identity, all_tenants):
        if all_tenants:
            return True
        if template["project_id"] == identity.project_id:
            return True
        return template["public"] and (not template["hidden"] or identity.is_admin)

    def _template_missing(self, ident):
        return MagnumError(404, f"ClusterTemplate {ident} could not be found.")

    def _find_template(self, identity, ident, all_tenants=False):
        visible = [
            t
            for t in self._templates.values()
            if self._template_visible(t, identity, all_tenants)
        ]
        if _is_uuid(ident):
            matches = [t for t in visible if t["uuid"] == ident]
        else:
            matches = [t for t in visible if t["name"] == ident]
            if len(matches) > 1:
                raise MagnumError(
                    409,
                    "Multiple ClusterTemplates exist with same name. Please use "
                    "the ClusterTemplate uuid instead.",
                )
        if not matches:
            raise self._template_missing(ident)
        return matches[0]

    def _template_doc(self, request, template):
        doc = {k: template.get(k) for k in _TEMPLATE_SHOWN}
        base = request.host_url
        doc["links"] = [
            {"href": f"{base}/v1/clustertemplates/{template['uuid']}", "rel": "self"},
            {"href": f"{base}/clustertemplates/{template['uuid']}", "rel": "bookmark"},
        ]
        return doc

    def list_templates(self, request):
        detail = request.path_info.rstrip("/").endswith("/detail")
        return self._listing(
            request,
            "clustertemplates",
            "clustertemplates/detail" if detail else "clustertemplates",
            self._templates,
            self._template_visible,
            _TEMPLATE_SHOWN,
            self._template_missing,
            lambda template: self._template_doc(request, template),
        )

    def _listing(self, request, key, resource, things, visible, shown, missing, doc):
        """One page of a collection: ``{key: [doc, ...], "next": url}``.

        ``visible(thing, identity, all_tenants)`` filters, ``shown`` are the
        sortable keys, ``missing(marker)`` is the error of an unknown marker.
        """
        identity = self._identity(request)
        limit, marker, sort_key, sort_dir = self._list_params(request)
        with self._lock:
            rows = [
                t for t in things.values() if visible(t, identity, identity.is_admin)
            ]
            page = self._page(rows, limit, marker, sort_key, sort_dir, shown, missing)
            body = {key: [doc(thing) for thing in page]}
        next_link = self._next(request, resource, page, limit, sort_key, sort_dir)
        if next_link:
            body["next"] = next_link
        return json_response(body)

    def get_template(self, request, ident):
        identity = self._identity(request)
        with self._lock:
            template = self._find_template(
                identity, ident, all_tenants=identity.is_admin
            )
            if (
                template["hidden"]
                and not identity.is_admin
                and template["project_id"] != identity.project_id
            ):
                raise self._template_missing(ident)
            return json_response(self._template_doc(request, template))

    def _validate_drivers(self, values):
        coe = values["coe"]
        default, networks, volumes = _DRIVERS[coe]
        if not values.get("network_driver"):
            values["network_driver"] = default
        if values["network_driver"] not in networks:
            raise MagnumError(
                400,
                f"Network driver type {values['network_driver']} is not supported, "
                f"expecting a {'/'.join((*networks, 'unspecified'))} network driver.",
            )
        volume = values.get("volume_driver")
        if volume and volume not in volumes:
            raise MagnumError(
                400,
                f"Volume driver type {volume} is not supported, expecting a "
                f"{'/'.join((*volumes, 'unspecified'))} volume driver.",
            )
        if values.get("docker_storage_driver") == "devicemapper":
            size = values.get("docker_volume_size")
            if not size or size < 3:
                raise MagnumError(
                    400,
                    f"docker volume size {size} GB is not valid, expecting minimum "
                    "value 3GB for devicemapper storage driver.",
                )

    def _find_image(self, ident):
        try:
            return self.world.find_image(ident)
        except LookupError:
            raise MagnumError(400, f"Image {ident} could not be found.") from None
        except ValueError:
            raise MagnumError(
                409,
                f"Multiple images exist with same name '{ident}'. "
                "Please use the image ID instead.",
            ) from None

    def _validate_os_resources(self, identity, template, cluster=None):
        """magnum/api/attr_validator.py validate_os_resources."""

        def pick(attr):
            if cluster and cluster.get(attr):
                return cluster[attr]
            return template.get(attr)

        image_ident = pick("image_id")
        if image_ident is not None:
            image = self._find_image(image_ident)
            if not image.get("os_distro"):
                raise MagnumError(
                    400, f"Image {image_ident} doesn't contain os_distro field."
                )
        for attr in ("flavor_id", "master_flavor_id"):
            flavor = pick(attr)
            if flavor is not None and self.world.find_flavor(flavor) is None:
                raise MagnumError(400, f"Unable to find flavor {flavor}.")
        networks = self.world.networks(identity.project_id)
        external = pick("external_network_id")
        if external is not None:
            found = [
                n
                for n in networks
                if n["router:external"] and external in (n["id"], n["name"])
            ]
            if not found:
                raise MagnumError(400, f"Unable to find external network {external}.")
            if len(found) > 1:
                raise MagnumError(
                    409,
                    f"Multiple external networks exist with same name '{external}'. "
                    "Please use the external network ID instead.",
                )
        fixed = pick("fixed_network")
        if fixed is not None and not [
            n for n in networks if fixed in (n["id"], n["name"])
        ]:
            raise MagnumError(400, f"Unable to find fixed network {fixed}.")
        subnet = pick("fixed_subnet")
        if subnet is not None:
            subnets = self.world.subnets(identity.project_id)
            if not [s for s in subnets if subnet in (s["id"], s["name"])]:
                raise MagnumError(400, f"Unable to find fixed subnet {subnet}.")
        if cluster is not None:
            keypair = cluster.get("keypair")
            if (
                keypair is not None
                and self.world.find_keypair(identity.user_id, keypair) is None
            ):
                raise MagnumError(404, f"Unable to find keypair {keypair}.")

    def create_template(self, request):
        identity = self._identity(request)
        body = read_json(request)
        values = _parse_body(body, self._template_fields, "cluster_template")
        named = set(body)
        for name, default in _TEMPLATE_DEFAULTS.items():
            if values.get(name) is None:
                values[name] = default
        self._validate_drivers(values)
        image = self._find_image(values["image_id"])
        self._validate_os_resources(identity, values)
        if (values["public"] or values["hidden"]) and not identity.is_admin:
            raise MagnumError(
                403, "Not authorized to set public or hidden flag for cluster template."
            )
        values["labels"] = values.get("labels") or {}
        # The root volume check of each flavor the body names, None included.
        for attr in ("flavor_id", "master_flavor_id"):
            if attr in named:
                _check_root_volume(
                    self.world.find_flavor, values[attr], values["labels"]
                )
        values["cluster_distro"] = image["os_distro"]
        values.setdefault("driver", None)
        values["driver"] = values["driver"] or _DRIVER_NAMES[values["coe"]]
        if not values.get("name"):
            values["name"] = f"{random.choice(_GREEK)}-{random.randint(1, 24)}-template"
        with self._lock:
            template_uuid = values.get("uuid") or str(uuid.uuid4())
            if template_uuid in self._templates:
                raise MagnumError(
                    409, f"A ClusterTemplate with UUID {template_uuid} already exists."
                )
            template = {name: None for name in _TEMPLATE_SHOWN}
            template.update(values)
            template.update(
                id=self._new_id(),
                uuid=template_uuid,
                project_id=identity.project_id,
                user_id=identity.user_id,
                created_at=_now_iso(self.clock),
                updated_at=None,
            )
            template.pop("links", None)
            self._templates[template_uuid] = template
            self._save()
            response = json_response(self._template_doc(request, template), status=201)
        response.headers["Location"] = (
            f"{request.host_url}/v1/clustertemplates/{template_uuid}"
        )
        return response

    def _owns(self, identity, thing, action):
        if not identity.is_admin and thing["project_id"] != identity.project_id:
            raise MagnumError(403, f"Policy doesn't allow {action} to be performed.")

    def _in_use(self, template_uuid):
        return any(
            c["cluster_template_id"] == template_uuid for c in self._clusters.values()
        )

    def patch_template(self, request, ident):
        identity = self._identity(request)
        non_removable = {
            "/coe",
            "/image_id",
            "/network_driver",
            "/external_network_id",
            "/tls_disabled",
            "/public",
            "/server_type",
            "/registry_enabled",
            "/cluster_distro",
            "/hidden",
        }
        internal = {
            "/created_at",
            "/id",
            "/links",
            "/updated_at",
            "/uuid",
            "/project_id",
            "/user_id",
        }
        patch = _check_patch(read_json(request), internal, non_removable)
        with self._lock:
            template = self._find_template(
                identity, ident, all_tenants=identity.is_admin
            )
            self._owns(identity, template, "clustertemplate:update")
            doc = {k: template.get(k) for k in _TEMPLATE_SHOWN}
            patched = _apply_patch(doc, patch)
            values = {}
            for name in _TEMPLATE_SHOWN:
                value = patched.get(name)
                field = self._template_fields[name]
                values[name] = (
                    value if field.readonly else field.convert(name, value, True)
                )
            if values.get("coe") is None:
                raise _invalid_input("coe", None, "Mandatory field missing.")
            if values.get("image_id") is None:
                raise _invalid_input("image_id", None, "Mandatory field missing.")
            self._validate_drivers(values)
            self._validate_os_resources(identity, values)
            changed = {
                name
                for name in _TEMPLATE_SHOWN
                if values[name] != template.get(name)
                and name
                not in ("created_at", "updated_at", "project_id", "user_id", "uuid")
            }
            if ({"public", "hidden"} & changed) and not identity.is_admin:
                raise MagnumError(
                    403,
                    "Not authorized to set public or hidden flag for cluster template.",
                )
            # Unlike create, PATCH checks both flavors, a null one included
            # ("Unable to find flavor None."), against the boot_volume_size
            # of the labels as they were before the patch.
            for attr in ("flavor_id", "master_flavor_id"):
                _check_root_volume(
                    self.world.find_flavor, values[attr], template.get("labels")
                )
            # magnum/db/sqlalchemy/api.py: a template in use may only be
            # renamed, published, hidden or re-tagged.
            if changed and self._in_use(template["uuid"]):
                publishing = len(changed) == 1 and (
                    ("public" in changed and values["public"] is True)
                    or "hidden" in changed
                    or ("tags" in changed and values["tags"] is not None)
                )
                if not publishing and changed != {"name"}:
                    raise MagnumError(
                        400,
                        f"ClusterTemplate {template['uuid']} is referenced by one or "
                        "multiple clusters.",
                    )
            # Magnum answers with the object as patched in memory before its
            # save(), which reads back neither the new updated_at nor what
            # the row stores: labels removed (null) are stored as {}
            # (magnum/db/sqlalchemy/models.py JSONEncodedDict).
            doc = self._template_doc(request, template)
            if changed:
                for name in changed:
                    doc[name] = values[name]
                    template[name] = values[name]
                if template["labels"] is None:
                    template["labels"] = {}
                template["updated_at"] = _now_iso(self.clock)
                self._save()
            return json_response(doc)

    def delete_template(self, request, ident):
        identity = self._identity(request)
        with self._lock:
            template = self._find_template(
                identity, ident, all_tenants=identity.is_admin
            )
            self._owns(identity, template, "clustertemplate:delete")
            if self._in_use(template["uuid"]):
                # magnum/common/exception.py ClusterTemplateReferenced
                raise MagnumError(
                    400,
                    f"ClusterTemplate {template['uuid']} is referenced by one or "
                    "multiple clusters.",
                )
            del self._templates[template["uuid"]]
            self._save()
        return empty_response(204)

    # --- clusters -------------------------------------------------------

    def _cluster_visible(self, cluster, identity, all_tenants):
        if cluster["_visible_at"] > self.clock():
            return False
        return all_tenants or cluster["project_id"] == identity.project_id

    def _cluster_missing(self, ident):
        return MagnumError(404, f"Cluster {ident} could not be found.")

    def _find_cluster(self, identity, ident):
        visible = [
            c
            for c in self._clusters.values()
            if self._cluster_visible(c, identity, identity.is_admin)
        ]
        if _is_uuid(ident):
            matches = [c for c in visible if c["uuid"] == ident]
        else:
            matches = [c for c in visible if c["name"] == ident]
            if len(matches) > 1:
                raise MagnumError(
                    409,
                    "Multiple clusters exist with same name. Please use the "
                    "cluster uuid instead.",
                )
        if not matches:
            raise self._cluster_missing(ident)
        return matches[0]

    def _cluster_doc(self, request, cluster, expand, with_faults=False):
        version = self._version(request)
        use_cluster_id = version >= (1, 13)
        if expand:
            doc = {k: cluster.get(k) for k in _CLUSTER_SHOWN}
            # magnum/db/sqlalchemy/models.py JSONEncodedDict reads null as {}.
            if doc["health_status_reason"] is None:
                doc["health_status_reason"] = {}
            parent = (self._templates.get(cluster["cluster_template_id"]) or {}).get(
                "labels"
            ) or {}
            labels = cluster.get("labels") or {}
            doc["labels_overridden"] = {
                k: parent[k]
                for k, v in labels.items()
                if k in parent and parent[k] != v
            }
            doc["labels_added"] = {k: v for k, v in labels.items() if k not in parent}
            doc["labels_skipped"] = {k: v for k, v in parent.items() if k not in labels}
            if use_cluster_id:
                doc["cluster_id"] = doc.pop("stack_id")
        else:
            doc = {k: cluster.get(k) for k in _CLUSTER_BRIEF}
            if use_cluster_id:
                doc["cluster_id"] = cluster.get("stack_id")
            else:
                doc["stack_id"] = cluster.get("stack_id")
        # magnum/api/controllers/v1/cluster.py: merge_labels is never stored,
        # so every document shows the attribute's default.
        doc["merge_labels"] = False
        if with_faults and cluster["status"].endswith("_FAILED"):
            doc["faults"] = dict(cluster.get("_faults") or {})
        base = request.host_url
        doc["links"] = [
            {"href": f"{base}/v1/clusters/{cluster['uuid']}", "rel": "self"},
            {"href": f"{base}/clusters/{cluster['uuid']}", "rel": "bookmark"},
        ]
        return doc

    def _list_clusters(self, request, expand):
        return self._listing(
            request,
            "clusters",
            "clusters/detail" if expand else "clusters",
            self._clusters,
            self._cluster_visible,
            _CLUSTER_SHOWN,
            self._cluster_missing,
            lambda cluster: self._cluster_doc(request, cluster, expand),
        )

    def list_clusters(self, request):
        return self._list_clusters(request, expand=False)

    def list_clusters_detail(self, request):
        return self._list_clusters(request, expand=True)

    def get_cluster(self, request, ident):
        identity = self._identity(request)
        with self._lock:
            cluster = self._find_cluster(identity, ident)
            return json_response(
                self._cluster_doc(request, cluster, True, with_faults=True)
            )

    def create_cluster(self, request):
        identity = self._identity(request)
        version = self._version(request)
        values = _parse_body(read_json(request), _CLUSTER_FIELDS, "cluster")
        for name, default in (
            ("node_count", 1),
            ("master_count", 1),
            ("create_timeout", 60),
        ):
            if values.get(name) is None:
                values[name] = default
        with self._lock:
            try:
                template = self._find_template(identity, values["cluster_template_id"])
            except MagnumError as e:
                # magnum/api/validation.py ct_not_found_to_bad_request (< 1.10).
                if e.status == 404 and version < (1, 10):
                    e.status = 400
                raise
            # The decorators of ClusterController.post, in their order:
            # enforce_cluster_volume_storage_size, then
            # enforce_cluster_master_size_supported (the driver's
            # validate_master_size), then post's own zero-node check.
            storage = template.get("docker_storage_driver")
            size = values.get("docker_volume_size") or template.get(
                "docker_volume_size"
            )
            if storage == "devicemapper" and (not size or size < 3):
                raise MagnumError(
                    400,
                    f"docker volume size {size} GB is not valid, expecting minimum "
                    "value 3GB for devicemapper storage driver.",
                )
            if values["master_count"] % 2 == 0:
                raise MagnumError(
                    400,
                    f"master nodegroup size of {values['master_count']} is invalid, "
                    "size cannot be an even number.",
                )
            if version < (1, 10) and values["node_count"] == 0:
                raise MagnumError(
                    400,
                    "Resizing a nodegroup to zero is not supported in the "
                    "provided microversion.",
                )
            own = [
                c
                for c in self._clusters.values()
                if c["project_id"] == identity.project_id
            ]
            if self.max_clusters is not None and len(own) >= self.max_clusters:
                raise MagnumError(
                    403,
                    "Resource limit exceeded: You have reached the maximum clusters "
                    f"per project, {self.max_clusters}. You may delete a cluster to "
                    "make room for a new one.",
                )
            if template["hidden"] and not identity.is_admin:
                raise MagnumError(403, "Not authorized.")
            cluster = self._cluster_from_request(values, template)
            # The root volume check of both flavors, None included.
            for attr in ("flavor_id", "master_flavor_id"):
                _check_root_volume(
                    self.world.find_flavor, cluster[attr], cluster["labels"]
                )
            self._validate_os_resources(identity, template, cluster)
            if cluster["master_count"] > 1 and not cluster["master_lb_enabled"]:
                raise MagnumError(
                    400, "master_count must be 1 when master_lb_enabled is False"
                )
            now = self.clock()
            cluster.update(
                id=self._new_id(),
                uuid=values.get("uuid") or str(uuid.uuid4()),
                project_id=identity.project_id,
                user_id=identity.user_id,
                name=cluster["name"]
                or f"{random.choice(_GREEK)}-{random.randint(1, 24)}-cluster",
                stack_id=str(uuid.uuid4()),
                status="CREATE_IN_PROGRESS",
                status_reason=None,
                created_at=_now_iso(self.clock),
                updated_at=None,
                _visible_at=now + self.row_delay,
                _faults=None,
            )
            if cluster["uuid"] in self._clusters:
                raise MagnumError(
                    409, f"A cluster with UUID {cluster['uuid']} already exists."
                )
            fail = "fail" in cluster["name"].lower() or _truthy(
                (cluster["labels"] or {}).get("sandbox_fail", "")
            )
            self._schedule(cluster, "create", fail=fail)
            self._clusters[cluster["uuid"]] = cluster
            self._save()
        return json_response({"uuid": cluster["uuid"]}, status=202)

    @staticmethod
    def _cluster_from_request(values, template):
        """A new bay filled in from its template, as Magnum's cluster POST does."""
        cluster = {name: None for name in _CLUSTER_SHOWN}
        for name, value in values.items():
            if name in cluster:
                cluster[name] = value
        cluster["cluster_template_id"] = template["uuid"]
        if cluster["keypair"] is None:
            cluster["keypair"] = template.get("keypair_id")
        labels = values.get("labels")
        if not labels:
            cluster["labels"] = dict(template.get("labels") or {})
        elif values.get("merge_labels"):
            cluster["labels"] = {**(template.get("labels") or {}), **labels}
        for name in ("floating_ip_enabled", "master_lb_enabled"):
            if values.get(name) is None:
                cluster[name] = template.get(name)
        for name in (
            "docker_volume_size",
            "master_flavor_id",
            "flavor_id",
            "fixed_network",
            "fixed_subnet",
        ):
            if not values.get(name):
                cluster[name] = template.get(name)
        cluster.update(
            status=None,
            status_reason=None,
            health_status=None,
            health_status_reason={},
            api_address=None,
            coe_version=None,
            container_version=None,
            discovery_url=values.get("discovery_url"),
            master_addresses=[],
            node_addresses=[],
        )
        return cluster

    def patch_cluster(self, request, ident):
        identity = self._identity(request)
        version = self._version(request)
        internal = {
            "/created_at",
            "/id",
            "/links",
            "/updated_at",
            "/uuid",
            "/project_id",
            "/user_id",
            "/api_address",
            "/node_addresses",
            "/master_addresses",
            "/stack_id",
            "/cluster_id",
            "/ca_cert_ref",
            "/magnum_cert_ref",
            "/etcd_ca_cert_ref",
            "/front_proxy_ca_cert_ref",
        }
        patch = _check_patch(read_json(request), internal, {"/cluster_template_id"})
        with self._lock:
            cluster = self._find_cluster(identity, ident)
            self._owns(identity, cluster, "cluster:update")
            doc = {k: cluster.get(k) for k in _CLUSTER_SHOWN}
            patched = _apply_patch(doc, patch)
            changed = set()
            new = {}
            for name in _CLUSTER_SHOWN:
                field = _CLUSTER_FIELDS[name]
                value = patched.get(name)
                new[name] = (
                    value if field.readonly else field.convert(name, value, True)
                )
                if new[name] != cluster.get(name):
                    changed.add(name)
            disallowed = sorted(changed - _CLUSTER_UPDATABLE)
            if disallowed:
                raise MagnumError(
                    400, f"cannot change cluster property(ies) {', '.join(disallowed)}."
                )
            node_count = cluster["node_count"]
            for p in patch:
                if p["path"] == "/node_count":
                    node_count = new["node_count"]
            if node_count is None:
                raise _invalid_input("node_count", None, "Mandatory field missing.")
            if version < (1, 10) and node_count == 0:
                raise MagnumError(
                    400,
                    "Resizing a nodegroup to zero is not supported in the "
                    "provided microversion.",
                )
            # The conductor applies this asynchronously and silently drops it
            # when the bay is busy (cluster_conductor.cluster_update).
            if cluster["status"] in _UPDATABLE_STATES:
                cluster["health_status"] = new["health_status"]
                reason = new["health_status_reason"]
                cluster["health_status_reason"] = {} if reason is None else reason
                if node_count != cluster["node_count"]:
                    cluster["node_count"] = node_count
                    cluster["status"] = "UPDATE_IN_PROGRESS"
                    cluster["status_reason"] = None
                    cluster["updated_at"] = _now_iso(self.clock)
                    self._schedule(cluster, "update", node_count=node_count)
                self._save()
        return json_response({"uuid": cluster["uuid"]}, status=202)

    def delete_cluster(self, request, ident):
        identity = self._identity(request)
        with self._lock:
            cluster = self._find_cluster(identity, ident)
            self._owns(identity, cluster, "cluster:delete")
            if cluster["status"] != "DELETE_IN_PROGRESS":
                cluster["status"] = "DELETE_IN_PROGRESS"
                cluster["status_reason"] = None
                cluster["updated_at"] = _now_iso(self.clock)
                self._schedule(cluster, "delete")
                self._save()
        return empty_response(204)
