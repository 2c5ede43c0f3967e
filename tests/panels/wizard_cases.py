"""Test cases that fill the two Create wizards, for the tests beside the
wizards' own (limits, language, the equivalent command).

Classes here, not in a test_ module: a TestCase imported into a test module
would run there again.
"""

from tests.panels import test_baymodels as models
from tests.panels import test_bays as bays


class BayModelWizardCase(models.BayModelsTestCase):
    """The Create Bay Model wizard's choices (mocked) and its form."""

    mock_choices = models.WizardTests.mock_choices
    form = models.WizardTests.form
    external_networks = models.WizardTests.external_networks

    def post_wizard(self, **fields):
        """Post the wizard's form with ``fields`` changed, its choices mocked."""
        self.mock_choices()
        return self.client.post(models.CREATE_URL, self.form(**fields))


class BayWizardCase(bays.BaysTestCase):
    """The Create Bay wizard's choices (mocked) and its errors by step."""

    mock_choices = bays.CreateWizardTests.mock_choices
    step_errors = bays.CreateWizardTests.step_errors

    def post_wizard(self, **fields):
        """Post the wizard's form with ``fields`` changed, its choices mocked."""
        self.mock_choices()
        return self.client.post(bays.CREATE_URL, bays.wizard_data(**fields))
