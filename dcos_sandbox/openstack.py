"""Glance v2, Nova v2.1 and Neutron v2.0 stand-ins: the reads Horizon and
Magnum make for a bay's choices (images, flavors, keypairs, networks).

All three serve one read-only :class:`World` seeded below; the Magnum
stand-in validates templates and bays against the same ``World`` object.
Answers follow the real services' shapes, including their error bodies
(Nova ``{"itemNotFound": ...}``, Neutron ``{"NeutronError": ...}``, Glance
plain text), because the real clients parse nothing else.
"""

import hashlib
import urllib.parse
import uuid

import webob

from dcos_sandbox.auth import Identity
from dcos_sandbox.wsgi import Router, json_response

_NS = uuid.UUID("6c1bd0c5-55c1-4d35-8f37-2f7b44e0b1a5")


def _id(kind, name):
    """A stable id per seeded object, so ids survive restarts."""
    return str(uuid.uuid5(_NS, f"{kind}:{name}"))


# Seeded objects belong to a project nobody logs into, like devstack's
# `admin`-owned public image and network.
_OWNER = uuid.uuid5(_NS, "project:admin").hex

# (name, os_distro or None, disk_format, size in bytes, created_at)
_IMAGES = (
    ("dcos-centos-7.2", "centos", "qcow2", 1_073_741_824, "2024-03-01T10:00:00Z"),
    ("ubuntu-mesos", "ubuntu", "qcow2", 734_003_200, "2024-03-02T10:00:00Z"),
    ("fedora-coreos-40", "fedora-coreos", "qcow2", 805_306_368, "2024-03-03T10:00:00Z"),
    ("cirros", None, "qcow2", 21_430_272, "2024-03-04T10:00:00Z"),
)

# (id, name, ram MB, disk GB, vcpus): devstack's m1 sizes.
_FLAVORS = (
    ("1", "m1.tiny", 512, 1, 1),
    ("2", "m1.small", 2048, 20, 1),
    ("3", "m1.medium", 4096, 40, 2),
    ("4", "m1.large", 8192, 80, 4),
)

_TESTKEY = (
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx1c2Fib3gtc2FuZGJveC10ZXN0a2V5LW5vdC1y"
    "ZWFs sandbox@dcos-sandbox"
)

_SEED_TIME = "2024-03-01T09:00:00Z"


def _fingerprint(public_key):
    raw = public_key.split()[1].encode()
    digest = hashlib.md5(raw, usedforsecurity=False).hexdigest()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


