"""The create wizard both panels share: blank, or started from a stored object."""

from django.urls import reverse
from horizon import workflows
from horizon.views import PageTitleMixin

from dcos_dashboard.api import magnum
from dcos_dashboard.panels import errors, preview
from dcos_dashboard.panels.bounded import BoundedCallsMixin
from dcos_dashboard.panels.policy import PolicyRequiredMixin


class CreateWizardView(
    BoundedCallsMixin,
    PageTitleMixin,
    PolicyRequiredMixin,
    preview.CommandWizardMixin,
    errors.StepsFirstMixin,
    workflows.WorkflowView,
):
    """A create wizard, with its command, that ``?<source_param>=<id>``
    fills in from a stored object (a model to copy, a failed bay to create
    again); a Magnum error reading it sends the user back to the index.

    The workflow's context always has ``source_param`` (None when blank):
    its steps depend on it to say where the wizard started from.
    """

    source_param = None
    index_url = None  # the panel's index

    def stored_initial(self, source_id):
        """The wizard's initial values from the stored object (secrets left out)."""
        raise NotImplementedError

    def request_initial(self):
        """The initial values the request's own parameters give."""
        return super().get_initial()

    def get_initial(self):
        initial = self.request_initial()
        initial[self.source_param] = None
        source = self.request.GET.get(self.source_param)
        if source:
            try:
                stored = self.stored_initial(source)
            except magnum.MagnumError as e:
                errors.show(self.request, e, redirect=reverse(self.index_url))
            initial.update(stored)
        return initial

    def get_workflow(self):
        workflow = super().get_workflow()
        request = self.request
        if request.method == "GET" and request.GET.get(self.source_param):
            # Starting from what exists opens on its first step, which says
            # so (errors of a POST still open on their own step).
            workflow.entry_point = workflow.steps[0].slug
        return workflow
