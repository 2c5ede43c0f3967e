"""The Bay Models table."""

from django.utils.translation import gettext_lazy as _
from horizon import tables


class BayModelsTable(tables.DataTable):
    name = tables.Column("name", verbose_name=_("Name"))

    class Meta:
        name = "baymodels"
        verbose_name = _("Bay Models")
