"""The Bay Models panel: table, wizard, edit, detail, delete, security."""

import shlex
from types import SimpleNamespace
from unittest import mock

from django.test import Client, override_settings
from django.urls import reverse
from keystoneauth1 import exceptions as ksa_exceptions
from magnumclient import exceptions as magnum_exceptions
from magnumclient.v1.cluster_templates import ClusterTemplate
from magnumclient.v1.clusters import Cluster
from openstack_auth import policy as auth_policy
from openstack_dashboard import api
from openstack_dashboard.test import helpers

from dcos_dashboard import commands
from dcos_dashboard.api import magnum
from dcos_dashboard.panels.baymodels import tables as baymodels_tables
from dcos_dashboard.panels.baymodels import workflows as baymodels_workflows

INDEX_URL = reverse("horizon:project:dcos_baymodels:index")
CREATE_URL = reverse("horizon:project:dcos_baymodels:create")

MAGNUM_SERVICE = {
    "type": "container-infra",
    "name": "magnum",
    "endpoints_links": [],
    "endpoints": [
        {
            "region": "RegionOne",
            "interface": "public",
            "url": "http://magnum.example.com:9511/v1",
        }
    ],
}

COE_SENTENCE = (
    "This Magnum does not accept coe=dcos: its DC/OS driver is not enabled. "
    "Ask your cloud operator to enable the DC/OS (or Mesos) driver."
)


def image(id, name, **properties):
    """What api.glance.image_list_detailed returns: Horizon's Image wrapper
    around a Glance v2 image, whose custom properties are attributes."""
    return api.glance.Image(SimpleNamespace(id=id, name=name, **properties))


CENTOS = image("img-centos", "centos-7-dcos", os_distro="centos")
UBUNTU = image("img-ubuntu", "ubuntu-mesos", os_distro="ubuntu")
FEDORA = image("img-fedora", "fedora-coreos", os_distro="fedora")
BARE = image("img-bare", "no-properties")  # no os_distro at all


def baymodel(n=1, **fields):
    info = {
        "uuid": f"00000000-0000-0000-0000-{n:012d}",
        "name": f"model-{n}",
        "coe": "dcos",
        "image_id": CENTOS.id,
        "flavor_id": "m1.tiny",
        "master_flavor_id": None,
        "keypair_id": None,
        "docker_volume_size": None,
        "volume_driver": None,
        "external_network_id": "9b466b94-213a-4cda-badf-72c102a874da",
        "fixed_network": None,
        "fixed_subnet": None,
        "dns_nameserver": "8.8.8.8",
        "network_driver": None,
        "master_lb_enabled": False,
        "floating_ip_enabled": True,
        "http_proxy": None,
        "https_proxy": None,
        "no_proxy": None,
        "public": False,
        "labels": {},
        "cluster_distro": "centos",
    }
    info.update(fields)
    return ClusterTemplate(None, info, loaded=True)


def cluster(name, template_id, **fields):
    info = {
        "uuid": f"uuid-{name}",
        "name": name,
        "cluster_template_id": template_id,
        "status": "CREATE_COMPLETE",
        "node_count": 2,
        "master_count": 1,
    }
    info.update(fields)
    return Cluster(None, info, loaded=True)


def post_without_csrf(test, url, data):
    """Post as the test's logged-in user, with the CSRF check on and no token."""
    client = Client(enforce_csrf_checks=True)
    client.cookies = test.client.cookies
    return client.post(url, data)


class BayModelsTestCase(helpers.TestCase):
    def setUp(self):
        super().setUp()
        # The index names images with one Glance list per page; tests that
        # care (the wizard's image choices) set their own answer.
        patcher = mock.patch.object(
            api.glance,
            "image_list_detailed",
            return_value=([CENTOS, UBUNTU], False, False),
        )
        self.mock_image_list_detailed = patcher.start()
        self.addCleanup(patcher.stop)

    def _setup_user(self, **kwargs):
        kwargs.setdefault(
            "service_catalog", list(self.service_catalog) + [MAGNUM_SERVICE]
        )
        super()._setup_user(**kwargs)

    def messages_of(self, response):
        """Texts of the messages a response shows or a redirect carries."""
        if getattr(response, "context", None) and "messages" in response.context:
            return [str(m.message) for m in response.context["messages"]]
        from django.contrib.messages.storage.cookie import CookieStorage

        cookie = self.client.cookies.get("messages")
        if cookie is None:
            return []
        return [str(m.message) for m in CookieStorage(None)._decode(cookie.value)]

    def external_networks(self):
        return [n for n in self.networks.list() if n["router:external"]]


# --- the table ---------------------------------------------------------------


