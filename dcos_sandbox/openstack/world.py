"""The read-only world the Glance, Nova and Neutron stand-ins serve: seeded
images, flavors, keypairs, networks and subnets, with stable ids."""

import hashlib
import uuid

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
