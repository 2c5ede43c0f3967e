"""Fixtures of the sandbox tests."""

import pytest

from dcos_sandbox.clusters import ClusterSimulator
from dcos_sandbox.config import Config


def make_simulator(state_dir):
    return ClusterSimulator(Config(state_dir=state_dir, clusters_port=0))


@pytest.fixture
def sim(tmp_path):
    """A running cluster simulator on a free port, stopped afterwards."""
    simulator = make_simulator(tmp_path)
    simulator.start()
    yield simulator
    simulator.stop()
