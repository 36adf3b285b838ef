import datetime as dt
import io
import itertools
from collections import Counter

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db.models import Max
from wagtail.models import Page

from accounts.models import Membership, Organization, OrganizationKind, Role, User
from cms.models import NewsPage, StandardPage
from marketplace.catalog import BRANDS, CATEGORY_TREE, MODELS
from marketplace.demo import seed_marketplace
from marketplace.demo.listings import demo_photo_sets_complete
from marketplace.demo.pricing import PriceInputs, log_value
from marketplace.models import (
    REQUIRED_PHOTO_KINDS,
    Brand,
    Category,
    HourMeterReading,
    Listing,
    ListingEvent,
    ListingPhoto,
    ListingStatus,
    Machine,
    MaintenanceRecord,
    OwnershipTransfer,
    SaleRecord,
    SaleSource,
)

pytestmark = pytest.mark.django_db

SMALL_RUN = {"machines": 60, "sales": 300, "seed": 7}
seeder_calls: list[str] = []


def recording_seeder(*, log) -> None:
    """Stands in for the other apps' seeders: proves they are called with a log function."""
    seeder_calls.append("called")
    log("recording seeder ran")


@pytest.fixture(autouse=True)
def _only_the_recording_seeder(settings):
    settings.DEMO_SEEDERS = ["marketplace.tests.test_seed_demo.recording_seeder"]
    seeder_calls.clear()


def seed_demo(**overrides) -> str:
    out = io.StringIO()
    call_command("seed_demo", **{**SMALL_RUN, **overrides}, stdout=out)
    return out.getvalue()


def seed_market(**overrides) -> None:
    """The marketplace part only (what the invariant tests look at)."""
    options = {**SMALL_RUN, **overrides}
    seed_marketplace(
        machines=options["machines"], sales=options["sales"], seed=options["seed"], log=print
    )


def table_counts() -> dict[str, int]:
    models = [
        Organization,
        User,
        Membership,
        Category,
        Brand,
        Machine,
        Listing,
        ListingEvent,
        ListingPhoto,
        HourMeterReading,
        MaintenanceRecord,
        OwnershipTransfer,
        SaleRecord,
        Page,
    ]
    return {model.__name__: model.objects.count() for model in models}


def test_second_run_creates_nothing_and_everything_is_simulated():
    first_output = seed_demo()
    after_first = table_counts()
    second_output = seed_demo()

    assert table_counts() == after_first
    assert after_first["Machine"] == 60
    assert after_first["Listing"] == 60
    sold = Listing.objects.filter(status=ListingStatus.SOLD).count()
    assert after_first["SaleRecord"] == 300 + sold
    assert not Machine.objects.filter(is_simulated=False).exists()
    assert not Listing.objects.filter(is_simulated=False).exists()
    assert not Organization.objects.filter(is_simulated=False).exists()
    assert set(SaleRecord.objects.values_list("source", flat=True)) == {SaleSource.SIMULATED}
    assert "machines: 60/60 (100%)" in first_output
    assert "machines: nothing new" in second_output
    assert "sale history: nothing new" in second_output
    assert seeder_calls == ["called", "called"]
    assert "recording seeder ran" in second_output


def test_a_larger_rerun_adds_only_the_missing_rows():
    seed_market()
    seed_market(machines=70, sales=350)

    assert Machine.objects.count() == 70
    assert Listing.objects.count() == 70
    assert SaleRecord.objects.filter(external_id__startswith="sim-").count() == 350
    assert Machine.objects.values("serial_number").distinct().count() == 70


def test_catalogue_covers_the_market():
    seed_demo(machines=0, sales=0)

    assert Category.objects.filter(parent__isnull=True).count() == len(CATEGORY_TREE) >= 10
    assert Brand.objects.count() == len(BRANDS) >= 15
    assert Category.objects.filter(models__isnull=False).distinct().count() >= 10
    assert Brand.objects.filter(models__isnull=False).distinct().count() >= 15
    assert Machine.objects.count() == 0


def test_role_logins_exist_with_the_documented_password():
    output = seed_demo(machines=0, sales=0)
    expected = {
        "dealer": (OrganizationKind.DEALER, Role.OWNER),
        "dealer2": (OrganizationKind.DEALER, Role.OWNER),
        "buyer": (OrganizationKind.BUYER, Role.BUYER),
        "lessor": (OrganizationKind.LESSOR, Role.FINANCE),
        "inspector": (OrganizationKind.CERTIFIER, Role.INSPECTOR),
        "recycler": (OrganizationKind.RECYCLER, Role.OWNER),
        "staff": (OrganizationKind.PLATFORM, Role.ADMIN),
    }

    for username, (kind, role) in expected.items():
        user = User.objects.get(username=username)
        membership = user.memberships.select_related("organization").get()
        assert (membership.organization.kind, membership.role) == (kind, role)
        assert membership.organization.is_verified
        assert user.check_password("ironloop-demo")
        assert f"  {username:<10}" in output
    staff = User.objects.get(username="staff")
    assert (staff.is_staff, staff.is_superuser) == (True, True)
    assert User.objects.filter(is_staff=True).count() == 1
    assert Organization.objects.filter(kind=OrganizationKind.DEALER).count() == 2 + 48


