"""The usage bar drawn four times per row of the Nodes table and on the tab."""

import pytest
from django.template import Context, Template
from django.utils import translation

from dcos_dashboard.health import Usage
from dcos_dashboard.templatetags.dcos_usage import usage_bar


def test_cpus_used_of_total_and_percent():
    html = usage_bar(Usage(1.5, 4.0, 37.5), "cpus")
    assert '<div class="dcos-usage-figure">1.50 of 4 ' in html
    assert '<span class="dcos-usage-percent">(38%)</span>' in html
    assert 'aria-valuenow="38" style="width: 38%;"' in html
    assert 'class="progress-bar"' in html


def test_memory_and_disk_are_sizes():
    html = usage_bar(Usage(512.0, 2048.0, 25.0), "mb")
    assert "512MB of 2GB" in html.replace("\xa0", "")
    assert "12.1GB of 30.3GB" in usage_bar(Usage(12345.6, 31012.0, 39.8), "mb")


@pytest.mark.parametrize(
    ("percent", "level"),
    [
        (74.9, 'class="progress-bar"'),
        (75.0, 'class="progress-bar progress-bar-warning"'),
        (89.9, 'class="progress-bar progress-bar-warning"'),
        (90.0, 'class="progress-bar progress-bar-danger"'),
        (100.0, 'class="progress-bar progress-bar-danger"'),
    ],
)
def test_the_bar_turns_amber_then_red(percent, level):
    assert level in usage_bar(Usage(percent, 100.0, percent), "cpus")


def test_oversubscription_keeps_its_figures_and_caps_the_bar():
    html = usage_bar(Usage(6.0, 4.0, 100.0), "cpus")
    assert "6 of 4" in html
    assert 'style="width: 100%;"' in html


def test_figures_follow_the_language_and_css_numbers_do_not():
    with translation.override("de"):
        html = usage_bar(Usage(1.5, 8.0, 18.75), "cpus")
    assert "1,50 of 8" in html
    assert 'aria-valuenow="19" style="width: 19%;"' in html


def test_the_tag_renders_the_same_in_a_template():
    usage = Usage(2.0, 8.0, 25.0)
    rendered = Template("{% load dcos_usage %}{% usage_bar usage unit %}").render(
        Context({"usage": usage, "unit": "cpus"})
    )
    assert rendered == usage_bar(usage, "cpus")
    assert "&lt;" not in rendered  # markup, not escaped text


def test_a_bar_made_once_is_kept_per_language():
    usage = Usage(1.5, 8.0, 18.75)
    with translation.override("de"):
        german = usage_bar(usage, "cpus")
        assert usage_bar(Usage(1.5, 8.0, 18.75), "cpus") is german  # kept
    with translation.override("en"):
        english = usage_bar(usage, "cpus")
    assert "1,50 of 8" in german and "1.50 of 8" in english
    assert usage_bar(usage, "mb") != usage_bar(usage, "cpus")