class World:
    """The images, flavors, keypairs and networks every project can see."""

    def __init__(self):
        self.images = [self._image(*row) for row in _IMAGES]
        self.flavors = [
            {"id": fid, "name": name, "ram": ram, "disk": disk, "vcpus": vcpus}
            for fid, name, ram, disk, vcpus in _FLAVORS
        ]
        public_subnet = _id("subnet", "public-subnet")
        private_subnet = _id("subnet", "private-subnet")
        self._networks = [
            self._network("public", public_subnet, external=True, shared=True),
            self._network("private", private_subnet, external=False, shared=False),
        ]
        self._subnets = [
            self._subnet(
                "public-subnet", "public", "172.24.4.0/24", "172.24.4.1", (2, 254)
            ),
            self._subnet(
                "private-subnet", "private", "10.0.0.0/26", "10.0.0.1", (2, 62)
            ),
        ]

    # --- seeds -----------------------------------------------------------

    @staticmethod
    def _image(name, os_distro, disk_format, size, created_at):
        image_id = _id("image", name)
        image = {
            "id": image_id,
            "name": name,
            "status": "active",
            "visibility": "public",
            "protected": False,
            "os_hidden": False,
            "checksum": hashlib.md5(name.encode(), usedforsecurity=False).hexdigest(),
            "os_hash_algo": "sha512",
            "os_hash_value": hashlib.sha512(name.encode()).hexdigest(),
            "owner": _OWNER,
            "size": size,
            "virtual_size": None,
            "min_ram": 0,
            "min_disk": 0,
            "disk_format": disk_format,
            "container_format": "bare",
            "created_at": created_at,
            "updated_at": created_at,
            "tags": [],
            "self": f"/v2/images/{image_id}",
            "file": f"/v2/images/{image_id}/file",
            "schema": "/v2/schemas/image",
        }
        if os_distro:
            image["os_distro"] = os_distro
        return image

    @staticmethod
    def _network(name, subnet_id, external, shared):
        return {
            "id": _id("network", name),
            "name": name,
            "tenant_id": _OWNER,
            "project_id": _OWNER,
            "admin_state_up": True,
            "mtu": 1500 if external else 1450,
            "status": "ACTIVE",
            "subnets": [subnet_id],
            "shared": shared,
            "availability_zone_hints": [],
            "availability_zones": ["nova"],
            "ipv4_address_scope": None,
            "ipv6_address_scope": None,
            "router:external": external,
            "description": "",
            "port_security_enabled": True,
            "l2_adjacency": True,
            "tags": [],
            "created_at": _SEED_TIME,
            "updated_at": _SEED_TIME,
            "revision_number": 1,
        }

    @staticmethod
    def _subnet(name, network, cidr, gateway, pool):
        prefix = cidr.rsplit(".", 1)[0]
        return {
            "id": _id("subnet", name),
            "name": name,
            "network_id": _id("network", network),
            "tenant_id": _OWNER,
            "project_id": _OWNER,
            "ip_version": 4,
            "cidr": cidr,
            "gateway_ip": gateway,
            "allocation_pools": [
                {"start": f"{prefix}.{pool[0]}", "end": f"{prefix}.{pool[1]}"}
            ],
            "dns_nameservers": [],
            "host_routes": [],
            "enable_dhcp": network != "public",
            "ipv6_ra_mode": None,
            "ipv6_address_mode": None,
            "subnetpool_id": None,
            "service_types": [],
            "description": "",
            "tags": [],
            "created_at": _SEED_TIME,
            "updated_at": _SEED_TIME,
            "revision_number": 0,
        }

    # --- what each project sees --------------------------------------------

    def networks(self, project_id):
        # `private` stands for the project's own tenant network: every project
        # gets one, as devstack gives its demo project.
        seen = []
        for net in self._networks:
            net = dict(net)
            if not (net["shared"] or net["router:external"]):
                net["tenant_id"] = net["project_id"] = project_id
            seen.append(net)
        return seen

    def subnets(self, project_id):
        private = {
            n["id"] for n in self.networks(project_id) if n["project_id"] == project_id
        }
        seen = []
        for subnet in self._subnets:
            subnet = dict(subnet)
            if subnet["network_id"] in private:
                subnet["tenant_id"] = subnet["project_id"] = project_id
            seen.append(subnet)
        return seen

    def keypairs(self, user_id):
        # Nova keypairs belong to users; every user has `testkey`.
        return [
            {
                "name": "testkey",
                "public_key": _TESTKEY,
                "fingerprint": _fingerprint(_TESTKEY),
                "type": "ssh",
                "user_id": user_id,
                "id": 1,
                "created_at": "2024-03-01T09:00:00.000000",
                "updated_at": None,
                "deleted_at": None,
                "deleted": False,
            }
        ]

    # --- lookups the Magnum stand-in makes (as magnum/api/attr_validator.py) --

    def find_image(self, ident):
        """The image with this id, else the one with this name.

        Raises LookupError when there is none, ValueError when the name is
        ambiguous (openstacksdk's find_image: NotFound / DuplicateResource).
        """
        for image in self.images:
            if image["id"] == ident:
                return image
        named = [i for i in self.images if i["name"] == ident]
        if len(named) > 1:
            raise ValueError(ident)
        if not named:
            raise LookupError(ident)
        return named[0]

    def find_flavor(self, ident):
        for flavor in self.flavors:
            if ident in (flavor["id"], flavor["name"]):
                return flavor
        return None

    def find_keypair(self, user_id, name):
        for keypair in self.keypairs(user_id):
            if keypair["name"] == name:
                return keypair
        return None


# --- shared helpers ---------------------------------------------------------


def _base_url(request):
    return request.host_url


def _list_page(items, params, key="id"):
    """Apply limit/marker to ``items``; return (page, next_marker or None)."""
    marker = params.get("marker")
    if marker:
        ids = [item[key] for item in items]
        if marker not in ids:
            raise LookupError(marker)
        items = items[ids.index(marker) + 1 :]
    limit = params.get("limit")
    if limit is None:
        return items, None
    page = items[:limit]
    more = len(page) == limit and limit > 0
    return page, (page[-1][key] if more else None)


def _sort(items, keys_dirs):
    for key, direction in reversed(keys_dirs):
        items = sorted(
            items,
            key=lambda item, k=key: (item.get(k) is not None, item.get(k) or ""),
            reverse=direction == "desc",
        )
    return items


# --- Glance v2 ---------------------------------------------------------------

_GLANCE_MAX_LIMIT = 1000  # glance api_limit_max default
_GLANCE_DEFAULT_LIMIT = 25  # glance limit_param_default
_GLANCE_VERSIONS = ("2.17", "2.16", "2.15", "2.9", "2.7", "2.6", "2.5", "2.0")
# Query parameters Glance reads itself; any other is a property filter.
_GLANCE_RESERVED = {"limit", "marker", "sort_key", "sort_dir", "sort", "member_status"}


