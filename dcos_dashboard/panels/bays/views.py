"""Views of the Bays panel: table, create wizard, scale form, detail tabs,
health badge, a DC/OS component's page.

Only the health view, the Nodes and Components tabs (loaded by ajax) and a
component's page ask a Mesos master or Admin Router; everything else reads
Magnum and, at most, the shared health cache.
"""

import math
import re

from django.http import Http404, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views import generic
from django.views.decorators.cache import never_cache
from horizon import forms, tables
from horizon import views as horizon_views
from horizon.utils import memoized

from dcos_dashboard import commands, config, health
from dcos_dashboard.api import magnum, mesos
from dcos_dashboard.panels import create, errors, preview
from dcos_dashboard.panels.bays import coe_trust, records
from dcos_dashboard.panels.bays import forms as bays_forms
from dcos_dashboard.panels.bays import tables as bays_tables
from dcos_dashboard.panels.bays import tabs as bays_tabs
from dcos_dashboard.panels.bays import workflows as bays_workflows
from dcos_dashboard.panels.bounded import BoundedCallsMixin
from dcos_dashboard.panels.detail import MagnumDetailView
from dcos_dashboard.panels.policy import PolicyRequiredMixin

INDEX_URL = "horizon:project:dcos_bays:index"


class IndexView(
    records.KeepsPendingMixin,
    BoundedCallsMixin,
    tables.PagedTableMixin,
    tables.DataTableView,
):
    table_class = bays_tables.BaysTable
    template_name = "project/dcos_bays/index.html"
    page_title = _("Bays")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["summary"] = bays_tables.bays_summary(context["table"].data)
        return context

    def get_data(self):
        request = self.request
        meta = self.table_class._meta
        marker = request.GET.get(meta.pagination_param)
        prev_marker = request.GET.get(meta.prev_pagination_param)
        size = config.get("PAGE_SIZE")
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
            fields = records.fields_of(template)
            by_id[fields.get("uuid")] = fields

        rows = [
            records.Bay(c, by_id.get(records.fields_of(c).get("cluster_template_id")))
            for c in clusters
        ]
        listed = {row.id for row in rows}
        pending = records.pending_bays(request)
        records.forget_pending(request, listed)
        if not marker and not prev_marker:
            waiting = [
                records.pending_bay(
                    uuid, info, by_id.get(info.get("cluster_template_id"))
                )
                for uuid, info in pending.items()
                if uuid not in listed
            ]
            rows = waiting + rows
        coe_trust.tell_badges(rows)
        return rows


class CreateView(records.KeepsPendingMixin, create.CreateWizardView):
    workflow_class = bays_workflows.CreateBay
    policy_rules = ((magnum.SERVICE_TYPE, "cluster:create"),)
    page_title = _("Create Bay")
    source_param = "again"
    index_url = INDEX_URL

    def request_initial(self):
        initial = super().request_initial()
        baymodel = self.request.GET.get("baymodel")
        if baymodel:
            initial["cluster_template_id"] = baymodel
        return initial

    def stored_initial(self, source_id):
        cluster = magnum.cluster_get(self.request, source_id)
        return bays_workflows.again_initial(records.fields_of(cluster))


class ScaleView(BoundedCallsMixin, PolicyRequiredMixin, forms.ModalFormView):
    form_class = bays_forms.ScaleForm
    policy_rules = ((magnum.SERVICE_TYPE, "cluster:update"),)
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
        return records.Bay(cluster)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["bay"] = self.get_object()
        context["submit_url"] = reverse(self.submit_url, args=[self.kwargs["bay_id"]])
        # js/dcos_commands.js puts the typed count between the two parts.
        context["scale_command"] = commands.cluster_scale_parts(context["bay"].id)
        return context

    def get_initial(self):
        bay = self.get_object()
        return {
            "bay_id": bay.id,
            "name": bay.name,
            "current_node_count": bay.node_count,
            "node_count": bay.node_count,
        }


class DetailView(records.KeepsPendingMixin, MagnumDetailView):
    tab_group_class = bays_tabs.BayDetailTabs
    policy_rules = ((magnum.SERVICE_TYPE, "cluster:get"),)
    page_title = "{{ bay.name|default:bay.id }}"
    index_url = INDEX_URL
    context_name = "bay"
    table_class = bays_tables.BaysTable

    def fetch(self):
        return records.get_bay(self.request, self.kwargs["bay_id"])

    def get_tabs(self, request, **kwargs):
        if self._tab_group is None:
            self._tab_group = self.tab_group_class(
                request, bay=self.get_data(), **kwargs
            )
        return self._tab_group


