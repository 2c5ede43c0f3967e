"""What an operator adds to Horizon's settings for this plugin.

``from dcos_dashboard.settings_snippet import configure; configure(globals())``
at the end of local_settings.py registers the "container-infra" policy files.
"""

from pathlib import Path

CONF = Path(__file__).resolve().parent / "conf"
POLICY_FILE = CONF / "magnum_policy.yaml"
DEFAULT_POLICY_FILE = CONF / "default_policies" / "magnum.yaml"


def configure(settings):
    from openstack_dashboard import defaults

    # local_settings.py runs before Horizon merges it over its defaults, so
    # start from those: replacing POLICY_FILES would drop every other scope.
    policy_files = dict(settings.get("POLICY_FILES") or defaults.POLICY_FILES)
    # An absolute path wins over POLICY_FILES_PATH in os.path.join.
    policy_files.setdefault("container-infra", str(POLICY_FILE))
    settings["POLICY_FILES"] = policy_files
    default_files = dict(
        settings.get("DEFAULT_POLICY_FILES") or defaults.DEFAULT_POLICY_FILES
    )
    default_files.setdefault("container-infra", str(DEFAULT_POLICY_FILE))
    settings["DEFAULT_POLICY_FILES"] = default_files
    settings.setdefault("DCOS_DASHBOARD", {})
