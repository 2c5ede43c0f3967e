"""``{% usage_bar usage unit %}``: one resource as "used of total (percent%)"
over a Bootstrap progress bar.

A function rather than an included template: the Nodes table draws four
bars per row, 400 a page, and rendering a template for each cost a third
of the tab's time (docs/performance.md). ``unit`` is "mb" (Mesos reports
memory and disk in MB), "cpus" or "gpus"; ``usage`` is a ``health.Usage``.
"""

import functools

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.translation import get_language, gettext
from horizon.templatetags.sizeformat import mb_float_format

register = template.Library()

_BAR = (
    '<div class="dcos-usage-figure">{figure}'
    ' <span class="dcos-usage-percent">({percent}%)</span></div>'
    '<div class="progress dcos-usage"><div class="progress-bar{level}"'
    ' role="progressbar" aria-valuemin="0" aria-valuemax="100"'
    ' aria-valuenow="{width}" style="width: {width}%;"></div></div>'
)


@register.simple_tag
def usage_bar(usage, unit):
    # The agents of a big bay share few distinct figures (4 of 4 CPUs...),
    # and floatformat and sizes cost more than the rest of a Nodes row.
    return _bar(usage, unit, get_language())


@functools.lru_cache(maxsize=4096)
def _bar(usage, unit, language):
    """The bar of ``usage`` in ``language``, the active one (part of the key)."""
    if unit == "mb":
        used, total = mb_float_format(usage.used), mb_float_format(usage.total)
    else:
        used, total = floatformat(usage.used, "-2"), floatformat(usage.total, "-2")
    if usage.percent >= 90:
        level = " progress-bar-danger"
    elif usage.percent >= 75:
        level = " progress-bar-warning"
    else:
        level = ""
    return format_html(
        _BAR,
        figure=gettext("%(used)s of %(total)s") % {"used": used, "total": total},
        percent=floatformat(usage.percent, "0"),
        level=level,
        # Unlocalised: a CSS width and an ARIA number, never "7,5".
        width=floatformat(usage.percent, "0u"),
    )
