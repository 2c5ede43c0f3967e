"""Views of the Bay Models panel."""

from horizon import tables

from dcos_dashboard.panels.baymodels import tables as baymodels_tables


class IndexView(tables.DataTableView):
    table_class = baymodels_tables.BayModelsTable
    page_title = baymodels_tables.BayModelsTable._meta.verbose_name

    def get_data(self):
        return []
