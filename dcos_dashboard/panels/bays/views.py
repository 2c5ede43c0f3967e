"""Views of the Bays panel: table, create wizard, scale form, detail tabs, health badge.

Only the health view and the Nodes tab (loaded by ajax) ask a Mesos master;
everything else reads Magnum and, at most, the shared health cache.
"""

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import generic
from django.views.decorators.cache import never_cache
from horizon import forms, tables, tabs, workflows
from horizon.utils import memoized
from horizon.views import PageTitleMixin

from dcos_dashboard import conf
from dcos_dashboard.api import magnum, mesos
from dcos_dashboard.panels import errors
from dcos_dashboard.panels.bays import bay as bays
from dcos_dashboard.panels.bays import forms as bays_forms
from dcos_dashboard.panels.bays import tables as bays_tables
from dcos_dashboard.panels.bays import tabs as bays_tabs
from dcos_dashboard.panels.bays import workflows as bays_workflows
from dcos_dashboard.panels.bounded import BoundedCallsMixin
from dcos_dashboard.panels.policy import PolicyRequiredMixin

INDEX_URL = "horizon:project:dcos_bays:index"
CONTAINER_INFRA = bays_tables.CONTAINER_INFRA


def get_bay(request, bay_id):
    """The bay with its Bay Model; a bay created moments ago may still 404."""
    try:
        cluster = magnum.cluster_get(request, bay_id)
    except magnum.MagnumError as e:
        info = bays.pending_bays(request).get(bay_id) if e.status == 404 else None
        if info is None:
            raise
        template = bays_tables.baymodel_or_none(
            request, info.get("cluster_template_id")
        )
        return bays.pending_bay(bay_id, info, template)
    fields = bays.fields_of(cluster)
    template = bays_tables.baymodel_or_none(request, fields.get("cluster_template_id"))
    return bays.Bay(fields, template)


class IndexView(BoundedCallsMixin, tables.PagedTableMixin, tables.DataTableView):
    table_class = bays_tables.BaysTable
    page_title = _("Bays")

    def get_data(self):
        request = self.request
        meta = self.table_class._meta
        marker = request.GET.get(meta.pagination_param)
        prev_marker = request.GET.get(meta.prev_pagination_param)
        size = conf.get("PAGE_SIZE")
        try:
            if prev_marker:
                # The page before: Magnum's order reversed from the marker.
                clusters, self._has_prev_data = magnum.cluster_list(
                    request, limit=size, marker=prev_marker, sort_dir="desc"
                )
                clusters.reverse()
                self._has_more_data = True
            else:
                clusters, self._has_more_data = magnum.cluster_list(
                    request, limit=size, marker=marker
                )
                self._has_prev_data = bool(marker)
        except magnum.MagnumError as e:
            errors.show(request, e)
            return []

        # One template list for the whole page, joined by id.
        try:
            templates, _more = magnum.cluster_template_list(request)
        except magnum.MagnumError as e:
            errors.show(request, e)
            templates = []
        by_id = {}
        for template in templates:
            fields = bays.fields_of(template)
            by_id[fields.get("uuid")] = fields

        rows = [
            bays.Bay(c, by_id.get(bays.fields_of(c).get("cluster_template_id")))
            for c in clusters
        ]
        listed = {row.id for row in rows}
        pending = bays.pending_bays(request)
        bays.forget_pending(request, listed)
        if not marker and not prev_marker:
            waiting = [
                bays.pending_bay(uuid, info, by_id.get(info.get("cluster_template_id")))
                for uuid, info in pending.items()
                if uuid not in listed
            ]
            rows = waiting + rows
        return rows


class CreateView(
    BoundedCallsMixin, PageTitleMixin, PolicyRequiredMixin, workflows.WorkflowView
):
    workflow_class = bays_workflows.CreateBay
    policy_rules = ((CONTAINER_INFRA, "cluster:create"),)
    page_title = _("Create Bay")

    def get_initial(self):
        initial = super().get_initial()
        baymodel = self.request.GET.get("baymodel")
        if baymodel:
            initial["cluster_template_id"] = baymodel
        return initial


