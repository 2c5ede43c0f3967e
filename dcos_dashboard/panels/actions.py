"""Table actions both panels share."""

from django.urls import reverse
from django.utils.http import urlencode
from horizon import tables
from horizon.tables.actions import BaseAction
from horizon.utils import settings as horizon_settings

from dcos_dashboard.api import magnum
from dcos_dashboard.panels import errors


class PolicyOnceARequest(BaseAction):
    """Ask Horizon's policy once a request for an action's rules, not once a row.

    Listed last among an action's bases, so that it stands in for
    BaseAction's own check only (a batch action's checks before it stay).
    The rules of the plugin's actions take no target from the row (Horizon's
    default ``get_policy_target``), so every row gets the same answer: a page
    of 20 bays asked policy 60 times for three rules. An action that does
    read its row for the target is asked for each row, as Horizon does.
    """

    def _allowed(self, request, datum):
        check = horizon_settings.import_setting("POLICY_CHECK_FUNCTION")
        per_row = type(self).get_policy_target is not BaseAction.get_policy_target
        if not check or not self.policy_rules or per_row:
            return super()._allowed(request, datum)
        answers = request.__dict__.setdefault("_dcos_dashboard_policy", {})
        key = (check, tuple(tuple(rule) for rule in self.policy_rules))
        if key not in answers:
            answers[key] = bool(check(self.policy_rules, request, {}))
        return answers[key] and self.allowed(request, datum)


class MagnumDeleteAction(tables.DeleteAction):
    """Delete through api.magnum, the one way both tables delete.

    Magnum's reason ("still used by bays ...", "refused for your role ...")
    shows as its own message; the error then goes on to Horizon's batch,
    which names what it could not delete beside what it did.
    """

    def magnum_delete(self, request, obj_id):
        raise NotImplementedError

    def delete(self, request, obj_id):
        try:
            self.magnum_delete(request, obj_id)
        except magnum.MagnumError as e:
            errors.show(request, e)
            raise


class ModalLinkAction(tables.LinkAction):
    """A button that opens one of the panels' forms in Horizon's modal.

    A row's id goes in the URL's path, as Horizon's LinkAction puts it, or,
    for a form that starts from that row (a copy, a failed bay created
    again, a bay of this model), as the ``query`` parameter.
    """

    classes = ("ajax-modal",)
    query = None

    def get_link_url(self, datum=None):
        if self.query is None or datum is None:
            return super().get_link_url(datum)
        row = urlencode({self.query: self.table.get_object_id(datum)})
        return f"{reverse(self.url)}?{row}"
