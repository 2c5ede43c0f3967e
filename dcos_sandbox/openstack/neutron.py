"""Neutron v2.0: versions, extensions, networks, subnets; NeutronError bodies."""

import urllib.parse

from dcos_sandbox.auth import Identity
from dcos_sandbox.openstack.listing import WorldApp, list_page, matches, sort_items
from dcos_sandbox.wsgi import json_response

_NEUTRON_PAGING = {"limit", "marker", "sort_key", "sort_dir", "page_reverse", "fields"}


def _neutron_error(status, kind, message):
    return json_response(
        {"NeutronError": {"type": kind, "message": message, "detail": ""}},
        status=status,
    )


class NeutronApp(WorldApp):
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

    def routes(self, add):
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

    def handle(self, request):
        # Older neutronclients ask for /v2.0/networks.json.
        if request.path_info.endswith(".json"):
            request.path_info = request.path_info[: -len(".json")]
        return self.router.dispatch(request)

    def not_found(self, request):
        return _neutron_error(404, "HTTPNotFound", "The resource could not be found.")

    def not_allowed(self, request, allowed):
        return _neutron_error(405, "HTTPMethodNotAllowed", "The method is not allowed.")

    def versions(self, request):
        return json_response(
            {
                "versions": [
                    {
                        "id": "v2.0",
                        "status": "CURRENT",
                        "links": [{"rel": "self", "href": f"{request.host_url}/v2.0/"}],
                    }
                ]
            }
        )

    def resources(self, request):
        base = request.host_url
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
            items = [i for i in items if any(matches(i.get(name), w) for w in wanted)]
        keys = params.getall("sort_key")
        dirs = params.getall("sort_dir")
        if keys:
            order = [
                (k, dirs[n] if n < len(dirs) else "asc") for n, k in enumerate(keys)
            ]
            items = sort_items(items, order + [("id", order[-1][1])])
        try:
            limit = int(params["limit"]) if "limit" in params else None
        except ValueError:
            return _neutron_error(
                400,
                "BadRequest",
                f"Bad limit request: '{params['limit']}' is not an integer.",
            )
        try:
            page, next_marker = list_page(
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
                    "href": f"{request.host_url}/v2.0/{collection}?"
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
        return self._collection(request, "networks", self._owned(request, "networks"))

    def get_network(self, request, network_id):
        return self._one(request, "networks", network_id)

    def list_subnets(self, request):
        return self._collection(request, "subnets", self._owned(request, "subnets"))

    def get_subnet(self, request, subnet_id):
        return self._one(request, "subnets", subnet_id)

    def _owned(self, request, collection):
        """The networks or subnets the request's project sees."""
        identity = Identity.from_environ(request.environ)
        return getattr(self.world, collection)(identity.project_id)

    def _one(self, request, collection, ident):
        """One of ``_owned``, or Neutron's NetworkNotFound/SubnetNotFound."""
        kind = collection[: -len("s")]
        for item in self._owned(request, collection):
            if item["id"] == ident:
                return json_response({kind: item})
        name = kind.capitalize()
        return _neutron_error(
            404, f"{name}NotFound", f"{name} {ident} could not be found."
        )
