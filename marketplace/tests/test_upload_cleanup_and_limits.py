"""A refused photo batch leaves no file behind; listing descriptions have a length limit."""

from pathlib import Path

import pytest
from django.urls import reverse

from core.errors import DomainError
from core.tests.images import png_upload, text_renamed_as_jpeg
from marketplace import services
from marketplace.models import Listing, ListingPhoto, Machine
from marketplace.services import MAX_DESCRIPTION_LENGTH, ListingInput
from marketplace.tests.factories import ListingFactory, MachineFactory
from marketplace.tests.test_dealer_views import create_payload, photo_payload

pytestmark = pytest.mark.django_db
TOO_LONG = "好" * (MAX_DESCRIPTION_LENGTH + 1)


def media_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_refused_batch_leaves_no_file_on_disk(client, dealer, dealer_org, settings):
    listing = ListingFactory(machine=MachineFactory(owner=dealer_org))
    client.force_login(dealer)
    response = client.post(
        reverse("marketplace:listing_photos", args=[listing.pk]),
        photo_payload((png_upload(), "front"), (text_renamed_as_jpeg(), "cab")),
    )
    assert response.status_code == 200
    assert "文件不是有效的图片（仅支持 JPEG、PNG、WebP）。" in response.content.decode()
    assert ListingPhoto.objects.count() == 0
    assert media_files(settings) == []


def test_accepted_photo_gets_a_server_chosen_name(client, dealer, dealer_org, settings):
    listing = ListingFactory(machine=MachineFactory(owner=dealer_org))
    client.force_login(dealer)
    client.post(
        reverse("marketplace:listing_photos", args=[listing.pk]),
        photo_payload((png_upload("我的挖机.html"), "front")),
    )
    photo = ListingPhoto.objects.get()
    assert photo.image.name.startswith("listings/")
    assert photo.image.name.endswith(".png")
    assert "挖机" not in photo.image.name
    assert media_files(settings) == [Path(settings.MEDIA_ROOT) / photo.image.name]


def test_too_long_description_is_a_form_error_and_creates_nothing(
    client, dealer, dealer_org, sy215
):
    client.force_login(dealer)
    response = client.post(
        reverse("marketplace:listing_create"),
        create_payload(sy215, organization=dealer_org.pk, description=TOO_LONG),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["description"] == [
        f"描述不能超过 5000 个字符（现有 {MAX_DESCRIPTION_LENGTH + 1} 个）。"
    ]
    assert (Listing.objects.count(), Machine.objects.count()) == (0, 0)


def test_description_at_the_limit_is_accepted(client, dealer, dealer_org, sy215):
    client.force_login(dealer)
    response = client.post(
        reverse("marketplace:listing_create"),
        create_payload(
            sy215, organization=dealer_org.pk, description="好" * MAX_DESCRIPTION_LENGTH
        ),
    )
    assert response.status_code == 302
    assert len(Listing.objects.get().description) == MAX_DESCRIPTION_LENGTH


def test_service_refuses_a_too_long_description_whatever_the_caller(dealer, dealer_org):
    machine = MachineFactory(owner=dealer_org)
    data = ListingInput(
        title="挖机", sale_format="auction", asking_price=None, description=TOO_LONG
    )
    with pytest.raises(DomainError) as excinfo:
        services.listing_create(machine=machine, actor=dealer, data=data)
    assert excinfo.value.fields == {
        "description": [f"描述不能超过 5000 个字符（现有 {MAX_DESCRIPTION_LENGTH + 1} 个）。"]
    }
    assert Listing.objects.count() == 0