@method_decorator(never_cache, name="dispatch")
class HealthView(BoundedCallsMixin, PolicyRequiredMixin, generic.View):
    """The Health badge of one bay, for the table's slot (js/dcos_bays.js).

    The one place the table's page leads to a Mesos call: each badge is
    fetched after the page has rendered, and mesos.bay_health is bounded by
    its timeouts and shared by every user for HEALTH_CACHE_SECONDS.
    """

    policy_rules = ((magnum.SERVICE_TYPE, "cluster:get"),)

    def get(self, request, bay_id):
        context = {}
        try:
            bay = self._bay(request, bay_id)
        except magnum.MagnumError as e:
            context["reason"] = e.message
        else:
            if bay.coe not in (mesos.DCOS, mesos.MESOS):
                context["reason"] = _(
                    "This bay is not a DC/OS or Mesos bay: its health is not read here."
                )
            elif bay.target is None:
                context["reason"] = _(
                    "Magnum has not reported an address for this bay."
                )
            else:
                context["health"] = mesos.bay_health(bay.target, nodes=False)
                # A stale answer asks again (js/dcos_bays.js), here.
                context["url"] = request.path
        return HttpResponse(
            render_to_string("project/dcos_bays/_health_cell.html", context, request)
        )

    @staticmethod
    def _bay(request, bay_id):
        """The bay, its addresses and its COE as Magnum reports them.

        Nothing in the request picks the paths asked or the credentials
        sent: the COE is the Bay Model's (coe_trust caches it per model).
        """
        fields = records.fields_of(magnum.cluster_get(request, bay_id))
        template_id = fields.get("cluster_template_id")
        coe = coe_trust.coe_of(request, template_id)
        return records.Bay(fields, {"uuid": template_id, "coe": coe})


COMPONENT_NODES_SHOWN = 500


@method_decorator(never_cache, name="dispatch")
class ComponentView(
    BoundedCallsMixin, PolicyRequiredMixin, horizon_views.HorizonTemplateView
):
    """One DC/OS component of a bay: the nodes that run it, unhealthy first.

    The unit id comes from the URL: it is asked only when it is a unit name
    and one of the components the bay's own (cached) answer lists; the
    nodes are one request, made here on demand, never per row of the
    Components tab (mesos.unit_nodes caches it like a bay's health).
    """

    template_name = "project/dcos_bays/component.html"
    policy_rules = ((magnum.SERVICE_TYPE, "cluster:get"),)

    def get_context_data(self, **kwargs):
        unit_id = kwargs["unit_id"]
        if not bays_tabs.UNIT_ID.match(unit_id):
            raise Http404
        try:
            bay = HealthView._bay(self.request, kwargs["bay_id"])
        except magnum.MagnumError as e:
            errors.show(self.request, e, redirect=reverse(INDEX_URL))
        if bay.coe != mesos.DCOS:
            raise Http404
        context = super().get_context_data(**kwargs)
        detail = reverse("horizon:project:dcos_bays:detail", args=[bay.id])
        tabs = bays_tabs.BayDetailTabs
        context.update(
            {
                "bay": bay,
                "unit_id": unit_id,
                "page_title": unit_id,
                "back_url": detail
                + "?"
                + urlencode({tabs.param_name: f"{tabs.slug}__components"}),
                "cache_seconds": config.get("HEALTH_CACHE_SECONDS"),
            }
        )
        if bay.target is None:
            return context
        overview = mesos.bay_health(bay.target, nodes=False)
        context["health"] = overview
        if overview.auth_required or overview.overall in (
            health.UNREACHABLE,
            health.UNKNOWN,
        ):
            context["failed"] = True
            return context
        if not overview.components:
            return context
        component = next((c for c in overview.components if c.id == unit_id), None)
        if component is None:
            raise Http404
        answer = mesos.unit_nodes(bay.target, unit_id)
        context.update(
            {
                "component": component,
                "page_title": component.name,
                "answer": answer,
                # An agent unit of a 10,000-agent bay lists every agent: the
                # page shows the first ones, unhealthy first, and says so.
                "shown": answer.nodes[:COMPONENT_NODES_SHOWN],
                "not_shown": max(0, len(answer.nodes) - COMPONENT_NODES_SHOWN),
                "unhealthy_count": sum(
                    1 for n in answer.nodes if n.state == health.UNHEALTHY
                ),
            }
        )
        return context


