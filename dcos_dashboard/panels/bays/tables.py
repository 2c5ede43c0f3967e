"""The Bays table (with self-refreshing rows) and the Nodes table of a bay."""

import collections
import datetime

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from horizon import exceptions, tables
from horizon.utils import filters

from dcos_dashboard import health, nodes
from dcos_dashboard.api import magnum
from dcos_dashboard.panels import actions
from dcos_dashboard.panels.bays import coe_trust, records
from dcos_dashboard.templatetags.dcos_usage import usage_bar

LINK_ATTRS = {"target": "_blank", "rel": "noopener noreferrer"}


def _status(label):
    return pgettext_lazy("Current status of a Bay", label)


# Horizon's spinner and polling follow the row status: True done, False
# failed, None under way (polled every ajax_poll_interval).
STATUS_CHOICES = tuple(
    (f"{operation}{state}", value)
    for operation in records.OPERATIONS
    for state, value in (
        (records.COMPLETE, True),
        (records.FAILED, False),
        (records.IN_PROGRESS, None),
    )
)

STATUS_DISPLAY_CHOICES = (
    ("CREATE_IN_PROGRESS", _status("Create In Progress")),
    ("CREATE_COMPLETE", _status("Create Complete")),
    ("CREATE_FAILED", _status("Create Failed")),
    ("UPDATE_IN_PROGRESS", _status("Update In Progress")),
    ("UPDATE_COMPLETE", _status("Update Complete")),
    ("UPDATE_FAILED", _status("Update Failed")),
    ("DELETE_IN_PROGRESS", _status("Delete In Progress")),
    ("DELETE_COMPLETE", _status("Delete Complete")),
    ("DELETE_FAILED", _status("Delete Failed")),
    ("RESUME_IN_PROGRESS", _status("Resume In Progress")),
    ("RESUME_COMPLETE", _status("Resume Complete")),
    ("RESUME_FAILED", _status("Resume Failed")),
    ("RESTORE_IN_PROGRESS", _status("Restore In Progress")),
    ("RESTORE_COMPLETE", _status("Restore Complete")),
    ("RESTORE_FAILED", _status("Restore Failed")),
    ("ROLLBACK_IN_PROGRESS", _status("Rollback In Progress")),
    ("ROLLBACK_COMPLETE", _status("Rollback Complete")),
    ("ROLLBACK_FAILED", _status("Rollback Failed")),
    ("SNAPSHOT_IN_PROGRESS", _status("Snapshot In Progress")),
    ("SNAPSHOT_COMPLETE", _status("Snapshot Complete")),
    ("SNAPSHOT_FAILED", _status("Snapshot Failed")),
    ("CHECK_IN_PROGRESS", _status("Check In Progress")),
    ("CHECK_COMPLETE", _status("Check Complete")),
    ("CHECK_FAILED", _status("Check Failed")),
    ("ADOPT_IN_PROGRESS", _status("Adopt In Progress")),
    ("ADOPT_COMPLETE", _status("Adopt Complete")),
    ("ADOPT_FAILED", _status("Adopt Failed")),
)


# -- actions ------------------------------------------------------------------


class CreateBay(actions.ModalLinkAction, actions.PolicyOnceARequest):
    name = "create"
    verbose_name = _("Create Bay")
    url = "horizon:project:dcos_bays:create"
    classes = ("ajax-modal", "btn-create")
    icon = "plus"
    policy_rules = ((magnum.SERVICE_TYPE, "cluster:create"),)


class ScaleBay(actions.ModalLinkAction, actions.PolicyOnceARequest):
    name = "scale"
    verbose_name = _("Scale Bay")
    url = "horizon:project:dcos_bays:scale"
    icon = "arrows-v"
    policy_rules = ((magnum.SERVICE_TYPE, "cluster:update"),)

    def allowed(self, request, datum=None):
        return datum is None or datum.scalable


class CreateBayAgain(CreateBay):
    """The Create wizard, filled in from a bay that failed to build."""

    name = "again"
    verbose_name = _("Create Again")
    query = "again"
    classes = ("ajax-modal",)
    icon = "repeat"

    def allowed(self, request, datum=None):
        return datum is not None and datum.status == "CREATE_FAILED"


# Horizon names a batch action again for every row as the page renders,
# and shares the action between requests: the name must stay lazy. Django's
# ngettext_lazy with a count builds a proxy class on each call (most of a
# millisecond a row, docs/performance.md figure 6): made once here.
_DELETE_BAY = lazy(lambda count: ngettext("Delete Bay", "Delete Bays", count), str)
_DELETED_BAY = lazy(
    lambda count: ngettext(
        "Scheduled deletion of Bay", "Scheduled deletion of Bays", count
    ),
    str,
)


class DeleteBay(actions.MagnumDeleteAction, actions.PolicyOnceARequest):
    help_text = _("Deleting a bay deletes its servers and everything on them.")
    policy_rules = ((magnum.SERVICE_TYPE, "cluster:delete"),)

    @staticmethod
    def action_present(count):
        return _DELETE_BAY(count)

    @staticmethod
    def action_past(count):
        return _DELETED_BAY(count)

    def allowed(self, request, datum=None):
        if datum is None:
            return True
        return datum.status not in (records.DELETE_IN_PROGRESS, records.DELETE_COMPLETE)

    def magnum_delete(self, request, obj_id):
        magnum.cluster_delete(request, obj_id)


