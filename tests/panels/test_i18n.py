"""Label errors, health reasons and panel titles follow the user's language.

The catalogue is a test-only German one written here (docs/i18n.md says
why): it translates exactly the sentences these tests look for, so each
assertion can only pass if that sentence went through Django's gettext.
"""

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import override_settings
from django.utils import translation
from openstack_dashboard.test import helpers

from dcos_dashboard import health, i18n, labels
from dcos_dashboard.api import magnum
from tests.german import SEEN_IN_GERMAN, write_german_catalogue
from tests.panels import test_baymodels as baymodels_tests
from tests.panels import test_bays as bays_tests
from tests.panels.wizard_cases import BayModelWizardCase, BayWizardCase


@pytest.fixture(autouse=True)
def german_catalogue(tmp_path):
    write_german_catalogue(tmp_path)
    # Changing LOCALE_PATHS makes Django drop the catalogues it has loaded.
    with override_settings(LOCALE_PATHS=[str(tmp_path)]):
        yield


def test_a_label_error_is_translated():
    message = labels.validate_labels("dcos", {"isolaton": "x"})["isolaton"]
    with translation.override("de"):
        assert i18n.translate(message) == SEEN_IN_GERMAN
    with translation.override("en"):
        assert i18n.translate(message) == message


def test_the_count_of_further_problems_is_translated_with_its_plural():
    errors = labels.validate_labels("dcos", {f"k{i}": "x" for i in range(12)})
    with translation.override("de"):
        assert i18n.translate(errors[labels.MORE_PROBLEMS]) == (
            "\u2026 und 2 weitere Probleme."
        )


def test_a_health_reason_is_translated_in_the_badge():
    healthy = bays_tests.HEALTHY
    assert healthy.reason == "All 3 agents healthy"
    assert isinstance(healthy.reason, health.Message)
    with translation.override("de"):
        badge = render_to_string(
            "dcos_dashboard/_health_badge.html", {"health": healthy}
        )
    assert 'title="Alle 3 Agenten gesund"' in badge


def test_a_parse_error_stays_english_without_a_translation():
    with pytest.raises(ValueError) as raised:
        labels.parse_labels("=x")
    with translation.override("de"):
        assert i18n.error_text(raised.value) == str(raised.value)


class InGerman:
    """A test case whose user reads German."""

    def setUp(self):
        super().setUp()
        # The language a Horizon user picks in Settings, as Horizon stores it
        # (horizon_language in a deployment).
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"


class GermanBayModelWizard(InGerman, BayModelWizardCase):
    @helpers.create_mocks(baymodels_tests.CREATE_MOCKS)
    def test_wizard_shows_the_label_error_in_german(self):
        res = self.post_wizard(extra_labels="isolaton=gpu/nvidia")
        self.assertContains(res, SEEN_IN_GERMAN)
        self.assertContains(res, "isolaton=gpu/nvidia</textarea>")
        self.mock_cluster_template_create.assert_not_called()

    @helpers.create_mocks({magnum: ["cluster_template_list"]})
    def test_panel_title_is_german(self):
        self.mock_cluster_template_list.return_value = ([], False)
        res = self.client.get(baymodels_tests.INDEX_URL)
        self.assertContains(res, "Bay-Modelle")


class GermanBayWizard(InGerman, BayWizardCase):
    @helpers.create_mocks(bays_tests.WIZARD_MOCKS)
    def test_wizard_shows_the_label_error_in_german(self):
        res = self.post_wizard(labels="isolaton=x")
        self.assertEqual(self.step_errors(res, "advanced", "labels"), [SEEN_IN_GERMAN])
        self.mock_cluster_create.assert_not_called()


class GermanBaysIndex(InGerman, bays_tests.BaysTestCase):
    @helpers.create_mocks(
        {
            magnum: ("cluster_list", "cluster_template_list"),
            bays_tests.mesos: ("cached_bay_health",),
        }
    )
    def test_the_delete_actions_say_so_in_german_with_their_plural(self):
        # Horizon names them per row while the page renders, in the
        # request's language: their names are made once (figure 6) but stay
        # lazy, or the first request's language would stick to the action.
        self.mock_cluster_list.return_value = (
            [bays_tests.cluster(bays_tests.BAY_A, "alpha")],
            False,
        )
        self.mock_cluster_template_list.return_value = (bays_tests.TEMPLATES, False)
        self.mock_cached_bay_health.return_value = None
        res = self.client.get(bays_tests.INDEX_URL)
        self.assertContains(res, "Bay löschen</button>")
        self.assertContains(res, "Bays löschen</button>")
        self.assertNotContains(res, "Delete Bay")

        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        res = self.client.get(bays_tests.INDEX_URL)
        self.assertContains(res, "Delete Bay</button>")
        self.assertNotContains(res, "löschen")