class IndexTests(BayModelsTestCase):
    @helpers.create_mocks({magnum: ["cluster_template_list"]})
    def test_images_are_named_with_one_glance_call(self):
        models = [baymodel(n) for n in range(1, 4)]
        models.append(baymodel(4, image_id="img-gone"))
        self.mock_cluster_template_list.return_value = (models, False)
        res = self.client.get(INDEX_URL)
        self.assertContains(res, "centos-7-dcos", count=3)
        # An image Glance no longer lists is shown by the id Magnum keeps.
        self.assertContains(res, "img-gone")
        self.mock_image_list_detailed.assert_called_once_with(helpers.IsHttpRequest())

    @helpers.create_mocks({magnum: ["cluster_template_list"]})
    def test_unreadable_glance_still_lists_models_by_image_id(self):
        self.mock_image_list_detailed.side_effect = self.exceptions.glance
        self.mock_cluster_template_list.return_value = ([baymodel(1)], False)
        res = self.client.get(INDEX_URL)
        self.assertEqual(res.status_code, 200)
        self.assertContains(res, "img-centos")
        self.assertNotContains(res, "centos-7-dcos")

    @helpers.create_mocks({magnum: ["cluster_template_list"]})
    def test_index_empty(self):
        self.mock_cluster_template_list.return_value = ([], False)
        res = self.client.get(INDEX_URL)
        self.assertTemplateUsed(res, "horizon/common/_data_table_view.html")
        self.assertEqual(list(res.context["baymodels_table"].data), [])
        self.assertContains(res, "No items to display.")
        self.mock_cluster_template_list.assert_called_once_with(
            helpers.IsHttpRequest(), limit=20, marker=None
        )

    @helpers.create_mocks({magnum: ["cluster_template_list"]})
    def test_index_shows_only_served_coes_by_default(self):
        models = [
            baymodel(1, coe="dcos"),
            baymodel(2, coe="kubernetes", name="k8s"),
            baymodel(3, coe="mesos", image_id=UBUNTU.id),
        ]
        self.mock_cluster_template_list.return_value = (models, False)
        res = self.client.get(INDEX_URL)
        shown = res.context["baymodels_table"].data
        self.assertEqual([m.name for m in shown], ["model-1", "model-3"])
        self.assertContains(res, "Show all COEs")
        self.assertContains(res, f"{INDEX_URL}?all=1")

    @helpers.create_mocks({magnum: ["cluster_template_list"]})
    def test_index_show_all_coes(self):
        models = [baymodel(1), baymodel(2, coe="kubernetes", name="k8s")]
        self.mock_cluster_template_list.return_value = (models, False)
        res = self.client.get(INDEX_URL + "?all=1")
        shown = res.context["baymodels_table"].data
        self.assertEqual([m.name for m in shown], ["model-1", "k8s"])
        self.assertContains(res, "Show DC/OS and Mesos only")

    @override_settings(DCOS_DASHBOARD={"PAGE_SIZE": 2})
    @helpers.create_mocks({magnum: ["cluster_template_list"]})
    def test_index_pagination_marker_and_next_link(self):
        models = [baymodel(1), baymodel(2)]
        self.mock_cluster_template_list.return_value = (models, True)
        res = self.client.get(INDEX_URL + "?marker=m-0")
        table = res.context["baymodels_table"]
        self.assertTrue(table.has_more_data())
        self.assertContains(res, f"?marker={models[-1].uuid}")
        self.mock_cluster_template_list.assert_called_once_with(
            helpers.IsHttpRequest(), limit=2, marker="m-0"
        )

    @override_settings(DCOS_DASHBOARD={"PAGE_SIZE": 2})
    @helpers.create_mocks({magnum: ["cluster_template_list"]})
    def test_index_pagination_fills_a_page_across_other_coes(self):
        k8s = baymodel(1, coe="kubernetes")
        first, second, third = baymodel(2), baymodel(3), baymodel(4)
        self.mock_cluster_template_list.side_effect = [
            ([k8s, first], True),
            ([second, third], False),
        ]
        res = self.client.get(INDEX_URL)
        table = res.context["baymodels_table"]
        self.assertEqual([m.uuid for m in table.data], [first.uuid, second.uuid])
        # third is still to come: the next page starts after second
        self.assertTrue(table.has_more_data())
        self.assertContains(res, f"?marker={second.uuid}")
        self.assertEqual(
            self.mock_cluster_template_list.call_args_list[1],
            mock.call(helpers.IsHttpRequest(), limit=2, marker=first.uuid),
        )

    @override_settings(DCOS_DASHBOARD={"PAGE_SIZE": 1})
    @helpers.create_mocks({magnum: ["cluster_template_list"]})
    def test_show_all_is_kept_on_the_next_page(self):
        models = [baymodel(1)]
        self.mock_cluster_template_list.return_value = (models, True)
        res = self.client.get(INDEX_URL + "?all=1")
        self.assertContains(res, f"?marker={models[0].uuid}&amp;all=1")

    @helpers.create_mocks({magnum: ["cluster_template_list"]})
    def test_index_magnum_error_is_a_message_not_a_500(self):
        self.mock_cluster_template_list.side_effect = magnum.MagnumError(
            "Magnum did not answer within 30 seconds. Try again later.",
        )
        res = self.client.get(INDEX_URL)
        self.assertEqual(res.status_code, 200)
        self.assertEqual(
            self.messages_of(res),
            ["Magnum did not answer within 30 seconds. Try again later."],
        )

    @helpers.create_mocks({magnum: ["cluster_template_list"]})
    def test_table_columns_and_secret_masking(self):
        model = baymodel(
            1,
            master_lb_enabled=True,
            labels={
                "launcher": "linux",
                "aws_secret_access_key": "wJalrXUtnFEMI-K7MDENG",
            },
        )
        self.mock_cluster_template_list.return_value = ([model], False)
        res = self.client.get(INDEX_URL)
        self.assertContains(res, "launcher=linux")
        self.assertContains(res, "aws_secret_access_key=wJ****")
        self.assertNotContains(res, "wJalrXUtnFEMI-K7MDENG")
        detail = reverse("horizon:project:dcos_baymodels:detail", args=[model.uuid])
        self.assertContains(res, f'href="{detail}"')

    @helpers.create_mocks({magnum: ["cluster_template_list"]})
    def test_name_and_labels_render_escaped(self):
        model = baymodel(
            1,
            name="<script>alert('n')</script>",
            labels={"dns_search": "<script>alert('l')</script>"},
        )
        self.mock_cluster_template_list.return_value = ([model], False)
        res = self.client.get(INDEX_URL)
        self.assertNotContains(res, "<script>alert(")
        self.assertContains(res, "&lt;script&gt;alert(")

    @helpers.create_mocks({magnum: ["cluster_template_list"]})
    def test_filter_by_name(self):
        models = [baymodel(1, name="alpha"), baymodel(2, name="beta")]
        self.mock_cluster_template_list.return_value = (models, False)
        res = self.client.post(INDEX_URL, {"baymodels__filter__q": "alp"})
        table = res.context["baymodels_table"]
        self.assertEqual([m.name for m in table.filtered_data], ["alpha"])
        self.assertContains(res, "alpha")
        self.assertNotContains(res, "beta")

    @helpers.create_mocks({magnum: ["cluster_template_list"]})
    def test_create_bay_link_when_bays_panel_offers_it(self):
        model = baymodel(1)
        self.mock_cluster_template_list.return_value = ([model], False)
        with mock.patch.object(
            baymodels_tables.CreateBay,
            "_create_url",
            return_value="/project/dcos_bays/create/",
        ):
            res = self.client.get(INDEX_URL)
        self.assertContains(res, f"/project/dcos_bays/create/?baymodel={model.uuid}")

    @helpers.create_mocks({magnum: ["cluster_template_list"]})
    def test_no_create_bay_link_without_bays_create_url(self):
        self.mock_cluster_template_list.return_value = ([baymodel(1)], False)
        with mock.patch.object(
            baymodels_tables.CreateBay, "_create_url", return_value=None
        ):
            res = self.client.get(INDEX_URL)
        self.assertNotContains(res, "?baymodel=")


# --- delete --------------------------------------------------------------------


class DeleteTests(BayModelsTestCase):
    @helpers.create_mocks(
        {magnum: ["cluster_template_list", "cluster_template_delete"]}
    )
    def test_delete_one(self):
        model = baymodel(1)
        self.mock_cluster_template_list.return_value = ([model], False)
        res = self.client.post(
            INDEX_URL, {"action": f"baymodels__delete__{model.uuid}"}
        )
        self.assertRedirectsNoFollow(res, INDEX_URL)
        self.mock_cluster_template_delete.assert_called_once_with(
            helpers.IsHttpRequest(), model.uuid
        )
        self.assertEqual(self.messages_of(res), ["Deleted Bay Model: model-1"])

    @helpers.create_mocks(
        {magnum: ["cluster_template_list", "cluster_template_delete"]}
    )
    def test_delete_batch(self):
        models = [baymodel(1), baymodel(2)]
        self.mock_cluster_template_list.return_value = (models, False)
        res = self.client.post(
            INDEX_URL,
            {
                "action": "baymodels__delete",
                "object_ids": [m.uuid for m in models],
            },
        )
        self.assertRedirectsNoFollow(res, INDEX_URL)
        self.assertEqual(
            self.mock_cluster_template_delete.call_args_list,
            [mock.call(helpers.IsHttpRequest(), m.uuid) for m in models],
        )

    @helpers.create_mocks(
        {magnum: ["cluster_template_list", "cluster_template_delete"]}
    )
    def test_delete_in_use_shows_magnums_refusal(self):
        model = baymodel(1)
        self.mock_cluster_template_list.return_value = ([model], False)
        refusal = (
            "This bay model is still used by one or more bays, so Magnum keeps "
            "it. Delete those bays first."
        )
        self.mock_cluster_template_delete.side_effect = magnum.MagnumError(
            refusal, status=400
        )
        res = self.client.post(
            INDEX_URL, {"action": f"baymodels__delete__{model.uuid}"}
        )
        self.assertRedirectsNoFollow(res, INDEX_URL)
        shown = self.messages_of(res)
        self.assertIn(refusal, shown)
        self.assertIn("Unable to delete bay model: model-1", shown)
        self.assertNotIn("Deleted Bay Model: model-1", shown)


