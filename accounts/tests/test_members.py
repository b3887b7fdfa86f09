"""A council's assessment lead changes members' roles and removes members."""

import logging
import re
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.urls import reverse
from django.utils.html import escape

from accounts import services
from accounts.models import CouncilMembership, CouncilRole, User
from accounts.tests.factories import CouncilMembershipFactory
from assessments import services as assessment_services
from assessments.models import Answer, Response
from assessments.tests.factories import AssessmentRoundFactory, dims, level, questions

OUTSIDERS = ["officer_a", "executive_a", "officer_b", "analyst", "staff"]


def _membership(user: User, council=None) -> CouncilMembership:
    memberships = CouncilMembership.objects.select_related("user", "council")
    if council is None:
        return memberships.get(user=user)
    return memberships.get(user=user, council=council)


def _role(user: User) -> str:
    return _membership(user).role


def _member_url(membership: CouncilMembership) -> str:
    return reverse("accounts:member", args=[membership.council.gss_code, membership.pk])


def _team_url(council) -> str:
    return reverse("accounts:team", args=[council.gss_code])


def _second_lead(personas) -> User:
    """Make council A's officer a lead too, so lead_a is no longer the only one."""
    CouncilMembership.objects.filter(user=personas.officer_a).update(role=CouncilRole.LEAD)
    return personas.officer_a


# Services: changing a role


def test_lead_changes_a_members_role_and_it_is_logged(personas, caplog):
    membership = _membership(personas.officer_a)
    with caplog.at_level(logging.INFO, logger="accounts.services"):
        changed = services.membership_change_role(
            membership=membership, role=CouncilRole.EXECUTIVE, by=personas.lead_a
        )
    assert changed is True
    assert membership.role == CouncilRole.EXECUTIVE
    assert _role(personas.officer_a) == CouncilRole.EXECUTIVE
    (record,) = [r for r in caplog.records if r.name == "accounts.services"]
    assert record.levelno == logging.INFO
    message = record.getMessage()
    assert str(personas.lead_a.pk) in message
    assert str(personas.officer_a.pk) in message
    assert "from officer to executive" in message


def test_setting_the_role_someone_already_has_changes_nothing(personas, caplog):
    with caplog.at_level(logging.INFO, logger="accounts.services"):
        changed = services.membership_change_role(
            membership=_membership(personas.officer_a),
            role=CouncilRole.OFFICER,
            by=personas.lead_a,
        )
    assert changed is False
    assert _role(personas.officer_a) == CouncilRole.OFFICER
    assert not [r for r in caplog.records if r.name == "accounts.services"]


def test_an_unknown_role_is_refused(personas):
    with pytest.raises(ValueError, match="Unknown council role") as caught:
        services.membership_change_role(
            membership=_membership(personas.officer_a), role="overlord", by=personas.lead_a
        )
    assert not isinstance(caught.value, services.LastLeadError)
    assert _role(personas.officer_a) == CouncilRole.OFFICER


@pytest.mark.parametrize("role", [CouncilRole.OFFICER, CouncilRole.EXECUTIVE])
def test_the_only_lead_cannot_demote_themself(personas, role):
    with pytest.raises(services.LastLeadError) as caught:
        services.membership_change_role(
            membership=_membership(personas.lead_a), role=role, by=personas.lead_a
        )
    assert str(caught.value) == (
        "Hartlepool must have at least one assessment lead. Make someone else a lead first."
    )
    assert _role(personas.lead_a) == CouncilRole.LEAD


def test_a_lead_can_step_down_once_there_is_another_lead(personas):
    other = _second_lead(personas)
    assert services.membership_change_role(
        membership=_membership(personas.lead_a), role=CouncilRole.OFFICER, by=personas.lead_a
    )
    assert _role(personas.lead_a) == CouncilRole.OFFICER
    # Now the other lead is the only one, and cannot step down in turn.
    with pytest.raises(services.LastLeadError):
        services.membership_change_role(
            membership=_membership(other), role=CouncilRole.OFFICER, by=other
        )


