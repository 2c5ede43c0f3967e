"""Who may do what, and what a crafted URL shows: plain HTTP, no rendering.

CSRF (no token, a wrong one, a foreign Origin), another project's user,
a reader of the project, a logged-out visitor; malformed ids on every
id-taking URL; query parameters smuggled in ``marker``; secret labels.
Every action is tried against real bays and Bay Models of the demo project
and judged by its effect in Magnum, read afterwards with demo's token; a
control with demo's own valid request proves each action would have worked.
"""

import time
from urllib.parse import quote

import pytest
import requests

from tests.security import probes
from tests.security.conftest import wait_status

pytestmark = pytest.mark.security

CSRF = "CSRF"
OTHER = "another project's user"
READER = "reader role"
ANON = "logged out"
IDS = "malformed ids"
QUERY = "query injection"
SECRETS = "secret labels"

SECRET_LABELS = {
    "aws_secret_access_key": "AWSsecretVALUEnever2shown9Q",
    "exhibitor_azure_account_key": "AZUREsecretVALUEnever2shown7Z",
}


@pytest.fixture(scope="module")
def base(cloud):
    return cloud.url(cloud.horizon_port)


@pytest.fixture(scope="module")
def demo_data(created):
    model = created.model(coe="dcos", name=probes.unique("secaccess-model-"))
    spare = created.model(coe="dcos", name=probes.unique("secaccess-spare-"))
    older = created.bay(model, wait=False, name=probes.unique("secaccess-older-"))
    newer = created.bay(model, wait=False, name=probes.unique("secaccess-newer-"))
    secret = created.model(
        coe="mesos",
        image_id="ubuntu-mesos",
        name=probes.unique("secaccess-secret-"),
        labels={**SECRET_LABELS, "mesos_slave_isolation": "docker/runtime"},
    )
    return {
        "model": model,
        "spare": spare,
        "older": created.wait(older.uuid),
        "newer": created.wait(newer.uuid),
        "secret": secret,
        "client": created.client,
    }


def token_of(session):
    return session.cookies.get("csrftoken")


def attempts(data, tag):
    """(name, path, form) of every state-changing request, ``tag`` naming
    what a request would create."""
    model, spare, bay = data["model"], data["spare"], data["older"]
    return (
        (
            "delete a bay",
            "/project/dcos_bays/",
            {"action": f"bays__delete__{bay.uuid}"},
        ),
        (
            "delete bays (batch)",
            "/project/dcos_bays/",
            {"action": "bays__delete", "object_ids": bay.uuid},
        ),
        (
            "scale a bay",
            f"/project/dcos_bays/{bay.uuid}/scale/",
            {"node_count": "3"},
        ),
        (
            "delete a Bay Model",
            "/project/dcos_baymodels/",
            {"action": f"baymodels__delete__{spare.uuid}"},
        ),
        (
            "create a bay",
            "/project/dcos_bays/create/",
            {
                "name": f"secaccess-{tag}",
                "cluster_template_id": model.uuid,
                "master_count": "1",
                "node_count": "1",
                "create_timeout": "60",
            },
        ),
        (
            "edit a Bay Model",
            f"/project/dcos_baymodels/{model.uuid}/update/",
            {"name": f"secaccess-{tag}", "coe": "dcos"},
        ),
    )


def unchanged(data, tag):
    """What of demo's project the attempts changed ([] when nothing)."""
    client = data["client"]
    changes = []
    bay = client.clusters.get(data["older"].uuid)
    if bay.status != "CREATE_COMPLETE" or bay.node_count != 1:
        changes.append(f"bay {bay.status} with {bay.node_count} nodes")
    if client.cluster_templates.get(data["model"].uuid).name != data["model"].name:
        changes.append("Bay Model renamed")
    try:
        client.cluster_templates.get(data["spare"].uuid)
    except Exception:  # noqa: BLE001 - any failure to read it: it is gone
        changes.append("Bay Model deleted")
    names = [c.name for c in client.clusters.list()]
    if f"secaccess-{tag}" in names:
        changes.append("bay created")
    return changes


def post_all(probe, category, who, session, base, data, tag, **options):
    """Try every attempt; each is blocked when it answers no 500 and changed
    nothing."""
    for name, path, form in attempts(data, tag):
        headers = {"Referer": base + path, **options.get("headers", {})}
        token = options.get("token", token_of(session))
        body = dict(form)
        if token is not None:
            body["csrfmiddlewaretoken"] = token
        r = session.post(
            base + path, data=body, headers=headers, timeout=60, allow_redirects=False
        )
        if name == "create a bay":
            time.sleep(1)  # past the stand-in's row delay: a new bay is listed
        changes = unchanged(data, tag)
        probe.check(
            category,
            f"{who}: {name}",
            r.status_code != 500 and not changes,
            f"answered {r.status_code}, changed: {changes}",
        )


