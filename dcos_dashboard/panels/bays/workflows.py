"""The Create Bay wizard: Info -> Size -> Advanced, checked before Magnum is called."""

from django import forms as django_forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from horizon import workflows
from openstack_dashboard import api

from dcos_dashboard import commands, config, i18n, labels
from dcos_dashboard.api import magnum
from dcos_dashboard.panels import errors, limits
from dcos_dashboard.panels.bays import records

# dcos/dcos gen/calc.py validate_num_masters: the installer refuses others.
DCOS_MASTER_COUNTS = (1, 3, 5, 7, 9)


def shown_coes():
    return tuple(coe for coe in config.get("COES") if coe in magnum.COES)


def baymodel_summary(template):
    """One line on a Bay Model, for choosing between them."""
    get = template.get
    coe = get("coe")
    yes, no = _("on"), _("off")
    count = len(get("labels") or {})
    return ngettext(
        "%(coe)s; image %(image)s; node flavor %(flavor)s; master flavor "
        "%(master_flavor)s; master load balancer %(lb)s; %(labels)d label",
        "%(coe)s; image %(image)s; node flavor %(flavor)s; master flavor "
        "%(master_flavor)s; master load balancer %(lb)s; %(labels)d labels",
        count,
    ) % {
        "coe": magnum.COE_NAMES.get(coe, coe),
        "image": get("image_id") or "-",
        "flavor": get("flavor_id") or "-",
        "master_flavor": get("master_flavor_id") or "-",
        "lb": yes if get("master_lb_enabled") else no,
        "labels": count,
    }


# What "Create Again" carries over from a failed bay (Magnum's field names).
_AGAIN_FIELDS = (
    "name",
    "cluster_template_id",
    "master_count",
    "node_count",
    "create_timeout",
    "keypair",
    "flavor_id",
    "master_flavor_id",
)


def again_initial(fields):
    """What the wizard starts from to create a failed bay again.

    Its own labels (those it set over its model's) but secrets, which are
    named for the user to enter again; the failure is shown above the form.
    """
    initial = {key: fields[key] for key in _AGAIN_FIELDS if fields.get(key)}
    own = fields.get("labels_overridden"), fields.get("labels_added")
    if any(part is not None for part in own):
        overrides = {**(own[0] or {}), **(own[1] or {})}
    else:
        overrides = dict(fields.get("labels") or {})
    secrets = sorted(key for key in overrides if labels.is_secret(None, key))
    kept = {key: value for key, value in overrides.items() if key not in secrets}
    if kept:
        initial["labels"] = labels.format_labels(kept)
    faults = fields.get("faults") or {}
    initial["again"] = {
        "name": fields.get("name") or fields.get("uuid"),
        "status": fields.get("status"),
        "reason": fields.get("status_reason"),
        "faults": sorted(faults.items()) if isinstance(faults, dict) else [],
        "secrets": secrets,
    }
    return initial


class InfoAction(errors.HorizonFieldsMixin, workflows.Action):
    name = django_forms.CharField(
        label=_("Bay Name"),
        validators=[limits.check_bay_name],
        widget=django_forms.TextInput(attrs={"maxlength": limits.BAY_NAME_MAX}),
    )
    cluster_template_id = django_forms.ChoiceField(
        label=_("Bay Model"),
        error_messages={
            # The choices are read again from Magnum on each POST.
            "invalid_choice": _(
                "This bay model is no longer in Magnum; it may have been "
                "deleted. Choose another."
            )
        },
    )

    class Meta:
        name = _("Info")
        slug = "info"
        help_text_template = "project/dcos_bays/_create_info_help.html"

    def __init__(self, request, context, *args, **kwargs):
        self._baymodels = {}
        super().__init__(request, context, *args, **kwargs)

    def populate_cluster_template_id_choices(self, request, context):
        try:
            templates, _more = magnum.cluster_template_list(request)
        except magnum.MagnumError as e:
            errors.show(request, e)
            templates = []
        coes = shown_coes()
        for template in templates:
            fields = records.fields_of(template)
            if fields.get("coe") in coes and fields.get("uuid"):
                self._baymodels[fields["uuid"]] = fields
        if not self._baymodels:
            return [("", _("No DC/OS or Mesos bay model available"))]
        choices = [("", _("Select a bay model"))]
        choices.extend(
            (uuid, fields.get("name") or uuid)
            for uuid, fields in sorted(
                self._baymodels.items(), key=lambda item: item[1].get("name") or ""
            )
        )
        return choices

    def get_help_text(self, extra_context=None):
        extra = dict(extra_context or {})
        extra["baymodels"] = [
            (uuid, fields.get("name") or uuid, baymodel_summary(fields))
            for uuid, fields in self._baymodels.items()
        ]
        extra["selected"] = self["cluster_template_id"].value()
        extra["again"] = self.initial.get("again")
        return super().get_help_text(extra)

    def clean(self):
        cleaned = super().clean()
        uuid = cleaned.get("cluster_template_id")
        if uuid:
            cleaned["baymodel"] = self._baymodels[uuid]
        return cleaned


