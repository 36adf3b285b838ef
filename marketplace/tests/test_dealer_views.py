"""The dealer's HTML flows: create, edit, photos, actions, hours; forms show errors."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from PIL import Image

from core.tests.images import jpeg_with_exif_upload, png_upload, text_renamed_as_jpeg
from marketplace.models import (
    HourMeterReading,
    Listing,
    ListingEvent,
    ListingPhoto,
    ListingStatus,
    Machine,
)
from marketplace.tests.factories import ListingFactory, MachineFactory, with_photo_set

pytestmark = pytest.mark.django_db
CREATE_URL = reverse("marketplace:listing_create")


def create_payload(sy215, **overrides):
    data = {
        "equipment_model": str(sy215.pk),
        "serial_number": "sy215c-88001",
        "year_of_manufacture": "2020",
        "hours": "5120",
        "emission_stage": "china3",
        "city": "株洲市",
        "district": "天元区",
        "accident_history": "none",
        "title": "2020年 三一 SY215C 中挖 5120小时",
        "sale_format": "fixed",
        "asking_price": "418000.00",
        "invoice_available": "on",
        "description": "一手车主，按时保养。",
        "attachments": "破碎锤管路",
    }
    data.update(overrides)
    return data


def test_create_form_groups_models_by_brand_and_category(client, dealer, sy215):
    client.force_login(dealer)
    response = client.get(CREATE_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<optgroup label="三一 · 中型挖掘机">' in html
    assert f'<option value="{sy215.pk}">SY215C</option>' in html
    assert '<option value="株洲市">株洲市</option>' in html


def test_create_listing_for_new_machine(client, dealer, dealer_org, sy215):
    client.force_login(dealer)
    response = client.post(CREATE_URL, create_payload(sy215, organization=dealer_org.pk))
    listing = Listing.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("marketplace:listing_photos", args=[listing.pk])
    machine = listing.machine
    assert (machine.serial_number, machine.owner, machine.city, machine.province) == (
        "SY215C-88001",
        dealer_org,
        "株洲市",
        "湖南省",
    )
    assert (machine.brand, machine.category) == (sy215.brand, sy215.category)
    assert machine.current_hours == 5120
    reading = HourMeterReading.objects.get(machine=machine)
    assert (reading.hours, reading.source, reading.recorded_by) == (5120, "seller", dealer)
    assert listing.status == ListingStatus.DRAFT
    assert listing.asking_price == Decimal("418000.00")
    assert (listing.seller, listing.created_by, listing.attachments) == (
        dealer_org,
        dealer,
        "破碎锤管路",
    )
    assert list(listing.events.values_list("from_status", "to_status")) == [("", "draft")]


def test_create_without_price_shows_form_error_and_creates_nothing(client, dealer, sy215):
    client.force_login(dealer)
    response = client.post(CREATE_URL, create_payload(sy215, asking_price=""))
    assert response.status_code == 200
    assert "一口价和议价必须填写价格。" in response.content.decode()
    assert Machine.objects.count() == 0
    assert Listing.objects.count() == 0


def test_create_auction_without_price_is_accepted(client, dealer, sy215):
    client.force_login(dealer)
    response = client.post(
        CREATE_URL, create_payload(sy215, asking_price="", sale_format="auction")
    )
    assert response.status_code == 302
    assert Listing.objects.get().asking_price is None


def test_duplicate_serial_is_a_field_error_and_nothing_is_written(client, dealer, sy215):
    MachineFactory(equipment_model=sy215, serial_number="SY215C-88001")
    client.force_login(dealer)
    response = client.post(CREATE_URL, create_payload(sy215))
    assert response.status_code == 200
    assert response.context["form"].errors["serial_number"] == [
        "该品牌下已存在相同出厂编号的设备。"
    ]
    assert Machine.objects.count() == 1
    assert Listing.objects.count() == 0


def test_future_year_and_bad_city_are_form_errors(client, dealer, sy215):
    client.force_login(dealer)
    response = client.post(
        CREATE_URL, create_payload(sy215, year_of_manufacture="2999", city="北京市")
    )
    errors = response.context["form"].errors
    assert errors["year_of_manufacture"] == ["出厂年份不能晚于今年。"]
    assert "city" in errors
    assert Machine.objects.count() == 0


def test_edit_draft(client, dealer, dealer_org):
    listing = ListingFactory(machine=MachineFactory(owner=dealer_org))
    client.force_login(dealer)
    url = reverse("marketplace:listing_edit", args=[listing.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"title": "新标题", "sale_format": "offer", "asking_price": "399999.5"}
    )
    assert response.status_code == 302
    listing.refresh_from_db()
    assert (listing.title, listing.sale_format, listing.asking_price) == (
        "新标题",
        "offer",
        Decimal("399999.50"),
    )
    assert listing.invoice_available is False


def test_edit_published_listing_is_refused(client, dealer, dealer_org):
    listing = ListingFactory(machine=MachineFactory(owner=dealer_org), status="published")
    client.force_login(dealer)
    url = reverse("marketplace:listing_edit", args=[listing.pk])
    response = client.post(
        url, {"title": "改价", "sale_format": "fixed", "asking_price": "1"}, follow=True
    )
    assert "只有草稿或未通过审核的挂牌可以编辑。" in response.content.decode()
    listing.refresh_from_db()
    assert listing.asking_price == Decimal("380000.00")


def photo_payload(*files_and_kinds):
    data = {
        "photos-TOTAL_FORMS": "6",
        "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "6",
    }
    for index in range(6):
        data[f"photos-{index}-kind"] = "other"
    for index, (upload, kind) in enumerate(files_and_kinds):
        data[f"photos-{index}-image"] = upload
        data[f"photos-{index}-kind"] = kind
    return data


def test_upload_photos_with_kinds_strips_exif(client, dealer, dealer_org):
    listing = ListingFactory(machine=MachineFactory(owner=dealer_org))
    client.force_login(dealer)
    url = reverse("marketplace:listing_photos", args=[listing.pk])
    response = client.post(
        url, photo_payload((png_upload("front.png"), "front"), (jpeg_with_exif_upload(), "cab"))
    )
    assert response.status_code == 302
    photos = list(listing.photos.order_by("position"))
    assert [(p.kind, p.position, p.width, p.height) for p in photos] == [
        ("front", 0, 40, 30),
        ("cab", 1, 64, 48),
    ]
    with photos[1].image.open("rb") as stored, Image.open(io.BytesIO(stored.read())) as image:
        assert dict(image.getexif()) == {}


def test_renamed_text_file_is_a_form_error_and_rolls_back_the_batch(client, dealer, dealer_org):
    listing = ListingFactory(machine=MachineFactory(owner=dealer_org))
    client.force_login(dealer)
    url = reverse("marketplace:listing_photos", args=[listing.pk])
    response = client.post(
        url, photo_payload((png_upload(), "front"), (text_renamed_as_jpeg(), "cab"))
    )
    assert response.status_code == 200
    assert "文件不是有效的图片（仅支持 JPEG、PNG、WebP）。" in response.content.decode()
    assert ListingPhoto.objects.count() == 0


def test_photo_upload_needs_a_file(client, dealer, dealer_org):
    listing = ListingFactory(machine=MachineFactory(owner=dealer_org))
    client.force_login(dealer)
    response = client.post(
        reverse("marketplace:listing_photos", args=[listing.pk]), photo_payload()
    )
    assert "请至少选择一张照片。" in response.content.decode()


def test_delete_photo(client, dealer, dealer_org, other_dealer):
    listing = ListingFactory(machine=MachineFactory(owner=dealer_org))
    client.force_login(dealer)
    client.post(
        reverse("marketplace:listing_photos", args=[listing.pk]),
        photo_payload((png_upload(), "front")),
    )
    photo = ListingPhoto.objects.get()
    url = reverse("marketplace:photo_delete", args=[photo.pk])
    client.force_login(other_dealer)
    assert client.post(url).status_code == 404
    assert ListingPhoto.objects.count() == 1
    client.force_login(dealer)
    assert client.post(url).status_code == 302
    assert ListingPhoto.objects.count() == 0


def test_refusal_message_is_shown(client, dealer, dealer_org):
    machine = MachineFactory(owner=dealer_org)
    ListingFactory(machine=machine, status="published")
    draft = with_photo_set(ListingFactory(machine=machine))
    client.force_login(dealer)
    response = client.post(
        reverse("marketplace:listing_action", args=[draft.pk, "submit"]), follow=True
    )
    assert "该设备已有一个在售或待审核的挂牌。" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_unverified_dealer_submits_but_cannot_publish(client, dealer, dealer_org):
    dealer_org.kyc_status = "pending"
    dealer_org.save()
    listing = ListingFactory(machine=MachineFactory(owner=dealer_org), status="submitted")
    client.force_login(dealer)
    page = client.get(reverse("marketplace:listing_manage", args=[listing.pk])).content.decode()
    assert "机构尚未完成实名认证" in page
    assert 'value="publish"' not in page
    response = client.post(reverse("marketplace:listing_action", args=[listing.pk, "publish"]))
    assert response.status_code == 403
    assert "挂牌须经平台审核后发布" in response.content.decode()
    listing.refresh_from_db()
    assert listing.status == "submitted"


def test_dashboard_lists_own_listings_with_allowed_actions(
    client, dealer, dealer_org, other_dealer_org
):
    draft = ListingFactory(machine=MachineFactory(owner=dealer_org), title="我的草稿")
    published = ListingFactory(
        machine=MachineFactory(owner=dealer_org), status="published", title="我的在售"
    )
    ListingFactory(machine=MachineFactory(owner=other_dealer_org), title="别人的")
    client.force_login(dealer)
    response = client.get(reverse("marketplace:dealer_listings"))
    html = response.content.decode()
    assert [row[0] for row in response.context["rows"]] == [published, draft]
    assert {row[0].pk: row[1] for row in response.context["rows"]} == {
        draft.pk: ["edit", "submit", "withdraw"],
        published.pk: ["withdraw"],
    }
    assert "别人的" not in html
    assert reverse("marketplace:listing_create") in html


def test_dashboard_query_count_is_constant(
    client, dealer, dealer_org, django_assert_max_num_queries
):
    for _ in range(3):
        ListingFactory(machine=MachineFactory(owner=dealer_org))
    client.force_login(dealer)
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("marketplace:dealer_listings"))
    for _ in range(12):
        ListingFactory(machine=MachineFactory(owner=dealer_org))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("marketplace:dealer_listings"))


def test_hour_reading_form(client, dealer, dealer_org):
    listing = ListingFactory(machine=MachineFactory(owner=dealer_org, current_hours=None))
    machine = listing.machine
    client.force_login(dealer)
    url = reverse("marketplace:machine_hours_add", args=[machine.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"hours": "4300", "note": "月度读数"})
    assert response.status_code == 302
    reading = HourMeterReading.objects.get(machine=machine)
    assert (reading.hours, reading.source, reading.note) == (4300, "seller", "月度读数")
    machine.refresh_from_db()
    assert machine.current_hours == 4300

    response = client.post(url, {"hours": "4000"})
    assert response.status_code == 200
    assert response.context["form"].errors["hours"][0].startswith("小时数不能低于")
    assert HourMeterReading.objects.filter(machine=machine).count() == 1


def test_hour_reading_refused_for_viewer_and_other_org(
    client, dealer_org, dealer_viewer, other_dealer
):
    machine = MachineFactory(owner=dealer_org)
    url = reverse("marketplace:machine_hours_add", args=[machine.pk])
    client.force_login(other_dealer)
    assert client.post(url, {"hours": "9000"}).status_code == 404
    client.force_login(dealer_viewer)
    assert client.post(url, {"hours": "9000"}).status_code == 403
    assert HourMeterReading.objects.count() == 0


def test_relist_and_withdraw_from_manage_page(client, dealer, dealer_org):
    listing = ListingFactory(machine=MachineFactory(owner=dealer_org), status="published")
    client.force_login(dealer)
    client.post(
        reverse("marketplace:listing_action", args=[listing.pk, "withdraw"]),
        {"reason": "已线下售出"},
    )
    listing.refresh_from_db()
    assert listing.status == "withdrawn"
    assert ListingEvent.objects.get(listing=listing).reason == "已线下售出"
    client.post(reverse("marketplace:listing_action", args=[listing.pk, "relist"]))
    listing.refresh_from_db()
    assert listing.status == "draft"


def test_manage_page_links_the_machine_services_for_its_owner(client, dealer, dealer_org):
    listing = ListingFactory(machine=MachineFactory(owner=dealer_org))
    client.force_login(dealer)
    html = client.get(reverse("marketplace:listing_manage", args=[listing.pk])).content.decode()
    machine_id = listing.machine_id
    for url in (
        reverse("certification:passport", args=[machine_id]),
        reverse("certification:request_create", args=[machine_id]),
        reverse("leasing:sale_leaseback_apply", args=[machine_id]),
        reverse("recycling:request_create", args=[machine_id]),
    ):
        assert f'href="{url}"' in html
