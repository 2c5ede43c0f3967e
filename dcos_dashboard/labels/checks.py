"""Checks of one label value against its catalogue entry."""

from __future__ import annotations

import ipaddress
import json
import re

from .catalogue import (
    DNS_SEARCH_MAX_CHARS,
    DNS_SEARCH_MAX_DOMAINS,
    OVERLAY_EXAMPLE,
    OVERLAY_NAME_MAX,
    LabelSpec,
)
from .messages import _, clip, code, codes, literal
from .suggestions import closest, did_you_mean
from .text import list_items


def _check_enum(spec: LabelSpec, text: str) -> str | None:
    if text in spec.choices:
        return None
    return _("%(label)s is %(value)s; use one of %(choices)s.%(hint)s") % {
        "label": code(spec.key),
        "value": code(text),
        "choices": codes(spec.choices),
        "hint": did_you_mean(text, spec.choices),
    }


def _check_boolean(spec: LabelSpec, text: str) -> str | None:
    if text.lower() in spec.choices:
        return None
    return _("%(label)s is %(value)s; use `true` or `false`.") % {
        "label": code(spec.key),
        "value": code(text),
    }


def _check_enum_list(spec: LabelSpec, text: str) -> str | None:
    items = list_items(text)
    if not items:
        return _empty_message(spec.key)
    unknown: list[str] = []
    repeated: list[str] = []
    seen: set[str] = set()
    for item in items:
        name = item.lower() if spec.any_case else item
        if name not in spec.choices:
            unknown.append(item)
        elif name in seen:
            if item not in repeated:
                repeated.append(item)
        else:
            seen.add(name)
    if unknown:
        values = {"label": code(spec.key), "unknown": codes(unknown[:5])}
        suggestion = closest(unknown[0], spec.choices)
        if suggestion is not None:
            return _(
                "%(label)s lists %(unknown)s, which it does not accept. "
                "Did you mean %(suggestion)s?"
            ) % {**values, "suggestion": code(suggestion)}
        return _(
            "%(label)s lists %(unknown)s, which it does not accept. "
            "Accepted, comma-separated: %(choices)s."
        ) % {**values, "choices": codes(spec.choices)}
    if repeated:
        return _("%(label)s lists %(repeated)s more than once; give each once.") % {
            "label": code(spec.key),
            "repeated": codes(repeated[:5]),
        }
    return None


_DIGITS = re.compile(r"[0-9]+")


def _check_integer(spec: LabelSpec, text: str) -> str | None:
    # Not int(): it accepts "+5", "1_000" and non-ASCII digits, and refuses
    # very long strings with an error of its own.
    if _DIGITS.fullmatch(text) and text.strip("0"):
        return None
    return _("%(label)s is %(value)s; give a whole number of 1 or more, e.g. `5`.") % {
        "label": code(spec.key),
        "value": code(text),
    }


def _check_path(spec: LabelSpec, text: str) -> str | None:
    if text.startswith("/"):
        return None
    return _("%(label)s is %(value)s; give an absolute path, starting with `/`.") % {
        "label": code(spec.key),
        "value": code(text),
    }


def _check_accepting(spec: LabelSpec, text: str) -> str | None:
    return None


_DNS_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_DOMAIN = re.compile(rf"{_DNS_LABEL}(?:\.{_DNS_LABEL})*")
_NUMERIC_HOST = re.compile(r"[0-9.]+")


def _is_domain(name: str) -> bool:
    return len(name) <= 253 and _DOMAIN.fullmatch(name) is not None


def _is_host(host: str) -> bool:
    if host.startswith("[") and host.endswith("]"):
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            return False
        return True
    if _NUMERIC_HOST.fullmatch(host):
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            return False
        return True
    return _is_domain(host)


def _is_hostport(item: str) -> bool:
    host, colon, port = item.rpartition(":")
    if not colon or not _is_host(host):
        return False
    return (
        _DIGITS.fullmatch(port) is not None
        and len(port) <= 5
        and (1 <= int(port) <= 65535)
    )


def _repeated(items: list[str]) -> list[str]:
    seen: set[str] = set()
    repeated: list[str] = []
    for item in items:
        if item in seen and item not in repeated:
            repeated.append(item)
        seen.add(item)
    return repeated


