"""validate_labels: each label's value, then the rules between labels."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .catalogue import (
    BACKEND_OF,
    COES,
    DCOS_DEFAULT_ISOLATION,
    EXHIBITOR_COMPANIONS,
    ISOLATION_KEY,
    LINUX_LAUNCHER_ISOLATORS,
    LINUX_LAUNCHER_PREFIXES,
    OVERLAY_EXAMPLE,
    PROVIDERS_KEY,
    SPECS,
    specs_of,
)
from .checks import check_value
from .messages import _, clip, code, codes, literal, ngettext
from .suggestions import closest
from .text import list_items


def _isolators_of(value: object) -> list[str]:
    return list_items(value) if isinstance(value, str) else []


def effective_isolation(labels: Mapping[str, str]) -> tuple[str, ...]:
    """Isolators a DC/OS agent runs with: DC/OS's own, then the label's."""
    seen = dict.fromkeys(DCOS_DEFAULT_ISOLATION)
    for item in _isolators_of(labels.get("isolation")):
        seen.setdefault(item)
    return tuple(seen)


def _needing_linux_launcher(isolators: Iterable[str]) -> list[str]:
    return [
        item
        for item in isolators
        if item.startswith(LINUX_LAUNCHER_PREFIXES) or item in LINUX_LAUNCHER_ISOLATORS
    ]


def _isolation_gaps(isolators: Iterable[str]) -> list[tuple[str, str]]:
    """(isolator, what it needs) pairs missing from one isolation set."""
    present = set(isolators)
    # mesos docs/isolators/docker-volume.md: docker/volume needs filesystem/linux.
    if "docker/volume" in present and "filesystem/linux" not in present:
        return [("docker/volume", "filesystem/linux")]
    return []


def _provider_gaps(
    providers: Iterable[str], isolators: Iterable[str], need_filesystem: bool
) -> list[str]:
    """Isolators the image providers need that the isolation set lacks."""
    providers = list(providers)
    present = set(isolators)
    needed = []
    # mesos docs/container-image.md: image support runs on filesystem/linux,
    # and "if [docker/runtime] is not specified and --image_providers contains
    # docker, the agent will refuse to start".
    if need_filesystem and providers:
        needed.append("filesystem/linux")
    if "docker" in providers:
        needed.append("docker/runtime")
    return [item for item in needed if item not in present]


def _unknown_key_message(coe: str, key: str, extra: set[str]) -> str:
    for other in COES:
        if other != coe and key in SPECS[other]:
            return _(
                "%(label)s is a label of %(other)s bays; %(coe)s bays do not "
                "read it. Remove it."
            ) % {"label": code(key), "other": code(other), "coe": code(coe)}
    candidates = list(SPECS[coe]) + sorted(extra)
    suggestion = closest(key, candidates)
    if suggestion is not None:
        return _(
            "%(label)s is not a label of %(coe)s bays. Did you mean %(suggestion)s?"
        ) % {"label": code(key), "coe": code(coe), "suggestion": code(suggestion)}
    return _(
        "%(label)s is not a label of %(coe)s bays (the label guide lists them); "
        "an operator can allow it in DCOS_DASHBOARD['EXTRA_LABELS']."
    ) % {"label": code(key), "coe": code(coe)}


# --------------------------------------------------------------------------
# Rules across labels


def _cross_label_messages(
    coe: str, labels: Mapping[str, object], valid: Mapping[str, str]
) -> Iterable[tuple[str, str]]:
    """(key, message) for each broken rule between two labels."""
    isolation_key = ISOLATION_KEY[coe]
    providers_key = PROVIDERS_KEY[coe]
    if coe == "dcos":
        isolators: list[str] = list(effective_isolation(valid))
    else:
        isolators = _isolators_of(labels.get(isolation_key))

    if coe == "dcos" and valid.get("launcher") == "posix":
        blocking = _needing_linux_launcher(isolators)
        if blocking:
            yield (
                "launcher",
                _(
                    "%(launcher)s is `posix`, but the effective %(isolation)s "
                    "includes %(blocking)s, which need the Linux launcher. DC/OS "
                    "always enables some of these, so use `launcher=linux` or "
                    "remove %(launcher)s."
                )
                % {
                    "launcher": code("launcher"),
                    "isolation": code("isolation"),
                    "blocking": codes(blocking),
                },
            )

    if coe == "dcos" or isolation_key in valid:
        for isolator, needed in _isolation_gaps(isolators):
            yield (
                isolation_key,
                _(
                    "%(isolation)s has %(isolator)s, which needs %(needed)s; add "
                    "%(needed)s to %(isolation)s."
                )
                % {
                    "isolation": code(isolation_key),
                    "isolator": code(isolator),
                    "needed": code(needed),
                },
            )

    if providers_key in valid:
        providers = list_items(valid[providers_key].lower())
        missing = _provider_gaps(providers, isolators, need_filesystem=coe == "dcos")
        if missing:
            if coe == "dcos":
                state = _("the effective set is %(value)s") % {
                    "value": code(",".join(isolators))
                }
            elif isolation_key in labels:
                state = _("it is %(value)s") % {
                    "value": code(str(labels[isolation_key]))
                }
            else:
                state = _("it is not set")
            yield (
                providers_key,
                _(
                    "%(providers)s is %(value)s, which needs %(missing)s in "
                    "%(isolation)s, but %(state)s. Add %(missing)s to %(isolation)s."
                )
                % {
                    "providers": code(providers_key),
                    "value": code(valid[providers_key]),
                    "missing": codes(missing),
                    "isolation": code(isolation_key),
                    "state": state,
                },
            )

    if coe == "dcos":
        yield from _exhibitor_messages(labels, valid)
        enable = valid.get("dcos_overlay_enable", "").lower()
        if enable == "true" and "dcos_overlay_network" not in labels:
            yield (
                "dcos_overlay_network",
                _(
                    "%(enable)s is `true`, which needs %(network)s: the overlay "
                    "networks as one line of JSON, e.g. %(example)s."
                )
                % {
                    "enable": code("dcos_overlay_enable"),
                    "network": code("dcos_overlay_network"),
                    "example": literal(OVERLAY_EXAMPLE),
                },
            )


def _exhibitor_messages(
    labels: Mapping[str, object], valid: Mapping[str, str]
) -> Iterable[tuple[str, str]]:
    backend_key = "exhibitor_storage_backend"
    if backend_key in labels and backend_key not in valid:
        # The backend's own message says what to fix; companions wait for it.
        return
    backend = valid.get(backend_key, "static")
    for companion in EXHIBITOR_COMPANIONS[backend]:
        if companion not in labels:
            yield (
                companion,
                _(
                    "%(backend_key)s is %(backend)s, which needs %(label)s; add it "
                    "or choose another backend."
                )
                % {
                    "backend_key": code(backend_key),
                    "backend": code(backend),
                    "label": code(companion),
                },
            )
    for key in labels:
        owner = BACKEND_OF.get(key) if isinstance(key, str) else None
        if owner is not None and owner != backend:
            default_note = "" if backend_key in labels else _(" (the default)")
            yield (
                key,
                _(
                    "%(label)s is only read when %(backend_key)s is %(owner)s, but "
                    "it is %(backend)s%(default_note)s. Set %(backend_key)s to "
                    "%(owner)s or remove %(label)s."
                )
                % {
                    "label": code(key),
                    "backend_key": code(backend_key),
                    "owner": code(owner),
                    "backend": code(backend),
                    "default_note": default_note,
                },
            )


# --------------------------------------------------------------------------
# Validation


# A page of messages stays readable (and small: 47,000 unknown keys once made
# a 9.7 MB page); the rest are counted under MORE_PROBLEMS.
MAX_MESSAGES = 10
# The key of that count: not text, so never a label's name (validate_labels
# refuses names that are not text).
MORE_PROBLEMS = None


def validate_labels(
    coe: str, labels: Mapping[str, str], extra_keys: Iterable[str] = ()
) -> dict[str | None, str]:
    """One message per offending label key; an empty dict when all is well.

    Beyond MAX_MESSAGES problems, the first MAX_MESSAGES are kept and one
    more message, under the key MORE_PROBLEMS (None), counts the rest.
    """
    specs = specs_of(coe)
    if not isinstance(labels, Mapping):
        raise ValueError(_("Labels must be a mapping of names to values."))
    if isinstance(extra_keys, str):
        extra_keys = (extra_keys,)
    try:
        extra = {key for key in extra_keys if isinstance(key, str)}
    except TypeError as error:
        raise ValueError(_("Extra label names must be a list of names.")) from error

    errors: dict[str, str] = {}
    valid: dict[str, str] = {}
    unshown = 0  # unknown keys past the bound, counted but not described
    for key, value in labels.items():
        if not isinstance(key, str):
            raise ValueError(
                _("Label names must be text; got %(key)s.") % {"key": clip(repr(key))}
            )
        spec = specs.get(key)
        if spec is None:
            if key in extra:
                continue
            if len(errors) >= MAX_MESSAGES:
                unshown += 1
            else:
                errors[key] = _unknown_key_message(coe, key, extra)
            continue
        # Known keys are at most the catalogue's few dozen: always checked.
        message = check_value(spec, value)
        if message:
            errors[key] = message
        else:
            valid[key] = value.strip()
    for key, message in _cross_label_messages(coe, labels, valid):
        errors.setdefault(key, message)
    return _bounded(errors, unshown)


def _bounded(errors: dict[str, str], unshown: int) -> dict[str | None, str]:
    """The first MAX_MESSAGES messages, and one counting the rest."""
    rest = len(errors) - MAX_MESSAGES + unshown
    if rest <= 0:
        return errors
    shown = dict(list(errors.items())[:MAX_MESSAGES])
    shown[MORE_PROBLEMS] = ngettext(
        "… and %(count)s more problem.",
        "… and %(count)s more problems.",
        rest,
    ) % {"count": f"{rest:,}"}
    return shown
