"""The Bay Model wizard's fields: which Magnum field each step holds, the
label fields built from the catalogue, and a model's values as form values
(for Edit and for Copy). The steps and workflows are in workflows.py.
"""

from django import forms as django_forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from horizon import forms

from dcos_dashboard import labels as labels_lib
from dcos_dashboard.api import magnum
from dcos_dashboard.panels import widgets

# Magnum picks a driver by (server_type, image os_distro, coe): the contrib
# DC/OS driver is dcos_centos_v1, the Mesos one mesos_ubuntu_v1
# (docs/reference.md#labels).
IMAGE_DISTRO = {magnum.DCOS: "centos", magnum.MESOS: "ubuntu"}

EXTRA_LABELS_FIELD = "extra_labels"
# What the extra labels show for a stored secret: nothing of the value, so
# the form never carries it; saved as shown, it stands for the stored value.
SECRET_MASK = "********"  # noqa: S105 - a mask, not a password

# The Magnum fields each step sends (labels apart).
INFO_FIELDS = ("name", "coe", "public")
NODE_FIELDS = (
    "image_id",
    "flavor_id",
    "master_flavor_id",
    "keypair_id",
    "docker_volume_size",
    "volume_driver",
)
NETWORK_FIELDS = (
    "external_network_id",
    "fixed_network",
    "fixed_subnet",
    "dns_nameserver",
    "network_driver",
    "master_lb_enabled",
    "floating_ip_enabled",
    "http_proxy",
    "https_proxy",
    "no_proxy",
)
TEMPLATE_FIELDS = INFO_FIELDS + NODE_FIELDS + NETWORK_FIELDS + ("labels",)


def label_field_name(coe, key):
    # rexray_preempt exists for both COEs: one field each.
    return f"label_{coe}__{key}"


def image_field_name(coe):
    return f"image_{coe}"


def switched_attrs(coe, label):
    """Widget attrs that show a field only while COE ``coe`` is chosen."""
    return {
        "class": "switched",
        "data-switch-on": "coe",
        f"data-coe-{coe}": label,
    }


def coe_of(context):
    coe = context.get("coe")
    return coe if coe in labels_lib.CATALOGUE else None


def editing_model(context):
    return bool(context.get("baymodel_id"))


def with_current(choices, current):
    """Keep the model's current value selectable when the list lacks it."""
    if current and current not in {value for value, _label in choices}:
        return [*choices, (current, _("%s (current)") % current)]
    return choices


# --- Labels ----------------------------------------------------------------


def label_field(coe, spec, editing):
    key = spec.key
    help_text = gettext(spec.help)
    widget_attrs = {} if editing else switched_attrs(coe, key)
    if spec.kind == "boolean":
        default = spec.default or gettext("unset")
        return widgets.ThemableChoiceField(
            label=key,
            required=False,
            choices=(
                ("", _("Default (%s)") % default),
                ("true", "true"),
                ("false", "false"),
            ),
            help_text=help_text,
            widget=widgets.ThemableSelectWidget(attrs=widget_attrs),
        )
    if spec.kind == "enum":
        default = spec.default or gettext("unset")
        return widgets.ThemableChoiceField(
            label=key,
            required=False,
            choices=[("", _("Default (%s)") % default)]
            + [(c, c) for c in spec.choices],
            help_text=help_text,
            widget=widgets.ThemableSelectWidget(attrs=widget_attrs),
        )
    if spec.kind == "enum_list":
        choices = [(c, c) for c in spec.choices]
        if key == "isolation":
            defaults = set(labels_lib.DCOS_DEFAULT_ISOLATION)
            choices = [
                (c, _("%s (DC/OS default)") % c if c in defaults else c)
                for c in spec.choices
            ]
        return django_forms.MultipleChoiceField(
            label=key,
            required=False,
            choices=choices,
            help_text=help_text,
            widget=django_forms.CheckboxSelectMultiple(attrs=widget_attrs),
        )
    if spec.secret:
        return forms.CharField(
            label=key,
            required=False,
            strip=False,
            help_text=(
                _("%s Leave empty to keep the stored value.") % help_text
                if editing
                else help_text
            ),
            # Typed back when the form comes back with an error; never
            # filled from Magnum (see the edit view).
            widget=django_forms.PasswordInput(
                render_value=True, attrs={**widget_attrs, "autocomplete": "off"}
            ),
        )
    attrs = dict(widget_attrs)
    if spec.example:
        attrs["placeholder"] = spec.example
    elif spec.default:
        attrs["placeholder"] = spec.default
    return forms.CharField(
        label=key,
        required=False,
        help_text=help_text,
        widget=django_forms.TextInput(attrs=attrs),
    )


def label_value(spec, value):
    """A field's cleaned value as label text ('' when unset)."""
    if isinstance(value, list | tuple):
        return ",".join(value)
    return value or ""


