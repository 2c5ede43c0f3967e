"""Scale a bay: change its node count."""

from django import forms as django_forms
from django.utils.translation import gettext_lazy as _
from horizon import forms, messages

from dcos_dashboard.api import magnum
from dcos_dashboard.panels import errors, limits


class ScaleForm(errors.HorizonFieldsMixin, forms.SelfHandlingForm):
    node_count = django_forms.IntegerField(
        label=_("Node Count"),
        min_value=1,
        help_text=_("The number of agent nodes the bay should have."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limits.cap_node_count(self.fields["node_count"])

    def clean_node_count(self):
        count = self.cleaned_data["node_count"]
        # The view reads the current count from Magnum on every request.
        if count == self.initial.get("current_node_count"):
            raise django_forms.ValidationError(
                _("The bay already has %(count)d nodes; enter a different number.")
                % {"count": count}
            )
        return count

    def handle(self, request, data):
        bay_id = self.initial["bay_id"]
        count = data["node_count"]
        try:
            magnum.cluster_scale(request, bay_id, count)
        except magnum.MagnumError as e:
            errors.show(request, e)
            return False
        messages.success(
            request,
            _('Scaling bay "%(name)s" to %(count)d nodes.')
            % {"name": self.initial.get("name") or bay_id, "count": count},
        )
        return True
