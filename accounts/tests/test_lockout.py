"""Brute-force protection: django-axes locks a username + address out after
AXES_FAILURE_LIMIT failures on every login (site, Wagtail admin, Django admin, API token),
and the token endpoint has its own scoped throttle."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

WRONG = "wrong-password"
RIGHT = "pass-1234"


@pytest.fixture(autouse=True)
def _empty_throttle_cache():
    cache.clear()
    yield
    cache.clear()


def test_settings_lock_after_five_failures_for_fifteen_minutes():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def _site_login(client, login: str, password: str):
    return client.post(reverse("accounts:login"), {"login": login, "password": password})


def test_site_login_refuses_the_right_password_after_six_failures(client, dealer):
    for _ in range(6):
        _site_login(client, "dealer", WRONG)
    response = _site_login(client, "dealer", RIGHT)
    assert response.status_code == 429
    assert "登录已暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_email_and_username_count_as_one_account(client, dealer):
    for login in ["dealer", "dealer@example.com"] * 3:
        _site_login(client, login, WRONG)
    response = _site_login(client, "dealer", RIGHT)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["dealer"]


def test_four_failures_then_the_right_password_logs_in_and_resets(client, dealer):
    for _ in range(4):
        _site_login(client, "dealer", WRONG)
    response = _site_login(client, "dealer", RIGHT)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(dealer.pk)
    assert AccessAttempt.objects.filter(username="dealer").count() == 0


def test_lockout_is_per_username_and_address(client, dealer, other_dealer):
    for _ in range(6):
        _site_login(client, "dealer", WRONG)
    assert _site_login(client, "otherdealer", RIGHT).status_code == 302
    elsewhere = client.__class__(REMOTE_ADDR="10.0.0.9")
    assert _site_login(elsewhere, "dealer", RIGHT).status_code == 302


def test_wagtail_admin_login_is_locked_out_too(client, staff):
    for _ in range(6):
        client.post("/admin/login/", {"username": "staff", "password": WRONG})
    response = client.post("/admin/login/", {"username": "staff", "password": RIGHT})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_django_admin_login_is_locked_out_too(client, staff):
    for _ in range(6):
        client.post("/django-admin/login/", {"username": "staff", "password": WRONG})
    response = client.post("/django-admin/login/", {"username": "staff", "password": RIGHT})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_token_endpoint_is_locked_out_too(dealer):
    api = APIClient()
    for _ in range(6):
        refused = api.post("/api/auth/token/", {"username": "dealer", "password": WRONG})
        assert refused.status_code in (400, 429)
    response = api.post("/api/auth/token/", {"username": "dealer", "password": RIGHT})
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "locked_out"
    assert Token.objects.count() == 0


def test_token_endpoint_works_with_the_right_password(dealer):
    response = APIClient().post("/api/auth/token/", {"username": "dealer", "password": RIGHT})
    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=dealer).key}


def test_token_endpoint_is_throttled_per_address(dealer):
    rate = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["auth_token"]
    assert rate == "10/min"
    api = APIClient()
    statuses = [
        api.post("/api/auth/token/", {"username": "dealer", "password": RIGHT}).status_code
        for _ in range(11)
    ]
    assert statuses == [200] * 10 + [429]
    assert api.post("/api/auth/token/", {"username": "x", "password": "y"}).status_code == 429


def test_failures_of_earlier_tests_are_gone(client, dealer):
    """Runs after the lock-out tests above: axes keeps its attempts in the test database, so
    no other test starts locked out."""
    assert AccessAttempt.objects.count() == 0
    assert _site_login(client, "dealer", RIGHT).status_code == 302
