"""django-allauth adapter: where people land after logging in or verifying their e-mail."""

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse

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
