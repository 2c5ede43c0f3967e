"""The Bay Model wizard (create) and workflow (edit): Info, Nodes, Network, Labels."""

from django import forms as django_forms
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from horizon import exceptions, forms, workflows
from openstack_dashboard import api

from dcos_dashboard import commands, config, i18n
from dcos_dashboard import labels as labels_lib
from dcos_dashboard.api import magnum
from dcos_dashboard.panels import errors, limits, widgets

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


def _switched(coe, label):
    """Widget attrs that show a field only while COE ``coe`` is chosen."""
    return {
        "class": "switched",
        "data-switch-on": "coe",
        f"data-coe-{coe}": label,
    }


def _coe_of(context):
    coe = context.get("coe")
    return coe if coe in labels_lib.CATALOGUE else None


def _editing(context):
    return bool(context.get("baymodel_id"))


def _with_current(choices, current):
    """Keep the model's current value selectable when the list lacks it."""
    if current and current not in {value for value, _label in choices}:
        return [*choices, (current, _("%s (current)") % current)]
    return choices


# --- Info ------------------------------------------------------------------


class InfoAction(errors.HorizonFieldsMixin, workflows.Action):
    name = forms.CharField(
        max_length=limits.BAYMODEL_NAME_MAX,
        label=_("Bay Model Name"),
        validators=[limits.check_baymodel_name],
    )
    coe = widgets.ThemableChoiceField(
        label=_("Container Orchestration Engine"),
        choices=tuple(magnum.COE_NAMES.items()),
        widget=widgets.ThemableSelectWidget(
            attrs={"class": "switchable", "data-slug": "coe"}
        ),
    )
    public = forms.BooleanField(
        label=_("Public"),
        required=False,
        help_text=_("Visible to every project; usually only administrators may."),
    )

    class Meta:
        name = _("Info")
        slug = "info"
        help_text = _(
            "A bay model is the recipe Magnum follows to build bays: the "
            "orchestrator, the nodes, the network and the labels that tune "
            "DC/OS or Mesos."
        )

    def __init__(self, request, context, *args, **kwargs):
        super().__init__(request, context, *args, **kwargs)
        if _editing(context):
            # Magnum keeps a model's COE: its bays were built for it.
            self.fields["coe"].disabled = True

    def get_help_text(self, extra_context=None):
        text = super().get_help_text(extra_context)
        copy = self.initial.get("copy")
        if not copy:
            return text
        notice = render_to_string(
            "project/dcos_baymodels/_copy_notice.html",
            {"copied_from": copy["copied_from"], "secrets": copy["secrets"]},
            self.request,
        )
        return format_html("{}{}", notice, text)

    def handle(self, request, context):
        return None


class Info(workflows.Step):
    action_class = InfoAction
    # "copy": what Copy Bay Model seeds (None when creating afresh).
    depends_on = ("copy",)
    contributes = INFO_FIELDS


# --- Node spec ---------------------------------------------------------------