def test_a_stale_membership_cannot_get_round_the_last_lead_rule(personas):
    """The rule reads the roles as stored, not as the caller's copy says."""
    other = _second_lead(personas)
    stale = _membership(other)
    services.membership_change_role(
        membership=_membership(personas.lead_a), role=CouncilRole.OFFICER, by=other
    )
    stale.role = CouncilRole.OFFICER  # what a caller holding an out-of-date copy might think
    with pytest.raises(services.LastLeadError):
        services.membership_change_role(membership=stale, role=CouncilRole.EXECUTIVE, by=other)
    with pytest.raises(services.LastLeadError):
        services.membership_remove(membership=stale, by=other)
    assert _role(other) == CouncilRole.LEAD


# Services: removing


def test_removing_someone_keeps_their_answers(personas, caplog):
    assessment_round = AssessmentRoundFactory()
    assessment = assessment_services.assessment_start(
        council=personas.council_a, round=assessment_round, by=personas.officer_a
    )
    response = assessment_services.response_for(assessment=assessment, user=personas.officer_a)
    dimension = dims(assessment)[0]
    assessment_services.answers_save(
        response=response,
        dimension=dimension,
        answers={question.pk: level(3) for question in questions(dimension)},
    )
    answers_before = Answer.objects.filter(response=response).count()
    assert answers_before > 0

    with caplog.at_level(logging.INFO, logger="accounts.services"):
        services.membership_remove(membership=_membership(personas.officer_a), by=personas.lead_a)

    assert not CouncilMembership.objects.filter(user=personas.officer_a).exists()
    assert User.objects.filter(pk=personas.officer_a.pk, is_active=True).exists()
    assert Response.objects.filter(pk=response.pk, respondent=personas.officer_a).exists()
    assert Answer.objects.filter(response=response).count() == answers_before
    (record,) = [r for r in caplog.records if r.name == "accounts.services"]
    assert "removed" in record.getMessage()
    assert record.levelno == logging.INFO


def test_the_only_lead_cannot_remove_themself(personas):
    with pytest.raises(services.LastLeadError, match="at least one assessment lead"):
        services.membership_remove(membership=_membership(personas.lead_a), by=personas.lead_a)
    assert _role(personas.lead_a) == CouncilRole.LEAD


def test_a_lead_can_remove_another_lead_or_themself_while_one_remains(personas):
    other = _second_lead(personas)
    services.membership_remove(membership=_membership(other), by=personas.lead_a)
    assert not CouncilMembership.objects.filter(user=other).exists()
    third = CouncilMembershipFactory(council=personas.council_a, role=CouncilRole.LEAD).user
    services.membership_remove(membership=_membership(personas.lead_a), by=personas.lead_a)
    assert not CouncilMembership.objects.filter(user=personas.lead_a).exists()
    assert _role(third) == CouncilRole.LEAD


@pytest.mark.parametrize("who", OUTSIDERS)
def test_only_the_councils_lead_can_change_or_remove(personas, who):
    membership = _membership(personas.officer_a)
    by = getattr(personas, who)
    with pytest.raises(PermissionDenied):
        services.membership_change_role(membership=membership, role=CouncilRole.LEAD, by=by)
    with pytest.raises(PermissionDenied):
        services.membership_remove(membership=membership, by=by)
    assert _role(personas.officer_a) == CouncilRole.OFFICER


def test_another_councils_lead_cannot_change_or_remove(personas):
    CouncilMembership.objects.filter(user=personas.officer_b).update(role=CouncilRole.LEAD)
    membership = _membership(personas.officer_a)
    with pytest.raises(PermissionDenied):
        services.membership_change_role(
            membership=membership, role=CouncilRole.LEAD, by=personas.officer_b
        )
    with pytest.raises(PermissionDenied):
        services.membership_remove(membership=membership, by=personas.officer_b)
    assert _role(personas.officer_a) == CouncilRole.OFFICER


def test_a_deactivated_lead_cannot_act(personas):
    User.objects.filter(pk=personas.lead_a.pk).update(is_active=False)
    personas.lead_a.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.membership_remove(membership=_membership(personas.officer_a), by=personas.lead_a)


