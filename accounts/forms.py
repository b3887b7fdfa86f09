import re
from typing import TYPE_CHECKING, Any

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout, Size, Submit
from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth import forms as auth_forms
from django.core.validators import MaxLengthValidator
from django.utils import translation
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from core.client import client_address
from core.forms import ErrorLinksMixin

from . import services, throttle
from .models import CouncilMembership, CouncilRole

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

EMAIL_ERRORS = {
    "required": _("Enter an email address"),
    "invalid": _("Enter an email address in the correct format, like name@example.gov.uk"),
}

PASSWORD_HINT = _(
    "Use at least 12 characters. Avoid common passwords and your name or email address."
)


def _helper(*fields: Any, submit: "StrOrPromise") -> FormHelper:
    helper = FormHelper()
    # GOV.UK pattern: the server validates and the error summary explains.
    helper.attrs = {"novalidate": ""}
    helper.layout = Layout(*fields, Submit("submit", submit))
    return helper


def _email_field(name: str) -> Field:
    return Field.text(name, field_width=Fluid.TWO_THIRDS, autocomplete="email", spellcheck="false")


def _password_field(name: str, autocomplete: str) -> Field:
    return Field.text(name, field_width=20, autocomplete=autocomplete, spellcheck="false")


class SignInForm(ErrorLinksMixin, auth_forms.AuthenticationForm):
    """Django's sign-in form behind the lockout (accounts.throttle).

    After a valid POST that was refused by the lockout, `refusal` says which limit and until
    when, and no password was checked.
    """

    non_field_anchor = "#id_username"
    error_messages = {
        "invalid_login": _("Enter a correct email address and password"),
        "inactive": _("This account has been closed. Ask your council's assessment lead for help."),
        "locked": _("Too many failed attempts to sign in"),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.refusal: throttle.Refusal | None = None
        username = self.fields["username"]
        assert isinstance(username, forms.CharField) and username.max_length
        username.label = _("Email address")
        username.error_messages = {
            "required": _("Enter your email address"),
            "max_length": gettext("Enter an email address of %(max)s characters or fewer")
            % {"max": username.max_length},
        }
        # Django sets max_length after the field is built, which adds no validator: without
        # one, any length reaches the database.
        username.validators.append(MaxLengthValidator(username.max_length))
        self.fields["password"].label = _("Password")
        self.fields["password"].error_messages = {"required": _("Enter your password")}
        self.helper = _helper(
            _email_field("username"),
            _password_field("password", "current-password"),
            submit=_("Sign in"),
        )

    @sensitive_variables("password")
    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password:
            return self.cleaned_data
        # Counted per client, so the form needs the request (LoginView always passes it).
        assert self.request is not None
        begun = services.sign_in_attempt_begin(email=username, client=client_address(self.request))
        if isinstance(begun, throttle.Refusal):
            self.refusal = begun
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        self.user_cache = authenticate(self.request, username=username, password=password)
        if self.user_cache is None:
            raise self.get_invalid_login_error()
        self.confirm_login_allowed(self.user_cache)
        services.sign_in_attempt_succeeded(attempt=begun)
        return self.cleaned_data


class PasswordResetForm(ErrorLinksMixin, auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        error_messages=EMAIL_ERRORS,
        help_text=_("We will send a link to reset your password if this address has an account."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_email_field("email"), submit=_("Send reset link"))

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        # Written in the account holder's language, whoever asked for the link.
        with translation.override(context["user"].written_in):
            super().send_mail(
                subject_template_name,
                email_template_name,
                context,
                from_email,
                to_email,
                html_email_template_name,
            )

    def get_users(self, email: str) -> Any:
        # Django skips accounts without a usable password; here those are people who signed in
        # through their council's provider, and the link is how they get a password if their
        # council disconnects it.
        from .models import User

        return User.objects.filter(email__iexact=email, is_active=True)


class _NewPasswordMixin:
    fields: dict[str, forms.Field]

    def _label_new_passwords(self) -> None:
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password1"].help_text = PASSWORD_HINT
        self.fields["new_password1"].error_messages = {"required": _("Enter a new password")}
        self.fields["new_password2"].label = _("Confirm new password")
        self.fields["new_password2"].help_text = ""
        self.fields["new_password2"].error_messages = {"required": _("Confirm your new password")}


class SetPasswordForm(ErrorLinksMixin, _NewPasswordMixin, auth_forms.SetPasswordForm):
    error_messages = {"password_mismatch": _("The passwords do not match")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._label_new_passwords()
        self.helper = _helper(
            _password_field("new_password1", "new-password"),
            _password_field("new_password2", "new-password"),
            submit=_("Set password"),
        )


class PasswordChangeForm(ErrorLinksMixin, _NewPasswordMixin, auth_forms.PasswordChangeForm):
    error_messages = {
        "password_mismatch": _("The passwords do not match"),
        "password_incorrect": _("Your current password is not correct"),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Current password")
        self.fields["old_password"].error_messages = {"required": _("Enter your current password")}
        self._label_new_passwords()
        self.helper = _helper(
            _password_field("old_password", "current-password"),
            _password_field("new_password1", "new-password"),
            _password_field("new_password2", "new-password"),
            submit=_("Change password"),
        )


class InvitationForm(ErrorLinksMixin, forms.Form):
    non_field_anchor = "#id_email"

    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        error_messages=EMAIL_ERRORS,
        help_text=_("We will email a link that lets them set a password and join your council."),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=CouncilRole.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select a role"),
            "invalid_choice": _("Select a role from the list"),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            _email_field("email"),
            Field.radios("role", legend_size=Size.SMALL),
            submit=_("Send invitation"),
        )


class AcceptInvitationForm(ErrorLinksMixin, forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        error_messages={"required": _("Enter your full name")},
    )
    new_password1 = forms.CharField(
        label=_("Create a password"),
        strip=False,
        widget=forms.PasswordInput,
        help_text=PASSWORD_HINT,
        error_messages={"required": _("Create a password")},
    )
    new_password2 = forms.CharField(
        label=_("Confirm password"),
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": _("Confirm your password")},
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email
        self.helper = _helper(
            Field.text("full_name", field_width=Fluid.TWO_THIRDS, autocomplete="name"),
            _password_field("new_password1", "new-password"),
            _password_field("new_password2", "new-password"),
            submit=_("Create account"),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("new_password1"), cleaned.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", gettext("The passwords do not match"))
        elif first:
            from .models import User

            probe = User(email=self.email, full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(first, probe)
            except forms.ValidationError as error:
                self.add_error("new_password1", error)
        return cleaned


class MemberForm(ErrorLinksMixin, forms.Form):
    """A lead gives a member of the team another role, or removes them from the council."""

    REMOVE = "remove"
    non_field_anchor = "#id_action_1"

    action = forms.ChoiceField(widget=forms.RadioSelect)

    def __init__(self, *args: Any, membership: CouncilMembership, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"action": membership.role})
        super().__init__(*args, **kwargs)
        name = str(membership.user)
        council = membership.council.short_name
        action = self.fields["action"]
        assert isinstance(action, forms.ChoiceField)
        action.label = gettext("What should %(name)s be able to do?") % {"name": name}
        action.choices = [
            Choice(
                CouncilRole.OFFICER.value,
                CouncilRole.OFFICER.label,
                hint=gettext("Answers the assessment questions they are given."),
            ),
            Choice(
                CouncilRole.LEAD.value,
                CouncilRole.LEAD.label,
                hint=gettext(
                    "Answers questions too, agrees the council's answers, submits the "
                    "assessment for sign-off, and manages this team and sharing with networks."
                ),
            ),
            Choice(
                CouncilRole.EXECUTIVE.value,
                CouncilRole.EXECUTIVE.label,
                hint=gettext(
                    "Reads the submitted assessment, then signs it off or returns it to the "
                    "assessment lead with a comment."
                ),
                divider=pgettext_lazy("between choices", "or"),
            ),
            Choice(
                self.REMOVE,
                gettext("Remove %(name)s from %(council)s") % {"name": name, "council": council},
                hint=gettext(
                    "They will no longer be able to see or change anything for %(council)s. "
                    "Their answers stay in the council's assessments, and you can invite them "
                    "again later."
                )
                % {"council": council},
            ),
        ]
        refused = gettext("Select a role for %(name)s, or remove them") % {"name": name}
        action.error_messages = {"required": refused, "invalid_choice": refused}
        self.helper = _helper(
            Field.radios("action", legend_size=Size.MEDIUM, legend_tag="h2"),
            submit=_("Save"),
        )

    @property
    def removes(self) -> bool:
        return self.cleaned_data["action"] == self.REMOVE


class ReminderEmailsForm(ErrorLinksMixin, forms.Form):
    reminders = forms.TypedChoiceField(
        label=_("Do you want reminder emails?"),
        help_text=_(
            "Reminders come 14 and 3 days before a round closes, saying what is left for "
            "you to do. Emails that ask you to act (barriers assigned to you, a sign-off waiting, "
            "an assessment returned to you) are always sent."
        ),
        choices=[("yes", _("Yes, send me reminders")), ("no", _("No, do not send me reminders"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select whether you want reminder emails"),
            "invalid_choice": _("Select whether you want reminder emails"),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("reminders", legend_size=Size.MEDIUM, inline=False),
            submit=_("Save email settings"),
        )


class EmailForm(ErrorLinksMixin, forms.Form):
    """The first step of signing in: the address decides between the council's own sign-in
    service and a password."""

    non_field_anchor = "#id_username"

    username = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address"),
            "invalid": EMAIL_ERRORS["invalid"],
            "max_length": _("Enter an email address of 254 characters or fewer"),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_email_field("username"), submit=_("Continue"))


def _code_field(name: str, autocomplete: str, width: int) -> Field:
    return Field.text(
        name,
        field_width=width,
        autocomplete=autocomplete,
        spellcheck="false",
        autocapitalize="none",
    )


class CodeForm(ErrorLinksMixin, forms.Form):
    """A code from the authenticator app, or a recovery code."""

    code = forms.CharField(max_length=40, strip=True)

    def __init__(self, *args: Any, recovery: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        if recovery:
            code.label = _("Recovery code")
            code.help_text = _(
                "One of the 10 codes you saved when you set up your authenticator app, like "
                "abcde-fghjk. Each code works once."
            )
            code.error_messages = {
                "required": _("Enter a recovery code"),
                "max_length": _("Enter a recovery code of 10 letters and numbers"),
            }
            field = _code_field("code", "off", 10)
        else:
            code.label = _("Code from your authenticator app")
            code.help_text = _("The 6-digit code shown in the app. It changes every 30 seconds.")
            code.error_messages = {
                "required": _("Enter the 6-digit code from your authenticator app"),
                "max_length": _("Enter the 6-digit code from your authenticator app"),
            }
            code.widget.attrs["inputmode"] = "numeric"
            field = _code_field("code", "one-time-code", 5)
        self.helper = _helper(field, submit=_("Continue"))


class TwoFactorRemoveForm(ErrorLinksMixin, forms.Form):
    non_field_anchor = "#id_confirm"

    confirm = forms.BooleanField(
        label=_("I understand I will sign in with only my password"),
        error_messages={"required": _("Confirm you want to remove your authenticator app")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.checkbox("confirm"), submit=_("Remove authenticator app"))
        self.helper.layout[-1].field_classes = "govuk-button--warning"


def _domain_list(text: str) -> list[str]:
    return [part.strip().lower() for part in text.replace(",", "\n").split() if part.strip()]


DOMAIN_PATTERN = r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"


class IdentityProviderForm(ErrorLinksMixin, forms.Form):
    """Connect a council's OpenID Connect provider. Entra ID and Google are presets."""

    non_field_anchor = "#id_kind"

    kind = forms.ChoiceField(
        label=_("Which sign-in service does your council use?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select your council's sign-in service"),
            "invalid_choice": _("Select your council's sign-in service"),
        },
    )
    tenant = forms.CharField(
        label=_("Directory (tenant) ID"),
        required=False,
        max_length=64,
        help_text=_(
            "For Microsoft Entra ID: on the app registration's Overview page, like "
            "8f0c6a43-1d2b-4c5e-9f7a-0b1c2d3e4f5a."
        ),
    )
    issuer = forms.URLField(
        label=_("Issuer URL"),
        required=False,
        max_length=250,
        assume_scheme="https",
        help_text=_(
            "For another provider: the address its documentation calls the issuer. The "
            "portal reads its settings from this address followed by "
            "/.well-known/openid-configuration."
        ),
        error_messages={
            "invalid": _(
                "Enter the issuer URL in the correct format, like https://sign-in.example.gov.uk"
            )
        },
    )
    client_id = forms.CharField(
        label=_("Client ID"),
        max_length=200,
        help_text=_("Entra ID calls it the Application (client) ID."),
        error_messages={"required": _("Enter the client ID")},
    )
    client_secret = forms.CharField(
        label=_("Client secret"),
        required=False,
        max_length=500,
        strip=True,
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "The secret's value, not its ID. It is stored encrypted and never shown again."
        ),
    )
    domains = forms.CharField(
        label=_("Email domains it signs in"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One on each line, like hartlepool.gov.uk. Only addresses in these domains "
            "can sign in through it."
        ),
        error_messages={"required": _("Enter at least one email domain")},
    )
    enabled = forms.TypedChoiceField(
        label=_("Should people sign in with it now?"),
        choices=[
            ("yes", _("Yes, send people with these addresses to it")),
            ("no", _("No, not yet")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select whether people should sign in with it now"),
            "invalid_choice": _("Select whether people should sign in with it now"),
        },
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, has_secret: bool = False, **kwargs: Any) -> None:
        from .models import IdentityProviderKind

        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [
            Choice(
                IdentityProviderKind.ENTRA.value,
                IdentityProviderKind.ENTRA.label,
                hint=_("Also called Azure Active Directory. Most councils use it."),
            ),
            Choice(IdentityProviderKind.GOOGLE.value, IdentityProviderKind.GOOGLE.label),
            Choice(
                IdentityProviderKind.OTHER.value,
                IdentityProviderKind.OTHER.label,
                hint=_("Any provider that follows the OpenID Connect standard."),
            ),
        ]
        if has_secret:
            self.fields["client_secret"].help_text = _(
                "Leave this empty to keep the saved secret. Enter a new one to replace it."
            )
        self.helper = _helper(
            Field.radios("kind", legend_size=Size.MEDIUM, legend_tag="h2"),
            Field.text("tenant", field_width=Fluid.TWO_THIRDS, spellcheck="false"),
            Field.text("issuer", field_width=Fluid.FULL, spellcheck="false"),
            Field.text("client_id", field_width=Fluid.TWO_THIRDS, spellcheck="false"),
            Field.text("client_secret", field_width=Fluid.TWO_THIRDS, autocomplete="off"),
            Field.textarea("domains"),
            Field.radios("enabled", legend_size=Size.SMALL),
            "version",
            submit=_("Save and check"),
        )

    def clean_domains(self) -> list[str]:
        domains = _domain_list(self.cleaned_data["domains"])
        if not domains:
            raise forms.ValidationError(gettext("Enter at least one email domain"))
        wrong = [d.lstrip("@") for d in domains if not re.match(DOMAIN_PATTERN, d.lstrip("@"))]
        if wrong:
            raise forms.ValidationError(
                gettext(
                    "Enter domains like hartlepool.gov.uk, one on each line (%(domain)s is not one)"
                )
                % {"domain": wrong[0][:60]}
            )
        return [d.lstrip("@") for d in domains]

    def clean(self) -> dict[str, Any]:
        from urllib.parse import urlsplit

        from .models import IdentityProviderKind
        from .sso import issuer_for

        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        tenant = (cleaned.get("tenant") or "").strip()
        issuer = (cleaned.get("issuer") or "").strip()
        if kind == IdentityProviderKind.ENTRA:
            if not tenant:
                self.add_error("tenant", gettext("Enter the directory (tenant) ID"))
            elif not re.fullmatch(r"[A-Za-z0-9.-]{1,64}", tenant):
                self.add_error(
                    "tenant",
                    gettext(
                        "Enter the directory (tenant) ID, like 8f0c6a43-1d2b-4c5e-9f7a-0b1c2d3e4f5a"
                    ),
                )
        elif kind == IdentityProviderKind.OTHER:
            parts = urlsplit(issuer) if issuer else None
            loopback = parts is not None and parts.hostname in {"127.0.0.1", "localhost", "::1"}
            if not issuer:
                self.add_error("issuer", gettext("Enter the issuer URL"))
            elif parts is not None and parts.scheme != "https" and not loopback:
                self.add_error("issuer", gettext("Enter an issuer URL that starts with https://"))
        if kind and not self.errors:
            cleaned["issuer_url"] = issuer_for(kind, tenant=tenant, issuer=issuer)
        return cleaned


class ErasureForm(ErrorLinksMixin, forms.Form):
    """Staff confirm erasing a person, by typing their email address."""

    non_field_anchor = "#id_email"

    email = forms.CharField(
        label=_("Type their email address to confirm"),
        max_length=254,
        error_messages={"required": _("Type the person's email address to confirm")},
    )

    def __init__(self, *args: Any, person: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        self.helper = _helper(
            Field.text("email", field_width=Fluid.TWO_THIRDS, autocomplete="off"),
            submit=_("Erase this account"),
        )
        self.helper.layout[-1].field_classes = "govuk-button--warning"

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if email.lower() != self.person.email.lower():
            raise forms.ValidationError(gettext("The email address does not match this account"))
        return email
