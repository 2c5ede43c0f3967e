"""The Bay Models table, its actions, and the Bays-of-a-model table."""

from django.template.defaultfilters import yesno
from django.urls import NoReverseMatch, reverse
from django.utils.functional import lazy
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from horizon import tables

from dcos_dashboard import labels as labels_lib
from dcos_dashboard.api import magnum
from dcos_dashboard.panels import actions

SHOW_ALL_PARAM = "all"
_LABELS_SHOWN = 3  # pairs in the table cell; the detail page shows them all


def shown_labels(baymodel):
    """(key, value) pairs of a model's labels with every secret masked."""
    coe = getattr(baymodel, "coe", None)
    return [
        (
            key,
            labels_lib.mask_secret(value) if labels_lib.is_secret(coe, key) else value,
        )
        for key, value in (getattr(baymodel, "labels", None) or {}).items()
    ]


def labels_summary(baymodel):
    """A few ``key=value`` pairs, secrets masked, for the table cell."""
    pairs = [f"{key}={value}" for key, value in shown_labels(baymodel)]
    if len(pairs) > _LABELS_SHOWN:
        more = len(pairs) - _LABELS_SHOWN
        pairs = pairs[:_LABELS_SHOWN] + [
            ngettext("(%(n)d more)", "(%(n)d more)", more) % {"n": more}
        ]
    return ", ".join(str(p) for p in pairs) or "-"


def showing_all(request):
    return request.GET.get(SHOW_ALL_PARAM) == "1"


class CreateBayModel(actions.ModalLinkAction):
    name = "create"
    verbose_name = _("Create Bay Model")
    url = "horizon:project:dcos_baymodels:create"
    icon = "plus"
    policy_rules = ((magnum.SERVICE_TYPE, "cluster_template:create"),)


class CopyBayModel(CreateBayModel):
    """The Create wizard, filled in from this model (secrets left empty)."""

    name = "copy"
    verbose_name = _("Copy Bay Model")
    query = "copy"
    icon = "files-o"


class EditBayModel(actions.ModalLinkAction):
    name = "update"
    verbose_name = _("Edit Bay Model")
    url = "horizon:project:dcos_baymodels:update"
    icon = "pencil"
    policy_rules = ((magnum.SERVICE_TYPE, "cluster_template:update"),)


class CreateBay(tables.LinkAction):
    """Opens the Bays panel's wizard with this model chosen."""

    name = "create_bay"
    verbose_name = _("Create Bay")
    classes = ("ajax-modal", "btn-launch")
    icon = "cloud-upload"
    policy_rules = ((magnum.SERVICE_TYPE, "cluster:create"),)

    @staticmethod
    def _create_url():
        # The Bays panel owns this URL; without it there is no button.
        try:
            return reverse("horizon:project:dcos_bays:create")
        except NoReverseMatch:
            return None

    def allowed(self, request, baymodel=None):
        return self._create_url() is not None

    def get_link_url(self, datum=None):
        query = urlencode({"baymodel": self.table.get_object_id(datum)})
        return f"{self._create_url()}?{query}"


# Made once, as the Bays table's (panels/bays/tables.py says why).
_DELETE_MODEL = lazy(
    lambda count: ngettext("Delete Bay Model", "Delete Bay Models", count), str
)
_DELETED_MODEL = lazy(
    lambda count: ngettext("Deleted Bay Model", "Deleted Bay Models", count), str
)


class DeleteBayModel(actions.MagnumDeleteAction):
    policy_rules = ((magnum.SERVICE_TYPE, "cluster_template:delete"),)
    help_text = _(
        "Magnum keeps a bay model while a bay uses it. Deleting cannot be undone."
    )

    @staticmethod
    def action_present(count):
        return _DELETE_MODEL(count)

    @staticmethod
    def action_past(count):
        return _DELETED_MODEL(count)

    def magnum_delete(self, request, obj_id):
        magnum.cluster_template_delete(request, obj_id)


class ToggleAllCoes(tables.LinkAction):
    """Shows every template of the project, not only the DC/OS and Mesos ones."""

    name = "toggle_all"
    verbose_name = _("Show all COEs")

    def allowed(self, request, datum=None):
        self.verbose_name = (
            _("Show DC/OS and Mesos only")
            if showing_all(request)
            else _("Show all COEs")
        )
        return True

    def get_link_url(self, datum=None):
        index = reverse("horizon:project:dcos_baymodels:index")
        if showing_all(self.table.request):
            return index
        return f"{index}?{SHOW_ALL_PARAM}=1"


def image_label(baymodel):
    return getattr(baymodel, "image_name", None) or baymodel.image_id


class BayModelFilter(tables.FilterAction):
    def filter(self, table, baymodels, filter_string):
        query = filter_string.lower()
        return [bm for bm in baymodels if query in (bm.name or "").lower()]


class BayModelsTable(tables.DataTable):
    name = tables.WrappingColumn(
        "name",
        verbose_name=_("Name"),
        link="horizon:project:dcos_baymodels:detail",
    )
    coe = tables.Column("coe", verbose_name=_("COE"))
    image = tables.Column(image_label, verbose_name=_("Image"))
    flavor = tables.Column("flavor_id", verbose_name=_("Flavor"))
    master_lb = tables.Column(
        "master_lb_enabled",
        verbose_name=_("Master LB"),
        filters=(yesno,),
    )
    public = tables.Column("public", verbose_name=_("Public"), filters=(yesno,))
    labels = tables.Column(labels_summary, verbose_name=_("Labels"))

    def get_object_id(self, datum):
        return datum.uuid

    def get_object_display(self, datum):
        return datum.name or datum.uuid

    def get_pagination_string(self):
        # Keep "show all COEs" on the next page.
        string = super().get_pagination_string()
        if showing_all(self.request):
            string += f"&{SHOW_ALL_PARAM}=1"
        return string

    class Meta:
        name = "baymodels"
        verbose_name = _("Bay Models")
        table_actions = (
            BayModelFilter,
            ToggleAllCoes,
            CreateBayModel,
            DeleteBayModel,
        )
        row_actions = (CreateBay, EditBayModel, CopyBayModel, DeleteBayModel)


class BaysOfModelTable(tables.DataTable):
    """The bays built from one model (on its detail page)."""

    name = tables.WrappingColumn("name", verbose_name=_("Name"))
    status = tables.Column("status", verbose_name=_("Status"))
    node_count = tables.Column("node_count", verbose_name=_("Nodes"))
    master_count = tables.Column("master_count", verbose_name=_("Masters"))

    def get_object_id(self, datum):
        return datum.uuid

    class Meta:
        name = "bays"
        verbose_name = _("Bays")
