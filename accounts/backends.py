"""Signing in with an email address and password, as Django's ModelBackend does.

The one difference: the person loaded on each request also carries which kinds of role they
hold (User.objects.with_role_kinds), which the navigation on every page needs. One query for
both, not two.
"""

from typing import Any

from django.contrib.auth.backends import ModelBackend

from accounts.models import User

# The path sessions record: sign-in views that log someone in by hand name this one.
PATH = "accounts.backends.PortalBackend"


class PortalBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            user = User.objects.with_role_kinds().get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
