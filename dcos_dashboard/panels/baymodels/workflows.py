"""The Bay Model wizard (create) and workflow (edit): Info, Nodes, Network, Labels."""

from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from horizon import forms, workflows
from openstack_dashboard import api

from dcos_dashboard import commands
from dcos_dashboard import labels as labels_lib
from dcos_dashboard.api import magnum
from dcos_dashboard.panels import errors, limits, widgets

# The steps' helpers; views and tests also read some of them here.
from dcos_dashboard.panels.baymodels.fields import (  # noqa: F401
    EXTRA_LABELS_FIELD,
    IMAGE_DISTRO,
    INFO_FIELDS,
    NETWORK_FIELDS,
    NODE_FIELDS,
    SECRET_MASK,
    TEMPLATE_FIELDS,
    apply_copy,
    changed_fields,
    coe_of,
    copy_initial,
    editing_model,
    field_values_from_labels,
    image_field_name,
    switched_attrs,
    template_fields,
    with_current,
)
from dcos_dashboard.panels.baymodels.labels_step import (  # noqa: F401
    Labels,
    LabelsAction,
)

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
        if editing_model(context):
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


class Info(workflows.Step):
    action_class = InfoAction
    # "copy": what Copy Bay Model seeds (None when creating afresh).
    depends_on = ("copy",)
    contributes = INFO_FIELDS


# --- Node spec ---------------------------------------------------------------


class NodeSpecAction(limits.CapsMixin, errors.HorizonFieldsMixin, workflows.Action):
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

    caps = {"docker_volume_size": limits.cap_docker_volume_size}

    class Meta:
        name = _("Node Spec")
        slug = "node_spec"
        help_text = _(
            "Magnum chooses its bay driver from the image's os_distro "
            "property: centos for DC/OS, ubuntu for Mesos. Only such images "
            "are listed."
        )

    def __init__(self, request, context, *args, **kwargs):
        self.coe = coe_of(context)
        super().__init__(request, context, *args, **kwargs)
        coes = [self.coe] if editing_model(context) and self.coe else list(IMAGE_DISTRO)
        images = self._images_by_distro(request)
        for coe in coes:
            self.fields[image_field_name(coe)] = self._image_field(
                coe, images, context, switched=not editing_model(context)
            )
        if editing_model(context) and self.coe:
            self.initial[image_field_name(self.coe)] = context.get("image_id")
        apply_copy(self, context)
        # Images first, as the user reads the step.
        self.order_fields([image_field_name(coe) for coe in coes])

    @staticmethod
    def _images_by_distro(request):
        images, _more, _prev = errors.read(
            request,
            _("Unable to retrieve images."),
            api.glance.image_list_detailed,
            default=([], False, False),
        )
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
        if editing_model(context):
            choices = with_current(choices, context.get("image_id"))
        if choices:
            choices.insert(0, ("", _("Select an image")))
            help_text = _("Glance images whose os_distro is %s.") % distro
        else:
            choices = [("", _("No image with os_distro=%s") % distro)]
            help_text = self._no_image_reason(coe)
        attrs = switched_attrs(coe, label) if switched else {}
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
            self._flavors = errors.read(
                request, _("Unable to retrieve flavors."), api.nova.flavor_list
            )
        # Magnum accepts a flavor's name or id; the name reads well in tables.
        choices = [(f.name, f.name) for f in self._flavors]
        choices = with_current(choices, context.get(field))
        if field == "master_flavor_id":
            return [("", _("Same as the node flavor"))] + choices
        return [("", _("Magnum's default"))] + choices

    def populate_keypair_id_choices(self, request, context):
        keypairs = errors.read(
            request, _("Unable to retrieve key pairs."), api.nova.keypair_list
        )
        choices = [(k.name, k.name) for k in keypairs]
        choices = with_current(choices, context.get("keypair_id"))
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
        apply_copy(self, context)

    def populate_external_network_id_choices(self, request, context):
        networks = errors.read(
            request,
            _("Unable to retrieve external networks."),
            api.neutron.network_list,
            **{"router:external": True},
        )
        choices = [(n.id, n.name_or_id) for n in networks]
        choices = with_current(choices, context.get("external_network_id"))
        if not choices:
            return [("", _("No external network available"))]
        return [("", _("Select an external network"))] + choices


class Network(workflows.Step):
    action_class = NetworkAction
    depends_on = ("copy",)
    contributes = NETWORK_FIELDS


# --- The workflows -----------------------------------------------------------

# Where a MagnumError's field shows, as (step slug, form field); the image
# field depends on the COE.
_ERROR_PLACES = {
    **errors.beside("info", "name", "coe", "public"),
    **errors.beside(
        "node_spec",
        "flavor_id",
        "master_flavor_id",
        "keypair_id",
        "docker_volume_size",
        "volume_driver",
    ),
    **errors.beside("network", *NETWORK_FIELDS),
}


class BayModelWorkflowMixin:
    success_url = "horizon:project:dcos_baymodels:index"

    def format_status_message(self, message):
        return message % (self.context.get("name") or "")

    def show_magnum_error(self, error):
        places = dict(_ERROR_PLACES)
        if coe_of(self.context):
            places["image_id"] = ("node_spec", image_field_name(coe_of(self.context)))
        errors.place(self, error, places)


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
        coe = coe_of(self.context)
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
