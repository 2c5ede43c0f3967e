"""What Magnum refuses, or this cloud caps, in a form field, checked before Magnum."""

import re
import unicodedata

from django.core import validators
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dcos_dashboard import config

# magnum/api/controllers/v1/cluster.py (Magnum 23), the cluster's name:
# StringType(min_length=1, max_length=242, pattern='^[a-zA-Z][a-zA-Z0-9_.-]*$')
BAY_NAME_MAX = 242
_BAY_NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9_.-]*")

# Magnum 23 takes a cluster template's name as 1-255 characters of any kind
# (cluster_template.py), into a MySQL "utf8" column (magnum/db/sqlalchemy/
# models.py), which holds 3-byte characters only.
BAYMODEL_NAME_MAX = 255
_HIDDEN = ("Cc", "Cf", "Cs", "Co", "Cn")


def check_bay_name(value):
    if len(value) > BAY_NAME_MAX or not _BAY_NAME.fullmatch(value):
        raise ValidationError(
            _(
                "A bay name starts with a letter and holds only the letters "
                "a-z and A-Z, digits, \u201c_\u201d, \u201c.\u201d and "
                "\u201c-\u201d, at most %(max)d characters (Magnum's rule)."
            )
            % {"max": BAY_NAME_MAX}
        )


def check_baymodel_name(value):
    for char in value:
        if unicodedata.category(char) in _HIDDEN or ord(char) > 0xFFFF:
            raise ValidationError(
                _(
                    "A bay model name cannot hold control or text-direction "
                    "characters, nor characters such as emoji that Magnum "
                    "cannot store (%(char)s)."
                )
                % {"char": f"U+{ord(char):04X}"}
            )


class CapsMixin:
    """For forms and workflow actions: ``caps`` maps a field to its ``cap_*``
    below, applied as each form is built (the settings can change)."""

    caps = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, capped in self.caps.items():
            capped(self.fields[name])


def cap(field, limit, message):
    """An upper bound on an IntegerField, refused with ``message``."""
    field.max_value = limit
    field.validators.append(validators.MaxValueValidator(limit, message=message))
    field.widget.attrs["max"] = limit


def cap_node_count(field):
    limit = config.get("MAX_NODE_COUNT")
    cap(
        field,
        limit,
        _("A bay has at most %(max)d nodes on this cloud.") % {"max": limit},
    )


def cap_create_timeout(field):
    limit = config.get("MAX_CREATE_TIMEOUT")
    cap(
        field,
        limit,
        _(
            "Enter at most %(max)d minutes, this cloud's limit for a bay's "
            "creation; 0 means no timeout."
        )
        % {"max": limit},
    )


def cap_docker_volume_size(field):
    limit = config.get("MAX_DOCKER_VOLUME_SIZE")
    cap(
        field,
        limit,
        _("Enter at most %(max)d GB, this cloud's limit for a Docker volume.")
        % {"max": limit},
    )
