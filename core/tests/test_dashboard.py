"""The dashboard shows each organization's entry points and the staff tools."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_dealer_dashboard(client, dealer):
    client.force_login(dealer)
    html = client.get(reverse("dashboard:index")).content.decode()
    assert "长沙测试经销商" in html
    assert reverse("marketplace:listing_create") in html
    assert reverse("marketplace_moderation:index") not in html


def test_staff_dashboard_links_to_moderation(client, staff):
    client.force_login(staff)
    html = client.get(reverse("dashboard:index")).content.decode()
    assert reverse("marketplace_moderation:index") in html
    assert reverse("accounts_kyc:index") in html


def test_unread_badge(client, dealer):
    from notifications.services import notification_send

    notification_send(recipient=dealer, kind="t", title="x", email=False)
    notification_send(recipient=dealer, kind="t", title="y", email=False)
    client.force_login(dealer)
    html = client.get(reverse("dashboard:index")).content.decode()
    assert 'aria-label="未读通知">2</span>' in html


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}