# --- the create wizard -----------------------------------------------------------

WIZARD_MOCKS = {
    api.glance: ["image_list_detailed"],
    api.nova: ["flavor_list", "keypair_list"],
    api.neutron: ["network_list"],
}
CREATE_MOCKS = {**WIZARD_MOCKS, magnum: ["cluster_template_create"]}


class WizardTests(BayModelsTestCase):
    def mock_choices(self, images=(CENTOS, UBUNTU, FEDORA, BARE)):
        self.mock_image_list_detailed.return_value = (list(images), False, False)
        self.mock_flavor_list.return_value = self.flavors.list()
        self.mock_keypair_list.return_value = self.keypairs.list()
        self.mock_network_list.return_value = self.external_networks()

    def form(self, coe="dcos", **fields):
        data = {
            "name": "my-model",
            "coe": coe,
            "image_dcos": CENTOS.id,
            "image_mesos": UBUNTU.id,
            "flavor_id": "m1.tiny",
            "master_flavor_id": "m1.massive",
            "keypair_id": "keyName",
            "docker_volume_size": "5",
            "volume_driver": "",
            "external_network_id": self.external_networks()[0].id,
            "fixed_network": "",
            "fixed_subnet": "",
            "dns_nameserver": "8.8.4.4",
            "network_driver": "",
            "floating_ip_enabled": "on",
            "http_proxy": "",
            "https_proxy": "",
            "no_proxy": "",
            "extra_labels": "",
        }
        data.update(fields)
        return {k: v for k, v in data.items() if v is not None}

    def step_errors(self, res, step):
        return res.context["workflow"].get_step(step).action.errors

    @helpers.create_mocks(WIZARD_MOCKS)
    def test_get_shows_images_by_distro_and_switched_labels(self):
        self.mock_choices()
        res = self.client.get(CREATE_URL)
        self.assertTemplateUsed(res, "horizon/common/_workflow_base.html")
        workflow = res.context["workflow"]
        self.assertTrue(workflow.wizard)
        node = workflow.get_step("node_spec").action
        self.assertEqual(
            [v for v, _l in node.fields["image_dcos"].choices if v], [CENTOS.id]
        )
        self.assertEqual(
            [v for v, _l in node.fields["image_mesos"].choices if v], [UBUNTU.id]
        )
        self.assertNotContains(res, FEDORA.id)
        self.assertNotContains(res, BARE.id)
        # labels of both COEs, each shown only while its COE is chosen
        self.assertContains(res, 'data-coe-dcos="launcher"')
        self.assertContains(res, 'data-coe-mesos="mesos_slave_isolation"')
        # Horizon adds "form-control" to the classes in set order.
        self.assertRegex(
            res.content.decode(),
            r'<select id="id_coe" name="coe" class="[^"]*\bswitchable\b[^"]*" '
            r'data-slug="coe"',
        )
        # secrets are password inputs; the DC/OS default isolation is shown
        self.assertContains(res, 'type="password" name="label_dcos__aws_secret')
        self.assertContains(res, "cgroups/all,disk/du,network/cni")
        self.mock_network_list.assert_called_once_with(
            helpers.IsHttpRequest(), **{"router:external": True}
        )

    @helpers.create_mocks({**WIZARD_MOCKS, magnum: ["cluster_template_get"]})
    def test_copy_prefills_all_but_secrets_and_says_so(self):
        self.mock_choices()
        model = baymodel(
            3,
            flavor_id="m1.massive",
            dns_nameserver="8.8.4.4",
            labels={
                "launcher": "linux",
                "isolation": "gpu/nvidia,linux/seccomp",
                "aws_secret_access_key": "stored-secret-value-123",
                "dns_search": "example.com",
            },
        )
        self.mock_cluster_template_get.return_value = model

        res = self.client.get(CREATE_URL + "?copy=" + model.uuid)

        self.assertEqual(res.status_code, 200)
        self.mock_cluster_template_get.assert_called_once_with(
            helpers.IsHttpRequest(), model.uuid
        )
        workflow = res.context["workflow"]

        def value(step, field):
            return workflow.get_step(step).action[field].value()

        self.assertEqual(workflow.get_entry_point(), "info")
        self.assertEqual(value("info", "name"), "model-3-copy")
        self.assertEqual(value("info", "coe"), "dcos")
        self.assertEqual(value("node_spec", "image_dcos"), CENTOS.id)
        self.assertEqual(value("node_spec", "flavor_id"), "m1.massive")
        self.assertEqual(value("network", "dns_nameserver"), "8.8.4.4")
        self.assertEqual(value("labels", "label_dcos__launcher"), "linux")
        self.assertEqual(
            value("labels", "label_dcos__isolation"), ["gpu/nvidia", "linux/seccomp"]
        )
        self.assertEqual(value("labels", "label_dcos__dns_search"), "example.com")
        self.assertFalse(value("labels", "label_dcos__aws_secret_access_key"))
        self.assertNotContains(res, "stored-secret-value-123")
        self.assertContains(res, 'A copy of the bay model "model-3"')
        self.assertContains(res, "secret label aws_secret_access_key was not copied")

    @helpers.create_mocks({**WIZARD_MOCKS, magnum: ["cluster_template_get"]})
    def test_copy_of_a_model_naming_its_image_by_name_selects_that_image(self):
        self.mock_choices()
        self.mock_cluster_template_get.return_value = baymodel(5, image_id=CENTOS.name)
        res = self.client.get(CREATE_URL + "?copy=" + baymodel(5).uuid)
        step = res.context["workflow"].get_step("node_spec").action
        self.assertEqual(step["image_dcos"].value(), CENTOS.id)

    @helpers.create_mocks({**WIZARD_MOCKS, magnum: ["cluster_template_get"]})
    def test_copy_of_a_vanished_model_goes_back_with_a_message(self):
        self.mock_choices()
        self.mock_cluster_template_get.side_effect = magnum.MagnumError(
            "This bay model no longer exists in Magnum.", status=404
        )
        res = self.client.get(CREATE_URL + "?copy=" + baymodel(4).uuid)
        self.assertRedirectsNoFollow(res, INDEX_URL)

    @helpers.create_mocks(WIZARD_MOCKS)
    def test_dropdown_labels_are_escaped_once(self):
        # Issue 18: "Magnum&#x27;s default" on screen, escaped twice.
        self.mock_choices(
            images=(CENTOS, image("img-x", "<b>x</b> & 'y'", os_distro="centos"))
        )
        res = self.client.get(CREATE_URL)
        body = res.content.decode()
        for once in (">Magnum&#x27;s default<", "&lt;b&gt;x&lt;/b&gt; &amp; &#x27;y"):
            self.assertTrue(once in body, f"{once} missing")
        for wrong in ("<b>x</b>", "&amp;#x27;", "&amp;lt;", "&amp;amp;"):
            self.assertFalse(wrong in body, f"{wrong} shown")

    @helpers.create_mocks(WIZARD_MOCKS)
    def test_get_says_why_no_image_fits(self):
        self.mock_choices(images=(CENTOS, FEDORA))
        res = self.client.get(CREATE_URL)
        self.assertContains(res, "No image with os_distro=ubuntu")
        self.assertContains(res, "No Glance image has os_distro=ubuntu")

    @helpers.create_mocks(CREATE_MOCKS)
    def test_create_dcos_success_redirects(self):
        self.mock_choices()
        self.mock_cluster_template_create.return_value = baymodel(1)
        data = self.form(
            label_dcos__isolation=["gpu/nvidia", "linux/seccomp"],
            label_dcos__launcher="linux",
            label_dcos__image_providers=["docker"],
            label_dcos__oauth_enabled="false",
            # ignored: another COE's field
            label_mesos__mesos_slave_isolation=["posix/cpu"],
            extra_labels="dns_search = example.com   corp.example.com",
        )
        res = self.client.post(CREATE_URL, data)
        self.assertNoWorkflowErrors(res)
        self.assertRedirectsNoFollow(res, INDEX_URL)
        self.mock_cluster_template_create.assert_called_once_with(
            helpers.IsHttpRequest(),
            name="my-model",
            coe="dcos",
            public=False,
            image_id=CENTOS.id,
            flavor_id="m1.tiny",
            master_flavor_id="m1.massive",
            keypair_id="keyName",
            docker_volume_size=5,
            external_network_id=self.external_networks()[0].id,
            dns_nameserver="8.8.4.4",
            master_lb_enabled=False,
            floating_ip_enabled=True,
            labels={
                "isolation": "gpu/nvidia,linux/seccomp",
                "launcher": "linux",
                "image_providers": "docker",
                "oauth_enabled": "false",
                "dns_search": "example.com corp.example.com",
            },
        )
        self.assertIn('Created bay model "my-model".', self.messages_of(res))

    @helpers.create_mocks(CREATE_MOCKS)
    def test_create_mesos_sends_mesos_image_and_labels(self):
        self.mock_choices()
        self.mock_cluster_template_create.return_value = baymodel(1, coe="mesos")
        data = self.form(
            coe="mesos",
            label_dcos__launcher="posix",  # a DC/OS field: not validated for mesos
            label_mesos__mesos_slave_isolation=["docker/runtime", "posix/cpu"],
            label_mesos__mesos_slave_image_providers=["docker"],
        )
        res = self.client.post(CREATE_URL, data)
        self.assertRedirectsNoFollow(res, INDEX_URL)
        kwargs = self.mock_cluster_template_create.call_args.kwargs
        self.assertEqual(kwargs["coe"], "mesos")
        self.assertEqual(kwargs["image_id"], UBUNTU.id)
        self.assertEqual(
            kwargs["labels"],
            {
                "mesos_slave_isolation": "docker/runtime,posix/cpu",
                "mesos_slave_image_providers": "docker",
            },
        )

    @helpers.create_mocks(CREATE_MOCKS)
    def test_masters_get_the_node_flavor_when_none_is_chosen(self):
        # Magnum 23 cannot build bays from a model without a master flavor.
        self.mock_choices()
        self.mock_cluster_template_create.return_value = baymodel(1)
        res = self.client.post(CREATE_URL, self.form(master_flavor_id=""))
        self.assertRedirectsNoFollow(res, INDEX_URL)
        kwargs = self.mock_cluster_template_create.call_args.kwargs
        self.assertEqual(kwargs["flavor_id"], "m1.tiny")
        self.assertEqual(kwargs["master_flavor_id"], "m1.tiny")

    @helpers.create_mocks(CREATE_MOCKS)
    def test_dcos_posix_launcher_is_refused_beside_launcher(self):
        self.mock_choices()
        data = self.form(
            label_dcos__launcher="posix",
            label_dcos__isolation=["gpu/nvidia"],
            label_dcos__gc_delay="37",
        )
        res = self.client.post(CREATE_URL, data)
        self.assertEqual(res.status_code, 200)
        errors = self.step_errors(res, "labels")
        self.assertEqual(list(errors), ["label_dcos__launcher"])
        self.assertIn("need the Linux launcher", errors["label_dcos__launcher"][0])
        self.mock_cluster_template_create.assert_not_called()
        # the wizard stays on the Labels step with every typed value
        self.assertEqual(res.context["workflow"].get_entry_point(), "labels")
        self.assertContains(res, 'value="posix" selected')
        self.assertContains(
            res,
            'value="gpu/nvidia" class="switched" data-switch-on="coe" '
            'data-coe-dcos="isolation" id="id_label_dcos__isolation_37" checked>',
        )
        self.assertContains(res, 'value="37"')
        # DC/OS's effective isolation, with what the user added
        self.assertContains(res, "namespaces/ipc,linux/capabilities,gpu/nvidia<")
        self.assertContains(res, 'value="my-model"')

    @helpers.create_mocks(CREATE_MOCKS)
    def test_mesos_docker_without_docker_runtime_on_providers(self):
        self.mock_choices()
        data = self.form(
            coe="mesos",
            label_mesos__mesos_slave_image_providers=["docker"],
            label_mesos__mesos_slave_isolation=["posix/cpu"],
        )
        res = self.client.post(CREATE_URL, data)
        errors = self.step_errors(res, "labels")
        self.assertEqual(list(errors), ["label_mesos__mesos_slave_image_providers"])
        self.assertIn(
            "docker/runtime", errors["label_mesos__mesos_slave_image_providers"][0]
        )
        self.mock_cluster_template_create.assert_not_called()
        self.assertContains(res, "checked", count=None)
        checkboxes = res.context["workflow"].get_step("labels").action
        self.assertEqual(
            checkboxes["label_mesos__mesos_slave_isolation"].value(), ["posix/cpu"]
        )

    @helpers.create_mocks(CREATE_MOCKS)
    def test_problem_from_extra_text_lands_on_extra_labels(self):
        self.mock_choices()
        res = self.client.post(
            CREATE_URL, self.form(extra_labels="isolaton=gpu/nvidia")
        )
        errors = self.step_errors(res, "labels")
        self.assertEqual(list(errors), ["extra_labels"])
        self.assertIn("isolation", errors["extra_labels"][0])
        self.assertContains(res, "isolaton=gpu/nvidia</textarea>")
        self.mock_cluster_template_create.assert_not_called()

    @override_settings(DCOS_DASHBOARD={"EXTRA_LABELS": ("my_driver_knob",)})
    @helpers.create_mocks(CREATE_MOCKS)
    def test_operator_extra_label_is_accepted(self):
        self.mock_choices()
        self.mock_cluster_template_create.return_value = baymodel(1)
        res = self.client.post(CREATE_URL, self.form(extra_labels="my_driver_knob=7"))
        self.assertRedirectsNoFollow(res, INDEX_URL)
        self.assertEqual(
            self.mock_cluster_template_create.call_args.kwargs["labels"],
            {"my_driver_knob": "7"},
        )

    @helpers.create_mocks(CREATE_MOCKS)
    def test_unparsable_extra_text_and_duplicates(self):
        self.mock_choices()
        res = self.client.post(CREATE_URL, self.form(extra_labels="=nokey"))
        self.assertIn(
            "no label name", self.step_errors(res, "labels")["extra_labels"][0]
        )
        res = self.client.post(
            CREATE_URL,
            self.form(label_dcos__launcher="linux", extra_labels="launcher=linux"),
        )
        self.assertIn(
            "already set by its own field",
            self.step_errors(res, "labels")["extra_labels"][0],
        )
        self.mock_cluster_template_create.assert_not_called()

    @helpers.create_mocks(CREATE_MOCKS)
    def test_missing_companion_is_reported_on_the_companion(self):
        self.mock_choices()
        res = self.client.post(
            CREATE_URL,
            self.form(
                label_dcos__exhibitor_storage_backend="zookeeper",
                label_dcos__exhibitor_zk_path="/dcos",
            ),
        )
        errors = self.step_errors(res, "labels")
        self.assertEqual(list(errors), ["label_dcos__exhibitor_zk_hosts"])

    @helpers.create_mocks(WIZARD_MOCKS)
    def test_breadcrumb_names_the_page(self):
        self.mock_choices()
        res = self.client.get(CREATE_URL)
        self.assertContains(
            res, '<li class="breadcrumb-item-truncate active">Create Bay Model</li>'
        )
        self.assertNotContains(res, ">None</li>")

    @helpers.create_mocks(CREATE_MOCKS)
    def test_names_magnum_cannot_keep_are_refused_beside_name(self):
        # Magnum 23 takes 1-255 characters of any kind into a MySQL utf8
        # (3-byte) column: emoji break it; control and direction characters
        # would be kept and shown to everyone.
        self.mock_choices()
        for name in ("model\U0001f600", "model\x00x", "a\u202eb", "tab\there"):
            res = self.client.post(CREATE_URL, self.form(name=name))
            errors = self.step_errors(res, "info")
            self.assertEqual(list(errors), ["name"], repr(name))
            self.assertEqual(res.context["workflow"].get_entry_point(), "info")
        self.mock_cluster_template_create.assert_not_called()

        self.mock_cluster_template_create.return_value = baymodel()
        res = self.client.post(CREATE_URL, self.form(name="mod\u00e8le \u05d1"))
        self.assertNoFormErrors(res)
        self.assertEqual(
            self.mock_cluster_template_create.call_args.kwargs["name"],
            "mod\u00e8le \u05d1",
        )

    @helpers.create_mocks(CREATE_MOCKS)
    def test_a_huge_docker_volume_is_refused_with_its_bound(self):
        self.mock_choices()
        res = self.client.post(CREATE_URL, self.form(docker_volume_size="1000000000"))
        errors = self.step_errors(res, "node_spec")["docker_volume_size"]
        self.assertEqual(len(errors), 1)
        self.assertIn("at most 1000 GB", errors[0])
        self.mock_cluster_template_create.assert_not_called()

    @helpers.create_mocks(CREATE_MOCKS)
    def test_field_errors_on_other_steps(self):
        self.mock_choices()
        res = self.client.post(
            CREATE_URL,
            self.form(
                name="",
                image_dcos="",
                dns_nameserver="not-an-ip",
                docker_volume_size="0",
            ),
        )
        self.assertEqual(list(self.step_errors(res, "info")), ["name"])
        self.assertEqual(
            sorted(self.step_errors(res, "node_spec")),
            ["docker_volume_size", "image_dcos"],
        )
        self.assertEqual(list(self.step_errors(res, "network")), ["dns_nameserver"])
        self.assertEqual(res.context["workflow"].get_entry_point(), "info")
        self.mock_cluster_template_create.assert_not_called()

    @helpers.create_mocks(CREATE_MOCKS)
    def test_no_fitting_image_gives_the_reason(self):
        self.mock_choices(images=(UBUNTU,))
        res = self.client.post(CREATE_URL, self.form(image_dcos=""))
        errors = self.step_errors(res, "node_spec")
        self.assertIn("No Glance image has os_distro=centos", errors["image_dcos"][0])

    @helpers.create_mocks(CREATE_MOCKS)
    def test_image_of_the_wrong_distro_is_refused(self):
        self.mock_choices()
        res = self.client.post(CREATE_URL, self.form(image_dcos=UBUNTU.id))
        self.assertIn("image_dcos", self.step_errors(res, "node_spec"))
        self.mock_cluster_template_create.assert_not_called()

    @helpers.create_mocks(CREATE_MOCKS)
    def test_magnum_coe_rejection_lands_beside_coe(self):
        self.mock_choices()
        self.mock_cluster_template_create.side_effect = magnum.MagnumError(
            COE_SENTENCE, status=400, field="coe"
        )
        res = self.client.post(CREATE_URL, self.form(label_dcos__launcher="linux"))
        self.assertEqual(res.status_code, 200)
        self.assertEqual(self.step_errors(res, "info")["coe"], [COE_SENTENCE])
        self.assertEqual(res.context["workflow"].get_entry_point(), "info")
        self.assertContains(res, "This Magnum does not accept coe=dcos")
        self.assertContains(res, 'value="my-model"')
        self.assertContains(res, 'value="8.8.4.4"')

    @helpers.create_mocks(CREATE_MOCKS)
    def test_magnum_image_not_found_lands_beside_image(self):
        self.mock_choices()
        message = "Magnum cannot find image img-centos. Pick another image."
        self.mock_cluster_template_create.side_effect = magnum.MagnumError(
            message, status=404, field="image_id"
        )
        res = self.client.post(CREATE_URL, self.form())
        self.assertEqual(self.step_errors(res, "node_spec")["image_dcos"], [message])

    @helpers.create_mocks(CREATE_MOCKS)
    def test_magnum_500_and_timeout_are_form_errors_not_500_pages(self):
        self.mock_choices()
        for message in (
            "Magnum failed with an internal error (HTTP 500). Try again later; "
            "if it keeps failing, tell your cloud operator.",
            "Magnum did not answer within 30 seconds. Try again later; if it "
            "keeps happening, tell your cloud operator.",
        ):
            self.mock_cluster_template_create.side_effect = magnum.MagnumError(
                message, status=500 if "500" in message else None
            )
            res = self.client.post(CREATE_URL, self.form())
            self.assertEqual(res.status_code, 200)
            self.assertEqual(self.step_errors(res, "labels")["__all__"], [message])
            self.assertContains(res, 'value="my-model"')

    @helpers.create_mocks({**WIZARD_MOCKS, magnum: ["magnumclient"]})
    def test_client_errors_travel_through_the_api_mapping(self):
        # magnumclient itself raises: the api layer's mapping decides the text.
        self.mock_choices()
        create = self.mock_magnumclient.return_value.cluster_templates.create
        create.side_effect = magnum_exceptions.BadRequest(
            message="Invalid input for field/attribute coe. Value: 'dcos'. "
            "Value should be one of: kubernetes",
            http_status=400,
        )
        res = self.client.post(CREATE_URL, self.form())
        self.assertEqual(self.step_errors(res, "info")["coe"], [COE_SENTENCE])

        create.side_effect = ksa_exceptions.ConnectTimeout("Request timed out")
        res = self.client.post(CREATE_URL, self.form())
        self.assertEqual(res.status_code, 200)
        self.assertIn(
            "Magnum did not answer within 30 seconds.",
            self.step_errors(res, "labels")["__all__"][0],
        )
        self.assertEqual(create.call_args.kwargs["coe"], "dcos")


