"""django-allauth adapter: where people land after logging in or verifying their e-mail, and
the language a new account starts with."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.forms import BaseForm
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

INVITATION_SESSION_KEY = "accounts_invitation_token"


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """An invitation opened before logging in comes first; a person without an
        organization is led to register one; everyone else goes to the dashboard."""
        token = request.session.get(INVITATION_SESSION_KEY)
        if token:
            return reverse("accounts:invitation_accept", args=[token])
        user = request.user
        if user.is_authenticated and not user.is_staff and not user.memberships.exists():
            return reverse("accounts:organization_register")
        return super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        """After signing up and verifying: the same landing as after a login."""
        if request.user.is_authenticated:
            return self.get_login_redirect_url(request)
        return super().get_signup_redirect_url(request)

    def save_user(self, request: HttpRequest, user, form: BaseForm, commit: bool = True):
        """A new account reads its notifications in the language it signed up in."""
        user.preferred_language = (
            getattr(request, "LANGUAGE_CODE", None)
            or translation.get_language()
            or settings.LANGUAGE_CODE
        )
        return super().save_user(request, user, form, commit=commit)
