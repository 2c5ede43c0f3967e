"""The label catalogue, text form and validation rules (docs/reference.md#labels)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dcos_dashboard import labels
from dcos_dashboard.labels import (
    CATALOGUE,
    DCOS_DEFAULT_ISOLATION,
    EXHIBITOR_COMPANIONS,
    KINDS,
    MAGNUM_MESOS_ISOLATORS,
    MESOS_ISOLATORS,
    LabelSpec,
    canonicalize_labels,
    effective_isolation,
    format_labels,
    is_secret,
    mask_secret,
    messages,
    parse_labels,
    spec_for,
    validate_labels,
    validation,
)
from tools.labels_guide import catalogue_markdown

REPO = Path(__file__).resolve().parents[2]
SEED = "isolation=docker/volume,launcher=linux,image_providers=docker"
OVERLAY = {
    "vtep_subnet": "44.128.0.0/20",
    "vtep_mac_oui": "70:B3:D5:00:00:00",
    "overlays": [{"name": "dcos", "subnet": "9.0.0.0/8", "prefix": 24}],
}
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

# One valid value for every catalogue key; every test map is built around it.
SAMPLE = {
    "dcos": {
        "isolation": "gpu/nvidia",
        "launcher": "linux",
        "image_providers": "docker",
        "exhibitor_storage_backend": "static",
        "exhibitor_zk_hosts": "10.0.0.5:2181,zk2.example.com:2181",
        "exhibitor_zk_path": "/dcos/exhibitor",
        "aws_access_key_id": "AKIAIOSFODNN7EXAMPLE",
        "aws_secret_access_key": SECRET,
        "aws_region": "eu-west-1",
        "s3_bucket": "exhibitor-state",
        "s3_prefix": "dcos",
        "exhibitor_explicit_keys": "true",
        "exhibitor_azure_account_name": "dcosstate",
        "exhibitor_azure_account_key": SECRET,
        "exhibitor_azure_prefix": "dcos",
        "dcos_overlay_enable": "true",
        "dcos_overlay_config_attempts": "4",
        "dcos_overlay_mtu": "1420",
        "dcos_overlay_network": json.dumps(OVERLAY),
        "dns_search": "example.com corp.example.com",
        "check_time": "true",
        "docker_remove_delay": "1",
        "gc_delay": "2",
        "log_directory": "/genconf/logs",
        "process_timeout": "120",
        "oauth_enabled": "false",
        "telemetry_enabled": "false",
        "rexray_preempt": "false",
    },
    "mesos": {
        "mesos_slave_isolation": "filesystem/linux,docker/runtime,cgroups/cpu",
        "mesos_slave_image_providers": "docker",
        "mesos_slave_work_dir": "/var/lib/mesos",
        "mesos_slave_executor_env_variables": '{"JAVA_HOME": "/usr/lib/jvm"}',
        "rexray_preempt": "true",
    },
}
BACKEND_OF = {
    companion: backend
    for backend, companions in EXHIBITOR_COMPANIONS.items()
    for companion in companions
}


def around(coe: str, key: str, value: object) -> dict[str, object]:
    """A map in which only ``key`` can be wrong: its partners are valid."""
    result: dict[str, object] = {key: value}
    sample = SAMPLE[coe]
    if key in BACKEND_OF:
        backend = BACKEND_OF[key]
        result["exhibitor_storage_backend"] = backend
        for companion in EXHIBITOR_COMPANIONS[backend]:
            result.setdefault(companion, sample[companion])
    if key == "exhibitor_storage_backend" and value in EXHIBITOR_COMPANIONS:
        for companion in EXHIBITOR_COMPANIONS[value]:
            result[companion] = sample[companion]
    if key == "dcos_overlay_enable":
        result["dcos_overlay_network"] = sample["dcos_overlay_network"]
    if key == "mesos_slave_image_providers":
        result["mesos_slave_isolation"] = sample["mesos_slave_isolation"]
    return result


def overlay(**changes: object) -> str:
    data = json.loads(json.dumps(OVERLAY))
    for field, value in changes.items():
        if value is None:
            del data[field]
        else:
            data[field] = value
    return json.dumps(data)


def overlay_entry(**changes: object) -> str:
    entry = dict(OVERLAY["overlays"][0])
    for field, value in changes.items():
        if value is None:
            del entry[field]
        else:
            entry[field] = value
    return overlay(overlays=[entry])


# --------------------------------------------------------------------------
# Text form


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            SEED,
            {
                "isolation": "docker/volume",
                "launcher": "linux",
                "image_providers": "docker",
            },
        ),
        (
            "isolation=filesystem/linux,docker/runtime",
            {"isolation": "filesystem/linux,docker/runtime"},
        ),
        (
            "  isolation = posix/cpu , posix/mem  \n\n launcher=linux , \n",
            {"isolation": "posix/cpu,posix/mem", "launcher": "linux"},
        ),
        ("a=1\r\nb=2\rc=3\nd=4", {"a": "1", "b": "2", "c": "3", "d": "4"}),
        ("gc_delay=2,,,check_time=true,", {"gc_delay": "2", "check_time": "true"}),
        ("k=a=b,c=d", {"k": "a=b", "c": "d"}),
        ("k=a b=c", {"k": "a b=c"}),
        ("k.v-2_x=1", {"k.v-2_x": "1"}),
        ("", {}),
        ("\n , \n", {}),
        ("dns_search=a.com b.com", {"dns_search": "a.com b.com"}),
    ],
)
def test_parse_labels(text, expected):
    assert parse_labels(text) == expected


def test_parse_keeps_one_line_json_whole():
    value = json.dumps(OVERLAY)
    parsed = parse_labels(f"dcos_overlay_enable=true\ndcos_overlay_network={value}")
    assert list(parsed) == ["dcos_overlay_enable", "dcos_overlay_network"]
    assert json.loads(parsed["dcos_overlay_network"]) == OVERLAY


@pytest.mark.parametrize(
    ("text", "mentions"),
    [
        ("=linux", ["=linux", "line 1"]),
        ("launcher=linux,=posix", ["=posix"]),
        ("posix/cpu", ["posix/cpu", "line 1"]),
        ("launcher=linux\nposix/cpu", ["posix/cpu", "line 2"]),
        ("launcher=linux,launcher=posix", ["launcher=posix", "`launcher`"]),
        ("launcher=linux\n\nlauncher=posix", ["launcher=posix", "line 3"]),
        ("a b=c", ["a b=c"]),
    ],
)
def test_parse_errors_name_the_fragment(text, mentions):
    with pytest.raises(ValueError) as caught:
        parse_labels(text)
    message = str(caught.value).lower()
    for mention in mentions:
        assert mention.lower() in message


def test_parse_error_on_a_repeated_secret_masks_it():
    text = f"aws_secret_access_key={SECRET}\naws_secret_access_key={SECRET}"
    with pytest.raises(ValueError) as caught:
        parse_labels(text)
    assert "aws_secret_access_key" in str(caught.value)
    assert SECRET not in str(caught.value)


def test_parse_rejects_non_text():
    with pytest.raises(ValueError):
        parse_labels(None)


def test_format_labels_one_pair_a_line_in_map_order():
    given = {"launcher": "linux", "isolation": "posix/cpu,posix/mem", "a": "x=y"}
    assert format_labels(given) == (
        "launcher=linux\nisolation=posix/cpu,posix/mem\na=x=y"
    )
    assert parse_labels(format_labels(given)) == given


def test_format_of_nothing_is_empty():
    assert format_labels({}) == ""


# --------------------------------------------------------------------------
# Canonical form


@pytest.mark.parametrize(
    ("coe", "given", "expected"),
    [
        ("dcos", {"isolation": " posix/cpu, posix/mem "}, "posix/cpu,posix/mem"),
        ("dcos", {"isolation": "posix/cpu,,posix/mem,"}, "posix/cpu,posix/mem"),
        ("dcos", {"image_providers": "Docker, APPC"}, "docker,appc"),
        ("dcos", {"check_time": "TRUE"}, "true"),
        ("dcos", {"oauth_enabled": " False "}, "false"),
        ("dcos", {"dns_search": "  a.com \t  b.com "}, "a.com b.com"),
        ("dcos", {"exhibitor_zk_hosts": "zk1:2181 , zk2:2181"}, "zk1:2181,zk2:2181"),
        ("dcos", {"launcher": " linux "}, "linux"),
        ("dcos", {"log_directory": "/var/log/dcos"}, "/var/log/dcos"),
        ("dcos", {"dcos_overlay_network": ' {"a": "b, c"} '}, '{"a": "b, c"}'),
        ("dcos", {"my_extra": " Keep, Case "}, "Keep, Case"),
        (
            "mesos",
            {"mesos_slave_isolation": "posix/cpu, posix/mem"},
            "posix/cpu,posix/mem",
        ),
        ("mesos", {"mesos_slave_image_providers": "DOCKER,Appc"}, "docker,appc"),
        ("mesos", {"rexray_preempt": "True"}, "true"),
    ],
)
def test_canonicalize_labels(coe, given, expected):
    (key,) = given
    assert canonicalize_labels(coe, given) == {key: expected}


def test_canonical_labels_keep_map_order_and_stay_valid():
    given = {
        "launcher": "linux",
        "isolation": "gpu/nvidia , linux/seccomp",
        "image_providers": "DOCKER",
        "check_time": "False",
    }
    canonical = canonicalize_labels("dcos", given)
    assert list(canonical) == list(given)
    assert validate_labels("dcos", given) == {}
    assert validate_labels("dcos", canonical) == {}
    assert canonicalize_labels("dcos", canonical) == canonical


def test_canonicalize_rejects_an_unknown_coe():
    with pytest.raises(ValueError, match="kubernetes"):
        canonicalize_labels("kubernetes", {})


# --------------------------------------------------------------------------
# Catalogue


def test_catalogue_covers_both_coes_with_unique_keys():
    assert set(CATALOGUE) == {"dcos", "mesos"}
    for coe, specs in CATALOGUE.items():
        keys = [spec.key for spec in specs]
        assert len(keys) == len(set(keys))
        assert keys == list(SAMPLE[coe])


@pytest.mark.parametrize(
    "spec",
    [spec for specs in CATALOGUE.values() for spec in specs],
    ids=lambda spec: spec.key,
)
def test_catalogue_entries_are_complete(spec):
    assert spec.kind in KINDS
    assert spec.help and "\n" not in spec.help
    assert spec.secret == (spec.kind == "secret")
    if spec.kind in ("enum", "enum_list", "boolean"):
        assert spec.choices
    with pytest.raises(AttributeError):
        spec.key = "changed"


@pytest.mark.parametrize(
    ("coe", "spec"),
    [(coe, spec) for coe, specs in CATALOGUE.items() for spec in specs],
    ids=lambda item: getattr(item, "key", item),
)
def test_defaults_and_examples_are_accepted(coe, spec):
    for value in (spec.default, spec.example):
        if value is not None:
            assert spec.key not in validate_labels(coe, around(coe, spec.key, value))


def test_label_spec_refuses_an_unknown_kind():
    with pytest.raises(ValueError, match="colour"):
        LabelSpec(key="x", kind="colour", help="?")


def test_spec_for():
    assert spec_for("dcos", "launcher").choices == ("linux", "posix")
    assert spec_for("mesos", "launcher") is None
    assert spec_for("swarm", "launcher") is None


def test_isolator_lists_match_labels_md():
    assert len(MESOS_ISOLATORS) == len(set(MESOS_ISOLATORS)) == 41
    assert set(DCOS_DEFAULT_ISOLATION) <= set(MESOS_ISOLATORS)
    assert set(MAGNUM_MESOS_ISOLATORS) <= set(MESOS_ISOLATORS)
    assert len(DCOS_DEFAULT_ISOLATION) == 13
    assert len(MAGNUM_MESOS_ISOLATORS) == 10


@pytest.mark.parametrize(
    ("given", "added"),
    [
        ({}, ()),
        ({"isolation": "gpu/nvidia"}, ("gpu/nvidia",)),
        (
            {"isolation": "cgroups/all, gpu/nvidia,,linux/seccomp"},
            ("gpu/nvidia", "linux/seccomp"),
        ),
        ({"isolation": "gpu/nvidia,gpu/nvidia"}, ("gpu/nvidia",)),
        ({"isolation": 7}, ()),
    ],
)
def test_effective_isolation_is_defaults_then_label(given, added):
    assert effective_isolation(given) == DCOS_DEFAULT_ISOLATION + added


def test_docs_match_the_catalogue():
    written = (REPO / "docs" / "labels.md").read_text(encoding="utf-8")
    assert written == catalogue_markdown(), (
        "docs/labels.md is stale; regenerate it with: "
        ".venv/bin/python -m tools.labels_guide"
    )


def test_docs_name_every_label_and_rule():
    text = catalogue_markdown()
    for specs in CATALOGUE.values():
        for spec in specs:
            assert f"| `{spec.key}` |" in text
    for phrase in ("launcher=posix", "docker/runtime", "dcos_overlay_enable=true"):
        assert phrase in text


# --------------------------------------------------------------------------
# Secrets


@pytest.mark.parametrize(
    ("coe", "key", "expected"),
    [
        ("dcos", "aws_secret_access_key", True),
        ("dcos", "exhibitor_azure_account_key", True),
        ("dcos", "aws_access_key_id", False),
        ("dcos", "exhibitor_azure_account_name", False),
        ("mesos", "mesos_slave_work_dir", False),
        ("kubernetes", "aws_secret_access_key", True),
        ("kubernetes", "launcher", False),
    ],
)
def test_is_secret(coe, key, expected):
    assert is_secret(coe, key) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (SECRET, "wJ****"),
        ("abcdefghijkl", "ab****"),
        ("abcdefghijk", "****"),
        ("ab", "****"),
        ("", ""),
    ],
)
def test_mask_secret(value, expected):
    assert mask_secret(value) == expected


# --------------------------------------------------------------------------
# Validation: valid maps


VALID = [
    (
        "dcos",
        {
            "isolation": "docker/volume",
            "launcher": "linux",
            "image_providers": "docker",
        },
    ),
    (
        "dcos",
        {
            key: value
            for key, value in SAMPLE["dcos"].items()
            if BACKEND_OF.get(key, "aws_s3") == "aws_s3"
        }
        | {"exhibitor_storage_backend": "aws_s3"},
    ),
    ("dcos", {"isolation": "cgroups/all,gpu/nvidia"}),
    ("dcos", {"isolation": "posix/cpu, posix/mem"}),
    ("dcos", {"image_providers": "Docker,APPC"}),
    ("dcos", {"launcher": "linux"}),
    ("dcos", {"exhibitor_storage_backend": "static"}),
    ("dcos", around("dcos", "exhibitor_storage_backend", "zookeeper")),
    ("dcos", around("dcos", "exhibitor_storage_backend", "aws_s3")),
    ("dcos", around("dcos", "exhibitor_storage_backend", "azure")),
    (
        "dcos",
        {
            "exhibitor_storage_backend": "zookeeper",
            "exhibitor_zk_hosts": "[::1]:2181",
            "exhibitor_zk_path": "/x",
        },
    ),
    (
        "dcos",
        {"dcos_overlay_enable": "true", "dcos_overlay_network": json.dumps(OVERLAY)},
    ),
    (
        "dcos",
        {
            "dcos_overlay_enable": "True",
            "dcos_overlay_network": overlay_entry(prefix=8),
        },
    ),
    ("dcos", {"dcos_overlay_network": overlay_entry(prefix=32, name="a" * 13)}),
    ("dcos", {"dcos_overlay_enable": "false"}),
    ("dcos", {"dcos_overlay_mtu": "1420", "gc_delay": "007", "process_timeout": "1"}),
    ("dcos", {"check_time": "FALSE", "telemetry_enabled": "True"}),
    ("dcos", {"dns_search": "a.com b.com c.com d.com e.com f.com"}),
    ("dcos", {"dns_search": "localdomain"}),
    ("dcos", {"log_directory": "/"}),
    ("dcos", {}),
    ("mesos", {}),
    ("mesos", SAMPLE["mesos"]),
    ("mesos", {"mesos_slave_image_providers": "appc"}),
    (
        "mesos",
        {
            "mesos_slave_image_providers": "DOCKER",
            "mesos_slave_isolation": "docker/runtime",
        },
    ),
    ("mesos", {"mesos_slave_isolation": "posix/cpu, posix/mem"}),
    ("mesos", {"mesos_slave_executor_env_variables": "{}"}),
    ("mesos", {"rexray_preempt": "FALSE"}),
]


@pytest.mark.parametrize(("coe", "given"), VALID)
def test_valid_labels(coe, given):
    assert validate_labels(coe, given) == {}


def test_the_seed_is_valid():
    assert validate_labels("dcos", parse_labels(SEED)) == {}


@pytest.mark.parametrize(
    "extra_keys",
    [
        ("my_label", "other"),
        ["my_label"],
        {"my_label"},
        (k for k in ["my_label"]),
        "my_label",
    ],
)
def test_extra_keys_are_accepted_without_checks(extra_keys):
    given = {"my_label": "", "isolation": "gpu/nvidia"}
    assert validate_labels("dcos", given, extra_keys=extra_keys) == {}


def test_extra_keys_accept_any_value():
    assert validate_labels("dcos", {"my_label": 5}, extra_keys=["my_label"]) == {}


def test_extra_keys_do_not_switch_off_catalogue_checks():
    errors = validate_labels("dcos", {"launcher": "lxc"}, extra_keys=["launcher"])
    assert set(errors) == {"launcher"}


@pytest.mark.parametrize("coe", ["kubernetes", "swarm", "DCOS", "", None])
def test_unknown_coe_is_a_value_error(coe):
    with pytest.raises(ValueError):
        validate_labels(coe, {})


@pytest.mark.parametrize("given", [None, "launcher=linux", [("launcher", "linux")]])
def test_labels_must_be_a_mapping(given):
    with pytest.raises(ValueError):
        validate_labels("dcos", given)


def test_non_text_key_is_a_value_error():
    with pytest.raises(ValueError):
        validate_labels("dcos", {5: "x"})


# --------------------------------------------------------------------------
# Validation: one bad value at a time


def bad(coe, key, value, *mentions):
    return pytest.param(coe, key, value, mentions, id=f"{coe}-{key}-{value!r}"[:70])


def assert_only_error_on(errors, key, mentions):
    """``errors`` is about ``key`` alone, and its sentence names each of
    ``mentions`` (in any case)."""
    assert list(errors) == [key]
    for mention in mentions:
        assert mention.lower() in errors[key].lower()


ONE_BAD_VALUE = [
    # Every catalogue key: empty, and not text.
    *(
        bad(coe, spec.key, "", spec.key, "empty")
        for coe, specs in CATALOGUE.items()
        for spec in specs
    ),
    *(
        bad(coe, spec.key, "   ", spec.key, "empty")
        for coe, specs in CATALOGUE.items()
        for spec in specs
        if spec.kind in ("text", "path")
    ),
    *(
        bad(coe, spec.key, 5, spec.key, "int")
        for coe, specs in CATALOGUE.items()
        for spec in specs
    ),
    # Booleans.
    *(
        bad(coe, spec.key, value, spec.key, value, "true", "false")
        for coe, specs in CATALOGUE.items()
        for spec in specs
        if spec.kind == "boolean"
        for value in ("yes", "1", "truee")
    ),
    # Integers.
    *(
        bad("dcos", spec.key, value, spec.key, value, "1 or more")
        for spec in CATALOGUE["dcos"]
        if spec.kind == "integer"
        for value in ("0", "000", "-1", "1.5", "ten", "+5", "1_000", "\u0663", "1e3")
    ),
    # Paths.
    *(
        bad(coe, key, value, key, value, "/")
        for coe, key in (
            ("dcos", "exhibitor_zk_path"),
            ("dcos", "log_directory"),
            ("mesos", "mesos_slave_work_dir"),
        )
        for value in ("var/log", "./logs", "~/logs")
    ),
    # Enums: exact case.
    bad("dcos", "launcher", "lxc", "launcher", "lxc", "linux", "posix"),
    bad("dcos", "launcher", "Linux", "launcher", "Linux", "did you mean `linux`"),
    bad("dcos", "exhibitor_storage_backend", "s3", "s3", "aws_s3", "azure"),
    bad("dcos", "exhibitor_storage_backend", "ZooKeeper", "ZooKeeper", "`zookeeper`"),
    # Isolator lists.
    bad(
        "dcos",
        "isolation",
        "posix/cpus",
        "isolation",
        "posix/cpus",
        "did you mean `posix/cpu`",
    ),
    bad("dcos", "isolation", "Posix/CPU", "Posix/CPU", "did you mean `posix/cpu`"),
    bad(
        "dcos",
        "isolation",
        "gpu/nvidia,foo/bar",
        "foo/bar",
        "cgroups/all",
        "network/ports",
    ),
    bad(
        "dcos",
        "isolation",
        "gpu/nvidia,gpu/nvidia",
        "isolation",
        "gpu/nvidia",
        "more than once",
    ),
    bad(
        "dcos", "isolation", "cgroups/all, cgroups/all", "cgroups/all", "more than once"
    ),
    bad("dcos", "isolation", ",, ,", "isolation", "empty"),
    bad(
        "mesos",
        "mesos_slave_isolation",
        "cgroups/all",
        "mesos_slave_isolation",
        "cgroups/all",
        "posix/cpu",
    ),
    bad(
        "mesos",
        "mesos_slave_isolation",
        "docker/volume",
        "docker/volume",
        "docker/runtime",
    ),
    bad(
        "mesos",
        "mesos_slave_isolation",
        "posix/cpu,posix/cpu",
        "posix/cpu",
        "more than once",
    ),
    # Image providers: any case, known names, once each.
    bad("dcos", "image_providers", "rkt", "image_providers", "rkt", "docker", "appc"),
    bad("dcos", "image_providers", "docker,Docker", "Docker", "more than once"),
    bad("mesos", "mesos_slave_image_providers", "oci", "oci", "docker", "appc"),
    bad("mesos", "mesos_slave_image_providers", "appc,APPC", "APPC", "more than once"),
    # host:port lists.
    *(
        bad(
            "dcos",
            "exhibitor_zk_hosts",
            value,
            "exhibitor_zk_hosts",
            shown,
            "host:port",
        )
        for value, shown in (
            ("zk1", "zk1"),
            ("zk1:0", "zk1:0"),
            ("zk1:65536", "zk1:65536"),
            ("zk1:21a", "zk1:21a"),
            (":2181", ":2181"),
            ("zk_1:2181", "zk_1:2181"),
            ("300.1.1.1:2181", "300.1.1.1:2181"),
            ("[::g]:2181", "[::g]:2181"),
            ("zk1:2181,zk2", "zk2"),
            ("zk://zk1:2181", "zk://zk1:2181"),
        )
    ),
    bad(
        "dcos", "exhibitor_zk_hosts", "zk1:2181,zk1:2181", "zk1:2181", "more than once"
    ),
    # dns_search.
    bad("dcos", "dns_search", "a.com,b.com", "dns_search", "a.com,b.com", "spaces"),
    bad("dcos", "dns_search", "-a.com", "-a.com", "domain"),
    bad("dcos", "dns_search", "a..com", "a..com"),
    bad("dcos", "dns_search", "under_score.com", "under_score.com"),
    bad("dcos", "dns_search", "a.com a.com", "a.com", "more than once"),
    bad(
        "dcos",
        "dns_search",
        " ".join(f"d{i}.com" for i in range(7)),
        "dns_search",
        "7",
        "6",
    ),
    bad("dcos", "dns_search", " ".join(["a" * 60 + f".c{i}" for i in range(5)]), "255"),
    # dcos_overlay_network.
    bad(
        "dcos",
        "dcos_overlay_network",
        "vtep_subnet=44.128.0.0/20",
        "dcos_overlay_network",
        "JSON",
        "vtep_subnet=44.128.0.0/20",
    ),
    bad("dcos", "dcos_overlay_network", '{"vtep_subnet": ', "JSON"),
    bad(
        "dcos",
        "dcos_overlay_network",
        "[1, 2]",
        "dcos_overlay_network",
        "[1, 2]",
        "object",
    ),
    bad("dcos", "dcos_overlay_network", overlay(vtep_subnet=None), "vtep_subnet"),
    bad("dcos", "dcos_overlay_network", overlay(vtep_mac_oui=None), "vtep_mac_oui"),
    bad("dcos", "dcos_overlay_network", overlay(overlays=None), "overlays"),
    bad(
        "dcos",
        "dcos_overlay_network",
        overlay(vtep_subnet="44.128.0.0"),
        "vtep_subnet",
        "44.128.0.0",
        "CIDR",
    ),
    bad(
        "dcos",
        "dcos_overlay_network",
        overlay(vtep_subnet="44.128.0.1/20"),
        "44.128.0.1/20",
    ),
    bad(
        "dcos",
        "dcos_overlay_network",
        overlay(vtep_subnet="fd00::/64"),
        "fd00::/64",
        "IPv4",
    ),
    bad("dcos", "dcos_overlay_network", overlay(vtep_subnet=20), "vtep_subnet", "20"),
    bad(
        "dcos",
        "dcos_overlay_network",
        overlay(vtep_mac_oui="70:B3:D5:00:00"),
        "vtep_mac_oui",
        "70:B3:D5:00:00",
        "six",
    ),
    bad(
        "dcos",
        "dcos_overlay_network",
        overlay(vtep_mac_oui="70-B3-D5-00-00-00"),
        "70-B3-D5-00-00-00",
    ),
    bad(
        "dcos",
        "dcos_overlay_network",
        overlay(vtep_mac_oui="ZZ:B3:D5:00:00:00"),
        "ZZ:B3:D5:00:00:00",
    ),
    bad("dcos", "dcos_overlay_network", overlay(overlays=[]), "overlays", "[]"),
    bad("dcos", "dcos_overlay_network", overlay(overlays="dcos"), "overlays", "dcos"),
    bad(
        "dcos",
        "dcos_overlay_network",
        overlay(overlays=["dcos"]),
        "overlay 1",
        "dcos",
        "object",
    ),
    bad(
        "dcos", "dcos_overlay_network", overlay_entry(name=None), "overlay 1", "`name`"
    ),
    bad(
        "dcos",
        "dcos_overlay_network",
        overlay_entry(subnet=None),
        "overlay 1",
        "`subnet`",
    ),
    bad(
        "dcos",
        "dcos_overlay_network",
        overlay_entry(prefix=None),
        "overlay 1",
        "`prefix`",
    ),
    bad("dcos", "dcos_overlay_network", overlay_entry(name=""), "name", '""'),
    bad("dcos", "dcos_overlay_network", overlay_entry(name="a" * 14), "a" * 14, "13"),
    bad("dcos", "dcos_overlay_network", overlay_entry(name=7), "name", "7"),
    bad(
        "dcos",
        "dcos_overlay_network",
        overlay_entry(subnet="9.0.0.0"),
        "subnet",
        "9.0.0.0",
        "CIDR",
    ),
    bad("dcos", "dcos_overlay_network", overlay_entry(subnet="9.0.0.1/8"), "9.0.0.1/8"),
    bad(
        "dcos",
        "dcos_overlay_network",
        overlay_entry(prefix=7),
        "prefix",
        "7",
        "8",
        "32",
    ),
    bad("dcos", "dcos_overlay_network", overlay_entry(prefix=33), "prefix", "33", "32"),
    bad("dcos", "dcos_overlay_network", overlay_entry(prefix="24"), "prefix", '"24"'),
    bad("dcos", "dcos_overlay_network", overlay_entry(prefix=24.0), "prefix", "24.0"),
    bad("dcos", "dcos_overlay_network", overlay_entry(prefix=True), "prefix", "true"),
    bad(
        "dcos", "dcos_overlay_network", "[" * 100_000 + "]" * 100_000, "JSON", "deeply"
    ),
    # mesos_slave_executor_env_variables.
    bad(
        "mesos",
        "mesos_slave_executor_env_variables",
        "PATH=/bin",
        "mesos_slave_executor_env_variables",
        "PATH=/bin",
        "JSON",
    ),
    bad("mesos", "mesos_slave_executor_env_variables", '["a"]', '["a"]', "object"),
    bad("mesos", "mesos_slave_executor_env_variables", '"x"', '"x"', "object"),
    bad(
        "mesos",
        "mesos_slave_executor_env_variables",
        '{"A": 1}',
        "`A`",
        "`1`",
        "string",
    ),
    bad(
        "mesos",
        "mesos_slave_executor_env_variables",
        '{"A": "x", "B": null}',
        "`B`",
        "null",
    ),
    bad(
        "mesos",
        "mesos_slave_executor_env_variables",
        '{"A": {"b": "c"}}',
        "`A`",
        '{"b": "c"}',
    ),
]


@pytest.mark.parametrize(("coe", "key", "value", "mentions"), ONE_BAD_VALUE)
def test_one_bad_value(coe, key, value, mentions):
    errors = validate_labels(coe, around(coe, key, value))
    assert_only_error_on(errors, key, mentions)


def test_every_catalogue_key_has_a_valid_and_a_bad_case():
    bad_keys = {(case.values[0], case.values[1]) for case in ONE_BAD_VALUE}
    valid_keys = {(coe, key) for coe, given in VALID for key in given}
    every = {(coe, spec.key) for coe, specs in CATALOGUE.items() for spec in specs}
    assert every <= bad_keys
    assert every <= valid_keys


# --------------------------------------------------------------------------
# Validation: rules across labels


def cross(coe, given, key, *mentions):
    return pytest.param(
        coe, given, key, mentions, id=f"{coe}-{key}-{sorted(given)}"[:70]
    )


CROSS_LABEL = [
    cross(
        "dcos",
        {"launcher": "posix"},
        "launcher",
        "launcher",
        "posix",
        "isolation",
        "cgroups/all",
        "namespaces/pid",
        "linux",
    ),
    cross(
        "dcos",
        {"launcher": "posix", "isolation": "network/ports"},
        "launcher",
        "network/ports",
        "cgroups/all",
    ),
    cross(
        "dcos",
        {"launcher": "posix", "isolation": "posix/cpu"},
        "launcher",
        "filesystem/linux",
    ),
    cross(
        "dcos",
        {"exhibitor_storage_backend": "zookeeper", "exhibitor_zk_hosts": "zk1:2181"},
        "exhibitor_zk_path",
        "exhibitor_zk_path",
        "exhibitor_storage_backend",
        "zookeeper",
    ),
    cross(
        "dcos",
        {"exhibitor_storage_backend": "zookeeper", "exhibitor_zk_path": "/x"},
        "exhibitor_zk_hosts",
        "exhibitor_zk_hosts",
        "exhibitor_storage_backend",
        "zookeeper",
    ),
    *(
        cross(
            "dcos",
            {
                k: v
                for k, v in around("dcos", "exhibitor_storage_backend", backend).items()
                if k != missing
            },
            missing,
            missing,
            "exhibitor_storage_backend",
            backend,
        )
        for backend in ("aws_s3", "azure")
        for missing in EXHIBITOR_COMPANIONS[backend]
    ),
    *(
        cross(
            "dcos",
            {companion: SAMPLE["dcos"][companion]},
            companion,
            companion,
            "exhibitor_storage_backend",
            BACKEND_OF[companion],
            "static",
            "default",
        )
        for companion in BACKEND_OF
    ),
    cross(
        "dcos",
        {"exhibitor_storage_backend": "static", "s3_bucket": "b"},
        "s3_bucket",
        "s3_bucket",
        "aws_s3",
        "static",
    ),
    cross(
        "dcos",
        around("dcos", "exhibitor_storage_backend", "aws_s3")
        | {"exhibitor_zk_path": "/x"},
        "exhibitor_zk_path",
        "exhibitor_zk_path",
        "zookeeper",
        "aws_s3",
    ),
    cross(
        "dcos",
        around("dcos", "exhibitor_storage_backend", "zookeeper")
        | {"exhibitor_azure_prefix": "p"},
        "exhibitor_azure_prefix",
        "exhibitor_azure_prefix",
        "azure",
        "zookeeper",
    ),
    cross(
        "dcos",
        {"dcos_overlay_enable": "true"},
        "dcos_overlay_network",
        "dcos_overlay_network",
        "dcos_overlay_enable",
        "true",
    ),
    cross(
        "dcos",
        {"dcos_overlay_enable": "TRUE", "dcos_overlay_mtu": "1420"},
        "dcos_overlay_network",
        "dcos_overlay_network",
        "dcos_overlay_enable",
    ),
    cross(
        "mesos",
        {"mesos_slave_image_providers": "docker"},
        "mesos_slave_image_providers",
        "mesos_slave_image_providers",
        "docker",
        "docker/runtime",
        "mesos_slave_isolation",
        "not set",
    ),
    cross(
        "mesos",
        {
            "mesos_slave_image_providers": "Docker,appc",
            "mesos_slave_isolation": "posix/cpu,posix/mem",
        },
        "mesos_slave_image_providers",
        "Docker,appc",
        "docker/runtime",
        "mesos_slave_isolation",
        "posix/cpu,posix/mem",
    ),
]


@pytest.mark.parametrize(("coe", "given", "key", "mentions"), CROSS_LABEL)
def test_cross_label_rule(coe, given, key, mentions):
    errors = validate_labels(coe, given)
    assert_only_error_on(errors, key, mentions)


def test_a_backend_without_any_companion_reports_each_missing_one():
    errors = validate_labels("dcos", {"exhibitor_storage_backend": "aws_s3"})
    assert set(errors) == set(EXHIBITOR_COMPANIONS["aws_s3"])


def test_a_wrong_backend_holds_back_the_companion_rules():
    errors = validate_labels(
        "dcos", {"exhibitor_storage_backend": "s3", "s3_bucket": "b"}
    )
    assert list(errors) == ["exhibitor_storage_backend"]


def test_overlay_network_is_optional_unless_enabled_explicitly():
    assert validate_labels("dcos", {"dcos_overlay_enable": "false"}) == {}
    assert validate_labels("dcos", {}) == {}
    assert "dcos_overlay_network" in validate_labels(
        "dcos", {"dcos_overlay_enable": "true"}
    )


def test_a_bad_overlay_network_is_reported_whatever_the_switch():
    given = {"dcos_overlay_network": overlay_entry(prefix=40)}
    assert list(validate_labels("dcos", given)) == ["dcos_overlay_network"]


def test_a_value_error_wins_over_a_cross_label_error_on_the_same_key():
    errors = validate_labels(
        "dcos", {"dcos_overlay_enable": "true", "dcos_overlay_network": "{"}
    )
    assert list(errors) == ["dcos_overlay_network"]
    assert "JSON" in errors["dcos_overlay_network"]


def test_mesos_image_provider_rule_reads_isolation_even_when_it_is_wrong():
    given = {
        "mesos_slave_image_providers": "docker",
        "mesos_slave_isolation": "docker/runtime,gpu/nvidia",
    }
    assert list(validate_labels("mesos", given)) == ["mesos_slave_isolation"]


def test_several_wrong_labels_are_all_reported():
    given = {"launcher": "lxc", "gc_delay": "0", "isolaton": "x", "check_time": "yes"}
    assert set(validate_labels("dcos", given)) == set(given)


# The dcos forms of these rules cannot fire through validate_labels, because
# DC/OS's defaults always hold what they need; the rules are checked directly.


@pytest.mark.parametrize(
    ("providers", "isolators", "need_filesystem", "missing"),
    [
        (["docker"], [], True, ["filesystem/linux", "docker/runtime"]),
        (["appc"], [], True, ["filesystem/linux"]),
        (["appc"], ["filesystem/linux"], True, []),
        (["docker"], ["filesystem/linux", "docker/runtime"], True, []),
        (["docker"], ["filesystem/linux"], True, ["docker/runtime"]),
        (["docker"], [], False, ["docker/runtime"]),
        (["appc"], [], False, []),
        ([], [], True, []),
        (["docker"], DCOS_DEFAULT_ISOLATION, True, []),
    ],
)
def test_image_providers_need_isolators(providers, isolators, need_filesystem, missing):
    assert validation._provider_gaps(providers, isolators, need_filesystem) == missing


@pytest.mark.parametrize(
    ("isolators", "gaps"),
    [
        (["docker/volume"], [("docker/volume", "filesystem/linux")]),
        (["docker/volume", "filesystem/linux"], []),
        (["posix/cpu"], []),
        (DCOS_DEFAULT_ISOLATION, []),
    ],
)
def test_docker_volume_needs_filesystem_linux(isolators, gaps):
    assert validation._isolation_gaps(isolators) == gaps


@pytest.mark.parametrize(
    ("isolators", "blocking"),
    [
        (["posix/cpu", "posix/mem", "filesystem/posix"], []),
        (["cgroups/cpu", "posix/cpu"], ["cgroups/cpu"]),
        (
            ["namespaces/pid", "network/cni", "filesystem/linux"],
            ["namespaces/pid", "network/cni", "filesystem/linux"],
        ),
        (["docker/runtime", "volume/secret"], []),
    ],
)
def test_isolators_that_need_the_linux_launcher(isolators, blocking):
    assert validation._needing_linux_launcher(isolators) == blocking


# --------------------------------------------------------------------------
# Validation: unknown keys


@pytest.mark.parametrize(
    ("coe", "key", "extra", "mentions"),
    [
        ("dcos", "isolaton", (), ["isolaton", "did you mean `isolation`"]),
        ("dcos", "Isolation", (), ["Isolation", "did you mean `isolation`"]),
        ("dcos", "isloation", (), ["did you mean `isolation`"]),
        ("dcos", "gcdelay", (), ["did you mean `gc_delay`"]),
        ("dcos", "dcos_overlay_mut", (), ["did you mean `dcos_overlay_mtu`"]),
        (
            "dcos",
            "mesos_slave_isolation",
            (),
            ["mesos_slave_isolation", "`mesos`", "`dcos`"],
        ),
        ("mesos", "isolation", (), ["isolation", "`dcos`", "`mesos`"]),
        ("mesos", "mesos_slave_isolaton", (), ["did you mean `mesos_slave_isolation`"]),
        ("dcos", "flannel_backend", (), ["flannel_backend", "EXTRA_LABELS"]),
        ("dcos", "my_lable", ("my_label",), ["did you mean `my_label`"]),
    ],
)
def test_unknown_key(coe, key, extra, mentions):
    errors = validate_labels(coe, {key: "x"}, extra_keys=extra)
    assert_only_error_on(errors, key, mentions)


@pytest.mark.parametrize(
    ("key", "suggestion"),
    [("isoaton", "isolation"), ("lunchr", "launcher"), ("lnchr", None)],
)
def test_suggestions_reach_edit_distance_two_and_no_further(key, suggestion):
    message = validate_labels("dcos", {key: "x"})[key]
    if suggestion is None:
        assert "did you mean" not in message.lower()
    else:
        assert f"Did you mean `{suggestion}`?" in message


def test_a_far_unknown_key_gets_no_suggestion():
    message = validate_labels("dcos", {"flannel_backend": "x"})["flannel_backend"]
    assert "did you mean" not in message.lower()


def test_unknown_key_message_does_not_echo_its_value():
    message = validate_labels("dcos", {"aws_secret_acess_key": SECRET})[
        "aws_secret_acess_key"
    ]
    assert SECRET not in message


# --------------------------------------------------------------------------
# Secrets in messages


@pytest.mark.parametrize(
    "given",
    [
        {"aws_secret_access_key": SECRET},
        {"exhibitor_azure_account_key": SECRET},
        {"exhibitor_storage_backend": "zookeeper", "aws_secret_access_key": SECRET},
        {"exhibitor_storage_backend": "aws_s3", "aws_secret_access_key": SECRET},
        {"exhibitor_storage_backend": "s3", "aws_secret_access_key": SECRET},
    ],
)
def test_messages_never_echo_a_secret(given):
    errors = validate_labels("dcos", given)
    assert errors
    for message in errors.values():
        assert SECRET not in message
        assert SECRET[:12] not in message


# --------------------------------------------------------------------------
# Messages stay readable


def test_long_values_are_clipped_in_messages():
    value = "x" * 100_000
    errors = validate_labels(
        "dcos", {"launcher": value, "gc_delay": value, "k" * 100_000: "v"}
    )
    assert len(errors) == 3
    for message in errors.values():
        assert len(message) < 1000


def test_control_characters_are_escaped_in_messages():
    message = validate_labels("dcos", {"launcher": "li\x00nux\x1b"})["launcher"]
    assert "\x00" not in message and "\x1b" not in message
    assert "\\x00" in message


def test_huge_integers_are_refused_without_int_conversion():
    assert validate_labels("dcos", {"gc_delay": "9" * 50_000}) == {}
    assert "gc_delay" in validate_labels("dcos", {"gc_delay": "9" * 50_000 + "x"})


def pseudo_gettext(message):
    return "TRANSLATED " + message


def pseudo_ngettext(singular, plural, count):
    return "TRANSLATED " + (singular if count == 1 else plural)


def test_messages_are_marked_for_translation():
    message = validate_labels("dcos", {"launcher": "lxc"})["launcher"]
    assert isinstance(message, messages.Message)
    shown = message.translated(pseudo_gettext, pseudo_ngettext)
    assert shown.startswith("TRANSLATED ")
    assert shown == "TRANSLATED " + message


def test_parameters_that_are_messages_are_translated_too():
    # The suggestion is a message of its own inside the enum message.
    message = validate_labels("dcos", {"launcher": "Linux"})["launcher"]
    shown = message.translated(pseudo_gettext, pseudo_ngettext)
    assert shown.startswith("TRANSLATED ")
    assert "TRANSLATED  Did you mean `linux`?" in shown
    summary = validate_labels("dcos", {f"k{i}": "x" for i in range(12)})[
        labels.MORE_PROBLEMS
    ]
    assert summary.translated(pseudo_gettext, pseudo_ngettext) == (
        "TRANSLATED \u2026 and 2 more problems."
    )


def test_parse_errors_are_messages_too():
    with pytest.raises(ValueError) as raised:
        parse_labels("=x")
    assert isinstance(raised.value.args[0], messages.Message)
    assert str(raised.value) == raised.value.args[0]


def test_messages_survive_pickling():
    import pickle

    message = validate_labels("dcos", {"launcher": "Linux"})["launcher"]
    copy = pickle.loads(pickle.dumps(message))  # noqa: S301 (our own bytes)
    assert copy == message and copy.msgid == message.msgid
    assert copy.translated(pseudo_gettext, pseudo_ngettext) == message.translated(
        pseudo_gettext, pseudo_ngettext
    )


def test_labels_module_imports_nothing_of_django_or_the_project():
    code = (
        "import sys, dcos_dashboard.labels; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('django', 'horizon', 'openstack_dashboard', 'dcos_dashboard') "
        "and not m.startswith('dcos_dashboard.labels.')))"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert shown.strip() == "['dcos_dashboard', 'dcos_dashboard.labels']"


# --------------------------------------------------------------------------
# Bounds (issue 19, defect 6: 1 MB of labels, 47,000 unknown keys)


def test_oversized_text_is_refused_before_parsing():
    # Well-formed pairs: only the size can be wrong with it.
    text = "\n".join(f"k{i}=v" for i in range(20_000))
    assert len(text) > labels.MAX_TEXT_CHARS
    with pytest.raises(ValueError) as raised:
        parse_labels(text)
    message = str(raised.value)
    assert f"{labels.MAX_TEXT_CHARS:,}" in message
    assert f"{len(text):,}" in message
    assert len(message) < 300


def test_text_at_the_bound_is_parsed():
    pair = "check_time=true"
    text = pair + " " * (labels.MAX_TEXT_CHARS - len(pair))
    assert parse_labels(text) == {"check_time": "true"}


def test_many_unknown_keys_give_few_messages_and_a_count_of_the_rest():
    given = {f"unknown_key_{i}": "x" for i in range(47_000)}
    errors = validate_labels("dcos", given)
    assert len(errors) == labels.MAX_MESSAGES + 1
    shown = [key for key in errors if key != labels.MORE_PROBLEMS]
    assert shown == list(given)[: labels.MAX_MESSAGES]
    assert errors[labels.MORE_PROBLEMS] == "\u2026 and 46,990 more problems."
    assert sum(len(message) for message in errors.values()) < 5_000


@pytest.mark.parametrize(
    ("problems", "summary"),
    [
        (10, None),
        (11, "\u2026 and 1 more problem."),
        (12, "\u2026 and 2 more problems."),
    ],
)
def test_the_summary_appears_only_beyond_the_bound(problems, summary):
    assert labels.MAX_MESSAGES == 10
    given = {f"unknown_key_{i}": "x" for i in range(problems - 1)}
    given["launcher"] = "posix"  # a cross-label rule counts too
    errors = validate_labels("dcos", given)
    assert errors.get(labels.MORE_PROBLEMS) == summary
    assert len(errors) == min(problems, 10) + (summary is not None)


def test_the_bound_counts_a_line_break_once_as_browsers_do():
    line = "check_time=true"
    lines = (labels.MAX_TEXT_CHARS + 1) // (len(line) + 1)
    text = "\r\n".join([line] * lines)
    assert len(text) > labels.MAX_TEXT_CHARS >= len(text.replace("\r\n", "\n"))
    with pytest.raises(ValueError, match="second time"):
        parse_labels(text)
