"""api/magnum.py against the sandbox's Magnum, with real Keystone tokens.

The requests-mock tests pin what we send; these check that the stand-in
(which follows Magnum's own validators) accepts it and that its answers map
to the sentences users read.
"""

import time

import pytest
from django.test import RequestFactory, override_settings

from dcos_dashboard.api import magnum
from dcos_dashboard.panels.baymodels import workflows
from tests.conftest import free_port, running_sandbox, template_fields

pytestmark = pytest.mark.cloud


class Request:
    """What magnumclient() reads of a Django request, for one user."""

    def __init__(self, url, token):
        self.user = type(
            "User",
            (),
            {
                "service_catalog": [
                    {
                        "type": "container-infra",
                        "endpoints": [
                            {"region": "RegionOne", "interface": "public", "url": url}
                        ],
                    }
                ],
                "services_region": "RegionOne",
                "token": type("Token", (), {"id": token})(),
            },
        )()


def _sandbox(keystone, tmp_path_factory, mode):
    state = tmp_path_factory.mktemp(f"api-magnum-{mode}")
    return running_sandbox(keystone, state, magnum_mode=mode, transition_seconds=0.5)


@pytest.fixture(scope="module")
def cloud(keystone, tmp_path_factory):
    with _sandbox(keystone, tmp_path_factory, "dcos") as sandbox:
        yield sandbox


@pytest.fixture(scope="module")
def stock(keystone, tmp_path_factory):
    with _sandbox(keystone, tmp_path_factory, "stock") as sandbox:
        yield sandbox


def request_for(sandbox, token):
    # Without /v1, as some catalogs register it: magnumclient() adds it.
    return Request(sandbox.servers["magnum"].url, token)


def fields(**overrides):
    return template_fields(
        **{"master_flavor_id": "m1.small", "labels": {"launcher": "linux"}, **overrides}
    )


def wait_for_row(req, bay, timeout=10.0):
    """Magnum writes the bay's row a moment after its 202."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = magnum.cluster_get_or_none(req, bay)
        if found is not None:
            return found
        time.sleep(0.05)
    raise AssertionError(f"bay {bay} never appeared")


def test_template_lifecycle_through_the_api_module(cloud, token):
    req = request_for(cloud, token())
    created = magnum.cluster_template_create(req, **fields())
    got = magnum.cluster_template_get(req, created.uuid)
    assert got.labels == {"launcher": "linux"}

    updated = magnum.cluster_template_update(
        req,
        created.uuid,
        {
            "labels": {"launcher": "linux", "gc_delay": "3"},
            "master_lb_enabled": True,
            "floating_ip_enabled": False,
            "http_proxy": "http://proxy:3128",
            "keypair_id": None,
        },
    )
    assert updated.labels == {"launcher": "linux", "gc_delay": "3"}
    assert updated.master_lb_enabled is True
    assert updated.floating_ip_enabled is False
    assert updated.http_proxy == "http://proxy:3128"
    assert updated.keypair_id is None

    magnum.cluster_template_delete(req, created.uuid)
    with pytest.raises(magnum.MagnumError) as err:
        magnum.cluster_template_get(req, created.uuid)
    assert err.value.status == 404
    assert "no longer exists" in err.value.message


def test_pagination_with_limit_and_marker(cloud, token):
    req = request_for(cloud, token())
    made = [magnum.cluster_template_create(req, **fields()) for _ in range(3)]
    everything, more = magnum.cluster_template_list(req)
    assert more is False
    mine = [t.uuid for t in everything if t.uuid in {m.uuid for m in made}]
    assert len(mine) == 3

    seen, marker = [], None
    while True:
        page, more = magnum.cluster_template_list(req, limit=2, marker=marker)
        assert len(page) <= 2
        seen += [t.uuid for t in page]
        if not more:
            break
        marker = page[-1].uuid
    assert seen == [t.uuid for t in everything]


def test_unknown_image_lands_on_image_field(cloud, token):
    req = request_for(cloud, token())
    with pytest.raises(magnum.MagnumError) as err:
        magnum.cluster_template_create(req, **fields(image_id="no-such-image"))
    assert err.value.field == "image_id"
    assert "no-such-image" in err.value.message


def test_template_in_use_is_refused_with_the_reason(cloud, token):
    req = request_for(cloud, token())
    template = magnum.cluster_template_create(req, **fields())
    bay = magnum.cluster_create(
        req, name="in-use", cluster_template_id=template.uuid, node_count=1
    )
    wait_for_row(req, bay)
    with pytest.raises(magnum.MagnumError) as err:
        magnum.cluster_template_delete(req, template.uuid)
    assert "still used by one or more bays" in err.value.message
    magnum.cluster_delete(req, bay)


def test_cluster_calls(cloud, token):
    req = request_for(cloud, token())
    template = magnum.cluster_template_create(req, **fields())
    bay = magnum.cluster_create(
        req, name="bay", cluster_template_id=template.uuid, node_count=1
    )
    # Right after the 202 Magnum may not know the bay yet: None, not an error.
    assert wait_for_row(req, bay).uuid == bay
    # Magnum's conductor drops a resize while the bay is still in progress.
    deadline = time.monotonic() + 10
    while magnum.cluster_get(req, bay).status != "CREATE_COMPLETE":
        assert time.monotonic() < deadline, "bay never reached CREATE_COMPLETE"
        time.sleep(0.05)
    magnum.cluster_scale(req, bay, 3)
    while magnum.cluster_get(req, bay).node_count != 3:
        assert time.monotonic() < deadline, "node_count never became 3"
        time.sleep(0.05)
    bays, _more = magnum.cluster_list(req)
    assert bay in [b.uuid for b in bays]
    with pytest.raises(magnum.MagnumError) as err:
        magnum.cluster_create(
            req, name="ha", cluster_template_id=template.uuid, master_count=3
        )
    assert err.value.field == "master_count"
    magnum.cluster_delete(req, bay)


def test_stock_magnum_refuses_dcos_with_the_operator_sentence(stock, token):
    req = request_for(stock, token())
    with pytest.raises(magnum.MagnumError) as err:
        magnum.cluster_template_create(req, **fields())
    assert err.value.field == "coe"
    assert err.value.message.startswith(
        "This Magnum does not accept coe=dcos: its DC/OS driver is not enabled."
    )


# --- issue 18's escapes, through the real api layer ----------------------------


def _labels_step(template, extra_text):
    """The edit workflow's Labels step, bound to what the browser sent back."""
    context = {"coe": template.coe, "baymodel_id": template.uuid, "baymodel": template}
    data = {workflows.EXTRA_LABELS_FIELD: extra_text}
    # A workflow Action reads its data from the request's POST.
    action = workflows.LabelsAction(RequestFactory().post("/", data), context)
    return action


