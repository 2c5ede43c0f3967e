"""What Magnum checks beyond the wire types: drivers per COE
(magnum/api/validation.py) and the OpenStack resources a template or cluster
names (magnum/api/attr_validator.py), against the stand-ins' World."""

from dcos_sandbox.magnum.errors import MagnumError

# magnum/objects/fields.py ClusterType.ALL of a release that still shipped
# mesos/dcos, and of Magnum >= 16.
COES = {
    "dcos": ("kubernetes", "swarm", "swarm-mode", "mesos", "dcos"),
    "stock": ("kubernetes",),
}

# magnum/api/validation.py *Validator: (default, supported network drivers,
# supported volume drivers) per COE.
DRIVERS = {
    "kubernetes": ("flannel", ("flannel", "calico", "cilium"), ("cinder",)),
    "swarm": ("docker", ("docker", "flannel"), ("rexray",)),
    "swarm-mode": ("docker", ("docker", "flannel"), ("rexray",)),
    "mesos": ("docker", ("docker",), ("rexray",)),
    "dcos": ("docker", ("docker",), ("rexray",)),
}

# The in-tree (and contrib, for DC/OS) driver that built each COE's bays.
DRIVER_NAMES = {
    "kubernetes": "k8s_fedora_coreos_v1",
    "swarm": "swarm_fedora_atomic_v2",
    "swarm-mode": "swarm_fedora_atomic_v2",
    "mesos": "mesos_ubuntu_v1",
    "dcos": "dcos_centos_v1",
}


def validate_drivers(values):
    coe = values["coe"]
    default, networks, volumes = DRIVERS[coe]
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


def check_root_volume(find_flavor, flavor, labels):
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


def find_image(world, ident):
    try:
        return world.find_image(ident)
    except LookupError:
        raise MagnumError(400, f"Image {ident} could not be found.") from None
    except ValueError:
        raise MagnumError(
            409,
            f"Multiple images exist with same name '{ident}'. "
            "Please use the image ID instead.",
        ) from None


def validate_os_resources(world, identity, template, cluster=None):
    """magnum/api/attr_validator.py validate_os_resources."""

    def pick(attr):
        if cluster and cluster.get(attr):
            return cluster[attr]
        return template.get(attr)

    image_ident = pick("image_id")
    if image_ident is not None:
        image = find_image(world, image_ident)
        if not image.get("os_distro"):
            raise MagnumError(
                400, f"Image {image_ident} doesn't contain os_distro field."
            )
    for attr in ("flavor_id", "master_flavor_id"):
        flavor = pick(attr)
        if flavor is not None and world.find_flavor(flavor) is None:
            raise MagnumError(400, f"Unable to find flavor {flavor}.")
    networks = world.networks(identity.project_id)
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
    if fixed is not None and not [n for n in networks if fixed in (n["id"], n["name"])]:
        raise MagnumError(400, f"Unable to find fixed network {fixed}.")
    subnet = pick("fixed_subnet")
    if subnet is not None:
        subnets = world.subnets(identity.project_id)
        if not [s for s in subnets if subnet in (s["id"], s["name"])]:
            raise MagnumError(400, f"Unable to find fixed subnet {subnet}.")
    if cluster is not None:
        keypair = cluster.get("keypair")
        if (
            keypair is not None
            and world.find_keypair(identity.user_id, keypair) is None
        ):
            raise MagnumError(404, f"Unable to find keypair {keypair}.")