# --- edit ------------------------------------------------------------------------


READ_MOCKS = {**WIZARD_MOCKS, magnum: ["cluster_template_get"]}
EDIT_MOCKS = {
    **WIZARD_MOCKS,
    magnum: ["cluster_template_get", "cluster_template_update"],
}


class EditTests(BayModelsTestCase):
    def url(self, model):
        return reverse("horizon:project:dcos_baymodels:update", args=[model.uuid])

    def form(self, model, **fields):
        data = {
            "name": model.name,
            "image_dcos": model.image_id,
            "flavor_id": model.flavor_id,
            "master_flavor_id": model.master_flavor_id or "",
            "keypair_id": "",
            "docker_volume_size": "",
            "volume_driver": "",
            "external_network_id": model.external_network_id,
            "fixed_network": "",
            "fixed_subnet": "",
            "dns_nameserver": model.dns_nameserver,
            "network_driver": "",
            "floating_ip_enabled": "on",
            "http_proxy": "",
            "https_proxy": "",
            "no_proxy": "",
            "label_dcos__launcher": "linux",
            "label_dcos__aws_access_key_id": "AKID",
            "label_dcos__exhibitor_storage_backend": "aws_s3",
            "label_dcos__aws_region": "eu-west-1",
            "label_dcos__s3_bucket": "b",
            "label_dcos__s3_prefix": "p",
            "extra_labels": "",
        }
        data.update(fields)
        return data

    def form_without_labels(self, model, **fields):
        """The form of a model whose labels are all empty."""
        return {
            key: value
            for key, value in self.form(model, **fields).items()
            if not key.startswith("label_")
        }

    def stored(self):
        return baymodel(
            7,
            master_flavor_id="m1.small",
            labels={
                "launcher": "linux",
                "exhibitor_storage_backend": "aws_s3",
                "aws_access_key_id": "AKID",
                "aws_secret_access_key": "stored-secret-value-123",
                "aws_region": "eu-west-1",
                "s3_bucket": "b",
                "s3_prefix": "p",
            },
        )

    def mock_choices(self):
        self.mock_image_list_detailed.return_value = ([CENTOS, UBUNTU], False, False)
        self.mock_flavor_list.return_value = self.flavors.list()
        self.mock_keypair_list.return_value = self.keypairs.list()
        self.mock_network_list.return_value = [
            n for n in self.networks.list() if n["router:external"]
        ]

    def serve(self, model):
        """The wizard's choices, and ``model`` as Magnum stores it (and answers
        an update of it, when update is mocked)."""
        self.mock_choices()
        self.mock_cluster_template_get.return_value = model
        update = getattr(self, "mock_cluster_template_update", None)
        if update is not None:
            update.return_value = model

    def saved(self, model, data):
        """Post the edit; it returns to the list; the changes it sent."""
        res = self.client.post(self.url(model), data)
        self.assertRedirectsNoFollow(res, INDEX_URL)
        return self.mock_cluster_template_update.call_args.args[2]

    @helpers.create_mocks(READ_MOCKS)
    def test_get_prefills_without_the_secret(self):
        model = self.stored()
        self.serve(model)
        res = self.client.get(self.url(model))
        self.assertEqual(res.status_code, 200)
        self.assertContains(res, 'value="model-7"')
        self.assertContains(res, 'value="AKID"')
        self.assertNotContains(res, "stored-secret-value-123")
        # only this model's COE is editable
        self.assertNotContains(res, "label_mesos__")
        self.assertNotContains(res, "image_mesos")

    @helpers.create_mocks(EDIT_MOCKS)
    def test_post_sends_only_changes_and_keeps_the_secret(self):
        model = self.stored()
        self.serve(model)
        data = self.form(
            model,
            name="renamed",
            http_proxy="http://proxy:3128",
            label_dcos__gc_delay="3",
            # coe is not editable: a crafted value is ignored
            coe="mesos",
        )
        res = self.client.post(self.url(model), data)
        self.assertNoWorkflowErrors(res)
        self.assertRedirectsNoFollow(res, INDEX_URL)
        expected_labels = dict(model.labels, gc_delay="3")
        self.mock_cluster_template_update.assert_called_once_with(
            helpers.IsHttpRequest(),
            model.uuid,
            {
                "name": "renamed",
                "http_proxy": "http://proxy:3128",
                "labels": expected_labels,
            },
        )

    @helpers.create_mocks(EDIT_MOCKS)
    def test_clearing_a_field_sends_it_as_cleared(self):
        model = baymodel(8, keypair_id="keyName", master_flavor_id="m1.tiny", labels={})
        self.serve(model)
        data = self.form_without_labels(model, keypair_id="")
        changes = self.saved(model, data)
        self.assertEqual(changes, {"keypair_id": ""})
        self.assertEqual(
            magnum.template_patch(changes),
            [{"op": "remove", "path": "/keypair_id"}],
        )

    @helpers.create_mocks(EDIT_MOCKS)
    def test_a_model_without_master_flavor_gets_the_node_flavor(self):
        # Magnum 23 refuses any PATCH of such a model (tests/contract).
        model = baymodel(9, master_flavor_id=None, labels={})
        self.serve(model)
        data = self.form_without_labels(model, name="renamed")
        changes = self.saved(model, data)
        self.assertEqual(changes, {"name": "renamed", "master_flavor_id": "m1.tiny"})

    @helpers.create_mocks(EDIT_MOCKS)
    def test_clearing_the_master_flavor_gives_masters_the_node_flavor(self):
        model = baymodel(10, master_flavor_id="m1.small", labels={})
        self.serve(model)
        data = self.form_without_labels(model, master_flavor_id="")
        changes = self.saved(model, data)
        self.assertEqual(changes, {"master_flavor_id": "m1.tiny"})

    @helpers.create_mocks(EDIT_MOCKS)
    def test_saving_without_a_change_adds_no_master_flavor(self):
        model = baymodel(11, master_flavor_id=None, labels={})
        self.serve(model)
        data = self.form_without_labels(model)
        res = self.client.post(self.url(model), data)
        self.assertRedirectsNoFollow(res, INDEX_URL)
        # No change, no PATCH (cluster_template_update then only reads).
        self.assertEqual(self.mock_cluster_template_update.call_args.args[2], {})

    @helpers.create_mocks(EDIT_MOCKS)
    def test_invalid_labels_on_edit(self):
        model = self.stored()
        self.serve(model)
        res = self.client.post(
            self.url(model), self.form(model, label_dcos__launcher="posix")
        )
        errors = res.context["workflow"].get_step("labels").action.errors
        self.assertEqual(list(errors), ["label_dcos__launcher"])
        self.mock_cluster_template_update.assert_not_called()

    # Issue 18, escape 2: secrets that reach the edit form through the
    # extra labels (a Mesos model with DC/OS's exhibitor keys) or through
    # a COE without a catalogue.
    AWS_SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCY"
    AZURE_SECRET = "azure-account-key-0123456789"

    def mesos_with_secrets(self):
        return baymodel(
            12,
            coe="mesos",
            image_id=UBUNTU.id,
            master_flavor_id="m1.tiny",
            labels={
                "aws_secret_access_key": self.AWS_SECRET,
                "exhibitor_azure_account_key": self.AZURE_SECRET,
                "mesos_slave_work_dir": "/var/lib/mesos",
            },
        )

    def mesos_form(self, model, extra_labels):
        data = self.form_without_labels(model, extra_labels=extra_labels)
        del data["image_dcos"]
        data["image_mesos"] = model.image_id
        data["label_mesos__mesos_slave_work_dir"] = "/var/lib/mesos"
        return data

    def extra_text_of(self, res):
        return (
            res.context["workflow"]
            .get_step("labels")
            .action.initial.get("extra_labels")
        )

    def assert_no_secret(self, res):
        body = res.content.decode()
        for secret in (self.AWS_SECRET, self.AZURE_SECRET):
            self.assertFalse(secret[:8] in body, f"{secret[:8]}... sent back")

    @helpers.create_mocks(READ_MOCKS)
    def test_secrets_in_extra_labels_are_never_sent_to_the_browser(self):
        model = self.mesos_with_secrets()
        self.serve(model)
        res = self.client.get(self.url(model))
        self.assertEqual(res.status_code, 200)
        self.assert_no_secret(res)
        # Each secret keeps its line, masked, and the form says what the
        # mask means.
        mask = baymodels_workflows.SECRET_MASK
        self.assertEqual(
            self.extra_text_of(res).splitlines(),
            [f"aws_secret_access_key={mask}", f"exhibitor_azure_account_key={mask}"],
        )
        self.assertContains(res, "keep the stored value")

    @helpers.create_mocks(READ_MOCKS)
    def test_secrets_of_a_coe_without_catalogue_are_never_sent(self):
        model = baymodel(
            13,
            coe="kubernetes",
            labels={"aws_secret_access_key": self.AWS_SECRET, "a": "b"},
        )
        self.serve(model)
        res = self.client.get(self.url(model))
        self.assertEqual(res.status_code, 200)
        self.assert_no_secret(res)

    @override_settings(
        DCOS_DASHBOARD={
            "EXTRA_LABELS": (
                "aws_secret_access_key",
                "exhibitor_azure_account_key",
                "fresh",
            )
        }
    )
    @helpers.create_mocks(EDIT_MOCKS)
    def test_untouched_masked_secret_keeps_its_value_a_new_one_replaces_it(self):
        model = self.mesos_with_secrets()
        self.serve(model)
        mask = baymodels_workflows.SECRET_MASK
        res = self.client.post(
            self.url(model),
            self.mesos_form(
                model,
                f"aws_secret_access_key={mask}\n"
                "exhibitor_azure_account_key=a-brand-new-key\n"
                "fresh=1",
            ),
        )
        self.assertNoWorkflowErrors(res)
        self.assertRedirectsNoFollow(res, INDEX_URL)
        changes = self.mock_cluster_template_update.call_args.args[2]
        self.assertEqual(
            changes["labels"],
            {
                "mesos_slave_work_dir": "/var/lib/mesos",
                "aws_secret_access_key": self.AWS_SECRET,
                "exhibitor_azure_account_key": "a-brand-new-key",
                "fresh": "1",
            },
        )

    @override_settings(
        DCOS_DASHBOARD={
            "EXTRA_LABELS": ("aws_secret_access_key", "exhibitor_azure_account_key")
        }
    )
    @helpers.create_mocks(EDIT_MOCKS)
    def test_saving_the_masked_form_unchanged_changes_no_label(self):
        model = self.mesos_with_secrets()
        self.serve(model)
        get = self.client.get(self.url(model))
        extra = self.extra_text_of(get)
        res = self.client.post(self.url(model), self.mesos_form(model, extra))
        self.assertNoWorkflowErrors(res)
        self.assertEqual(self.mock_cluster_template_update.call_args.args[2], {})

    @helpers.create_mocks(EDIT_MOCKS)
    def test_removing_a_masked_line_removes_the_secret(self):
        model = self.mesos_with_secrets()
        self.serve(model)
        res = self.client.post(self.url(model), self.mesos_form(model, ""))
        self.assertNoWorkflowErrors(res)
        changes = self.mock_cluster_template_update.call_args.args[2]
        self.assertEqual(changes["labels"], {"mesos_slave_work_dir": "/var/lib/mesos"})

    @helpers.create_mocks(READ_MOCKS)
    def test_a_mask_with_nothing_stored_behind_it_is_refused(self):
        model = baymodel(14, coe="mesos", image_id=UBUNTU.id, labels={})
        self.serve(model)
        mask = baymodels_workflows.SECRET_MASK
        res = self.client.post(
            self.url(model), self.mesos_form(model, f"aws_secret_access_key={mask}")
        )
        errors = res.context["workflow"].get_step("labels").action.errors
        self.assertIn("none is stored", errors["extra_labels"][0])

    @helpers.create_mocks(READ_MOCKS)
    def test_a_refused_save_sends_no_stored_secret_back(self):
        # Mesos bays do not read the exhibitor keys: the form comes back
        # with that error, and still without the stored values.
        model = self.mesos_with_secrets()
        self.serve(model)
        mask = baymodels_workflows.SECRET_MASK
        res = self.client.post(
            self.url(model),
            self.mesos_form(
                model,
                f"aws_secret_access_key={mask}\nexhibitor_azure_account_key={mask}",
            ),
        )
        self.assertEqual(res.status_code, 200)
        errors = res.context["workflow"].get_step("labels").action.errors
        self.assertIn("extra_labels", errors)
        self.assert_no_secret(res)

    @helpers.create_mocks({magnum: ["cluster_template_get"]})
    def test_edit_of_a_vanished_model_redirects_with_message(self):
        self.mock_cluster_template_get.side_effect = magnum.MagnumError(
            "This bay model no longer exists in Magnum; it may have been "
            "deleted. Reload the page.",
            status=404,
        )
        res = self.client.get(self.url(baymodel(9)))
        self.assertRedirectsNoFollow(res, INDEX_URL)


