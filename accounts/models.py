from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    PermissionsMixin,
)
from django.db import models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from councils.models import Council, Network


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        # Email addresses are stored lower-case, so sign-in ignores case.
        return self.get(email__iexact=username or "")

    def with_role_kinds(self) -> models.QuerySet[User]:
        """People with which kinds of role they hold anywhere, as the navigation shows them:
        `holds_council_role`, `leads_a_council` and `analyses_a_network`."""
        # Written as SQL because this runs on every page: Exists() subqueries cost three
        # times the Python to compile as the rest of the query.
        user = f'"{self.model._meta.db_table}"."id"'
        councils = CouncilMembership._meta.db_table
        networks = NetworkMembership._meta.db_table

        def exists(table: str, where: str = "", params: tuple[str, ...] = ()) -> RawSQL:
            return RawSQL(
                f'EXISTS (SELECT 1 FROM "{table}" m WHERE m."user_id" = {user}{where})',
                params,
                output_field=models.BooleanField(),
            )

        return self.annotate(
            holds_council_role=exists(councils),
            leads_a_council=exists(councils, ' AND m."role" = %s', (CouncilRole.LEAD.value,)),
            analyses_a_network=exists(networks),
        )


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    is_staff = models.BooleanField(
        _("platform administrator"),
        default=False,
        help_text=_("Staff of the body that runs the portal; they can use the admin site."),
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # Reminders before a round closes and of actions due. Emails that ask someone to act
    # (a sign-off waiting, an assessment returned, parts assigned) are always sent.
    reminder_emails = models.BooleanField(default=True)
    # Raised by "sign out of all other sessions": a session made before it no longer matches
    # the session hash below, so Django signs it out on its next request.
    session_epoch = models.PositiveIntegerField(default=0)
    # When the retention job warned that this unused account will be erased; a sign-in clears it.
    inactive_warned_at = models.DateTimeField(null=True, blank=True)
    # The language chosen with the header's switch (settings.LANGUAGES); blank until they
    # choose, when the browser's language is used. Emails to them are written in it too.
    language = models.CharField(max_length=10, blank=True, default="")

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    # django-stubs declares this a ClassVar on AbstractBaseUser.
    REQUIRED_FIELDS: list[str] = []  # type: ignore[misc]

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def written_in(self) -> str:
        """The language to write to this person in: their choice, else the portal's."""
        return self.language or settings.LANGUAGE_CODE

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def _get_session_auth_hash(self, secret: Any = None) -> str:
        # Epoch 0 keeps Django's own hash, so no session ends when this field arrives.
        if not self.session_epoch:
            return super()._get_session_auth_hash(secret=secret)  # type: ignore[misc]
        return salted_hmac(
            "accounts.User.get_session_auth_hash",
            f"{self.password}:{self.session_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class CouncilRole(models.TextChoices):
    OFFICER = "officer", _("Officer")
    LEAD = "lead", _("Assessment lead")
    EXECUTIVE = "executive", _("Chief executive")


class CouncilMembershipQuerySet(models.QuerySet["CouncilMembership"]):
    def for_user(self, user: Any) -> CouncilMembershipQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user, user__is_active=True)


class CouncilMembership(models.Model):
    """A person's role at one council. One role per person per council."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="council_memberships")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=12, choices=CouncilRole.choices)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CouncilMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["council__short_name_en", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "council"], name="one_role_per_user_per_council"
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(person)s – %(role)s at %(council)s") % {
            "person": self.user,
            "role": self.get_role_display(),
            "council": self.council.short_name,
        }


class NetworkMembership(models.Model):
    """A network analyst's membership of a network."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="network_memberships")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="analysts")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["network__name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "network"], name="one_membership_per_network"),
        ]

    def __str__(self) -> str:
        return gettext("%(person)s – analyst for %(network)s") % {
            "person": self.user,
            "network": self.network,
        }


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> InvitationQuerySet:
        return self.filter(
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )


