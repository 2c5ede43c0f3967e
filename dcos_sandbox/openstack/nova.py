"""Nova v2.1: versions, flavors, keypairs, limits, usage, AZs; Nova fault bodies."""

from dcos_sandbox.auth import Identity
from dcos_sandbox.openstack.listing import WorldApp, list_page, sort_items
from dcos_sandbox.wsgi import json_response

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


class NovaApp(WorldApp):
    """Nova v2.1: version documents, flavors, keypairs, limits, usage, AZs."""

    public_paths = (r"/", r"/v2\.1/?")

    def routes(self, add):
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

    def handle(self, request):
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
        return response

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

    def not_found(self, request):
        return _nova_error(404, "The resource could not be found.")

    def not_allowed(self, request, allowed):
        return _nova_error(
            405, "The method specified is not allowed for this resource."
        )

    def _version_doc(self, request):
        base = request.host_url
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
        v20["links"] = [{"rel": "self", "href": f"{request.host_url}/v2/"}]
        return json_response({"versions": [v20, doc]})

    def version(self, request):
        return json_response({"version": self._version_doc(request)})

    # flavors

    def _flavor(self, request, flavor, detail):
        version = request.environ["sandbox.nova_version"]
        base = request.host_url
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
        flavors = sort_items(flavors, [(key, params.get("sort_dir", "asc"))])
        try:
            page, next_marker = list_page(
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
                    "href": f"{request.host_url}/v2.1/{path}?limit={limit}"
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
