import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from councils import services
from councils.models import NetworkSharing, SharingEvent, council_ids_named_in
from councils.services import SharingError, sharing_set, sharing_set_many
from councils.tests.factories import CouncilFactory, NetworkFactory, NetworkSharingFactory
from tests.support import post_urlencoded


def sharing_url(gss_code: str) -> str:
    return reverse("councils:sharing", args=[gss_code])


def field(network) -> str:
    return f"network_{network.pk}"


def checked(content: str, network) -> list[str]:
    """The values of the radios ticked for this network on the page."""
    inputs = re.findall(r"<input[^>]*>", content)
    return [
        re.search(r'value="([^"]*)"', tag).group(1)
        for tag in inputs
        if f'name="{field(network)}"' in tag and "checked" in tag
    ]


@pytest.fixture
def lead_client(client, personas):
    client.force_login(personas.lead_a)
    return client


# sharing_set ------------------------------------------------------------------------------


def test_sharing_by_name_is_stored_and_recorded(personas):
    changed = sharing_set(
        council=personas.council_a, network=personas.network, by_name=True, by=personas.lead_a
    )

    assert changed is True
    row = NetworkSharing.objects.get(council=personas.council_a, network=personas.network)
    assert row.by_name is True
    assert row.updated_by == personas.lead_a
    event = SharingEvent.objects.get()
    assert (event.council, event.network, event.actor) == (
        personas.council_a,
        personas.network,
        personas.lead_a,
    )
    assert (event.by_name_before, event.by_name_after) == (False, True)


def test_setting_the_same_choice_again_changes_and_records_nothing(personas):
    arguments = {
        "council": personas.council_a,
        "network": personas.network,
        "by_name": True,
        "by": personas.lead_a,
    }
    sharing_set(**arguments)

    changed = sharing_set(**arguments)

    assert changed is False
    assert SharingEvent.objects.count() == 1
    assert NetworkSharing.objects.count() == 1


def test_choosing_anonymous_when_already_anonymous_changes_nothing(personas):
    changed = sharing_set(
        council=personas.council_a, network=personas.network, by_name=False, by=personas.lead_a
    )

    assert changed is False
    # No row already means anonymous: there is nothing to store or record.
    assert not NetworkSharing.objects.exists()
    assert not SharingEvent.objects.exists()


def test_going_back_to_anonymous_is_recorded(personas):
    for by_name in (True, False):
        sharing_set(
            council=personas.council_a,
            network=personas.network,
            by_name=by_name,
            by=personas.lead_a,
        )

    row = NetworkSharing.objects.get()
    assert row.by_name is False
    latest, first = SharingEvent.objects.all()
    assert (latest.by_name_before, latest.by_name_after) == (True, False)
    assert (first.by_name_before, first.by_name_after) == (False, True)


def test_sharing_with_a_network_the_council_is_not_in_is_refused(personas):
    elsewhere = NetworkFactory(members=[personas.council_b])

    with pytest.raises(SharingError, match="not a member"):
        sharing_set(council=personas.council_a, network=elsewhere, by_name=True, by=personas.lead_a)

    assert not NetworkSharing.objects.exists()
    assert not SharingEvent.objects.exists()


def test_the_refusal_is_a_value_error(personas):
    assert issubclass(SharingError, ValueError)


# sharing_set_many -------------------------------------------------------------------------


def test_many_changes_only_what_differs_and_counts_it(personas):
    second = NetworkFactory(members=[personas.council_a])
    third = NetworkFactory(members=[personas.council_a])
    NetworkSharingFactory(council=personas.council_a, network=third, by_name=True)

    changed = sharing_set_many(
        council=personas.council_a,
        choices={personas.network: True, second: False, third: True},
        by=personas.lead_a,
    )

    assert changed == 1
    assert council_ids_named_in(personas.network) == {personas.council_a.pk}
    assert list(SharingEvent.objects.values_list("network", flat=True)) == [personas.network.pk]


def test_many_refuses_a_network_the_council_is_not_in_and_changes_nothing(personas):
    elsewhere = NetworkFactory(name="Elsewhere Partnership", members=[personas.council_b])

    with pytest.raises(SharingError, match="Elsewhere Partnership"):
        sharing_set_many(
            council=personas.council_a,
            choices={personas.network: True, elsewhere: False},
            by=personas.lead_a,
        )

    assert not NetworkSharing.objects.exists()
    assert not SharingEvent.objects.exists()