class UpdateRow(tables.Row):
    ajax = True

    def get_data(self, request, bay_id):
        try:
            return records.get_bay(request, bay_id)
        except magnum.MagnumError as error:
            if magnum.not_shown(error):
                # Gone from Magnum: Horizon removes the row on a 404.
                raise exceptions.NotFound(bay_id) from error
            raise


# -- columns ------------------------------------------------------------------


def get_coe(bay):
    coe = bay.coe
    return magnum.COE_NAMES.get(coe, coe) if coe else None


def get_health(bay):
    """The health cell: never asks Mesos (mesos.cached_bay_health only)."""
    if bay.target is None:
        return None
    answer = bay.cached_health
    if answer is None and not bay.coe_told:
        # The badge's view trusts no COE from its URL: tell it through the
        # cache what this page's template list said (coe_trust); the index
        # told it for all its rows at once.
        coe_trust.remember(bay.baymodel)
    return render_to_string(
        "project/dcos_bays/_health_cell.html",
        {
            "health": answer,
            "url": reverse("horizon:project:dcos_bays:health", args=[bay.id]),
            # The page's cells are filled by one request (HealthBatchView).
            "batch": reverse("horizon:project:dcos_bays:health_batch"),
            "bay": bay.id,
        },
    )


def get_console_label(bay):
    return _("Console") if bay.target is not None else None


def get_console_url(bay):
    links = bay.links()
    return links.console if links else None


def get_name(bay):
    return bay.name or bay.id


HEALTH_NAMES = {
    health.HEALTHY: _("Healthy"),
    health.DEGRADED: _("Degraded"),
    health.UNHEALTHY: _("Unhealthy"),
    health.UNREACHABLE: _("Unreachable"),
    health.UNKNOWN: _("Unknown"),
}
_HEALTH_ORDER = (
    health.UNHEALTHY,
    health.UNREACHABLE,
    health.DEGRADED,
    health.UNKNOWN,
    health.HEALTHY,
)


def bays_summary(bays):
    """The strip above the table: the page's bays by health and by status,
    their agents and what those use. Only what the rows already hold and the
    shared health cache (no master is asked)."""
    statuses = dict(STATUS_DISPLAY_CHOICES)
    by_status = collections.Counter(bay.status for bay in bays if bay.status)
    by_health = collections.Counter()
    unchecked = agents = 0
    cpus = [0.0, 0.0]
    mem = [0.0, 0.0]
    for bay in bays:
        if bay.target is None:
            continue
        answer = bay.cached_health
        if answer is None:
            unchecked += 1
            continue
        by_health[answer.overall] += 1
        agents += (
            answer.healthy
            + answer.unhealthy
            + answer.disconnected
            + answer.deactivated
            + answer.draining
            + answer.drained
            + answer.unknown
        )
        cpus[0] += answer.cpus.used
        cpus[1] += answer.cpus.total
        mem[0] += answer.mem.used
        mem[1] += answer.mem.total
    return {
        "count": len(bays),
        "health": [
            (verdict, HEALTH_NAMES[verdict], by_health[verdict])
            for verdict in _HEALTH_ORDER
            if by_health[verdict]
        ],
        "unchecked": unchecked,
        "status": sorted(
            ((statuses.get(status, status), n) for status, n in by_status.items()),
            key=lambda item: -item[1],
        ),
        "agents": agents,
        "cpus": health.usage(*cpus) if agents else None,
        "mem": health.usage(*mem) if agents else None,
    }


class BaysFilter(tables.FilterAction):
    """Narrow the rows by name, status or health (as typed, on this page).

    The browser filters while the user types; a submitted filter is applied
    here with the same rule, health read from the shared cache only.
    """

    filter_type = "query"

    def filter(self, table, bays, filter_string):
        query = filter_string.strip().lower()
        if not query:
            return bays
        statuses = dict(STATUS_DISPLAY_CHOICES)
        return [bay for bay in bays if query in _filter_text(bay, statuses)]


def _filter_text(bay, statuses):
    answer = bay.cached_health
    verdict = HEALTH_NAMES.get(answer.overall, answer.overall) if answer else ""
    words = (bay.name, bay.id, bay.status, statuses.get(bay.status, ""), verdict)
    return " ".join(str(word) for word in words).lower()