def _check_hostport_list(spec: LabelSpec, text: str) -> str | None:
    items = list_items(text)
    if not items:
        return _empty_message(spec.key)
    bad = [item for item in items if not _is_hostport(item)]
    if bad:
        return _(
            "%(label)s lists %(bad)s; give comma-separated `host:port` pairs "
            "with a port from 1 to 65535, e.g. `10.0.0.5:2181,10.0.0.6:2181`."
        ) % {"label": code(spec.key), "bad": codes(bad[:5])}
    repeated = _repeated(items)
    if repeated:
        return _("%(label)s lists %(repeated)s more than once; give each once.") % {
            "label": code(spec.key),
            "repeated": codes(repeated[:5]),
        }
    return None


def _check_domain_list(spec: LabelSpec, text: str) -> str | None:
    items = text.split()
    bad = [item for item in items if not _is_domain(item)]
    if bad:
        hint = ""
        if any("," in item for item in bad):
            # The leading space joins it to the sentence before.
            hint = _(" Separate domains with spaces, not commas.")
        return _(
            "%(label)s lists %(bad)s, which is not a domain name.%(hint)s "
            "Give space-separated names such as `example.com corp.example.com`."
        ) % {"label": code(spec.key), "bad": codes(bad[:5]), "hint": hint}
    repeated = _repeated(items)
    if repeated:
        return _("%(label)s lists %(repeated)s more than once; give each once.") % {
            "label": code(spec.key),
            "repeated": codes(repeated[:5]),
        }
    canonical = " ".join(items)
    if len(items) > DNS_SEARCH_MAX_DOMAINS or len(canonical) > DNS_SEARCH_MAX_CHARS:
        return _(
            "%(label)s has %(count)d domains in %(length)d characters; DC/OS "
            "accepts at most %(max_domains)d domains in %(max_chars)d characters."
        ) % {
            "label": code(spec.key),
            "count": len(items),
            "length": len(canonical),
            "max_domains": DNS_SEARCH_MAX_DOMAINS,
            "max_chars": DNS_SEARCH_MAX_CHARS,
        }
    return None


def _load_json(spec: LabelSpec, text: str) -> tuple[object, str | None]:
    try:
        return json.loads(text), None
    except RecursionError:
        reason = _("it is nested too deeply")
    except ValueError as error:
        reason = clip(str(error))
    return None, _(
        "%(label)s is not valid JSON (%(reason)s): %(value)s. Write it on one "
        "line, e.g. %(example)s."
    ) % {
        "label": code(spec.key),
        "reason": reason,
        "value": code(text),
        "example": literal(spec.example or "{}"),
    }


def _json_text(value: object) -> str:
    try:
        return json.dumps(value)
    except (ValueError, RecursionError):
        return repr(value)


def _ipv4_cidr(value: object) -> ipaddress.IPv4Network | None:
    if not isinstance(value, str) or "/" not in value:
        return None
    try:
        return ipaddress.IPv4Network(value)
    except ValueError:
        return None


_MAC_PREFIX = re.compile(r"[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}")


def _check_executor_env(spec: LabelSpec, text: str) -> str | None:
    data, error = _load_json(spec, text)
    if error:
        return error
    if not isinstance(data, dict):
        return _(
            "%(label)s is %(value)s; give a JSON object of variable names and "
            "string values, e.g. %(example)s."
        ) % {
            "label": code(spec.key),
            "value": code(text),
            "example": literal(spec.example or "{}"),
        }
    for name, value in data.items():
        if not isinstance(value, str):
            return _(
                "%(label)s sets %(name)s to %(value)s; every value must be a "
                'JSON string, e.g. `"%(name_raw)s": "1"`.'
            ) % {
                "label": code(spec.key),
                "name": code(name),
                "value": code(_json_text(value)),
                "name_raw": clip(name),
            }
    return None


def _object_problem(data: object, not_object, fields) -> str | None:
    """``not_object`` (quoting the value) unless ``data`` is a JSON object,
    else the first of ``fields`` it lacks, else None."""
    if not isinstance(data, dict):
        return not_object % {"value": code(_json_text(data))}
    for field in fields:
        if field not in data:
            return _("it has no %(field)s") % {"field": code(field)}
    return None