def test_many_is_all_or_nothing(personas, monkeypatch):
    second = NetworkFactory(members=[personas.council_a])
    real_sharing_set = services.sharing_set

    def fail_on_second(**kwargs):
        if kwargs["network"] == second:
            raise SharingError("Something stopped this change.")
        return real_sharing_set(**kwargs)

    monkeypatch.setattr(services, "sharing_set", fail_on_second)

    with pytest.raises(SharingError):
        sharing_set_many(
            council=personas.council_a,
            choices={personas.network: True, second: True},
            by=personas.lead_a,
        )

    # The first network's change, already written, was undone with the second's failure.
    assert not NetworkSharing.objects.filter(by_name=True).exists()
    assert not SharingEvent.objects.exists()


# named_in and council_ids_named_in -----------------------------------------------------------


def test_only_current_members_sharing_by_name_are_named(personas, django_assert_num_queries):
    network = personas.network
    left = CouncilFactory()
    other_network = NetworkFactory(members=[left])
    NetworkSharingFactory(council=personas.council_a, network=network, by_name=True)
    NetworkSharingFactory(council=personas.council_b, network=network, by_name=False)
    # Shared by name, then left the network: its row stays but it must not be named.
    network.members.add(left)
    NetworkSharingFactory(council=left, network=network, by_name=True)
    network.members.remove(left)
    # By name, but to a different network.
    NetworkSharingFactory(council=left, network=other_network, by_name=True)

    with django_assert_num_queries(1):
        named = council_ids_named_in(network)

    assert named == {personas.council_a.pk}
    assert list(NetworkSharing.objects.named_in(network)) == [
        NetworkSharing.objects.get(council=personas.council_a, network=network)
    ]
    assert council_ids_named_in(other_network) == {left.pk}


# The page -------------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_sign_in(client, personas):
    url = sharing_url(personas.council_a.gss_code)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:sign-in')}?next={url}"


@pytest.mark.parametrize("persona", ["officer_a", "executive_a", "officer_b", "analyst", "staff"])
def test_only_the_councils_lead_may_open_the_page(client, personas, persona):
    client.force_login(getattr(personas, persona))

    get = client.get(sharing_url(personas.council_a.gss_code))
    post = client.post(
        sharing_url(personas.council_a.gss_code), {field(personas.network): "by_name"}
    )

    assert get.status_code == 404
    assert post.status_code == 404
    assert not NetworkSharing.objects.exists()


def test_a_lead_of_another_council_gets_404(client, personas):
    client.force_login(personas.lead_a)

    response = client.get(sharing_url(personas.council_b.gss_code))

    assert response.status_code == 404


def test_lead_sees_each_network_with_anonymous_chosen_by_default(lead_client, personas):
    response = lead_client.get(sharing_url(personas.council_a.gss_code))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Sharing your results with networks" in content
    assert "How should North East Digital Partnership see your results?" in content
    assert "Share our results with this network by name" in content
    assert "Only include our results in anonymous figures (default)" in content
    assert "on the network dashboard and in the network&#x27;s reports" in content
    assert "Where fewer than 5 councils are in a group, no figures are shown" in content
    assert checked(content, personas.network) == ["anonymous"]
    assert "novalidate" in content
    assert "Your council has not changed its sharing choices yet." in content


def test_the_page_shows_the_stored_choice(lead_client, personas):
    NetworkSharingFactory(council=personas.council_a, network=personas.network, by_name=True)

    response = lead_client.get(sharing_url(personas.council_a.gss_code))

    assert checked(response.content.decode(), personas.network) == ["by_name"]


def test_lead_saves_a_choice_and_sees_it_in_the_history(lead_client, personas):
    url = sharing_url(personas.council_a.gss_code)

    response = lead_client.post(url, {field(personas.network): "by_name"})

    assert response.status_code == 302
    assert response["Location"] == url
    assert council_ids_named_in(personas.network) == {personas.council_a.pk}
    page = lead_client.get(url).content.decode()
    assert "Sharing choices saved" in page
    history = page.split('id="history"')[1]
    assert personas.lead_a.get_full_name() in history
    assert "North East Digital Partnership" in history
    assert "Anonymous figures only" in history
    assert "By name" in history


def test_saving_without_a_change_records_nothing(lead_client, personas):
    response = lead_client.post(
        sharing_url(personas.council_a.gss_code), {field(personas.network): "anonymous"}
    )

    assert response.status_code == 302
    assert not SharingEvent.objects.exists()


