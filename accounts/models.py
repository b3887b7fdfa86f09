from __future__ import annotations

from typing import Any

from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    PermissionsMixin,
)
from django.db import models
from django.db.models import Q
from django.utils import timezone

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


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    is_staff = models.BooleanField(
        "platform administrator",
        default=False,
        help_text="Staff of the body that runs the portal; they can use the admin site.",
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # Reminders before a round closes and of actions due. Emails that ask someone to act
    # (a sign-off waiting, an assessment returned, parts assigned) are always sent.
    reminder_emails = models.BooleanField(default=True)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    # django-stubs declares this a ClassVar on AbstractBaseUser.
    REQUIRED_FIELDS: list[str] = []  # type: ignore[misc]

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class CouncilRole(models.TextChoices):
    OFFICER = "officer", "Officer"
    LEAD = "lead", "Assessment lead"
    EXECUTIVE = "executive", "Chief executive"


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
        ordering = ["council__short_name", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "council"], name="one_role_per_user_per_council"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} at {self.council.short_name}"


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
        return f"{self.user} – analyst for {self.network}"


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
    email = models.EmailField("email address")
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
        return f"{self.email} to {self.council.short_name} as {self.get_role_display()}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "Accepted"
        if self.revoked_at:
            return "Withdrawn"
        if self.is_expired:
            return "Expired"
        return "Pending"


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