class NodeSpecAction(errors.HorizonFieldsMixin, workflows.Action):
    flavor_id = widgets.ThemableChoiceField(label=_("Flavor"), required=False)
    master_flavor_id = widgets.ThemableChoiceField(
        label=_("Master Flavor"), required=False
    )
    keypair_id = widgets.ThemableChoiceField(label=_("Key Pair"), required=False)
    docker_volume_size = forms.IntegerField(
        label=_("Docker Volume Size (GB)"), min_value=1, required=False
    )
    volume_driver = widgets.ThemableChoiceField(
        label=_("Volume Driver"),
        required=False,
        choices=(("", _("None")), ("rexray", _("REX-Ray"))),
    )

    class Meta:
        name = _("Node Spec")
        slug = "node_spec"
        help_text = _(
            "Magnum chooses its bay driver from the image's os_distro "
            "property: centos for DC/OS, ubuntu for Mesos. Only such images "
            "are listed."
        )

    def __init__(self, request, context, *args, **kwargs):
        self.coe = _coe_of(context)
        super().__init__(request, context, *args, **kwargs)
        limits.cap_docker_volume_size(self.fields["docker_volume_size"])
        coes = [self.coe] if _editing(context) and self.coe else list(IMAGE_DISTRO)
        images = self._images_by_distro(request)
        for coe in coes:
            self.fields[image_field_name(coe)] = self._image_field(
                coe, images, context, switched=not _editing(context)
            )
        if _editing(context) and self.coe:
            self.initial[image_field_name(self.coe)] = context.get("image_id")
        _apply_copy(self, context)
        # Images first, as the user reads the step.
        self.order_fields([image_field_name(coe) for coe in coes])

    @staticmethod
    def _images_by_distro(request):
        try:
            images, _more, _prev = api.glance.image_list_detailed(request)
        except Exception:
            exceptions.handle(request, _("Unable to retrieve images."))
            images = []
        found = {distro: [] for distro in IMAGE_DISTRO.values()}
        for image in images:
            distro = (getattr(image, "os_distro", None) or "").lower()
            if distro in found:
                found[distro].append(image)
        return found

    def _image_field(self, coe, images, context, switched):
        distro = IMAGE_DISTRO[coe]
        label = _("Image")
        choices = [(image.id, image.name or image.id) for image in images[distro]]
        if _editing(context):
            choices = _with_current(choices, context.get("image_id"))
        if choices:
            choices.insert(0, ("", _("Select an image")))
            help_text = _("Glance images whose os_distro is %s.") % distro
        else:
            choices = [("", _("No image with os_distro=%s") % distro)]
            help_text = self._no_image_reason(coe)
        attrs = _switched(coe, label) if switched else {}
        attrs["data-required-when-shown"] = "true"
        return widgets.ThemableChoiceField(
            label=label,
            choices=choices,
            required=False,  # required for the chosen COE only: see clean()
            help_text=help_text,
            widget=widgets.ThemableSelectWidget(attrs=attrs),
        )

    @staticmethod
    def _no_image_reason(coe):
        return _(
            "No Glance image has os_distro=%(distro)s, which Magnum's %(coe)s "
            "driver needs. Upload one with that property, or set it on an "
            "existing image, then come back."
        ) % {"distro": IMAGE_DISTRO[coe], "coe": magnum.COE_NAMES[coe]}

    def populate_flavor_id_choices(self, request, context):
        return self._flavor_choices(request, context, "flavor_id")

    def populate_master_flavor_id_choices(self, request, context):
        return self._flavor_choices(request, context, "master_flavor_id")

    def _flavor_choices(self, request, context, field):
        if not hasattr(self, "_flavors"):
            try:
                self._flavors = api.nova.flavor_list(request)
            except Exception:
                exceptions.handle(request, _("Unable to retrieve flavors."))
                self._flavors = []
        # Magnum accepts a flavor's name or id; the name reads well in tables.
        choices = [(f.name, f.name) for f in self._flavors]
        choices = _with_current(choices, context.get(field))
        if field == "master_flavor_id":
            return [("", _("Same as the node flavor"))] + choices
        return [("", _("Magnum's default"))] + choices

    def populate_keypair_id_choices(self, request, context):
        try:
            keypairs = api.nova.keypair_list(request)
        except Exception:
            exceptions.handle(request, _("Unable to retrieve key pairs."))
            keypairs = []
        choices = [(k.name, k.name) for k in keypairs]
        choices = _with_current(choices, context.get("keypair_id"))
        return [("", _("None: give one to each bay"))] + choices

    def clean(self):
        cleaned = super().clean()
        if self.coe is None:
            return cleaned  # the Info step reports the COE
        field = image_field_name(self.coe)
        image = cleaned.get(field)
        if field not in self.errors and not image:
            images_listed = any(value for value, _label in self.fields[field].choices)
            if images_listed:
                self.add_error(field, gettext("Select an image."))
            else:
                self.add_error(field, self._no_image_reason(self.coe))
        cleaned["image_id"] = image or None
        return cleaned

    def handle(self, request, context):
        return None


