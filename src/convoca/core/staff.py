"""Who counts as logged-in staff: a password and, outside demo mode, a TOTP code (django-otp).

Staff can see personal data (organizers, signers, attendees), so a stolen password alone must not
be enough. The admin site, every staff page and the admin's API-token form all ask the same
question, `staff_passed(request)`. Devices are enrolled by an operator on the server
(`convoca add-totp USERNAME`); a staff member without one is told so after their password is
checked. In demo mode (`CONVOCA_DEMO=1`, loopback only) a password is enough.
"""

from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django_otp import devices_for_user
from django_otp.forms import OTPAuthenticationFormMixin


def two_factor_required() -> bool:
    return not settings.CONVOCA.demo


def two_factor_passed(request) -> bool:
    """The session was opened with a TOTP code (set by django-otp's middleware), or none is required."""
    if not two_factor_required():
        return True
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


def staff_passed(request) -> bool:
    user = request.user
    return user.is_active and user.is_staff and two_factor_passed(request)


def staff_required(view):
    """Like Django's `staff_member_required`, plus the second factor outside demo mode."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if staff_passed(request):
            return view(request, *args, **kwargs)
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))

    return wrapper


class TwoFactorLoginForm(OTPAuthenticationFormMixin, AdminAuthenticationForm):
    """The admin login with a code from an authenticator app.

    The password is checked first (Django's form); only then is the code checked, against the
    device chosen or the user's only device. A code is accepted once: django-otp remembers the
    last time step used and refuses it again (a replayed code fails), and it slows down guessing
    after each wrong code.
    """

    otp_device = forms.CharField(required=False, widget=forms.Select, label=_("Authenticator"))
    otp_token = forms.CharField(
        required=False,
        label=_("Code from your authenticator app"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    otp_challenge = forms.CharField(required=False)

    otp_error_messages = dict(
        OTPAuthenticationFormMixin.otp_error_messages,
        token_required=_("Enter the code from your authenticator app."),
        invalid_token=_("That code is wrong or has already been used; wait for the next one."),
        device_required=_("Choose the authenticator you used."),
        n_failed_attempts=ngettext_lazy(
            "Too many wrong codes (%(failure_count)d): wait a little and try again.",
            "Too many wrong codes (%(failure_count)d): wait a little and try again.",
            "failure_count",
        ),
    )

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if user is not None:
            devices = list(devices_for_user(user))
            if not devices:
                raise forms.ValidationError(
                    _(
                        "Your account has no second factor yet. Ask an operator to run "
                        "“convoca add-totp %(username)s” on the server and add the key it prints "
                        "to an authenticator app."
                    ),
                    code="no_device",
                    params={"username": user.get_username()},
                )
            if not cleaned.get("otp_device") and len(devices) == 1:
                cleaned["otp_device"] = devices[0].persistent_id
            self.clean_otp(user)
        return cleaned

    def _update_form(self, user):
        """After a wrong code, offer the user's devices, but never send the password back in the page."""
        self.fields["otp_device"].widget.choices = self.device_choices(user)


class StaffAdminSite(admin.AdminSite):
    """Django's admin, which outside demo mode lets in only sessions opened with a TOTP code."""

    def has_permission(self, request):
        return super().has_permission(request) and two_factor_passed(request)

    @property
    def login_form(self):
        return TwoFactorLoginForm if two_factor_required() else None

    @property
    def login_template(self):
        return "admin/login_two_factor.html" if two_factor_required() else None