@pytest.mark.parametrize("value", ["everyone", ""])
def test_a_missing_or_tampered_choice_shows_an_error_and_saves_nothing(
    lead_client, personas, value
):
    response = lead_client.post(
        sharing_url(personas.council_a.gss_code), {field(personas.network): value}
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert "Select how North East Digital Partnership sees your results" in content
    assert f'href="#id_{field(personas.network)}_1"' in content
    assert "<title>Error: " in content
    assert not NetworkSharing.objects.exists()
    assert not SharingEvent.objects.exists()


def test_a_choice_for_a_network_with_a_5000_digit_id_shows_an_error(lead_client, personas):
    # Issue 10: turning the id into a number was a 500.
    response = post_urlencoded(
        lead_client,
        sharing_url(personas.council_a.gss_code),
        {field(personas.network): "by_name", "network_" + "9" * 5000: "by_name"},
    )

    assert response.status_code == 200
    assert "Some choices were for networks your council is not a member of" in response.text
    assert not NetworkSharing.objects.exists()


def test_a_choice_for_a_network_the_council_is_not_in_shows_an_error(lead_client, personas):
    elsewhere = NetworkFactory(members=[personas.council_b])

    response = lead_client.post(
        sharing_url(personas.council_a.gss_code),
        {field(personas.network): "by_name", field(elsewhere): "by_name"},
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert "networks your council is not a member of" in content
    assert not NetworkSharing.objects.exists()


def test_a_council_in_no_network_is_told_so(lead_client, personas):
    personas.network.members.remove(personas.council_a)

    response = lead_client.get(sharing_url(personas.council_a.gss_code))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Your council is not a member of any network" in content
    assert "Save sharing choices" not in content


def test_history_is_newest_first_and_at_most_50_rows(lead_client, personas):
    start = timezone.now() - timedelta(days=100)
    SharingEvent.objects.bulk_create(
        SharingEvent(
            council=personas.council_a,
            network=personas.network,
            actor=personas.lead_a,
            at=start + timedelta(days=day),
            by_name_before=day % 2 == 1,
            by_name_after=day % 2 == 0,
        )
        for day in range(60)
    )
    # Another council's changes are not shown.
    SharingEvent.objects.create(
        council=personas.council_b,
        network=personas.network,
        by_name_before=False,
        by_name_after=True,
    )

    response = lead_client.get(sharing_url(personas.council_a.gss_code))

    events = response.context["events"]
    assert len(events) == 50
    assert {event.council_id for event in events} == {personas.council_a.pk}
    assert events[0].at == start + timedelta(days=59)
    assert [event.at for event in events] == sorted((event.at for event in events), reverse=True)
    assert "Showing the 50 most recent changes." in response.content.decode()


def test_queries_are_bounded_with_several_networks(
    lead_client, personas, django_assert_max_num_queries
):
    networks = [personas.network, *(NetworkFactory(members=[personas.council_a]) for _ in range(6))]
    for network in networks[:3]:
        NetworkSharingFactory(council=personas.council_a, network=network, by_name=True)
        SharingEvent.objects.create(
            council=personas.council_a,
            network=network,
            actor=personas.lead_a,
            by_name_before=False,
            by_name_after=True,
        )
    url = sharing_url(personas.council_a.gss_code)
    as_stored = {field(n): "by_name" for n in networks[:3]} | {
        field(n): "anonymous" for n in networks[3:]
    }
    flipped = {field(n): "anonymous" for n in networks[:3]} | {
        field(n): "by_name" for n in networks[3:]
    }

    # The same handful of reads however many networks and changes there are: session, user,
    # the lead's membership, networks, stored choices, history and the navigation's two.
    with django_assert_max_num_queries(8):
        response = lead_client.get(url)
    assert response.status_code == 200
    assert len(response.context["form"].fields) == 7
    assert len(response.context["events"]) == 3

    # Saving unchanged choices adds only the membership check and the locked read.
    with django_assert_max_num_queries(12):
        response = lead_client.post(url, as_stored)
    assert response.status_code == 302
    assert SharingEvent.objects.count() == 3

    # Each changed network costs a fixed few queries: check, lock, write, record.
    with django_assert_max_num_queries(12 + 8 * len(networks)):
        response = lead_client.post(url, flipped)
    assert response.status_code == 302
    assert council_ids_named_in(personas.network) == set()
    assert council_ids_named_in(networks[-1]) == {personas.council_a.pk}
    assert SharingEvent.objects.count() == 3 + len(networks)


def test_the_team_page_links_to_sharing(lead_client, personas):
    response = lead_client.get(reverse("accounts:team", args=[personas.council_a.gss_code]))

    assert sharing_url(personas.council_a.gss_code) in response.content.decode()


def test_staff_can_read_but_not_change_sharing_in_the_admin(client, personas):
    NetworkSharingFactory(council=personas.council_a, network=personas.network, by_name=True)
    sharing_set(
        council=personas.council_b, network=personas.network, by_name=True, by=personas.lead_a
    )
    client.force_login(personas.staff)

    for model in ("networksharing", "sharingevent"):
        assert client.get(reverse(f"admin:councils_{model}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:councils_{model}_add")).status_code == 403
    row = NetworkSharing.objects.get(council=personas.council_a)
    response = client.post(
        reverse("admin:councils_networksharing_delete", args=[row.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert NetworkSharing.objects.filter(pk=row.pk).exists()
