"""Signup with e-mail verification, login by username or e-mail, logout, password reset."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^\s]+")


def _link_in(message) -> str:
    return LINK.findall(message.body)[0]


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_logout_by_post_redirects_to_the_home_page(client, dealer):
    client.force_login(dealer)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 200


def test_logout_by_get_does_not_log_out(client, dealer):
    client.force_login(dealer)
    response = client.get(reverse("accounts:logout"))
    assert response.status_code == 200
    assert client.session["_auth_user_id"] == str(dealer.pk)


@pytest.mark.parametrize("login", ["dealer", "dealer@example.com", "DEALER@example.com"])
def test_existing_users_log_in_by_username_or_email(client, dealer, login):
    response = client.post(reverse("accounts:login"), {"login": login, "password": "pass-1234"})
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:index")
    assert client.session["_auth_user_id"] == str(dealer.pk)


def test_wrong_password_is_an_inline_error(client, dealer):
    response = client.post(reverse("accounts:login"), {"login": "dealer", "password": "nope"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert 'class="message error"' in response.content.decode()


def test_the_login_page_keeps_its_url_and_names():
    assert reverse("accounts:login") == "/accounts/login/"
    assert reverse("account_login") == "/accounts/login/"
    assert reverse("accounts:logout") == reverse("account_logout") == "/accounts/logout/"


def test_register_is_the_signup_page(client):
    response = client.get("/accounts/register/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_signup")


def test_signup_verify_and_land_on_organization_registration(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.com", "password1": "Tie-huan-2026", "password2": "Tie-huan-2026"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="new@example.com")
    assert "_auth_user_id" not in client.session
    assert EmailAddress.objects.filter(user=user, verified=False).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new@example.com"]

    # Not verified yet: logging in only sends the link again.
    again = client.post(
        reverse("accounts:login"), {"login": "new@example.com", "password": "Tie-huan-2026"}
    )
    assert again["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session

    confirm_path = _path(_link_in(mail.outbox[0]))
    assert client.get(confirm_path).status_code == 200
    confirmed = client.post(confirm_path)
    assert confirmed.status_code == 302
    assert confirmed["Location"] == reverse("accounts:organization_register")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert EmailAddress.objects.get(user=user).verified is True


def test_signup_errors_are_inline_and_create_nothing(client):
    UserFactory(username="taken", email="taken@example.com")
    response = client.post(
        reverse("account_signup"),
        {"email": "not-an-email", "password1": "123", "password2": "456"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="form-row has-error"') >= 2
    assert User.objects.count() == 1
    assert mail.outbox == []


def test_tampered_confirmation_link_is_a_clear_page(client):
    response = client.get("/accounts/confirm-email/not-a-real-key/")
    assert response.status_code == 200  # allauth answers the page, with no confirm button
    assert "<form" not in response.content.decode().split('id="main"')[1]
    assert "验证链接无效或已过期" in response.content.decode()


def test_password_reset_by_email(client, dealer):
    response = client.post(reverse("account_reset_password"), {"email": "dealer@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    reset_path = _path(_link_in(mail.outbox[0]))
    form = client.get(reset_path, follow=True)
    assert form.status_code == 200
    action = form.redirect_chain[-1][0] if form.redirect_chain else reset_path
    done = client.post(action, {"password1": "Neuer-Pass-77", "password2": "Neuer-Pass-77"})
    assert done.status_code == 302
    dealer.refresh_from_db()
    assert dealer.check_password("Neuer-Pass-77")


def test_login_page_in_english(client):
    response = client.get(reverse("accounts:login"), headers={"accept-language": "en"})
    html = response.content.decode()
    assert "Username or e-mail" in html
    assert "Forgot your password?" in html


def test_signup_then_verify_straight_away_lands_on_organization_registration(client):
    client.post(
        reverse("account_signup"),
        {"email": "fast@example.com", "password1": "Tie-huan-2026", "password2": "Tie-huan-2026"},
    )
    confirmed = client.post(_path(_link_in(mail.outbox[0])))
    assert confirmed["Location"] == reverse("accounts:organization_register")
    assert client.session["_auth_user_id"] == str(User.objects.get(email="fast@example.com").pk)