# --- detail ---------------------------------------------------------------------


class DetailTests(BayModelsTestCase):
    def url(self, model):
        return reverse("horizon:project:dcos_baymodels:detail", args=[model.uuid])

    @helpers.create_mocks({magnum: ["cluster_template_get", "cluster_list"]})
    def test_overview_masks_secrets_and_lists_its_bays(self):
        model = baymodel(
            1,
            name="<b>bold</b>",
            labels={"exhibitor_azure_account_key": "azure-secret-key-value"},
        )
        other = baymodel(2)
        self.mock_cluster_template_get.return_value = model
        self.mock_cluster_list.return_value = (
            [
                cluster("mine", model.uuid),
                cluster("theirs", other.uuid),
            ],
            False,
        )
        res = self.client.get(self.url(model) + "?tab=baymodel_details__bays")
        self.assertEqual(res.status_code, 200)
        self.assertContains(res, "exhibitor_azure_account_key")
        self.assertContains(res, "az****")
        self.assertNotContains(res, "azure-secret-key-value")
        self.assertNotContains(res, "<b>bold</b>")
        self.assertContains(res, "&lt;b&gt;bold&lt;/b&gt;")
        # a template literal: Django inserts it unescaped, as written
        self.assertContains(res, "<dd>Magnum's default</dd>")
        self.assertNotContains(res, "&amp;#x27;")
        bays = res.context["tab_group"].get_tab("bays")._tables["bays"].data
        self.assertEqual([b.name for b in bays], ["mine"])
        self.mock_cluster_list.assert_called_once_with(helpers.IsHttpRequest())
        # Edit and Delete from the detail page
        self.assertContains(
            res,
            reverse("horizon:project:dcos_baymodels:update", args=[model.uuid]),
        )
        self.assertContains(res, f"baymodels__delete__{model.uuid}")

    @helpers.create_mocks({magnum: ["cluster_template_get"]})
    def test_overview_gives_the_create_command_without_secrets(self):
        model = baymodel(
            1,
            labels={
                "exhibitor_azure_account_key": "azure-secret-key-value",
                "dcos_overlay_enable": "true",
            },
        )
        self.mock_cluster_template_get.return_value = model
        res = self.client.get(self.url(model))
        self.assertEqual(res.status_code, 200)
        self.assertNotContains(res, "azure-secret-key-value")
        self.assertContains(res, "Create this Bay Model again")
        ((title, line),) = (
            res.context["tab_group"]
            .get_tab("overview")
            .get_context_data(res.wsgi_request)["commands"]
        )
        argv = shlex.split(line)
        self.assertEqual(
            argv[:5], ["openstack", "coe", "cluster", "template", "create"]
        )
        self.assertEqual(argv[-1], model.name)
        self.assertEqual(argv[argv.index("--coe") + 1], model.coe)
        self.assertIn("dcos_overlay_enable=true", argv)
        self.assertIn(
            f"exhibitor_azure_account_key={commands.SECRET_PLACEHOLDER}", argv
        )

    @helpers.create_mocks({magnum: ["cluster_template_get", "cluster_list"]})
    def test_bays_tab_magnum_error_is_a_message(self):
        model = baymodel(1)
        self.mock_cluster_template_get.return_value = model
        self.mock_cluster_list.side_effect = magnum.MagnumError(
            "Magnum cannot be reached."
        )
        res = self.client.get(self.url(model) + "?tab=baymodel_details__bays")
        self.assertEqual(res.status_code, 200)
        self.assertIn("Magnum cannot be reached.", self.messages_of(res))

    @helpers.create_mocks({magnum: ["cluster_template_get"]})
    def test_missing_model_redirects_to_index(self):
        self.mock_cluster_template_get.side_effect = magnum.MagnumError(
            "This bay model no longer exists in Magnum.", status=404
        )
        res = self.client.get(self.url(baymodel(5)))
        self.assertRedirectsNoFollow(res, INDEX_URL)