def _glance_image_schema():
    # Shaped like Glance's own /v2/schemas/image (glance/api/v2/images.py,
    # get_base_properties): typed core properties, free-form string extras.
    nullable = {"type": ["null", "string"]}
    uuid_pattern = (
        "^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}"
        "-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$"
    )
    properties = {
        "id": {
            "type": "string",
            "pattern": uuid_pattern,
            "description": "An identifier for the image",
        },
        "name": {"type": ["null", "string"], "maxLength": 255},
        "status": {
            "type": "string",
            "readOnly": True,
            "enum": [
                "queued",
                "saving",
                "active",
                "killed",
                "deleted",
                "uploading",
                "importing",
                "pending_delete",
                "deactivated",
            ],
        },
        "visibility": {
            "type": "string",
            "enum": ["community", "public", "private", "shared"],
        },
        "protected": {"type": "boolean"},
        "os_hidden": {"type": "boolean"},
        "checksum": dict(nullable, readOnly=True, maxLength=32),
        "os_hash_algo": dict(nullable, readOnly=True, maxLength=64),
        "os_hash_value": dict(nullable, readOnly=True, maxLength=128),
        "owner": dict(nullable, maxLength=255),
        "size": {"type": ["null", "integer"], "readOnly": True},
        "virtual_size": {"type": ["null", "integer"], "readOnly": True},
        "min_ram": {"type": "integer"},
        "min_disk": {"type": "integer"},
        "container_format": {
            "type": ["null", "string"],
            "enum": [
                None,
                "ami",
                "ari",
                "aki",
                "bare",
                "ovf",
                "ova",
                "docker",
                "compressed",
            ],
        },
        "disk_format": {
            "type": ["null", "string"],
            "enum": [
                None,
                "ami",
                "ari",
                "aki",
                "vhd",
                "vhdx",
                "vmdk",
                "raw",
                "qcow2",
                "vdi",
                "iso",
                "ploop",
            ],
        },
        "created_at": {"type": "string", "readOnly": True},
        "updated_at": {"type": "string", "readOnly": True},
        "tags": {"type": "array", "items": {"type": "string", "maxLength": 255}},
        "direct_url": {"type": "string", "readOnly": True},
        "locations": {"type": "array", "items": {"type": "object"}},
        "self": {"type": "string", "readOnly": True},
        "file": {"type": "string", "readOnly": True},
        "stores": {"type": "string", "readOnly": True},
        "schema": {"type": "string", "readOnly": True},
        "os_distro": {
            "type": "string",
            "is_base": False,
            "description": "Common name of operating system distribution",
        },
        "os_version": {"type": "string", "is_base": False},
        "kernel_id": dict(nullable, pattern=uuid_pattern, is_base=False),
        "ramdisk_id": dict(nullable, pattern=uuid_pattern, is_base=False),
        "instance_uuid": {"type": "string", "is_base": False},
        "architecture": {"type": "string", "is_base": False},
    }
    return {
        "name": "image",
        "properties": properties,
        "additionalProperties": {"type": "string"},
        "links": [
            {"rel": "self", "href": "{self}"},
            {"rel": "enclosure", "href": "{file}"},
            {"rel": "describedby", "href": "{schema}"},
        ],
    }


def _glance_error(status, message):
    # Glance answers errors as webob's HTML/text documents, not JSON.
    response = webob.Response(status=status, charset="UTF-8")
    response.content_type = "text/html"
    title = response.status
    response.text = (
        f"<html>\n <head>\n  <title>{title}</title>\n </head>\n <body>\n"
        f"  <h1>{title}</h1>\n  {message}<br /><br />\n\n\n\n </body>\n</html>"
    )
    return response