class Info(workflows.Step):
    action_class = InfoAction
    # "again": the failed bay Create Again starts from (None otherwise).
    depends_on = ("again",)
    contributes = ("name", "cluster_template_id", "baymodel")


class SizeAction(limits.CapsMixin, errors.HorizonFieldsMixin, workflows.Action):
    master_count = django_forms.IntegerField(
        label=_("Master Count"),
        min_value=1,
        initial=1,
        help_text=_(
            "An odd number: DC/OS bays run 1, 3, 5, 7 or 9 masters. More than "
            "one needs a bay model with the master load balancer enabled."
        ),
    )
    node_count = django_forms.IntegerField(
        label=_("Node Count"), min_value=1, initial=1
    )
    caps = {"node_count": limits.cap_node_count}

    class Meta:
        name = _("Size")
        slug = "size"
        help_text = _(
            "Masters run the Mesos masters (and, for DC/OS, Admin Router and "
            "the console); nodes run the agents that run your tasks."
        )

    def clean(self):
        cleaned = super().clean()
        # The Info step's choice, from the workflow context.
        baymodel = self.initial.get("baymodel") or {}
        masters = cleaned.get("master_count")
        if not baymodel or masters is None:
            return cleaned
        if baymodel.get("coe") == magnum.DCOS and masters not in DCOS_MASTER_COUNTS:
            self.add_error(
                "master_count",
                _(
                    "A DC/OS bay runs 1, 3, 5, 7 or 9 masters; its installer "
                    "refuses %(count)d."
                )
                % {"count": masters},
            )
        elif masters % 2 == 0:
            # The drivers' validate_master_size (Magnum 23): masters elect a
            # leader by majority, so an even count buys nothing.
            self.add_error(
                "master_count",
                _(
                    "Magnum runs an odd number of masters (1, 3, 5 ...), so "
                    "that they can always elect a leader; it refuses %(count)d."
                )
                % {"count": masters},
            )
        elif masters > 1 and not baymodel.get("master_lb_enabled"):
            self.add_error(
                "master_count",
                _(
                    "The bay model %(name)s has no master load balancer, so the "
                    "bay can have only 1 master. Set the master count to 1, or "
                    "choose a bay model with the master load balancer enabled."
                )
                % {"name": baymodel.get("name") or baymodel.get("uuid")},
            )
        return cleaned


class Size(workflows.Step):
    action_class = SizeAction
    contributes = ("master_count", "node_count")


def _model_default():
    return [("", _("Use the bay model's"))]


