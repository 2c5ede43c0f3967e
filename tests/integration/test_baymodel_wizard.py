"""The Bay Model wizard and edit workflow, through Horizon and the stand-ins.

Real Horizon under gunicorn, a real Keystone login, the real api layer and
python-magnumclient, the Magnum stand-in (which follows Magnum's own
validators) behind a counting gate: every field error Magnum can raise
lands beside its field with what the user typed kept, and what the wizard
refuses itself never reaches Magnum.
"""

import pytest

from tests.integration.wizards import (
    BAYMODEL_CREATE,
    assert_beside,
    assert_created,
    created_once,
    edit_path,
    model_fields,
    typed_text,
    unique,
)

pytestmark = pytest.mark.cloud


def test_a_valid_model_reaches_magnum_once_with_canonical_labels(cloud, demo, magnum):
    fields = model_fields(
        demo,
        flavor_id="m1.small",
        master_flavor_id="m1.medium",
        docker_volume_size="10",
        label_dcos__launcher="linux",
        label_dcos__gc_delay="3",
        extra_labels="dcos_overlay_enable=false",
    )
    detail = created_once(cloud, demo, magnum, BAYMODEL_CREATE, fields)
    assert detail["labels"] == {
        "launcher": "linux",
        "gc_delay": "3",
        "dcos_overlay_enable": "false",
    }
    assert detail["docker_volume_size"] == 10
    assert detail["master_flavor_id"] == "m1.medium"


# -- errors only Magnum can find: its refusal beside the field ------------------


@pytest.mark.parametrize(
    "field,value,words",
    [
        ("fixed_network", "no-such-network", ("no-such-network",)),
        ("fixed_subnet", "no-such-subnet", ("no-such-subnet",)),
    ],
)
def test_magnums_refusal_of_a_network_lands_beside_it(
    demo, magnum, field, value, words
):
    page = demo.submit(BAYMODEL_CREATE, model_fields(demo, **{field: value}))
    assert_beside(page, field, *words, kept=value)
    assert magnum.writes() == [("POST", "/v1/clustertemplates")]


def test_magnums_refusal_to_publish_lands_beside_public(demo, magnum):
    # A member may not make a model public (Magnum's policy, 403).
    page = demo.submit(BAYMODEL_CREATE, model_fields(demo, public="on"))
    assert_beside(page, "public", "administrator")
    assert page.value("public") == ["on"]  # still ticked
    assert magnum.writes() == [("POST", "/v1/clustertemplates")]


# -- errors the wizard finds itself: beside the field, Magnum never asked ------


@pytest.mark.parametrize(
    "field,value",
    [
        ("image_dcos", "no-such-image"),
        ("flavor_id", "m9.huge"),
        ("master_flavor_id", "m9.huge"),
        ("keypair_id", "no-such-key"),
        ("external_network_id", "no-such-network"),
        ("volume_driver", "cinder"),
        ("network_driver", "flannel"),
        ("dns_nameserver", "not-an-ip"),
        ("docker_volume_size", "0"),
        ("docker_volume_size", "-3"),
        ("docker_volume_size", "ten"),
        ("coe", "kubernetes"),
    ],
)
def test_a_crafted_or_wrong_value_is_refused_beside_its_field(
    demo, magnum, field, value
):
    page = demo.submit(BAYMODEL_CREATE, {**model_fields(demo), field: value})
    kept = value if field in ("dns_nameserver", "docker_volume_size") else None
    assert_beside(page, field, kept=kept)
    assert magnum.writes() == []


# Every label rule (docs/labels.md), the field it is typed in, and the field
# its message must land beside.
LABEL_RULES = [
    # (changes, field of the error, words in it)
    ({"extra_labels": "foo=bar"}, "extra_labels", ("foo",)),
    ({"extra_labels": "isolaton=posix/cpu"}, "extra_labels", ("isolation",)),
    ({"extra_labels": "a=1\na=2"}, "extra_labels", ("a",)),
    ({"extra_labels": "=1"}, "extra_labels", ()),
    ({"extra_labels": "just text"}, "extra_labels", ()),
    (
        {"extra_labels": "gc_delay=3", "label_dcos__gc_delay": "4"},
        "extra_labels",
        ("gc_delay",),
    ),
    ({"label_dcos__launcher": "posix"}, "label_dcos__launcher", ("posix",)),
    ({"label_dcos__gc_delay": "soon"}, "label_dcos__gc_delay", ()),
    ({"label_dcos__gc_delay": "0"}, "label_dcos__gc_delay", ()),
    ({"label_dcos__log_directory": "var/log"}, "label_dcos__log_directory", ()),
    ({"label_dcos__dns_search": "bad..domain"}, "label_dcos__dns_search", ()),
    ({"label_dcos__exhibitor_zk_hosts": "zk1"}, "label_dcos__exhibitor_zk_hosts", ()),
    (
        {"label_dcos__exhibitor_storage_backend": "zookeeper"},
        "label_dcos__exhibitor_zk_hosts",
        (),
    ),
    (
        {"label_dcos__exhibitor_storage_backend": "zookeeper"},
        "label_dcos__exhibitor_zk_path",
        (),
    ),
    (
        {"label_dcos__exhibitor_storage_backend": "aws_s3"},
        "label_dcos__aws_secret_access_key",
        (),
    ),
    ({"label_dcos__s3_bucket": "b"}, "label_dcos__s3_bucket", ()),
    (
        {"label_dcos__dcos_overlay_enable": "true"},
        "label_dcos__dcos_overlay_network",
        (),
    ),
    (
        {"label_dcos__dcos_overlay_network": '{"vtep_subnet": "44.128.0.0/20"}'},
        "label_dcos__dcos_overlay_network",
        (),
    ),
    (
        {"label_dcos__dcos_overlay_network": "{not json"},
        "label_dcos__dcos_overlay_network",
        (),
    ),
    (
        {"label_dcos__isolation": ["docker/volume"], "extra_labels": "isolation=x"},
        "extra_labels",
        (),
    ),
    ({"label_dcos__image_providers": ["rkt"]}, "label_dcos__image_providers", ()),
]