class GlanceApp:
    """Glance v2: ``/versions``, ``/v2/images``, ``/v2/images/<id>``, schemas."""

    public_paths = (r"/", r"/versions")

    def __init__(self, world):
        self.world = world
        self.router = Router(self._not_found, self._not_allowed)
        add = self.router.add
        add("GET", "/", self.versions_root)
        add("GET", "/versions", self.versions)
        add("GET", "/v2/images", self.list_images)
        add("GET", "/v2/images/{image_id}", self.get_image)
        add("GET", "/v2/schemas/image", self.image_schema)
        add("GET", "/v2/schemas/images", self.images_schema)

    def __call__(self, environ, start_response):
        return self.router.dispatch(webob.Request(environ))(environ, start_response)

    def _not_found(self, request):
        return _glance_error(404, "The resource could not be found.")

    def _not_allowed(self, request, allowed):
        response = _glance_error(405, "The method is not allowed for this resource.")
        response.headers["Allow"] = ", ".join(allowed)
        return response

    def _versions(self, request):
        base = _base_url(request)
        return {
            "versions": [
                {
                    "id": f"v{v}",
                    "status": "CURRENT" if i == 0 else "SUPPORTED",
                    "links": [{"rel": "self", "href": f"{base}/v2/"}],
                }
                for i, v in enumerate(_GLANCE_VERSIONS)
            ]
        }

    def versions_root(self, request):
        return json_response(self._versions(request), status=300)

    def versions(self, request):
        return json_response(self._versions(request))

    def _visible(self, identity):
        return [
            image
            for image in self.world.images
            if image["visibility"] in ("public", "community")
            or image["owner"] == identity.project_id
        ]

    def list_images(self, request):
        identity = Identity.from_environ(request.environ)
        params = request.GET
        try:
            limit = int(params.get("limit", _GLANCE_DEFAULT_LIMIT))
            if limit < 0:
                raise ValueError
        except ValueError:
            return _glance_error(400, "limit param must be positive")
        limit = min(limit, _GLANCE_MAX_LIMIT)
        try:
            order = self._sort_order(params)
        except ValueError as e:
            return _glance_error(400, str(e))
        images = self._visible(identity)
        include_hidden = params.get("os_hidden", "false").lower() == "true"
        images = [i for i in images if i["os_hidden"] == include_hidden]
        for name, value in params.items():
            if name in _GLANCE_RESERVED or name == "os_hidden":
                continue
            if name == "tag":
                images = [i for i in images if value in i["tags"]]
                continue
            images = [i for i in images if _matches(i.get(name), value)]
        images = _sort(images, order)
        try:
            page, next_marker = _list_page(
                images, {"marker": params.get("marker"), "limit": limit}
            )
        except LookupError:
            return _glance_error(
                400, f"Invalid marker. Image {params.get('marker')} could not be found."
            )
        rest = [(k, v) for k, v in params.items() if k != "marker"]
        body = {
            "images": page,
            "schema": "/v2/schemas/images",
            "first": "/v2/images"
            + ("?" + urllib.parse.urlencode(rest) if rest else ""),
        }
        if next_marker:
            body["next"] = "/v2/images?" + urllib.parse.urlencode(
                rest + [("marker", next_marker)]
            )
        return json_response(body)

    @staticmethod
    def _sort_order(params):
        keys = params.getall("sort_key")
        dirs = params.getall("sort_dir")
        order = []
        if "sort" in params:
            for part in params["sort"].split(","):
                key, _, direction = part.strip().partition(":")
                order.append((key, direction or "desc"))
        else:
            keys = keys or ["created_at"]
            if len(dirs) > 1 and len(dirs) != len(keys):
                raise ValueError(
                    "Number of sort dirs does not match the number of sort keys"
                )
            for i, key in enumerate(keys):
                direction = dirs[i] if len(dirs) > 1 else (dirs[0] if dirs else "desc")
                order.append((key, direction))
        for _key, direction in order:
            if direction not in ("asc", "desc"):
                raise ValueError(
                    f"Invalid sort direction: {direction}. "
                    "Acceptable values are 'asc' or 'desc'"
                )
        if "id" not in {k for k, _ in order}:
            order.append(("id", order[-1][1]))
        return order

    def get_image(self, request, image_id):
        identity = Identity.from_environ(request.environ)
        for image in self._visible(identity):
            if image["id"] == image_id:
                return json_response(image)
        return _glance_error(404, f"No image found with ID {image_id}")

    def image_schema(self, request):
        return json_response(_glance_image_schema())

    def images_schema(self, request):
        return json_response(
            {
                "name": "images",
                "properties": {
                    "images": {"type": "array", "items": _glance_image_schema()},
                    "schema": {"type": "string"},
                    "first": {"type": "string"},
                    "next": {"type": "string"},
                },
                "links": [
                    {"rel": "first", "href": "{first}"},
                    {"rel": "next", "href": "{next}"},
                    {"rel": "describedby", "href": "{schema}"},
                ],
            }
        )


def _matches(actual, wanted):
    """Whether a stored value equals a query-string value (bools as words)."""
    if isinstance(actual, bool):
        return wanted.lower() in (("true", "1") if actual else ("false", "0"))
    if actual is None:
        return wanted.lower() in ("none", "null", "")
    return str(actual) == wanted


# --- Nova v2.1 ---------------------------------------------------------------

