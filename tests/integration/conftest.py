"""The gated cloud (tests/integration/cloud.py), shared with tests/resilience."""

import pytest

from tests.integration import cloud as gated


@pytest.fixture(scope="session")
def cloud():
    c = gated.acquire()
    try:
        yield c
    finally:
        gated.release()


@pytest.fixture
def healthy(cloud):
    """Every service up again after the test, whatever it did."""
    cloud.everything_up()
    yield cloud
    cloud.everything_up()


@pytest.fixture(scope="module")
def demo(cloud):
    """The demo user's Horizon session, one per test module."""
    return cloud.login()


@pytest.fixture
def magnum(healthy):
    """The Magnum gate, its counts reset."""
    healthy.magnum.reset()
    return healthy.magnum
