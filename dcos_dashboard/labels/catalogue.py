"""The label catalogue: every label a dcos or mesos bay driver reads (data)."""

from __future__ import annotations

from dataclasses import dataclass

from .messages import _, code, codes, gettext_noop

COES = ("dcos", "mesos")

KINDS = (
    "enum",
    "enum_list",
    "boolean",
    "integer",
    "path",
    "json",
    "text",
    "secret",
    "hostport_list",
    "domain_list",
)

# mesos src/slave/containerizer/mesos/containerizer.cpp, as listed in
# docs/reference.md#mesos-isolators.
MESOS_ISOLATORS = (
    "filesystem/posix",
    "filesystem/linux",
    "filesystem/shared",
    "filesystem/windows",
    "posix/cpu",
    "posix/mem",
    "posix/rlimits",
    "posix/disk",
    "windows/cpu",
    "windows/mem",
    "cgroups/all",
    "cgroups/blkio",
    "cgroups/cpu",
    "cgroups/cpuset",
    "cgroups/devices",
    "cgroups/hugetlb",
    "cgroups/mem",
    "cgroups/net_cls",
    "cgroups/net_prio",
    "cgroups/perf_event",
    "cgroups/pids",
    "appc/runtime",
    "docker/runtime",
    "linux/devices",
    "linux/capabilities",
    "linux/nnp",
    "linux/seccomp",
    "namespaces/ipc",
    "namespaces/pid",
    "volume/sandbox_path",
    "docker/volume",
    "volume/host_path",
    "volume/image",
    "volume/secret",
    "volume/csi",
    "disk/du",
    "disk/xfs",
    "gpu/nvidia",
    "network/cni",
    "network/port_mapping",
    "network/ports",
)

# dcos/dcos gen/calc.py calculate_mesos_isolation; DC/OS also loads its
# metrics isolator module, which no label can name and no rule here reads.
DCOS_DEFAULT_ISOLATION = (
    "cgroups/all",
    "disk/du",
    "network/cni",
    "filesystem/linux",
    "docker/runtime",
    "docker/volume",
    "volume/sandbox_path",
    "volume/secret",
    "volume/csi",
    "posix/rlimits",
    "namespaces/pid",
    "namespaces/ipc",
    "linux/capabilities",
)

# magnum api/attr_validator.py SUPPORTED_ISOLATION (before 2022).
MAGNUM_MESOS_ISOLATORS = (
    "filesystem/posix",
    "filesystem/linux",
    "filesystem/shared",
    "posix/cpu",
    "posix/mem",
    "posix/disk",
    "cgroups/cpu",
    "cgroups/mem",
    "docker/runtime",
    "namespaces/pid",
)

# magnum api/attr_validator.py SUPPORTED_IMAGE_PROVIDERS; Mesos --image_providers.
IMAGE_PROVIDERS = ("docker", "appc")

# magnum contrib/drivers/dcos_centos_v1 templates/fragments/configure-dcos.sh
# writes exactly these keys for each backend.
EXHIBITOR_COMPANIONS = {
    "static": (),
    "zookeeper": ("exhibitor_zk_hosts", "exhibitor_zk_path"),
    "aws_s3": (
        "aws_access_key_id",
        "aws_secret_access_key",
        "aws_region",
        "s3_bucket",
        "s3_prefix",
    ),
    "azure": (
        "exhibitor_azure_account_name",
        "exhibitor_azure_account_key",
        "exhibitor_azure_prefix",
    ),
}
BACKEND_OF = {
    companion: backend
    for backend, companions in EXHIBITOR_COMPANIONS.items()
    for companion in companions
}

# "The Linux launcher is required for cgroups isolation and for any isolators
# that require Linux namespaces such as network, pid, etc." (mesos
# docs/configuration/agent.md, --launcher).
LINUX_LAUNCHER_PREFIXES = ("cgroups/", "namespaces/", "network/")
LINUX_LAUNCHER_ISOLATORS = ("filesystem/linux",)

# dcos/dcos gen/calc.py validate_dcos_overlay_network.
OVERLAY_NAME_MAX = 13
# dcos/dcos gen/calc.py validate_dns_search (resolv.conf limits).
DNS_SEARCH_MAX_DOMAINS = 6
DNS_SEARCH_MAX_CHARS = 255

OVERLAY_EXAMPLE = (
    '{"vtep_subnet": "44.128.0.0/20", "vtep_mac_oui": "70:B3:D5:00:00:00", '
    '"overlays": [{"name": "dcos", "subnet": "9.0.0.0/8", "prefix": 24}]}'
)

SECRET_KEYS = frozenset({"aws_secret_access_key", "exhibitor_azure_account_key"})


