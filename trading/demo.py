"""Demo data of the trading app, called by `manage.py seed_demo` after the marketplace data.

Idempotent: nothing is created when the demo sale already exists. Everything goes through the
real services (qualification, bank-deposit reconciliation, proxy bidding, offers, buy-now) and
the lots, orders and organizations are marked simulated.
"""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Organization, OrganizationKind, Role, User
from marketplace.models import Listing, SaleFormat
from payments.services import bank_transfer_confirm
from trading.models import Sale
from trading.services.auctions import LotTerms, bid_place, qualification_request, sale_create
from trading.services.offers import offer_make
from trading.services.orders import buy_now

SALE_TITLE = "长株潭二手工程机械限时拍卖会（演示）"
SECOND_BUYER = ("buyer2", "周总（买家二）", "株洲路桥建设有限公司（演示）")
D = Decimal


def _opening_bid(listing: Listing) -> Decimal:
    from marketplace.demo import demo_market_value

    value = demo_market_value(listing.machine) or D("200000")
    return (value * D("0.6")).quantize(D("100"))


def _second_buyer() -> User:
    from marketplace.demo.accounts import DEMO_PASSWORD

    username, display, org_name = SECOND_BUYER
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user
    org = Organization.objects.create(
        name=org_name,
        kind=OrganizationKind.BUYER,
        kyc_status="verified",
        province="湖南省",
        city="株洲市",
        is_simulated=True,
    )
    user = User(username=username, display_name=display, email=f"{username}@demo.ironloop.example")
    user.set_password(DEMO_PASSWORD)
    user.save()
    Membership.objects.create(user=user, organization=org, role=Role.BUYER)
    return user


def _qualify(lot, user: User, staff: User | None, limit: Decimal) -> None:
    qualification = qualification_request(
        lot=lot, bidder=user.organization, actor=user, bidding_limit=limit, method="bank"
    )
    payment = qualification.payments.first()
    if staff is not None and payment is not None:
        bank_transfer_confirm(reference=payment.bank_reference, amount=payment.amount, actor=staff)


def seed(*, log: Callable[[str], None]) -> None:
    if Sale.objects.filter(title=SALE_TITLE).exists():
        log("trading: demo sale exists, nothing to do")
        return
    buyer = User.objects.filter(username="buyer").first()
    staff = User.objects.filter(username="staff", is_staff=True).first()
    if buyer is None or buyer.organization is None:
        log("trading: demo buyer missing (run the marketplace demo first), skipped")
        return
    with transaction.atomic():
        buyer2 = _second_buyer()
        buyer_orgs = [buyer.organization.pk, buyer2.organization.pk]
        published = (
            Listing.objects.published()
            .filter(is_simulated=True)
            .exclude(seller_id__in=buyer_orgs)
            # machines the sellability guard refuses (e.g. the demo lease's) are not traded
            .filter(machine__is_encumbered=False, machine__is_scrapped=False)
        )
        auction_listings = list(
            published.filter(sale_format=SaleFormat.AUCTION, lots__isnull=True)[:3]
        )
        if not auction_listings:
            log("trading: no published auction listings to put in the demo sale")
            return
        organizer = (
            Organization.objects.filter(kind=OrganizationKind.PLATFORM).first()
            or auction_listings[0].seller
        )
        now = timezone.now()
        sale = sale_create(
            organizer=organizer,
            actor=None,
            title=SALE_TITLE,
            starts_at=now,
            first_close_at=now + dt.timedelta(days=2),
            lots=[
                LotTerms(
                    listing=listing,
                    opening_bid=_opening_bid(listing),
                    reserve_price=_opening_bid(listing) * D("1.3"),
                )
                for listing in auction_listings
            ],
        )
        Sale.objects.filter(pk=sale.pk).update(is_simulated=True)
        first = sale.lots.order_by("position").first()
        limit = first.opening_bid * 2
        _qualify(first, buyer, staff, limit)
        _qualify(first, buyer2, staff, limit)
        if staff is not None:
            bid_place(
                lot=first,
                bidder=buyer.organization,
                actor=buyer,
                maximum=first.opening_bid * D("1.2"),
            )
            bid_place(
                lot=first,
                bidder=buyer2.organization,
                actor=buyer2,
                maximum=first.opening_bid * D("1.1"),
            )
        offer_listing = published.filter(sale_format=SaleFormat.OFFER, offers__isnull=True).first()
        if offer_listing is not None:
            offer_make(
                listing=offer_listing,
                buyer=buyer.organization,
                actor=buyer,
                amount=(offer_listing.asking_price * D("0.92")).quantize(D("100")),
                message="模拟数据：演示议价",
            )
        fixed_listing = published.filter(sale_format=SaleFormat.FIXED, orders__isnull=True).first()
        if fixed_listing is not None:
            order = buy_now(listing=fixed_listing, buyer=buyer2.organization, actor=buyer2)
            order.is_simulated = True
            order.save(update_fields=["is_simulated"])
    log(f"trading: demo sale with {len(auction_listings)} lots, bids, an offer and an order")
