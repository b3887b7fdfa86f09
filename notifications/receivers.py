"""notifications' answers to what lower apps announce."""

from typing import Any

from django.db.models import Q
from django.dispatch import receiver

from accounts.signals import person_erasing

from .models import OutboxEmail


@receiver(person_erasing)
def forget_erased_persons_emails(*, user: Any, **kwargs: Any) -> None:
    """Emails to someone being erased hold their name and address: none is kept, sent or not."""
    OutboxEmail.objects.filter(Q(user=user) | Q(to_email__iexact=user.email)).delete()
