"""Horizon settings of the integration and resilience stack.

devenv's own (what ``make run`` serves), then the plugin settings the
suites ask for through ``DCOS_TEST_DASHBOARD`` (JSON): short timeouts, so
that a hung service costs a test seconds, not the production 30.
"""

import json
import os
from pathlib import Path

_DEVENV = Path(__file__).resolve().parents[4] / "devenv" / "local" / "local_settings.py"
exec(compile(_DEVENV.read_text(), str(_DEVENV), "exec"))  # noqa: S102 - our own file

DCOS_DASHBOARD.update(json.loads(os.environ.get("DCOS_TEST_DASHBOARD") or "{}"))  # noqa: F821