@pytest.mark.skipif(
    not connection.features.has_select_for_update,
    reason="row locks need PostgreSQL; SQLite runs one writer at a time anyway",
)
@pytest.mark.django_db(transaction=True)
def test_a_lead_stepping_down_waits_for_a_demotion_in_flight(personas):
    """Two leads, and two changes at once that would each leave one: only the first happens.

    The first change is held open inside its transaction. Without the lock on the leads, the
    second would still count two leads and go ahead, leaving the council with none.
    """
    other = _second_lead(personas)
    first_written, release = threading.Event(), threading.Event()
    outcomes: dict[str, str] = {}

    def run(name: str, change) -> None:
        try:
            change()
            outcomes[name] = "changed"
        except services.LastLeadError:
            outcomes[name] = "refused"
        finally:
            connection.close()

    def demote_other() -> None:
        with transaction.atomic():
            services.membership_change_role(
                membership=_membership(other), role=CouncilRole.OFFICER, by=personas.lead_a
            )
            first_written.set()
            release.wait(timeout=10)

    def step_down() -> None:
        services.membership_change_role(
            membership=_membership(personas.lead_a), role=CouncilRole.OFFICER, by=personas.lead_a
        )

    first = threading.Thread(target=run, args=("first", demote_other))
    second = threading.Thread(target=run, args=("second", step_down))
    first.start()
    assert first_written.wait(timeout=10)
    second.start()
    second.join(timeout=0.5)
    waited = second.is_alive()
    release.set()
    first.join(timeout=10)
    second.join(timeout=10)

    assert waited, "the second change did not wait for the first one's lock"
    assert outcomes == {"first": "changed", "second": "refused"}
    leads = CouncilMembership.objects.filter(council=personas.council_a, role=CouncilRole.LEAD)
    assert list(leads.values_list("user", flat=True)) == [personas.lead_a.pk]


# Views


@pytest.mark.parametrize("who", OUTSIDERS)
def test_only_the_lead_reaches_the_member_page(client, personas, who):
    membership = _membership(personas.officer_a)
    client.force_login(getattr(personas, who))
    url = _member_url(membership)
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "remove"}).status_code == 404
    assert client.post(url, {"action": CouncilRole.LEAD}).status_code == 404
    assert _role(personas.officer_a) == CouncilRole.OFFICER


def test_anonymous_visitor_is_sent_to_sign_in(client, personas):
    url = _member_url(_membership(personas.officer_a))
    for response in (client.get(url), client.post(url, {"action": "remove"})):
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:sign-in"))
        assert "next=" in response.url
    assert _role(personas.officer_a) == CouncilRole.OFFICER


def test_lead_cannot_reach_another_councils_member(client, personas):
    foreign = _membership(personas.officer_b)
    client.force_login(personas.lead_a)
    # Both through the other council's address and by smuggling its id into their own.
    for gss in (personas.council_b.gss_code, personas.council_a.gss_code):
        url = reverse("accounts:member", args=[gss, foreign.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"action": "remove"}).status_code == 404
    assert _role(personas.officer_b) == CouncilRole.OFFICER


def test_team_page_links_to_each_member(client, personas):
    client.force_login(personas.lead_a)
    html = client.get(_team_url(personas.council_a)).content.decode()
    for user in (personas.officer_a, personas.lead_a, personas.executive_a):
        membership = _membership(user)
        assert f'href="{_member_url(membership)}"' in html
        assert (
            f'Change<span class="govuk-visually-hidden"> role or remove {escape(str(user))}</span>'
            in html
        )


def test_member_page_shows_the_choices(client, personas, django_assert_max_num_queries):
    membership = _membership(personas.officer_a)
    client.force_login(personas.lead_a)
    with django_assert_max_num_queries(6):
        response = client.get(_member_url(membership))
    assert response.status_code == 200
    html = response.content.decode()
    assert "novalidate" in html
    assert "govuk-error-summary" not in html
    name = escape(str(personas.officer_a))
    assert f"Change role or remove {name}" in html
    for label in (
        "Officer",
        "Assessment lead",
        "Chief executive",
        f"Remove {name} from Hartlepool",
    ):
        assert label in html
    assert "Their answers stay" in html
    assert 'class="govuk-radios__divider"' in html
    # The current role is selected.
    assert re.search(r'<input[^>]*value="officer"[^>]*checked', html)


def test_lead_changes_a_role(client, personas):
    client.force_login(personas.lead_a)
    response = client.post(
        _member_url(_membership(personas.officer_a)), {"action": CouncilRole.LEAD}, follow=True
    )
    assert response.redirect_chain == [(_team_url(personas.council_a), 302)]
    assert (
        f"{escape(str(personas.officer_a))} is now an assessment lead" in response.content.decode()
    )
    assert _role(personas.officer_a) == CouncilRole.LEAD


