"""What an operator adds to Horizon's settings for this plugin.

``from dcos_dashboard.settings_snippet import configure; configure(globals())``
at the end of local_settings.py registers the "container-infra" policy file.
"""

from pathlib import Path

POLICY_FILE = Path(__file__).resolve().parent / "conf" / "magnum_policy.yaml"


def configure(settings):
    from openstack_dashboard import defaults

    # local_settings.py runs before Horizon merges it over its defaults, so
    # start from those: replacing POLICY_FILES would drop every other scope.
    policy_files = dict(settings.get("POLICY_FILES") or defaults.POLICY_FILES)
    # An absolute path wins over POLICY_FILES_PATH in os.path.join.
    policy_files.setdefault("container-infra", str(POLICY_FILE))
    settings["POLICY_FILES"] = policy_files
    settings.setdefault("DCOS_DASHBOARD", {})
