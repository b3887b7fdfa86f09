"""Parts of the base template drawn once per process and language ({% same_for_everyone %}):
the kept HTML must be what drawing afresh gives, and never another language's or another
setting's."""

import re

import pytest
from django.core.cache import caches
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def drawn(source: str, **values) -> str:
    return Template("{% load i18n same_for_everyone %}" + source).render(Context(values))


def test_each_language_has_its_own_copy():
    part = (
        '{% same_for_everyone "links" %}{% translate "Privacy notice" %} {% url "core:privacy" %}'
        "{% endsame_for_everyone %}"
    )

    english = drawn(part)
    with translation.override("cy"):
        welsh = drawn(part)

    assert english == f"Privacy notice {reverse('core:privacy')}"
    assert welsh.endswith(reverse("core:privacy"))
    assert not welsh.startswith("Privacy notice")
    assert drawn(part) == english


def test_a_value_named_in_the_tag_draws_it_anew():
    part = '{% same_for_everyone "seconds" seconds %}{{ seconds }}{% endsame_for_everyone %}'

    assert [drawn(part, seconds=60), drawn(part, seconds=1500), drawn(part, seconds=60)] == [
        "60",
        "1500",
        "60",
    ]


def test_the_part_needs_a_name_in_quotes():
    with pytest.raises(TemplateSyntaxError):
        drawn("{% same_for_everyone footer %}x{% endsame_for_everyone %}")


def test_a_page_from_kept_parts_is_the_page_drawn_afresh(client, personas):
    client.force_login(personas.officer_a)
    caches["fragments"].clear()
    fresh = client.get(reverse("core:accessibility")).content.decode()

    kept = client.get(reverse("core:accessibility")).content.decode()

    # The CSRF token in the sign-out form is the only part that may differ between requests.
    assert _without_tokens(kept) == _without_tokens(fresh)
    assert 'class="govuk-footer"' in kept
    assert 'id="timeout-warning"' in kept


def test_the_time_out_warning_follows_its_settings(client, personas, settings):
    client.force_login(personas.officer_a)
    client.get(reverse("core:accessibility"))  # the warning kept with the usual settings

    settings.SESSION_IDLE_MINUTES = 1
    settings.SESSION_IDLE_WARNING_SECONDS = 57
    page = client.get(reverse("core:accessibility")).content.decode()

    assert 'data-idle-seconds="60"' in page
    assert 'sign you out in <strong class="app-timeout-dialog__countdown">57 seconds' in page


def _without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
