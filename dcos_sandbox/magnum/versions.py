"""Microversions: what Magnum calls itself, which versions it speaks, and how a
request's ``OpenStack-API-Version`` header picks one (magnum/api/controllers/)."""

from dcos_sandbox.magnum.errors import MagnumError
from dcos_sandbox.wsgi import json_response

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


def microversion_unsupported():
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


def negotiate(request, headers):
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
        raise microversion_unsupported()
    return version


def request_version(request):
    """The microversion ``negotiate`` picked for this request."""
    return request.environ.get("sandbox.magnum_version", MIN_VERSION)


def root(request):
    """GET /: the version list."""
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


def v1(request):
    """GET /v1: the v1 document and its resources."""
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
