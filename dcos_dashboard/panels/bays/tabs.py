"""Tabs of a bay's page: Overview (Magnum only) and Nodes (Mesos, loaded lazily)."""

from functools import cached_property

from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from horizon import tabs

from dcos_dashboard import conf, health, labels
from dcos_dashboard.api import magnum, mesos
from dcos_dashboard.panels.bays.tables import (
    COE_NAMES,
    STATUS_DISPLAY_CHOICES,
    NodeRow,
    NodesTable,
)

# A page of the Nodes table. A bay can have 10,000 agents: the server sorts
# them (those needing attention first) and renders one page; the browser
# sorts and filters within it.
NODES_PAGE_SIZE = 100
NODES_PAGE_PARAM = "nodes_page"

# Worst first, so the first page shows what needs attention.
_STATE_ORDER = {
    health.UNHEALTHY: 0,
    health.DISCONNECTED: 1,
    health.UNKNOWN: 2,
    health.DRAINING: 3,
    health.DRAINED: 4,
    health.DEACTIVATED: 5,
    health.HEALTHY: 6,
}

# Magnum's cluster fields in the order a person reads them (REFERENCE.md).
OVERVIEW_FIELDS = (
    ("name", _("Name")),
    ("uuid", _("ID")),
    ("status", _("Status")),
    ("status_reason", _("Status Reason")),
    ("faults", _("Faults")),
    ("cluster_template_id", _("Bay Model")),
    ("master_count", _("Master Count")),
    ("node_count", _("Node Count")),
    ("api_address", _("API Address")),
    ("master_addresses", _("Master Addresses")),
    ("node_addresses", _("Node Addresses")),
    ("discovery_url", _("Discovery URL")),
    ("keypair", _("Key Pair")),
    ("flavor_id", _("Node Flavor")),
    ("master_flavor_id", _("Master Flavor")),
    ("docker_volume_size", _("Docker Volume Size (GB)")),
    ("create_timeout", _("Creation Timeout (minutes)")),
    ("master_lb_enabled", _("Master Load Balancer")),
    ("floating_ip_enabled", _("Floating IPs")),
    ("fixed_network", _("Network")),
    ("fixed_subnet", _("Subnet")),
    ("labels", _("Labels")),
    ("labels_overridden", _("Labels Overridden")),
    ("labels_added", _("Labels Added")),
    ("labels_skipped", _("Labels Skipped")),
    ("health_status", _("Magnum Health Status")),
    ("health_status_reason", _("Magnum Health Status Reason")),
    ("coe_version", _("COE Version")),
    ("container_version", _("Container Version")),
    ("stack_id", _("Stack ID")),
    ("project_id", _("Project ID")),
    ("user_id", _("User ID")),
    ("created_at", _("Created")),
    ("updated_at", _("Updated")),
)
_LABEL_MAPS = ("labels", "labels_overridden", "labels_added", "labels_skipped")
# Magnum's own bookkeeping, not about the bay.
_NOT_SHOWN = frozenset(("links", "nodegroups"))


def _shown(value):
    if value is None or value == "":
        return None
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    return str(value)


def overview_rows(bay):
    """(label, kind, value) for every Magnum field of the bay, secrets masked."""
    fields = bay.fields
    rows = []
    for key, label in OVERVIEW_FIELDS:
        value = fields.get(key)
        if key == "status":
            rows.append((label, "text", dict(STATUS_DISPLAY_CHOICES).get(value, value)))
        elif key == "cluster_template_id":
            rows.append((label, "baymodel", value))
        elif key in _LABEL_MAPS:
            pairs = [
                (k, labels.mask_secret(v) if labels.is_secret(bay.coe, k) else v)
                for k, v in sorted((value or {}).items())
            ]
            rows.append((label, "pairs", pairs))
        elif isinstance(value, dict):
            rows.append((label, "pairs", sorted(value.items())))
        elif isinstance(value, list | tuple):
            rows.append((label, "list", [str(v) for v in value]))
        else:
            rows.append((label, "text", _shown(value)))
    known = {key for key, _label in OVERVIEW_FIELDS} | _NOT_SHOWN
    for key in sorted(set(fields) - known):
        value = fields[key]
        if isinstance(value, dict):
            rows.append((key, "pairs", sorted(value.items())))
        elif isinstance(value, list | tuple):
            rows.append((key, "list", [str(v) for v in value]))
        else:
            rows.append((key, "text", _shown(value)))
    return rows


def baymodel_url(template_id):
    """The Bay Models panel's page of one model, when that panel has one."""
    try:
        return reverse("horizon:project:dcos_baymodels:detail", args=[template_id])
    except NoReverseMatch:
        return None


_AUTH_PREFIX = "DC/OS authentication required:"


