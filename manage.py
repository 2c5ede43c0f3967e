#!/usr/bin/env python
"""Django's command line for the development Horizon (devenv/ settings)."""

import os
import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent / "devenv"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openstack_dashboard.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