NOVA_MIN_VERSION = (2, 1)
# Nova 2024.1 "Caracal" (nova/api/openstack/api_version_request.py).
NOVA_MAX_VERSION = (2, 96)


def _vstr(version):
    return f"{version[0]}.{version[1]}"


class _NovaError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


# nova/api/openstack/wsgi.py, Fault._fault_names.
_NOVA_FAULT_NAMES = {
    400: "badRequest",
    401: "unauthorized",
    403: "forbidden",
    404: "itemNotFound",
    405: "badMethod",
    409: "conflictingRequest",
    413: "overLimit",
    415: "badMediaType",
    429: "overLimit",
    501: "notImplemented",
    503: "serviceUnavailable",
}


def _nova_error(status, message):
    name = _NOVA_FAULT_NAMES.get(status, "computeFault")
    return json_response({name: {"code": status, "message": message}}, status=status)


class NovaApp:
    """Nova v2.1: version documents, flavors, keypairs, limits, usage, AZs."""

    public_paths = (r"/", r"/v2\.1/?")

    def __init__(self, world):
        self.world = world
        self.router = Router(self._not_found, self._not_allowed)
        add = self.router.add
        add("GET", "/", self.versions)
        add("GET", "/v2.1", self.version)
        add("GET", "/v2.1/flavors", self.list_flavors)
        add("GET", "/v2.1/flavors/detail", self.list_flavors_detail)
        add("GET", "/v2.1/flavors/{flavor_id}", self.get_flavor)
        add("GET", "/v2.1/flavors/{flavor_id}/os-extra_specs", self.flavor_extra_specs)
        add("GET", "/v2.1/os-keypairs", self.list_keypairs)
        add("GET", "/v2.1/os-keypairs/{name}", self.get_keypair)
        add("GET", "/v2.1/limits", self.limits)
        add("GET", "/v2.1/os-simple-tenant-usage", self.usage_list)
        add("GET", "/v2.1/os-simple-tenant-usage/{project_id}", self.usage_get)
        add("GET", "/v2.1/servers", self.servers)
        add("GET", "/v2.1/servers/detail", self.servers)
        add("GET", "/v2.1/os-availability-zone", self.availability_zones)
        add("GET", "/v2.1/os-availability-zone/detail", self.availability_zones)
        add("GET", "/v2.1/os-quota-sets/{project_id}", self.quota_set)
        add("GET", "/v2.1/os-quota-sets/{project_id}/defaults", self.quota_set)
        add("GET", "/v2.1/os-quota-sets/{project_id}/detail", self.quota_set_detail)
        add("GET", "/v2.1/os-server-groups", self.server_groups)
        add("GET", "/v2.1/extensions", self.extensions)

    def __call__(self, environ, start_response):
        request = webob.Request(environ)
        try:
            version = self._version(request)
            response = self.router.dispatch(request)
        except _NovaError as e:
            version, response = NOVA_MIN_VERSION, _nova_error(e.status, e.message)
        if request.path_info.startswith("/v2.1/"):
            response.headers["OpenStack-API-Version"] = f"compute {_vstr(version)}"
            response.headers["X-OpenStack-Nova-API-Version"] = _vstr(version)
            response.headers["Vary"] = (
                "OpenStack-API-Version, X-OpenStack-Nova-API-Version"
            )
        return response(environ, start_response)

    @staticmethod
    def _version(request):
        """The microversion asked for (nova/api/openstack/wsgi.py rules)."""
        raw = None
        header = request.headers.get("OpenStack-API-Version", "")
        for part in header.split(","):
            service, _, value = part.strip().partition(" ")
            if service.lower() == "compute" and value:
                raw = value.strip()
        if raw is None:
            raw = request.headers.get("X-OpenStack-Nova-API-Version")
        if raw is None:
            version = NOVA_MIN_VERSION
        elif raw.lower() == "latest":
            version = NOVA_MAX_VERSION
        else:
            try:
                major, minor = (int(x) for x in raw.split("."))
            except ValueError:
                raise _NovaError(
                    400,
                    f"API Version String {raw} is of invalid format. "
                    "Must be of format MajorNum.MinorNum.",
                ) from None
            version = (major, minor)
        request.environ["sandbox.nova_version"] = version
        if not NOVA_MIN_VERSION <= version <= NOVA_MAX_VERSION:
            raise _NovaError(
                406,
                f"Version {_vstr(version)} is not supported by the API. Minimum is "
                f"{_vstr(NOVA_MIN_VERSION)} and maximum is {_vstr(NOVA_MAX_VERSION)}.",
            )
        return version

    def _not_found(self, request):
        return _nova_error(404, "The resource could not be found.")

    def _not_allowed(self, request, allowed):
        return _nova_error(
            405, "The method specified is not allowed for this resource."
        )

    def _version_doc(self, request):
        base = _base_url(request)
        return {
            "id": "v2.1",
            "status": "CURRENT",
            "version": _vstr(NOVA_MAX_VERSION),
            "min_version": _vstr(NOVA_MIN_VERSION),
            "updated": "2013-07-23T11:33:21Z",
            "links": [
                {"rel": "self", "href": f"{base}/v2.1/"},
                {
                    "rel": "describedby",
                    "type": "text/html",
                    "href": "http://docs.openstack.org/",
                },
            ],
            "media-types": [
                {
                    "base": "application/json",
                    "type": "application/vnd.openstack.compute+json;version=2.1",
                }
            ],
        }

    def versions(self, request):
        doc = self._version_doc(request)
        v20 = dict(doc, id="v2.0", status="SUPPORTED", version="", min_version="")
        v20["links"] = [{"rel": "self", "href": f"{_base_url(request)}/v2/"}]
        return json_response({"versions": [v20, doc]})

    def version(self, request):
        return json_response({"version": self._version_doc(request)})

    # flavors

    def _flavor(self, request, flavor, detail):
        version = request.environ["sandbox.nova_version"]
        base = _base_url(request)
        body = {
            "id": flavor["id"],
            "name": flavor["name"],
            "links": [
                {"rel": "self", "href": f"{base}/v2.1/flavors/{flavor['id']}"},
                {"rel": "bookmark", "href": f"{base}/flavors/{flavor['id']}"},
            ],
        }
        if version >= (2, 55):
            body["description"] = None
        if not detail:
            return body
        body.update(
            {
                "ram": flavor["ram"],
                "disk": flavor["disk"],
                "vcpus": flavor["vcpus"],
                "swap": 0 if version >= (2, 75) else "",
                "OS-FLV-EXT-DATA:ephemeral": 0,
                "OS-FLV-DISABLED:disabled": False,
                "os-flavor-access:is_public": True,
            }
        )
        if version < (2, 75):
            body["rxtx_factor"] = 1.0
        if version >= (2, 61):
            body["extra_specs"] = {}
        return body

    def _flavors(self, request, detail):
        params = request.GET
        flavors = list(self.world.flavors)
        try:
            if "minRam" in params:
                flavors = [f for f in flavors if f["ram"] >= int(params["minRam"])]
            if "minDisk" in params:
                flavors = [f for f in flavors if f["disk"] >= int(params["minDisk"])]
            limit = int(params["limit"]) if "limit" in params else None
        except ValueError:
            return _nova_error(400, "Invalid input for query parameters.")
        key = params.get("sort_key", "flavorid")
        key = "id" if key == "flavorid" else key
        if key not in ("id", "name", "ram", "disk", "vcpus", "memory_mb", "root_gb"):
            return _nova_error(
                400, f"Invalid input for query parameters sort_key. Value: {key}."
            )
        key = {"memory_mb": "ram", "root_gb": "disk"}.get(key, key)
        flavors = _sort(flavors, [(key, params.get("sort_dir", "asc"))])
        try:
            page, next_marker = _list_page(
                flavors, {"marker": params.get("marker"), "limit": limit}
            )
        except LookupError:
            return _nova_error(400, f"marker [{params.get('marker')}] not found")
        body = {"flavors": [self._flavor(request, f, detail) for f in page]}
        if next_marker:
            path = "flavors/detail" if detail else "flavors"
            body["flavors_links"] = [
                {
                    "rel": "next",
                    "href": f"{_base_url(request)}/v2.1/{path}?limit={limit}"
                    f"&marker={next_marker}",
                }
            ]
        return json_response(body)

    def list_flavors(self, request):
        return self._flavors(request, detail=False)

    def list_flavors_detail(self, request):
        return self._flavors(request, detail=True)

    def get_flavor(self, request, flavor_id):
        for flavor in self.world.flavors:
            if flavor["id"] == flavor_id:
                return json_response({"flavor": self._flavor(request, flavor, True)})
        return _nova_error(404, f"Flavor {flavor_id} could not be found.")

    def flavor_extra_specs(self, request, flavor_id):
        if not any(f["id"] == flavor_id for f in self.world.flavors):
            return _nova_error(404, f"Flavor {flavor_id} could not be found.")
        return json_response({"extra_specs": {}})

    # keypairs

    def list_keypairs(self, request):
        identity = Identity.from_environ(request.environ)
        version = request.environ["sandbox.nova_version"]
        user_id = request.GET.get("user_id") if identity.is_admin else None
        keys = []
        for keypair in self.world.keypairs(user_id or identity.user_id):
            item = {k: keypair[k] for k in ("name", "public_key", "fingerprint")}
            if version >= (2, 2):
                item["type"] = keypair["type"]
            keys.append({"keypair": item})
        return json_response({"keypairs": keys})

    def get_keypair(self, request, name):
        identity = Identity.from_environ(request.environ)
        version = request.environ["sandbox.nova_version"]
        user_id = request.GET.get("user_id") if identity.is_admin else None
        user_id = user_id or identity.user_id
        keypair = self.world.find_keypair(user_id, name)
        if keypair is None:
            # nova/exception.py, KeypairNotFound.
            return _nova_error(404, f"Keypair {name} not found for user {user_id}")
        keypair = dict(keypair)
        if version < (2, 2):
            keypair.pop("type")
        return json_response({"keypair": keypair})

    # limits, usage, quotas: an empty project under devstack's default quotas

    _QUOTAS = {
        "cores": 20,
        "instances": 10,
        "ram": 51200,
        "key_pairs": 100,
        "metadata_items": 128,
        "server_groups": 10,
        "server_group_members": 10,
    }

    def limits(self, request):
        version = request.environ["sandbox.nova_version"]
        q = self._QUOTAS
        absolute = {
            "maxTotalCores": q["cores"],
            "maxTotalInstances": q["instances"],
            "maxTotalRAMSize": q["ram"],
            "maxTotalKeypairs": q["key_pairs"],
            "maxServerMeta": q["metadata_items"],
            "maxImageMeta": q["metadata_items"],
            "maxServerGroups": q["server_groups"],
            "maxServerGroupMembers": q["server_group_members"],
            "totalCoresUsed": 0,
            "totalInstancesUsed": 0,
            "totalRAMUsed": 0,
            "totalServerGroupsUsed": 0,
        }
        if version < (2, 36):
            absolute.update(
                maxSecurityGroups=10,
                maxSecurityGroupRules=20,
                maxTotalFloatingIps=10,
                totalSecurityGroupsUsed=0,
                totalFloatingIpsUsed=0,
            )
        if version < (2, 57):
            absolute.update(maxPersonality=5, maxPersonalitySize=10240)
        if version >= (2, 39):
            absolute.pop("maxImageMeta")
        return json_response({"limits": {"rate": [], "absolute": absolute}})

    def _usage(self, project_id, request):
        return {
            "tenant_id": project_id,
            "server_usages": [],
            "total_local_gb_usage": 0.0,
            "total_vcpus_usage": 0.0,
            "total_memory_mb_usage": 0.0,
            "total_hours": 0.0,
            "start": request.GET.get("start", ""),
            "stop": request.GET.get("end", ""),
        }

    def usage_get(self, request, project_id):
        return json_response({"tenant_usage": self._usage(project_id, request)})

    def usage_list(self, request):
        return json_response({"tenant_usages": []})

    def quota_set(self, request, project_id):
        body = dict(self._QUOTAS, id=project_id)
        return json_response({"quota_set": body})

    def quota_set_detail(self, request, project_id):
        body = {
            name: {"limit": limit, "in_use": 0, "reserved": 0}
            for name, limit in self._QUOTAS.items()
        }
        body["id"] = project_id
        return json_response({"quota_set": body})

    def servers(self, request):
        return json_response({"servers": []})

    def availability_zones(self, request):
        return json_response(
            {
                "availabilityZoneInfo": [
                    {
                        "zoneName": "nova",
                        "zoneState": {"available": True},
                        "hosts": None,
                    }
                ]
            }
        )

    def server_groups(self, request):
        return json_response({"server_groups": []})

    def extensions(self, request):
        return json_response({"extensions": []})


