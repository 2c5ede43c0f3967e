"""Filling the wizards as a user would, and what every answer must show."""

import uuid

BAYMODEL_CREATE = "/project/dcos_baymodels/create/"
BAY_CREATE = "/project/dcos_bays/create/"


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def model_fields(session, coe="dcos", **changes):
    """A valid Create Bay Model form (choices read from the page) plus changes."""
    form = session.form(BAYMODEL_CREATE)
    image = f"image_{coe}"
    fields = {
        "name": unique("model"),
        "coe": coe,
        image: form.options[image][1],
        "flavor_id": "m1.small",
        "external_network_id": form.options["external_network_id"][1],
    }
    fields.update(changes)
    return fields


def bay_fields(model, **changes):
    """A valid Create Bay form from Bay Model ``model``, plus changes."""
    return {
        "name": unique("bay"),
        "cluster_template_id": model,
        "master_count": "1",
        "node_count": "1",
        "create_timeout": "60",
        **changes,
    }


# A Create wizard: the list it returns to, and Magnum's collection it posts to.
CREATES = {
    BAYMODEL_CREATE: ("/project/dcos_baymodels/", "clustertemplates"),
    BAY_CREATE: ("/project/dcos_bays/", "clusters"),
}


def created_once(cloud, session, magnum, wizard, fields):
    """Submit a valid form of ``wizard``: it creates, with exactly one POST
    to Magnum; Magnum's record of what it created."""
    page = session.submit(wizard, fields)
    listing, collection = CREATES[wizard]
    assert_created(page, listing)
    assert magnum.writes() == [("POST", f"/v1/{collection}")]
    return stored_named(cloud, collection, fields["name"])


def stored_named(cloud, collection, name):
    """Magnum's record of the one item of ``collection`` ("clusters",
    "clustertemplates") named ``name``, read by its uuid."""
    items = cloud.magnum_call("GET", f"/{collection}")[collection]
    named = [item for item in items if item["name"] == name]
    assert len(named) == 1, f"{len(named)} {collection} named {name!r}"
    return cloud.magnum_call("GET", f"/{collection}/{named[0]['uuid']}")


def edit_path(template_uuid: str) -> str:
    return f"/project/dcos_baymodels/{template_uuid}/update/"


def assert_no_server_error(page):
    assert page.status < 500, f"HTTP {page.status}:\n{page.text[-3000:]}"


def assert_beside(page, field, *words, kept=None):
    """The form came back with a sentence beside ``field`` holding ``words``,
    and (``kept``) the value the user typed still in that field."""
    assert_no_server_error(page)
    assert page.status == 200, (
        f"expected the form again with an error beside {field}, got HTTP "
        f"{page.status} -> {page.redirect}"
    )
    errors = page.errors(field)
    assert errors, (
        f"no error beside {field}; errors: {page.all_errors()};"
        f" messages: {page.messages()}"
    )
    text = " ".join(errors)
    for word in words:
        assert word.lower() in text.lower(), f"{word!r} not in {text!r}"
    if kept is not None:
        assert page.value(field) == kept, (
            f"{field} came back as {page.value(field)!r}, typed {kept!r}"
        )


def assert_created(page, where):
    assert_no_server_error(page)
    assert page.status == 302, (
        f"not created: errors {page.all_errors()}; messages {page.messages()}"
    )
    assert page.redirect.rstrip("/").endswith(where.rstrip("/"))


def typed_text(page, changes, field):
    """What the user typed in ``field`` if it is a text box, else None (a
    choice outside the list cannot be shown again)."""
    typed = changes.get(field)
    if not isinstance(typed, str) or not page.form or field in page.form.options:
        return None
    return typed
