"""Magnum labels of dcos and mesos bays: catalogue, text form and validation."""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from gettext import NullTranslations

__all__ = [
    "CATALOGUE",
    "COES",
    "DCOS_DEFAULT_ISOLATION",
    "EXHIBITOR_COMPANIONS",
    "IMAGE_PROVIDERS",
    "KINDS",
    "MAGNUM_MESOS_ISOLATORS",
    "MESOS_ISOLATORS",
    "LabelSpec",
    "canonicalize_labels",
    "catalogue_markdown",
    "effective_isolation",
    "format_labels",
    "is_secret",
    "mask_secret",
    "parse_labels",
    "spec_for",
    "validate_labels",
]


# Marks messages for extraction without I/O: stdlib gettext() would look for
# catalogues on disk at every call, and this module does no I/O.
_ = NullTranslations().gettext


def gettext_noop(message: str) -> str:
    # Catalogue strings are built at import time, before any language is
    # active: marked here for extraction, translated where they are shown.
    return message


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

# mesos src/slave/containerizer/mesos/containerizer.cpp, as listed in LABELS.md.
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
_BACKEND_OF = {
    companion: backend
    for backend, companions in EXHIBITOR_COMPANIONS.items()
    for companion in companions
}

# "The Linux launcher is required for cgroups isolation and for any isolators
# that require Linux namespaces such as network, pid, etc." (mesos
# docs/configuration/agent.md, --launcher).
_LINUX_LAUNCHER_PREFIXES = ("cgroups/", "namespaces/", "network/")
_LINUX_LAUNCHER_ISOLATORS = ("filesystem/linux",)

# dcos/dcos gen/calc.py validate_dcos_overlay_network.
_OVERLAY_NAME_MAX = 13
# dcos/dcos gen/calc.py validate_dns_search (resolv.conf limits).
_DNS_SEARCH_MAX_DOMAINS = 6
_DNS_SEARCH_MAX_CHARS = 255

_OVERLAY_EXAMPLE = (
    '{"vtep_subnet": "44.128.0.0/20", "vtep_mac_oui": "70:B3:D5:00:00:00", '
    '"overlays": [{"name": "dcos", "subnet": "9.0.0.0/8", "prefix": 24}]}'
)

_SECRET_KEYS = frozenset({"aws_secret_access_key", "exhibitor_azure_account_key"})


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
            example=_OVERLAY_EXAMPLE,
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

_SPECS: dict[str, dict[str, LabelSpec]] = {
    coe: {spec.key: spec for spec in specs} for coe, specs in CATALOGUE.items()
}
_ISOLATION_KEY = {"dcos": "isolation", "mesos": "mesos_slave_isolation"}
_PROVIDERS_KEY = {"dcos": "image_providers", "mesos": "mesos_slave_image_providers"}


def spec_for(coe: str, key: str) -> LabelSpec | None:
    """The catalogue entry of ``key`` for ``coe``, or None."""
    return _SPECS.get(coe, {}).get(key)


def _specs(coe: object) -> dict[str, LabelSpec]:
    if not isinstance(coe, str) or coe not in _SPECS:
        raise ValueError(
            _("Unknown COE %(coe)s: labels are checked for %(coes)s.")
            % {"coe": _code(str(coe)), "coes": _codes(COES)}
        )
    return _SPECS[coe]


# --------------------------------------------------------------------------
# Secrets


def is_secret(coe: str, key: str) -> bool:
    """Whether the value of ``key`` must never be shown in full."""
    spec = _SPECS.get(coe, {}).get(key) if isinstance(coe, str) else None
    if spec is not None:
        return spec.secret
    # A COE without a catalogue still hides what any catalogue calls a secret.
    return key in _SECRET_KEYS


def mask_secret(value: object) -> str:
    """A stand-in for a secret: two characters of a long one, else only stars."""
    text = value if isinstance(value, str) else str(value)
    if not text:
        return ""
    # Below 12 characters two of them would give away too large a share.
    if len(text) < 12:
        return "****"
    return text[:2] + "****"


# --------------------------------------------------------------------------
# Text form

_KEY_CHARS = "A-Za-z0-9_.-"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# A fragment that opens a pair; the key may be empty so that "=x" is reported.
_PAIR = re.compile(rf"([{_KEY_CHARS}]*)\s*=\s*(.*)", re.DOTALL)


