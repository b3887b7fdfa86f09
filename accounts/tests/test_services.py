from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts import services
from accounts.models import CouncilMembership, CouncilRole, Invitation, User
from accounts.tests.factories import InvitationFactory, UserFactory


def _invite(personas, email="new.officer@hartlepool.example", role=CouncilRole.OFFICER):
    return services.invitation_create(
        council=personas.council_a, email=email, role=role, invited_by=personas.lead_a
    )


def test_lead_invites_and_the_email_is_sent_after_commit(
    personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        invitation = _invite(personas, email="New.Officer@Hartlepool.example")
        # The job is queued for after the commit, never inside the transaction.
        assert len(mail.outbox) == 0
    assert len(callbacks) == 1
    assert invitation.email == "new.officer@hartlepool.example"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.officer@hartlepool.example"]
    assert "Hartlepool" in message.subject
    assert services.invitation_link(invitation) in message.body
    invitation.refresh_from_db()
    assert invitation.sent_at is not None


@pytest.mark.parametrize("who", ["officer_a", "executive_a", "officer_b", "analyst", "staff"])
def test_only_the_councils_lead_can_invite(personas, who):
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            council=personas.council_a,
            email="someone@example.com",
            role=CouncilRole.OFFICER,
            invited_by=getattr(personas, who),
        )
    assert not Invitation.objects.exists()


def test_inviting_an_existing_member_is_refused(personas):
    with pytest.raises(ValidationError, match="already a member"):
        _invite(personas, email="OFFICER.A@hartlepool.example")


def test_a_second_open_invitation_is_refused_but_an_expired_one_gives_way(personas):
    first = _invite(personas)
    with pytest.raises(ValidationError, match="already has an invitation"):
        _invite(personas)
    Invitation.objects.filter(pk=first.pk).update(expires_at=timezone.now() - timedelta(days=1))
    second = _invite(personas)
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert second.pk != first.pk


def test_sending_is_idempotent(personas):
    invitation = _invite(personas)
    assert services.invitation_send_email(invitation_id=invitation.pk, nonce=invitation.nonce)
    assert not services.invitation_send_email(invitation_id=invitation.pk, nonce=invitation.nonce)
    assert len(mail.outbox) == 1


def test_resend_rotates_the_link_so_only_the_newest_works(personas):
    invitation = _invite(personas)
    old_nonce = invitation.nonce
    services.invitation_resend(invitation=invitation, by=personas.lead_a)
    assert invitation.nonce != old_nonce
    # A job queued for the old link does nothing.
    assert not services.invitation_send_email(invitation_id=invitation.pk, nonce=old_nonce)
    with pytest.raises(services.InvitationNotValid):
        services.invitation_accept(
            invitation_id=invitation.pk, nonce=old_nonce, full_name="A", password="x" * 12
        )


def test_accepting_creates_the_account_and_role_once(personas):
    invitation = _invite(personas, role=CouncilRole.EXECUTIVE)
    user = services.invitation_accept(
        invitation_id=invitation.pk,
        nonce=invitation.nonce,
        full_name=" Nadia New ",
        password="a-long-enough-password",
    )
    assert user.email == "new.officer@hartlepool.example"
    assert user.full_name == "Nadia New"
    assert user.check_password("a-long-enough-password")
    membership = CouncilMembership.objects.get(user=user)
    assert (membership.council, membership.role) == (personas.council_a, CouncilRole.EXECUTIVE)
    with pytest.raises(services.InvitationNotValid):
        services.invitation_accept(
            invitation_id=invitation.pk,
            nonce=invitation.nonce,
            full_name="Someone else",
            password="another-long-password",
        )
    assert User.objects.filter(email=invitation.email).count() == 1


def test_expired_or_withdrawn_invitations_cannot_be_accepted(personas):
    expired = InvitationFactory(
        council=personas.council_a, expires_at=timezone.now() - timedelta(minutes=1)
    )
    withdrawn = _invite(personas)
    services.invitation_withdraw(invitation=withdrawn, by=personas.lead_a)
    for invitation in (expired, withdrawn):
        with pytest.raises(services.InvitationNotValid):
            services.invitation_accept(
                invitation_id=invitation.pk,
                nonce=invitation.nonce,
                full_name="X",
                password="a-long-enough-password",
            )
    assert not CouncilMembership.objects.filter(user__email=expired.email).exists()


def test_an_existing_account_must_accept_while_signed_in(personas):
    invitation = InvitationFactory(council=personas.council_a, email=personas.officer_b.email)
    with pytest.raises(services.InvitationNotValid):
        services.invitation_accept(
            invitation_id=invitation.pk,
            nonce=invitation.nonce,
            full_name="Takeover",
            password="a-long-enough-password",
        )
    personas.officer_b.refresh_from_db()
    assert personas.officer_b.check_password(personas.password)
    # The claim was rolled back with the rest, so the right person can still accept.
    services.invitation_accept(
        invitation_id=invitation.pk, nonce=invitation.nonce, user=personas.officer_b
    )
    assert personas.officer_b.council_memberships.count() == 2


def test_someone_else_cannot_accept_an_invitation_for_another_address(personas):
    invitation = InvitationFactory(council=personas.council_a, email="x@example.com")
    stranger = UserFactory()
    with pytest.raises(services.InvitationNotValid):
        services.invitation_accept(
            invitation_id=invitation.pk, nonce=invitation.nonce, user=stranger
        )
    assert not stranger.council_memberships.exists()


def test_purge_deletes_only_long_expired_unaccepted_invitations(personas):
    long_ago = timezone.now() - timedelta(days=31)
    stale = InvitationFactory(council=personas.council_a, expires_at=long_ago)
    used = InvitationFactory(council=personas.council_a, expires_at=long_ago)
    Invitation.objects.filter(pk=used.pk).update(accepted_at=long_ago - timedelta(days=1))
    recent = InvitationFactory(
        council=personas.council_a, expires_at=timezone.now() - timedelta(days=2)
    )
    assert services.invitations_purge_expired() == 1
    assert services.invitations_purge_expired() == 0
    assert set(Invitation.objects.values_list("pk", flat=True)) == {used.pk, recent.pk}
    assert not Invitation.objects.filter(pk=stale.pk).exists()


@pytest.mark.parametrize("other_lead, expected", [(False, "lead"), (True, "officer")])
def test_an_invitation_never_takes_the_councils_only_lead_away(personas, other_lead, expected):
    if other_lead:
        CouncilMembership.objects.filter(user=personas.executive_a).update(role="lead")
    invitation = InvitationFactory(
        council=personas.council_a, email=personas.lead_a.email, role="officer"
    )

    services.invitation_accept(
        invitation_id=invitation.pk, nonce=invitation.nonce, user=personas.lead_a
    )

    membership = CouncilMembership.objects.get(user=personas.lead_a, council=personas.council_a)
    assert membership.role == expected
