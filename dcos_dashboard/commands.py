"""The command lines that do what a page shows (pure: no Django, no I/O).

Each function takes Magnum's fields as plain values and returns one line for
a POSIX shell: every argument is quoted with :func:`shlex.quote`, so
``shlex.split`` gives back exactly the arguments meant, and the arguments
are those python-magnumclient 5's ``openstack coe`` commands parse
(``magnumclient/osc/v1/cluster_templates.py`` and ``clusters.py``).
Values of secret labels never appear: :data:`SECRET_PLACEHOLDER` stands in
their place for the user to fill in.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Iterable, Mapping

SECRET_PLACEHOLDER = "<secret>"  # noqa: S105 - a placeholder, not a secret

# Template fields given as `--option value` (field -> option), in the order
# `openstack coe cluster template create --help` lists them.
_TEMPLATE_OPTIONS = (
    ("coe", "--coe"),
    ("image_id", "--image"),
    ("external_network_id", "--external-network"),
    ("keypair_id", "--keypair"),
    ("fixed_network", "--fixed-network"),
    ("fixed_subnet", "--fixed-subnet"),
    ("network_driver", "--network-driver"),
    ("volume_driver", "--volume-driver"),
    ("dns_nameserver", "--dns-nameserver"),
    ("flavor_id", "--flavor"),
    ("master_flavor_id", "--master-flavor"),
    ("docker_volume_size", "--docker-volume-size"),
    ("docker_storage_driver", "--docker-storage-driver"),
    ("http_proxy", "--http-proxy"),
    ("https_proxy", "--https-proxy"),
    ("no_proxy", "--no-proxy"),
    ("insecure_registry", "--insecure-registry"),
    ("server_type", "--server-type"),
)
# Template fields that are flags when true.
_TEMPLATE_FLAGS = (
    ("tls_disabled", "--tls-disabled"),
    ("public", "--public"),
    ("registry_enabled", "--registry-enabled"),
    ("master_lb_enabled", "--master-lb-enabled"),
    ("hidden", "--hidden"),
)
_CLUSTER_OPTIONS = (
    ("cluster_template_id", "--cluster-template"),
    ("keypair", "--keypair"),
    ("master_count", "--master-count"),
    ("node_count", "--node-count"),
    ("create_timeout", "--timeout"),
    ("discovery_url", "--discovery-url"),
    ("flavor_id", "--flavor"),
    ("master_flavor_id", "--master-flavor"),
    ("docker_volume_size", "--docker-volume-size"),
    ("fixed_network", "--fixed-network"),
    ("fixed_subnet", "--fixed-subnet"),
)


def _given(value) -> bool:
    return value is not None and value != ""


def _line(words: Iterable[str]) -> str:
    return " ".join(shlex.quote(str(word)) for word in words)


def _positional(value: str) -> list[str]:
    """A positional argument; after ``--`` when it would read as an option."""
    return ["--", value] if str(value).startswith("-") else [value]


def _label_words(
    labels: Mapping[str, str] | None, is_secret: Callable[[str], bool]
) -> list[str]:
    """`--labels key=value` once per label, secrets replaced.

    python-magnumclient splits a *single* ``--labels`` argument holding more
    than one ``=`` on ``,`` and ``;``, and joins a repeated key's values
    with ``,`` (``format_labels``): a lone label whose value holds ``=`` and
    ``,`` is therefore given as two halves of itself.
    """
    pairs = [
        (key, SECRET_PLACEHOLDER if is_secret(key) else value)
        for key, value in sorted((labels or {}).items())
    ]
    if len(pairs) == 1:
        key, value = pairs[0]
        if "=" in value and "," in value:
            head, tail = value.split(",", 1)
            pairs = [(key, head), (key, tail)]
    words = []
    for key, value in pairs:
        words += ["--labels", f"{key}={value}"]
    return words


def _floating_ip(value) -> list[str]:
    if value is True:
        return ["--floating-ip-enabled"]
    if value is False:
        return ["--floating-ip-disabled"]
    return []


def template_create(
    fields: Mapping, is_secret: Callable[[str], bool] = lambda key: False
) -> str:
    """`openstack coe cluster template create ...` for a Bay Model's fields."""
    words = ["openstack", "coe", "cluster", "template", "create"]
    for field, option in _TEMPLATE_OPTIONS:
        if _given(fields.get(field)):
            words += [option, fields[field]]
    for field, flag in _TEMPLATE_FLAGS:
        if fields.get(field) is True:
            words.append(flag)
    words += _floating_ip(fields.get("floating_ip_enabled"))
    tags = fields.get("tags")
    if tags:
        words += ["--tags", tags if isinstance(tags, str) else ",".join(tags)]
    words += _label_words(fields.get("labels"), is_secret)
    words += _positional(fields["name"])
    return _line(words)


def cluster_create(
    fields: Mapping, is_secret: Callable[[str], bool] = lambda key: False
) -> str:
    """`openstack coe cluster create ...` for a bay's fields.

    Labels are the bay's own (overrides of its model's); with
    ``merge_labels`` they are merged into the model's, as the wizard sends.
    """
    words = ["openstack", "coe", "cluster", "create"]
    for field, option in _CLUSTER_OPTIONS:
        if _given(fields.get(field)):
            words += [option, fields[field]]
    words += _floating_ip(fields.get("floating_ip_enabled"))
    if fields.get("master_lb_enabled") is True:
        words.append("--master-lb-enabled")
    labels = fields.get("labels")
    words += _label_words(labels, is_secret)
    if labels and fields.get("merge_labels"):
        words.append("--merge-labels")
    words += _positional(fields["name"])
    return _line(words)


def cluster_scale(bay: str, node_count: int) -> str:
    """`openstack coe cluster update <bay> --node-count N`: what Scale does."""
    return _line(
        ["openstack", "coe", "cluster", "update", "--node-count", node_count]
        + _positional(bay)
    )


def cluster_scale_parts(bay: str) -> tuple[str, str]:
    """The line of :func:`cluster_scale` around its node count.

    ``head + str(n) + tail == cluster_scale(bay, n)`` for every n >= 0 (a
    number needs no quoting), so a form can change the number alone.
    """
    head = _line(["openstack", "coe", "cluster", "update", "--node-count"])
    return head + " ", " " + _line(_positional(bay))


def dcos_setup(console_url: str) -> str:
    """`dcos cluster setup <url>`: attach the DC/OS CLI to a bay's console."""
    return _line(["dcos", "cluster", "setup", console_url])