# --- CSRF and policy ------------------------------------------------------------


class SecurityTests(BayModelsTestCase):
    @helpers.create_mocks(CREATE_MOCKS)
    def test_create_post_without_csrf_token_is_refused(self):
        res = post_without_csrf(self, CREATE_URL, {"name": "x", "coe": "dcos"})
        self.assertEqual(res.status_code, 403)
        self.mock_cluster_template_create.assert_not_called()

    @helpers.create_mocks(
        {magnum: ["cluster_template_list", "cluster_template_delete"]}
    )
    def test_delete_post_without_csrf_token_is_refused(self):
        self.mock_cluster_template_list.return_value = ([baymodel(1)], False)
        res = post_without_csrf(
            self, INDEX_URL, {"action": f"baymodels__delete__{baymodel(1).uuid}"}
        )
        self.assertEqual(res.status_code, 403)
        self.mock_cluster_template_delete.assert_not_called()


@override_settings(POLICY_CHECK_FUNCTION="openstack_auth.policy.check")
class PolicyTestCase(BayModelsTestCase):
    """Policy checks on, with our container-infra policy file."""

    user_roles = ()

    def setUp(self):
        auth_policy.reset()
        super().setUp()

    def tearDown(self):
        super().tearDown()
        auth_policy.reset()

    def _setup_user(self, **kwargs):
        super()._setup_user(roles=list(self.user_roles), **kwargs)