def parse_labels(text: str) -> dict[str, str]:
    """Read the ``key=value`` text a person types into a label map."""
    if not isinstance(text, str):
        raise ValueError(_("Labels must be given as text."))
    parts: dict[str, list[str]] = {}
    for number, line in enumerate(_LINE_BREAK.split(text), start=1):
        current: list[str] | None = None
        for raw in line.split(","):
            fragment = raw.strip()
            if not fragment:
                continue
            match = _PAIR.match(fragment)
            if match is None:
                if current is None:
                    raise ValueError(
                        _(
                            "Line %(line)d: %(fragment)s comes before any "
                            "label name; start the line with `name=value`."
                        )
                        % {"line": number, "fragment": _code(fragment)}
                    )
                current.append(fragment)
                continue
            key, value = match.group(1), match.group(2)
            if not key:
                raise ValueError(
                    _("Line %(line)d: %(fragment)s has no label name before `=`.")
                    % {"line": number, "fragment": _code(fragment)}
                )
            if key in parts:
                raise ValueError(
                    _(
                        "Line %(line)d: %(fragment)s gives the label %(key)s a "
                        "second time; keep one of the two."
                    )
                    % {
                        "line": number,
                        "fragment": _code(_shown_pair(key, value)),
                        "key": _code(key),
                    }
                )
            current = parts[key] = [value]
    return {key: ",".join(values) for key, values in parts.items()}


def format_labels(labels: Mapping[str, str]) -> str:
    """Write a label map as text, one ``key=value`` a line, in map order."""
    return "\n".join(f"{key}={value}" for key, value in labels.items())


def _shown_pair(key: str, value: str) -> str:
    if key in _SECRET_KEYS:
        return f"{key}={mask_secret(value)}"
    return f"{key}={value}"


# --------------------------------------------------------------------------
# Canonical form


def _items(value: str) -> list[str]:
    return [item for item in (raw.strip() for raw in value.split(",")) if item]


def canonicalize_labels(coe: str, labels: Mapping[str, str]) -> dict[str, str]:
    """The labels as they are sent to Magnum."""
    specs = _specs(coe)
    result: dict[str, str] = {}
    for key, value in labels.items():
        spec = specs.get(key)
        if not isinstance(value, str):
            result[key] = value
            continue
        text = value.strip()
        if spec is None:
            result[key] = text
        elif spec.kind == "boolean":
            result[key] = text.lower()
        elif spec.kind in ("enum_list", "hostport_list"):
            items = _items(text)
            if spec.any_case:
                items = [item.lower() for item in items]
            result[key] = ",".join(items)
        elif spec.kind == "domain_list":
            result[key] = " ".join(text.split())
        else:
            result[key] = text
    return result


# --------------------------------------------------------------------------
# Isolation


def _isolators_of(value: object) -> list[str]:
    return _items(value) if isinstance(value, str) else []


def effective_isolation(labels: Mapping[str, str]) -> tuple[str, ...]:
    """Isolators a DC/OS agent runs with: DC/OS's own, then the label's."""
    seen = dict.fromkeys(DCOS_DEFAULT_ISOLATION)
    for item in _isolators_of(labels.get("isolation")):
        seen.setdefault(item)
    return tuple(seen)


def _needing_linux_launcher(isolators: Iterable[str]) -> list[str]:
    return [
        item
        for item in isolators
        if item.startswith(_LINUX_LAUNCHER_PREFIXES)
        or item in _LINUX_LAUNCHER_ISOLATORS
    ]


def _isolation_gaps(isolators: Iterable[str]) -> list[tuple[str, str]]:
    """(isolator, what it needs) pairs missing from one isolation set."""
    present = set(isolators)
    # mesos docs/isolators/docker-volume.md: docker/volume needs filesystem/linux.
    if "docker/volume" in present and "filesystem/linux" not in present:
        return [("docker/volume", "filesystem/linux")]
    return []


def _provider_gaps(
    providers: Iterable[str], isolators: Iterable[str], need_filesystem: bool
) -> list[str]:
    """Isolators the image providers need that the isolation set lacks."""
    providers = list(providers)
    present = set(isolators)
    needed = []
    # mesos docs/container-image.md: image support runs on filesystem/linux,
    # and "if [docker/runtime] is not specified and --image_providers contains
    # docker, the agent will refuse to start".
    if need_filesystem and providers:
        needed.append("filesystem/linux")
    if "docker" in providers:
        needed.append("docker/runtime")
    return [item for item in needed if item not in present]


# --------------------------------------------------------------------------
# Messages


_SHOWN_MAX = 80


def _clip(value: str) -> str:
    if len(value) > _SHOWN_MAX:
        value = value[: _SHOWN_MAX - 3] + "..."
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in value)


def _code(value: str) -> str:
    return "`" + _clip(value) + "`"


def _literal(text: str) -> str:
    """Our own example text, shown whole."""
    return "`" + text + "`"


def _codes(values: Iterable[str]) -> str:
    return ", ".join(_code(value) for value in values)


