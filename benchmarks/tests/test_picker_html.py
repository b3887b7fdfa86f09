"""The dashboards' pickers are drawn once a process for the choices they show
(core.fragments.KeptLayout): the HTML must be what drawing them afresh gives, and other choices,
values or languages must never get a kept copy made for something else."""

import re
from types import SimpleNamespace

from crispy_forms.utils import render_crispy_form
from django.core.cache import caches
from django.utils import translation

from benchmarks.dashboard import GroupChoice
from benchmarks.forms import NetworkRoundForm, PeerGroupForm
from benchmarks.network_dashboard import RoundChoice

ROUNDS = [
    SimpleNamespace(slug="2025-26", name="2025 to 2026"),
    SimpleNamespace(slug="2026-27", name="2026 to 2027"),
]


def group(slug: str, name: str) -> GroupChoice:
    return GroupChoice(slug=slug, name=name, kind="region", kind_label="Region", overall=None)


GROUPS = [group("north-west", "North West"), group("wales", "Wales")]


def picker(groups=GROUPS, *, chosen="wales", data=None) -> str:
    form = PeerGroupForm(
        data,
        initial={"group": chosen, "round": "2026-27"},
        rounds=ROUNDS,
        groups=groups,
        min_group=5,
    )
    return render_crispy_form(form)


def checked(html: str) -> list[str]:
    return re.findall(r'value="([^"]+)"\s+checked', html)


def fresh(*args, **kwargs) -> str:
    caches["fragments"].clear()
    return picker(*args, **kwargs)


def test_a_kept_picker_is_the_html_drawn_afresh():
    expected = fresh()

    assert picker() == expected  # from the cache this time
    assert checked(expected) == ["2026-27", "wales"]
    assert "Show comparison" in expected


def test_other_groups_or_another_choice_draw_other_html():
    picker()

    renamed = [group("north-west", "North West"), group("wales", "Wales and the Marches")]
    assert "Wales and the Marches" in picker(renamed)
    assert picker(renamed) == fresh(renamed)

    other = picker(chosen="north-west")
    assert checked(other) == ["2026-27", "north-west"]


def test_each_language_has_its_own_copy():
    english = picker()
    with translation.override("cy"):
        welsh = picker()

    assert "Show comparison" in english
    assert "Show comparison" not in welsh
    assert welsh == translation.override("cy")(fresh)()


def test_a_picker_sent_back_shows_its_error():
    picker()  # the unbound picker, kept

    html = picker(data={"round": "2026-27", "group": "not-a-group"})

    assert "Select a group of councils from the list" in html


def test_the_network_round_picker_is_kept_for_its_rounds():
    def drawn(signed_off: int) -> str:
        rounds = [RoundChoice(pk=1, slug="2026-27", name="2026 to 2027", signed_off=signed_off)]
        return render_crispy_form(NetworkRoundForm(rounds=rounds, members=12))

    drawn(3)

    assert "3 of 12 member councils" in drawn(3)
    assert "4 of 12 member councils" in drawn(4)
