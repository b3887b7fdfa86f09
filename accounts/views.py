import os

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext

from accounts.types import AuthenticatedHttpRequest
from core.http import action, form_view, reads

from . import access, backends, services, sso, two_factor
from .forms import (
    AcceptInvitationForm,
    ErasureForm,
    IdentityProviderForm,
    InvitationForm,
    MemberForm,
    PasswordChangeForm,
    ReminderEmailsForm,
    SetPasswordForm,
)
from .middleware import remember_language
from .models import (
    CouncilMembership,
    CouncilRole,
    ErasureRequest,
    IdentityProvider,
    IdentityProviderKind,
    Invitation,
    SecurityEventKind,
    User,
)
from .sign_in_views import record_event, safe_next
from .tokens import read_invitation_token


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        # Only the person who reads the account's email gets here: their lockout ends.
        services.sign_in_lock_clear(user=form.user)
        services.security_event_record(user=form.user, kind=SecurityEventKind.PASSWORD_CHANGED)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        services.security_event_record(user=form.user, kind=SecurityEventKind.PASSWORD_CHANGED)
        return response


@login_not_required
@reads
def signed_out(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signed_out.html")


@login_not_required
@reads
def language(request: HttpRequest, code: str) -> HttpResponse:
    """The header's language switch: back to the same page in the chosen language.

    A link rather than a form, as in HMRC's language select: it carries lang and hreflang and
    works without JavaScript. Being a link, another site could send people through it: then it
    only changes how pages read in this browser, never the account's language, which their
    emails are written in (`_from_our_pages`).
    """
    if code not in dict(settings.LANGUAGES):
        raise Http404
    response = redirect(safe_next(request, request.GET.get("next")))
    remember_language(response, code)
    if request.user.is_authenticated and _from_our_pages(request):
        services.user_language_set(user=request.user, language=code)
    return response


def _from_our_pages(request: HttpRequest) -> bool:
    """Whether the person followed the switch on one of the portal's pages (or typed it):
    browsers say so in Sec-Fetch-Site, and older ones in a Referer from this site (the
    portal's referrer policy, same-origin, sends one to itself and none elsewhere)."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site in ("same-origin", "none")
    referer = request.headers.get("Referer", "")
    return bool(referer) and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


@form_view
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ReminderEmailsForm(
        request.POST or None,
        initial={"reminders": "yes" if request.user.reminder_emails else "no"},
    )
    if request.method == "POST" and form.is_valid():
        services.user_reminders_set(user=request.user, on=form.cleaned_data["reminders"])
        messages.success(request, gettext("Your email settings have been saved"))
        return redirect("accounts:account")
    memberships = CouncilMembership.objects.for_user(request.user).select_related("council")
    networks = request.user.network_memberships.select_related("network")
    recovery = two_factor.recovery_device(request.user)
    return render(
        request,
        "accounts/account.html",
        {
            "memberships": memberships,
            "networks": networks,
            "form": form,
            "has_two_factor": two_factor.has_two_factor(request.user),
            "recovery_codes_left": recovery.token_set.count() if recovery else 0,
            "identities": request.user.external_identities.select_related("provider__council"),
            "sso_session": bool(request.session.get(two_factor.SSO_SESSION_KEY)),
            "two_factor_required": settings.TWO_FACTOR_REQUIRED,
            **_language_row(request.user),
        },
    )


def _language_row(user: User) -> dict[str, object]:
    """The language row on "Your account": the language pages and emails are in, and the
    header switch's link to the other one."""
    names = dict(settings.LANGUAGES)
    # The page is in the account's language already (AccountLanguageMiddleware), if it has one.
    current = translation.get_language()
    other = next(code for code in names if code != current)
    return {
        "language_chosen": bool(user.language),
        "language_code": current,
        "language_name": names[current],
        "language_other": other,
        "language_other_name": names[other],
    }


@reads
def teams(request: AuthenticatedHttpRequest) -> HttpResponse:
    led = (
        CouncilMembership.objects.for_user(request.user)
        .filter(role=CouncilRole.LEAD)
        .select_related("council")
    )
    if len(led) == 1:
        return redirect("accounts:team", gss_code=led[0].council.gss_code)
    if not led:
        raise Http404
    return render(request, "accounts/teams.html", {"memberships": led})


@reads
def team(request: AuthenticatedHttpRequest, gss_code: str) -> HttpResponse:
    council = access.council_for_lead(request.user, gss_code)
    members = council.memberships.select_related("user").order_by("role", "user__email")
    invitations = Invitation.objects.pending().filter(council=council).select_related("invited_by")
    return render(
        request,
        "accounts/team.html",
        {"council": council, "members": members, "invitations": invitations},
    )


@form_view
def invite(request: AuthenticatedHttpRequest, gss_code: str) -> HttpResponse:
    council = access.council_for_lead(request.user, gss_code)
    # Bound on any POST, even an empty one, so a tampered form shows an error.
    form = InvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                council=council,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, gettext("Invitation sent to %(email)s") % {"email": invitation.email}
            )
            return redirect("accounts:team", gss_code=council.gss_code)
    return render(request, "accounts/invite.html", {"council": council, "form": form})


