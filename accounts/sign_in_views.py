"""Signing in: the address first, then the council's own sign-in service or a password, then a
code for those with an authenticator app. And what people manage about it on "Your account":
the app, recovery codes, their other sessions and their sign-in history."""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING, Any

import requests
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from joserfc.errors import (
    BadSignatureError,
    ExpiredTokenError,
    InvalidClaimError,
    JoseError,
    MissingClaimError,
)

from core.client import client_address
from core.encryption import SecretUnreadable
from core.http import action, form_view, reads

from . import backends, services, sso, two_factor
from .forms import CodeForm, EmailForm, SignInForm, TwoFactorRemoveForm
from .models import IdentityProvider, SecurityEventKind, User
from .types import AuthenticatedHttpRequest

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Between the redirect to a provider and its answer: which provider, and where to go after.
SSO_PENDING_KEY = "sso_pending"
# Recovery codes just made, shown once on the next page and then forgotten.
NEW_CODES_KEY = "recovery_codes_new"
# Set when a session was signed out for being idle, for the sign-in page to say so.
IDLE_KEY = "signed_out_idle"


def record_event(request: HttpRequest, user: User, kind: SecurityEventKind) -> None:
    """Record a sign-in or a change to how someone signs in, with where it came from."""
    services.security_event_record(
        user=user,
        kind=kind,
        client=client_address(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )


def safe_next(request: HttpRequest, url: str | None) -> str:
    """`url` if it is a page of this site (by this site's scheme), else the home page."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse(settings.LOGIN_REDIRECT_URL)


class SignInView(auth_views.LoginView):
    """The address first: one in a domain whose council connected its own sign-in service goes
    there; any other gets the password form. `?method=password`, or a POST with a password,
    is the password form straight away, for people whose council's service is down."""

    form_class = SignInForm
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("method") == "password":
            return super().get(request, *args, **kwargs)
        return self._email_step(EmailForm())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "password" in request.POST:
            return super().post(request, *args, **kwargs)
        form = EmailForm(request.POST)
        if not form.is_valid():
            return self._email_step(form)
        email = form.cleaned_data["username"]
        provider = sso.provider_for_email(email)
        if provider is not None:
            return sso_start(request, provider, next_url=self.get_success_url(), email=email)
        password_form = self.get_form_class()(request, initial={"username": email})
        return self.render_to_response(self.get_context_data(form=password_form))

    def _email_step(self, form: EmailForm) -> HttpResponse:
        idle = self.request.session.pop(IDLE_KEY, False)
        context = self.get_context_data(form=form, idle_minutes=settings.SESSION_IDLE_MINUTES)
        context["signed_out_idle"] = idle
        return render(self.request, "accounts/sign_in_email.html", context)

    def form_valid(self, form: SignInForm) -> HttpResponse:  # type: ignore[override]
        user = form.get_user()
        if two_factor.has_two_factor(user):
            # The password was right; the session is not signed in until the code is.
            self.request.session[two_factor.PENDING_SESSION_KEY] = {
                "user": user.pk,
                "backend": user.backend,  # type: ignore[attr-defined]
                "at": time.time(),
                "next": self.get_success_url(),
            }
            return redirect("accounts:sign-in-code")
        response = super().form_valid(form)
        record_event(self.request, user, SecurityEventKind.SIGNED_IN_PASSWORD)
        return response

    def form_invalid(self, form: SignInForm) -> HttpResponse:  # type: ignore[override]
        if form.refusal is None:
            return super().form_invalid(form)
        minutes = math.ceil((form.refusal.until - timezone.now()).total_seconds() / 60)
        context = {"scope": form.refusal.scope.name, "minutes": max(minutes, 1)}
        return render(self.request, "accounts/locked_out.html", context, status=429)


# Single sign-on ---------------------------------------------------------------------------

# What each refusal tells the person: a heading, what happened, and the HTTP status. The
# body's %(provider)s, %(email)s and %(service)s are filled in when it is shown.
SSO_REFUSALS: dict[str, tuple[StrOrPromise, StrOrPromise, int]] = {
    "down": (
        _("Your council's sign-in service is not answering"),
        _(
            "We could not reach %(provider)s. Try again in a few minutes. If you have a password "
            "for the portal, you can sign in with it instead."
        ),
        502,
    ),
    "refused": (
        _("Your council's sign-in service did not sign you in"),
        _(
            "%(provider)s said it could not sign you in. If you did not cancel, ask your "
            "council's IT service desk whether your account may use the %(service)s."
        ),
        403,
    ),
    "state": (
        _("Your sign-in did not finish"),
        _("It took too long, or it was started in another window or tab. Start again."),
        400,
    ),
    "token": (
        _("We could not check who signed you in"),
        _(
            "The answer from %(provider)s did not pass the portal's checks, so you are not "
            "signed in. Try again. If it happens again, tell your council's assessment lead, who "
            "can check the portal's settings with your IT service desk."
        ),
        400,
    ),
    "settings": (
        _("Your council's sign-in settings need to be entered again"),
        _(
            "The portal cannot read the client secret saved for %(provider)s. Ask your "
            "council's assessment lead to enter it again on the sign-in settings page."
        ),
        503,
    ),
    "not_invited": (
        _("You have not been invited to the portal"),
        _(
            "%(provider)s signed you in as %(email)s, but nobody has invited that address to the "
            "%(service)s. Ask your council's assessment lead to invite you, then sign in again."
        ),
        403,
    ),
    "domain": (
        _("Your council's sign-in service cannot sign in this address"),
        _(
            "%(provider)s signed you in as %(email)s, which is not in an email domain your "
            "council told the portal it looks after. Ask your council's assessment lead to "
            "check the domains on the sign-in settings page."
        ),
        403,
    ),
    "unverified": (
        _("Your email address has not been confirmed"),
        _(
            "%(provider)s says it has not confirmed that %(email)s is yours, so the portal "
            "cannot use it to sign you in. Ask your council's IT service desk."
        ),
        403,
    ),
    "no_email": (
        _("Your council's sign-in service did not say who you are"),
        _(
            "%(provider)s did not send your email address, which the portal needs to know who "
            "you are. Ask your council's IT service desk to include the email claim."
        ),
        403,
    ),
    "inactive": (
        _("Your account has been closed"),
        _("Ask your council's assessment lead for help."),
        403,
    ),
    "other_subject": (
        _("Your account is linked to someone else"),
        _(
            "Your portal account (%(email)s) is already linked to a different account at "
            "%(provider)s. Ask the portal's support team to check it."
        ),
        403,
    ),
}

# Technical details of a token that failed its checks, for the IT service desk.
TOKEN_PROBLEMS = {
    "aud": _("The token was issued for a different service (its audience is wrong)."),
    # A token for several audiences must name the portal as its authorised party; one for
    # another service names neither.
    "azp": _("The token was issued for a different service (its audience is wrong)."),
    "exp": _("The token had expired."),
    "iat": _("The token's time of issue is wrong."),
    "iss": _("The token was issued by a different provider (its issuer is wrong)."),
    "nonce": _("The token does not belong to this sign-in (its nonce is wrong)."),
}


def _token_problem(error: JoseError) -> str:
    if isinstance(error, ExpiredTokenError):
        return str(TOKEN_PROBLEMS["exp"])
    if isinstance(error, InvalidClaimError | MissingClaimError):
        claim = getattr(error, "claim", "")
        if claim in TOKEN_PROBLEMS:
            return str(TOKEN_PROBLEMS[claim])
        return gettext("The token's %(claim)s claim is wrong or missing.") % {"claim": claim}
    if isinstance(error, BadSignatureError):
        return gettext("The token's signature does not match the provider's published keys.")
    return gettext("The token could not be read (%(error)s).") % {"error": error.error}


def sso_refusal(
    request: HttpRequest, provider: IdentityProvider | None, refused: sso.SsoRefused
) -> HttpResponse:
    title, body, status = SSO_REFUSALS[refused.reason]
    name = provider.get_kind_display() if provider else gettext("your council's sign-in service")
    if provider is not None and provider.kind == "other":
        name = gettext("%(council)s's sign-in service") % {"council": provider.council.short_name}
    context = {
        "title": str(title),
        "body": str(body)
        % {"provider": name, "email": refused.detail, "service": settings.SERVICE_NAME},
        "detail": refused.detail if refused.reason in {"token", "down", "refused"} else "",
        "provider": provider,
    }
    return render(request, "accounts/sso_refused.html", context, status=status)


def sso_start(
    request: HttpRequest, provider: IdentityProvider, *, next_url: str, email: str = ""
) -> HttpResponse:
    """Send the person to their council's sign-in service (Authlib adds state, nonce, PKCE)."""
    try:
        client = sso.client_for(provider)
        sso.check_issuer(client.load_server_metadata(), provider.issuer)
        request.session[SSO_PENDING_KEY] = {"provider": provider.pk, "next": next_url}
        extra = {"login_hint": email} if email else {}
        return client.authorize_redirect(request, sso.redirect_uri(), **extra)
    except sso.SsoRefused as refused:
        return sso_refusal(request, provider, refused)
    except SecretUnreadable:
        return sso_refusal(request, provider, sso.SsoRefused("settings"))
    except (requests.RequestException, ValueError) as error:
        return sso_refusal(request, provider, sso.SsoRefused("down", type(error).__name__))


@login_not_required
@action
def sso_again(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Try again" on a refusal page: the same council's service, from the start."""
    provider = (
        IdentityProvider.objects.select_related("council").filter(pk=pk, enabled=True).first()
    )
    if provider is None:
        return redirect("accounts:sign-in")
    return sso_start(request, provider, next_url=reverse(settings.LOGIN_REDIRECT_URL))


@login_not_required
@reads
def sso_callback(request: HttpRequest) -> HttpResponse:
    """The provider's answer: the code is exchanged, the ID token checked, the person found."""
    pending = request.session.pop(SSO_PENDING_KEY, None) or {}
    provider = (
        IdentityProvider.objects.select_related("council")
        .filter(pk=pending.get("provider") or 0, enabled=True)
        .first()
    )
    if provider is None:
        return sso_refusal(request, None, sso.SsoRefused("state"))
    try:
        client = sso.client_for(provider)
        token = client.authorize_access_token(request, leeway=settings.SSO_CLOCK_LEEWAY_SECONDS)
        sso.check_issuer(client.load_server_metadata(), provider.issuer)
        claims = token.get("userinfo")
        if not claims:
            raise sso.SsoRefused("token", gettext("The provider sent no ID token."))
        domains = list(provider.domains.values_list("domain", flat=True))
        asserted = sso.asserted_identity(claims, domains)
        user = services.identity_sign_in(provider=provider, asserted=asserted)
    except sso.SsoRefused as refused:
        return sso_refusal(request, provider, refused)
    except MismatchingStateError:
        return sso_refusal(request, provider, sso.SsoRefused("state"))
    except OAuthError as error:
        reason = "refused" if request.GET.get("error") else "token"
        detail = f"{error.error}: {error.description}" if error.description else str(error.error)
        return sso_refusal(request, provider, sso.SsoRefused(reason, detail[:300]))
    except JoseError as error:
        return sso_refusal(request, provider, sso.SsoRefused("token", _token_problem(error)))
    except SecretUnreadable:
        return sso_refusal(request, provider, sso.SsoRefused("settings"))
    except (requests.RequestException, ValueError) as error:
        return sso_refusal(request, provider, sso.SsoRefused("down", type(error).__name__))
    login(request, user, backend=backends.PATH)
    request.session[two_factor.SSO_SESSION_KEY] = provider.pk
    record_event(request, user, SecurityEventKind.SIGNED_IN_SSO)
    return redirect(safe_next(request, pending.get("next")))


# The code after the password ----------------------------------------------------------------


def _pending_user(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    pending = request.session.get(two_factor.PENDING_SESSION_KEY)
    if not isinstance(pending, dict):
        return None
    if time.time() - pending.get("at", 0) > settings.TWO_FACTOR_PENDING_MINUTES * 60:
        request.session.pop(two_factor.PENDING_SESSION_KEY, None)
        return None
    user = User.objects.filter(pk=pending.get("user") or 0, is_active=True).first()
    return (user, pending) if user else None


@login_not_required
@form_view
def sign_in_code(request: HttpRequest, recovery: bool = False) -> HttpResponse:
    """The second step: after a password (who is pending in the session), or for someone
    signed in whose session has not had a code yet (before signing off, say)."""
    if request.user.is_authenticated:
        assert isinstance(request.user, User)
        user, pending = request.user, None
        next_url = safe_next(request, request.GET.get("next"))
        if two_factor.is_strong(request):
            return redirect(next_url)
    else:
        found = _pending_user(request)
        if found is None:
            messages.info(
                request,
                gettext("Sign in again: it has been too long since you entered your password"),
            )
            return redirect("accounts:sign-in")
        user, pending = found
        next_url = safe_next(request, pending.get("next"))
    form = CodeForm(request.POST if request.method == "POST" else None, recovery=recovery)
    if form.is_bound and form.is_valid():
        checked = services.two_factor_verify(
            user=user,
            code=form.cleaned_data["code"],
            recovery=recovery,
            client=client_address(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
        if isinstance(checked, services.CodeRefused):
            form.add_error("code", _code_refusal(checked, recovery=recovery))
        else:
            if pending is not None:
                request.session.pop(two_factor.PENDING_SESSION_KEY, None)
                login(request, user, backend=pending["backend"])
                kind = (
                    SecurityEventKind.SIGNED_IN_RECOVERY
                    if recovery
                    else SecurityEventKind.SIGNED_IN_CODE
                )
                record_event(request, user, kind)
            otp_login(request, checked)
            if recovery:
                left = checked.token_set.count()
                messages.info(
                    request,
                    ngettext(
                        "You have %(left)s recovery code left. "
                        "Make new ones from Your account if you are running out",
                        "You have %(left)s recovery codes left. "
                        "Make new ones from Your account if you are running out",
                        left,
                    )
                    % {"left": left},
                )
            return redirect(next_url)
    return render(
        request,
        "accounts/sign_in_code.html",
        {"form": form, "recovery": recovery, "next": request.GET.get("next", "")},
    )


def _code_refusal(refused: services.CodeRefused, *, recovery: bool) -> str:
    if refused.until is not None:
        wait = max(1, math.ceil((refused.until - timezone.now()).total_seconds()))
        return ngettext(
            "You have entered too many wrong codes. Wait %(wait)s second, "
            "then enter the code again",
            "You have entered too many wrong codes. Wait %(wait)s seconds, "
            "then enter the code again",
            wait,
        ) % {"wait": wait}
    if recovery:
        return gettext("The recovery code is not right, or it has been used")
    return gettext("The code is not right. Check your app and enter the code it shows now")


# Your account: the authenticator app, recovery codes, sessions, history ----------------------


@form_view
def two_factor_set_up(request: AuthenticatedHttpRequest) -> HttpResponse:
    device = two_factor.totp_device(request.user, confirmed=False)
    if device is None:
        device = services.two_factor_start(user=request.user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        codes = services.two_factor_confirm(
            user=request.user, device=device, code=form.cleaned_data["code"]
        )
        if isinstance(codes, services.CodeRefused):
            form.add_error("code", _code_refusal(codes, recovery=False))
        else:
            otp_login(request, device)
            record_event(request, request.user, SecurityEventKind.TWO_FACTOR_ADDED)
            request.session[NEW_CODES_KEY] = codes
            request.session["recovery_codes_next"] = safe_next(request, request.GET.get("next"))
            return redirect("accounts:recovery-codes")
    return render(
        request,
        "accounts/two_factor_set_up.html",
        {
            "form": form,
            "qr": two_factor.qr_svg(device),
            "secret": two_factor.secret_for_typing(device),
            "replacing": two_factor.has_two_factor(request.user),
        },
    )


@reads
def recovery_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    codes = request.session.pop(NEW_CODES_KEY, None)
    if not codes:
        return redirect("accounts:account")
    next_url = request.session.pop("recovery_codes_next", reverse("accounts:account"))
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": [two_factor.shown_recovery_code(code) for code in codes], "next": next_url},
    )


@action
def recovery_codes_renew(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not two_factor.has_two_factor(request.user):
        return redirect("accounts:account")
    request.session[NEW_CODES_KEY] = services.recovery_codes_renew(user=request.user)
    return redirect("accounts:recovery-codes")


@form_view
def two_factor_remove(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not two_factor.has_two_factor(request.user):
        return redirect("accounts:account")
    form = TwoFactorRemoveForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        services.two_factor_remove(user=request.user)
        messages.success(request, gettext("Your authenticator app has been removed"))
        return redirect("accounts:account")
    return render(request, "accounts/two_factor_remove.html", {"form": form})


@action
def sessions_end_others(request: AuthenticatedHttpRequest) -> HttpResponse:
    services.sessions_end_others(user=request.user)
    # This session carries on; every other one fails its check on its next request.
    update_session_auth_hash(request, request.user)
    messages.success(request, gettext("You have been signed out everywhere else"))
    return redirect("accounts:account")


@reads
def history(request: AuthenticatedHttpRequest) -> HttpResponse:
    events = request.user.security_events.all()[:50]
    return render(request, "accounts/history.html", {"events": events})


@action
def keep_alive(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "Stay signed in" on the time-out warning: any request counts as activity."""
    return HttpResponse(status=204)
