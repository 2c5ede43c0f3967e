"""Glance v2: versions, images and their schemas; errors as Glance's HTML pages."""

import urllib.parse

import webob

from dcos_sandbox.auth import Identity
from dcos_sandbox.openstack.listing import WorldApp, list_page, matches, sort_items
from dcos_sandbox.wsgi import json_response

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


class GlanceApp(WorldApp):
    """Glance v2: ``/versions``, ``/v2/images``, ``/v2/images/<id>``, schemas."""

    public_paths = (r"/", r"/versions")

    def routes(self, add):
        add("GET", "/", self.versions_root)
        add("GET", "/versions", self.versions)
        add("GET", "/v2/images", self.list_images)
        add("GET", "/v2/images/{image_id}", self.get_image)
        add("GET", "/v2/schemas/image", self.image_schema)
        add("GET", "/v2/schemas/images", self.images_schema)

    def not_found(self, request):
        return _glance_error(404, "The resource could not be found.")

    def not_allowed(self, request, allowed):
        response = _glance_error(405, "The method is not allowed for this resource.")
        response.headers["Allow"] = ", ".join(allowed)
        return response

    def _versions(self, request):
        base = request.host_url
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
            images = [i for i in images if matches(i.get(name), value)]
        images = sort_items(images, order)
        try:
            page, next_marker = list_page(
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