class Invitation(models.Model):
    """An email invitation to join a council in a role. The link in the email is single-use."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    role = models.CharField(max_length=12, choices=CouncilRole.choices)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    # Rotated on every resend, so only the newest link works.
    nonce = models.CharField(max_length=32)
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The language the email is written in when the address has no account, or one with no
    # language chosen: the inviting lead's at the time they sent it (settings.LANGUAGES).
    language = models.CharField(max_length=10, blank=True, default="")

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_open_invitation_per_email_per_council",
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(email)s to %(council)s as %(role)s") % {
            "email": self.email,
            "council": self.council.short_name,
            "role": self.get_role_display(),
        }

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def status(self) -> str:
        if self.accepted_at:
            return pgettext("invitation", "Accepted")
        if self.revoked_at:
            return pgettext("invitation", "Withdrawn")
        if self.is_expired:
            return pgettext("invitation", "Expired")
        return pgettext("invitation", "Pending")


class SignInCounter(models.Model):
    """Failed sign-ins in one window, counted against an account, a client, or both.

    `account` and `client` are keyed hashes (accounts.throttle), never the address typed or
    the IP: the table keeps no one's email address or location, and its columns are bounded
    whatever was posted. A row with both is one account from one client; a row with one of
    them counts that one across all the others.
    """

    account = models.CharField(max_length=64, blank=True)
    client = models.CharField(max_length=64, blank=True)
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "client"], name="one_sign_in_counter"),
        ]
        indexes = [models.Index(fields=["window_started_at"], name="sign_in_counter_window")]

    def __str__(self) -> str:
        return f"{self.failures} failed sign-ins since {self.window_started_at:%Y-%m-%d %H:%M}"


class IdentityProviderKind(models.TextChoices):
    ENTRA = "entra", "Microsoft Entra ID"
    GOOGLE = "google", "Google Workspace"
    OTHER = "other", _("Another OpenID Connect provider")


class IdentityProvider(models.Model):
    """A council's own identity provider, for single sign-on with OpenID Connect.

    It vouches only for the email domains listed against it (`IdentityProviderDomain`): an
    address it asserts in any other domain is refused, so a council's directory can never sign
    someone in as a person at another council. The client secret is encrypted at rest
    (core.encryption), or read from the environment variable `secret_variable` names.
    """

    council = models.OneToOneField(
        Council, on_delete=models.CASCADE, related_name="identity_provider"
    )
    kind = models.CharField(max_length=8, choices=IdentityProviderKind.choices)
    issuer = models.URLField(_("issuer URL"), max_length=300)
    client_id = models.CharField(_("client ID"), max_length=200)
    client_secret_encrypted = models.TextField(blank=True)
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Counts saves, so a change from an out-of-date page is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["council__short_name_en"]

    def __str__(self) -> str:
        return gettext("%(kind)s for %(council)s") % {
            "kind": self.get_kind_display(),
            "council": self.council.short_name,
        }

    @property
    def secret_variable(self) -> str:
        """The environment variable that, when set, holds the secret instead of the database."""
        return f"SSO_CLIENT_SECRET_{self.council.gss_code}"


class IdentityProviderDomain(models.Model):
    """An email domain a council's identity provider vouches for. One provider per domain, so
    the sign-in page knows where to send an address."""

    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(max_length=253, unique=True)

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain


class ExternalIdentity(models.Model):
    """The person an identity provider knows by `subject` (the ID token's `sub`).

    Linked on the first single sign-on; afterwards the provider's subject, not the email
    address, decides who signs in, so a recycled address cannot take over an account.
    """

    provider = models.ForeignKey(
        IdentityProvider, on_delete=models.CASCADE, related_name="identities"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="external_identities")
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="one_person_per_subject"),
            models.UniqueConstraint(fields=["provider", "user"], name="one_subject_per_person"),
        ]

    def __str__(self) -> str:
        return gettext("%(person)s at %(provider)s") % {
            "person": self.user,
            "provider": self.provider,
        }


class SecurityEventKind(models.TextChoices):
    SIGNED_IN_PASSWORD = "signed_in_password", _("Signed in with a password")
    SIGNED_IN_CODE = (
        "signed_in_code",
        _("Signed in with a password and an authenticator app code"),
    )
    SIGNED_IN_RECOVERY = "signed_in_recovery", _("Signed in with a password and a recovery code")
    SIGNED_IN_SSO = "signed_in_sso", _("Signed in with your council's account")
    SIGN_IN_REFUSED_CODE = (
        "refused_code",
        _("A wrong authenticator app or recovery code was entered"),
    )
    SSO_LINKED = "sso_linked", _("Your council's account was linked to the portal")
    TWO_FACTOR_ADDED = "2fa_added", _("Authenticator app added")
    TWO_FACTOR_REMOVED = "2fa_removed", _("Authenticator app removed")
    RECOVERY_CODES_NEW = "recovery_new", _("New recovery codes made")
    RECOVERY_CODE_USED = "recovery_used", _("Recovery code used")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    OTHER_SESSIONS_ENDED = "sessions_ended", _("Signed out of all other sessions")
    SIGNED_OUT_IDLE = "signed_out_idle", _("Signed out after a time with no activity")


class SecurityEvent(models.Model):
    """A sign-in or a change to how someone signs in, shown to them on "Your account"."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="security_events")
    kind = models.CharField(max_length=20, choices=SecurityEventKind.choices)
    at = models.DateTimeField(default=timezone.now)
    # Where from, as the person would recognise it: the client's address and browser.
    client = models.CharField(max_length=45, blank=True)
    browser = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "-at"], name="security_event_user_at")]

    def __str__(self) -> str:
        return gettext("%(what)s at %(when)s") % {
            "what": self.get_kind_display(),
            "when": f"{self.at:%Y-%m-%d %H:%M}",
        }


class ErasureRequest(models.Model):
    """Someone asked, from "Your account", for their account to be erased. Staff confirm."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="erasure_request")
    requested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["requested_at"]

    def __str__(self) -> str:
        return gettext("Erasure asked for by %(person)s on %(date)s") % {
            "person": self.user,
            "date": f"{self.requested_at:%Y-%m-%d}",
        }