def test_listings_follow_the_service_invariants():
    seed_market()
    events = Counter()
    for listing in Listing.objects.prefetch_related("events"):
        chain = [(e.from_status, e.to_status) for e in listing.events.order_by("created_at", "id")]
        events[listing.status] += 1
        assert chain[0] == ("", ListingStatus.DRAFT)
        assert chain[-1][1] == listing.status
        assert all(a[1] == b[0] for a, b in itertools.pairwise(chain))
        if listing.status == ListingStatus.PUBLISHED:
            assert listing.published_at is not None
            assert listing.expires_at == listing.published_at + dt.timedelta(days=90)
            assert listing.seller_id == listing.machine.owner_id
        if listing.sale_format != "auction":
            assert listing.asking_price > 0
    assert events[ListingStatus.PUBLISHED] > 40
    assert {ListingStatus.DRAFT, ListingStatus.SUBMITTED, ListingStatus.SOLD} <= set(events)
    assert Listing.objects.values("machine").distinct().count() == 60


def test_sold_demo_listings_have_a_sale_and_a_new_owner():
    seed_market()
    sold = Listing.objects.filter(status=ListingStatus.SOLD).select_related("machine")

    assert sold.exists()
    for listing in sold:
        record = listing.sale_record
        transfer = OwnershipTransfer.objects.get(machine=listing.machine)
        assert (record.source, record.machine_id) == (SaleSource.SIMULATED, listing.machine_id)
        assert (transfer.from_owner_id, transfer.to_owner_id) == (
            listing.seller_id,
            listing.machine.owner_id,
        )
        assert listing.machine.owner.kind == OrganizationKind.BUYER


def test_current_hours_match_the_latest_reading_and_history_only_rises_unless_flagged():
    seed_market()
    for machine in Machine.objects.prefetch_related("hour_readings"):
        readings = list(machine.hour_readings.order_by("read_at", "id"))
        assert 2 <= len(readings) <= 6
        assert readings[-1].hours == machine.current_hours
        assert readings[-1].source == "seller"
        rises = all(a.hours <= b.hours for a, b in itertools.pairwise(readings))
        assert rises != machine.hours_anomaly
    latest = HourMeterReading.objects.aggregate(latest=Max("read_at"))["latest"]
    assert latest < dt.datetime.now(dt.UTC)
    assert MaintenanceRecord.objects.filter(hours__isnull=True).count() == 0


def test_every_listing_has_the_required_photo_set_in_shared_files():
    seed_market()
    pairs = {
        (m.brand.slug, m.category.root.slug)
        for m in Machine.objects.select_related("brand", "category__parent")
    }
    kinds_by_listing: dict[int, list[str]] = {}
    for listing_id, kind in ListingPhoto.objects.order_by("position").values_list(
        "listing_id", "kind"
    ):
        kinds_by_listing.setdefault(listing_id, []).append(kind)
    names = set(ListingPhoto.objects.values_list("image", flat=True))

    assert ListingPhoto.objects.count() == 60 * 7
    assert len(kinds_by_listing) == 60
    assert all(kinds == list(REQUIRED_PHOTO_KINDS) for kinds in kinds_by_listing.values())
    assert len(names) == len(pairs) * 7 < 60 * 7
    assert all(default_storage.exists(name) for name in names)
    square = ListingPhoto.objects.filter(kind="hour_meter").values_list("width", "height")
    assert set(square) == {(600, 600)}


def test_a_database_seeded_before_the_photo_rule_gets_its_photo_sets_completed():
    seed_market()
    ListingPhoto.objects.exclude(kind="front").delete()
    assert ListingPhoto.objects.count() == 60

    assert demo_photo_sets_complete(log=print) == 60 * 6
    assert demo_photo_sets_complete(log=print) == 0
    fronts = ListingPhoto.objects.filter(kind="front").values_list("position", flat=True)
    assert set(fronts) == {0}
    assert ListingPhoto.objects.count() == 60 * 7


def test_sale_history_spans_years_and_carries_the_snapshot():
    seed_market()
    history = SaleRecord.objects.filter(external_id__startswith="sim-")
    years = set(history.values_list("sold_at__year", flat=True))
    graded = history.exclude(condition_grade="").count()

    assert min(years) == 2019
    assert len(years) >= 6
    assert 0.2 * 300 < graded < 0.5 * 300
    assert not history.filter(base_model="").exists()
    assert not history.filter(attributes={}).exists()
    assert history.filter(province="湖南省").count() > 200
    assert set(history.values_list("category_slug", flat=True)) <= {
        c.slug for c in Category.objects.filter(children__isnull=True)
    }


def test_price_model_never_rises_with_age_or_hours():
    model = next(m for m in MODELS if m.name == "SY215C")
    on = dt.date(2025, 6, 1)

    def value(age: float, hours: int) -> float:
        return log_value(PriceInputs(model=model, age_years=age, hours=hours, sold_on=on))

    ages = [value(age, 5000) for age in (0.5, 1, 2, 5, 10, 20, 40)]
    hours = [value(5, h) for h in (0, 1000, 5000, 20000, 80000)]
    assert ages == sorted(ages, reverse=True)
    assert hours == sorted(hours, reverse=True)
    assert ages[-1] == hours[-1]  # both at the floor share of the new price


def test_editorial_pages_are_created_once():
    seed_demo(machines=0, sales=0)
    seed_demo(machines=0, sales=0)

    for language, notice in (("zh-hans", "模拟数据"), ("en", "simulated data")):
        pages = StandardPage.objects.live().filter(locale__language_code=language)
        slugs = set(pages.values_list("slug", flat=True))
        assert slugs == {"trading-guide", "valuation-rules", "certification-rules"}
        assert NewsPage.objects.live().filter(locale__language_code=language).count() == 3
        assert all(notice in str(page.body[0].value) for page in pages)


def test_negative_counts_are_refused_without_changes():
    with pytest.raises(CommandError, match="zero or more"):
        seed_demo(machines=-1)
    assert Machine.objects.count() == 0
    assert Organization.objects.count() == 0
