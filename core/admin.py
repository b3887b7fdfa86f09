"""Admin pieces shared by every app."""

from typing import Any

from django.http import HttpRequest


class ReadOnlyAdminMixin:
    """View only: no adding, changing or deleting. For rows that only the portal's services
    (with their rules and audit) or its jobs may write, and for derived data."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
