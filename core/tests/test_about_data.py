import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_about_page_states_the_protection_with_the_size_actually_applied(client, settings):
    settings.BENCHMARK_MIN_GROUP = 7

    html = client.get(reverse("core:about-data")).content.decode()

    assert "at least 7 councils with a score" in html
    assert "at least 7 councils have joined or left it" in html
    assert "published only once a round has closed" in html


def test_the_about_page_states_the_limits_honestly(client, settings):
    html = client.get(reverse("core:about-data")).content.decode()

    assert "What this does not protect against" in html
    assert "position in a group" in html
    assert "share its results with a network by name" in html
    assert "a new, dated edition" in html