class ReaderPolicyTests(PolicyTestCase):
    user_roles = ({"id": "3", "name": "reader"},)

    @helpers.create_mocks({magnum: ["cluster_template_list"]})
    def test_reader_sees_no_create_edit_or_delete(self):
        model = baymodel(1)
        self.mock_cluster_template_list.return_value = ([model], False)
        res = self.client.get(INDEX_URL)
        self.assertEqual(res.status_code, 200)
        self.assertContains(res, "model-1")
        self.assertNotContains(res, CREATE_URL)
        self.assertNotContains(res, "baymodels__delete")
        self.assertNotContains(
            res, reverse("horizon:project:dcos_baymodels:update", args=[model.uuid])
        )

    @helpers.create_mocks(CREATE_MOCKS)
    def test_reader_crafted_create_is_refused(self):
        res = self.client.post(CREATE_URL, {"name": "x", "coe": "dcos"})
        self.assertEqual(res.status_code, 403)
        self.mock_cluster_template_create.assert_not_called()
        self.mock_image_list_detailed.assert_not_called()

    @helpers.create_mocks(
        {magnum: ["cluster_template_list", "cluster_template_delete"]}
    )
    def test_reader_crafted_delete_is_refused(self):
        model = baymodel(1)
        self.mock_cluster_template_list.return_value = ([model], False)
        res = self.client.post(
            INDEX_URL, {"action": f"baymodels__delete__{model.uuid}"}
        )
        self.mock_cluster_template_delete.assert_not_called()
        self.assertIn(
            "You are not allowed to delete bay model: model-1", self.messages_of(res)
        )


