"""Table actions both panels share."""

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
