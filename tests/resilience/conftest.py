"""The gated cloud of tests/integration (one for both suites, see cloud.py)."""

from tests.integration.conftest import cloud, demo, healthy, magnum  # noqa: F401