def auth_detail(reason):
    """The reason of an authentication failure, less what the box's title says."""
    reason = str(reason or "").strip()
    if reason.startswith(_AUTH_PREFIX):
        reason = reason[len(_AUTH_PREFIX) :].strip()
        reason = reason[:1].upper() + reason[1:]
    return reason


def baymodel_deleted(request, template_id):
    """Whether Magnum says the bay's model is gone (404), not merely unreadable."""
    if not template_id:
        return False
    try:
        magnum.cluster_template_get(request, template_id)
    except magnum.MagnumError as e:
        return e.status == 404
    return False


class OverviewTab(tabs.Tab):
    name = _("Overview")
    slug = "overview"
    template_name = "project/dcos_bays/_detail_overview.html"

    def get_context_data(self, request):
        bay = self.tab_group.kwargs["bay"]
        links = bay.links()
        deleted = bay.baymodel is None and baymodel_deleted(
            request, bay.cluster_template_id
        )
        return {
            "bay": bay,
            "rows": overview_rows(bay),
            "coe": COE_NAMES.get(bay.coe, bay.coe),
            "baymodel_url": None if deleted else baymodel_url(bay.cluster_template_id),
            "baymodel_deleted": deleted,
            "console_url": links.console if links else None,
        }


class NodesTab(tabs.TableTab):
    name = _("Nodes")
    slug = "nodes"
    table_classes = (NodesTable,)
    template_name = "project/dcos_bays/_detail_nodes.html"
    # Loaded by ajax when shown: the page never waits on a Mesos master.
    preload = False

    @cached_property
    def bay(self):
        return self.tab_group.kwargs["bay"]

    @cached_property
    def health(self):
        target = self.bay.target
        return mesos.bay_health(target) if target is not None else None

    @cached_property
    def page(self):
        try:
            page = int(self.request.GET.get(NODES_PAGE_PARAM, 1))
        except (TypeError, ValueError):
            page = 1
        return min(max(page, 1), self.page_count)

    @cached_property
    def page_count(self):
        nodes = len(self.health.nodes) if self.health else 0
        return max(1, -(-nodes // NODES_PAGE_SIZE))

    def page_url(self, page):
        return "?" + urlencode(
            {self.tab_group.param_name: self.get_id(), NODES_PAGE_PARAM: page}
        )

    def get_nodes_data(self):
        answer = self.health
        if answer is None:
            return []
        if not answer.gpus.total:
            self._tables["nodes"].columns.pop("gpus", None)
        ordered = sorted(
            enumerate(answer.nodes),
            key=lambda item: (_STATE_ORDER.get(item[1].state, 2), item[1].hostname),
        )
        start = (self.page - 1) * NODES_PAGE_SIZE
        links = self.bay.links(answer)
        return [
            NodeRow(
                index,
                node,
                links.node(node.agent_id) if links and node.agent_id else None,
            )
            for index, node in ordered[start : start + NODES_PAGE_SIZE]
        ]

    def get_context_data(self, request, **kwargs):
        context = super().get_context_data(request, **kwargs)
        answer = self.health
        context.update(
            {
                "bay": self.bay,
                "health": answer,
                "links": self.bay.links(answer) if answer is not None else None,
                "retry_url": self.page_url(self.page),
                "cache_seconds": conf.get("HEALTH_CACHE_SECONDS"),
            }
        )
        if answer is None:
            return context
        if answer.auth_required:
            context["auth_detail"] = auth_detail(answer.reason)
        usage = [
            (_("CPU"), answer.cpus, "cpus"),
            (_("Memory"), answer.mem, "mb"),
            (_("Disk"), answer.disk, "mb"),
        ]
        if answer.gpus.total:
            usage.append((_("GPU"), answer.gpus, "gpus"))
        counts = [
            (_("Healthy"), answer.healthy),
            (_("Unhealthy"), answer.unhealthy),
            (_("Disconnected"), answer.disconnected),
            (_("Deactivated"), answer.deactivated),
            (_("Draining"), answer.draining),
            (_("Drained"), answer.drained),
            (_("Unreachable"), answer.unreachable),
        ]
        if answer.unknown:
            counts.append((_("Unknown"), answer.unknown))
        total = len(answer.nodes)
        start = (self.page - 1) * NODES_PAGE_SIZE
        context.update(
            {
                "usage": usage,
                "counts": counts,
                "node_total": total,
                "page_first": start + 1 if total else 0,
                "page_last": min(start + NODES_PAGE_SIZE, total),
                "prev_url": self.page_url(self.page - 1) if self.page > 1 else None,
                "next_url": (
                    self.page_url(self.page + 1)
                    if self.page < self.page_count
                    else None
                ),
                "failed": answer.overall in (health.UNREACHABLE, health.UNKNOWN),
            }
        )
        return context


class BayDetailTabs(tabs.DetailTabsGroup):
    slug = "bay_details"
    tabs = (OverviewTab, NodesTab)
    sticky = True