@pytest.mark.parametrize(
    "changes,field,words", LABEL_RULES, ids=[f"{c}->{f}" for c, f, _w in LABEL_RULES]
)
def test_every_label_rule_lands_beside_its_field(demo, magnum, changes, field, words):
    page = demo.submit(BAYMODEL_CREATE, model_fields(demo, **changes))
    assert_beside(page, field, *words, kept=typed_text(page, changes, field))
    assert magnum.writes() == []


MESOS_LABEL_RULES = [
    (
        {"label_mesos__mesos_slave_image_providers": ["docker"]},
        "label_mesos__mesos_slave_image_providers",
        ("docker/runtime",),
    ),
    (
        {"label_mesos__mesos_slave_work_dir": "tmp/mesos"},
        "label_mesos__mesos_slave_work_dir",
        (),
    ),
    (
        {"label_mesos__mesos_slave_executor_env_variables": "[1, 2]"},
        "label_mesos__mesos_slave_executor_env_variables",
        (),
    ),
    ({"label_mesos__rexray_preempt": "maybe"}, "label_mesos__rexray_preempt", ()),
    (
        {"label_mesos__mesos_slave_isolation": ["gpu/nvidia"]},
        "label_mesos__mesos_slave_isolation",
        (),
    ),
    ({"extra_labels": "launcher=linux"}, "extra_labels", ("launcher",)),
]


@pytest.mark.parametrize(
    "changes,field,words",
    MESOS_LABEL_RULES,
    ids=[f"{c}->{f}" for c, f, _w in MESOS_LABEL_RULES],
)
def test_every_mesos_label_rule_lands_beside_its_field(
    demo, magnum, changes, field, words
):
    page = demo.submit(BAYMODEL_CREATE, model_fields(demo, coe="mesos", **changes))
    assert_beside(page, field, *words, kept=typed_text(page, changes, field))
    assert magnum.writes() == []


# -- the edit workflow --------------------------------------------------------


@pytest.fixture
def model(cloud):
    return cloud.template(unique("edit"), network_driver="docker")


def test_an_edit_sends_one_patch_and_keeps_what_it_did_not_change(
    cloud, demo, magnum, model
):
    path = edit_path(model["uuid"])
    page = demo.submit(
        path, {"label_dcos__gc_delay": "7", "http_proxy": "http://p:3128"}
    )
    assert_created(page, "/project/dcos_baymodels/")
    assert magnum.writes() == [("PATCH", "/v1/clustertemplates/{id}")]
    stored = cloud.magnum_call("GET", f"/clustertemplates/{model['uuid']}")
    assert stored["labels"] == {"gc_delay": "7"}
    assert stored["http_proxy"] == "http://p:3128"
    assert stored["keypair_id"] == "testkey"
    assert stored["network_driver"] == "docker"


def test_magnums_refusal_to_clear_a_field_lands_beside_it(demo, magnum, model):
    # Magnum keeps network_driver once set ("... is a mandatory attribute
    # and can not be removed").
    page = demo.submit(edit_path(model["uuid"]), {"network_driver": ""})
    assert_beside(page, "network_driver", "network_driver")
    assert magnum.writes() == [("PATCH", "/v1/clustertemplates/{id}")]


def test_magnums_refusal_of_an_unknown_network_on_edit_lands_beside_it(
    demo, magnum, model
):
    page = demo.submit(edit_path(model["uuid"]), {"fixed_network": "nowhere"})
    assert_beside(page, "fixed_network", "nowhere", kept="nowhere")


def test_a_model_in_use_says_so_and_keeps_the_edit(cloud, demo, magnum, model):
    cloud.bay(unique("user"), model["uuid"], wait=False)
    page = demo.submit(edit_path(model["uuid"]), {"flavor_id": "m1.large"})
    assert page.status == 200, page.redirect
    assert "still used by one or more bays" in page.shown()
    assert page.value("flavor_id") == "m1.large"
    assert magnum.writes() == [("PATCH", "/v1/clustertemplates/{id}")]


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("label_dcos__launcher", "posix"),
        ("extra_labels", "nope=1"),
        ("docker_volume_size", "-1"),
        ("flavor_id", "m9.huge"),
    ],
)
def test_the_edit_refuses_what_the_wizard_refuses(demo, magnum, model, field, typed):
    page = demo.submit(edit_path(model["uuid"]), {field: typed})
    assert_beside(page, field, kept=typed if field != "flavor_id" else None)
    assert magnum.writes() == []
