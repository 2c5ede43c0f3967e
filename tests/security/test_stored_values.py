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

from tests.browser import (
    choose,
    fill,
    left,
    modal,
    open_page,
    page_ready,
    wait,
    wait_clickable,
    wait_visible,
)
from tests.e2e.pages import field_error, press_create, start_dcos_baymodel
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


def hostile_labels(prefix):
    """Labels with a payload in a value and a script in a key, tagged with
    ``prefix`` (and the overlay on, which DC/OS needs)."""
    return {
        "dcos_overlay_enable": "true",
        "hostile": payload(f"{prefix}_label_value"),
        script_payload(f"{prefix}_label_key"): "x",
    }


@pytest.fixture(scope="module")
def stage(created):
    model_fields = {field: payload(f"m_{field}") for field in MODEL_TEXT_FIELDS}
    model = created.model(
        name=payload("m_name"),
        coe="dcos",
        labels=hostile_labels("m"),
        **model_fields,
    )
    bay = created.bay(
        model,
        discovery_url=payload("b_discovery_url"),
        labels=hostile_labels("b"),
    )
    # Magnum reports what its driver wrote; a console link must never run it.
    scripted = created.bay(
        model,
        labels={"sandbox_api_address": "javascript:document.title='XSS:api'//"},
    )
    doomed = created.model(name=payload("doomed_name"), coe="dcos")
    return {
        "model": model,
        "bay": bay,
        "scripted": scripted,
        "doomed": doomed,
        "texts": {},  # page -> its text, for the double escaping test
    }


MODEL_TAGS = ["m_name", "m_label_value", "m_label_key"] + [
    f"m_{f}" for f in MODEL_TEXT_FIELDS
]
# The fields the Bay Model's page shows (tags and the registry it does not).
MODEL_SHOWN = [t for t in MODEL_TAGS if t not in ("m_tags", "m_insecure_registry")]
BAY_TAGS = ["m_name", "b_discovery_url", "b_label_value", "b_label_key"]


def test_values_stored_through_the_api_never_run(demo_browser, base_url, stage, probe):
    driver = demo_browser
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
        stage["texts"][page] = probes.inspect(driver)["text"]
        missing = [tag for tag in expected if tag not in shown]
        assert not missing, f"{page} does not show {missing}: the probe saw nothing"


def test_a_hostile_name_in_the_delete_dialog_and_its_message(
    demo_browser, base_url, stage, probe
):
    driver = demo_browser
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
    wait(driver).until(left(old), "the deletion never happened")
    wait(driver).until(lambda d: page_ready(d))
    shown = check_page(probe, driver, STORED, "deletion message", tags=["doomed_name"])
    assert shown == ["doomed_name"], "the message does not name the Bay Model"
    stage["doomed"] = None


def test_values_typed_into_the_wizards_never_run(demo_browser, base_url, stage, probe):
    driver = demo_browser
    # A Bay Model named with markup: Magnum takes it, every page shows it.
    name = payload("w_name")
    start_dcos_baymodel(driver, base_url, name)
    # First an extra label the dashboard refuses: its refusal names the key.
    fill(
        driver,
        "id_extra_labels",
        "</textarea><script>alert('w_label_key')</script>=1",
    )
    press_create(driver)
    wait(driver).until(
        lambda d: field_error(d, "id_extra_labels"), "the extra label was accepted"
    )
    check_page(probe, driver, REFLECTED, "refused extra label", tags=["w_label_key"])
    fill(driver, "id_extra_labels", "")
    old = driver.find_element(By.TAG_NAME, "html")
    press_create(driver)
    wait(driver).until(left(old), "the wizard never finished")
    wait(driver).until(lambda d: page_ready(d))
    shown = check_page(
        probe, driver, STORED, "Bay Models list after the wizard", tags=["w_name"]
    )
    assert "w_name" in shown, "the created Bay Model is not shown"

    # A bay named with markup: the wizard refuses it beside Name (Magnum's
    # name rule), before Magnum is asked; the page shows it back, inert.
    open_page(driver, f"{base_url}/project/dcos_bays/")
    wait_clickable(driver, (By.ID, "bays__action_create")).click()
    modal(driver, "Create Bay")
    fill(driver, "id_name", payload("w_bay_name"))
    choose(driver, "id_cluster_template_id", stage["model"].name.strip())
    check_page(probe, driver, REFLECTED, "Create Bay wizard, typed", tags=[])
    driver.find_element(By.CSS_SELECTOR, ".modal.in .button-next").click()
    wait(driver).until(
        lambda d: page_ready(d) and field_error(d, "id_name"),
        "the bay name was accepted",
    )
    check_page(
        probe, driver, REFLECTED, "the refusal of a bay name", tags=["w_bay_name"]
    )


def test_no_value_is_shown_escaped_twice(demo_browser, base_url, stage, probe):
    """Issue 18: the dropdowns showed ``Magnum&#x27;s default``.

    The pages the stored values test opened are read again from what it
    kept; only the Create Bay Model wizard is opened here.
    """
    driver = demo_browser
    texts = stage["texts"]
    assert "Edit Bay Model form" in texts, "the stored values test kept no page"
    open_page(driver, f"{base_url}/project/dcos_baymodels/create/")
    texts["Create Bay Model wizard"] = probes.inspect(driver)["text"]
    for page, text in texts.items():
        probes.check_entities(probe, driver, page, text)


def test_markup_in_urls_is_not_reflected(demo_browser, base_url, stage, probe):
    """Ids and query values the user's browser was tricked into opening."""
    driver = demo_browser
    markup = quote(probes.url_payload("r_url"), safe="")
    for page, path in (
        ("bay page", f"/project/dcos_bays/{markup}/"),
        ("Edit Bay Model form", f"/project/dcos_baymodels/{markup}/update/"),
        ("Bays list marker", f"/project/dcos_bays/?marker={markup}"),
        ("Create Bay wizard", f"/project/dcos_bays/create/?baymodel={markup}"),
        ("health badge", f"/project/dcos_bays/{markup}/health?coe=dcos"),
    ):
        open_page(driver, base_url + path)
        check_page(probe, driver, REFLECTED, page, tags=["r_url"])
