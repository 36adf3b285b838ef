"""Content-Security-Policy with per-request nonces for the project's own inline scripts, and
cookies that scripts cannot read or that travel only over HTTPS in production."""

import importlib
import re
import sys

import pytest
from django.conf import settings
from django.test import Client

from marketplace.tests.factories import PublishedListingFactory
from trading.tests.factories import LotFactory

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)


def _nonce(response) -> str:
    policy = response["Content-Security-Policy"]
    directives = dict(
        [*part.split(" ", 1), ""][:2] for part in (p.strip() for p in policy.split(";")) if part
    )
    found = re.fullmatch(
        r"'self' 'nonce-([A-Za-z0-9+/=]+)' https://js\.stripe\.com", directives["script-src"]
    )
    assert found, directives["script-src"]
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'self'"
    assert directives["default-src"] == "'self'"
    return found.group(1)


def _inline_script_nonces(html: str) -> list[str]:
    nonces = []
    for attributes in SCRIPT_TAG.findall(html):
        if "src=" in attributes or 'type="application/json"' in attributes:
            continue  # external files are covered by 'self'; JSON data blocks never run
        found = re.search(r'nonce="([^"]*)"', attributes)
        nonces.append(found.group(1) if found else "")
    return nonces


@pytest.mark.django_db
def test_browse_page_runs_its_search_box_script_from_a_static_file():
    response = Client().get("/listings/")
    assert response.status_code == 200
    html = response.content.decode()
    assert _inline_script_nonces(html) == []
    assert "search/suggest.js" in html


@pytest.mark.django_db
def test_lot_page_inline_script_carries_the_header_nonce_and_it_changes_per_request(buyer):
    lot = LotFactory()
    client = Client()
    client.force_login(buyer)
    first = client.get(f"/trading/lots/{lot.pk}/")
    second = client.get(f"/trading/lots/{lot.pk}/")
    assert first.status_code == second.status_code == 200
    assert _inline_script_nonces(first.content.decode()) == [_nonce(first)]
    assert _nonce(first) != _nonce(second)


@pytest.mark.django_db
def test_pages_without_inline_scripts_still_get_the_policy():
    listing = PublishedListingFactory()
    response = Client().get(f"/listings/{listing.pk}/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert _inline_script_nonces(response.content.decode()) == []


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/", "/admin/login/"])
def test_admin_and_api_docs_pages_work_and_are_excluded(path):
    # Their templates (Wagtail admin, drf-spectacular) ship inline scripts without our nonce.
    response = Client().get(path)
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response


@pytest.mark.django_db
def test_api_responses_carry_the_policy():
    response = Client().get("/api/listings/")
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_csrf_cookie_is_not_readable_by_scripts():
    assert settings.CSRF_COOKIE_HTTPONLY is True
    response = Client().get("/accounts/login/")
    assert response.status_code == 200
    assert response.cookies["csrftoken"]["httponly"] is True


def test_no_project_script_reads_the_csrf_cookie():
    from pathlib import Path

    root = Path(settings.BASE_DIR)
    readers = [
        str(path.relative_to(root))
        for pattern in (
            "*/static/**/*.js",
            "static/**/*.js",
            "*/templates/**/*.html",
            "templates/**/*.html",
        )
        for path in root.glob(pattern)
        if ".venv" not in path.parts and "csrftoken" in path.read_text(errors="ignore")
    ]
    assert readers == []


def test_production_cookies_are_secure(monkeypatch):
    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 50)
    monkeypatch.setenv("ALLOWED_HOSTS", "ironloop.example")
    monkeypatch.delitem(sys.modules, "config.settings.production", raising=False)
    production = importlib.import_module("config.settings.production")
    monkeypatch.delitem(sys.modules, "config.settings.production")
    assert production.SESSION_COOKIE_SECURE is True
    assert production.CSRF_COOKIE_SECURE is True
    assert production.LANGUAGE_COOKIE_SECURE is True
    assert production.CSRF_COOKIE_HTTPONLY is True
