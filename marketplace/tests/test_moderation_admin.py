"""Staff moderate listings in the Wagtail admin through the listing services."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from marketplace.models import ListingEvent
from marketplace.tests.factories import ListingFactory, MachineFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_staff(staff):
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return staff


@pytest.fixture
def submitted(dealer_org):
    return ListingFactory(
        machine=MachineFactory(owner=dealer_org), status="submitted", title="待审核的挖掘机"
    )


def test_menu_item_and_queue(client, admin_staff, submitted):
    ListingFactory(title="草稿不在队列")
    client.force_login(admin_staff)
    home = client.get("/admin/").content.decode()
    assert '"name": "listing-moderation"' in home  # the sidebar menu is rendered from JSON
    assert '"url": "/admin/moderation/listings/"' in home
    response = client.get(reverse("marketplace_moderation:index"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "待审核的挖掘机" in html
    assert "草稿不在队列" not in html


def test_approve_publishes(client, admin_staff, submitted):
    client.force_login(admin_staff)
    response = client.post(reverse("marketplace_moderation:approve", args=[submitted.pk]))
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == "published"
    event = ListingEvent.objects.get(listing=submitted)
    assert (event.from_status, event.to_status, event.actor) == (
        "submitted",
        "published",
        admin_staff,
    )


def test_reject_requires_reason(client, admin_staff, submitted):
    client.force_login(admin_staff)
    url = reverse("marketplace_moderation:reject", args=[submitted.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "   "})
    assert response.status_code == 200
    assert "驳回时必须填写原因。" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    assert ListingEvent.objects.count() == 0

    client.post(url, {"reason": "照片中看不到小时表"})
    submitted.refresh_from_db()
    assert (submitted.status, submitted.rejection_reason) == ("rejected", "照片中看不到小时表")
    assert ListingEvent.objects.get(listing=submitted).reason == "照片中看不到小时表"


def test_refused_transition_shows_message(client, admin_staff, dealer_org):
    listing = ListingFactory(machine=MachineFactory(owner=dealer_org), status="draft")
    client.force_login(admin_staff)
    response = client.post(
        reverse("marketplace_moderation:approve", args=[listing.pk]), follow=True
    )
    assert "挂牌状态不能从“草稿”变为“在售”。" in response.content.decode()
    listing.refresh_from_db()
    assert listing.status == "draft"


def test_non_staff_cannot_moderate(client, dealer, submitted):
    dealer.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(dealer)
    assert client.get(reverse("marketplace_moderation:index")).status_code == 404
    response = client.post(reverse("marketplace_moderation:approve", args=[submitted.pk]))
    assert response.status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_anonymous_is_sent_to_admin_login(client, submitted):
    response = client.post(reverse("marketplace_moderation:approve", args=[submitted.pk]))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


@pytest.mark.parametrize("name", ["listing", "machine", "salerecord"])
def test_marketplace_data_is_read_only_in_admin(client, name, submitted, django_user_model):
    superuser = django_user_model.objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(superuser)
    assert client.get(reverse(f"{name}:index")).status_code == 200
    assert client.get(reverse(f"{name}:add")).status_code == 302  # permission denied redirect
    if name == "listing":
        assert client.get(reverse("listing:inspect", args=[submitted.pk])).status_code == 200
        edit = client.post(reverse("listing:edit", args=[submitted.pk]), {"title": "x"})
        assert edit.status_code == 302
        submitted.refresh_from_db()
        assert submitted.title == "待审核的挖掘机"


@pytest.mark.parametrize(
    "model", ["listing", "machine", "salerecord", "category", "brand", "equipmentmodel"]
)
def test_django_admin_changelists(client, django_user_model, submitted, model):
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.com", "pw"))
    assert client.get(f"/django-admin/marketplace/{model}/").status_code == 200


def test_django_admin_cannot_edit_listings(client, django_user_model, submitted):
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.com", "pw"))
    assert client.get("/django-admin/marketplace/listing/add/").status_code == 403
    response = client.post(
        f"/django-admin/marketplace/listing/{submitted.pk}/change/", {"title": "改"}
    )
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.title == "待审核的挖掘机"
