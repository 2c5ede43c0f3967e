# dcos-dashboard: copy into openstack_dashboard/local/local_settings.d/ with
# the enabled files, and remove it with them (README "Installing", "Removing").
# Horizon runs it after local_settings.py, in its settings' namespace; were
# the package gone and this file left, Horizon logs the ImportError with a
# traceback and starts without it (local_settings.py itself stays intact).
from dcos_dashboard.settings_snippet import configure as _dcos_dashboard_configure

# Registers the "container-infra" policy files; DCOS_DASHBOARD, if
# local_settings.py sets it, is kept as it is.
_dcos_dashboard_configure(globals())
