"""The journeys' hooks; the browser, its fixtures and helpers are in tests/browser.py.

The helpers are re-exported here: the journeys import them from this module.
"""

import pytest

from tests.browser import (  # noqa: F401 - re-exported for the journeys
    CHROMEDRIVER,
    CHROMIUM,
    FLAGS,
    ROOT,
    SCREENSHOTS,
    TIMEOUT,
    Sandbox,
    cell_text,
    choose,
    fill,
    left,
    login,
    logout,
    modal,
    open_page,
    page_ready,
    selected_text,
    snap,
    tick,
    wait,
    wait_cell,
    wait_clickable,
    wait_text,
    wait_visible,
    wizard_next,
    wizard_step,
)


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "incremental: journeys that build on each other; after one fails, "
        "the rest of its class is reported as xfail (not run)",
    )


def pytest_runtest_setup(item):
    cls = item.cls
    if cls is not None and item.get_closest_marker("incremental"):
        failed = getattr(cls, "_e2e_failed", None)
        if failed:
            pytest.xfail(f"an earlier journey failed: {failed}")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if (
        report.failed
        and item.cls is not None
        and item.get_closest_marker("incremental")
    ):
        item.cls._e2e_failed = item.name
