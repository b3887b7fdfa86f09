"""Writes with rules for people, roles and invitations."""

from __future__ import annotations

import logging
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.queue import enqueue_after_commit
from councils.models import Council

from . import throttle
from .models import (
    CouncilMembership,
    CouncilRole,
    ErasureRequest,
    ExternalIdentity,
    IdentityProvider,
    IdentityProviderDomain,
    Invitation,
    SecurityEvent,
    SecurityEventKind,
    SignInCounter,
    User,
)
from .signals import member_removed
from .tokens import make_invitation_token

if TYPE_CHECKING:
    from .sso import Asserted

logger = logging.getLogger(__name__)


class InvitationNotValid(Exception):
    """The link is unknown, used, withdrawn, superseded by a resend, or out of date."""


def ensure_lead(*, council: Council, user: User, to: str = "manage its team") -> None:
    """PermissionDenied unless `user` is the council's assessment lead ("... can <to>")."""
    if (
        not CouncilMembership.objects.for_user(user)
        .filter(council=council, role=CouncilRole.LEAD)
        .exists()
    ):
        raise PermissionDenied(f"Only the council's assessment lead can {to}.")


def _queue_invitation_email(invitation: Invitation) -> None:
    from .tasks import send_invitation_email

    # If the broker is down the invitation still stands, and the lead can resend it.
    enqueue_after_commit(send_invitation_email, invitation.pk, invitation.nonce)


def _inviting_language() -> str:
    """The language the lead is using now, kept for the email (one of settings.LANGUAGES)."""
    current = translation.get_language() or ""
    return current if current in dict(settings.LANGUAGES) else ""


def invitation_create(*, council: Council, email: str, role: str, invited_by: User) -> Invitation:
    """Invite someone to the council in a role, and email them a single-use link.

    The email is written in the invited person's language if they have an account and chose
    one; otherwise in the language the lead is using now, kept on the invitation.
    """
    ensure_lead(council=council, user=invited_by)
    email = email.strip().lower()
    if CouncilMembership.objects.filter(council=council, user__email__iexact=email).exists():
        raise ValidationError({"email": gettext("This person is already a member of your council")})
    with transaction.atomic():
        open_invitation = (
            Invitation.objects.select_for_update()
            .filter(council=council, email__iexact=email)
            .filter(accepted_at__isnull=True, revoked_at__isnull=True)
            .first()
        )
        if open_invitation and not open_invitation.is_expired:
            raise ValidationError(
                {
                    "email": gettext(
                        "This person already has an invitation. Resend it from the team page"
                    )
                }
            )
        if open_invitation:
            # An expired invitation gives way to the new one.
            open_invitation.revoked_at = timezone.now()
            open_invitation.save(update_fields=["revoked_at"])
        invitation = Invitation(
            council=council,
            email=email,
            role=role,
            invited_by=invited_by,
            language=_inviting_language(),
            nonce=secrets.token_hex(16),
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
        )
        invitation.full_clean()
        invitation.save()
        _queue_invitation_email(invitation)
    return invitation


def invitation_resend(*, invitation: Invitation, by: User) -> Invitation:
    """Send a fresh link and restart the clock; earlier links stop working. The email is in the
    language the lead who resends it is using, unless the invited person chose one."""
    ensure_lead(council=invitation.council, user=by)
    with transaction.atomic():
        updated = Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(
            nonce=secrets.token_hex(16),
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
            sent_at=None,
            language=_inviting_language(),
        )
        if updated != 1:
            raise ValidationError(gettext("This invitation has already been accepted or withdrawn"))
        invitation.refresh_from_db()
        _queue_invitation_email(invitation)
    return invitation


def invitation_withdraw(*, invitation: Invitation, by: User) -> None:
    ensure_lead(council=invitation.council, user=by)
    updated = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if updated != 1:
        raise ValidationError(gettext("This invitation has already been accepted or withdrawn"))


def invitation_link(invitation: Invitation) -> str:
    token = make_invitation_token(invitation.pk, invitation.nonce)
    return settings.PORTAL_BASE_URL + reverse("accounts:accept-invitation", args=[token])


