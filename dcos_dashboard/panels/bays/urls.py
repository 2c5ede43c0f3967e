"""URLs of the Bays panel."""

from django.urls import re_path

from dcos_dashboard.panels.bays import views

BAY = r"^(?P<bay_id>[^/]+)/"

urlpatterns = [
    re_path(r"^$", views.IndexView.as_view(), name="index"),
    re_path(r"^create/$", views.CreateView.as_view(), name="create"),
    re_path(r"^health/$", views.HealthBatchView.as_view(), name="health_batch"),
    re_path(
        r"^create/command$",
        views.CreateCommandView.as_view(),
        name="create_command",
    ),
    re_path(BAY + r"$", views.DetailView.as_view(), name="detail"),
    re_path(BAY + r"scale/$", views.ScaleView.as_view(), name="scale"),
    re_path(BAY + r"health$", views.HealthView.as_view(), name="health"),
    re_path(
        BAY + r"components/(?P<unit_id>[^/]+)/$",
        views.ComponentView.as_view(),
        name="component",
    ),
]
