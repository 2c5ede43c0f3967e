"""How the panels show a failed call: one message, or beside its field in a wizard."""

import logging

from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.forms.boundfield import BoundField
from horizon import exceptions, forms, messages
from openstack import exceptions as sdk_exceptions

LOG = logging.getLogger(__name__)


class HorizonBoundField(BoundField):
    """A field as Horizon's form templates render it.

    Django 5.2 points ``aria-describedby`` at ``<id>_helptext`` and
    ``<id>_error``; Horizon's ``_form_field.html`` gives neither element an
    id (help is a tooltip, errors a plain span), so the reference led
    nowhere. ``aria-invalid`` still marks a field in error.
    """

    @property
    def aria_describedby(self):
        return None


class HorizonFieldsMixin:
    """For forms and workflow actions: see HorizonBoundField."""

    bound_field_class = HorizonBoundField


def show(request, error, **kwargs):
    """Horizon's error message for a ``MagnumError`` (or an ``OpenStackError``).

    Its ``message`` is already the user's sentence: ``details=""`` stops
    Horizon appending the same text a second time. ``kwargs`` go to
    ``exceptions.handle`` (``redirect``, ``escalate``). A sentence the user
    is about to read already is not queued again: a detail page that fails
    sends the user to its index, which may fail the same way (Magnum down),
    and the page said it twice.
    """
    # Not a 401: Horizon's handling of that one (log in again) must run.
    if getattr(error, "status", None) != 401 and _pending(request, error.message):
        kwargs["ignore"] = True
    return exceptions.handle(request, error.message, details="", **kwargs)


def _pending(request, text) -> bool:
    """Whether ``text`` is among the error messages this response will show:
    those from the last response not shown yet and those added during this
    one (Django's storage compares a message's level and text, and marks
    none as seen)."""
    storage = getattr(request, "_messages", None)
    if storage is None:
        return False
    return Message(constants.ERROR, str(text)) in storage


def read(request, message, call, *args, default=(), **kwargs):
    """``call(request, ...)`` of Horizon's api layer, or ``default`` and ``message``.

    For a wizard's choices: a read that fails leaves its field empty and
    says so on the page. Horizon counts every openstacksdk ``HttpException``
    as "unauthorized" and answers with its 403 page, but Nova answers 503
    when Keystone is down behind it: only a 401 is a login to renew, any
    other status is a service that failed, and is said as such.
    """
    try:
        return call(request, *args, **kwargs)
    except sdk_exceptions.HttpException as error:
        if error.status_code == 401:
            exceptions.handle(request, message)  # raises: log in again
        LOG.warning("%s %s", message, error)
        messages.error(request, f"{message} {error}")
    except Exception:  # noqa: BLE001 - Horizon's handle sorts every client's errors
        exceptions.handle(request, message)
    return default


def beside(step, *fields, **renamed):
    """``places`` for ``place``: Magnum's ``fields`` on the wizard's ``step``
    under the same name, and ``renamed`` ones (Magnum's=the form's)."""
    found = {field: (step, field) for field in fields}
    found.update((field, (step, name)) for field, name in renamed.items())
    return found


def place(workflow, error, places):
    """Put a ``MagnumError`` beside its field in a wizard, and show it again.

    ``places`` maps Magnum's field to (step slug, form field). An error
    without a known place goes atop the last step. The wizard then opens on
    the step that holds the error (Horizon opens on the first step with
    errors), with everything typed kept: ``WorkflowView.post`` renders the
    same workflow again on the ValidationError raised here.
    """
    slug, name = places.get(error.field, (None, None))
    step = workflow.get_step(slug) if slug else None
    if step is None or name not in step.action.fields:
        step, name = workflow.steps[-1], None
    step.action.add_error(name, error.message)
    step.has_errors = True
    raise forms.ValidationError(error.message)


class StepsFirstMixin:
    """For workflow views: every step is built before the page renders.

    Horizon builds a step's action (and reads its choices from Glance, Nova,
    Neutron or Magnum) only when the template reaches it, after the page's
    messages were drawn: a failed read then said so one page late. Built
    here, its message is on this page.
    """

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for step in context["workflow"].steps:
            step.action  # noqa: B018 - built for its side effect
        return context
