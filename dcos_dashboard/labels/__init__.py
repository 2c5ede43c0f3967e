"""Magnum labels of dcos and mesos bays: catalogue, text form and validation.

Pure: plain data in, plain data out; no Django, no I/O.

- ``catalogue``: every label a bay driver reads, with its kind and help (data);
  secrets (``is_secret``, ``mask_secret``).
- ``text``: ``parse_labels``, ``format_labels``, ``canonicalize_labels``.
- ``checks``: one value against its catalogue entry.
- ``validation``: ``validate_labels``, the rules between labels.
- ``suggestions``: "did you mean" for a mistyped name.
- ``messages``: ``Message``, a sentence translated later by the panel
  (``dcos_dashboard.i18n``; health uses it too), and how messages quote values.

The user guide, docs/labels.md, is written by ``tools/labels_guide.py``.
"""

from .catalogue import (
    CATALOGUE,
    COES,
    DCOS_DEFAULT_ISOLATION,
    EXHIBITOR_COMPANIONS,
    IMAGE_PROVIDERS,
    KINDS,
    MAGNUM_MESOS_ISOLATORS,
    MESOS_ISOLATORS,
    LabelSpec,
    is_secret,
    mask_secret,
    spec_for,
)
from .text import MAX_TEXT_CHARS, canonicalize_labels, format_labels, parse_labels
from .validation import (
    MAX_MESSAGES,
    MORE_PROBLEMS,
    effective_isolation,
    validate_labels,
)

__all__ = [
    "CATALOGUE",
    "COES",
    "DCOS_DEFAULT_ISOLATION",
    "EXHIBITOR_COMPANIONS",
    "IMAGE_PROVIDERS",
    "KINDS",
    "MAGNUM_MESOS_ISOLATORS",
    "MAX_MESSAGES",
    "MAX_TEXT_CHARS",
    "MESOS_ISOLATORS",
    "MORE_PROBLEMS",
    "LabelSpec",
    "canonicalize_labels",
    "effective_isolation",
    "format_labels",
    "is_secret",
    "mask_secret",
    "parse_labels",
    "spec_for",
    "validate_labels",
]