def test_choosing_the_current_role_says_nothing_changed(client, personas):
    client.force_login(personas.lead_a)
    response = client.post(
        _member_url(_membership(personas.executive_a)),
        {"action": CouncilRole.EXECUTIVE},
        follow=True,
    )
    assert (
        f"{escape(str(personas.executive_a))} is still a chief executive"
        in response.content.decode()
    )


def test_lead_removes_a_member(client, personas):
    client.force_login(personas.lead_a)
    response = client.post(
        _member_url(_membership(personas.officer_a)), {"action": "remove"}, follow=True
    )
    assert response.redirect_chain == [(_team_url(personas.council_a), 302)]
    html = response.content.decode()
    assert f"{escape(str(personas.officer_a))} no longer has access to Hartlepool" in html
    assert personas.officer_a.email not in html.split("Members (")[1].split("</table>")[0]
    assert not CouncilMembership.objects.filter(user=personas.officer_a).exists()


def test_a_lead_who_steps_down_goes_home(client, personas):
    _second_lead(personas)
    client.force_login(personas.lead_a)
    response = client.post(
        _member_url(_membership(personas.lead_a)), {"action": CouncilRole.OFFICER}
    )
    assert response.status_code == 302
    assert response.url == reverse("portal:home")
    assert _role(personas.lead_a) == CouncilRole.OFFICER


@pytest.mark.parametrize("action", [CouncilRole.OFFICER, CouncilRole.EXECUTIVE, "remove"])
def test_the_last_lead_is_refused_with_an_error_summary(client, personas, action):
    client.force_login(personas.lead_a)
    response = client.post(_member_url(_membership(personas.lead_a)), {"action": action})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "<title>Error: " in html
    assert (
        "Hartlepool must have at least one assessment lead. Make someone else a lead first." in html
    )
    assert _role(personas.lead_a) == CouncilRole.LEAD


@pytest.mark.parametrize(
    "form",
    [
        {},
        {"action": ""},
        {"action": "overlord"},
        {"action": "REMOVE"},
        {"action": "removex"},
    ],
)
def test_tampered_posts_show_a_govuk_error(client, personas, form):
    client.force_login(personas.lead_a)
    response = client.post(_member_url(_membership(personas.officer_a)), form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert f"Select a role for {escape(str(personas.officer_a))}, or remove them" in html
    assert 'class="govuk-error-message"' in html
    assert _role(personas.officer_a) == CouncilRole.OFFICER


def test_error_summary_links_reach_real_inputs(client, personas):
    client.force_login(personas.lead_a)
    for form in ({"action": "overlord"}, {"action": "remove"}):
        response = client.post(_member_url(_membership(personas.lead_a)), form)
        html = response.content.decode()
        summary = html.split('govuk-error-summary__list">')[1].split("</ul>")[0]
        anchors = re.findall(r'href="#([^"]+)"', summary)
        assert anchors == ["id_action_1"]
        assert 'id="id_action_1"' in html


def test_an_empty_post_to_invite_shows_errors_and_invites_nobody(client, personas):
    from accounts.models import Invitation

    client.force_login(personas.lead_a)

    response = client.post(reverse("accounts:invite", args=[personas.council_a.gss_code]), {})

    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not Invitation.objects.exists()


def test_removing_someone_drops_their_open_assignments_but_keeps_signed_off_history(personas):
    from assessments.models import AssessmentStatus, DimensionAssignment

    open_round = AssessmentRoundFactory()
    assessment = assessment_services.assessment_start(
        council=personas.council_a, round=open_round, by=personas.lead_a
    )
    dimension = dims(assessment)[0]
    assessment_services.assignments_set(
        assessment=assessment, dimension=dimension, users=[personas.officer_a], by=personas.lead_a
    )
    # An older, signed-off assessment's assignment is history: it stays.
    old = assessment_services.assessment_start(
        council=personas.council_a, round=AssessmentRoundFactory(), by=personas.lead_a
    )
    assessment_services.assignments_set(
        assessment=old, dimension=dims(old)[0], users=[personas.officer_a], by=personas.lead_a
    )
    type(old).objects.filter(pk=old.pk).update(status=AssessmentStatus.SIGNED_OFF)

    services.membership_remove(membership=_membership(personas.officer_a), by=personas.lead_a)

    left = DimensionAssignment.objects.filter(user=personas.officer_a)
    assert list(left.values_list("assessment_id", flat=True)) == [old.pk]