def invitation_send_email(*, invitation_id: int, nonce: str) -> bool:
    """Email the link for this version of the invitation.

    Safe to run twice: a superseded, used or withdrawn invitation is skipped, and
    `sent_at` is claimed with a conditional update so a retried job sends once.
    """
    claimed = Invitation.objects.filter(
        pk=invitation_id,
        nonce=nonce,
        sent_at__isnull=True,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).update(sent_at=timezone.now())
    if claimed != 1:
        return False
    invitation = Invitation.objects.select_related("council", "invited_by").get(pk=invitation_id)
    try:
        with translation.override(invitation_language(invitation)):
            context = {
                "invitation": invitation,
                "link": invitation_link(invitation),
                "service_name": settings.SERVICE_NAME,
            }
            subject = gettext("You are invited to join %(council)s on the %(service)s") % {
                "council": invitation.council.short_name,
                "service": context["service_name"],
            }
            message = render_to_string("accounts/email/invitation.txt", context)
        send_mail(
            subject=subject,
            message=message,
            from_email=None,
            recipient_list=[invitation.email],
        )
    except Exception:
        # Let the job be retried: give the claim back before re-raising.
        Invitation.objects.filter(pk=invitation_id, nonce=nonce).update(sent_at=None)
        raise
    return True


def invitation_language(invitation: Invitation) -> str:
    """The language an invitation's email is written in: the invited person's own choice if
    they have an account and made one, else the inviting lead's when they sent it."""
    chosen = (
        User.objects.filter(email__iexact=invitation.email)
        .values_list("language", flat=True)
        .first()
    )
    return chosen or invitation.language or settings.LANGUAGE_CODE


def invitation_pending_for(*, invitation_id: int, nonce: str) -> Invitation:
    invitation = (
        Invitation.objects.pending()
        .select_related("council")
        .filter(pk=invitation_id, nonce=nonce)
        .first()
    )
    if invitation is None:
        raise InvitationNotValid
    return invitation


def invitation_accept(
    *,
    invitation_id: int,
    nonce: str,
    user: User | None = None,
    full_name: str = "",
    password: str = "",
) -> User:
    """Use the invitation: create the account (or take the signed-in one) and add the role.

    The claim is a conditional update, so two clicks on one link cannot both succeed.
    """
    with transaction.atomic():
        now = timezone.now()
        claimed = (
            Invitation.objects.pending()
            .filter(pk=invitation_id, nonce=nonce)
            .update(accepted_at=now)
        )
        if claimed != 1:
            raise InvitationNotValid
        invitation = Invitation.objects.select_related("council").get(pk=invitation_id)
        if user is None:
            if User.objects.filter(email__iexact=invitation.email).exists():
                # Existing accounts accept while signed in, so nobody can take one over.
                raise InvitationNotValid
            user = User.objects.create_user(
                email=invitation.email, password=password, full_name=full_name.strip()
            )
        elif user.email.lower() != invitation.email.lower():
            raise InvitationNotValid
        role = invitation.role
        existing = CouncilMembership.objects.filter(user=user, council=invitation.council).first()
        if existing is not None and existing.role == CouncilRole.LEAD and role != CouncilRole.LEAD:
            # An invitation gives access; it must not take the council's only lead away.
            if _lock_leads(invitation.council) == {existing.pk}:
                role = CouncilRole.LEAD
        CouncilMembership.objects.update_or_create(
            user=user, council=invitation.council, defaults={"role": role}
        )
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_by"])
    return user


def invitations_purge_expired() -> int:
    """Delete invitations that were never used and expired long ago. Idempotent."""
    cutoff = timezone.now() - timedelta(days=settings.EXPIRED_INVITATION_RETENTION_DAYS)
    deleted, _ = Invitation.objects.filter(accepted_at__isnull=True, expires_at__lt=cutoff).delete()
    return deleted


# Members ------------------------------------------------------------------------------


def user_reminders_set(*, user: User, on: bool) -> None:
    """Whether this person gets reminder emails (never the ones asking them to act)."""
    User.objects.filter(pk=user.pk).update(reminder_emails=on)
    user.reminder_emails = on


