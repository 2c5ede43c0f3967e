"""Hostile values stored through Magnum's API and typed into the wizards,
rendered in Chromium on every page that shows them.

Each free-text field of a Bay Model and of a bay holds markup tagged with the
field's name (probes.payload); each page is then inspected for what ran or
was parsed (title, injected nodes, dialogs, javascript: links) and for the
tags it shows as text. Secret labels are looked for in what the server sends.
"""

from urllib.parse import quote

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from tests.browser import (
    choose,
    fill,
    login,
    modal,
    open_page,
    page_ready,
    wait,
    wait_clickable,
    wait_visible,
    wizard_next,
)
from tests.e2e.pages import press_create, start_dcos_baymodel
from tests.security import probes
from tests.security.probes import check_page, payload, script_payload

pytestmark = [pytest.mark.security, pytest.mark.e2e]

STORED = "stored XSS"
REFLECTED = "reflected XSS"

# Bay Model fields the stand-in keeps as typed (the others are looked up).
MODEL_TEXT_FIELDS = (
    "dns_nameserver",
    "http_proxy",
    "https_proxy",
    "no_proxy",
    "insecure_registry",
    "tags",
)
SECRETS = {
    "aws_secret_access_key": "AWSsecretVALUEnever2shown9Q",
    "exhibitor_azure_account_key": "AZUREsecretVALUEnever2shown7Z",
}


@pytest.fixture(scope="module")
def stage(created):
    model_fields = {field: payload(f"m_{field}") for field in MODEL_TEXT_FIELDS}
    model = created.model(
        name=payload("m_name"),
        coe="dcos",
        labels={
            "dcos_overlay_enable": "true",
            "hostile": payload("m_label_value"),
            script_payload("m_label_key"): "x",
        },
        **model_fields,
    )
    bay = created.bay(
        model,
        discovery_url=payload("b_discovery_url"),
        labels={
            "dcos_overlay_enable": "true",
            "hostile": payload("b_label_value"),
            script_payload("b_label_key"): "x",
        },
    )
    # Magnum reports what its driver wrote; a console link must never run it.
    scripted = created.bay(
        model,
        labels={"sandbox_api_address": "javascript:document.title='XSS:api'//"},
    )
    doomed = created.model(name=payload("doomed_name"), coe="dcos")
    secret = created.model(
        coe="mesos",
        image_id="ubuntu-mesos",
        labels={**SECRETS, "mesos_slave_isolation": "docker/runtime"},
    )
    return {
        "model": model,
        "bay": bay,
        "scripted": scripted,
        "doomed": doomed,
        "secret": secret,
    }


MODEL_TAGS = ["m_name", "m_label_value", "m_label_key"] + [
    f"m_{f}" for f in MODEL_TEXT_FIELDS
]
# The fields the Bay Model's page shows (tags and the registry it does not).
MODEL_SHOWN = [t for t in MODEL_TAGS if t not in ("m_tags", "m_insecure_registry")]
BAY_TAGS = ["m_name", "b_discovery_url", "b_label_value", "b_label_key"]


def test_values_stored_through_the_api_never_run(driver, base_url, stage, probe):
    probes.install_alert_hook(driver)
    login(driver, base_url, "demo", "demo")
    model, bay = stage["model"], stage["bay"]
    pages = (
        ("Bay Models list", "/project/dcos_baymodels/", ["m_name", "m_label_value"]),
        ("Bay Model detail", f"/project/dcos_baymodels/{model.uuid}/", MODEL_SHOWN),
        (
            "Edit Bay Model form",
            f"/project/dcos_baymodels/{model.uuid}/update/",
            ["m_name", "m_dns_nameserver", "m_http_proxy"],
        ),
        ("Bays list", "/project/dcos_bays/", ["m_name"]),
        ("Bay overview", f"/project/dcos_bays/{bay.uuid}/", BAY_TAGS),
        (
            "Bay nodes tab",
            f"/project/dcos_bays/{bay.uuid}/?tab=bay_details__nodes",
            [],
        ),
        ("Scale Bay form", f"/project/dcos_bays/{bay.uuid}/scale/", []),
        (
            "Create Bay wizard",
            f"/project/dcos_bays/create/?baymodel={model.uuid}",
            ["m_name"],
        ),
        (
            "Bay with a javascript: api_address",
            f"/project/dcos_bays/{stage['scripted'].uuid}/",
            [],
        ),
    )
    for page, path, expected in pages:
        open_page(driver, base_url + path)
        every = MODEL_TAGS + BAY_TAGS
        shown = check_page(probe, driver, STORED, page, tags=every)
        missing = [tag for tag in expected if tag not in shown]
        assert not missing, f"{page} does not show {missing}: the probe saw nothing"


