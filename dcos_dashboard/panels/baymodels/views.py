"""Views of the Bay Models panel: list, create wizard, edit, detail."""

import logging

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from horizon import tables, workflows
from horizon.views import PageTitleMixin
from openstack_dashboard.api import glance

from dcos_dashboard import config
from dcos_dashboard.api import magnum
from dcos_dashboard.panels import create, errors, preview
from dcos_dashboard.panels.baymodels import tables as baymodels_tables
from dcos_dashboard.panels.baymodels import tabs as baymodels_tabs
from dcos_dashboard.panels.baymodels import workflows as baymodels_workflows
from dcos_dashboard.panels.bounded import BoundedCallsMixin
from dcos_dashboard.panels.detail import MagnumDetailView
from dcos_dashboard.panels.policy import PolicyRequiredMixin

LOG = logging.getLogger(__name__)
INDEX_URL = "horizon:project:dcos_baymodels:index"


class IndexView(BoundedCallsMixin, tables.DataTableView):
    table_class = baymodels_tables.BayModelsTable
    page_title = _("Bay Models")

    def has_more_data(self, table):
        return self._more

    def get_data(self):
        models = self._models()
        if models:
            _name_images(self.request, models)
        return models

    def _models(self):
        """One page of models, by default only those of the COEs we serve.

        Filtering happens after Magnum's paging, so a page may take more
        than one call; the next page starts after the last model shown.
        """
        self._more = False
        page_size = config.get("PAGE_SIZE")
        wanted = None
        if not baymodels_tables.showing_all(self.request):
            wanted = set(config.get("COES"))
        marker = self.request.GET.get(self.table_class._meta.pagination_param)
        shown = []
        try:
            while True:
                items, has_more = magnum.cluster_template_list(
                    self.request, limit=page_size, marker=marker
                )
                for item in items:
                    if wanted is not None and item.coe not in wanted:
                        continue
                    if len(shown) == page_size:
                        self._more = True
                        return shown
                    shown.append(item)
                if len(shown) == page_size or not has_more or not items:
                    # A full page stops here: Magnum's has_more says whether
                    # a next page may exist (it may hold only other COEs).
                    self._more = has_more
                    return shown
                marker = items[-1].uuid
        except magnum.MagnumError as e:
            errors.show(self.request, e)
            return shown


def _name_images(request, models):
    """Show images by name: one Glance list for the page, never one per row.

    Magnum keeps the image as given (the wizard gives the id); when Glance
    cannot be read the id is shown instead.
    """
    try:
        images, _more, _prev = glance.image_list_detailed(request)
    except Exception:  # noqa: BLE001 - names are a nicety; the list must show
        LOG.warning("Glance image list failed; showing image ids", exc_info=True)
        return
    names = {image.id: image.name for image in images if image.name}
    for model in models:
        model.image_name = names.get(model.image_id, model.image_id)


class CreateView(create.CreateWizardView):
    workflow_class = baymodels_workflows.CreateBayModel
    page_title = _("Create Bay Model")
    policy_rules = ((magnum.SERVICE_TYPE, "cluster_template:create"),)
    source_param = "copy"
    index_url = INDEX_URL

    def stored_initial(self, source_id):
        return baymodels_workflows.copy_initial(
            magnum.cluster_template_get(self.request, source_id)
        )


class UpdateView(
    BoundedCallsMixin,
    PageTitleMixin,
    PolicyRequiredMixin,
    errors.StepsFirstMixin,
    workflows.WorkflowView,
):
    workflow_class = baymodels_workflows.UpdateBayModel
    page_title = _("Edit Bay Model")
    policy_rules = ((magnum.SERVICE_TYPE, "cluster_template:update"),)

    def get_initial(self):
        # The stored model, never the request, seeds the edit: the COE the
        # Labels step validates against comes from here.
        try:
            baymodel = magnum.cluster_template_get(
                self.request, self.kwargs["baymodel_id"]
            )
        except magnum.MagnumError as e:
            errors.show(self.request, e, redirect=reverse(INDEX_URL))
        initial = {
            key: getattr(baymodel, key, None)
            for key in baymodels_workflows.TEMPLATE_FIELDS
            if key != "labels"
        }
        initial["baymodel_id"] = baymodel.uuid
        initial["baymodel"] = baymodel
        return initial


class DetailView(MagnumDetailView):
    tab_group_class = baymodels_tabs.BayModelDetailTabs
    policy_rules = ((magnum.SERVICE_TYPE, "cluster_template:get"),)
    page_title = "{{ baymodel.name|default:baymodel.uuid }}"
    index_url = INDEX_URL
    context_name = "baymodel"
    table_class = baymodels_tables.BayModelsTable

    def fetch(self):
        return magnum.cluster_template_get(self.request, self.kwargs["baymodel_id"])

    def get_tabs(self, request, *args, **kwargs):
        return self.tab_group_class(request, baymodel=self.get_data(), **kwargs)


class CreateCommandView(BoundedCallsMixin, preview.CommandPreviewView):
    """The Create wizard's equivalent command (never creates anything)."""

    workflow_class = baymodels_workflows.CreateBayModel
    policy_rules = CreateView.policy_rules
    context_seed = {"copy": None}
