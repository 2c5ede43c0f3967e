"""The create wizards' equivalent command, asked while they are filled in.

Each endpoint binds the wizard to the posted form, as Create does: its line,
parsed back by shlex and python-magnumclient's own command, sends what
Create sends to Magnum; it never creates anything, echoes no secret, and is
guarded like Create (policy, CSRF).
"""

import json
import shlex

from django.test import override_settings
from django.urls import reverse
from openstack_dashboard.test import helpers

from dcos_dashboard import commands
from dcos_dashboard.api import magnum

# Modules, not their TestCases: a TestCase named here would run here again.
from tests.panels import test_baymodels as models
from tests.panels import test_bays as bays
from tests.panels.wizard_cases import BayModelWizardCase, BayWizardCase
from tests.unit.test_commands import cluster_sent, template_sent

MODEL_COMMAND_URL = reverse("horizon:project:dcos_baymodels:create_command")
MODEL_CREATE_URL = reverse("horizon:project:dcos_baymodels:create")
BAY_COMMAND_URL = reverse("horizon:project:dcos_bays:create_command")

SECRET = "s3cr3t-TYPED-value'42"  # noqa: S105 - a test value


def command_of(answer, create):
    """The answered line, checked before Create is ever called."""
    create.assert_not_called()
    line = answer["command"]
    assert "s3cr3t" not in line
    assert commands.SECRET_PLACEHOLDER in answer["secrets"]
    return line


def placeholder_for_secret(created):
    """What Create sent, with the secret the command leaves out replaced."""
    assert created["labels"]["aws_secret_access_key"] == SECRET
    labels = dict(created["labels"], aws_secret_access_key=commands.SECRET_PLACEHOLDER)
    return dict(created, labels=labels)


def answer_of(res):
    assert res.status_code == 200, res.status_code
    assert res["Content-Type"] == "application/json"
    return json.loads(res.content)


class BayModelCommandTests(BayModelWizardCase):
    def form_with_labels(self, **fields):
        # Names within Magnum's bay name rule: quoting is shown by the labels.
        fields.setdefault("name", "model_1.x")
        return self.form(
            label_dcos__launcher="linux",
            label_dcos__isolation=["gpu/nvidia", "linux/seccomp"],
            label_dcos__exhibitor_storage_backend="aws_s3",
            label_dcos__aws_access_key_id="AKIAEXAMPLE",
            label_dcos__aws_secret_access_key=SECRET,
            label_dcos__aws_region="us-east-1",
            label_dcos__s3_bucket="bucket",
            label_dcos__s3_prefix="a prefix",
            label_dcos__exhibitor_explicit_keys="true",
            extra_labels="dns_search = example.com   corp.example.com",
            **fields,
        )

    @helpers.create_mocks(models.CREATE_MOCKS)
    def test_the_command_sends_what_create_sends_with_the_secret_replaced(self):
        self.mock_choices()
        self.mock_cluster_template_create.return_value = models.baymodel(1)
        data = self.form_with_labels()

        answer = answer_of(self.client.post(MODEL_COMMAND_URL, data))

        sent = template_sent(command_of(answer, self.mock_cluster_template_create))

        # What Create itself sends for the same form.
        res = self.client.post(MODEL_CREATE_URL, data)
        self.assertNoWorkflowErrors(res)
        expected = placeholder_for_secret(
            self.mock_cluster_template_create.call_args.kwargs
        )
        self.assertEqual({key: sent[key] for key in expected}, expected)
        self.assertEqual(sent["name"], "model_1.x")
        self.assertEqual(sent["labels"]["dns_search"], "example.com corp.example.com")
        # What the line leaves out, the client leaves unset or at its own
        # defaults (magnumclient/osc/v1/cluster_templates.py).
        client_defaults = {"server_type": "vm", "docker_storage_driver": "overlay2"}
        for key in set(sent) - set(expected):
            self.assertIn(sent[key], (None, False, {}, client_defaults.get(key)), key)

    @helpers.create_mocks(models.CREATE_MOCKS)
    def test_missing_fields_are_named_and_nothing_typed_is_echoed(self):
        self.mock_choices()
        data = self.form_with_labels(name="", image_dcos="")
        # An unparsable line of extra labels holding the secret.
        data["extra_labels"] = f"aws_secret_access_key {SECRET}"

        res = self.client.post(MODEL_COMMAND_URL, data)

        answer = answer_of(res)
        self.assertNotIn("command", answer)
        self.assertIn("Bay Model Name (step Info)", answer["missing"])
        self.assertIn("Image (step Node Spec)", answer["missing"])
        self.assertIn("Extra labels (step Labels)", answer["missing"])
        self.assertNotIn("s3cr3t", res.content.decode())
        self.mock_cluster_template_create.assert_not_called()

    @helpers.create_mocks(models.CREATE_MOCKS)
    def test_an_invalid_label_is_named_not_commanded(self):
        self.mock_choices()
        data = self.form(label_dcos__launcher="not-a-launcher")

        answer = answer_of(self.client.post(MODEL_COMMAND_URL, data))

        self.assertEqual(
            answer, {"missing": "Still missing or wrong: launcher (step Labels)."}
        )
        self.mock_cluster_template_create.assert_not_called()

    @helpers.create_mocks(models.WIZARD_MOCKS)
    def test_the_wizard_shows_where_its_command_goes(self):
        self.mock_choices()
        res = self.client.get(MODEL_CREATE_URL)
        self.assertContains(res, f'data-dcos-command-url="{MODEL_COMMAND_URL}"')
        self.assertContains(res, 'id="dcos-command-preview"')
        self.assertContains(res, 'data-dcos-copy="dcos-command-preview"')

    def test_only_post_is_answered(self):
        self.assertEqual(self.client.get(MODEL_COMMAND_URL).status_code, 405)

    @helpers.create_mocks(models.CREATE_MOCKS)
    def test_csrf_token_is_required(self):
        self.mock_choices()
        res = models.post_without_csrf(self, MODEL_COMMAND_URL, self.form())
        self.assertEqual(res.status_code, 403)
        self.assertNotIn(b"openstack coe", res.content)
        self.mock_cluster_template_create.assert_not_called()


