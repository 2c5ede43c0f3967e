# Numbered after magnum-ui's 1370-1372 so both plugins can be installed.
from django.utils.translation import gettext_lazy as _

PANEL_GROUP = "dcos"
PANEL_GROUP_NAME = _("DC/OS")
PANEL_GROUP_DASHBOARD = "project"

ADD_INSTALLED_APPS = ["dcos_dashboard"]
AUTO_DISCOVER_STATIC_FILES = True
ADD_SCSS_FILES = ["dcos_dashboard/dcos_dashboard.scss"]
