"""The Bays table."""

from django.utils.translation import gettext_lazy as _
from horizon import tables


class BaysTable(tables.DataTable):
    name = tables.Column("name", verbose_name=_("Name"))

    class Meta:
        name = "bays"
        verbose_name = _("Bays")
