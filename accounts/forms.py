from typing import Any

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout, Size, Submit
from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth import forms as auth_forms
from django.core.validators import MaxLengthValidator
from django.views.decorators.debug import sensitive_variables

from core.client import client_address
from core.forms import ErrorLinksMixin

from . import services, throttle
from .models import CouncilMembership, CouncilRole

EMAIL_ERRORS = {
    "required": "Enter an email address",
    "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
}

PASSWORD_HINT = "Use at least 12 characters. Avoid common passwords and your name or email address."


def _helper(*fields: Any, submit: str) -> FormHelper:
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
        "invalid_login": "Enter a correct email address and password",
        "inactive": "This account has been closed. Ask your council's assessment lead for help.",
        "locked": "Too many failed attempts to sign in",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.refusal: throttle.Refusal | None = None
        username = self.fields["username"]
        assert isinstance(username, forms.CharField) and username.max_length
        username.label = "Email address"
        username.error_messages = {
            "required": "Enter your email address",
            "max_length": f"Enter an email address of {username.max_length} characters or fewer",
        }
        # Django sets max_length after the field is built, which adds no validator: without
        # one, any length reaches the database.
        username.validators.append(MaxLengthValidator(username.max_length))
        self.fields["password"].error_messages = {"required": "Enter your password"}
        self.helper = _helper(
            _email_field("username"),
            _password_field("password", "current-password"),
            submit="Sign in",
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
        label="Email address",
        max_length=254,
        error_messages=EMAIL_ERRORS,
        help_text="We will send a link to reset your password if this address has an account.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_email_field("email"), submit="Send reset link")


class _NewPasswordMixin:
    fields: dict[str, forms.Field]

    def _label_new_passwords(self) -> None:
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = PASSWORD_HINT
        self.fields["new_password1"].error_messages = {"required": "Enter a new password"}
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password2"].help_text = ""
        self.fields["new_password2"].error_messages = {"required": "Confirm your new password"}


class SetPasswordForm(ErrorLinksMixin, _NewPasswordMixin, auth_forms.SetPasswordForm):
    error_messages = {"password_mismatch": "The passwords do not match"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._label_new_passwords()
        self.helper = _helper(
            _password_field("new_password1", "new-password"),
            _password_field("new_password2", "new-password"),
            submit="Set password",
        )


class PasswordChangeForm(ErrorLinksMixin, _NewPasswordMixin, auth_forms.PasswordChangeForm):
    error_messages = {
        "password_mismatch": "The passwords do not match",
        "password_incorrect": "Your current password is not correct",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["old_password"].error_messages = {"required": "Enter your current password"}
        self._label_new_passwords()
        self.helper = _helper(
            _password_field("old_password", "current-password"),
            _password_field("new_password1", "new-password"),
            _password_field("new_password2", "new-password"),
            submit="Change password",
        )


class InvitationForm(ErrorLinksMixin, forms.Form):
    non_field_anchor = "#id_email"

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages=EMAIL_ERRORS,
        help_text="We will email a link that lets them set a password and join your council.",
    )
    role = forms.ChoiceField(
        label="Role",
        choices=CouncilRole.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select a role",
            "invalid_choice": "Select a role from the list",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            _email_field("email"),
            Field.radios("role", legend_size=Size.SMALL),
            submit="Send invitation",
        )


class AcceptInvitationForm(ErrorLinksMixin, forms.Form):
    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        error_messages={"required": "Enter your full name"},
    )
    new_password1 = forms.CharField(
        label="Create a password",
        strip=False,
        widget=forms.PasswordInput,
        help_text=PASSWORD_HINT,
        error_messages={"required": "Create a password"},
    )
    new_password2 = forms.CharField(
        label="Confirm password",
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": "Confirm your password"},
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email
        self.helper = _helper(
            Field.text("full_name", field_width=Fluid.TWO_THIRDS, autocomplete="name"),
            _password_field("new_password1", "new-password"),
            _password_field("new_password2", "new-password"),
            submit="Create account",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("new_password1"), cleaned.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", "The passwords do not match")
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
        action.label = f"What should {name} be able to do?"
        action.choices = [
            Choice(
                CouncilRole.OFFICER.value,
                CouncilRole.OFFICER.label,
                hint="Answers the assessment questions they are given.",
            ),
            Choice(
                CouncilRole.LEAD.value,
                CouncilRole.LEAD.label,
                hint="Answers questions too, agrees the council's answers, submits the "
                "assessment for sign-off, and manages this team and sharing with networks.",
            ),
            Choice(
                CouncilRole.EXECUTIVE.value,
                CouncilRole.EXECUTIVE.label,
                hint="Reads the submitted assessment, then signs it off or returns it to the "
                "assessment lead with a comment.",
                divider="or",
            ),
            Choice(
                self.REMOVE,
                f"Remove {name} from {council}",
                hint=f"They will no longer be able to see or change anything for {council}. "
                "Their answers stay in the council's assessments, and you can invite them "
                "again later.",
            ),
        ]
        action.error_messages = {
            "required": f"Select a role for {name}, or remove them",
            "invalid_choice": f"Select a role for {name}, or remove them",
        }
        self.helper = _helper(
            Field.radios("action", legend_size=Size.MEDIUM, legend_tag="h2"),
            submit="Save",
        )

    @property
    def removes(self) -> bool:
        return self.cleaned_data["action"] == self.REMOVE


class ReminderEmailsForm(ErrorLinksMixin, forms.Form):
    reminders = forms.TypedChoiceField(
        label="Do you want reminder emails?",
        help_text="Reminders come 14 and 3 days before a round closes, saying what is left for "
        "you to do. Emails that ask you to act (barriers assigned to you, a sign-off waiting, an "
        "assessment returned to you) are always sent.",
        choices=[("yes", "Yes, send me reminders"), ("no", "No, do not send me reminders")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether you want reminder emails",
            "invalid_choice": "Select whether you want reminder emails",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("reminders", legend_size=Size.MEDIUM, inline=False),
            submit="Save email settings",
        )