def _distance(a: str, b: str, limit: int = 2) -> int:
    """Edit distance with transpositions, or limit + 1 once it is beyond limit."""
    over = limit + 1
    if abs(len(a) - len(b)) > limit:
        return over
    # A shared start or end never needs an edit; dropping it shortens the
    # table, and most typos leave the first letters alone.
    start = 0
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1
    a, b = a[start:], b[start:]
    while a and b and a[-1] == b[-1]:
        a, b = a[:-1], b[:-1]
    if not a or not b:
        return min(len(a) + len(b), over)
    n = len(b)
    # Cells with |i - j| > limit are already beyond limit, so only a band of
    # 2 * limit + 1 cells per row is computed: typo hunting stays cheap.
    previous2: list[int] = []
    previous = [j if j <= limit else over for j in range(n + 1)]
    for i in range(1, len(a) + 1):
        ca = a[i - 1]
        row = [over] * (n + 1)
        if i <= limit:
            row[0] = i
        best = row[0]
        for j in range(max(1, i - limit), min(n, i + limit) + 1):
            cb = b[j - 1]
            value = min(previous[j - 1] + (ca != cb), row[j - 1] + 1, previous[j] + 1)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            row[j] = value = min(value, over)
            best = min(best, value)
        if best > limit:
            return over
        previous2, previous = previous, row
    return min(previous[n], over)


