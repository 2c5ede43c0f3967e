"""Form widgets both panels share."""

from django.utils.encoding import force_str
from django.utils.functional import Promise
from horizon import forms


class ThemableSelectWidget(forms.ThemableSelectWidget):
    """Horizon's themable select, each option label escaped once.

    Horizon escapes a label in ``transform_option_label`` and its template
    (horizon/common/fields/_themable_select.html) escapes it again, so
    "Magnum's default" reads "Magnum&#x27;s default". The template's
    autoescape is the one kept: the label leaves here as plain text.
    """

    def transform_option_label(self, option_label):
        if not isinstance(option_label, str | Promise) and callable(self.transform):
            option_label = self.transform(option_label)
        return force_str(option_label)


class ThemableChoiceField(forms.ThemableChoiceField):
    widget = ThemableSelectWidget