@action
def invitation_resend(request: AuthenticatedHttpRequest, gss_code: str, pk: int) -> HttpResponse:
    invitation = access.invitation_for_lead(request.user, gss_code, pk)
    try:
        services.invitation_resend(invitation=invitation, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            gettext("A new invitation link was sent to %(email)s") % {"email": invitation.email},
        )
    return redirect("accounts:team", gss_code=gss_code)


@action
def invitation_withdraw(request: AuthenticatedHttpRequest, gss_code: str, pk: int) -> HttpResponse:
    invitation = access.invitation_for_lead(request.user, gss_code, pk)
    try:
        services.invitation_withdraw(invitation=invitation, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            gettext("The invitation to %(email)s was withdrawn") % {"email": invitation.email},
        )
    return redirect("accounts:team", gss_code=gss_code)


def _role_message(name: str, role: str, *, changed: bool) -> str:
    """The success message for a role: "Sam Jones is now an assessment lead"."""
    if changed:
        messages_for = {
            CouncilRole.OFFICER: gettext("%(name)s is now an officer"),
            CouncilRole.LEAD: gettext("%(name)s is now an assessment lead"),
            CouncilRole.EXECUTIVE: gettext("%(name)s is now a chief executive"),
        }
    else:
        messages_for = {
            CouncilRole.OFFICER: gettext("%(name)s is still an officer"),
            CouncilRole.LEAD: gettext("%(name)s is still an assessment lead"),
            CouncilRole.EXECUTIVE: gettext("%(name)s is still a chief executive"),
        }
    return messages_for[CouncilRole(role)] % {"name": name}


@form_view
def member(request: AuthenticatedHttpRequest, gss_code: str, pk: int) -> HttpResponse:
    council = access.council_for_lead(request.user, gss_code)
    membership = get_object_or_404(
        CouncilMembership.objects.select_related("user", "council"), pk=pk, council=council
    )
    name = str(membership.user)
    # Not `request.POST or None`: an empty POST must be bound, so it shows an error.
    form = MemberForm(request.POST if request.method == "POST" else None, membership=membership)
    if form.is_bound and form.is_valid():
        try:
            if form.removes:
                services.membership_remove(membership=membership, by=request.user)
                message = gettext("%(name)s no longer has access to %(council)s") % {
                    "name": name,
                    "council": council.short_name,
                }
            else:
                role = form.cleaned_data["action"]
                changed = services.membership_change_role(
                    membership=membership, role=role, by=request.user
                )
                message = _role_message(name, role, changed=changed)
        except services.LastLeadError as error:
            form.add_error(None, str(error))
        except CouncilMembership.DoesNotExist:
            # Removed by someone else since the page loaded.
            raise Http404 from None
        else:
            messages.success(request, message)
            if membership.user_id == request.user.pk and (
                form.removes or membership.role != CouncilRole.LEAD
            ):
                # A lead who stepped down can no longer open the team page.
                return redirect("portal:home")
            return redirect("accounts:team", gss_code=council.gss_code)
    return render(
        request,
        "accounts/member.html",
        {"council": council, "membership": membership, "form": form},
    )


