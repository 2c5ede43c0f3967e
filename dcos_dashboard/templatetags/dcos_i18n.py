"""``{{ health.reason|translated }}``: a core's Message in the user's language."""

from django import template

from dcos_dashboard import i18n

register = template.Library()
register.filter("translated", i18n.translate)
