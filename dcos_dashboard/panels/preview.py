"""The equivalent command of a create wizard, as the user fills it in.

The wizard's form is posted here (js/dcos_commands.js) and bound to the same
workflow the create view uses, so the command is built from exactly what
Create would send. Nothing is ever created: the workflow is validated, never
finalized.
"""

from django.forms.forms import NON_FIELD_ERRORS
from django.http import JsonResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.views import generic
from django.views.decorators.cache import never_cache
from horizon import exceptions

from dcos_dashboard import commands
from dcos_dashboard.panels.policy import PolicyRequiredMixin


class CommandWizardMixin:
    """For a create WorkflowView: show the command under the wizard's steps.

    The workflow names its endpoint in ``command_url`` (a view name).
    """

    template_name = "dcos_dashboard/_workflow_command_page.html"
    ajax_template_name = "dcos_dashboard/_workflow_command.html"


def still_wrong(workflow):
    """A sentence naming the fields still missing or wrong, step by step.

    Only field labels and step names: an error message may quote what was
    typed, and what was typed may be a secret.
    """
    places = []
    for step in workflow.steps:
        for field in step.action.errors:
            if field == NON_FIELD_ERRORS or field not in step.action.fields:
                label = step.name
            else:
                label = step.action.fields[field].label or field
            places.append(
                gettext("%(field)s (step %(step)s)")
                % {"field": label, "step": step.name}
            )
    if not places:
        return gettext("Complete the wizard to see its command.")
    return gettext("Still missing or wrong: %(fields)s.") % {
        "fields": ", ".join(places)
    }


@method_decorator(never_cache, name="dispatch")
class CommandPreviewView(PolicyRequiredMixin, generic.View):
    """POST the wizard's form; answer {"command": line[, "secrets": note]}
    or {"missing": sentence}.

    Subclasses give ``workflow_class`` (whose ``command()`` builds the line
    from its validated context), ``policy_rules`` (those of the create
    view) and ``context_seed``. CSRF is checked as for any POST; GET is not
    allowed.
    """

    http_method_names = ["post"]
    workflow_class = None
    context_seed = {}

    def post(self, request, *args, **kwargs):
        workflow = self.workflow_class(
            request, context_seed=dict(self.context_seed), entry_point=None
        )
        try:
            valid = workflow.is_valid()
        except exceptions.WorkflowValidationError:
            valid = False
        if not valid:
            return JsonResponse({"missing": still_wrong(workflow)})
        line = workflow.command()
        answer = {"command": line}
        if commands.SECRET_PLACEHOLDER in line:
            answer["secrets"] = gettext(
                "Secret label values are not shown: replace %(placeholder)s "
                "with each one before you run the command."
            ) % {"placeholder": commands.SECRET_PLACEHOLDER}
        return JsonResponse(answer)