@dataclass(frozen=True)
class LabelSpec:
    """One label a bay driver reads, as the wizard and the validator see it."""

    key: str
    kind: str
    help: str
    choices: tuple[str, ...] = ()
    default: str | None = None
    secret: bool = False
    # Booleans and image providers are accepted in any case, sent lower-case.
    any_case: bool = False
    example: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown label kind {self.kind!r} for {self.key!r}")


def _boolean(key: str, help: str, default: str | None = None) -> LabelSpec:
    return LabelSpec(
        key=key,
        kind="boolean",
        help=help,
        choices=("true", "false"),
        default=default,
        any_case=True,
    )


def _integer(key: str, help: str, default: str | None = None) -> LabelSpec:
    return LabelSpec(key=key, kind="integer", help=help, default=default)


def _text(key: str, help: str) -> LabelSpec:
    return LabelSpec(key=key, kind="text", help=help)


def _secret(key: str, help: str) -> LabelSpec:
    return LabelSpec(key=key, kind="secret", help=help, secret=True)


_REXRAY_PREEMPT = _boolean(
    "rexray_preempt",
    gettext_noop(
        "Let any node take over a REX-Ray volume that another node still holds."
    ),
    # magnum dcoscluster.yaml and mesoscluster.yaml: rexray_preempt default "false".
    default="false",
)

# Defaults are those of magnum's Heat templates (contrib dcos_centos_v1
# dcoscluster.yaml, drivers/mesos_ubuntu_v1 mesoscluster.yaml); None where the
# template passes an empty string and DC/OS or Mesos decides.
CATALOGUE: dict[str, tuple[LabelSpec, ...]] = {
    "dcos": (
        LabelSpec(
            key="isolation",
            kind="enum_list",
            help=gettext_noop(
                "Mesos isolators added to those DC/OS always enables on its agents."
            ),
            choices=MESOS_ISOLATORS,
            example="gpu/nvidia,linux/seccomp",
        ),
        LabelSpec(
            key="launcher",
            kind="enum",
            help=gettext_noop(
                "Mesos containerizer launcher; DC/OS's isolators need `linux`."
            ),
            choices=("linux", "posix"),
            # mesos docs/configuration/agent.md: linux when the agent runs as
            # root on Linux, as DC/OS agents do.
            default="linux",
        ),
        LabelSpec(
            key="image_providers",
            kind="enum_list",
            help=gettext_noop("Container image formats the Mesos containerizer runs."),
            choices=IMAGE_PROVIDERS,
            any_case=True,
            example="docker,appc",
        ),
        LabelSpec(
            key="exhibitor_storage_backend",
            kind="enum",
            help=gettext_noop(
                "Where Exhibitor keeps the state the masters share to find each other."
            ),
            choices=tuple(EXHIBITOR_COMPANIONS),
            default="static",
        ),
        LabelSpec(
            key="exhibitor_zk_hosts",
            kind="hostport_list",
            help=gettext_noop(
                "ZooKeeper ensemble holding Exhibitor's state (`zookeeper` backend)."
            ),
            example="10.0.0.5:2181,10.0.0.6:2181",
        ),
        LabelSpec(
            key="exhibitor_zk_path",
            kind="path",
            help=gettext_noop(
                "ZNode under which Exhibitor keeps its state (`zookeeper` backend)."
            ),
            example="/dcos/exhibitor",
        ),
        _text(
            "aws_access_key_id",
            gettext_noop("AWS access key for the S3 bucket (`aws_s3` backend)."),
        ),
        _secret(
            "aws_secret_access_key",
            gettext_noop("AWS secret key of that access key (`aws_s3` backend)."),
        ),
        _text(
            "aws_region",
            gettext_noop("AWS region of the S3 bucket (`aws_s3` backend)."),
        ),
        _text(
            "s3_bucket",
            gettext_noop("S3 bucket holding Exhibitor's state (`aws_s3` backend)."),
        ),
        _text(
            "s3_prefix",
            gettext_noop("Key prefix inside the S3 bucket (`aws_s3` backend)."),
        ),
        _boolean(
            "exhibitor_explicit_keys",
            gettext_noop(
                "`true`: Exhibitor uses the AWS keys given here; "
                "`false`: the instance's IAM role."
            ),
        ),
        _text(
            "exhibitor_azure_account_name",
            gettext_noop(
                "Azure storage account holding Exhibitor's state (`azure` backend)."
            ),
        ),
        _secret(
            "exhibitor_azure_account_key",
            gettext_noop("Secret key of that Azure storage account (`azure` backend)."),
        ),
        _text(
            "exhibitor_azure_prefix",
            gettext_noop("Blob name prefix in the storage account (`azure` backend)."),
        ),
        _boolean(
            "dcos_overlay_enable",
            gettext_noop(
                "Turn DC/OS virtual networks on or off; "
                "`true` needs `dcos_overlay_network`."
            ),
        ),
        _integer(
            "dcos_overlay_config_attempts",
            gettext_noop("How many times DC/OS tries to configure the overlay."),
        ),
        _integer(
            "dcos_overlay_mtu",
            gettext_noop("MTU of the containers' overlay network interfaces."),
        ),
        LabelSpec(
            key="dcos_overlay_network",
            kind="json",
            help=gettext_noop(
                "The virtual networks: VTEP subnet and MAC prefix, and the overlays."
            ),
            example=OVERLAY_EXAMPLE,
        ),
        LabelSpec(
            key="dns_search",
            kind="domain_list",
            help=gettext_noop(
                "Domains tried, in order, for a host name without one "
                "(resolv.conf `search`)."
            ),
            example="example.com corp.example.com",
        ),
        _boolean(
            "check_time",
            gettext_noop(
                "Check that the node's clock is synchronised before starting."
            ),
            default="true",
        ),
        _integer(
            "docker_remove_delay",
            gettext_noop("Hours to keep a finished Docker container before removal."),
            default="1",
        ),
        _integer(
            "gc_delay",
            gettext_noop("Days to keep a finished executor's sandbox before removal."),
            default="2",
        ),
        LabelSpec(
            key="log_directory",
            kind="path",
            help=gettext_noop("Directory for the DC/OS installer's logs."),
            default="/genconf/logs",
        ),
        _integer(
            "process_timeout",
            gettext_noop("Seconds an installer action may take to start."),
            default="120",
        ),
        _boolean(
            "oauth_enabled",
            gettext_noop(
                "DC/OS login; when on, the dashboard needs an ACS token to read "
                "the bay."
            ),
            default="true",
        ),
        _boolean(
            "telemetry_enabled",
            gettext_noop("Send anonymous usage data to the DC/OS project."),
            default="true",
        ),
        _REXRAY_PREEMPT,
    ),
    "mesos": (
        LabelSpec(
            key="mesos_slave_isolation",
            kind="enum_list",
            help=gettext_noop("Isolators of each Mesos agent (replaces its default)."),
            choices=MAGNUM_MESOS_ISOLATORS,
            example="filesystem/linux,docker/runtime,cgroups/cpu,cgroups/mem",
        ),
        LabelSpec(
            key="mesos_slave_image_providers",
            kind="enum_list",
            help=gettext_noop("Container image formats the Mesos containerizer runs."),
            choices=IMAGE_PROVIDERS,
            any_case=True,
            example="docker",
        ),
        LabelSpec(
            key="mesos_slave_work_dir",
            kind="path",
            help=gettext_noop("Directory where each agent keeps framework sandboxes."),
            example="/var/lib/mesos",
        ),
        LabelSpec(
            key="mesos_slave_executor_env_variables",
            kind="json",
            help=gettext_noop("Environment variables given to executors and tasks."),
            example='{"JAVA_HOME": "/usr/lib/jvm/default"}',
        ),
        _REXRAY_PREEMPT,
    ),
}