def test_csrf_no_token_wrong_token_foreign_origin(base, demo_data, probe):
    demo = probes.login(base, "demo", "demo")
    post_all(probe, CSRF, "no token", demo, base, demo_data, "csrf1", token=None)
    post_all(probe, CSRF, "wrong token", demo, base, demo_data, "csrf2", token="x" * 64)
    post_all(
        probe,
        CSRF,
        "foreign Origin",
        demo,
        base,
        demo_data,
        "csrf3",
        headers={"Origin": "http://evil.example", "Referer": "http://evil.example/"},
    )


def test_another_projects_user_and_a_reader(base, demo_data, probe):
    names = [demo_data[k].name for k in ("model", "older", "newer")]
    for who, category, user in (("alt", OTHER, "alt"), ("reader", READER, "reader")):
        session = probes.login(base, user, user)
        post_all(probe, category, who, session, base, demo_data, who)
        for path in id_paths(demo_data):
            r = session.get(base + path, timeout=60, allow_redirects=False)
            if who == "alt":
                leaked = [n for n in names if n in r.text]
                probe.check(
                    category,
                    f"alt reads {path}",
                    r.status_code != 500 and not leaked,
                    f"answered {r.status_code}, showing {leaked}",
                )
            else:
                probe.check(category, f"reader reads {path}", r.status_code != 500)
        if who == "reader":
            # Reading is what a reader may do: the probe sees the project.
            listed = session.get(f"{base}/project/dcos_bays/", timeout=60).text
            assert demo_data["older"].name in listed, "the reader sees no bay"
            for path in (
                "/project/dcos_bays/create/",
                f"/project/dcos_bays/{demo_data['older'].uuid}/scale/",
                "/project/dcos_baymodels/create/",
                f"/project/dcos_baymodels/{demo_data['model'].uuid}/update/",
            ):
                r = session.get(base + path, timeout=60, allow_redirects=False)
                probe.check(
                    READER,
                    f"reader opens {path}",
                    r.status_code in (302, 403) and "<form" not in r.text,
                    f"answered {r.status_code}",
                )


def test_logged_out(base, demo_data, probe):
    anonymous = requests.Session()
    anonymous.get(f"{base}/auth/login/", timeout=60)
    post_all(probe, ANON, "logged out", anonymous, base, demo_data, "anon")
    for path in id_paths(demo_data) + [
        "/project/dcos_bays/",
        "/project/dcos_baymodels/",
        "/project/dcos_bays/create/",
        "/project/dcos_baymodels/create/",
    ]:
        r = anonymous.get(base + path, timeout=60, allow_redirects=False)
        probe.check(
            ANON,
            f"logged out: GET {path}",
            r.status_code == 302 and "/auth/login/" in r.headers.get("Location", ""),
            f"answered {r.status_code}",
        )


def id_paths(data):
    bay, model = data["newer"].uuid, data["model"].uuid
    return [
        f"/project/dcos_bays/{bay}/",
        f"/project/dcos_bays/{bay}/scale/",
        f"/project/dcos_bays/{bay}/health",
        f"/project/dcos_bays/{bay}/health?coe=dcos",
        f"/project/dcos_bays/{bay}/components/dcos-marathon.service/",
        f"/project/dcos_baymodels/{model}/",
        f"/project/dcos_baymodels/{model}/update/",
    ]


MALFORMED = {
    ".": "%2e",
    "..": "%2e%2e",
    "NUL": "%00",
    "unicode": quote("bäy-☃-名前"),
    "100k characters": "a" * 100_000,
}
ID_URLS = (
    ("bay page", "/project/dcos_bays/{}/"),
    ("scale form", "/project/dcos_bays/{}/scale/"),
    ("health badge", "/project/dcos_bays/{}/health?coe=dcos"),
    ("component page", "/project/dcos_bays/{}/components/dcos-marathon.service/"),
    ("Bay Model page", "/project/dcos_baymodels/{}/"),
    ("Edit Bay Model form", "/project/dcos_baymodels/{}/update/"),
)


def test_malformed_ids(base, demo_data, probe):
    """Issue 18, escape 3: ``.`` and ``..`` reached Magnum as path segments."""
    demo = probes.login(base, "demo", "demo")
    others = [demo_data[k].name for k in ("model", "older", "newer", "secret")]
    for label, raw in MALFORMED.items():
        for page, pattern in ID_URLS:
            r = demo.get(base + pattern.format(raw), timeout=60, allow_redirects=False)
            shown = [name for name in others if name in r.text]
            # Magnum's own root (/v1/) lists its collections by these names.
            root = "clustertemplates" in r.text and "media_types" in r.text
            probe.check(
                IDS,
                f"{label} as the id of the {page}",
                r.status_code != 500 and not shown and not root,
                f"answered {r.status_code}"
                + (f", showing {shown}" if shown else "")
                + (", showing Magnum's /v1/ root" if root else ""),
            )


