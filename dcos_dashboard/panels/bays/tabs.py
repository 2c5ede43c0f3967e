"""Tabs of a bay's page: Overview (Magnum only) and Nodes (Mesos, loaded lazily)."""

import re
from functools import cached_property

from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from horizon import tabs

from dcos_dashboard import commands, config, health, i18n, labels, nodes
from dcos_dashboard.api import magnum, mesos
from dcos_dashboard.panels.bays.tables import (
    NODE_STATES,
    STATUS_DISPLAY_CHOICES,
    NodeRow,
    NodesTable,
)

# A page of the Nodes table. A bay can have 10,000 agents: the server sorts
# them (those needing attention first) and renders one page; the browser
# sorts and filters within it.
NODES_PAGE_SIZE = 100
NODES_PAGE_PARAM = nodes.NodeQuery.PARAMS["page"]

_NO_FILTER = {
    "states": frozenset(),
    "diagnostics": frozenset(),
    "roles": frozenset(),
    "regions": frozenset(),
    "zones": frozenset(),
    "text": "",
    "page": 1,
}
SORT_CHOICES = (
    ("attention", _("Needing attention first")),
    ("hostname", _("Hostname")),
    ("ip", _("IP address")),
    ("state", _("State")),
    ("cpus", _("CPU use")),
    ("mem", _("Memory use")),
    ("disk", _("Disk use")),
    ("gpus", _("GPU use")),
    ("tasks", _("Running tasks")),
    ("registered", _("Registration time")),
    ("region", _("Region")),
    ("zone", _("Zone")),
)


def node_filter_choices(page, query):
    """What the filter form offers: (param, label, [(value, text, selected)])."""
    diagnostics = (
        ("healthy", _("Healthy")),
        ("unhealthy", _("Unhealthy")),
        ("unknown", _("Unknown")),
        ("none", _("Not reported")),
    )
    roles = ((nodes.PUBLIC, _("Public agents")), (nodes.PRIVATE, _("Private agents")))
    fields = [
        ("states", _("State"), [(s, NODE_STATES.get(s, s)) for s in nodes.STATES]),
        ("diagnostics", _("Diagnostics"), diagnostics),
        ("roles", _("Role"), roles),
    ]
    if page.regions:
        fields.append(("regions", _("Region"), [(r, r) for r in page.regions]))
    if page.zones:
        fields.append(("zones", _("Zone"), [(z, z) for z in page.zones]))
    return [
        (
            nodes.NodeQuery.PARAMS[field],
            label,
            [(value, text, value in getattr(query, field)) for value, text in values],
        )
        for field, label, values in fields
    ]


# Magnum's cluster fields in the order a person reads them
# (docs/reference.md#magnum-cluster-fields).
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