class NodeSpec(workflows.Step):
    action_class = NodeSpecAction
    depends_on = ("coe", "copy")
    contributes = NODE_FIELDS


# --- Network ---------------------------------------------------------------


class NetworkAction(errors.HorizonFieldsMixin, workflows.Action):
    external_network_id = widgets.ThemableChoiceField(label=_("External Network"))
    fixed_network = forms.CharField(
        label=_("Fixed Network"),
        max_length=255,
        required=False,
        help_text=_("Name or ID of a private network; empty: Magnum makes one."),
    )
    fixed_subnet = forms.CharField(
        label=_("Fixed Subnet"), max_length=255, required=False
    )
    dns_nameserver = forms.GenericIPAddressField(
        label=_("DNS Nameserver"),
        required=False,
        help_text=_("An IP address; empty: Magnum's default (8.8.8.8)."),
    )
    network_driver = widgets.ThemableChoiceField(
        label=_("Network Driver"),
        required=False,
        choices=(("", _("None")), ("docker", _("Docker"))),
    )
    master_lb_enabled = forms.BooleanField(
        label=_("Master Load Balancer"),
        required=False,
        help_text=_("Needed for bays with more than one master."),
    )
    floating_ip_enabled = forms.BooleanField(
        label=_("Floating IP"), required=False, initial=True
    )
    http_proxy = forms.CharField(label=_("HTTP Proxy"), max_length=255, required=False)
    https_proxy = forms.CharField(
        label=_("HTTPS Proxy"), max_length=255, required=False
    )
    no_proxy = forms.CharField(label=_("No Proxy"), max_length=255, required=False)

    class Meta:
        name = _("Network")
        slug = "network"
        help_text = _(
            "Bays reach the outside through the external network; proxies "
            "apply to the nodes' own downloads."
        )

    def __init__(self, request, context, *args, **kwargs):
        super().__init__(request, context, *args, **kwargs)
        if "floating_ip_enabled" not in context:
            # Magnum's default is True; a fresh form shows it.
            self.initial["floating_ip_enabled"] = True

    def populate_external_network_id_choices(self, request, context):
        try:
            networks = api.neutron.network_list(request, **{"router:external": True})
        except Exception:
            exceptions.handle(request, _("Unable to retrieve external networks."))
            networks = []
        choices = [(n.id, n.name_or_id) for n in networks]
        choices = _with_current(choices, context.get("external_network_id"))
        if not choices:
            return [("", _("No external network available"))]
        return [("", _("Select an external network"))] + choices

    def handle(self, request, context):
        return None


class Network(workflows.Step):
    action_class = NetworkAction
    contributes = NETWORK_FIELDS


# --- Labels ----------------------------------------------------------------


def _label_field(coe, spec, editing):
    key = spec.key
    help_text = gettext(spec.help)
    widget_attrs = {} if editing else _switched(coe, key)
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


def _label_value(spec, value):
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
    fields) travel under ``copy`` for the steps to apply (_apply_copy).
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
    seed["copy"] = {"copied_from": name, "secrets": secrets, "values": values}
    return seed


def _apply_copy(action, context):
    """Prefill the action's fields from a copied model (see copy_initial).

    A choice the model names by name (Magnum takes an image by name or id)
    is selected by the choice whose label is that name.
    """
    copy = context.get("copy")
    if not copy or action.is_bound:
        return
    for name, value in copy["values"].items():
        field = action.fields.get(name)
        if field is None:
            continue
        choices = dict(getattr(field, "choices", None) or ())
        if choices and isinstance(value, str) and value not in choices:
            value = next((k for k, label in choices.items() if label == value), value)
        action.initial[name] = value


_EXTRA_LABELS_HELP = _(
    "Other labels, one key=value a line (commas also separate pairs). Names "
    "this cloud's driver accepts beyond the fields above are listed by your "
    "operator."
)


