"""The required photo set (marketplace.photo_set): submitting needs all four sides, the hour
meter, the cab and the undercarriage; the seller's pages show what is still missing; a live
listing cannot lose its last photo of a required kind."""

import pytest
from django.urls import reverse

from core.errors import ConflictError, DomainError
from marketplace import services
from marketplace.models import REQUIRED_PHOTO_KINDS, ListingEvent, ListingPhoto, ListingStatus
from marketplace.photo_set import missing_photo_kinds, photo_checklist
from marketplace.tests.factories import (
    ListingFactory,
    ListingPhotoFactory,
    MachineFactory,
    with_photo_set,
)

pytestmark = pytest.mark.django_db
S = ListingStatus
ALL_LABELS = "正面、左侧、右侧、后面、小时表、驾驶室、底盘/轮胎"


@pytest.fixture
def draft(dealer_org):
    return ListingFactory(machine=MachineFactory(owner=dealer_org))


def add_kinds(listing, *kinds):
    for kind in kinds:
        ListingPhotoFactory(listing=listing, kind=kind)


def test_missing_kinds_keep_the_checklist_order_and_ignore_other_kinds():
    assert missing_photo_kinds(["cab", "other", "damage", "front"]) == [
        "left",
        "right",
        "rear",
        "hour_meter",
        "undercarriage",
    ]
    assert missing_photo_kinds(REQUIRED_PHOTO_KINDS) == []
    assert missing_photo_kinds([]) == list(REQUIRED_PHOTO_KINDS)


def test_submit_without_photos_is_refused_naming_every_missing_kind(dealer, draft):
    with pytest.raises(DomainError) as refused:
        services.listing_submit(listing=draft, actor=dealer)

    assert refused.value.code == "photos_missing"
    assert refused.value.http_status == 400
    assert refused.value.message == f"提交前请补齐必需的照片，还缺：{ALL_LABELS}。"
    assert refused.value.fields == {
        "photos": [
            "缺少“正面”照片。",
            "缺少“左侧”照片。",
            "缺少“右侧”照片。",
            "缺少“后面”照片。",
            "缺少“小时表”照片。",
            "缺少“驾驶室”照片。",
            "缺少“底盘/轮胎”照片。",
        ]
    }
    draft.refresh_from_db()
    assert (draft.status, draft.submitted_at) == (S.DRAFT, None)
    assert ListingEvent.objects.filter(listing=draft).count() == 0


def test_submit_names_only_the_kinds_still_missing(dealer, draft):
    add_kinds(draft, "front", "left", "right", "rear", "undercarriage", "other", "other")

    with pytest.raises(DomainError) as refused:
        services.listing_submit(listing=draft, actor=dealer)

    assert refused.value.message == "提交前请补齐必需的照片，还缺：小时表、驾驶室。"
    assert refused.value.fields == {"photos": ["缺少“小时表”照片。", "缺少“驾驶室”照片。"]}
    add_kinds(draft, "hour_meter", "cab")
    assert services.listing_submit(listing=draft, actor=dealer).status == S.SUBMITTED


def test_missing_photos_are_reported_in_english(dealer, draft):
    from django.utils import translation

    add_kinds(draft, *[k for k in REQUIRED_PHOTO_KINDS if k != "cab"])
    with translation.override("en"), pytest.raises(DomainError) as refused:
        services.listing_submit(listing=draft, actor=dealer)
    assert refused.value.message == "Add the required photos before submitting. Missing: Cab."
    assert refused.value.fields == {"photos": ["The “Cab” photo is missing."]}


def test_a_wrong_state_is_reported_before_missing_photos(dealer, dealer_org):
    published = ListingFactory(machine=MachineFactory(owner=dealer_org), status=S.PUBLISHED)
    with pytest.raises(ConflictError) as refused:
        services.listing_submit(listing=published, actor=dealer)
    assert refused.value.code == "invalid_transition"


def test_trusted_seller_cannot_skip_the_photo_set(dealer, dealer_org, draft):
    """Publishing directly still starts with submitting; a draft is never published."""
    dealer_org.is_trusted_seller = True
    dealer_org.save(update_fields=["is_trusted_seller"])
    with pytest.raises(DomainError) as refused:
        services.listing_submit(listing=draft, actor=dealer)
    assert refused.value.code == "photos_missing"
    with pytest.raises(ConflictError):
        services.listing_publish(listing=draft, actor=dealer)
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_submit_button_shows_the_refusal_on_the_manage_page(client, dealer, draft):
    add_kinds(draft, "front", "left", "right", "rear", "hour_meter")
    client.force_login(dealer)

    response = client.post(
        reverse("marketplace:listing_action", args=[draft.pk, "submit"]), follow=True
    )

    assert response.status_code == 200
    assert response.redirect_chain == [
        (reverse("marketplace:listing_manage", args=[draft.pk]), 302)
    ]
    page = response.content.decode()
    assert "提交前请补齐必需的照片，还缺：驾驶室、底盘/轮胎。" in page
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_checklist_counts_each_required_kind(draft):
    add_kinds(draft, "front", "front", "cab", "damage")
    items = {item.kind: (item.count, item.is_present) for item in photo_checklist(draft)}
    assert list(items) == list(REQUIRED_PHOTO_KINDS)
    assert items["front"] == (2, True)
    assert items["cab"] == (1, True)
    assert items["left"] == (0, False)