class AdvancedAction(limits.CapsMixin, errors.HorizonFieldsMixin, workflows.Action):
    create_timeout = django_forms.IntegerField(
        label=_("Creation Timeout (minutes)"),
        min_value=0,
        initial=60,
        help_text=_("Magnum marks the bay failed after this long; 0: no timeout."),
    )
    discovery_url = django_forms.URLField(
        label=_("Discovery URL"), required=False, assume_scheme="https"
    )
    keypair = django_forms.ChoiceField(label=_("Key Pair"), required=False)
    flavor_id = django_forms.ChoiceField(label=_("Node Flavor"), required=False)
    master_flavor_id = django_forms.ChoiceField(
        label=_("Master Flavor"), required=False
    )
    labels = django_forms.CharField(
        label=_("Label Overrides"),
        required=False,
        # parse_labels refuses more, with a sentence.
        widget=django_forms.Textarea(
            attrs={"rows": 5, "maxlength": labels.MAX_TEXT_CHARS}
        ),
        help_text=_(
            "key=value, one a line; these replace the bay model's labels of the "
            "same name, the others are kept."
        ),
    )
    caps = {"create_timeout": limits.cap_create_timeout}

    class Meta:
        name = _("Advanced")
        slug = "advanced"
        help_text = _(
            "Leave a field empty to use the bay model's value. Label overrides "
            "are checked against the bay model's labels before Magnum is asked."
        )

    def populate_keypair_choices(self, request, context):
        choices = _model_default()
        keypairs = errors.read(
            request, _("Unable to retrieve key pairs."), api.nova.keypair_list
        )
        choices.extend((k.name, k.name) for k in keypairs)
        return choices

    def _flavor_choices(self, request):
        if not hasattr(self, "_flavors"):
            flavors = errors.read(
                request, _("Unable to retrieve flavors."), api.nova.flavor_list
            )
            self._flavors = sorted(
                ((f.name, f.name) for f in flavors), key=lambda c: c[1]
            )
        return _model_default() + self._flavors

    def populate_flavor_id_choices(self, request, context):
        return self._flavor_choices(request)

    def populate_master_flavor_id_choices(self, request, context):
        return self._flavor_choices(request)

    def clean(self):
        cleaned = super().clean()
        baymodel = self.initial.get("baymodel") or {}
        cleaned["label_overrides"] = {}
        text = cleaned.get("labels") or ""
        if not text.strip() or not baymodel:
            return cleaned
        try:
            overrides = labels.parse_labels(text)
        except ValueError as e:
            self.add_error("labels", i18n.error_text(e))
            return cleaned
        coe = baymodel.get("coe")
        merged = dict(baymodel.get("labels") or {})
        merged.update(overrides)
        problems = labels.validate_labels(
            coe, merged, extra_keys=tuple(config.get("EXTRA_LABELS"))
        )
        if problems:
            self.add_error("labels", [i18n.translate(m) for m in problems.values()])
            return cleaned
        cleaned["label_overrides"] = labels.canonicalize_labels(coe, overrides)
        return cleaned


class Advanced(workflows.Step):
    action_class = AdvancedAction
    contributes = (
        "create_timeout",
        "discovery_url",
        "keypair",
        "flavor_id",
        "master_flavor_id",
        "labels",
        "label_overrides",
    )


# Magnum's field at fault -> (step, field) of this wizard.
FIELD_STEPS = {
    **errors.beside(
        "info",
        "name",
        "cluster_template_id",
        coe="cluster_template_id",
        image_id="cluster_template_id",
    ),
    **errors.beside("size", "master_count", "node_count"),
    **errors.beside(
        "advanced", "flavor_id", "master_flavor_id", "labels", keypair_id="keypair"
    ),
}


class CreateBay(workflows.Workflow):
    slug = "create_bay"
    name = _("Create Bay")
    finalize_button_name = _("Create")
    success_message = _('Bay "%s" is being created.')
    failure_message = _('Unable to create bay "%s".')
    success_url = "horizon:project:dcos_bays:index"
    default_steps = (Info, Size, Advanced)
    wizard = True

    def format_status_message(self, message):
        return message % self.context.get("name", "")

    def cluster_fields(self, context):
        """What is sent to Magnum: its own field names."""
        fields = {
            "name": context["name"],
            "cluster_template_id": context["cluster_template_id"],
            "master_count": context["master_count"],
            "node_count": context["node_count"],
            "create_timeout": context["create_timeout"],
        }
        for key in ("discovery_url", "keypair", "flavor_id", "master_flavor_id"):
            if context.get(key):
                fields[key] = context[key]
        overrides = context.get("label_overrides")
        if overrides:
            # Magnum keeps the template's labels and applies these on top.
            fields["labels"] = overrides
            fields["merge_labels"] = True
        return fields

    command_url = "horizon:project:dcos_bays:create_command"

    def command(self):
        """`openstack coe cluster create ...` for the (valid) wizard."""
        coe = (self.context.get("baymodel") or {}).get("coe")
        return commands.cluster_create(
            self.cluster_fields(self.context),
            lambda key: labels.is_secret(coe, key),
        )

    def handle(self, request, context):
        fields = self.cluster_fields(context)
        try:
            uuid = magnum.cluster_create(request, **fields)
        except magnum.MagnumError as e:
            errors.place(self, e, FIELD_STEPS)
        records.remember_pending(request, uuid, fields)
        return True