SPECS: dict[str, dict[str, LabelSpec]] = {
    coe: {spec.key: spec for spec in specs} for coe, specs in CATALOGUE.items()
}
ISOLATION_KEY = {"dcos": "isolation", "mesos": "mesos_slave_isolation"}
PROVIDERS_KEY = {"dcos": "image_providers", "mesos": "mesos_slave_image_providers"}


def spec_for(coe: str, key: str) -> LabelSpec | None:
    """The catalogue entry of ``key`` for ``coe``, or None."""
    return SPECS.get(coe, {}).get(key)


def specs_of(coe: object) -> dict[str, LabelSpec]:
    if not isinstance(coe, str) or coe not in SPECS:
        raise ValueError(
            _("Unknown COE %(coe)s: labels are checked for %(coes)s.")
            % {"coe": code(str(coe)), "coes": codes(COES)}
        )
    return SPECS[coe]


# --------------------------------------------------------------------------
# Secrets


def is_secret(coe: str, key: str) -> bool:
    """Whether the value of ``key`` must never be shown in full."""
    spec = SPECS.get(coe, {}).get(key) if isinstance(coe, str) else None
    if spec is not None:
        return spec.secret
    # A COE without a catalogue still hides what any catalogue calls a secret.
    return key in SECRET_KEYS


def mask_secret(value: object) -> str:
    """A stand-in for a secret: two characters of a long one, else only stars."""
    text = value if isinstance(value, str) else str(value)
    if not text:
        return ""
    # Below 12 characters two of them would give away too large a share.
    if len(text) < 12:
        return "****"
    return text[:2] + "****"