# --- Neutron v2.0 --------------------------------------------------------------

# neutron/api/api_common.py: query parameters that are not field filters.
_NEUTRON_PAGING = {"limit", "marker", "sort_key", "sort_dir", "page_reverse", "fields"}


def _neutron_error(status, kind, message):
    return json_response(
        {"NeutronError": {"type": kind, "message": message, "detail": ""}},
        status=status,
    )


class NeutronApp:
    """Neutron v2.0: versions, extensions, networks, subnets, empty others."""

    public_paths = (r"/",)

    _EMPTY = (
        "ports",
        "security-groups",
        "security-group-rules",
        "floatingips",
        "routers",
        "trunks",
        "qos/policies",
        "availability_zones",
    )

    def __init__(self, world):
        self.world = world
        self.router = Router(self._not_found, self._not_allowed)
        add = self.router.add
        add("GET", "/", self.versions)
        add("GET", "/v2.0", self.resources)
        add("GET", "/v2.0/extensions", self.extensions)
        add("GET", "/v2.0/extensions/{alias}", self.extension)
        add("GET", "/v2.0/networks", self.list_networks)
        add("GET", "/v2.0/networks/{network_id}", self.get_network)
        add("GET", "/v2.0/subnets", self.list_subnets)
        add("GET", "/v2.0/subnets/{subnet_id}", self.get_subnet)
        for collection in self._EMPTY:
            add("GET", f"/v2.0/{collection}", self._empty(collection))

    def __call__(self, environ, start_response):
        # Older neutronclients ask for /v2.0/networks.json.
        path = environ.get("PATH_INFO", "")
        if path.endswith(".json"):
            environ["PATH_INFO"] = path[: -len(".json")]
        return self.router.dispatch(webob.Request(environ))(environ, start_response)

    def _not_found(self, request):
        return _neutron_error(404, "HTTPNotFound", "The resource could not be found.")

    def _not_allowed(self, request, allowed):
        return _neutron_error(405, "HTTPMethodNotAllowed", "The method is not allowed.")

    def versions(self, request):
        return json_response(
            {
                "versions": [
                    {
                        "id": "v2.0",
                        "status": "CURRENT",
                        "links": [
                            {"rel": "self", "href": f"{_base_url(request)}/v2.0/"}
                        ],
                    }
                ]
            }
        )

    def resources(self, request):
        base = _base_url(request)
        return json_response(
            {
                "resources": [
                    {
                        "name": name,
                        "collection": collection,
                        "links": [{"rel": "self", "href": f"{base}/v2.0/{collection}"}],
                    }
                    for name, collection in (
                        ("network", "networks"),
                        ("subnet", "subnets"),
                        ("port", "ports"),
                    )
                ]
            }
        )

    def extensions(self, request):
        # An empty list turns Horizon's Neutron quota and feature checks off.
        return json_response({"extensions": []})

    def extension(self, request, alias):
        return _neutron_error(
            404, "ExtensionNotFound", f"Extension with alias {alias} does not exist"
        )

    def _collection(self, request, collection, items):
        params = request.GET
        for name in set(params.keys()) - _NEUTRON_PAGING:
            wanted = params.getall(name)
            items = [i for i in items if any(_matches(i.get(name), w) for w in wanted)]
        keys = params.getall("sort_key")
        dirs = params.getall("sort_dir")
        if keys:
            order = [
                (k, dirs[n] if n < len(dirs) else "asc") for n, k in enumerate(keys)
            ]
            items = _sort(items, order + [("id", order[-1][1])])
        try:
            limit = int(params["limit"]) if "limit" in params else None
        except ValueError:
            return _neutron_error(
                400,
                "BadRequest",
                f"Bad limit request: '{params['limit']}' is not an integer.",
            )
        try:
            page, next_marker = _list_page(
                items, {"marker": params.get("marker"), "limit": limit or None}
            )
        except LookupError:
            page, next_marker = [], None
        fields = params.getall("fields")
        if fields:
            page = [{k: v for k, v in item.items() if k in fields} for item in page]
        body = {collection: page}
        if next_marker:
            query = [(k, v) for k, v in params.items() if k != "marker"]
            query.append(("marker", next_marker))
            body[f"{collection}_links"] = [
                {
                    "rel": "next",
                    "href": f"{_base_url(request)}/v2.0/{collection}?"
                    + urllib.parse.urlencode(query),
                }
            ]
        return json_response(body)

    def _empty(self, collection):
        key = collection.split("/")[-1].replace("-", "_")

        def handler(request):
            return json_response({key: []})

        return handler

    def list_networks(self, request):
        identity = Identity.from_environ(request.environ)
        return self._collection(
            request, "networks", self.world.networks(identity.project_id)
        )

    def get_network(self, request, network_id):
        identity = Identity.from_environ(request.environ)
        for net in self.world.networks(identity.project_id):
            if net["id"] == network_id:
                return json_response({"network": net})
        return _neutron_error(
            404, "NetworkNotFound", f"Network {network_id} could not be found."
        )

    def list_subnets(self, request):
        identity = Identity.from_environ(request.environ)
        return self._collection(
            request, "subnets", self.world.subnets(identity.project_id)
        )

    def get_subnet(self, request, subnet_id):
        identity = Identity.from_environ(request.environ)
        for subnet in self.world.subnets(identity.project_id):
            if subnet["id"] == subnet_id:
                return json_response({"subnet": subnet})
        return _neutron_error(
            404, "SubnetNotFound", f"Subnet {subnet_id} could not be found."
        )
