"""URLs of the Bay Models panel."""

from django.urls import re_path

from dcos_dashboard.panels.baymodels import views

urlpatterns = [
    re_path(r"^$", views.IndexView.as_view(), name="index"),
    re_path(r"^create/$", views.CreateView.as_view(), name="create"),
    re_path(
        r"^create/command$",
        views.CreateCommandView.as_view(),
        name="create_command",
    ),
    re_path(
        r"^(?P<baymodel_id>[^/]+)/update/$",
        views.UpdateView.as_view(),
        name="update",
    ),
    re_path(r"^(?P<baymodel_id>[^/]+)/$", views.DetailView.as_view(), name="detail"),
]
