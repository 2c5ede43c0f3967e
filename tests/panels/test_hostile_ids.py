"""Ids and page markers from the URL reach Magnum only as Magnum's own ids.

Issue 18, escapes 3 and 4. Magnum's HTTP is faked with requests-mock, so
these tests see the very requests the api layer sends (a mocked api function
would hide what reaches the wire).
"""

import re
from urllib.parse import parse_qsl, quote, urlsplit

import requests_mock
from django.urls import reverse

from tests.panels.test_bays import AJAX, BAY_A, BaysTestCase

MAGNUM = "http://magnum.example.com:9511/v1"
BAYS_INDEX = reverse("horizon:project:dcos_bays:index")
MODELS_INDEX = reverse("horizon:project:dcos_baymodels:index")

# What the probes typed after /project/dcos_bays/ (already %-encoded).
HOSTILE = {
    "dot": "%2e",
    "dot-dot": "%2e%2e",
    "nul": "%00",
    "unicode": quote("bäy-☃"),
    "slash": "a%2fb",
    "query": "a%3flimit%3d1",
    "huge": "a" * 100_000,
}


class MagnumWire:
    """A Magnum that answers every GET with empty lists and records it."""

    def __init__(self):
        self.mocker = requests_mock.Mocker()

    def __enter__(self):
        m = self.mocker.__enter__()
        m.register_uri(
            requests_mock.ANY,
            re.compile(re.escape(MAGNUM)),
            json={"clusters": [], "clustertemplates": []},
            headers={"Content-Type": "application/json"},
        )
        return self

    def __exit__(self, *exc):
        return self.mocker.__exit__(*exc)

    @property
    def paths(self):
        return [urlsplit(r.url).path for r in self.mocker.request_history]

    @property
    def queries(self):
        return [parse_qsl(urlsplit(r.url).query) for r in self.mocker.request_history]


class HostileIdTests(BaysTestCase):
    def get(self, url, **extra):
        with MagnumWire() as wire:
            res = self.client.get(url, **extra)
        return res, wire

    def assert_refused(self, res, index, name):
        if name == "slash":
            # Django decodes %2f before routing: no pattern takes a "/".
            self.assertEqual(res.status_code, 404)
        else:
            self.assertRedirectsNoFollow(res, index)

    def assert_nothing_asked_by_id(self, wire):
        by_id = [
            p
            for p in wire.paths
            if re.fullmatch(r"/v1/(clusters|clustertemplates)/.*", p)
            and not p.endswith("/detail")
        ]
        self.assertEqual(by_id, [], "a malformed id reached Magnum")

    def assert_pages_refuse_malformed_ids(self, index, pages):
        for name, typed in HOSTILE.items():
            for page in pages:
                with self.subTest(id=name, page=page):
                    res, wire = self.get(f"{index}{typed}/{page}")
                    self.assert_refused(res, index, name)
                    self.assert_nothing_asked_by_id(wire)

    def test_bay_pages_refuse_malformed_ids(self):
        self.assert_pages_refuse_malformed_ids(BAYS_INDEX, ("", "scale/"))

    def test_bay_row_update_with_a_malformed_id_is_a_404(self):
        for name, typed in HOSTILE.items():
            with self.subTest(id=name):
                res, wire = self.get(
                    f"{BAYS_INDEX}?action=row_update&table=bays&obj_id={typed}",
                    **AJAX,
                )
                self.assertEqual(res.status_code, 404)
                self.assert_nothing_asked_by_id(wire)

    def test_bay_model_pages_refuse_malformed_ids(self):
        self.assert_pages_refuse_malformed_ids(MODELS_INDEX, ("", "update/"))

    def test_deleting_malformed_ids_asks_magnum_nothing(self):
        # Horizon already refuses ids its table did not list; the api
        # layer's own refusal is pinned in tests/unit/test_magnum_api.py.
        for index, table in ((BAYS_INDEX, "bays"), (MODELS_INDEX, "baymodels")):
            with self.subTest(table=table), MagnumWire() as wire:
                res = self.client.post(
                    index,
                    {"action": f"{table}__delete", "object_ids": [".", ".."]},
                )
                self.assertEqual(res.status_code, 302)
                self.assertNotIn(
                    "DELETE", [r.method for r in wire.mocker.request_history]
                )

    def test_a_bay_name_is_still_an_id(self):
        # Magnum looks a bay up by name too; such ids keep working.
        res, wire = self.get(f"{BAYS_INDEX}my-bay_1.0/")
        self.assertIn("/v1/clusters/my-bay_1.0", wire.paths)


class MarkerInjectionTests(BaysTestCase):
    INJECTED = f"{BAY_A}%26sort_dir%3Dbogus"

    def test_bays_marker_cannot_add_a_parameter(self):
        for param in ("marker", "prev_marker"):
            with self.subTest(param=param), MagnumWire() as wire:
                res = self.client.get(f"{BAYS_INDEX}?{param}={self.INJECTED}")
                self.assertEqual(res.status_code, 200)
                self.assertIn(
                    "This page link is not valid",
                    " ".join(str(m.message) for m in res.context["messages"]),
                )
                for query in wire.queries:
                    self.assertNotIn(("sort_dir", "bogus"), query)
                    self.assertNotIn("bogus", dict(query).get("marker", ""))

    def test_bay_models_marker_cannot_add_a_parameter(self):
        with MagnumWire() as wire:
            res = self.client.get(f"{MODELS_INDEX}?marker={self.INJECTED}")
        self.assertEqual(res.status_code, 200)
        for query in wire.queries:
            self.assertNotIn(("sort_dir", "bogus"), query)
            self.assertNotIn("bogus", dict(query).get("marker", ""))

    def test_a_good_marker_is_sent_as_one_parameter(self):
        with MagnumWire() as wire:
            self.client.get(f"{BAYS_INDEX}?marker={BAY_A}")
        clusters = [
            q
            for p, q in zip(wire.paths, wire.queries, strict=True)
            if p == "/v1/clusters/detail"
        ]
        self.assertEqual(clusters, [[("limit", "21"), ("marker", BAY_A)]])