def bay_commands(bay, links):
    """[(title, line)]: create this bay again, scale it, attach the DC/OS CLI."""
    fields = dict(bay.fields)
    own = fields.get("labels_overridden"), fields.get("labels_added")
    if any(part is not None for part in own):
        # Magnum 23 says which labels are the bay's own: send only those,
        # merged into the model's, as the wizard does.
        fields["labels"] = {**(own[0] or {}), **(own[1] or {})}
        fields["merge_labels"] = True
    lines = []
    if fields.get("name") and fields.get("cluster_template_id"):
        line = commands.cluster_create(
            fields, lambda key: labels.is_secret(bay.coe, key)
        )
        lines.append((_("Create this bay again"), line))
    if fields.get("node_count") is not None:
        lines.append(
            (
                _("Scale this bay"),
                commands.cluster_scale(bay.id, fields["node_count"]),
            )
        )
    if links is not None and bay.coe == mesos.DCOS:
        lines.append((_("Set up the DC/OS CLI"), commands.dcos_setup(links.console)))
    return lines


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
            "coe": magnum.COE_NAMES.get(bay.coe, bay.coe),
            "baymodel_url": None if deleted else baymodel_url(bay.cluster_template_id),
            "baymodel_deleted": deleted,
            "console_url": links.console if links else None,
            "commands": bay_commands(bay, links),
            "secret_placeholder": commands.SECRET_PLACEHOLDER,
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
    def shown(self):
        """(health, nodes.NodesPage): the page asked for, of the bay's answer.

        The same page of the same answer, asked again on any worker, is read
        from the shared cache (a few rows), not made again from its nodes.
        """
        target = self.bay.target
        if target is None:
            return None, None
        name = f"nodes:{NODES_PAGE_SIZE}:{urlencode(self.query.params())}"
        kept = mesos.cached_derived(target, name)
        if kept is not None:
            return kept
        answer = mesos.bay_health(target)
        page = nodes.page_of(answer.nodes, self.query, NODES_PAGE_SIZE)
        mesos.keep_derived(target, answer, name, page)
        return answer, page

    @property
    def health(self):
        return self.shown[0]

    @cached_property
    def query(self):
        return nodes.NodeQuery.from_params(self.request.GET.getlist)

    @property
    def selection(self):
        return self.shown[1].selection

    def page_url(self, **changes):
        params = [(self.tab_group.param_name, self.get_id())]
        return "?" + urlencode(params + self.query.params(**changes))

    def get_nodes_data(self):
        answer = self.health
        if answer is None:
            return []
        table = self._tables["nodes"]
        if not answer.gpus.total:
            table.columns.pop("gpus", None)
        if not self.shown[1].fault_domains:
            table.columns.pop("region", None)
            table.columns.pop("zone", None)
        links = self.bay.links(answer)
        return [
            NodeRow(
                index,
                node,
                links.node(node.agent_id) if links and node.agent_id else None,
            )
            for index, node in self.selection.rows
        ]

    def get_context_data(self, request, **kwargs):
        context = super().get_context_data(request, **kwargs)
        answer = self.health
        context.update(
            {
                "bay": self.bay,
                "health": answer,
                "links": self.bay.links(answer) if answer is not None else None,
                "retry_url": self.page_url(),
                "cache_seconds": config.get("HEALTH_CACHE_SECONDS"),
            }
        )
        if answer is None:
            return context
        if answer.auth_required:
            context["auth_detail"] = auth_detail(i18n.translate(answer.reason))
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
        selection = self.selection
        query = self.query
        context.update(
            {
                "usage": usage,
                "counts": counts,
                "node_total": self.shown[1].node_total,
                "selection": selection,
                "query": query,
                "sort_choices": SORT_CHOICES,
                "tab_param": self.tab_group.param_name,
                "tab_id": self.get_id(),
                "filter": node_filter_choices(self.shown[1], query),
                "fault_domains": self.shown[1].fault_domains,
                "clear_url": self.page_url(**_NO_FILTER) if query.filtered else None,
                "prev_url": (
                    self.page_url(page=selection.page - 1)
                    if selection.page > 1
                    else None
                ),
                "next_url": (
                    self.page_url(page=selection.page + 1)
                    if selection.page < selection.page_count
                    else None
                ),
                "failed": answer.overall in (health.UNREACHABLE, health.UNKNOWN),
            }
        )
        return context


# A systemd unit name, as dcos-diagnostics lists DC/OS components: the only
# unit ids a component's page accepts from its URL (views.ComponentView).
UNIT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9@._-]{0,200}\.(?:service|socket|timer)$")


def component_url(bay_id: str, unit_id: str) -> str | None:
    """The page of one component's nodes; None for an id DC/OS should not give."""
    if not UNIT_ID.match(unit_id):
        return None
    return reverse("horizon:project:dcos_bays:component", args=[bay_id, unit_id])


class ComponentsTab(tabs.Tab):
    """DC/OS bays: each component's health (dcos-ui's System > Components)."""

    name = _("Components")
    slug = "components"
    template_name = "project/dcos_bays/_detail_components.html"
    preload = False

    def allowed(self, request):
        return self.tab_group.kwargs["bay"].coe == mesos.DCOS

    def get_context_data(self, request, **kwargs):
        bay = self.tab_group.kwargs["bay"]
        target = bay.target
        # The components are in the overview: a big bay's nodes are not read.
        answer = mesos.bay_health(target, nodes=False) if target is not None else None
        components = answer.components if answer is not None else ()
        healthy = sum(1 for c in components if c.state == health.HEALTHY)
        return {
            "bay": bay,
            "health": answer,
            "components": components,
            "rows": [(c, component_url(bay.id, c.id)) for c in components],
            "healthy_count": healthy,
            "failed": answer is not None
            and answer.overall in (health.UNREACHABLE, health.UNKNOWN),
            "retry_url": "?" + urlencode({self.tab_group.param_name: self.get_id()}),
            "cache_seconds": config.get("HEALTH_CACHE_SECONDS"),
        }


class BayDetailTabs(tabs.DetailTabsGroup):
    slug = "bay_details"
    tabs = (OverviewTab, NodesTab, ComponentsTab)
    sticky = True
