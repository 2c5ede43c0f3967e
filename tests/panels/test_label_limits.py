"""Both wizards bound the labels text and the messages about it (issue 19, 6)."""

from openstack_dashboard.test import helpers

from dcos_dashboard import labels
from tests.panels import test_baymodels as baymodels_tests
from tests.panels import test_bays as bays_tests
from tests.panels.wizard_cases import BayModelWizardCase, BayWizardCase

# Well-formed, so only the size is wrong: over 1 MB, 47,000 unknown keys.
HUGE = "\n".join(f"unknown_label_{i:05d}=x" for i in range(47_000))
# Under the size bound, 5,000 unknown keys.
MANY = "\n".join(f"u{i}=x" for i in range(5_000))


class LimitChecks:
    """What either wizard shows beside its labels text, too big or too wrong."""

    def assert_refused_with_its_bound(self, res, errors):
        self.assertEqual(len(errors), 1)
        self.assertIn(f"{labels.MAX_TEXT_CHARS:,}", errors[0])
        self.assertIn(f'maxlength="{labels.MAX_TEXT_CHARS}"', res.content.decode())

    def assert_summarised(self, res, errors):
        self.assertEqual(len(errors), labels.MAX_MESSAGES + 1)
        self.assertEqual(errors[-1], "\u2026 and 4,990 more problems.")
        self.assertLess(len(res.content), len(MANY) + 300_000)


class BayModelWizardLimits(LimitChecks, BayModelWizardCase):
    def extra_errors(self, res):
        step = res.context["workflow"].get_step("labels")
        return [str(error) for error in step.action.errors.get("extra_labels", [])]

    @helpers.create_mocks(baymodels_tests.CREATE_MOCKS)
    def test_oversized_labels_text_is_refused_with_its_bound(self):
        res = self.post_wizard(extra_labels=HUGE)
        self.assert_refused_with_its_bound(res, self.extra_errors(res))
        self.mock_cluster_template_create.assert_not_called()

    @helpers.create_mocks(baymodels_tests.CREATE_MOCKS)
    def test_many_problems_are_summarised(self):
        res = self.post_wizard(extra_labels=MANY)
        self.assert_summarised(res, self.extra_errors(res))
        # The typed text comes back whole.
        self.assertContains(res, "u4999=x</textarea>")
        self.mock_cluster_template_create.assert_not_called()


class BayWizardLimits(LimitChecks, BayWizardCase):
    @helpers.create_mocks(bays_tests.WIZARD_MOCKS)
    def test_oversized_label_overrides_are_refused_with_their_bound(self):
        res = self.post_wizard(labels=HUGE)
        errors = self.step_errors(res, "advanced", "labels")
        self.assert_refused_with_its_bound(res, errors)
        self.mock_cluster_create.assert_not_called()

    @helpers.create_mocks(bays_tests.WIZARD_MOCKS)
    def test_many_problems_are_summarised(self):
        res = self.post_wizard(labels=MANY)
        self.assert_summarised(res, self.step_errors(res, "advanced", "labels"))
        self.mock_cluster_create.assert_not_called()
