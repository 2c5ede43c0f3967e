"""Tabs of a Bay Model's detail page: Overview and the Bays built from it."""

from django.utils.translation import gettext_lazy as _
from horizon import tabs

from dcos_dashboard import commands, labels
from dcos_dashboard.api import magnum
from dcos_dashboard.panels import errors
from dcos_dashboard.panels.baymodels import tables as baymodels_tables
from dcos_dashboard.panels.bays.records import fields_of


def baymodel_commands(baymodel):
    """[(title, line)]: the `openstack` command that creates this model."""
    fields = fields_of(baymodel)
    line = commands.template_create(
        fields, lambda key: labels.is_secret(fields.get("coe"), key)
    )
    return [(_("Create this Bay Model again"), line)]


class OverviewTab(tabs.Tab):
    name = _("Overview")
    slug = "overview"
    template_name = "project/dcos_baymodels/_detail_overview.html"

    def get_context_data(self, request):
        baymodel = self.tab_group.kwargs["baymodel"]
        return {
            "baymodel": baymodel,
            "labels": baymodels_tables.shown_labels(baymodel),
            "commands": baymodel_commands(baymodel),
            "secret_placeholder": commands.SECRET_PLACEHOLDER,
        }


class BaysTab(tabs.TableTab):
    name = _("Bays")
    slug = "bays"
    table_classes = (baymodels_tables.BaysOfModelTable,)
    template_name = "horizon/common/_detail_table.html"
    preload = False

    def get_bays_data(self):
        baymodel = self.tab_group.kwargs["baymodel"]
        try:
            # Magnum cannot filter clusters by template: one list, filtered here.
            clusters, _more = magnum.cluster_list(self.request)
        except magnum.MagnumError as e:
            errors.show(self.request, e)
            return []
        return [c for c in clusters if c.cluster_template_id == baymodel.uuid]


class BayModelDetailTabs(tabs.DetailTabsGroup):
    slug = "baymodel_details"
    tabs = (OverviewTab, BaysTab)
