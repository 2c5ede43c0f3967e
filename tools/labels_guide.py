"""Write the label guide, docs/labels.md, from the catalogue.

``python -m tools.labels_guide`` (from the checkout) rewrites it; ``--check``
exits 1 when it is stale. A docs tool, not imported by the plugin at run time.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from dcos_dashboard.labels import (
    CATALOGUE,
    DCOS_DEFAULT_ISOLATION,
    EXHIBITOR_COMPANIONS,
    MAGNUM_MESOS_ISOLATORS,
    MESOS_ISOLATORS,
    LabelSpec,
)
from dcos_dashboard.labels.catalogue import (
    DNS_SEARCH_MAX_CHARS,
    DNS_SEARCH_MAX_DOMAINS,
    OVERLAY_NAME_MAX,
)

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "labels.md"


def _values_cell(spec: LabelSpec) -> str:
    if spec.kind == "enum":
        return "one of " + _bullets(spec.choices)
    if spec.kind == "enum_list":
        if spec.choices == MESOS_ISOLATORS:
            return "comma list of [Mesos isolators](#mesos-isolators)"
        names = ", ".join(f"`{choice}`" for choice in spec.choices)
        case = " (any case)" if spec.any_case else ""
        return f"comma list of {names}{case}"
    if spec.kind == "boolean":
        return "`true` or `false` (any case)"
    if spec.kind == "integer":
        return "whole number, 1 or more"
    if spec.kind == "path":
        return "absolute path (starts with `/`)"
    if spec.kind == "hostport_list":
        return "comma list of `host:port`"
    if spec.kind == "domain_list":
        return "space-separated domain names"
    if spec.key == "dcos_overlay_network":
        return (
            "one-line JSON object: `vtep_subnet` (IPv4 CIDR), `vtep_mac_oui` "
            "(six hex octets), `overlays` (non-empty list of `name`, `subnet`, "
            "`prefix`)"
        )
    if spec.key == "mesos_slave_executor_env_variables":
        return "one-line JSON object of string values"
    if spec.secret:
        return "text (secret: never shown in full)"
    return "text"


def _table(specs: Iterable[LabelSpec]) -> list[str]:
    lines = [
        "| Label | Values | Default | Meaning |",
        "|---|---|---|---|",
    ]
    for spec in specs:
        default = f"`{spec.default}`" if spec.default is not None else "-"
        if spec.key == "isolation":
            default = "DC/OS's own set (below)"
        meaning = spec.help
        if spec.example:
            meaning += f" Example: `{spec.example}`."
        cells = [f"`{spec.key}`", _values_cell(spec), default, meaning]
        lines.append(
            "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"
        )
    return lines


def _bullets(values: Iterable[str]) -> str:
    return ", ".join(f"`{value}`" for value in values)


def catalogue_markdown() -> str:
    """The label guide, docs/labels.md, written from the catalogue."""
    zk = EXHIBITOR_COMPANIONS["zookeeper"]
    s3 = EXHIBITOR_COMPANIONS["aws_s3"]
    azure = EXHIBITOR_COMPANIONS["azure"]
    lines = [
        "# Labels of DC/OS and Mesos bays",
        "",
        "<!-- Written by tools/labels_guide.py from the catalogue in "
        "dcos_dashboard/labels/catalogue.py; edit that, not this file. -->",
        "",
        "Labels are the `key=value` settings a bay model (and, as overrides, a "
        "bay) passes to Magnum's bay driver. Magnum checks almost none of them, "
        "so a typo used to surface as a broken cluster an hour later. The "
        "dashboard checks every label before it calls Magnum and names the "
        "label that is wrong, its value, and what it would accept.",
        "",
        "## Typing labels",
        "",
        "- One `key=value` per line, or several on one line separated by "
        "commas: `isolation=docker/volume,launcher=linux,image_providers=docker`"
        " is three labels.",
        "- A piece after a comma that does not start with `name=` belongs to the"
        " value before it: `isolation=filesystem/linux,docker/runtime` is one "
        "label whose value lists two isolators.",
        "- Spaces around names, values and pieces are dropped; blank lines and "
        "trailing commas are ignored.",
        "- Write a JSON value on one line. Spaces right after its commas are "
        "dropped too, which JSON does not mind (only a comma inside a JSON "
        "string would lose the spaces after it).",
        "- A label given twice, a piece before any `name=`, or `=value` without"
        " a name is refused, with the line it is on.",
        "- Values are sent to Magnum in one spelling: list items joined by `,` "
        "without spaces, `true`/`false` and image providers in lower case, "
        "`dns_search` domains separated by single spaces.",
        "- Other labels are refused unless the operator lists them in "
        "`DCOS_DASHBOARD['EXTRA_LABELS']`; a near miss gets a suggestion "
        '("did you mean `isolation`?").',
        "",
        "## `dcos` bays (Open DC/OS)",
        "",
        *_table(CATALOGUE["dcos"]),
        "",
        "`aws_secret_access_key` and `exhibitor_azure_account_key` are secrets: "
        "the dashboard never shows them in full.",
        "",
        "### Rules between labels (`dcos`)",
        "",
        "- `isolation` **adds to** the isolators DC/OS always enables (its "
        "installer sets the agents' isolation itself). The rules below look at "
        "the effective set: DC/OS's own isolators, then the label's. An "
        "isolator listed twice in the label is refused; one that DC/OS already "
        "enables is fine.",
        "- `launcher=posix` cannot run `cgroups/*`, `namespaces/*`, `network/*`"
        " or `filesystem/linux` isolators (Mesos needs the Linux launcher for "
        "them). DC/OS always enables some of them, so `posix` is always "
        "refused on `dcos` bays, reported on `launcher`.",
        "- Any `image_providers` entry needs `filesystem/linux`, and `docker` "
        "needs `docker/runtime`, in the effective isolation (reported on "
        "`image_providers`). DC/OS always enables both.",
        "- `docker/volume` needs `filesystem/linux` (reported on `isolation`); "
        "DC/OS always enables both.",
        f"- `exhibitor_storage_backend` (default `static`) decides which other "
        f"labels are needed: `zookeeper` needs {_bullets(zk)}; `aws_s3` needs "
        f"{_bullets(s3)}; `azure` needs {_bullets(azure)}. A missing one is "
        "reported on its own key. One of these labels set while the backend "
        "is another one (or `static`) is refused too, on that label, because "
        "DC/OS would ignore it.",
        "- `dcos_overlay_enable=true` needs `dcos_overlay_network` (reported on"
        " `dcos_overlay_network`). In that JSON, `vtep_subnet`, `vtep_mac_oui` "
        "and `overlays` are all required; each overlay has a `name` of at most"
        f" {OVERLAY_NAME_MAX} characters, a `subnet` in CIDR form, and a "
        "`prefix` between the subnet's prefix length and 32.",
        f"- `dns_search` holds at most {DNS_SEARCH_MAX_DOMAINS} domains in "
        f"{DNS_SEARCH_MAX_CHARS} characters (resolv.conf's limits, as DC/OS "
        "checks them).",
        "",
        "### DC/OS default isolation",
        "",
        _bullets(DCOS_DEFAULT_ISOLATION)
        + ", plus DC/OS's metrics module (dcos/dcos `gen/calc.py`).",
        "",
        "## `mesos` bays (Magnum's Mesos driver)",
        "",
        *_table(CATALOGUE["mesos"]),
        "",
        "### Rules between labels (`mesos`)",
        "",
        "- `mesos_slave_isolation` **replaces** the agent's isolation; an "
        "isolator listed twice is refused.",
        "- `mesos_slave_image_providers` with `docker` needs `docker/runtime` "
        "in `mesos_slave_isolation`, also when `mesos_slave_isolation` is not "
        "set (Magnum's own rule; reported on `mesos_slave_image_providers`).",
        "- `mesos_slave_executor_env_variables` must be a JSON object whose "
        "values are all strings.",
        "",
        "## Mesos isolators",
        "",
        "Isolators Mesos knows (mesos `src/slave/containerizer/mesos/"
        "containerizer.cpp`); `dcos` bays accept any of them in `isolation`, "
        "`mesos` bays only those Magnum's driver accepts: "
        + _bullets(MAGNUM_MESOS_ISOLATORS)
        + ".",
        "",
        "All of them: " + _bullets(MESOS_ISOLATORS) + ".",
        "",
        "## Sources",
        "",
        "- Magnum: `contrib/drivers/dcos_centos_v1` (Heat template and "
        "`configure-dcos.sh`), `drivers/mesos_ubuntu_v1`, "
        "`api/attr_validator.py`.",
        "- DC/OS: dcos/dcos `gen/calc.py`.",
        "- Mesos: `docs/configuration/agent.md`, `docs/container-image.md`, "
        "`docs/isolators/docker-volume.md`.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    text = catalogue_markdown()
    if argv == ["--check"]:
        if GUIDE.read_text(encoding="utf-8") != text:
            print(
                f"{GUIDE} is stale: run python -m tools.labels_guide", file=sys.stderr
            )
            return 1
        return 0
    GUIDE.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
