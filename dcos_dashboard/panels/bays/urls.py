"""URLs of the Bays panel."""

from django.urls import re_path

from dcos_dashboard.panels.bays import views

urlpatterns = [
    re_path(r"^$", views.IndexView.as_view(), name="index"),
]