class BayModelCommandPolicyTests(models.PolicyTestCase):
    user_roles = ({"id": "3", "name": "reader"},)

    @helpers.create_mocks(models.CREATE_MOCKS)
    def test_a_reader_is_refused_before_anything_is_read(self):
        res = self.client.post(MODEL_COMMAND_URL, {"name": "x", "coe": "dcos"})
        self.assertEqual(res.status_code, 403)
        self.mock_image_list_detailed.assert_not_called()
        self.mock_cluster_template_create.assert_not_called()


# --- Create Bay ----------------------------------------------------------------

BAY_OVERRIDES = "\n".join(
    [
        "exhibitor_storage_backend=aws_s3",
        "aws_access_key_id=AKIAEXAMPLE",
        f"aws_secret_access_key={SECRET}",
        "aws_region=us-east-1",
        "s3_bucket=bucket",
        "s3_prefix=a prefix; rm -rf $HOME",
        "exhibitor_explicit_keys=true",
    ]
)


class BayCommandTests(BayWizardCase):
    @helpers.create_mocks(bays.WIZARD_MOCKS)
    def test_the_command_sends_what_create_sends_with_the_secret_replaced(self):
        self.mock_choices()
        self.mock_cluster_create.return_value = bays.BAY_A
        data = bays.wizard_data(
            name="bay_1.x",
            keypair=self.keypairs.first().name,
            flavor_id=self.flavors.first().name,
            discovery_url="https://discovery.etcd.io/abc",
            labels=BAY_OVERRIDES,
        )

        answer = answer_of(self.client.post(BAY_COMMAND_URL, data))

        sent = cluster_sent(command_of(answer, self.mock_cluster_create))

        res = self.client.post(bays.CREATE_URL, data)
        self.assertRedirectsNoFollow(res, bays.INDEX_URL)
        expected = placeholder_for_secret(self.mock_cluster_create.call_args.kwargs)
        self.assertEqual({key: sent[key] for key in expected}, expected)
        self.assertEqual(sent["name"], "bay_1.x")
        self.assertEqual(sent["labels"]["s3_prefix"], "a prefix; rm -rf $HOME")

    @helpers.create_mocks(bays.WIZARD_MOCKS)
    def test_refused_sizes_are_named_and_nothing_is_created(self):
        self.mock_choices()
        data = bays.wizard_data(master_count=2, labels=f"{SECRET} no equals sign")

        res = self.client.post(BAY_COMMAND_URL, data)

        answer = answer_of(res)
        self.assertEqual(
            answer["missing"],
            "Still missing or wrong: Master Count (step Size), "
            "Label Overrides (step Advanced).",
        )
        self.assertNotIn("s3cr3t", res.content.decode())
        self.mock_cluster_create.assert_not_called()

    @helpers.create_mocks(bays.WIZARD_MOCKS)
    def test_the_wizard_shows_where_its_command_goes(self):
        self.mock_choices()
        res = self.client.get(bays.CREATE_URL)
        self.assertContains(res, f'data-dcos-command-url="{BAY_COMMAND_URL}"')

    @helpers.create_mocks(bays.WIZARD_MOCKS)
    def test_csrf_token_is_required(self):
        self.mock_choices()
        res = models.post_without_csrf(self, BAY_COMMAND_URL, bays.wizard_data())
        self.assertEqual(res.status_code, 403)
        self.mock_cluster_create.assert_not_called()

    @helpers.create_mocks({magnum: ("cluster_get", "cluster_scale")})
    def test_scale_form_shows_the_scale_command_around_the_count(self):
        self.mock_cluster_get.return_value = bays.cluster(bays.BAY_A, "alpha")

        res = self.client.get(
            reverse("horizon:project:dcos_bays:scale", args=[bays.BAY_A])
        )

        head, tail = commands.cluster_scale_parts(bays.BAY_A)
        self.assertContains(
            res,
            f'<pre id="dcos-scale-command" class="dcos-command-line">{head}'
            f"<span data-dcos-scale-count>3</span>{tail}</pre>",
            html=False,
        )
        self.assertEqual(
            shlex.split(head + "7" + tail),
            ["openstack", "coe", "cluster", "update", "--node-count", "7", bays.BAY_A],
        )
        self.assertContains(res, 'data-dcos-copy="dcos-scale-command"')
        self.mock_cluster_scale.assert_not_called()


@override_settings(POLICY_CHECK_FUNCTION="openstack_auth.policy.check")
class BayCommandPolicyTests(bays.BaysTestCase):
    def setUp(self):
        super().setUp()
        self._setup_user(roles=[{"id": "3", "name": "reader"}])

    @helpers.create_mocks({magnum: ("cluster_template_list", "cluster_create")})
    def test_a_reader_is_refused_before_anything_is_read(self):
        res = self.client.post(BAY_COMMAND_URL, bays.wizard_data())
        self.assertEqual(res.status_code, 403)
        self.mock_cluster_template_list.assert_not_called()
        self.mock_cluster_create.assert_not_called()
