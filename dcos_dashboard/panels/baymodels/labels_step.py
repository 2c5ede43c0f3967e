"""The Bay Model workflows' Labels step: the catalogue's fields and the extra labels."""

from django import forms as django_forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from horizon import forms, workflows

from dcos_dashboard import config, i18n
from dcos_dashboard import labels as labels_lib
from dcos_dashboard.api import magnum
from dcos_dashboard.panels import errors
from dcos_dashboard.panels.baymodels.fields import (
    EXTRA_LABELS_FIELD,
    SECRET_MASK,
    apply_copy,
    coe_of,
    editing_model,
    extra_labels_help,
    field_values_from_labels,
    label_field,
    label_field_name,
    label_value,
)


class LabelsAction(errors.HorizonFieldsMixin, workflows.Action):
    class Meta:
        name = _("Labels")
        slug = "labels"
        help_text_template = "project/dcos_baymodels/_labels_help.html"

    def __init__(self, request, context, *args, **kwargs):
        # The COE comes from the workflow context, which the Info step
        # contributed (create) or the stored model seeded (edit).
        self.coe = coe_of(context)
        self.editing = editing_model(context)
        baymodel = context.get("baymodel")
        self.stored_labels = dict(getattr(baymodel, "labels", None) or {})
        super().__init__(request, context, *args, **kwargs)
        coes = [self.coe] if self.editing and self.coe else list(labels_lib.CATALOGUE)
        for coe in coes:
            for spec in labels_lib.CATALOGUE[coe]:
                self.fields[label_field_name(coe, spec.key)] = label_field(
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
            help_text=extra_labels_help(self.editing),
        )
        apply_copy(self, context)

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
            text = label_value(spec, cleaned.get(name))
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


class Labels(workflows.Step):
    action_class = LabelsAction
    depends_on = ("coe", "copy")
    contributes = ("labels",)