def _extra_labels_help(editing):
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


class LabelsAction(errors.HorizonFieldsMixin, workflows.Action):
    class Meta:
        name = _("Labels")
        slug = "labels"
        help_text_template = "project/dcos_baymodels/_labels_help.html"

    def __init__(self, request, context, *args, **kwargs):
        # The COE comes from the workflow context, which the Info step
        # contributed (create) or the stored model seeded (edit).
        self.coe = _coe_of(context)
        self.editing = _editing(context)
        baymodel = context.get("baymodel")
        self.stored_labels = dict(getattr(baymodel, "labels", None) or {})
        super().__init__(request, context, *args, **kwargs)
        coes = [self.coe] if self.editing and self.coe else list(labels_lib.CATALOGUE)
        for coe in coes:
            for spec in labels_lib.CATALOGUE[coe]:
                self.fields[label_field_name(coe, spec.key)] = _label_field(
                    coe, spec, self.editing
                )
        if self.editing and self.coe:
            self.initial.update(field_values_from_labels(self.coe, self.stored_labels))
        self.fields[EXTRA_LABELS_FIELD] = forms.CharField(
            label=_("Extra labels"),
            required=False,
            widget=django_forms.Textarea(
                attrs={
                    "rows": 4,
                    "placeholder": "key=value",
                    # parse_labels refuses more, with a sentence.
                    "maxlength": labels_lib.MAX_TEXT_CHARS,
                }
            ),
            help_text=_extra_labels_help(self.editing),
        )
        _apply_copy(self, context)

    def _chosen_isolation(self):
        field = label_field_name(magnum.DCOS, "isolation")
        if self.is_bound:
            return self.data.getlist(field) if hasattr(self.data, "getlist") else []
        return self.initial.get(field) or []

    def get_help_text(self, extra_context=None):
        extra_context = dict(extra_context or {})
        chosen = {"isolation": ",".join(self._chosen_isolation())}
        extra_context.update(
            {
                "coe": self.coe,
                "editing": self.editing,
                "dcos_default_isolation": labels_lib.DCOS_DEFAULT_ISOLATION,
                "effective_isolation": labels_lib.effective_isolation(chosen),
            }
        )
        return super().get_help_text(extra_context)

    def clean(self):
        cleaned = super().clean()
        coe = self.coe
        if coe is None:
            return cleaned  # the Info step reports the COE
        merged = {}
        origin = {}  # label key -> the form field it came from
        for spec in labels_lib.CATALOGUE[coe]:
            name = label_field_name(coe, spec.key)
            if name in self.errors:
                continue
            text = _label_value(spec, cleaned.get(name))
            if spec.secret and self.editing and not text:
                # An empty secret on edit keeps the stored one.
                text = self.stored_labels.get(spec.key, "")
            if text:
                merged[spec.key] = text
                origin[spec.key] = name
        try:
            extra = labels_lib.parse_labels(cleaned.get(EXTRA_LABELS_FIELD) or "")
        except ValueError as error:
            self.add_error(EXTRA_LABELS_FIELD, i18n.error_text(error))
            return cleaned
        for key, value in extra.items():
            if value == SECRET_MASK and labels_lib.is_secret(coe, key):
                if key not in self.stored_labels:
                    self.add_error(
                        EXTRA_LABELS_FIELD,
                        gettext(
                            "%(key)s shows the mask of a stored secret, but "
                            "none is stored: type its value."
                        )
                        % {"key": key},
                    )
                    return cleaned
                value = self.stored_labels[key]
            if key in merged:
                self.add_error(
                    EXTRA_LABELS_FIELD,
                    gettext(
                        "%(key)s is already set by its own field above; "
                        "keep one of the two."
                    )
                    % {"key": key},
                )
                return cleaned
            merged[key] = value
            origin[key] = EXTRA_LABELS_FIELD
        problems = labels_lib.validate_labels(
            coe, merged, extra_keys=config.get("EXTRA_LABELS")
        )
        for key, message in problems.items():
            field = origin.get(key) or label_field_name(coe, key)
            if field not in self.fields:
                field = EXTRA_LABELS_FIELD
            self.add_error(field, i18n.translate(message))
        if not problems:
            cleaned["labels"] = labels_lib.canonicalize_labels(coe, merged)
        return cleaned

    def handle(self, request, context):
        return None


