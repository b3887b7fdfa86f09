"""A plan's history holds the portal's own words in English and shows them in the reader's
language (plans.models.recorded): statuses, notes and the owner names the portal gives."""

import pytest
from django.utils import translation

from plans.models import FORMER_MEMBER, LEFT_SUFFIX, LEFT_THE_TEAM, recorded


@pytest.mark.parametrize(
    ("stored", "welsh"),
    [
        ("Not started", "Heb ddechrau"),
        ("Withdrawn", "Wedi'i dynnu'n ôl"),
        (FORMER_MEMBER, "Cyn-aelod o'r tîm"),
        (LEFT_THE_TEAM, "Cyn-aelod o'r tîm (wedi gadael y tîm)"),
        (f"Jane Jones{LEFT_SUFFIX}", "Jane Jones (wedi gadael tîm y cyngor)"),
        ("Jane Jones", "Jane Jones"),
    ],
)
def test_the_portals_own_words_are_shown_in_the_readers_language(stored, welsh):
    with translation.override("cy"):
        assert recorded(stored) == welsh
    assert recorded(stored) == stored
