"""Error pages: styled pages in both languages, JSON under /api/, never the debug page; the
"verification failed" page for a tampered certificate code; the CSRF failure page."""

import pytest
from django.test import Client

from certification.tests.factories import issued_certificate, machine_for
from core.documents import verify_path

pytestmark = pytest.mark.django_db


def _zh(client, path, **kwargs):
    return client.get(path, headers={"accept-language": "zh-hans"}, **kwargs)


def _en(client, path, **kwargs):
    return client.get(path, headers={"accept-language": "en"}, **kwargs)


def test_unknown_url_is_a_styled_404_in_chinese(client):
    response = _zh(client, "/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "页面不存在" in html
    assert 'data-error="404"' in html
    assert "site-header" in html  # extends base.html
    assert "URLconf" not in html and "Using the URLconf" not in html


def test_unknown_url_is_a_styled_404_in_english(client):
    response = _en(client, "/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "页面不存在" not in html
    assert "URLconf" not in html


def test_demo_settings_keep_debug_off_unless_asked():
    # config.settings.local no longer defaults DEBUG on: the module decides, not the test.
    import importlib
    import os

    from config.settings import local

    previous = os.environ.pop("DJANGO_DEBUG", None)
    try:
        assert importlib.reload(local).DEBUG is False
        os.environ["DJANGO_DEBUG"] = "1"
        assert importlib.reload(local).DEBUG is True
    finally:
        os.environ.pop("DJANGO_DEBUG", None)
        if previous is not None:
            os.environ["DJANGO_DEBUG"] = previous
        importlib.reload(local)


def test_api_404_is_json_in_the_error_format(client):
    response = _en(client, "/api/no-such-endpoint/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "error": {"code": "not_found", "message": "Not found.", "fields": {}}
    }


@pytest.mark.urls("core.tests.urls_errors")
def test_500_page_renders_without_the_debug_page(settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    response = _zh(client, "/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "服务器错误" in html
    assert 'data-error="500"' in html
    assert "Traceback" not in html and "RuntimeError" not in html
    response = _en(client, "/boom/")
    assert "Server error" in response.content.decode()


@pytest.mark.urls("core.tests.urls_errors")
def test_api_500_is_json_in_the_error_format(settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    response = _en(client, "/api/boom/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "server_error"
    assert response.json()["error"]["fields"] == {}


def test_csrf_failure_is_a_styled_403(dealer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(dealer)
    response = client.post("/notifications/read/", headers={"accept-language": "en"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Form expired" in html
    assert "CSRF verification failed" not in html  # Django's own page


@pytest.fixture
def certificate(dealer_org, certifier_org, inspector):
    machine = machine_for(dealer_org, year_of_manufacture=2020)
    return issued_certificate(machine=machine, certifier=certifier_org, inspector=inspector)


@pytest.mark.parametrize("suffix", ["", "pdf/"])
def test_tampered_verification_code_shows_verification_failed(client, certificate, suffix):
    good = verify_path(certificate)
    code = good.rstrip("/").split("/")[-1]
    tampered = good.replace(code, ("A" if code[0] != "A" else "B") + code[1:]) + suffix
    response = _zh(client, tampered)
    assert response.status_code == 404
    html = response.content.decode()
    assert "验证失败" in html
    assert 'data-verification="failed"' in html
    assert certificate.number in html
    assert "重新验证" in html
    response = _en(client, tampered)
    html = response.content.decode()
    assert "Verification failed" in html
    assert "验证失败" not in html
    assert _zh(client, good).status_code == 200  # the real code still verifies


def test_unknown_verification_number_shows_verification_failed(client):
    response = _en(client, "/verify/IL-RC-2026-999999/ABCDEF/")
    assert response.status_code == 404
    assert "Verification failed" in response.content.decode()