def user_language_set(*, user: User, language: str) -> None:
    """Remember the language this person chose (one of settings.LANGUAGES)."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"{language!r} is not one of the portal's languages")
    User.objects.filter(pk=user.pk).update(language=language)
    user.language = language


class LastLeadError(ValueError):
    """The change would leave the council without an assessment lead.

    The message is written for the person who tried.
    """


def _lock_leads(council: Council) -> set[int]:
    """Lock the council's lead memberships until the transaction ends; their pks.

    Every change that can take away a lead locks these rows first, in pk order, so two leads
    demoting each other at once cannot both succeed: the second waits, then sees one lead.
    """
    return set(
        CouncilMembership.objects.select_for_update()
        .filter(council=council, role=CouncilRole.LEAD)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _refuse_last_lead(membership: CouncilMembership, leads: set[int]) -> None:
    if leads == {membership.pk}:
        raise LastLeadError(
            gettext(
                "%(council)s must have at least one assessment lead. "
                "Make someone else a lead first."
            )
            % {"council": membership.council.short_name}
        )


def membership_change_role(*, membership: CouncilMembership, role: str, by: User) -> bool:
    """Give a member of the council another role; True if it changed.

    Only the council's assessment lead may do it. Refuses (LastLeadError) to demote the
    council's only lead, even when the lead is demoting themself. Raises
    CouncilMembership.DoesNotExist if someone removed the membership in the meantime.
    """
    if role not in CouncilRole.values:
        raise ValueError(f"Unknown council role: {role!r}")
    council = membership.council
    with transaction.atomic():
        leads = _lock_leads(council)
        # Checked after the lock, so a lead demoted a moment ago cannot still act as one.
        ensure_lead(council=council, user=by)
        # Ordered by pk: the default ordering joins council and user, whose rows would be
        # locked too.
        current = (
            CouncilMembership.objects.select_for_update()
            .filter(pk=membership.pk, council=council)
            .order_by("pk")
            .first()
        )
        if current is None:
            raise CouncilMembership.DoesNotExist
        if current.role == role:
            membership.role = role
            return False
        if current.role == CouncilRole.LEAD:
            _refuse_last_lead(membership, leads)
        before = current.role
        current.role = role
        current.full_clean()
        current.save(update_fields=["role"])
    membership.role = role
    logger.info(
        "User %s changed user %s's role at council %s from %s to %s",
        by.pk,
        membership.user_id,
        council.gss_code,
        before,
        role,
    )
    return True


def membership_remove(*, membership: CouncilMembership, by: User) -> None:
    """Take a person off the council's team.

    Only the membership goes, and with it their barrier assignments on the council's
    assessments that are still being answered (a lead should not wait on someone who can no
    longer open them). Their responses, answers and anything they agreed stay with the
    council's assessments, and they can be invited back. Refuses (LastLeadError) to
    remove the council's only lead, even when the lead is removing themself. Removing a
    membership that has already gone does nothing, so it is safe to repeat.
    """
    council = membership.council
    with transaction.atomic():
        leads = _lock_leads(council)
        ensure_lead(council=council, user=by)
        if membership.pk in leads:
            _refuse_last_lead(membership, leads)
        deleted, _ = CouncilMembership.objects.filter(pk=membership.pk, council=council).delete()
        if deleted:
            # Apps built on accounts drop what hangs off the membership, in this transaction.
            member_removed.send(
                sender=CouncilMembership, user_id=membership.user_id, council=council
            )
    if deleted:
        logger.info(
            "User %s removed user %s from council %s",
            by.pk,
            membership.user_id,
            council.gss_code,
        )


# Sign-in lockout (the rules are in accounts.throttle) -----------------------------------------


@dataclass(frozen=True)
class SignInAttempt:
    """An attempt let through to the password check, already counted as a failure."""

    account: str
    client: str

    def counters(self) -> list[tuple[str, str]]:
        # Always in this order, so two attempts lock shared rows in the same order.
        return sorted([(self.account, self.client), (self.account, ""), ("", self.client)])


def _limits() -> throttle.Limits:
    return throttle.Limits(
        account_from_client=settings.SIGN_IN_FAILURE_LIMIT,
        client=settings.SIGN_IN_CLIENT_FAILURE_LIMIT,
        account=settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT,
        window=timedelta(minutes=settings.SIGN_IN_LOCK_MINUTES),
    )


def _account_key(email: str) -> str:
    # Keyed on the account itself when the address names one, so every spelling that signs
    # in to it (any case, any Unicode form the database folds alike) shares one counter.
    user_id = User.objects.filter(email__iexact=email).values_list("pk", flat=True).first()
    return throttle.key("account", f"user:{user_id}" if user_id else f"email:{email.casefold()}")


def sign_in_attempt_begin(*, email: str, client: str) -> SignInAttempt | throttle.Refusal:
    """Count an attempt as a failure before its password is checked, or refuse it.

    Counting first, under row locks, means parallel requests cannot check more passwords
    than the limits allow. A refused attempt counts nowhere, so once one client is locked
    out of an account its further tries do not bring the account-wide lock nearer.
    """
    attempt = SignInAttempt(account=_account_key(email), client=throttle.key("client", client))
    limits, now = _limits(), timezone.now()
    keys = attempt.counters()
    with transaction.atomic():
        SignInCounter.objects.bulk_create(
            [SignInCounter(account=a, client=c, window_started_at=now) for a, c in keys],
            ignore_conflicts=True,
        )
        matching = Q()
        for account, client_key in keys:
            matching |= Q(account=account, client=client_key)
        rows = list(
            SignInCounter.objects.select_for_update().filter(matching).order_by("account", "client")
        )
        counts = [
            throttle.Count(
                throttle.scope_of(account=row.account, client=row.client),
                row.failures,
                row.window_started_at,
            )
            for row in rows
        ]
        refused = throttle.refusal(counts, now=now, limits=limits)
        if refused is not None:
            logger.warning("Sign-in refused: the %s limit is reached", refused.scope.value)
            return refused
        for row, count in zip(rows, counts, strict=True):
            if throttle.failures_now(count, now=now, window=limits.window):
                row.failures += 1
            else:
                row.failures, row.window_started_at = 1, now
        SignInCounter.objects.bulk_update(rows, ["failures", "window_started_at"])
    return attempt


def sign_in_attempt_succeeded(*, attempt: SignInAttempt) -> None:
    """The password was right: forget this client's failures on the account, and take back
    this attempt from the account-wide and client-wide counts."""
    with transaction.atomic():
        SignInCounter.objects.filter(account=attempt.account, client=attempt.client).delete()
        SignInCounter.objects.filter(
            Q(account=attempt.account, client="") | Q(account="", client=attempt.client),
            failures__gt=0,
        ).update(failures=F("failures") - 1)


def sign_in_lock_clear(*, user: User | None = None, client: str | None = None) -> int:
    """End every lock on a person's account, or on a client (an address as core.client
    gives it), or both. For a person who proved who they are by email, and for support."""
    matching = Q(pk__in=[])
    if user is not None:
        matching |= Q(account=throttle.key("account", f"user:{user.pk}"))
    if client is not None:
        matching |= Q(client=throttle.key("client", client))
    deleted, _ = SignInCounter.objects.filter(matching).delete()
    return deleted


def sign_in_counters_purge() -> int:
    """Delete counters whose window has ended: they no longer count."""
    ended = timezone.now() - timedelta(minutes=settings.SIGN_IN_LOCK_MINUTES)
    deleted, _ = SignInCounter.objects.filter(window_started_at__lte=ended).delete()
    return deleted


# How people sign in: history, single sign-on, two-factor, sessions ----------------------


def security_event_record(
    *, user: User, kind: SecurityEventKind, client: str = "", user_agent: str = ""
) -> SecurityEvent:
    """Record a sign-in or a change to how someone signs in, for them to see."""
    from core.client import browser_summary

    return SecurityEvent.objects.create(
        user=user, kind=kind, client=client[:45], browser=browser_summary(user_agent)
    )


def security_events_purge() -> int:
    """Delete sign-in history older than SECURITY_EVENT_RETENTION_DAYS (the privacy notice
    states the same setting). Idempotent."""
    cutoff = timezone.now() - timedelta(days=settings.SECURITY_EVENT_RETENTION_DAYS)
    deleted, _ = SecurityEvent.objects.filter(at__lt=cutoff).delete()
    return deleted


def _can_manage_provider(*, council: Council, user: User) -> bool:
    if user.is_staff:
        return True
    return (
        CouncilMembership.objects.for_user(user)
        .filter(council=council, role=CouncilRole.LEAD)
        .exists()
    )


def identity_provider_save(
    *,
    council: Council,
    by: User,
    kind: str,
    issuer: str,
    client_id: str,
    client_secret: str,
    domains: list[str],
    enabled: bool,
    version: int | None,
) -> IdentityProvider:
    """Connect the council's identity provider, or change it.

    An empty `client_secret` keeps the stored one. `version` is the one the form was made
    from (None for a new provider): a change from an out-of-date page is refused. Each domain
    may belong to one provider only, so the sign-in page knows where to send an address.
    """
    from core.encryption import encrypt

    if not _can_manage_provider(council=council, user=by):
        raise PermissionDenied("Only the council's assessment lead or staff can do this.")
    domains = sorted({domain.strip().lower() for domain in domains if domain.strip()})
    with transaction.atomic():
        provider = IdentityProvider.objects.select_for_update().filter(council=council).first()
        if (provider.version if provider else None) != version:
            raise ValidationError(
                gettext(
                    "Someone else changed these settings while you were editing them. "
                    "Check the settings below and make your change again."
                )
            )
        taken = (
            IdentityProviderDomain.objects.filter(domain__in=domains)
            .exclude(provider__council=council)
            .values_list("domain", flat=True)
        )
        if taken:
            raise ValidationError(
                {
                    "domains": gettext(
                        "%(domains)s already signs in through another council's provider. "
                        "Ask the portal's support team if this is wrong."
                    )
                    % {"domains": ", ".join(sorted(taken))}
                }
            )
        if provider is None:
            provider = IdentityProvider(council=council, version=0)
        if not client_secret and not provider.client_secret_encrypted:
            if not os.environ.get(provider.secret_variable):
                raise ValidationError({"client_secret": gettext("Enter the client secret")})
        provider.kind = kind
        provider.issuer = issuer
        provider.client_id = client_id
        if client_secret:
            provider.client_secret_encrypted = encrypt(client_secret)
        provider.enabled = enabled
        provider.updated_by = by
        provider.updated_at = timezone.now()
        provider.version += 1
        provider.full_clean()
        provider.save()
        provider.domains.exclude(domain__in=domains).delete()
        kept = set(provider.domains.values_list("domain", flat=True))
        IdentityProviderDomain.objects.bulk_create(
            IdentityProviderDomain(provider=provider, domain=domain)
            for domain in domains
            if domain not in kept
        )
    logger.info("%s saved the identity provider of %s", by.pk, council.gss_code)
    return provider


def identity_provider_remove(*, provider: IdentityProvider, by: User) -> None:
    """Disconnect the provider: its people sign in with a password (or a reset link) again."""
    if not _can_manage_provider(council=provider.council, user=by):
        raise PermissionDenied("Only the council's assessment lead or staff can do this.")
    provider.delete()
    logger.info("%s removed the identity provider of %s", by.pk, provider.council.gss_code)


def identity_sign_in(*, provider: IdentityProvider, asserted: Asserted) -> User:
    """The person a checked ID token names, or SsoRefused.

    The provider's subject decides once linked. Before that, the token's address links to the
    account with that address, or to pending invitations for it (the invitation gives the
    role; a sign-in alone never does). Anyone else is refused.
    """
    from .sso import SsoRefused

    now = timezone.now()
    with transaction.atomic():
        identity = (
            ExternalIdentity.objects.select_for_update()
            .select_related("user")
            .filter(provider=provider, subject=asserted.subject)
            .first()
        )
        if identity is not None:
            if not identity.user.is_active:
                raise SsoRefused("inactive")
            identity.last_used_at = now
            identity.save(update_fields=["last_used_at"])
            return identity.user
        user = User.objects.filter(email__iexact=asserted.email).first()
        invitations = list(Invitation.objects.pending().filter(email__iexact=asserted.email))
        if user is None and not invitations:
            raise SsoRefused("not_invited", asserted.email)
        if user is not None and not user.is_active:
            raise SsoRefused("inactive")
        if user is not None and user.external_identities.filter(provider=provider).exists():
            # Linked to another person at the provider: never re-link on an address alone.
            raise SsoRefused("other_subject", asserted.email)
        if user is None:
            user = User.objects.create_user(
                email=asserted.email, password=None, full_name=asserted.name[:150]
            )
        for invitation in invitations:
            try:
                invitation_accept(invitation_id=invitation.pk, nonce=invitation.nonce, user=user)
            except InvitationNotValid:
                continue
        ExternalIdentity.objects.create(
            provider=provider, user=user, subject=asserted.subject, last_used_at=now
        )
        SecurityEvent.objects.create(user=user, kind=SecurityEventKind.SSO_LINKED)
    return user


@dataclass(frozen=True)
class CodeRefused:
    """A code was not accepted; `until` is set when the device must wait before another try."""

    until: datetime | None = None


def two_factor_start(*, user: User) -> TOTPDevice:
    """A new authenticator app key for this person, unconfirmed until a code from it is
    entered. Starting again replaces an unconfirmed key, never a confirmed one."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def two_factor_confirm(*, user: User, device: TOTPDevice, code: str) -> list[str] | CodeRefused:
    """Confirm the app with a code from it; its new recovery codes, or CodeRefused (with a
    time to wait after wrong codes). Any app set up before is replaced."""
    from .two_factor import normalise_code

    if device.user_id != user.pk or device.confirmed:
        raise PermissionDenied
    allowed, why = device.verify_is_allowed()
    if not allowed:
        return CodeRefused(until=(why or {}).get("locked_until"))
    if not device.verify_token(normalise_code(code)):
        return CodeRefused()
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _recovery_codes_replace(user)
        SecurityEvent.objects.create(user=user, kind=SecurityEventKind.TWO_FACTOR_ADDED)
    return codes


