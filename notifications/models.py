"""The outbox: every email the portal sends is first a row here, written in the same
transaction as the change it reports, and sent after that commits."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutboxEmailQuerySet(models.QuerySet["OutboxEmail"]):
    def claimable(self) -> OutboxEmailQuerySet:
        """Queued, or claimed by a worker that has not finished in time (it was killed)."""
        now = timezone.now()
        return self.filter(
            Q(status=OutboxStatus.QUEUED) | Q(status=OutboxStatus.SENDING, claimed_until__lt=now)
        )


class OutboxEmail(models.Model):
    # The occasion and the person ("returned:412:user-7"): one email per occasion and person,
    # however often a job runs or a button is pressed.
    key = models.CharField(max_length=200, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_email = models.EmailField()
    subject = models.CharField(max_length=250)
    text_body = models.TextField()
    html_body = models.TextField()
    status = models.CharField(
        max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.QUEUED
    )
    created_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    objects = OutboxEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["status", "created_at"],
                name="outbox_unsent",
                condition=Q(status__in=["queued", "sending"]),
            )
        ]

    def __str__(self) -> str:
        return gettext("%(subject)s to %(email)s") % {
            "subject": self.subject,
            "email": self.to_email,
        }

    @property
    def message_id(self) -> str:
        """The same for every attempt, so a mail system can tell a repeat from a new email."""
        domain = settings.PORTAL_BASE_URL.split("//")[-1].split("/")[0].split(":")[0]
        return f"<outbox-{self.pk}@{domain or 'localhost'}>"