def _closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate nearest to ``word`` within edit distance 2, if any."""
    best, best_distance = None, 3
    lowered = word.lower()
    letters = set(lowered)
    for candidate in candidates:
        other = candidate.lower()
        # Each letter found in only one of the two words costs an edit, so
        # this set test rules most candidates out before the slower count.
        if len(letters - set(other)) > 2 or len(set(other) - letters) > 2:
            continue
        distance = _distance(lowered, other)
        if distance < best_distance:
            best, best_distance = candidate, distance
    return best


def _did_you_mean(word: str, candidates: Iterable[str]) -> str:
    suggestion = _closest(word, candidates)
    if suggestion is None:
        return ""
    return " " + _("Did you mean %(suggestion)s?") % {"suggestion": _code(suggestion)}


# --------------------------------------------------------------------------
# Checks of one value


def _check_enum(spec: LabelSpec, text: str) -> str | None:
    if text in spec.choices:
        return None
    return _("%(label)s is %(value)s; use one of %(choices)s.%(hint)s") % {
        "label": _code(spec.key),
        "value": _code(text),
        "choices": _codes(spec.choices),
        "hint": _did_you_mean(text, spec.choices),
    }


def _check_boolean(spec: LabelSpec, text: str) -> str | None:
    if text.lower() in spec.choices:
        return None
    return _("%(label)s is %(value)s; use `true` or `false`.") % {
        "label": _code(spec.key),
        "value": _code(text),
    }


def _check_enum_list(spec: LabelSpec, text: str) -> str | None:
    items = _items(text)
    if not items:
        return _empty_message(spec.key)
    unknown: list[str] = []
    repeated: list[str] = []
    seen: set[str] = set()
    for item in items:
        name = item.lower() if spec.any_case else item
        if name not in spec.choices:
            unknown.append(item)
        elif name in seen:
            if item not in repeated:
                repeated.append(item)
        else:
            seen.add(name)
    if unknown:
        values = {"label": _code(spec.key), "unknown": _codes(unknown[:5])}
        suggestion = _closest(unknown[0], spec.choices)
        if suggestion is not None:
            return _(
                "%(label)s lists %(unknown)s, which it does not accept. "
                "Did you mean %(suggestion)s?"
            ) % {**values, "suggestion": _code(suggestion)}
        return _(
            "%(label)s lists %(unknown)s, which it does not accept. "
            "Accepted, comma-separated: %(choices)s."
        ) % {**values, "choices": _codes(spec.choices)}
    if repeated:
        return _("%(label)s lists %(repeated)s more than once; give each once.") % {
            "label": _code(spec.key),
            "repeated": _codes(repeated[:5]),
        }
    return None


_DIGITS = re.compile(r"[0-9]+")


def _check_integer(spec: LabelSpec, text: str) -> str | None:
    # Not int(): it accepts "+5", "1_000" and non-ASCII digits, and refuses
    # very long strings with an error of its own.
    if _DIGITS.fullmatch(text) and text.strip("0"):
        return None
    return _("%(label)s is %(value)s; give a whole number of 1 or more, e.g. `5`.") % {
        "label": _code(spec.key),
        "value": _code(text),
    }


def _check_path(spec: LabelSpec, text: str) -> str | None:
    if text.startswith("/"):
        return None
    return _("%(label)s is %(value)s; give an absolute path, starting with `/`.") % {
        "label": _code(spec.key),
        "value": _code(text),
    }


def _check_accepting(spec: LabelSpec, text: str) -> str | None:
    return None


_DNS_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_DOMAIN = re.compile(rf"{_DNS_LABEL}(?:\.{_DNS_LABEL})*")
_NUMERIC_HOST = re.compile(r"[0-9.]+")


def _is_domain(name: str) -> bool:
    return len(name) <= 253 and _DOMAIN.fullmatch(name) is not None


def _is_host(host: str) -> bool:
    if host.startswith("[") and host.endswith("]"):
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            return False
        return True
    if _NUMERIC_HOST.fullmatch(host):
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            return False
        return True
    return _is_domain(host)


def _is_hostport(item: str) -> bool:
    host, colon, port = item.rpartition(":")
    if not colon or not _is_host(host):
        return False
    return (
        _DIGITS.fullmatch(port) is not None
        and len(port) <= 5
        and (1 <= int(port) <= 65535)
    )


def _repeated(items: list[str]) -> list[str]:
    seen: set[str] = set()
    repeated: list[str] = []
    for item in items:
        if item in seen and item not in repeated:
            repeated.append(item)
        seen.add(item)
    return repeated


def _check_hostport_list(spec: LabelSpec, text: str) -> str | None:
    items = _items(text)
    if not items:
        return _empty_message(spec.key)
    bad = [item for item in items if not _is_hostport(item)]
    if bad:
        return _(
            "%(label)s lists %(bad)s; give comma-separated `host:port` pairs "
            "with a port from 1 to 65535, e.g. `10.0.0.5:2181,10.0.0.6:2181`."
        ) % {"label": _code(spec.key), "bad": _codes(bad[:5])}
    repeated = _repeated(items)
    if repeated:
        return _("%(label)s lists %(repeated)s more than once; give each once.") % {
            "label": _code(spec.key),
            "repeated": _codes(repeated[:5]),
        }
    return None


def _check_domain_list(spec: LabelSpec, text: str) -> str | None:
    items = text.split()
    bad = [item for item in items if not _is_domain(item)]
    if bad:
        hint = ""
        if any("," in item for item in bad):
            hint = " " + _("Separate domains with spaces, not commas.")
        return _(
            "%(label)s lists %(bad)s, which is not a domain name.%(hint)s "
            "Give space-separated names such as `example.com corp.example.com`."
        ) % {"label": _code(spec.key), "bad": _codes(bad[:5]), "hint": hint}
    repeated = _repeated(items)
    if repeated:
        return _("%(label)s lists %(repeated)s more than once; give each once.") % {
            "label": _code(spec.key),
            "repeated": _codes(repeated[:5]),
        }
    canonical = " ".join(items)
    if len(items) > _DNS_SEARCH_MAX_DOMAINS or len(canonical) > _DNS_SEARCH_MAX_CHARS:
        return _(
            "%(label)s has %(count)d domains in %(length)d characters; DC/OS "
            "accepts at most %(max_domains)d domains in %(max_chars)d characters."
        ) % {
            "label": _code(spec.key),
            "count": len(items),
            "length": len(canonical),
            "max_domains": _DNS_SEARCH_MAX_DOMAINS,
            "max_chars": _DNS_SEARCH_MAX_CHARS,
        }
    return None


def _load_json(spec: LabelSpec, text: str) -> tuple[object, str | None]:
    try:
        return json.loads(text), None
    except RecursionError:
        reason = _("it is nested too deeply")
    except ValueError as error:
        reason = str(error)
    return None, _(
        "%(label)s is not valid JSON (%(reason)s): %(value)s. Write it on one "
        "line, e.g. %(example)s."
    ) % {
        "label": _code(spec.key),
        "reason": _clip(reason),
        "value": _code(text),
        "example": _literal(spec.example or "{}"),
    }


def _json_text(value: object) -> str:
    try:
        return json.dumps(value)
    except (ValueError, RecursionError):
        return repr(value)


def _ipv4_cidr(value: object) -> ipaddress.IPv4Network | None:
    if not isinstance(value, str) or "/" not in value:
        return None
    try:
        return ipaddress.IPv4Network(value)
    except ValueError:
        return None


_MAC_PREFIX = re.compile(r"[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}")


def _check_executor_env(spec: LabelSpec, text: str) -> str | None:
    data, error = _load_json(spec, text)
    if error:
        return error
    if not isinstance(data, dict):
        return _(
            "%(label)s is %(value)s; give a JSON object of variable names and "
            "string values, e.g. %(example)s."
        ) % {
            "label": _code(spec.key),
            "value": _code(text),
            "example": _literal(spec.example or "{}"),
        }
    for name, value in data.items():
        if not isinstance(value, str):
            return _(
                "%(label)s sets %(name)s to %(value)s; every value must be a "
                'JSON string, e.g. `"%(name_raw)s": "1"`.'
            ) % {
                "label": _code(spec.key),
                "name": _code(name),
                "value": _code(_json_text(value)),
                "name_raw": _clip(name),
            }
    return None


def _overlay_problem(data: object) -> str | None:
    """What is wrong in a decoded dcos_overlay_network, or None."""
    if not isinstance(data, dict):
        return _("it is %(value)s, not a JSON object") % {
            "value": _code(_json_text(data))
        }
    for field in ("vtep_subnet", "vtep_mac_oui", "overlays"):
        if field not in data:
            return _("it has no %(field)s") % {"field": _code(field)}
    if _ipv4_cidr(data["vtep_subnet"]) is None:
        return _(
            "`vtep_subnet` is %(value)s, not an IPv4 network in CIDR form "
            "such as `44.128.0.0/20`"
        ) % {"value": _code(_json_text(data["vtep_subnet"]))}
    mac = data["vtep_mac_oui"]
    if not isinstance(mac, str) or not _MAC_PREFIX.fullmatch(mac):
        return _(
            "`vtep_mac_oui` is %(value)s, not six hex octets such as "
            "`70:B3:D5:00:00:00`"
        ) % {"value": _code(_json_text(mac))}
    overlays = data["overlays"]
    if not isinstance(overlays, list) or not overlays:
        return _("`overlays` is %(value)s, not a non-empty list of overlays") % {
            "value": _code(_json_text(overlays))
        }
    for number, overlay in enumerate(overlays, start=1):
        problem = _overlay_entry_problem(overlay)
        if problem:
            return _("overlay %(number)d: %(problem)s") % {
                "number": number,
                "problem": problem,
            }
    return None


def _overlay_entry_problem(overlay: object) -> str | None:
    if not isinstance(overlay, dict):
        return _("%(value)s is not a JSON object") % {
            "value": _code(_json_text(overlay))
        }
    for field in ("name", "subnet", "prefix"):
        if field not in overlay:
            return _("it has no %(field)s") % {"field": _code(field)}
    name = overlay["name"]
    if not isinstance(name, str) or not name or len(name) > _OVERLAY_NAME_MAX:
        return _("`name` is %(value)s; give a name of 1 to %(max)d characters") % {
            "value": _code(_json_text(name)),
            "max": _OVERLAY_NAME_MAX,
        }
    subnet = _ipv4_cidr(overlay["subnet"])
    if subnet is None:
        return _(
            "`subnet` is %(value)s, not an IPv4 network in CIDR form such as "
            "`9.0.0.0/8`"
        ) % {"value": _code(_json_text(overlay["subnet"]))}
    prefix = overlay["prefix"]
    if (
        isinstance(prefix, bool)
        or not isinstance(prefix, int)
        or not subnet.prefixlen <= prefix <= 32
    ):
        return _(
            "`prefix` is %(value)s; give an integer from %(low)d (the prefix "
            "length of %(subnet)s) to 32"
        ) % {
            "value": _code(_json_text(prefix)),
            "low": subnet.prefixlen,
            "subnet": _code(str(subnet)),
        }
    return None


def _check_overlay_network(spec: LabelSpec, text: str) -> str | None:
    data, error = _load_json(spec, text)
    if error:
        return error
    problem = _overlay_problem(data)
    if problem is None:
        return None
    return _("%(label)s: %(problem)s. For example: %(example)s.") % {
        "label": _code(spec.key),
        "problem": problem,
        "example": _literal(_OVERLAY_EXAMPLE),
    }


_JSON_CHECKS = {
    "dcos_overlay_network": _check_overlay_network,
    "mesos_slave_executor_env_variables": _check_executor_env,
}


def _check_json(spec: LabelSpec, text: str) -> str | None:
    return _JSON_CHECKS[spec.key](spec, text)


_KIND_CHECKS = {
    "enum": _check_enum,
    "enum_list": _check_enum_list,
    "boolean": _check_boolean,
    "integer": _check_integer,
    "path": _check_path,
    "json": _check_json,
    "text": _check_accepting,
    "secret": _check_accepting,
    "hostport_list": _check_hostport_list,
    "domain_list": _check_domain_list,
}


def _empty_message(key: str) -> str:
    return _("%(label)s is empty; give it a value or remove the label.") % {
        "label": _code(key)
    }


def _check_value(spec: LabelSpec, value: object) -> str | None:
    if not isinstance(value, str):
        return _("%(label)s must be text, not %(type)s.") % {
            "label": _code(spec.key),
            "type": type(value).__name__,
        }
    text = value.strip()
    if not text:
        return _empty_message(spec.key)
    return _KIND_CHECKS[spec.kind](spec, text)


def _unknown_key_message(coe: str, key: str, extra: set[str]) -> str:
    for other in COES:
        if other != coe and key in _SPECS[other]:
            return _(
                "%(label)s is a label of %(other)s bays; %(coe)s bays do not "
                "read it. Remove it."
            ) % {"label": _code(key), "other": _code(other), "coe": _code(coe)}
    candidates = list(_SPECS[coe]) + sorted(extra)
    suggestion = _closest(key, candidates)
    if suggestion is not None:
        return _(
            "%(label)s is not a label of %(coe)s bays. Did you mean %(suggestion)s?"
        ) % {"label": _code(key), "coe": _code(coe), "suggestion": _code(suggestion)}
    return _(
        "%(label)s is not a label of %(coe)s bays (the label guide lists them); "
        "an operator can allow it in DCOS_DASHBOARD['EXTRA_LABELS']."
    ) % {"label": _code(key), "coe": _code(coe)}


# --------------------------------------------------------------------------
# Rules across labels


def _cross_label_messages(
    coe: str, labels: Mapping[str, object], valid: Mapping[str, str]
) -> Iterable[tuple[str, str]]:
    """(key, message) for each broken rule between two labels."""
    isolation_key = _ISOLATION_KEY[coe]
    providers_key = _PROVIDERS_KEY[coe]
    if coe == "dcos":
        isolators: list[str] = list(effective_isolation(valid))
    else:
        isolators = _isolators_of(labels.get(isolation_key))

    if coe == "dcos" and valid.get("launcher") == "posix":
        blocking = _needing_linux_launcher(isolators)
        if blocking:
            yield (
                "launcher",
                _(
                    "%(launcher)s is `posix`, but the effective %(isolation)s "
                    "includes %(blocking)s, which need the Linux launcher. DC/OS "
                    "always enables some of these, so use `launcher=linux` or "
                    "remove %(launcher)s."
                )
                % {
                    "launcher": _code("launcher"),
                    "isolation": _code("isolation"),
                    "blocking": _codes(blocking),
                },
            )

    if coe == "dcos" or isolation_key in valid:
        for isolator, needed in _isolation_gaps(isolators):
            yield (
                isolation_key,
                _(
                    "%(isolation)s has %(isolator)s, which needs %(needed)s; add "
                    "%(needed)s to %(isolation)s."
                )
                % {
                    "isolation": _code(isolation_key),
                    "isolator": _code(isolator),
                    "needed": _code(needed),
                },
            )

    if providers_key in valid:
        providers = _items(valid[providers_key].lower())
        missing = _provider_gaps(providers, isolators, need_filesystem=coe == "dcos")
        if missing:
            if coe == "dcos":
                state = _("the effective set is %(value)s") % {
                    "value": _code(",".join(isolators))
                }
            elif isolation_key in labels:
                state = _("it is %(value)s") % {
                    "value": _code(str(labels[isolation_key]))
                }
            else:
                state = _("it is not set")
            yield (
                providers_key,
                _(
                    "%(providers)s is %(value)s, which needs %(missing)s in "
                    "%(isolation)s, but %(state)s. Add %(missing)s to %(isolation)s."
                )
                % {
                    "providers": _code(providers_key),
                    "value": _code(valid[providers_key]),
                    "missing": _codes(missing),
                    "isolation": _code(isolation_key),
                    "state": state,
                },
            )

    if coe == "dcos":
        yield from _exhibitor_messages(labels, valid)
        enable = valid.get("dcos_overlay_enable", "").lower()
        if enable == "true" and "dcos_overlay_network" not in labels:
            yield (
                "dcos_overlay_network",
                _(
                    "%(enable)s is `true`, which needs %(network)s: the overlay "
                    "networks as one line of JSON, e.g. %(example)s."
                )
                % {
                    "enable": _code("dcos_overlay_enable"),
                    "network": _code("dcos_overlay_network"),
                    "example": _literal(_OVERLAY_EXAMPLE),
                },
            )


def _exhibitor_messages(
    labels: Mapping[str, object], valid: Mapping[str, str]
) -> Iterable[tuple[str, str]]:
    backend_key = "exhibitor_storage_backend"
    if backend_key in labels and backend_key not in valid:
        # The backend's own message says what to fix; companions wait for it.
        return
    backend = valid.get(backend_key, "static")
    for companion in EXHIBITOR_COMPANIONS[backend]:
        if companion not in labels:
            yield (
                companion,
                _(
                    "%(backend_key)s is %(backend)s, which needs %(label)s; add it "
                    "or choose another backend."
                )
                % {
                    "backend_key": _code(backend_key),
                    "backend": _code(backend),
                    "label": _code(companion),
                },
            )
    for key in labels:
        owner = _BACKEND_OF.get(key) if isinstance(key, str) else None
        if owner is not None and owner != backend:
            default_note = "" if backend_key in labels else _(" (the default)")
            yield (
                key,
                _(
                    "%(label)s is only read when %(backend_key)s is %(owner)s, but "
                    "it is %(backend)s%(default_note)s. Set %(backend_key)s to "
                    "%(owner)s or remove %(label)s."
                )
                % {
                    "label": _code(key),
                    "backend_key": _code(backend_key),
                    "owner": _code(owner),
                    "backend": _code(backend),
                    "default_note": default_note,
                },
            )


# --------------------------------------------------------------------------
# Validation


def validate_labels(
    coe: str, labels: Mapping[str, str], extra_keys: Iterable[str] = ()
) -> dict[str, str]:
    """One message per offending label key; an empty dict when all is well."""
    specs = _specs(coe)
    if not isinstance(labels, Mapping):
        raise ValueError(_("Labels must be a mapping of names to values."))
    if isinstance(extra_keys, str):
        extra_keys = (extra_keys,)
    try:
        extra = {key for key in extra_keys if isinstance(key, str)}
    except TypeError as error:
        raise ValueError(_("Extra label names must be a list of names.")) from error

    errors: dict[str, str] = {}
    valid: dict[str, str] = {}
    for key, value in labels.items():
        if not isinstance(key, str):
            raise ValueError(
                _("Label names must be text; got %(key)s.") % {"key": _clip(repr(key))}
            )
        spec = specs.get(key)
        if spec is None:
            if key not in extra:
                errors[key] = _unknown_key_message(coe, key, extra)
            continue
        message = _check_value(spec, value)
        if message:
            errors[key] = message
        else:
            valid[key] = value.strip()
    for key, message in _cross_label_messages(coe, labels, valid):
        errors.setdefault(key, message)
    return errors


# --------------------------------------------------------------------------
# The user guide, docs/labels.md


def _values_cell(spec: LabelSpec) -> str:
    if spec.kind == "enum":
        return "one of " + _bullets(spec.choices)
    if spec.kind == "enum_list":
        if spec.choices == MESOS_ISOLATORS:
            return "comma list of [Mesos isolators](#mesos-isolators)"
        names = ", ".join(f"`{choice}`" for choice in spec.choices)
        case = " (any case)" if spec.any_case else ""
        return f"comma list of {names}{case}"
    if spec.kind == "boolean":
        return "`true` or `false` (any case)"
    if spec.kind == "integer":
        return "whole number, 1 or more"
    if spec.kind == "path":
        return "absolute path (starts with `/`)"
    if spec.kind == "hostport_list":
        return "comma list of `host:port`"
    if spec.kind == "domain_list":
        return "space-separated domain names"
    if spec.key == "dcos_overlay_network":
        return (
            "one-line JSON object: `vtep_subnet` (IPv4 CIDR), `vtep_mac_oui` "
            "(six hex octets), `overlays` (non-empty list of `name`, `subnet`, "
            "`prefix`)"
        )
    if spec.key == "mesos_slave_executor_env_variables":
        return "one-line JSON object of string values"
    if spec.secret:
        return "text (secret: never shown in full)"
    return "text"


def _table(specs: Iterable[LabelSpec]) -> list[str]:
    lines = [
        "| Label | Values | Default | Meaning |",
        "|---|---|---|---|",
    ]
    for spec in specs:
        default = f"`{spec.default}`" if spec.default is not None else "-"
        if spec.key == "isolation":
            default = "DC/OS's own set (below)"
        meaning = spec.help
        if spec.example:
            meaning += f" Example: `{spec.example}`."
        cells = [f"`{spec.key}`", _values_cell(spec), default, meaning]
        lines.append(
            "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"
        )
    return lines


def _bullets(values: Iterable[str]) -> str:
    return ", ".join(f"`{value}`" for value in values)


def catalogue_markdown() -> str:
    """The label guide, docs/labels.md, written from the catalogue."""
    zk = EXHIBITOR_COMPANIONS["zookeeper"]
    s3 = EXHIBITOR_COMPANIONS["aws_s3"]
    azure = EXHIBITOR_COMPANIONS["azure"]
    lines = [
        "# Labels of DC/OS and Mesos bays",
        "",
        "<!-- Written by dcos_dashboard.labels.catalogue_markdown(); "
        "edit the catalogue, not this file. -->",
        "",
        "Labels are the `key=value` settings a bay model (and, as overrides, a "
        "bay) passes to Magnum's bay driver. Magnum checks almost none of them, "
        "so a typo used to surface as a broken cluster an hour later. The "
        "dashboard checks every label before it calls Magnum and names the "
        "label that is wrong, its value, and what it would accept.",
        "",
        "## Typing labels",
        "",
        "- One `key=value` per line, or several on one line separated by "
        "commas: `isolation=docker/volume,launcher=linux,image_providers=docker`"
        " is three labels.",
        "- A piece after a comma that does not start with `name=` belongs to the"
        " value before it: `isolation=filesystem/linux,docker/runtime` is one "
        "label whose value lists two isolators.",
        "- Spaces around names, values and pieces are dropped; blank lines and "
        "trailing commas are ignored.",
        "- Write a JSON value on one line. Spaces right after its commas are "
        "dropped too, which JSON does not mind (only a comma inside a JSON "
        "string would lose the spaces after it).",
        "- A label given twice, a piece before any `name=`, or `=value` without"
        " a name is refused, with the line it is on.",
        "- Values are sent to Magnum in one spelling: list items joined by `,` "
        "without spaces, `true`/`false` and image providers in lower case, "
        "`dns_search` domains separated by single spaces.",
        "- Other labels are refused unless the operator lists them in "
        "`DCOS_DASHBOARD['EXTRA_LABELS']`; a near miss gets a suggestion "
        '("did you mean `isolation`?").',
        "",
        "## `dcos` bays (Open DC/OS)",
        "",
        *_table(CATALOGUE["dcos"]),
        "",
        "`aws_secret_access_key` and `exhibitor_azure_account_key` are secrets: "
        "the dashboard never shows them in full.",
        "",
        "### Rules between labels (`dcos`)",
        "",
        "- `isolation` **adds to** the isolators DC/OS always enables (its "
        "installer sets the agents' isolation itself). The rules below look at "
        "the effective set: DC/OS's own isolators, then the label's. An "
        "isolator listed twice in the label is refused; one that DC/OS already "
        "enables is fine.",
        "- `launcher=posix` cannot run `cgroups/*`, `namespaces/*`, `network/*`"
        " or `filesystem/linux` isolators (Mesos needs the Linux launcher for "
        "them). DC/OS always enables some of them, so `posix` is always "
        "refused on `dcos` bays, reported on `launcher`.",
        "- Any `image_providers` entry needs `filesystem/linux`, and `docker` "
        "needs `docker/runtime`, in the effective isolation (reported on "
        "`image_providers`). DC/OS always enables both.",
        "- `docker/volume` needs `filesystem/linux` (reported on `isolation`); "
        "DC/OS always enables both.",
        f"- `exhibitor_storage_backend` (default `static`) decides which other "
        f"labels are needed: `zookeeper` needs {_bullets(zk)}; `aws_s3` needs "
        f"{_bullets(s3)}; `azure` needs {_bullets(azure)}. A missing one is "
        "reported on its own key. One of these labels set while the backend "
        "is another one (or `static`) is refused too, on that label, because "
        "DC/OS would ignore it.",
        "- `dcos_overlay_enable=true` needs `dcos_overlay_network` (reported on"
        " `dcos_overlay_network`). In that JSON, `vtep_subnet`, `vtep_mac_oui` "
        "and `overlays` are all required; each overlay has a `name` of at most"
        f" {_OVERLAY_NAME_MAX} characters, a `subnet` in CIDR form, and a "
        "`prefix` between the subnet's prefix length and 32.",
        f"- `dns_search` holds at most {_DNS_SEARCH_MAX_DOMAINS} domains in "
        f"{_DNS_SEARCH_MAX_CHARS} characters (resolv.conf's limits, as DC/OS "
        "checks them).",
        "",
        "### DC/OS default isolation",
        "",
        _bullets(DCOS_DEFAULT_ISOLATION)
        + ", plus DC/OS's metrics module (dcos/dcos `gen/calc.py`).",
        "",
        "## `mesos` bays (Magnum's Mesos driver)",
        "",
        *_table(CATALOGUE["mesos"]),
        "",
        "### Rules between labels (`mesos`)",
        "",
        "- `mesos_slave_isolation` **replaces** the agent's isolation; an "
        "isolator listed twice is refused.",
        "- `mesos_slave_image_providers` with `docker` needs `docker/runtime` "
        "in `mesos_slave_isolation`, also when `mesos_slave_isolation` is not "
        "set (Magnum's own rule; reported on `mesos_slave_image_providers`).",
        "- `mesos_slave_executor_env_variables` must be a JSON object whose "
        "values are all strings.",
        "",
        "## Mesos isolators",
        "",
        "Isolators Mesos knows (mesos `src/slave/containerizer/mesos/"
        "containerizer.cpp`); `dcos` bays accept any of them in `isolation`, "
        "`mesos` bays only those Magnum's driver accepts: "
        + _bullets(MAGNUM_MESOS_ISOLATORS)
        + ".",
        "",
        "All of them: " + _bullets(MESOS_ISOLATORS) + ".",
        "",
        "## Sources",
        "",
        "- Magnum: `contrib/drivers/dcos_centos_v1` (Heat template and "
        "`configure-dcos.sh`), `drivers/mesos_ubuntu_v1`, "
        "`api/attr_validator.py`.",
        "- DC/OS: dcos/dcos `gen/calc.py`.",
        "- Mesos: `docs/configuration/agent.md`, `docs/container-image.md`, "
        "`docs/isolators/docker-volume.md`.",
        "",
    ]
    return "\n".join(lines)