class Labels(workflows.Step):
    action_class = LabelsAction
    depends_on = ("coe", "copy")
    contributes = ("labels",)


# --- The workflows -----------------------------------------------------------

# Where a MagnumError's field shows, as (step slug, form field); the image
# field depends on the COE.
_ERROR_PLACES = {
    "name": ("info", "name"),
    "coe": ("info", "coe"),
    "public": ("info", "public"),
    "flavor_id": ("node_spec", "flavor_id"),
    "master_flavor_id": ("node_spec", "master_flavor_id"),
    "keypair_id": ("node_spec", "keypair_id"),
    "docker_volume_size": ("node_spec", "docker_volume_size"),
    "volume_driver": ("node_spec", "volume_driver"),
    **{field: ("network", field) for field in NETWORK_FIELDS},
}


class BayModelWorkflowMixin:
    success_url = "horizon:project:dcos_baymodels:index"

    def format_status_message(self, message):
        return message % (self.context.get("name") or "")

    def show_magnum_error(self, error):
        places = dict(_ERROR_PLACES)
        if _coe_of(self.context):
            places["image_id"] = ("node_spec", image_field_name(_coe_of(self.context)))
        errors.place(self, error, places)


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


class CreateBayModel(BayModelWorkflowMixin, workflows.Workflow):
    slug = "create_baymodel"
    name = _("Create Bay Model")
    finalize_button_name = _("Create")
    success_message = _('Created bay model "%s".')
    failure_message = _('Unable to create bay model "%s".')
    default_steps = (Info, NodeSpec, Network, Labels)
    wizard = True

    command_url = "horizon:project:dcos_baymodels:create_command"

    def command(self):
        """`openstack coe cluster template create ...` for the (valid) wizard."""
        coe = _coe_of(self.context)
        return commands.template_create(
            template_fields(self.context), lambda key: labels_lib.is_secret(coe, key)
        )

    def handle(self, request, context):
        fields = template_fields(context)
        try:
            self.object = magnum.cluster_template_create(request, **fields)
        except magnum.MagnumError as error:
            self.show_magnum_error(error)
        return True


class UpdateInfo(Info):
    depends_on = ("baymodel_id", "baymodel")


class UpdateNodeSpec(NodeSpec):
    depends_on = ("baymodel_id", "baymodel", "coe")


class UpdateNetwork(Network):
    depends_on = ("baymodel_id", "baymodel")


class UpdateLabels(Labels):
    depends_on = ("baymodel_id", "baymodel", "coe")


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


class UpdateBayModel(BayModelWorkflowMixin, workflows.Workflow):
    slug = "update_baymodel"
    name = _("Edit Bay Model")
    finalize_button_name = _("Save")
    success_message = _('Updated bay model "%s".')
    failure_message = _('Unable to update bay model "%s".')
    default_steps = (UpdateInfo, UpdateNodeSpec, UpdateNetwork, UpdateLabels)

    def handle(self, request, context):
        baymodel = context["baymodel"]
        changes = changed_fields(baymodel, context)
        flavor = context.get("flavor_id") or getattr(baymodel, "flavor_id", None)
        if changes and flavor and not context.get("master_flavor_id"):
            # As at create, an empty master flavor is the node flavor: Magnum
            # 23 refuses any update of a model without one ("Unable to find
            # flavor None.", tests/contract).
            changes["master_flavor_id"] = flavor
        try:
            self.object = magnum.cluster_template_update(
                request, context["baymodel_id"], changes
            )
        except magnum.MagnumError as error:
            self.show_magnum_error(error)
        return True
