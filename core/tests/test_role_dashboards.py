"""Each role's dashboard shows its sections with exact counts, and the header shows that
role's menu (derived from the permission table, never from user names)."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import KycEvent, KycStatus, Organization, OrganizationKind, Role
from accounts.tests.factories import OrganizationFactory, member_of
from certification.models import InspectionReport, InspectionRequest, ReportStatus
from certification.services.inspections import inspection_report_start
from leasing.models import ApplicationStatus
from leasing.tests.factories import LeaseApplicationFactory, LeaseProductFactory
from marketplace.models import ListingStatus, SaleFormat
from marketplace.tests.factories import ListingFactory, MachineFactory, PublishedListingFactory
from payments.services import order_bank_pay
from recycling.models import DisposalQuote, DisposalRequest, DisposalStatus, QuoteStatus
from search.models import SavedSearch
from trading.models import Lot
from trading.services.auctions import bid_place
from trading.services.offers import offer_counter, offer_decline, offer_make
from trading.services.orders import buy_now
from trading.services.watchlist import watchlist_add
from trading.tests.factories import AuctionListingFactory, LotFactory, QualificationFactory

pytestmark = pytest.mark.django_db
D = Decimal


def dashboard(client, user):
    client.force_login(user)
    response = client.get(reverse("dashboard:index"))
    assert response.status_code == 200
    counts = {
        (section.key, item.key): item.count
        for section in response.context["sections"]
        for item in section.items
    }
    return response.content.decode(), counts


def menu_keys(html: str) -> list[str]:
    return re.findall(r'data-menu="([^"]+)"', html)


def section_keys(counts) -> set[str]:
    return {section for section, _item in counts}


@pytest.fixture
def market(dealer_org, dealer, buyer):
    """A dealer's stock with a buyer's orders, offers, bids and watchlist on it."""
    listings = [
        PublishedListingFactory(
            machine__owner=dealer_org, sale_format=SaleFormat.OFFER, asking_price=D("380000")
        )
        for _ in range(8)
    ]
    org = buyer.organization
    orders = [buy_now(listing=listing, buyer=org, actor=buyer) for listing in listings[:2]]
    offers = [
        offer_make(listing=listing, buyer=org, actor=buyer, amount=D("330000"))
        for listing in listings[2:5]
    ]
    offer_counter(offer=offers[1], actor=dealer, amount=D("360000"))
    offer_decline(offer=offers[2], actor=dealer)
    open_lot = LotFactory(listing=AuctionListingFactory(machine__owner=dealer_org))
    closed_lot = LotFactory(listing=AuctionListingFactory(machine__owner=dealer_org))
    for lot in (open_lot, closed_lot):
        QualificationFactory(lot=lot, bidder=org)
        bid_place(lot=lot, bidder=org, actor=buyer, maximum=D("120000"))
    Lot.objects.filter(pk=closed_lot.pk).update(
        status="closed", outcome="reserve_not_met", closed_at=timezone.now()
    )
    for listing in listings[5:8]:
        watchlist_add(user=buyer, listing=listing)
    watchlist_add(user=dealer, listing=listings[5])  # someone else's watchlist
    SavedSearch.objects.create(user=buyer, name="挖掘机", params={"q": "挖掘机"})
    SavedSearch.objects.create(user=buyer, name="装载机", params={"q": "装载机"})
    ListingFactory(machine__owner=dealer_org, status=ListingStatus.DRAFT)
    ListingFactory(
        machine__owner=dealer_org,
        status=ListingStatus.SUBMITTED,
        submitted_at=timezone.now() - dt.timedelta(days=3),
    )
    return {"listings": listings, "orders": orders, "offers": offers}


def test_buyer_dashboard_and_menu(client, market, buyer, lessor_org):
    product = LeaseProductFactory(lessor=lessor_org)
    for index, status in enumerate(
        (ApplicationStatus.SUBMITTED, ApplicationStatus.INFO_REQUESTED, ApplicationStatus.DECLINED)
    ):
        LeaseApplicationFactory(
            applicant=buyer.organization,
            listing=market["listings"][5 + index],
            product=product,
            status=status,
        )
    html, counts = dashboard(client, buyer)
    assert counts == {
        ("marketplace.search", "search.saved"): 2,
        ("marketplace.search", "search"): None,
        ("trading.buying", "orders.to_pay"): 2,
        ("trading.buying", "offers"): 2,
        ("trading.buying", "offers.countered"): 1,
        ("trading.buying", "bids"): 1,
        ("trading.buying", "watchlist"): 3,
        ("leasing.applicant", "applications.open"): 2,
        ("leasing.applicant", "applications.info_requested"): 1,
        ("leasing.applicant", "applications.approved"): 0,
        ("certification.requester", "requests.outgoing"): 0,
    }
    assert menu_keys(html) == [
        "orders",
        "offers",
        "bids",
        "watchlist",
        "search.saved",
        "leasing.applications",
        "inspections",
        "dashboard",
    ]
    assert "我的挂牌" not in html
    assert reverse("marketplace:dealer_listings") not in html
    assert f'href="{reverse("trading:my_bids")}"' in html
    assert f'href="{reverse("trading:watchlist")}"' in html
    assert 'data-count="3"' in html


def test_dealer_dashboard_and_menu(client, market, dealer, dealer_org):
    DisposalRequest.objects.create(machine=MachineFactory(owner=dealer_org), owner=dealer_org)
    html, counts = dashboard(client, dealer)
    assert section_keys(counts) == {
        "marketplace.listings",
        "marketplace.search",
        "trading.buying",
        "trading.selling",
        "leasing.applicant",
        "certification.requester",
        "recycling.owner",
    }
    listings = {key: n for (section, key), n in counts.items() if section == "marketplace.listings"}
    assert listings == {
        "listings.draft": 1,
        "listings.submitted": 1,
        "listings.published": 8,  # six for sale at a price, two auctions
        "listings.reserved": 2,
        "listings.sold": 0,
        "listings.new": None,
    }
    selling = {key: n for (section, key), n in counts.items() if section == "trading.selling"}
    assert selling == {
        "offers.to_answer": 1,
        "orders.awaiting_payment": 2,
        "orders.to_collect": 0,
        "payouts": 0,
    }
    assert counts[("trading.buying", "watchlist")] == 1
    assert counts[("trading.buying", "orders.to_pay")] == 0
    assert counts[("recycling.owner", "requests.open")] == 1
    assert menu_keys(html)[:6] == [
        "listings",
        "listings.new",
        "offers.to_answer",
        "orders.selling",
        "payouts",
        "inspections",
    ]
    assert "我的挂牌" in html
    assert f"{reverse('marketplace:dealer_listings')}?status=reserved" in html


def test_dealer_listing_page_filters_by_status_from_the_dashboard(client, market, dealer):
    client.force_login(dealer)
    response = client.get(reverse("marketplace:dealer_listings") + "?status=reserved")
    rows = re.findall(r'data-listing-id="(\d+)"', response.content.decode())
    assert sorted(int(pk) for pk in rows) == sorted(o.listing_id for o in market["orders"])
    everything = client.get(reverse("marketplace:dealer_listings") + "?status=nonsense")
    assert everything.status_code == 200
    assert len(re.findall(r'data-listing-id="', everything.content.decode())) == 12


def test_lessor_dashboard_and_menu(client, lessor, lessor_org, buyer, market):
    product = LeaseProductFactory(lessor=lessor_org)
    LeaseProductFactory(lessor=lessor_org)
    LeaseProductFactory(lessor=lessor_org, is_active=False)
    LeaseProductFactory()  # another lessor's
    oldest = timezone.now() - dt.timedelta(days=2)
    for index, (status, submitted_at) in enumerate(
        (
            (ApplicationStatus.SUBMITTED, oldest),
            (ApplicationStatus.RESUBMITTED, timezone.now()),
            (ApplicationStatus.INFO_REQUESTED, timezone.now()),
        )
    ):
        LeaseApplicationFactory(
            applicant=buyer.organization,
            listing=market["listings"][5 + index],
            product=product,
            status=status,
            submitted_at=submitted_at,
        )
    html, counts = dashboard(client, lessor)
    assert counts == {
        ("leasing.lessor", "products"): 2,
        ("leasing.lessor", "applications.to_review"): 2,
        ("leasing.lessor", "contracts.active"): 0,
    }
    item = next(item for section in dashboard_sections(client, lessor) for item in section.items)
    assert item.key == "products"
    review = [i for s in dashboard_sections(client, lessor) for i in s.items][1]
    assert review.oldest == oldest
    assert menu_keys(html) == [
        "leasing.products",
        "leasing.review",
        "leasing.contracts",
        "dashboard",
    ]
    assert "我的挂牌" not in html


def dashboard_sections(client, user):
    client.force_login(user)
    return client.get(reverse("dashboard:index")).context["sections"]


def test_certifier_dashboard_and_menu(client, inspector, certifier_org, dealer_org):
    machines = [MachineFactory(owner=dealer_org) for _ in range(4)]
    for machine, status in zip(machines[:3], ["requested", "requested", "accepted"], strict=True):
        InspectionRequest.objects.create(
            machine=machine, requester=dealer_org, certifier=certifier_org, status=status
        )
    inspection_report_start(machine=machines[0], certifier=certifier_org, actor=inspector)
    issued = inspection_report_start(machine=machines[3], certifier=certifier_org, actor=inspector)
    # Counted, not exercised here: the report's own tests cover submitting.
    InspectionReport.objects.filter(pk=issued.pk).update(
        status=ReportStatus.SUBMITTED,
        number="IR-TEST-0001",
        submitted_at=timezone.now(),
        hour_meter_reading=2500,
        grade="B",
    )
    html, counts = dashboard(client, inspector)
    assert counts == {
        ("certification.certifier", "requests.incoming"): 2,
        ("certification.certifier", "requests.accepted"): 1,
        ("certification.certifier", "drafts"): 1,
        ("certification.certifier", "reports.issued"): 1,
        ("certification.certifier", "certificates.issued"): 0,
    }
    assert menu_keys(html) == [
        "certification.requests",
        "certification.drafts",
        "certification.issued",
        "dashboard",
    ]
    assert "我的挂牌" not in html


def test_recycler_dashboard_and_menu(client, dealer_org, dealer):
    recycler_org = OrganizationFactory(kind=OrganizationKind.RECYCLER, name="湘潭回收")
    other_recycler = OrganizationFactory(kind=OrganizationKind.RECYCLER, name="株洲回收")
    recycler = member_of(recycler_org, Role.OWNER, username="recycler")
    requests = [
        DisposalRequest.objects.create(
            machine=MachineFactory(owner=dealer_org), owner=dealer_org, status=status
        )
        for status in ("requested", "quoted", "quoted", "accepted", "cancelled")
    ]
    DisposalQuote.objects.create(request=requests[1], recycler=other_recycler, price=D("9000"))
    DisposalQuote.objects.create(request=requests[2], recycler=recycler_org, price=D("9500"))
    DisposalQuote.objects.create(
        request=requests[3], recycler=recycler_org, price=D("9800"), status=QuoteStatus.ACCEPTED
    )
    html, counts = dashboard(client, recycler)
    assert counts == {
        ("recycling.recycler", "requests.to_quote"): 2,
        ("recycling.recycler", "quotes.offered"): 1,
        ("recycling.recycler", "quotes.to_dismantle"): 1,
    }
    assert menu_keys(html) == ["recycling.requests", "dashboard"]
    assert "我的挂牌" not in html
    _html, dealer_counts = dashboard(client, dealer)
    assert dealer_counts[("recycling.owner", "requests.open")] == 4
    assert dealer_counts[("recycling.owner", "requests.quoted")] == 2
    assert DisposalRequest.objects.filter(status=DisposalStatus.CANCELLED).count() == 1


def test_staff_queues_with_ageing(client, staff, market, buyer):
    order_bank_pay(order=market["orders"][0], actor=buyer)
    waiting = OrganizationFactory(kind=OrganizationKind.BUYER, kyc_status=KycStatus.PENDING)
    KycEvent.objects.create(organization=waiting, from_status="unverified", to_status="pending")
    KycEvent.objects.filter(organization=waiting).update(
        created_at=timezone.now() - dt.timedelta(hours=5)
    )
    OrganizationFactory(kind=OrganizationKind.DEALER, kyc_status=KycStatus.PENDING)
    html, counts = dashboard(client, staff)
    assert counts == {
        ("marketplace.staff", "staff.moderation"): 1,
        ("marketplace.staff", "staff.questions"): 0,
        ("accounts.staff", "staff.kyc"): 2,
        ("payments.staff", "staff.bank_transfers"): 1,
        ("payments.staff", "staff.bank_refunds"): 0,
    }
    items = {i.key: i for s in dashboard_sections(client, staff) for i in s.items}
    assert dt.timedelta(days=3) <= items["staff.moderation"].ageing < dt.timedelta(days=3, hours=1)
    assert dt.timedelta(hours=5) <= items["staff.kyc"].ageing < dt.timedelta(hours=6)
    assert items["staff.bank_refunds"].oldest is None
    assert "最久已等待 3" in html
    assert menu_keys(html) == [
        "staff.moderation",
        "staff.questions",
        "staff.kyc",
        "staff.bank_transfers",
        "staff.bank_refunds",
        "dashboard",
    ]
    assert Organization.objects.filter(kyc_status=KycStatus.PENDING).count() == 2


def test_user_without_organization_sees_no_sections(client, db):
    from accounts.tests.factories import UserFactory

    html, counts = dashboard(client, UserFactory())
    assert counts == {}
    assert menu_keys(html) == ["dashboard"]
    assert "您还不属于任何机构。" in html


def test_dashboard_query_count_does_not_grow_with_data(
    client, market, buyer, dealer, dealer_org, django_assert_num_queries
):
    client.force_login(dealer)
    client.get(reverse("dashboard:index"))  # warm caches (site, content types)
    with django_assert_num_queries(DEALER_DASHBOARD_QUERIES):
        client.get(reverse("dashboard:index"))
    for listing in [PublishedListingFactory(machine__owner=dealer_org) for _ in range(3)]:
        offer_make(listing=listing, buyer=buyer.organization, actor=buyer, amount=D("330000"))
        watchlist_add(user=dealer, listing=listing)
    with django_assert_num_queries(DEALER_DASHBOARD_QUERIES):
        response = client.get(reverse("dashboard:index"))
    counts = {(s.key, i.key): i.count for s in response.context["sections"] for i in s.items}
    assert counts[("trading.selling", "offers.to_answer")] == 4
    assert counts[("trading.buying", "watchlist")] == 4


# Session and user (2), memberships (1, shared by the dashboard and the menu), listings by
# status (1), saved searches (1), buying (4), selling (3), leasing (1), inspections (1),
# disposal requests (1), unread notifications (1).
DEALER_DASHBOARD_QUERIES = 16


CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("who", ["dealer", "buyer", "staff", "inspector", "lessor"])
def test_dashboard_and_menu_in_english(client, market, who, request):
    user = request.getfixturevalue(who)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html, counts = dashboard(client, user)
    assert '<html lang="en">' in html
    assert counts
    chrome = re.findall(r'<section class="card dashboard-section".*?</section>', html, re.S)
    chrome += re.findall(r'<details class="nav-group".*?</details>', html, re.S)
    assert chrome
    untranslated = [text for part in chrome for text in re.findall(r">([^<]+)<", part)]
    assert [text for text in untranslated if CJK.search(text)] == []
