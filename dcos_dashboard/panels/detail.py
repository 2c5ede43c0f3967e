"""The detail page both panels share: one Magnum object, read once."""

from django.urls import reverse
from horizon import tabs
from horizon.utils import memoized

from dcos_dashboard.api import magnum
from dcos_dashboard.panels import errors
from dcos_dashboard.panels.bounded import BoundedCallsMixin
from dcos_dashboard.panels.policy import PolicyRequiredMixin


class MagnumDetailView(BoundedCallsMixin, PolicyRequiredMixin, tabs.TabbedTableView):
    """A Bay's or a Bay Model's page: a Magnum error sends the user back to
    the panel's index with its sentence; the header carries the object's
    row actions, as on the panel's table."""

    template_name = "horizon/common/_detail.html"
    index_url = None  # the panel's index
    context_name = None  # the object's name in the template context
    table_class = None  # the panel's table, whose row actions the header shows

    def fetch(self):
        raise NotImplementedError

    @memoized.memoized_method
    def get_data(self):
        try:
            return self.fetch()
        except magnum.MagnumError as e:
            errors.show(self.request, e, redirect=reverse(self.index_url))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.get_data()
        context[self.context_name] = obj
        context["url"] = reverse(self.index_url)
        context["actions"] = self.table_class(self.request).render_row_actions(obj)
        return context
