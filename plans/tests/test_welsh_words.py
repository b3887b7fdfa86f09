"""Words that mean two things in English and need two in Welsh (issue 19's review of the
catalogue's clashes): a plan's action is a "cam gweithredu", a column of buttons a
"gweithred"."""

from django.utils import translation
from django.utils.translation import gettext

from plans.exports import header


def test_the_plan_export_calls_an_action_a_step_in_the_plan_in_welsh():
    with translation.override("cy"):
        columns = header()
        button_column = gettext("Action")

    assert "Cam gweithredu" in columns
    assert button_column == "Gweithred"
    assert button_column not in columns
    assert "Action" in header()