_UUID = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")


@method_decorator(never_cache, name="dispatch")
class HealthBatchView(PolicyRequiredMixin, generic.View):
    """The Health cells of one page of the Bays table, in one answer.

    ``?bay=<uuid>&bay=...`` with the page's ``marker`` or ``prev_marker``:
    one Magnum list of that page (Magnum lists only the project's bays, so
    another project's id finds nothing), COEs from coe_trust, and the
    masters' answers as far as they are in after HEALTH_BATCH_WAIT (a
    silent master would otherwise hold every cell of the page); a bay
    still being fetched answers "checking" and is asked again, its fetch
    running on in the background into the shared cache. JSON:
    ``{uuid: cell html}``; ids Magnum did not list are left out.
    """

    policy_rules = ((magnum.SERVICE_TYPE, "cluster:get"),)

    def get(self, request):
        limit = int(config.get("PAGE_SIZE"))
        wanted = list(dict.fromkeys(request.GET.getlist("bay")))[: 2 * limit]
        wanted = [uuid for uuid in wanted if _UUID.match(uuid)]
        if not wanted:
            return JsonResponse({})
        try:
            bays_by_id = self._page(request, limit)
        except magnum.MagnumError as e:
            cell = render_to_string(
                "project/dcos_bays/_health_cell.html", {"reason": e.message}, request
            )
            return JsonResponse(dict.fromkeys(wanted, cell))
        coes, cells, targets = {}, {}, []
        for uuid in wanted:
            fields = bays_by_id.get(uuid)
            if fields is None:
                continue
            template_id = fields.get("cluster_template_id")
            if template_id not in coes:
                try:
                    coes[template_id] = coe_trust.coe_of(request, template_id)
                except magnum.MagnumError:
                    coes[template_id] = None
            bay = records.Bay(fields, {"uuid": template_id, "coe": coes[template_id]})
            if bay.target is None:
                cells[uuid] = {
                    "reason": _("Magnum has not reported an address for this bay.")
                    if bay.coe in (mesos.DCOS, mesos.MESOS)
                    else _(
                        "This bay is not a DC/OS or Mesos bay: its health is not"
                        " read here."
                    )
                }
            else:
                targets.append(bay.target)
        answers = mesos.bays_health(
            targets, nodes=False, wait=float(config.get("HEALTH_BATCH_WAIT"))
        )
        batch = reverse("horizon:project:dcos_bays:health_batch")
        # How long the page asks again: a waiter may outlive the holder's
        # lease and then fetch itself, each within one fetch's time.
        patience = math.ceil(2 * mesos.fetch_seconds())
        for target in targets:
            # Not in yet: "checking", asked again like a stale answer.
            cells[target.uuid] = {
                "health": answers.get(target.uuid),
                "url": reverse("horizon:project:dcos_bays:health", args=[target.uuid]),
                "later": True,
                "batch": batch,
                "bay": target.uuid,
                "patience": patience,
            }
        return JsonResponse(
            {
                uuid: render_to_string(
                    "project/dcos_bays/_health_cell.html", context, request
                )
                for uuid, context in cells.items()
            }
        )

    @staticmethod
    def _page(request, limit):
        """uuid -> fields of the page of bays the table shows."""
        marker = request.GET.get("marker") or None
        prev_marker = request.GET.get("prev_marker") or None
        if prev_marker:
            clusters, _more = magnum.cluster_list(
                request, limit=limit, marker=prev_marker, sort_dir="desc"
            )
        else:
            clusters, _more = magnum.cluster_list(request, limit=limit, marker=marker)
        by_id = {}
        for cluster in clusters:
            fields = records.fields_of(cluster)
            by_id[fields.get("uuid")] = fields
        return by_id


class CreateCommandView(BoundedCallsMixin, preview.CommandPreviewView):
    """The Create wizard's equivalent command (never creates anything)."""

    workflow_class = bays_workflows.CreateBay
    policy_rules = CreateView.policy_rules
    context_seed = {"again": None}