def test_a_hostile_name_in_the_delete_dialog_and_its_message(
    driver, base_url, stage, probe
):
    probes.install_alert_hook(driver)
    login(driver, base_url, "demo", "demo")
    open_page(driver, f"{base_url}/project/dcos_baymodels/")
    row = wait_visible(driver, (By.ID, f"baymodels__row__{stage['doomed'].uuid}"))
    box = row.find_element(By.CSS_SELECTOR, "input[type=checkbox]")
    driver.execute_script("arguments[0].click();", box)
    wait_clickable(driver, (By.ID, "baymodels__action_delete")).click()
    dialog = wait_visible(driver, (By.CSS_SELECTOR, "#modal_wrapper .modal.in"))
    wait(driver).until(lambda d: page_ready(d))
    shown = check_page(probe, driver, STORED, "delete dialog", tags=["doomed_name"])
    assert shown == ["doomed_name"], "the dialog does not name the Bay Model"
    old = driver.find_element(By.TAG_NAME, "html")
    dialog.find_element(By.CSS_SELECTOR, ".btn-danger, .btn-primary").click()
    wait(driver).until(EC.staleness_of(old), "the deletion never happened")
    wait(driver).until(lambda d: page_ready(d))
    shown = check_page(probe, driver, STORED, "deletion message", tags=["doomed_name"])
    assert shown == ["doomed_name"], "the message does not name the Bay Model"
    stage["doomed"] = None


def test_values_typed_into_the_wizards_never_run(driver, base_url, stage, probe):
    probes.install_alert_hook(driver)
    login(driver, base_url, "demo", "demo")
    # A Bay Model named with markup: Magnum takes it, every page shows it.
    name = payload("w_name")
    start_dcos_baymodel(driver, base_url, name)
    old = driver.find_element(By.TAG_NAME, "html")
    press_create(driver)
    wait(driver).until(EC.staleness_of(old), "the wizard never finished")
    wait(driver).until(lambda d: page_ready(d))
    shown = check_page(
        probe, driver, STORED, "Bay Models list after the wizard", tags=["w_name"]
    )
    assert "w_name" in shown, "the created Bay Model is not shown"

    # A bay named with markup: Magnum refuses the name; what it says back,
    # the value included, is shown to the user.
    open_page(driver, f"{base_url}/project/dcos_bays/")
    wait_clickable(driver, (By.ID, "bays__action_create")).click()
    modal(driver, "Create Bay")
    fill(driver, "id_name", payload("w_bay_name"))
    choose(driver, "id_cluster_template_id", stage["model"].name.strip())
    check_page(probe, driver, REFLECTED, "Create Bay wizard, typed", tags=[])
    wizard_next(driver, "Size")
    fill(driver, "id_node_count", "1")
    wizard_next(driver, "Advanced")
    driver.find_element(By.CSS_SELECTOR, ".modal.in .button-final").click()
    wait(driver).until(
        lambda d: (
            page_ready(d)
            and (
                d.find_elements(By.CSS_SELECTOR, ".alert-danger, .has-error, .messages")
            )
        ),
        "Magnum's refusal was never shown",
    )
    check_page(
        probe, driver, REFLECTED, "the refusal of a bay name", tags=["w_bay_name"]
    )


def test_no_value_is_shown_escaped_twice(driver, base_url, stage, probe):
    """Issue 18: the dropdowns showed ``Magnum&#x27;s default``."""
    login(driver, base_url, "demo", "demo")
    model = stage["model"]
    for page, path in (
        ("Create Bay Model wizard", "/project/dcos_baymodels/create/"),
        ("Edit Bay Model form", f"/project/dcos_baymodels/{model.uuid}/update/"),
        ("Create Bay wizard", "/project/dcos_bays/create/"),
        ("Bay Model detail", f"/project/dcos_baymodels/{model.uuid}/"),
    ):
        open_page(driver, base_url + path)
        probes.check_entities(probe, driver, page, probes.inspect(driver)["text"])


def test_markup_in_urls_is_not_reflected(driver, base_url, stage, probe):
    """Ids and query values the user's browser was tricked into opening."""
    probes.install_alert_hook(driver)
    login(driver, base_url, "demo", "demo")
    markup = quote(probes.url_payload("r_url"), safe="")
    for page, path in (
        ("bay page", f"/project/dcos_bays/{markup}/"),
        ("scale form", f"/project/dcos_bays/{markup}/scale/"),
        ("Bay Model page", f"/project/dcos_baymodels/{markup}/"),
        ("Edit Bay Model form", f"/project/dcos_baymodels/{markup}/update/"),
        ("Bays list marker", f"/project/dcos_bays/?marker={markup}"),
        ("Create Bay wizard", f"/project/dcos_bays/create/?baymodel={markup}"),
        ("health badge", f"/project/dcos_bays/{markup}/health?coe=dcos"),
    ):
        open_page(driver, base_url + path)
        check_page(probe, driver, REFLECTED, page, tags=["r_url"])