def _recovery_codes_replace(user: User) -> list[str]:
    from .two_factor import new_recovery_code

    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [new_recovery_code() for _ in range(settings.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_renew(*, user: User) -> list[str]:
    """New recovery codes; the old ones stop working."""
    with transaction.atomic():
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise PermissionDenied("Recovery codes come with an authenticator app.")
        codes = _recovery_codes_replace(user)
        SecurityEvent.objects.create(user=user, kind=SecurityEventKind.RECOVERY_CODES_NEW)
    return codes


def two_factor_remove(*, user: User) -> None:
    """Remove the authenticator app and the recovery codes."""
    with transaction.atomic():
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        if removed:
            SecurityEvent.objects.create(user=user, kind=SecurityEventKind.TWO_FACTOR_REMOVED)


def two_factor_verify(
    *, user: User, code: str, recovery: bool, client: str = "", user_agent: str = ""
) -> Device | CodeRefused:
    """Check a code from the authenticator app, or a recovery code (used up once right).

    django-otp throttles each device: after a wrong code it waits 1, 2, 4, ... seconds before
    it checks another, and says until when. Wrong codes are recorded for the person to see.
    """
    model: type[TOTPDevice] | type[StaticDevice] = StaticDevice if recovery else TOTPDevice
    device = model.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return CodeRefused()
    allowed, why = device.verify_is_allowed()
    if not allowed:
        return CodeRefused(until=(why or {}).get("locked_until"))
    from .two_factor import normalise_code

    if device.verify_token(normalise_code(code)):
        if recovery:
            security_event_record(
                user=user,
                kind=SecurityEventKind.RECOVERY_CODE_USED,
                client=client,
                user_agent=user_agent,
            )
        return device
    security_event_record(
        user=user, kind=SecurityEventKind.SIGN_IN_REFUSED_CODE, client=client, user_agent=user_agent
    )
    return CodeRefused()


def sessions_end_others(*, user: User) -> None:
    """Sign this person out everywhere: Django checks every session against a hash that
    includes the epoch, so raising it ends them all. The caller keeps its own session with
    `update_session_auth_hash`."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
        user.refresh_from_db(fields=["session_epoch"])
        SecurityEvent.objects.create(user=user, kind=SecurityEventKind.OTHER_SESSIONS_ENDED)


def person_erase(*, user: User, by: User | None) -> None:
    """Erase a person: staff (`by`), or the retention job for an unused account (None). Their
    account goes; every app makes what it keeps about them anonymous first
    (`signals.person_erasing`): their answers stay as "Former officer 3" of each assessment,
    their actions as "a former team member", and emails to them go. Their invitations go with
    the account. One transaction: all of it, or none."""
    from .signals import person_erasing

    if by is not None and (not by.is_staff or not by.is_active):
        raise PermissionDenied("Only staff can erase a person.")
    if by is not None and user.pk == by.pk:
        raise ValidationError(
            gettext("You cannot erase your own account. Ask another member of staff.")
        )
    pk = user.pk
    with transaction.atomic():
        person_erasing.send(sender=User, user=user)
        Invitation.objects.filter(email__iexact=user.email).delete()
        ErasureRequest.objects.filter(user=user).delete()
        user.delete()
    logger.info("%s erased person %s", by.pk if by else "The retention job", pk)


def erasure_request(*, user: User) -> ErasureRequest:
    """Someone asks for their account to be erased; staff confirm. Asking twice is one request."""
    request, _ = ErasureRequest.objects.get_or_create(user=user)
    return request