def test_secret_labels_never_leave_for_the_form_and_survive_a_save(cloud, token):
    req = request_for(cloud, token())
    secrets = {
        "aws_secret_access_key": "wJalrXUtnFEMI-K7MDENG-sandbox",
        "exhibitor_azure_account_key": "azure-key-sandbox-0123456789",
    }
    template = magnum.cluster_template_create(
        req,
        **fields(coe="mesos", image_id="ubuntu-mesos", labels=dict(secrets)),
    )
    got = magnum.cluster_template_get(req, template.uuid)
    assert got.labels == secrets
    shown = workflows.field_values_from_labels(got.coe, got.labels)
    assert not any(value[:8] in str(shown) for value in secrets.values())

    # The masked text sent back as it came keeps both stored values.
    extra = shown[workflows.EXTRA_LABELS_FIELD] + "\nfresh=1"
    extra_keys = (*secrets, "fresh")
    with override_settings(DCOS_DASHBOARD={"EXTRA_LABELS": extra_keys}):
        action = _labels_step(got, extra)
        assert action.is_valid(), action.errors
    assert action.cleaned_data["labels"] == {**secrets, "fresh": "1"}
    saved = magnum.cluster_template_update(
        req, got.uuid, {"labels": action.cleaned_data["labels"]}
    )
    assert magnum.cluster_template_get(req, saved.uuid).labels == {
        **secrets,
        "fresh": "1",
    }


@pytest.fixture(scope="module")
def keystone_gone(keystone, tmp_path_factory):
    """A stand-in whose Keystone does not answer (nothing on its port)."""
    state = tmp_path_factory.mktemp("api-magnum-no-keystone")
    with running_sandbox(keystone, state, keystone_port=free_port()) as sandbox:
        yield sandbox


def test_keystone_down_is_magnums_503_in_a_sentence(keystone_gone, token):
    # The token is real, but Magnum's auth layer cannot check it: it answers
    # 503 in its own shape, which magnumclient's parser cannot read.
    req = request_for(keystone_gone, token())
    for call in (magnum.cluster_list, magnum.cluster_template_list):
        with pytest.raises(magnum.MagnumError) as err:
            call(req)
        assert err.value.status == 503
        assert "Keystone service is temporarily unavailable" in err.value.message


@pytest.mark.parametrize("id", [".", "..", "\x00", "bäy", "a" * 100_000])
def test_malformed_ids_are_not_found_and_never_sent(cloud, token, id):
    req = request_for(cloud, token())
    for call in (magnum.cluster_get, magnum.cluster_template_get):
        with pytest.raises(magnum.MagnumError) as err:
            call(req, id)
        assert err.value.status == 404


def test_names_are_ids_and_markers_carry_no_parameter(cloud, token):
    req = request_for(cloud, token())
    made = magnum.cluster_template_create(req, **fields(name="by-name.1"))
    assert magnum.cluster_template_get(req, "by-name.1").uuid == made.uuid
    with pytest.raises(magnum.MagnumError) as err:
        magnum.cluster_template_list(req, limit=1, marker=f"{made.uuid}&sort_dir=bogus")
    assert err.value.status == 400
    page, _more = magnum.cluster_template_list(req, limit=1, marker=made.uuid)
    assert made.uuid not in [t.uuid for t in page]


def test_even_masters_and_a_deleted_model_land_on_their_fields(cloud, token):
    # What the Bays wizard now refuses itself, as Magnum 23 refuses it.
    req = request_for(cloud, token())
    template = magnum.cluster_template_create(
        req, **fields(coe="mesos", image_id="ubuntu-mesos", master_lb_enabled=True)
    )
    with pytest.raises(magnum.MagnumError) as err:
        magnum.cluster_create(
            req, name="even", cluster_template_id=template.uuid, master_count=2
        )
    assert err.value.field == "master_count"
    assert "odd number of masters" in err.value.message

    magnum.cluster_template_delete(req, template.uuid)
    with pytest.raises(magnum.MagnumError) as err:
        magnum.cluster_create(req, name="orphan", cluster_template_id=template.uuid)
    assert err.value.field == "cluster_template_id"
    assert "was deleted" in err.value.message
