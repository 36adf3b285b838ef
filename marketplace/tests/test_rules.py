"""The published marketplace rules at their boundaries: price floor, plausible hours,
corrections of a mistaken reading, and moderation before publishing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import ConflictError, DomainError, PermissionDeniedError
from marketplace import services
from marketplace.models import HourMeterReading, Listing, ListingEvent, ListingStatus, Machine
from marketplace.rules import MarketplaceRules, current_marketplace_rules
from marketplace.services import ListingInput, MachineInput
from marketplace.tests.factories import ListingFactory, MachineFactory

pytestmark = pytest.mark.django_db


def _listing_input(price: str | None, sale_format: str = "fixed") -> ListingInput:
    return ListingInput(
        title="2020年 三一 SY215C",
        sale_format=sale_format,
        asking_price=Decimal(price) if price is not None else None,
    )


def _machine_input(sy215, *, hours: int | None, year: int = 2020, serial="SY-1") -> MachineInput:
    return MachineInput(
        equipment_model=sy215, serial_number=serial, year_of_manufacture=year, city="长沙市",
        hours=hours,
    )  # fmt: skip


def _counts() -> tuple[int, int, int, int]:
    return (
        Machine.objects.count(),
        Listing.objects.count(),
        HourMeterReading.objects.count(),
        ListingEvent.objects.count(),
    )


# --- price floor ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("price", "accepted"),
    [("1", False), ("999.99", False), ("1000.00", True), ("1000.01", True)],
)
def test_price_floor_boundary(dealer, dealer_org, sy215, price, accepted):
    machine = MachineFactory(owner=dealer_org, equipment_model=sy215)
    before = _counts()
    if accepted:
        listing = services.listing_create(machine=machine, actor=dealer, data=_listing_input(price))
        assert listing.asking_price == Decimal(price)
    else:
        with pytest.raises(DomainError) as excinfo:
            services.listing_create(machine=machine, actor=dealer, data=_listing_input(price))
        assert list(excinfo.value.fields) == ["asking_price"]
        assert "¥1,000.00" in excinfo.value.fields["asking_price"][0]
        assert _counts() == before


def test_price_floor_follows_the_setting(dealer, dealer_org, sy215, settings):
    settings.MARKETPLACE_RULES = {"listing_price_floor": Decimal("5000")}
    machine = MachineFactory(owner=dealer_org, equipment_model=sy215)
    with pytest.raises(DomainError):
        services.listing_create(machine=machine, actor=dealer, data=_listing_input("4999.99"))
    listing = services.listing_create(machine=machine, actor=dealer, data=_listing_input("5000"))
    assert listing.asking_price == Decimal("5000.00")


def test_auction_without_price_is_not_subject_to_the_floor(dealer, dealer_org, sy215):
    machine = MachineFactory(owner=dealer_org, equipment_model=sy215)
    listing = services.listing_create(
        machine=machine, actor=dealer, data=_listing_input(None, "auction")
    )
    assert listing.asking_price is None


def test_update_applies_the_floor(dealer, dealer_org):
    listing = ListingFactory(machine=MachineFactory(owner=dealer_org))
    with pytest.raises(DomainError) as excinfo:
        services.listing_update(listing=listing, actor=dealer, data=_listing_input("1"))
    assert "asking_price" in excinfo.value.fields
    listing.refresh_from_db()
    assert listing.asking_price == Decimal("380000.00")


# --- plausible hours --------------------------------------------------------------------------


def test_ceiling_is_the_lower_of_24h_a_day_and_the_category_annual_maximum():
    rules = MarketplaceRules()
    on = dt.date(2021, 1, 1)  # 367 days since 1 January 2020, the first included
    days = 367
    assert rules.max_hours_for(year_of_manufacture=2020, category_slug="excavator", on=on) == int(
        6000 * days / 365.25
    )
    assert rules.max_hours_for(
        year_of_manufacture=2020, category_slug="aerial-work-platform", on=on
    ) == int(3000 * days / 365.25)
    # On the first day of the year the physical ceiling (24 h) is lower than 6000/365.25.
    first = rules.max_hours_for(
        year_of_manufacture=2026, category_slug="excavator", on=dt.date(2026, 1, 1)
    )
    assert first == 16  # int(6000 / 365.25) = 16 < 24
    assert (
        MarketplaceRules(annual_hours_default=20000).max_hours_for(
            year_of_manufacture=2026, category_slug="excavator", on=dt.date(2026, 1, 1)
        )
        == 24
    )
    assert rules.max_hours_for(year_of_manufacture=None, category_slug="x", on=on) == 100_000


def test_999_999_999_hours_on_a_new_listing_is_a_field_error_and_writes_nothing(
    dealer, dealer_org, sy215
):
    before = _counts()
    with pytest.raises(DomainError) as excinfo:
        services.listing_create_with_machine(
            owner=dealer_org,
            actor=dealer,
            machine_data=_machine_input(sy215, hours=999_999_999),
            listing_data=_listing_input("418000"),
        )
    assert excinfo.value.code == "hours_implausible"
    assert list(excinfo.value.fields) == ["hours"]
    assert _counts() == before


def test_hours_at_the_ceiling_accepted_one_above_refused(dealer, dealer_org, sy215):
    year = timezone.localdate().year - 3
    ceiling = current_marketplace_rules().max_hours_for(
        year_of_manufacture=year, category_slug="excavator", on=timezone.localdate()
    )
    before = _counts()
    with pytest.raises(DomainError):
        services.machine_create(
            owner=dealer_org, actor=dealer, data=_machine_input(sy215, hours=ceiling + 1, year=year)
        )
    assert _counts() == before
    machine = services.machine_create(
        owner=dealer_org, actor=dealer, data=_machine_input(sy215, hours=ceiling, year=year)
    )
    assert machine.current_hours == ceiling


def test_declared_reading_above_ceiling_refused(dealer, dealer_org, sy215):
    machine = MachineFactory(owner=dealer_org, equipment_model=sy215, year_of_manufacture=2024)
    before = _counts()
    with pytest.raises(DomainError) as excinfo:
        services.machine_hours_report(machine=machine, actor=dealer, hours=999_999_999)
    assert excinfo.value.fields["hours"]
    assert _counts() == before


def test_annual_maximum_follows_the_setting(dealer, dealer_org, sy215, settings):
    year = timezone.localdate().year - 1
    machine = MachineFactory(owner=dealer_org, equipment_model=sy215, year_of_manufacture=year)
    services.machine_hours_report(machine=machine, actor=dealer, hours=5000)
    settings.MARKETPLACE_RULES = {"annual_hours_default": 1000}
    with pytest.raises(DomainError):
        services.machine_hours_report(machine=machine, actor=dealer, hours=5001)


# --- corrections ------------------------------------------------------------------------------


def _mistaken(machine, dealer, hours=52_000) -> HourMeterReading:
    """A reading the old rules let through: recorded directly, as legacy data would be."""
    return HourMeterReading.objects.create(
        machine=machine, hours=hours, source="seller", recorded_by=dealer,
        read_at=timezone.now() - dt.timedelta(days=3),
    )  # fmt: skip


def test_correction_supersedes_the_reading_and_keeps_it_in_history(dealer, dealer_org):
    machine = MachineFactory(owner=dealer_org, year_of_manufacture=2019, current_hours=None)
    services.hour_reading_record(
        machine=machine, hours=4000, source="seller", actor=dealer,
        read_at=timezone.now() - dt.timedelta(days=30),
    )  # fmt: skip
    services.hour_reading_record(
        machine=machine, hours=40_200, source="seller", actor=dealer,
        read_at=timezone.now() - dt.timedelta(days=3),
    )  # fmt: skip
    wrong = machine.hour_readings.get(hours=40_200)
    machine.refresh_from_db()
    assert (machine.current_hours, machine.hours_anomaly) == (40_200, True)

    correction = services.hour_reading_correct(
        reading=wrong, actor=dealer, hours=4020, reason="多输了一个零"
    )

    machine.refresh_from_db()
    assert (machine.current_hours, machine.hours_anomaly) == (4020, False)
    assert HourMeterReading.objects.filter(machine=machine).count() == 3
    wrong.refresh_from_db()
    assert wrong.hours == 40_200  # the original stays as it was
    assert wrong.correction == correction
    assert (correction.corrects, correction.correction_reason) == (wrong, "多输了一个零")
    assert (correction.recorded_by, correction.read_at) == (dealer, wrong.read_at)
    assert list(machine.hour_readings.effective().values_list("hours", flat=True)) == [4000, 4020]


def test_correction_refusals_change_nothing(dealer, dealer_org, other_dealer, staff):
    machine = MachineFactory(owner=dealer_org, year_of_manufacture=2019)
    wrong = _mistaken(machine, dealer)
    before = _counts()
    with pytest.raises(DomainError) as excinfo:
        services.hour_reading_correct(reading=wrong, actor=dealer, hours=5200, reason="  ")
    assert list(excinfo.value.fields) == ["reason"]
    with pytest.raises(PermissionDeniedError):
        services.hour_reading_correct(reading=wrong, actor=other_dealer, hours=5200, reason="x")
    with pytest.raises(DomainError) as excinfo:
        services.hour_reading_correct(reading=wrong, actor=dealer, hours=999_999, reason="x")
    assert list(excinfo.value.fields) == ["hours"]
    assert _counts() == before

    services.hour_reading_correct(reading=wrong, actor=staff, hours=5200, reason="核对照片")
    with pytest.raises(ConflictError):
        services.hour_reading_correct(reading=wrong, actor=dealer, hours=5300, reason="again")
    assert HourMeterReading.objects.filter(machine=machine).count() == 2


def test_owner_cannot_correct_an_inspection_reading(dealer, dealer_org):
    machine = MachineFactory(owner=dealer_org, year_of_manufacture=2019)
    reading = HourMeterReading.objects.create(machine=machine, hours=5000, source="inspection")
    with pytest.raises(PermissionDeniedError):
        services.hour_reading_correct(reading=reading, actor=dealer, hours=5100, reason="x")
    assert not HourMeterReading.objects.filter(corrects=reading).exists()


def test_correction_page_and_history(client, dealer, dealer_org):
    machine = MachineFactory(owner=dealer_org, year_of_manufacture=2019)
    listing = ListingFactory(machine=machine, status=ListingStatus.PUBLISHED)
    wrong = _mistaken(machine, dealer)
    client.force_login(dealer)
    url = reverse("marketplace:hour_reading_correct", args=[wrong.pk])

    response = client.post(url, {"hours": "999999", "reason": "typo"})
    assert response.status_code == 200
    assert response.context["form"].errors["hours"]
    response = client.post(url, {"hours": "5200", "reason": ""})
    assert response.context["form"].errors["reason"]
    assert HourMeterReading.objects.count() == 1

    response = client.post(url, {"hours": "5200", "reason": "多输了一个零"})
    assert response.status_code == 302
    assert wrong.correction.hours == 5200

    page = client.get(reverse("marketplace:listing_detail", args=[listing.pk])).content.decode()
    assert "多输了一个零" in page
    assert "<s>52,000</s>" in page or "<s>52000</s>" in page  # superseded, still shown
    assert 'class="superseded"' in page


# --- moderation -------------------------------------------------------------------------------


def test_verified_dealer_cannot_publish_without_moderation(dealer, dealer_org):
    assert dealer_org.is_verified and not dealer_org.is_trusted_seller
    listing = ListingFactory(machine=MachineFactory(owner=dealer_org), status="submitted")
    assert services.can_publish_listing(dealer, listing) is False
    with pytest.raises(PermissionDeniedError) as excinfo:
        services.listing_publish(listing=listing, actor=dealer)
    assert excinfo.value.code == "moderation_required"
    listing.refresh_from_db()
    assert listing.status == ListingStatus.SUBMITTED
    assert ListingEvent.objects.count() == 0
    assert "publish" not in services.listing_actions(listing=listing, can_manage=True)


def test_trusted_seller_publishes_directly_staff_always(dealer, dealer_org, staff):
    dealer_org.is_trusted_seller = True
    dealer_org.save(update_fields=["is_trusted_seller"])
    listing = ListingFactory(machine=MachineFactory(owner=dealer_org), status="submitted")
    assert "publish" in services.listing_actions(listing=listing, can_manage=True)
    assert services.listing_publish(listing=listing, actor=dealer).status == "published"
    other = ListingFactory(machine=MachineFactory(owner=dealer_org), status="submitted")
    dealer_org.is_trusted_seller = False
    dealer_org.save(update_fields=["is_trusted_seller"])
    assert services.listing_publish(listing=other, actor=staff).status == "published"


def test_trusted_but_unverified_seller_still_waits(dealer, dealer_org):
    dealer_org.is_trusted_seller = True
    dealer_org.kyc_status = "pending"
    dealer_org.save()
    listing = ListingFactory(machine=MachineFactory(owner=dealer_org), status="submitted")
    with pytest.raises(PermissionDeniedError):
        services.listing_publish(listing=listing, actor=dealer)


# --- the dealer's HTML form -------------------------------------------------------------------


def _create_payload(sy215, **overrides):
    from marketplace.tests.test_dealer_views import create_payload

    return create_payload(sy215, **overrides)


@pytest.mark.parametrize(
    ("field", "value"), [("hours", "999999999"), ("asking_price", "1")], ids=["hours", "price"]
)
def test_create_form_shows_the_rule_as_a_field_error(client, dealer, sy215, field, value):
    client.force_login(dealer)
    before = _counts()
    response = client.post(
        reverse("marketplace:listing_create"), _create_payload(sy215, **{field: value})
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert _counts() == before


def test_trusted_seller_publishes_from_the_manage_page(client, dealer, dealer_org):
    dealer_org.is_trusted_seller = True
    dealer_org.save(update_fields=["is_trusted_seller"])
    listing = ListingFactory(machine=MachineFactory(owner=dealer_org), status="submitted")
    client.force_login(dealer)
    response = client.post(reverse("marketplace:listing_action", args=[listing.pk, "publish"]))
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PUBLISHED


def test_api_listing_detail_says_why_a_machine_cannot_be_bought(client, dealer_org):
    listing = ListingFactory(machine=MachineFactory(owner=dealer_org), status="published")
    url = f"/api/listings/{listing.pk}/"
    assert client.get(url).json()["sale_block"] is None
    Machine.objects.filter(pk=listing.machine_id).update(is_encumbered=True)
    block = client.get(url).json()["sale_block"]
    assert block["code"] == "machine_encumbered"
    assert "融资租赁登记" in block["message"]


def test_daily_anomaly_recompute_ignores_a_superseded_reading(dealer, dealer_org):
    from marketplace.hour_anomalies import machine_hours_anomaly_refresh

    machine = MachineFactory(owner=dealer_org, year_of_manufacture=2019, current_hours=None)
    services.hour_reading_record(
        machine=machine, hours=4000, source="seller", actor=dealer,
        read_at=timezone.now() - dt.timedelta(days=30),
    )  # fmt: skip
    wrong = services.hour_reading_record(
        machine=machine, hours=400, source="seller", actor=dealer,
        read_at=timezone.now() - dt.timedelta(days=3),
    )  # fmt: skip
    assert machine_hours_anomaly_refresh(machine=machine) is True  # a rollback
    services.hour_reading_correct(reading=wrong, actor=dealer, hours=4040, reason="少输了一个零")
    assert machine_hours_anomaly_refresh(machine=machine) is False
