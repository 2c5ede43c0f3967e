"""URLs of the Bay Models panel."""

from django.urls import re_path

from dcos_dashboard.panels.baymodels import views

urlpatterns = [
    re_path(r"^$", views.IndexView.as_view(), name="index"),
]