def _overlay_problem(data: object) -> str | None:
    """What is wrong in a decoded dcos_overlay_network, or None."""
    problem = _object_problem(
        data,
        _("it is %(value)s, not a JSON object"),
        ("vtep_subnet", "vtep_mac_oui", "overlays"),
    )
    if problem:
        return problem
    if _ipv4_cidr(data["vtep_subnet"]) is None:
        return _(
            "`vtep_subnet` is %(value)s, not an IPv4 network in CIDR form "
            "such as `44.128.0.0/20`"
        ) % {"value": code(_json_text(data["vtep_subnet"]))}
    mac = data["vtep_mac_oui"]
    if not isinstance(mac, str) or not _MAC_PREFIX.fullmatch(mac):
        return _(
            "`vtep_mac_oui` is %(value)s, not six hex octets such as "
            "`70:B3:D5:00:00:00`"
        ) % {"value": code(_json_text(mac))}
    overlays = data["overlays"]
    if not isinstance(overlays, list) or not overlays:
        return _("`overlays` is %(value)s, not a non-empty list of overlays") % {
            "value": code(_json_text(overlays))
        }
    for number, overlay in enumerate(overlays, start=1):
        problem = _overlay_entry_problem(overlay)
        if problem:
            return _("overlay %(number)d: %(problem)s") % {
                "number": number,
                "problem": problem,
            }
    return None


def _overlay_entry_problem(overlay: object) -> str | None:
    problem = _object_problem(
        overlay, _("%(value)s is not a JSON object"), ("name", "subnet", "prefix")
    )
    if problem:
        return problem
    name = overlay["name"]
    if not isinstance(name, str) or not name or len(name) > OVERLAY_NAME_MAX:
        return _("`name` is %(value)s; give a name of 1 to %(max)d characters") % {
            "value": code(_json_text(name)),
            "max": OVERLAY_NAME_MAX,
        }
    subnet = _ipv4_cidr(overlay["subnet"])
    if subnet is None:
        return _(
            "`subnet` is %(value)s, not an IPv4 network in CIDR form such as "
            "`9.0.0.0/8`"
        ) % {"value": code(_json_text(overlay["subnet"]))}
    prefix = overlay["prefix"]
    if (
        isinstance(prefix, bool)
        or not isinstance(prefix, int)
        or not subnet.prefixlen <= prefix <= 32
    ):
        return _(
            "`prefix` is %(value)s; give an integer from %(low)d (the prefix "
            "length of %(subnet)s) to 32"
        ) % {
            "value": code(_json_text(prefix)),
            "low": subnet.prefixlen,
            "subnet": code(str(subnet)),
        }
    return None


def _check_overlay_network(spec: LabelSpec, text: str) -> str | None:
    data, error = _load_json(spec, text)
    if error:
        return error
    problem = _overlay_problem(data)
    if problem is None:
        return None
    return _("%(label)s: %(problem)s. For example: %(example)s.") % {
        "label": code(spec.key),
        "problem": problem,
        "example": literal(OVERLAY_EXAMPLE),
    }


_JSON_CHECKS = {
    "dcos_overlay_network": _check_overlay_network,
    "mesos_slave_executor_env_variables": _check_executor_env,
}


def _check_json(spec: LabelSpec, text: str) -> str | None:
    return _JSON_CHECKS[spec.key](spec, text)


_KIND_CHECKS = {
    "enum": _check_enum,
    "enum_list": _check_enum_list,
    "boolean": _check_boolean,
    "integer": _check_integer,
    "path": _check_path,
    "json": _check_json,
    "text": _check_accepting,
    "secret": _check_accepting,
    "hostport_list": _check_hostport_list,
    "domain_list": _check_domain_list,
}


def _empty_message(key: str) -> str:
    return _("%(label)s is empty; give it a value or remove the label.") % {
        "label": code(key)
    }


def check_value(spec: LabelSpec, value: object) -> str | None:
    if not isinstance(value, str):
        return _("%(label)s must be text, not %(type)s.") % {
            "label": code(spec.key),
            "type": type(value).__name__,
        }
    text = value.strip()
    if not text:
        return _empty_message(spec.key)
    return _KIND_CHECKS[spec.kind](spec, text)
