"""Account forms: sign-up, and Django's login forms with throttling added."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.exceptions import ValidationError

from courses import throttle
from courses.models import User


class SignupForm(UserCreationForm):
    """Username, an optional e-mail address (for password resets), password twice."""

    email = forms.EmailField(
        label="Email (optional)",
        required=False,
        help_text="Only used to send you a link if you forget your password.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")


class ThrottledLoginMixin:
    """Refuse a login while its username or client address is locked out; count failures.

    Goes before an ``AuthenticationForm`` class in the bases. The check runs before the
    password is even looked at, so a locked-out account cannot be logged into, even with the
    right password, until the lockout ends (see ``courses.throttle``).
    """

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        address = throttle.client_address(self.request)
        wait = throttle.login_lockout_seconds(username=username, address=address)
        if wait:
            raise ValidationError(
                throttle.login_lockout_message(wait), code="throttled"
            )
        try:
            cleaned_data = super().clean()
        except ValidationError:
            throttle.login_failure_record(username=username, address=address)
            raise
        if self.user_cache is not None:  # None when a field was missing: not a login
            throttle.login_success_record(username=username)
        return cleaned_data


class LoginForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class AdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    """The admin's own login page, throttled like ours (it is another way in)."""