def test_marker_carries_no_second_parameter(base, demo_data, probe):
    """Issue 18, escape 4: ``marker`` was pasted into Magnum's query string.

    ``marker=<newer>&sort_dir=desc``, sent as one value, is no marker Magnum
    knows. Pasted, it becomes two parameters, and the page lists what comes
    before the newer bay (the older one) without the newer: the signature
    of the injection.
    """
    demo = probes.login(base, "demo", "demo")
    for what, path, before, marker in (
        ("bays", "/project/dcos_bays/", demo_data["older"], demo_data["newer"]),
        (
            "Bay Models",
            "/project/dcos_baymodels/",
            demo_data["model"],
            demo_data["secret"],
        ),
    ):
        value = quote(f"{marker.uuid}&sort_dir=desc", safe="")
        r = demo.get(f"{base}{path}?marker={value}", timeout=60)
        injected = before.name in r.text and marker.name not in r.text
        probe.check(
            QUERY,
            f"{what}: marker=<uuid>%26sort_dir%3Ddesc",
            r.status_code != 500 and not injected,
            f"answered {r.status_code}; the {what} before the marker are listed",
        )


def test_secret_labels_are_never_sent_to_the_browser(base, demo_data, probe):
    """Issue 18, escape 2: the Edit Bay Model form held them in full."""
    demo = probes.login(base, "demo", "demo")
    model = demo_data["secret"].uuid
    for page, path in (
        ("Bay Model page", f"/project/dcos_baymodels/{model}/"),
        ("Edit Bay Model form", f"/project/dcos_baymodels/{model}/update/"),
        ("Bay Models list", "/project/dcos_baymodels/"),
    ):
        body = demo.get(base + path, timeout=60).text
        assert demo_data["secret"].name in body or page == "Edit Bay Model form", (
            f"the {page} does not show the Bay Model: the probe saw nothing"
        )
        for key, value in SECRET_LABELS.items():
            probe.check(
                SECRETS,
                f"{key} on the {page}",
                value not in body,
                "sent in full",
            )


def test_demo_can_do_what_the_attempts_tried(base, demo_data):
    """The control: demo's own requests, with a valid token, do change Magnum.

    Last of the module: it scales and deletes the bay the attempts aimed at.
    """
    demo = probes.login(base, "demo", "demo")
    bay = demo_data["older"]
    demo.get(f"{base}/project/dcos_bays/{bay.uuid}/scale/", timeout=60)
    r = demo.post(
        f"{base}/project/dcos_bays/{bay.uuid}/scale/",
        data={"node_count": "2", "csrfmiddlewaretoken": token_of(demo)},
        headers={"Referer": base},
        timeout=60,
    )
    assert r.status_code == 200
    client = demo_data["client"]
    assert client.clusters.get(bay.uuid).node_count == 2, "the scale never happened"
    spare = demo_data["spare"]
    demo.post(
        f"{base}/project/dcos_baymodels/",
        data={
            "action": f"baymodels__delete__{spare.uuid}",
            "csrfmiddlewaretoken": token_of(demo),
        },
        headers={"Referer": base},
        timeout=60,
    )
    with pytest.raises(Exception, match="could not be found|404"):
        client.cluster_templates.get(spare.uuid)
    wait_status(client, bay.uuid, wanted=("UPDATE_COMPLETE",))
    demo.post(
        f"{base}/project/dcos_bays/",
        data={
            "action": f"bays__delete__{bay.uuid}",
            "csrfmiddlewaretoken": token_of(demo),
        },
        headers={"Referer": base},
        timeout=60,
    )
    status = client.clusters.get(bay.uuid).status
    assert status == "DELETE_IN_PROGRESS", f"the delete never happened ({status})"
    demo.get(f"{base}/project/dcos_bays/create/", timeout=60)
    form = dict(attempts(demo_data, "control")[4][2])
    form["csrfmiddlewaretoken"] = token_of(demo)
    demo.post(
        f"{base}/project/dcos_bays/create/",
        data=form,
        headers={"Referer": base},
        timeout=60,
    )
    # Magnum may list a new bay only a moment after its 202.
    deadline = time.monotonic() + 30
    created = []
    while not created and time.monotonic() < deadline:
        created = [c for c in client.clusters.list() if c.name == "secaccess-control"]
        time.sleep(0.5)
    assert created, "the create never happened"
    client.clusters.delete(created[0].uuid)