class BaysTable(tables.DataTable):
    name = tables.WrappingColumn(
        get_name,
        verbose_name=_("Name"),
        link="horizon:project:dcos_bays:detail",
    )
    baymodel = tables.Column("baymodel_name", verbose_name=_("Bay Model"))
    coe = tables.Column(get_coe, verbose_name=_("COE"))
    status = tables.Column(
        "status",
        verbose_name=_("Status"),
        status=True,
        status_choices=STATUS_CHOICES,
        display_choices=STATUS_DISPLAY_CHOICES,
    )
    master_count = tables.Column("master_count", verbose_name=_("Masters"))
    node_count = tables.Column("node_count", verbose_name=_("Nodes"))
    health = tables.Column(get_health, verbose_name=_("Health"), sortable=False)
    console = tables.Column(
        get_console_label,
        verbose_name=_("Console"),
        link=get_console_url,
        link_attrs=LINK_ATTRS,
        sortable=False,
    )

    def get_object_display(self, datum):
        if datum is None:
            return None
        return datum.name or datum.id

    class Meta:
        name = "bays"
        verbose_name = _("Bays")
        status_columns = ["status"]
        row_class = UpdateRow
        pagination_param = "marker"
        prev_pagination_param = "prev_marker"
        table_actions = (BaysFilter, CreateBay, DeleteBay)
        row_actions = (ScaleBay, CreateBayAgain, DeleteBay)


# -- nodes of one bay ---------------------------------------------------------

NODE_STATES = {
    "healthy": _("Healthy"),
    "unhealthy": _("Unhealthy"),
    "disconnected": _("Disconnected"),
    "deactivated": _("Deactivated"),
    "draining": _("Draining"),
    "drained": _("Drained"),
    "unknown": _("Unknown"),
}

# dcos/dcos-diagnostics: 0 healthy, 1 unhealthy, 3 unknown.
DIAGNOSTICS = {0: _("Healthy"), 1: _("Unhealthy"), 3: _("Unknown")}


class NodeRow:
    """One agent of the Nodes table: a NodeHealth plus its link."""

    def __init__(self, index, node, url):
        self.id = node.agent_id or f"#{index}"
        self.node = node
        self.url = url
        self.hostname = node.hostname or node.ip or node.agent_id
        self.ip = node.ip
        self.state = NODE_STATES.get(node.state, node.state)
        self.state_class = node.state
        self.diagnostics = DIAGNOSTICS.get(node.diagnostics_health)
        self.running_tasks = node.running_tasks
        self.region = nodes.region_of(node)
        self.zone = nodes.zone_of(node)
        self.registered = (
            datetime.datetime.fromtimestamp(node.registered_time, tz=datetime.UTC)
            if node.registered_time
            else None
        )


def _usage_cell(resource, unit):
    def cell(row):
        return usage_bar(getattr(row.node, resource), unit)

    cell.__name__ = resource
    return cell


# Sorted by percent in the browser (the dcosUsage parser in js/dcos_bays.js).
USAGE_SORT = {"data-sorter": "dcosUsage"}


class PlainRow(tables.Row):
    """A row rendered in Python rather than through two templates per cell.

    Horizon's row and cell templates were 80 % of a warm Nodes tab of a big
    bay (docs/performance.md, figure 7). The markup is the cell template's
    plain case (the Nodes table edits nothing inline and wraps no list);
    ``format_html`` escapes each value as the template's autoescape did.
    A cell's attributes depend only on its column and on whether it links
    (no status, truncation or per-cell attributes here): made once a column.
    """

    def render(self):
        made = self.table.__dict__.setdefault("_plain_cell_attrs", {})
        cells = []
        for cell in self:
            key = (cell.column.name, cell.url is None)
            attrs = made.get(key)
            if attrs is None:
                # Safe already: flatatt escaped the values.
                attrs = made[key] = cell.attr_string
            cells.append((attrs, cell.value))
        return format_html(
            "<tr{}>{}</tr>",
            self.attr_string,
            format_html_join("", "<td{}>{}</td>", cells),
        )


def get_node_url(row):
    return row.url


def get_registered(row):
    return filters.timesince_sortable(row.registered) if row.registered else None


class NodesTable(tables.DataTable):
    hostname = tables.Column(
        "hostname",
        verbose_name=_("Hostname"),
        link=get_node_url,
        link_attrs=LINK_ATTRS,
    )
    ip = tables.Column("ip", verbose_name=_("IP Address"))
    state = tables.Column("state", verbose_name=_("State"))
    diagnostics = tables.Column("diagnostics", verbose_name=_("Diagnostics"))
    cpus = tables.Column(
        _usage_cell("cpus", "cpus"), verbose_name=_("CPU"), attrs=USAGE_SORT
    )
    mem = tables.Column(
        _usage_cell("mem", "mb"), verbose_name=_("Memory"), attrs=USAGE_SORT
    )
    disk = tables.Column(
        _usage_cell("disk", "mb"), verbose_name=_("Disk"), attrs=USAGE_SORT
    )
    gpus = tables.Column(
        _usage_cell("gpus", "gpus"), verbose_name=_("GPU"), attrs=USAGE_SORT
    )
    running_tasks = tables.Column("running_tasks", verbose_name=_("Running Tasks"))
    region = tables.Column("region", verbose_name=_("Region"), empty_value="-")
    zone = tables.Column("zone", verbose_name=_("Zone"), empty_value="-")
    registered = tables.Column(
        get_registered,
        verbose_name=_("Time Since Registration"),
        attrs={"data-type": "timesince"},
    )

    class Meta:
        name = "nodes"
        verbose_name = _("Nodes")
        row_class = PlainRow
        multi_select = False
        footer = False
