"""Views of the Bays panel."""

from horizon import tables

from dcos_dashboard.panels.bays import tables as bays_tables


class IndexView(tables.DataTableView):
    table_class = bays_tables.BaysTable
    page_title = bays_tables.BaysTable._meta.verbose_name

    def get_data(self):
        return []