@pytest.mark.parametrize("url_name", ["marketplace:listing_photos", "marketplace:listing_manage"])
def test_seller_pages_show_the_checklist(client, dealer, draft, url_name):
    add_kinds(draft, "front", "cab")
    client.force_login(dealer)

    response = client.get(reverse(url_name, args=[draft.pk]))

    checklist = response.context["checklist"]
    assert [(item.kind, item.is_present) for item in checklist] == [
        ("front", True),
        ("left", False),
        ("right", False),
        ("rear", False),
        ("hour_meter", False),
        ("cab", True),
        ("undercarriage", False),
    ]
    page = response.content.decode()
    assert 'id="photo-checklist"' in page
    assert page.count('class="missing"') == 5
    assert page.count('class="present"') == 2


def test_upload_rows_start_on_the_missing_kinds(client, dealer, draft):
    add_kinds(draft, "front", "left", "right")
    client.force_login(dealer)
    response = client.get(reverse("marketplace:listing_photos", args=[draft.pk]))
    formset = response.context["formset"]
    kinds = [form["kind"].value() for form in formset.forms]
    assert kinds == [
        "rear",
        "hour_meter",
        "cab",
        "undercarriage",
        "other",
        "other",
        "other",
        "other",
    ]


def test_one_upload_can_complete_the_set_and_then_submit(client, dealer, draft):
    from marketplace.tests.test_dealer_views import photo_payload, png_upload

    client.force_login(dealer)
    payload = photo_payload(*[(png_upload(f"{kind}.png"), kind) for kind in REQUIRED_PHOTO_KINDS])
    payload.update(
        {"photos-TOTAL_FORMS": "8", "photos-MAX_NUM_FORMS": "8", "photos-7-kind": "other"}
    )
    response = client.post(reverse("marketplace:listing_photos", args=[draft.pk]), payload)
    assert response.status_code == 302
    assert missing_photo_kinds(draft.photos.values_list("kind", flat=True)) == []
    response = client.post(reverse("marketplace:listing_action", args=[draft.pk, "submit"]))
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED


@pytest.mark.parametrize("status", [S.SUBMITTED, S.PUBLISHED, S.RESERVED])
def test_live_listing_keeps_its_last_photo_of_a_required_kind(dealer, dealer_org, status):
    listing = with_photo_set(
        ListingFactory(machine=MachineFactory(owner=dealer_org), status=status)
    )
    cab = listing.photos.get(kind="cab")

    with pytest.raises(ConflictError) as refused:
        services.listing_photo_delete(photo=cab, actor=dealer)

    assert refused.value.code == "required_photo_kept"
    assert "驾驶室" in refused.value.message
    assert ListingPhoto.objects.filter(pk=cab.pk).exists()
    assert cab.image.storage.exists(cab.image.name)


def test_live_listing_may_delete_a_duplicate_or_an_optional_photo(dealer, dealer_org):
    listing = with_photo_set(
        ListingFactory(machine=MachineFactory(owner=dealer_org), status=S.PUBLISHED)
    )
    add_kinds(listing, "cab", "damage")
    for photo in [listing.photos.filter(kind="cab").first(), listing.photos.get(kind="damage")]:
        services.listing_photo_delete(photo=photo, actor=dealer)
    assert missing_photo_kinds(listing.photos.values_list("kind", flat=True)) == []
    assert listing.photos.count() == 7


def test_draft_may_delete_any_photo(dealer, draft):
    with_photo_set(draft)
    services.listing_photo_delete(photo=draft.photos.get(kind="front"), actor=dealer)
    assert missing_photo_kinds(draft.photos.values_list("kind", flat=True)) == ["front"]


def test_refused_delete_is_a_message_not_an_error_page(client, dealer, dealer_org):
    listing = with_photo_set(
        ListingFactory(machine=MachineFactory(owner=dealer_org), status=S.PUBLISHED)
    )
    photo = listing.photos.get(kind="rear")
    client.force_login(dealer)

    response = client.post(reverse("marketplace:photo_delete", args=[photo.pk]), follow=True)

    assert response.status_code == 200
    assert "“后面”是必需的照片" in response.content.decode()
    assert ListingPhoto.objects.filter(pk=photo.pk).exists()
