"""A user who chose German sees the wizard's label errors in German, from the
live Horizon (gunicorn workers), as Settings > Language leaves them.

The catalogue is the test-only one of tests/german.py, which tests/conftest.py
puts on this Horizon's LOCALE_PATHS (no real translation ships yet).
"""

import pytest

from tests.german import SEEN_IN_GERMAN
from tests.integration.cloud import Horizon
from tests.integration.wizards import BAYMODEL_CREATE, assert_beside, model_fields

pytestmark = pytest.mark.cloud


@pytest.fixture(scope="module")
def demo(live_stack):
    return Horizon(live_stack.url(live_stack.horizon_port), "demo", "demo")


def test_a_label_error_in_the_wizard_follows_the_users_language(demo):
    fields = model_fields(demo, extra_labels="isolaton=x")
    english = demo.submit(BAYMODEL_CREATE, fields)
    assert_beside(english, "extra_labels", "is not a label of")

    # What Horizon's Settings > Language stores (openstack_dashboard settings).
    demo.session.cookies.set("horizon_language", "de")
    try:
        german = demo.submit(BAYMODEL_CREATE, fields)
    finally:
        demo.session.cookies.set("horizon_language", "en")
    assert_beside(german, "extra_labels", SEEN_IN_GERMAN, kept="isolaton=x")
    assert "is not a label of" not in " ".join(german.errors("extra_labels"))
