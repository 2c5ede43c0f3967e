"""WSGI entry point for Horizon with the plugin, static files included,
behind the Content-Security-Policy an operator's web server would add."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openstack_dashboard.settings")

from django.contrib.staticfiles.handlers import StaticFilesHandler  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

from devenv.headers import with_csp  # noqa: E402

# gunicorn serves /static/ too, so `make run` needs no other web server.
application = with_csp(StaticFilesHandler(get_wsgi_application()))
