"""Magnum's wire types: the fields of templates and clusters, what wsme checks
of a POST body and of a JSON patch, and what a document shows."""

import ast
import datetime
import random
import re
import uuid

import jsonpatch

from dcos_sandbox.magnum.errors import MagnumError, invalid_input

# magnum/common/name_generator.py
GREEK = (
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi "
    "omicron pi rho sigma tau upsilon phi chi psi omega"
).split()

_UUID_RE = re.compile(
    r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$"
)

_CLUSTER_NAME = r"^[a-zA-Z][a-zA-Z0-9_.-]*$"

_PATCH_PATH = re.compile(r"^(/[\w-]+)+$")


def random_name(kind):
    """magnum/common/name_generator.py, for a template or cluster POST without one."""
    return f"{random.choice(GREEK)}-{random.randint(1, 24)}-{kind}"


def now_iso(clock):
    moment = datetime.datetime.fromtimestamp(clock(), tz=datetime.UTC)
    return moment.replace(microsecond=0).isoformat()


def is_uuid(value):
    return isinstance(value, str) and bool(_UUID_RE.match(value))


def truthy(value):
    return str(value).strip().lower() in ("1", "t", "true", "on", "y", "yes")


class Field:
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
            raise invalid_input(
                name, value, "'<' not supported between instances of 'str' and 'int'"
            )
        kind, opts = self.kind, self.opts
        if kind == "str":
            if not isinstance(value, str):
                raise invalid_input(name, value, "Value should be string")
            lo, hi = opts.get("min_length"), opts.get("max_length")
            if lo is not None and len(value) < lo:
                raise invalid_input(
                    name,
                    value,
                    f"Value should have a minimum character requirement of {lo}",
                )
            if hi is not None and len(value) > hi:
                raise invalid_input(
                    name,
                    value,
                    f"Value should have a maximum character requirement of {hi}",
                )
            pattern = opts.get("pattern")
            if pattern and not re.match(pattern, value):
                raise invalid_input(
                    name, value, f"Value should match the pattern {pattern}"
                )
            return value
        if kind == "int":
            if isinstance(value, bool) or not isinstance(value, int | str):
                raise invalid_input(name, value, "Value should be an integer")
            try:
                number = int(value)
            except ValueError:
                raise invalid_input(name, value, "Value should be an integer") from None
            lo, hi = opts.get("minimum"), opts.get("maximum")
            if lo is not None and number < lo:
                raise invalid_input(
                    name, number, f"Value should be greater or equal to {lo}"
                )
            if hi is not None and number > hi:
                raise invalid_input(
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
            raise invalid_input(
                name, value, f"Value not an unambiguous boolean: {value}"
            )
        if kind == "enum":
            values = opts["values"]
            if value not in values:
                # wsme/types.py Enum.validate
                raise invalid_input(
                    name, value, "Value should be one of: " + ", ".join(values)
                )
            return value
        if kind == "dict":
            if not isinstance(value, dict):
                raise invalid_input(name, value, f"Value not a valid dict: {value}")
            for item in value.values():
                if not isinstance(item, str | int | float | bool):
                    raise invalid_input(
                        name,
                        value,
                        f"Wrong type. Expected 'text', got '{type(item).__name__}'",
                    )
            # magnum/objects DictOfStringsField keeps every value as a string.
            return {str(k): str(v) for k, v in value.items()}
        if kind == "uuid":
            if not is_uuid(value):
                raise MagnumError(400, f"Expected a uuid but received {value}.")
            return str(uuid.UUID(value))
        if kind == "any":
            return value
        raise AssertionError(kind)


def text_field(**kw):
    return Field("str", min_length=1, max_length=255, **kw)


def template_fields(coes):
    return {
        "uuid": Field("uuid"),
        "name": Field("str", min_length=1, max_length=255),
        "coe": Field("enum", mandatory=True, values=coes),
        "image_id": text_field(mandatory=True),
        "flavor_id": text_field(),
        "master_flavor_id": text_field(),
        "dns_nameserver": Field("str"),
        "keypair_id": text_field(),
        "external_network_id": text_field(),
        "fixed_network": text_field(),
        "fixed_subnet": text_field(),
        "network_driver": text_field(),
        "apiserver_port": Field("int", minimum=1024, maximum=65535),
        "docker_volume_size": Field("int", minimum=1),
        "cluster_distro": text_field(),
        "links": Field("any", readonly=True),
        "http_proxy": text_field(),
        "https_proxy": text_field(),
        "no_proxy": text_field(),
        "volume_driver": text_field(),
        "registry_enabled": Field("bool"),
        "labels": Field("dict"),
        "tls_disabled": Field("bool"),
        "public": Field("bool"),
        "server_type": Field("enum", values=("vm", "bm")),
        "insecure_registry": text_field(),
        "docker_storage_driver": text_field(),
        "master_lb_enabled": Field("bool"),
        "floating_ip_enabled": Field("bool"),
        "project_id": Field("str", readonly=True),
        "user_id": Field("str", readonly=True),
        "hidden": Field("bool"),
        "tags": Field("str", min_length=0, max_length=255),
        "driver": text_field(),
        "created_at": Field("any", readonly=True),
        "updated_at": Field("any", readonly=True),
    }


TEMPLATE_DEFAULTS = {
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
TEMPLATE_SHOWN = (
    "uuid project_id user_id name image_id flavor_id master_flavor_id keypair_id "
    "dns_nameserver external_network_id fixed_network fixed_subnet network_driver "
    "volume_driver apiserver_port docker_volume_size docker_storage_driver "
    "cluster_distro coe http_proxy https_proxy no_proxy registry_enabled labels "
    "tls_disabled public server_type insecure_registry master_lb_enabled "
    "floating_ip_enabled hidden tags driver created_at updated_at"
).split()

CLUSTER_FIELDS = {
    "uuid": Field("uuid"),
    "name": Field("str", min_length=1, max_length=242, pattern=_CLUSTER_NAME),
    "cluster_template_id": Field("str", mandatory=True),
    "keypair": text_field(),
    "node_count": Field("int", minimum=0),
    "master_count": Field("int", minimum=1),
    "docker_volume_size": Field("int", minimum=1),
    "labels": Field("dict"),
    "master_flavor_id": text_field(),
    "flavor_id": text_field(),
    "create_timeout": Field("int", minimum=0),
    "links": Field("any", readonly=True),
    "stack_id": Field("any", readonly=True),
    "cluster_id": Field("any", readonly=True),
    "status": Field("any"),
    "status_reason": Field("any"),
    "health_status": Field("any"),
    "health_status_reason": Field("any"),
    "discovery_url": Field("str"),
    "api_address": Field("any", readonly=True),
    "coe_version": Field("any", readonly=True),
    "container_version": Field("any", readonly=True),
    "project_id": Field("any", readonly=True),
    "user_id": Field("any", readonly=True),
    "node_addresses": Field("any", readonly=True),
    "master_addresses": Field("any", readonly=True),
    "faults": Field("any"),
    "fixed_network": text_field(),
    "fixed_subnet": text_field(),
    "floating_ip_enabled": Field("bool"),
    "merge_labels": Field("bool"),
    "labels_overridden": Field("any"),
    "labels_added": Field("any"),
    "labels_skipped": Field("any"),
    "master_lb_enabled": Field("bool"),
    "created_at": Field("any", readonly=True),
    "updated_at": Field("any", readonly=True),
}

CLUSTER_SHOWN = (
    "uuid name project_id user_id cluster_template_id keypair docker_volume_size "
    "labels master_flavor_id flavor_id stack_id status status_reason health_status "
    "health_status_reason create_timeout api_address discovery_url coe_version "
    "container_version fixed_network fixed_subnet floating_ip_enabled "
    "master_lb_enabled node_count master_count node_addresses master_addresses "
    "created_at updated_at"
).split()

# magnum/api/controllers/v1/cluster.py, Cluster._convert_with_links(expand=False)
CLUSTER_BRIEF = (
    "uuid name cluster_template_id keypair docker_volume_size labels node_count "
    "status master_flavor_id flavor_id create_timeout master_count health_status"
).split()

CLUSTER_UPDATABLE = {"node_count", "health_status", "health_status_reason"}


# Paths no JSON patch may touch (magnum/api/controllers/v1/*.py
# ...PatchType.internal_attrs): those of every resource.
INTERNAL_PATHS = frozenset(
    ("/created_at", "/id", "/links", "/updated_at", "/uuid", "/project_id", "/user_id")
)


def parse_body(body, fields, argname):
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
                raise invalid_input(name, body[name], "Cannot set read only field.")
            values[name] = field.convert(name, body[name])
        elif field.mandatory:
            raise invalid_input(name, None, "Mandatory field missing.")
    return values


def check_patch(patch, internal, non_removable):
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
                raise invalid_input(name, None, "Mandatory field missing.")
        path, kind = op["path"], op["op"]
        if not isinstance(path, str) or not _PATCH_PATH.match(path):
            raise invalid_input(
                "path", path, f"Value should match the pattern {_PATCH_PATH.pattern}"
            )
        if kind not in ("add", "replace", "remove"):
            raise invalid_input(
                "op", kind, "Value should be one of: add, replace, remove"
            )
        value = op.get("value")
        if value is not None and not isinstance(value, str | int):
            raise invalid_input(
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


def apply_patch(doc, patch):
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
