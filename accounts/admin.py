from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import two_factor
from .models import CouncilMembership, Invitation, NetworkMembership, User


class CouncilMembershipInline(admin.TabularInline):
    model = CouncilMembership
    extra = 0
    autocomplete_fields = ["council"]


class NetworkMembershipInline(admin.TabularInline):
    model = NetworkMembership
    extra = 0


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_active"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["last_login", "date_joined", "erase"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal details"), {"fields": ("full_name",)}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
        (_("Right to erasure"), {"fields": ("erase",)}),
    )

    @admin.display(description=_("Erase"))
    def erase(self, user: User) -> str:
        # Deleting here is refused for anyone who answered; erasing keeps their answers.
        if not user.pk:
            return ""
        return format_html(
            gettext(
                '<a href="{link}">Erase this person</a> (their answers stay, without their name)'
            ),
            link=reverse("accounts:person-erase", args=[user.pk]),
        )

    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    inlines = [CouncilMembershipInline, NetworkMembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "council", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role"]
    search_fields = ["email", "council__name_en"]
    readonly_fields = ["nonce", "sent_at", "accepted_at", "accepted_by", "created_at"]
    autocomplete_fields = ["council"]


_staff_may_enter = admin.site.has_permission


def _has_permission(request: HttpRequest) -> bool:
    # Staff change anything from here, so the admin site needs the same strong sign-in as
    # publishing: without it, admin_sign_in asks for a code or an authenticator app.
    return _staff_may_enter(request) and (
        not settings.TWO_FACTOR_REQUIRED or two_factor.is_strong(request)
    )


admin.site.has_permission = _has_permission  # type: ignore[method-assign]


# django-otp's own admin pages show a person's authenticator key as a QR code; staff need only
# to see who has an app and to remove a lost one.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


class _SeeAndDeleteOnly(admin.ModelAdmin):
    """Staff see who has a device and can delete a lost one; nothing more."""

    search_fields = ["user__email"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(_SeeAndDeleteOnly):
    list_display = ["user", "confirmed", "last_used_at"]
    fields = readonly_fields = ("user", "name", "confirmed", "last_used_at")


@admin.register(StaticDevice)
class RecoveryCodesAdmin(_SeeAndDeleteOnly):
    list_display = ["user", "name", "last_used_at"]
    fields = readonly_fields = ("user", "name", "last_used_at")
