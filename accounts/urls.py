from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from core.http import action, form_view, reads

from . import forms, sign_in_views, views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", form_view(sign_in_views.SignInView.as_view()), name="sign-in"),
    path("sign-in/code/", sign_in_views.sign_in_code, name="sign-in-code"),
    path(
        "sign-in/recovery-code/",
        sign_in_views.sign_in_code,
        {"recovery": True},
        name="sign-in-recovery-code",
    ),
    # The one redirect URL every council registers with its identity provider.
    path("sign-in/sso/callback/", sign_in_views.sso_callback, name="sso-callback"),
    path("sign-in/sso/<id:pk>/again/", sign_in_views.sso_again, name="sso-again"),
    path("sign-out/", action(auth_views.LogoutView.as_view()), name="sign-out"),
    path("signed-out/", views.signed_out, name="signed-out"),
    path("language/<str:code>/", views.language, name="language"),
    path(
        "password-reset/",
        form_view(
            auth_views.PasswordResetView.as_view(
                form_class=forms.PasswordResetForm,
                template_name="accounts/password_reset_form.html",
                email_template_name="accounts/email/password_reset.txt",
                subject_template_name="accounts/email/password_reset_subject.txt",
                success_url=reverse_lazy("accounts:password-reset-done"),
            )
        ),
        name="password-reset",
    ),
    path(
        "password-reset/sent/",
        reads(
            auth_views.PasswordResetDoneView.as_view(
                template_name="accounts/password_reset_done.html"
            )
        ),
        name="password-reset-done",
    ),
    path(
        "password-reset/<token:uidb64>/<token:token>/",
        form_view(
            views.PasswordResetConfirmView.as_view(
                form_class=forms.SetPasswordForm,
                template_name="accounts/password_reset_confirm.html",
                success_url=reverse_lazy("accounts:password-reset-complete"),
            )
        ),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/complete/",
        reads(
            auth_views.PasswordResetCompleteView.as_view(
                template_name="accounts/password_reset_complete.html"
            )
        ),
        name="password-reset-complete",
    ),
    path("account/", views.account, name="account"),
    path(
        "account/password/",
        form_view(
            views.PasswordChangeView.as_view(
                form_class=forms.PasswordChangeForm,
                template_name="accounts/password_change_form.html",
                success_url=reverse_lazy("accounts:password-change-done"),
            )
        ),
        name="password-change",
    ),
    path(
        "account/password/changed/",
        reads(
            auth_views.PasswordChangeDoneView.as_view(
                template_name="accounts/password_change_done.html"
            )
        ),
        name="password-change-done",
    ),
    path("account/two-factor/", sign_in_views.two_factor_set_up, name="two-factor-set-up"),
    path(
        "account/two-factor/remove/",
        sign_in_views.two_factor_remove,
        name="two-factor-remove",
    ),
    path("account/recovery-codes/", sign_in_views.recovery_codes, name="recovery-codes"),
    path(
        "account/recovery-codes/new/",
        sign_in_views.recovery_codes_renew,
        name="recovery-codes-renew",
    ),
    path(
        "account/sign-out-everywhere-else/",
        sign_in_views.sessions_end_others,
        name="sessions-end-others",
    ),
    path("account/history/", sign_in_views.history, name="history"),
    path("account/erase/", views.erasure_ask, name="erasure-ask"),
    path("people/erasure-requests/", views.erasure_requests, name="erasure-requests"),
    path("people/<id:pk>/erase/", views.person_erase, name="person-erase"),
    path("account/keep-alive/", sign_in_views.keep_alive, name="keep-alive"),
    path("teams/", views.teams, name="teams"),
    path(
        "councils/<gss:gss_code>/sign-in-settings/",
        views.sign_in_settings,
        name="sign-in-settings",
    ),
    path(
        "councils/<gss:gss_code>/sign-in-settings/remove/",
        views.sign_in_settings_remove,
        name="sign-in-settings-remove",
    ),
    path("councils/<gss:gss_code>/team/", views.team, name="team"),
    path("councils/<gss:gss_code>/team/invite/", views.invite, name="invite"),
    path(
        "councils/<gss:gss_code>/team/invitations/<id:pk>/resend/",
        views.invitation_resend,
        name="invitation-resend",
    ),
    path(
        "councils/<gss:gss_code>/team/invitations/<id:pk>/withdraw/",
        views.invitation_withdraw,
        name="invitation-withdraw",
    ),
    path("councils/<gss:gss_code>/team/members/<id:pk>/", views.member, name="member"),
    path("invitations/<token:token>/", views.accept_invitation, name="accept-invitation"),
]
