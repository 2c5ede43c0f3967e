"""Table actions both panels share."""

from django.urls import reverse
from django.utils.http import urlencode
from horizon import tables

from dcos_dashboard.api import magnum
from dcos_dashboard.panels import errors


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