class ScaleView(BoundedCallsMixin, PolicyRequiredMixin, forms.ModalFormView):
    form_class = bays_forms.ScaleForm
    policy_rules = ((CONTAINER_INFRA, "cluster:update"),)
    template_name = "project/dcos_bays/scale.html"
    modal_id = "scale_bay_modal"
    modal_header = _("Scale Bay")
    page_title = _("Scale Bay")
    submit_label = _("Scale")
    submit_url = "horizon:project:dcos_bays:scale"
    success_url = reverse_lazy(INDEX_URL)

    @memoized.memoized_method
    def get_object(self):
        try:
            cluster = magnum.cluster_get(self.request, self.kwargs["bay_id"])
        except magnum.MagnumError as e:
            errors.show(self.request, e, redirect=reverse(INDEX_URL))
        return bays.Bay(cluster)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["bay"] = self.get_object()
        context["submit_url"] = reverse(self.submit_url, args=[self.kwargs["bay_id"]])
        return context

    def get_initial(self):
        bay = self.get_object()
        return {
            "bay_id": bay.id,
            "name": bay.name,
            "current_node_count": bay.node_count,
            "node_count": bay.node_count,
        }


class DetailView(BoundedCallsMixin, PolicyRequiredMixin, tabs.TabbedTableView):
    tab_group_class = bays_tabs.BayDetailTabs
    policy_rules = ((CONTAINER_INFRA, "cluster:get"),)
    template_name = "horizon/common/_detail.html"
    page_title = "{{ bay.name|default:bay.id }}"

    @memoized.memoized_method
    def get_data(self):
        try:
            return get_bay(self.request, self.kwargs["bay_id"])
        except magnum.MagnumError as e:
            errors.show(self.request, e, redirect=reverse(INDEX_URL))

    def get_tabs(self, request, **kwargs):
        if self._tab_group is None:
            self._tab_group = self.tab_group_class(
                request, bay=self.get_data(), **kwargs
            )
        return self._tab_group

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bay = self.get_data()
        table = bays_tables.BaysTable(self.request)
        context["bay"] = bay
        context["url"] = reverse(INDEX_URL)
        context["actions"] = table.render_row_actions(bay)
        return context


@method_decorator(never_cache, name="dispatch")
class HealthView(BoundedCallsMixin, PolicyRequiredMixin, generic.View):
    """The Health badge of one bay, for the table's slot (js/dcos_bays.js).

    The one place the table's page leads to a Mesos call: each badge is
    fetched after the page has rendered, and mesos.bay_health is bounded by
    its timeouts and shared by every user for HEALTH_CACHE_SECONDS.
    """

    policy_rules = ((CONTAINER_INFRA, "cluster:get"),)

    def get(self, request, bay_id):
        context = {}
        try:
            bay = self._bay(request, bay_id)
        except magnum.MagnumError as e:
            context["reason"] = e.message
        else:
            if bay.target is None:
                context["reason"] = _(
                    "Magnum has not reported an address for this bay."
                )
            else:
                context["health"] = mesos.bay_health(bay.target, nodes=False)
        return HttpResponse(
            render_to_string("project/dcos_bays/_health_cell.html", context, request)
        )

    @staticmethod
    def _bay(request, bay_id):
        """The bay, its addresses read from Magnum; the COE from the row's hint.

        The table knows each bay's COE from its one template list, and puts
        it in the badge's URL: that spares a template read per badge. The
        hint only picks which paths to ask on the addresses Magnum reports.
        """
        coe = request.GET.get("coe")
        if coe in (mesos.DCOS, mesos.MESOS):
            cluster = magnum.cluster_get_or_none(request, bay_id)
            if cluster is not None:
                return bays.Bay(cluster, {"coe": coe})
        return get_bay(request, bay_id)
