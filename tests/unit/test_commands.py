"""Command lines: each parses back, through shlex and python-magnumclient's own
`openstack coe` commands, into exactly the Magnum call the page stands for."""

import shlex
from types import SimpleNamespace
from unittest import mock

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from magnumclient.osc.v1 import cluster_templates as osc_templates
from magnumclient.osc.v1 import clusters as osc_clusters

from dcos_dashboard import commands

SECRETS = {"aws_secret_access_key", "exhibitor_azure_account_key"}


def is_secret(key):
    return key in SECRETS


def run_client(command_class, line, prefix):
    """The kwargs python-magnumclient's command sends for `line`, and its manager."""
    argv = shlex.split(line)
    assert argv[: len(prefix)] == prefix
    manager = mock.MagicMock()
    manager.cluster_templates.create.return_value = SimpleNamespace(
        _info={"links": []}, uuid="u"
    )
    manager.clusters.create.return_value = SimpleNamespace(uuid="u")
    app = SimpleNamespace(client_manager=SimpleNamespace(container_infra=manager))
    command = command_class(app, None)
    parsed = command.get_parser(" ".join(prefix)).parse_args(argv[len(prefix) :])
    with mock.patch.object(osc_templates.osc_utils, "get_item_properties"):
        command.take_action(parsed)
    return manager


TEMPLATE_PREFIX = ["openstack", "coe", "cluster", "template", "create"]
CLUSTER_PREFIX = ["openstack", "coe", "cluster", "create"]


def template_sent(line):
    manager = run_client(osc_templates.CreateClusterTemplate, line, TEMPLATE_PREFIX)
    return manager.cluster_templates.create.call_args.kwargs


def cluster_sent(line):
    manager = run_client(osc_clusters.CreateCluster, line, CLUSTER_PREFIX)
    return manager.clusters.create.call_args.kwargs


BAY_MODEL = {
    "name": "dcos-prod",
    "coe": "dcos",
    "image_id": "centos-7-dcos",
    "external_network_id": "public",
    "keypair_id": "ops key",
    "flavor_id": "m1.large",
    "master_flavor_id": "m1.xlarge",
    "dns_nameserver": "8.8.4.4",
    "docker_volume_size": 20,
    "docker_storage_driver": "overlay2",
    "fixed_network": "private",
    "master_lb_enabled": True,
    "floating_ip_enabled": False,
    "public": False,
    "labels": {
        "dcos_overlay_enable": "true",
        "exhibitor_storage_backend": "aws_s3",
        "aws_secret_access_key": "s3cr3t-VALUE",
        "dcos_overlay_network": '{"vtep_subnet": "44.128.0.0/20", "x": [1, 2]}',
    },
}


def test_template_command_sends_what_the_bay_model_holds():
    line = commands.template_create(BAY_MODEL, is_secret)
    sent = template_sent(line)
    assert sent["name"] == "dcos-prod"
    assert sent["coe"] == "dcos"
    assert sent["image_id"] == "centos-7-dcos"
    assert sent["external_network_id"] == "public"
    assert sent["keypair_id"] == "ops key"
    assert sent["flavor_id"] == "m1.large"
    assert sent["master_flavor_id"] == "m1.xlarge"
    assert sent["dns_nameserver"] == "8.8.4.4"
    assert sent["docker_volume_size"] == 20
    assert sent["fixed_network"] == "private"
    assert sent["master_lb_enabled"] is True
    assert sent["floating_ip_enabled"] is False
    assert sent["public"] is False
    expected = dict(BAY_MODEL["labels"])
    expected["aws_secret_access_key"] = commands.SECRET_PLACEHOLDER
    assert sent["labels"] == expected


def test_secret_values_never_appear():
    line = commands.template_create(BAY_MODEL, is_secret)
    assert "s3cr3t-VALUE" not in line
    assert commands.SECRET_PLACEHOLDER in line


def test_a_lone_label_with_commas_and_equals_survives_the_client():
    # The client splits a single --labels holding several '=' on ',' and ';'.
    model = dict(BAY_MODEL, labels={"mesos_slave_isolation": "a=b,c=d;e"})
    sent = template_sent(commands.template_create(model))
    assert sent["labels"] == {"mesos_slave_isolation": "a=b,c=d;e"}


