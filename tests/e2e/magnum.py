"""Magnum's v1 API, as the journeys that start from what exists set it up.

The model and bay of such a journey are made through the API (the wizards
have their own journeys); the user then works in the browser.
"""

import time

import requests

from dcos_sandbox.keystone import password_token

WAIT_SECONDS = 60


def s3_exhibitor(secret):
    """Labels of a DC/OS model whose Exhibitor keeps its state in S3."""
    return {
        "exhibitor_storage_backend": "aws_s3",
        "aws_access_key_id": "AKIAEXAMPLE",
        "aws_secret_access_key": secret,
        "aws_region": "eu-west-1",
        "s3_bucket": "exhibitor",
        "s3_prefix": "dcos",
    }


class Magnum:
    """Just enough of Magnum's v1 API for a journey's set-up and clean-up."""

    def __init__(self, cloud):
        token = password_token(cloud, "demo", "demo", "demo")
        self.url = cloud.url(cloud.magnum_port, "/v1")
        self.headers = {
            "X-Auth-Token": token,
            "OpenStack-API-Version": "container-infra latest",
        }

    def call(self, method, path, **kwargs):
        r = requests.request(
            method, self.url + path, headers=self.headers, timeout=30, **kwargs
        )
        assert r.status_code < 400, f"{method} {path}: {r.status_code} {r.text}"
        return r.json() if r.content else None

    def status(self, uuid):
        """A cluster's status; None while Magnum answers 404 (just created,
        as Magnum's conductor writes the row, or gone)."""
        r = requests.get(
            f"{self.url}/clusters/{uuid}", headers=self.headers, timeout=30
        )
        if r.status_code == 404:
            return None
        assert r.status_code < 400, f"{r.status_code} {r.text}"
        return r.json()["status"]

    def dcos_model(self, name, labels):
        """A DC/OS model of the seed's image, flavor, key pair and network."""
        return self.call(
            "POST",
            "/clustertemplates",
            json={
                "name": name,
                "coe": "dcos",
                "image_id": "dcos-centos-7.2",
                "flavor_id": "m1.small",
                "master_flavor_id": "m1.small",
                "keypair_id": "testkey",
                "external_network_id": "public",
                "labels": labels,
            },
        )

    def bay(self, name, model, node_count, until):
        """A one-master bay of ``model``, once its status is ``until``."""
        bay = self.call(
            "POST",
            "/clusters",
            json={
                "name": name,
                "cluster_template_id": model["uuid"],
                "master_count": 1,
                "node_count": node_count,
            },
        )
        deadline = time.monotonic() + WAIT_SECONDS
        while self.status(bay["uuid"]) != until:
            assert time.monotonic() < deadline, f"the bay never reached {until}"
            time.sleep(0.5)
        return bay

    def delete_bay(self, uuid):
        """Delete a bay and give it a while to be gone (clean-up: no assert)."""
        self.call("DELETE", f"/clusters/{uuid}")
        deadline = time.monotonic() + WAIT_SECONDS
        while self.status(uuid) is not None and time.monotonic() < deadline:
            time.sleep(0.5)
