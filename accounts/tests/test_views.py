import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts import services
from accounts.models import CouncilMembership, CouncilRole, Invitation, User
from accounts.tests.factories import InvitationFactory
from accounts.tokens import make_invitation_token


def _team_url(council):
    return reverse("accounts:team", args=[council.gss_code])


def _invite_url(council):
    return reverse("accounts:invite", args=[council.gss_code])


def _accept_url(invitation):
    return reverse(
        "accounts:accept-invitation", args=[make_invitation_token(invitation.pk, invitation.nonce)]
    )


# Sign-in


def test_sign_in_page_is_public_and_uses_govuk_form(client, db):
    response = client.get(reverse("accounts:sign-in"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "novalidate" in html
    assert 'class="govuk-input' in html
    assert 'autocomplete="email"' in html


def test_empty_sign_in_shows_error_summary(client, db):
    response = client.post(reverse("accounts:sign-in"), {"username": "", "password": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Enter your email address" in html
    assert "Enter your password" in html
    assert "<title>Error: Sign in" in html


def test_sign_in_with_right_password_ignores_email_case(client, personas):
    response = client.post(
        reverse("accounts:sign-in"),
        {"username": "Officer.A@Hartlepool.example", "password": personas.password},
    )
    assert response.status_code == 302
    assert response.url == reverse("portal:home")


def test_sign_in_with_wrong_password_is_refused(client, personas):
    response = client.post(
        reverse("accounts:sign-in"),
        {"username": personas.officer_a.email, "password": "wrong-password"},
    )
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.content.decode()


def test_failed_sign_ins_are_throttled(client, personas, settings):
    url = reverse("accounts:sign-in")
    for _ in range(settings.SIGN_IN_FAILURE_LIMIT):
        client.post(url, {"username": personas.officer_a.email, "password": "nope-nope"})
    # Even the right password is refused while the lock lasts.
    response = client.post(
        url, {"username": personas.officer_a.email, "password": personas.password}
    )
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The lock is per account and address: another person can still sign in.
    response = client.post(url, {"username": personas.lead_a.email, "password": personas.password})
    assert response.status_code == 302


def test_sign_out_is_a_post(client, personas):
    client.force_login(personas.officer_a)
    assert client.get(reverse("accounts:sign-out")).status_code == 405
    response = client.post(reverse("accounts:sign-out"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:signed-out")
    assert "_auth_user_id" not in client.session


# Password reset and change


def test_password_reset_sends_a_one_time_link(client, personas):
    response = client.post(reverse("accounts:password-reset"), {"email": personas.officer_a.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/password-reset/\S+/)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    assert "Choose a new password" in response.content.decode()
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-password", "new_password2": "a-brand-new-password"},
    )
    assert response.status_code == 302
    personas.officer_a.refresh_from_db()
    assert personas.officer_a.check_password("a-brand-new-password")
    # Used once, the link no longer works.
    assert "This link has expired" in client.get(link, follow=True).content.decode()


def test_password_reset_does_not_reveal_unknown_addresses(client, db):
    response = client.post(reverse("accounts:password-reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 0


def test_password_reset_with_bad_email_shows_error(client, db):
    response = client.post(reverse("accounts:password-reset"), {"email": "not-an-email"})
    assert "Enter an email address in the correct format" in response.content.decode()


def test_password_change(client, personas):
    client.force_login(personas.officer_a)
    url = reverse("accounts:password-change")
    response = client.post(
        url,
        {"old_password": "wrong", "new_password1": "x-new-password-1", "new_password2": "x"},
    )
    html = response.content.decode()
    assert "Your current password is not correct" in html
    response = client.post(
        url,
        {
            "old_password": personas.password,
            "new_password1": "x-new-password-1",
            "new_password2": "x-new-password-1",
        },
    )
    assert response.status_code == 302
    personas.officer_a.refresh_from_db()
    assert personas.officer_a.check_password("x-new-password-1")


def test_account_page_lists_roles(client, personas):
    client.force_login(personas.analyst)
    html = client.get(reverse("accounts:account")).content.decode()
    assert "Network analyst for" in html
    assert personas.network.name in html


def _checked(html: str) -> list[str]:
    return re.findall(r'name="reminders"[^>]*value="(\w+)"\s+checked', html)


def test_a_person_turns_reminder_emails_off_and_on(client, personas):
    client.force_login(personas.officer_a)
    url = reverse("accounts:account")
    assert _checked(client.get(url).content.decode()) == ["yes"]

    response = client.post(url, {"reminders": "no"})

    assert response.status_code == 302
    personas.officer_a.refresh_from_db()
    assert personas.officer_a.reminder_emails is False
    assert _checked(client.get(url).content.decode()) == ["no"]
    client.post(url, {"reminders": "yes"})
    personas.officer_a.refresh_from_db()
    assert personas.officer_a.reminder_emails is True


def test_a_tampered_email_setting_is_a_clear_error_and_changes_nothing(client, personas):
    client.force_login(personas.officer_a)

    response = client.post(reverse("accounts:account"), {"reminders": "maybe"})

    assert response.status_code == 200
    assert "Select whether you want reminder emails" in response.content.decode()
    personas.officer_a.refresh_from_db()
    assert personas.officer_a.reminder_emails is True


# The lead's team


def test_lead_sees_team_and_invites(client, personas, django_capture_on_commit_callbacks):
    client.force_login(personas.lead_a)
    response = client.get(_team_url(personas.council_a))
    assert response.status_code == 200
    assert personas.officer_a.email in response.content.decode()
    assert personas.officer_b.email not in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _invite_url(personas.council_a),
            {"email": "new.person@hartlepool.example", "role": CouncilRole.OFFICER},
        )
    assert response.status_code == 302
    assert response.url == _team_url(personas.council_a)
    assert mail.outbox[0].to == ["new.person@hartlepool.example"]
    html = client.get(_team_url(personas.council_a)).content.decode()
    assert "Invitation sent to new.person@hartlepool.example" in html
    assert "new.person@hartlepool.example" in html
    assert "Not sent yet" not in html


def test_team_page_shows_invitations_whose_email_has_not_gone(client, personas):
    InvitationFactory(council=personas.council_a, email="waiting@hartlepool.example")
    client.force_login(personas.lead_a)
    html = client.get(_team_url(personas.council_a)).content.decode()
    assert "Not sent yet" in html


def test_teams_redirects_a_lead_to_their_only_team(client, personas):
    client.force_login(personas.lead_a)
    response = client.get(reverse("accounts:teams"))
    assert response.status_code == 302
    assert response.url == _team_url(personas.council_a)


@pytest.mark.parametrize(
    "form, message",
    [
        ({"email": "", "role": ""}, "Enter an email address"),
        ({"email": "nope", "role": "officer"}, "Enter an email address in the correct format"),
        ({"email": "a@example.com", "role": "overlord"}, "Select a role from the list"),
        ({"email": "officer.a@hartlepool.example", "role": "officer"}, "already a member"),
    ],
)
def test_bad_invitations_show_govuk_errors(client, personas, form, message):
    client.force_login(personas.lead_a)
    response = client.post(_invite_url(personas.council_a), form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert message in html
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("who", ["officer_a", "executive_a", "officer_b", "analyst", "staff"])
def test_only_the_lead_reaches_the_team_pages(client, personas, who):
    client.force_login(getattr(personas, who))
    invitation = InvitationFactory(council=personas.council_a)
    council = personas.council_a
    assert client.get(_team_url(council)).status_code == 404
    assert client.get(_invite_url(council)).status_code == 404
    assert (
        client.post(_invite_url(council), {"email": "x@example.com", "role": "officer"}).status_code
        == 404
    )
    for name in ("accounts:invitation-resend", "accounts:invitation-withdraw"):
        url = reverse(name, args=[council.gss_code, invitation.pk])
        assert client.post(url).status_code == 404
    assert reverse("accounts:teams") and client.get(reverse("accounts:teams")).status_code == 404


def test_lead_cannot_touch_another_councils_invitation(client, personas):
    foreign = InvitationFactory(council=personas.council_b)
    client.force_login(personas.lead_a)
    # Both through the foreign council's address and by smuggling its id into their own.
    for gss in (personas.council_b.gss_code, personas.council_a.gss_code):
        url = reverse("accounts:invitation-withdraw", args=[gss, foreign.pk])
        assert client.post(url).status_code == 404
    foreign.refresh_from_db()
    assert foreign.revoked_at is None


def test_resend_and_withdraw(client, personas, django_capture_on_commit_callbacks):
    invitation = InvitationFactory(council=personas.council_a)
    client.force_login(personas.lead_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:invitation-resend", args=[personas.council_a.gss_code, invitation.pk])
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    response = client.post(
        reverse("accounts:invitation-withdraw", args=[personas.council_a.gss_code, invitation.pk]),
        follow=True,
    )
    assert "was withdrawn" in response.content.decode()
    # A second withdrawal is explained, not an error page.
    response = client.post(
        reverse("accounts:invitation-withdraw", args=[personas.council_a.gss_code, invitation.pk]),
        follow=True,
    )
    assert "already been accepted or withdrawn" in response.content.decode()


# Accepting an invitation


def test_new_person_accepts_and_is_signed_in(client, personas):
    invitation = InvitationFactory(council=personas.council_a, role=CouncilRole.OFFICER)
    url = _accept_url(invitation)
    assert invitation.email in client.get(url).content.decode()
    response = client.post(
        url,
        {"full_name": "Nia New", "new_password1": "short", "new_password2": "short"},
    )
    assert "This password is too short" in response.content.decode()
    response = client.post(
        url,
        {
            "full_name": "Nia New",
            "new_password1": "a-good-long-password",
            "new_password2": "a-good-long-password",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email=invitation.email)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert CouncilMembership.objects.filter(user=user, council=personas.council_a).exists()
    client.logout()
    response = client.get(url)
    assert response.status_code == 404
    assert "This invitation link does not work" in response.content.decode()


@pytest.mark.parametrize("token", ["garbage", "x" * 300, "eyJpIjo5OTksIm4iOiJ4In0:bad:sig"])
def test_tampered_invitation_links_are_404(client, db, token):
    response = client.get(reverse("accounts:accept-invitation", args=[token]))
    assert response.status_code == 404
    assert "This invitation link does not work" in response.content.decode()


def test_existing_user_accepts_after_signing_in(client, personas):
    invitation = InvitationFactory(
        council=personas.council_a, email=personas.officer_b.email, role=CouncilRole.OFFICER
    )
    url = _accept_url(invitation)
    assert "Sign in to accept your invitation" in client.get(url).content.decode()
    client.force_login(personas.officer_b)
    assert "Accept invitation" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert personas.officer_b.council_memberships.filter(council=personas.council_a).exists()


def test_signed_in_stranger_cannot_use_someone_elses_invitation(client, personas):
    invitation = InvitationFactory(council=personas.council_a, email=personas.officer_b.email)
    client.force_login(personas.analyst)
    assert client.post(_accept_url(invitation)).status_code == 404
    assert not personas.analyst.council_memberships.exists()


def test_invitation_link_in_email_works_end_to_end(client, personas):
    invitation = services.invitation_create(
        council=personas.council_a,
        email="fresh@hartlepool.example",
        role=CouncilRole.LEAD,
        invited_by=personas.lead_a,
    )
    services.invitation_send_email(invitation_id=invitation.pk, nonce=invitation.nonce)
    path = re.search(r"https?://[^/]+(/invitations/\S+/)", mail.outbox[0].body).group(1)
    assert client.get(path).status_code == 200


def test_error_summary_links_reach_real_inputs(client, personas):
    client.force_login(personas.lead_a)
    response = client.post(_invite_url(personas.council_a), {"email": "", "role": ""})
    html = response.content.decode()
    summary = html.split('govuk-error-summary__list">')[1].split("</ul>")[0]
    anchors = re.findall(r'href="#([^"]+)"', summary)
    assert anchors == ["id_email", "id_role_1"]
    for anchor in anchors:
        assert f'id="{anchor}"' in html