@login_not_required
@form_view
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    parsed = read_invitation_token(token)
    try:
        if parsed is None:
            raise services.InvitationNotValid
        invitation = services.invitation_pending_for(invitation_id=parsed[0], nonce=parsed[1])
    except services.InvitationNotValid:
        return render(request, "accounts/invitation_not_valid.html", status=404)

    invitation_id, nonce = parsed
    has_account = User.objects.filter(email__iexact=invitation.email).exists()
    if has_account:
        return _accept_as_existing_user(request, invitation, token)

    form = AcceptInvitationForm(
        request.POST if request.method == "POST" else None, email=invitation.email
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                invitation_id=invitation_id,
                nonce=nonce,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["new_password1"],
            )
        except services.InvitationNotValid:
            return render(request, "accounts/invitation_not_valid.html", status=404)
        login(request, user, backend=backends.PATH)
        record_event(request, user, SecurityEventKind.SIGNED_IN_PASSWORD)
        messages.success(
            request,
            gettext("Your account is ready. You have joined %(council)s")
            % {"council": invitation.council.short_name},
        )
        return redirect("portal:home")
    return render(
        request,
        "accounts/accept_invitation.html",
        {
            "invitation": invitation,
            "form": form,
            "provider": sso.provider_for_email(invitation.email),
        },
    )


def _accept_as_existing_user(
    request: HttpRequest, invitation: Invitation, token: str
) -> HttpResponse:
    here = reverse("accounts:accept-invitation", args=[token])
    user = request.user
    if not user.is_authenticated:
        return render(
            request,
            "accounts/accept_invitation_sign_in.html",
            {
                "invitation": invitation,
                "sign_in_url": f"{reverse('accounts:sign-in')}?next={here}",
            },
        )
    if user.email.lower() != invitation.email.lower():
        return render(request, "accounts/invitation_not_valid.html", status=404)
    if request.method == "POST":
        try:
            services.invitation_accept(
                invitation_id=invitation.pk, nonce=invitation.nonce, user=user
            )
        except services.InvitationNotValid:
            return render(request, "accounts/invitation_not_valid.html", status=404)
        messages.success(
            request,
            gettext("You have joined %(council)s") % {"council": invitation.council.short_name},
        )
        return redirect("portal:home")
    return render(request, "accounts/accept_invitation_confirm.html", {"invitation": invitation})


def _provider_initial(provider: IdentityProvider | None) -> dict[str, object]:
    if provider is None:
        return {"kind": IdentityProviderKind.ENTRA, "enabled": "yes"}
    initial: dict[str, object] = {
        "kind": provider.kind,
        "client_id": provider.client_id,
        "domains": "\n".join(d.domain for d in provider.domains.all()),
        "enabled": "yes" if provider.enabled else "no",
        "version": provider.version,
    }
    if provider.kind == IdentityProviderKind.ENTRA:
        initial["tenant"] = provider.issuer.removeprefix(ENTRA_PREFIX).removesuffix("/v2.0")
    elif provider.kind == IdentityProviderKind.OTHER:
        initial["issuer"] = provider.issuer
    return initial


ENTRA_PREFIX = "https://login.microsoftonline.com/"