def field_values_from_labels(coe, labels):
    """Initial field values for a model's labels, plus the extra-labels text."""
    initial = {}
    extra = {}
    for key, value in (labels or {}).items():
        spec = labels_lib.spec_for(coe, key) if coe else None
        if spec is None:
            # A key another COE calls a secret is one here too.
            extra[key] = SECRET_MASK if labels_lib.is_secret(coe, key) else value
        elif spec.secret:
            continue  # never sent back to the browser
        elif spec.kind == "enum_list":
            initial[label_field_name(coe, key)] = [
                item.strip() for item in str(value).split(",") if item.strip()
            ]
        elif spec.kind == "boolean":
            initial[label_field_name(coe, key)] = str(value).lower()
        else:
            initial[label_field_name(coe, key)] = str(value)
    initial[EXTRA_LABELS_FIELD] = labels_lib.format_labels(extra)
    return initial


# Magnum's name limit (magnum/api/controllers/v1/cluster_template.py).
_NAME_MAX = 255
COPY_SUFFIX = "-copy"


def copy_initial(baymodel):
    """The Create wizard's seed when copying ``baymodel``.

    Every field and label but the secrets, which are left empty (and named,
    so the user can enter them again); the name gets a suffix. Fields the
    steps contribute seed the context; the rest (image per COE, label
    fields) travel under ``copy`` for the steps to apply (apply_copy).
    """
    fields = {key: getattr(baymodel, key, None) for key in TEMPLATE_FIELDS}
    coe = fields["coe"]
    stored = dict(fields.pop("labels") or {})
    secrets = sorted(key for key in stored if labels_lib.is_secret(coe, key))
    kept = {key: value for key, value in stored.items() if key not in secrets}
    name = fields.get("name") or baymodel.uuid
    seed = {key: value for key, value in fields.items() if value is not None}
    seed["name"] = name[: _NAME_MAX - len(COPY_SUFFIX)] + COPY_SUFFIX
    if coe in labels_lib.CATALOGUE:
        values = field_values_from_labels(coe, kept)
        values[image_field_name(coe)] = fields.get("image_id")
    else:
        values = {EXTRA_LABELS_FIELD: labels_lib.format_labels(kept)}
    # Choices Magnum may hold by name (a network, a flavor, a key pair): the
    # steps select the choice of that name (apply_copy).
    for key in ("external_network_id", "flavor_id", "master_flavor_id", "keypair_id"):
        if fields.get(key):
            values[key] = fields[key]
    seed["copy"] = {"copied_from": name, "secrets": secrets, "values": values}
    return seed


def apply_copy(action, context):
    """Prefill the action's fields from a copied model (see copy_initial).

    A choice the model names by name (Magnum takes an image, a network or a
    flavor by name or id) is selected by the choice listed under that name,
    not by a "(current)" entry that only this request would offer.
    """
    copy = context.get("copy")
    if not copy or action.is_bound:
        return
    for name, value in copy["values"].items():
        field = action.fields.get(name)
        if field is None:
            continue
        choices = dict(getattr(field, "choices", None) or ())
        if choices and isinstance(value, str):
            listed = [
                k for k, label in choices.items() if label == value and k != value
            ]
            if listed:
                value = listed[0]
        action.initial[name] = value


_EXTRA_LABELS_HELP = _(
    "Other labels, one key=value a line (commas also separate pairs). Names "
    "this cloud's driver accepts beyond the fields above are listed by your "
    "operator."
)


def extra_labels_help(editing):
    if not editing:
        return _EXTRA_LABELS_HELP
    return "{} {}".format(
        _EXTRA_LABELS_HELP,
        gettext(
            "A secret shows as %(mask)s: leave it so to keep the stored "
            "value, type a new value to replace it, or delete its line to "
            "remove it."
        )
        % {"mask": SECRET_MASK},
    )


# --- What the workflows send to Magnum --------------------------------------


def template_fields(context):
    """What Create sends to Magnum for a valid wizard's context (and what
    its equivalent command holds)."""
    fields = {
        key: context.get(key)
        for key in TEMPLATE_FIELDS
        # Magnum fills in its defaults for what is not sent; an empty
        # string would be refused (min_length=1).
        if context.get(key) not in (None, "")
    }
    fields["public"] = bool(context.get("public"))
    fields["master_lb_enabled"] = bool(context.get("master_lb_enabled"))
    fields["floating_ip_enabled"] = bool(context.get("floating_ip_enabled"))
    if "flavor_id" in fields:
        # Magnum 23 refuses bays from a model without a master flavor
        # ("Unable to find flavor None.", tests/contract): masters get
        # the node flavor unless the user chose another.
        fields.setdefault("master_flavor_id", fields["flavor_id"])
    return fields


def _comparable(value):
    return None if value in ("", None, {}) else value


def changed_fields(baymodel, context):
    """{field: new value} for what differs from the stored model."""
    changes = {}
    for key in TEMPLATE_FIELDS:
        if key == "coe":
            continue
        new = context.get(key)
        if key == "labels" and new is None:
            continue  # the Labels step did not validate: nothing to send
        old = getattr(baymodel, key, None)
        if key == "docker_volume_size" and old not in (None, ""):
            old = int(old)
        if _comparable(new) != _comparable(old):
            changes[key] = new
    return changes