def test_a_name_like_an_option_stays_the_name():
    model = dict(BAY_MODEL, name="--public")
    sent = template_sent(commands.template_create(model))
    assert sent["name"] == "--public"
    assert sent["public"] is False
    bay = dict(BAY, name="-x")
    assert cluster_sent(commands.cluster_create(bay))["name"] == "-x"


def test_shell_metacharacters_stay_data():
    model = dict(BAY_MODEL, name="x; rm -rf ~ $(id) `id` 'q' \"d\"")
    line = commands.template_create(model)
    assert shlex.split(line)[-1] == model["name"]
    assert template_sent(line)["name"] == model["name"]


BAY = {
    "name": "bay-1",
    "cluster_template_id": "5a7e7f2c-3c4b-4a5e-9d0e-0f3c2b1a0d9e",
    "master_count": 3,
    "node_count": 5,
    "create_timeout": 90,
    "keypair": "ops",
    "flavor_id": "m1.large",
    "docker_volume_size": 30,
    "labels": {"dcos_overlay_enable": "false", "aws_secret_access_key": "zzz"},
    "merge_labels": True,
}


def test_cluster_command_sends_what_the_bay_holds():
    line = commands.cluster_create(BAY, is_secret)
    sent = cluster_sent(line)
    assert sent["name"] == "bay-1"
    assert sent["cluster_template_id"] == BAY["cluster_template_id"]
    assert sent["master_count"] == 3
    assert sent["node_count"] == 5
    assert sent["create_timeout"] == 90
    assert sent["keypair"] == "ops"
    assert sent["flavor_id"] == "m1.large"
    assert sent["docker_volume_size"] == 30
    assert sent["merge_labels"] is True
    assert sent["labels"] == {
        "dcos_overlay_enable": "false",
        "aws_secret_access_key": commands.SECRET_PLACEHOLDER,
    }
    assert "zzz" not in line


def test_cluster_without_labels_sends_none():
    fields = {k: v for k, v in BAY.items() if k not in ("labels", "merge_labels")}
    sent = cluster_sent(commands.cluster_create(fields))
    assert "labels" not in sent
    assert "merge_labels" not in sent


def test_scale_command_patches_node_count():
    line = commands.cluster_scale("bay 1", 7)
    manager = mock.MagicMock()
    app = SimpleNamespace(client_manager=SimpleNamespace(container_infra=manager))
    command = osc_clusters.UpdateCluster(app, None)
    argv = shlex.split(line)
    assert argv[:4] == ["openstack", "coe", "cluster", "update"]
    assert argv[-1] == "bay 1"
    command.take_action(command.get_parser("update").parse_args(argv[4:]))
    args, kwargs = manager.clusters.update.call_args
    assert args == ("bay 1", [{"op": "replace", "path": "/node_count", "value": 7}])


def test_dcos_setup_quotes_the_url():
    url = "https://10.0.0.5/?a=1&b=$(id)"
    assert shlex.split(commands.dcos_setup(url)) == ["dcos", "cluster", "setup", url]


_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=30,
)
_key = st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True)


@given(name=_text, labels=st.dictionaries(_key, _text, max_size=6))
def test_any_name_and_labels_round_trip(name, labels):
    # The one form the client cannot read back: a lone label holding `=`
    # and `;` but no `,` (it splits on `;` and cannot join with one).
    lone = list(labels.values()) if len(labels) == 1 else []
    assume(not any("=" in v and ";" in v and "," not in v for v in lone))
    model = dict(BAY_MODEL, name=name, labels=labels)
    sent = template_sent(commands.template_create(model))
    assert sent["name"] == name
    assert sent["labels"] == labels


@pytest.mark.parametrize("count", [1, 2, 3, 1000])
def test_scale_round_trips_any_count(count):
    argv = shlex.split(commands.cluster_scale("b", count))
    assert argv[-3:] == ["--node-count", str(count), "b"]


@given(
    bay=st.text(min_size=1, max_size=40).filter(lambda s: "\x00" not in s),
    count=st.integers(min_value=0, max_value=10**6),
)
def test_the_scale_line_splits_around_its_count(bay, count):
    # The Scale form puts the typed count between the two parts.
    head, tail = commands.cluster_scale_parts(bay)
    assert head + str(count) + tail == commands.cluster_scale(bay, count)
