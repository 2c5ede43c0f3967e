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
