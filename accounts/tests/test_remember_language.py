"""The language a signed-in person switches to is remembered for their notifications."""

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from accounts.middleware import remember_language
from accounts.models import User

pytestmark = pytest.mark.django_db


def _preferred(user):
    return User.objects.get(pk=user.pk).preferred_language


def test_switching_to_english_is_stored_and_back_again(client, dealer):
    client.force_login(dealer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert client.get(reverse("notifications:list")).status_code == 200
    assert _preferred(dealer) == "en"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert client.get(reverse("notifications:list")).status_code == 200
    assert _preferred(dealer) == "zh-hans"


def test_the_language_switch_itself_leads_to_the_stored_language(client, dealer):
    client.force_login(dealer)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    client.get(reverse("notifications:list"))
    assert _preferred(dealer) == "en"


def test_browser_language_counts_but_a_request_without_any_does_not(client, dealer):
    dealer.preferred_language = "en"
    dealer.save(update_fields=["preferred_language"])
    client.force_login(dealer)
    client.get(reverse("notifications:list"))  # no cookie, no Accept-Language: the fallback
    assert _preferred(dealer) == "en"
    client.get(reverse("notifications:list"), HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert _preferred(dealer) == "zh-hans"


def _request(user, language="en"):
    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE=language)
    request.LANGUAGE_CODE = language
    request.user = user
    return request


def test_no_query_when_the_language_is_unchanged(dealer, django_assert_num_queries):
    request = _request(dealer, "zh-hans")
    with django_assert_num_queries(0):
        remember_language(request)


def test_one_update_when_it_changes(dealer, django_assert_num_queries):
    request = _request(dealer, "en")
    with django_assert_num_queries(1):
        remember_language(request)
    assert dealer.preferred_language == "en"
    assert _preferred(dealer) == "en"
    with django_assert_num_queries(0):
        remember_language(request)


def test_no_query_for_a_user_the_view_never_loaded(dealer, django_assert_num_queries):
    request = _request(None, "en")
    request.user = SimpleLazyObject(lambda: User.objects.get(pk=dealer.pk))
    with django_assert_num_queries(0):
        remember_language(request)
    assert _preferred(dealer) == "zh-hans"


def test_anonymous_visitors_are_left_alone(django_assert_num_queries):
    with django_assert_num_queries(0):
        remember_language(_request(AnonymousUser(), "en"))


def test_signup_in_english_starts_the_account_in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.com", "password1": "Tie-huan-2026", "password2": "Tie-huan-2026"},
    )
    assert response.status_code == 302
    assert User.objects.get(email="new@example.com").preferred_language == "en"


def test_signup_in_chinese_starts_the_account_in_chinese(client):
    client.post(
        reverse("account_signup"),
        {"email": "new@example.com", "password1": "Tie-huan-2026", "password2": "Tie-huan-2026"},
    )
    assert User.objects.get(email="new@example.com").preferred_language == "zh-hans"