@form_view
def sign_in_settings(request: AuthenticatedHttpRequest, gss_code: str) -> HttpResponse:
    council = access.council_for_sign_in_settings(request.user, gss_code)
    if needed := two_factor.strong_sign_in_needed(request, "change how your council signs in"):
        return needed
    provider = IdentityProvider.objects.filter(council=council).prefetch_related("domains").first()
    has_secret = provider is not None and bool(
        provider.client_secret_encrypted or os.environ.get(provider.secret_variable)
    )
    form = IdentityProviderForm(
        request.POST if request.method == "POST" else None,
        initial=_provider_initial(provider),
        has_secret=has_secret,
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        issuer_field = {"entra": "tenant", "other": "issuer"}.get(data["kind"])
        try:
            sso.fetch_discovery(data["issuer_url"])
            saved = services.identity_provider_save(
                council=council,
                by=request.user,
                kind=data["kind"],
                issuer=data["issuer_url"],
                client_id=data["client_id"],
                client_secret=data["client_secret"],
                domains=data["domains"],
                enabled=data["enabled"],
                version=data["version"],
            )
        except sso.SsoRefused as refused:
            url = sso.discovery_url(data["issuer_url"])
            message = (
                gettext("We could not read the provider's settings at %(url)s") % {"url": url}
                if refused.reason == "down"
                else gettext("The provider's settings at %(url)s do not match: %(detail)s")
                % {"url": url, "detail": refused.detail}
            )
            form.add_error(issuer_field, message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                gettext(
                    "Your sign-in settings have been saved. People with these addresses now "
                    "sign in with it"
                )
                if saved.enabled
                else gettext(
                    "Your sign-in settings have been saved. Nobody signs in with it until you "
                    "turn it on"
                ),
            )
            return redirect("accounts:sign-in-settings", gss_code=council.gss_code)
    linked = provider.identities.count() if provider else 0
    return render(
        request,
        "accounts/sign_in_settings.html",
        {
            "council": council,
            "provider": provider,
            "form": form,
            "redirect_uri": sso.redirect_uri(),
            "linked": linked,
            "secret_variable": f"SSO_CLIENT_SECRET_{council.gss_code}",
        },
    )


@form_view
def sign_in_settings_remove(request: AuthenticatedHttpRequest, gss_code: str) -> HttpResponse:
    council = access.council_for_sign_in_settings(request.user, gss_code)
    if needed := two_factor.strong_sign_in_needed(request, "change how your council signs in"):
        return needed
    provider = get_object_or_404(IdentityProvider, council=council)
    if request.method == "POST":
        services.identity_provider_remove(provider=provider, by=request.user)
        messages.success(
            request,
            gettext(
                "%(council)s no longer signs in through %(provider)s. People sign in with a "
                "password; those without one can set it with 'I have forgotten my password'"
            )
            % {"council": council.short_name, "provider": provider.get_kind_display()},
        )
        return redirect("accounts:sign-in-settings", gss_code=council.gss_code)
    return render(
        request,
        "accounts/sign_in_settings_remove.html",
        {"council": council, "provider": provider},
    )


@login_not_required
@reads
def admin_sign_in(request: HttpRequest) -> HttpResponse:
    """Stands in for the admin site's own sign-in page: there is one sign-in for everyone.

    The admin site sends anyone without staff access here. Someone signed in who is not staff
    would be sent on to sign in, then back to the admin site, for ever: for them the admin
    site does not exist. Staff whose session has had no second factor are asked for one.
    """
    if request.user.is_authenticated:
        if request.user.is_staff:
            needed = two_factor.strong_sign_in_needed(request, "use the administration pages")
            return needed or redirect("admin:index")
        raise Http404
    query = request.GET.urlencode()
    return redirect(reverse("accounts:sign-in") + (f"?{query}" if query else ""))


@form_view
def erasure_ask(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Someone asks for their account to be erased; staff confirm it."""
    asked = ErasureRequest.objects.filter(user=request.user).first()
    if request.method == "POST" and asked is None:
        services.erasure_request(user=request.user)
        messages.success(
            request,
            gettext(
                "You have asked for your account to be erased. The portal's administrators "
                "will do it within one month, and you will be signed out then"
            ),
        )
        return redirect("accounts:account")
    return render(request, "accounts/erasure_ask.html", {"asked": asked})


@reads
def erasure_requests(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_staff(request.user)
    asked = ErasureRequest.objects.select_related("user")
    return render(request, "accounts/erasure_requests.html", {"requests": asked})


@form_view
def person_erase(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access.require_staff(request.user)
    person = get_object_or_404(User, pk=pk)
    if needed := two_factor.strong_sign_in_needed(request, "erase someone's account"):
        return needed
    form = ErasureForm(request.POST if request.method == "POST" else None, person=person)
    if form.is_bound and form.is_valid():
        try:
            services.person_erase(user=person, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, gettext("The account has been erased"))
            return redirect("accounts:erasure-requests")
    memberships = person.council_memberships.select_related("council")
    return render(
        request,
        "accounts/person_erase.html",
        {"person": person, "form": form, "memberships": memberships},
    )
