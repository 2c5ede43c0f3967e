"""Plugin views run with Horizon's Glance, Nova and Neutron calls bounded."""

from dcos_dashboard.api import openstack
from dcos_dashboard.panels import navigation


class BoundedCallsMixin:
    """For views: the view and its page (navigation included) run bounded.

    The page is rendered here, inside the block, because Django renders a
    TemplateResponse after the view returns, and Horizon's navigation makes
    its calls while it renders; a panel of that navigation that cannot ask
    its service is left out of the menu (navigation.py).
    """

    def dispatch(self, request, *args, **kwargs):
        with openstack.bounded(request), navigation.guarded():
            response = super().dispatch(request, *args, **kwargs)
            render = getattr(response, "render", None)
            if callable(render) and not getattr(response, "is_rendered", True):
                render()
        return response