class MemberPolicyTests(PolicyTestCase):
    """The same policy file lets a member do what a reader may not."""

    user_roles = ({"id": "2", "name": "member"}, {"id": "3", "name": "reader"})

    @helpers.create_mocks({magnum: ["cluster_template_list"]})
    def test_member_sees_create_edit_and_delete(self):
        model = baymodel(1)
        self.mock_cluster_template_list.return_value = ([model], False)
        res = self.client.get(INDEX_URL)
        self.assertContains(res, CREATE_URL)
        self.assertContains(res, f"baymodels__delete__{model.uuid}")
        self.assertContains(
            res, reverse("horizon:project:dcos_baymodels:update", args=[model.uuid])
        )


class GetPolicyTests(PolicyTestCase):
    """A policy that lists models but denies reading one: the detail view
    checks its own rule, as the Bays one does."""

    user_roles = ({"id": "3", "name": "reader"},)

    @helpers.create_mocks({magnum: ["cluster_template_get", "cluster_list"]})
    def test_detail_is_refused_before_magnum_is_asked(self):
        real_check = auth_policy.check

        def check(actions, request, target=None):
            if ("container-infra", "cluster_template:get") in actions:
                return False
            return real_check(actions, request, target)

        model = baymodel(1)
        self.mock_cluster_template_get.return_value = model
        with mock.patch.object(auth_policy, "check", side_effect=check):
            res = self.client.get(
                reverse("horizon:project:dcos_baymodels:detail", args=[model.uuid])
            )
        self.assertEqual(res.status_code, 403)
        self.mock_cluster_template_get.assert_not_called()
