"""Every listing transition, allowed and refused; refused ones change nothing."""

from decimal import Decimal

import pytest

from core.errors import ConflictError, DomainError, PermissionDeniedError
from marketplace import services
from marketplace.models import ListingEvent, ListingStatus, SaleChannel, SaleRecord
from marketplace.tests.factories import ListingFactory, MachineFactory, with_photo_set

S = ListingStatus
ALL_STATUSES = list(S)


def _submit(listing, actor):
    return services.listing_submit(listing=listing, actor=actor)


def _publish(listing, actor):
    return services.listing_publish(listing=listing, actor=actor)


def _reject(listing, actor):
    return services.listing_reject(listing=listing, actor=actor, reason="照片不清晰")


def _withdraw(listing, actor):
    return services.listing_withdraw(listing=listing, actor=actor)


def _relist(listing, actor):
    return services.listing_relist(listing=listing, actor=actor)


def _expire(listing, actor):
    return services.listing_expire(listing=listing)


def _reserve(listing, actor):
    return services.listing_reserve(listing=listing, actor=actor)


def _release(listing, actor):
    return services.listing_release(listing=listing, actor=actor)


def _mark_sold(listing, actor):
    services.listing_mark_sold(
        listing=listing, price=Decimal("350000"), channel=SaleChannel.FIXED, buyer=None, actor=actor
    )


# service -> (target status, source statuses it accepts, who acts)
TRANSITIONS = {
    "submit": (_submit, S.SUBMITTED, {S.DRAFT}, "dealer"),
    "publish": (_publish, S.PUBLISHED, {S.SUBMITTED}, "staff"),
    "reject": (_reject, S.REJECTED, {S.SUBMITTED, S.PUBLISHED}, "staff"),
    "withdraw": (_withdraw, S.WITHDRAWN, {S.DRAFT, S.SUBMITTED, S.PUBLISHED}, "dealer"),
    "relist": (_relist, S.DRAFT, {S.REJECTED, S.WITHDRAWN, S.EXPIRED}, "dealer"),
    "expire": (_expire, S.EXPIRED, {S.PUBLISHED}, "staff"),
    "reserve": (_reserve, S.RESERVED, {S.PUBLISHED}, "staff"),
    "release": (_release, S.PUBLISHED, {S.RESERVED}, "staff"),
    "mark_sold": (_mark_sold, S.SOLD, {S.RESERVED}, "staff"),
}
CASES = [
    pytest.param(name, status, status in TRANSITIONS[name][2], id=f"{name}-from-{status}")
    for name in TRANSITIONS
    for status in ALL_STATUSES
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "from_status", "allowed"), CASES)
def test_transition(name, from_status, allowed, dealer, dealer_org, staff):
    service, to_status, _sources, actor_name = TRANSITIONS[name]
    actor = {"dealer": dealer, "staff": staff}[actor_name]
    listing = ListingFactory(machine=MachineFactory(owner=dealer_org), status=from_status)
    with_photo_set(listing)  # submitting asks for it (marketplace.photo_set)
    events_before = ListingEvent.objects.count()

    if allowed:
        service(listing, actor)
        listing.refresh_from_db()
        assert listing.status == to_status
        event = ListingEvent.objects.get(listing=listing)
        assert (event.from_status, event.to_status) == (from_status, to_status)
        assert ListingEvent.objects.count() == events_before + 1
    else:
        with pytest.raises(ConflictError) as excinfo:
            service(listing, actor)
        # Reserving asks the sellability guard first, which names the reason.
        expected = {
            ("reserve", S.RESERVED): "listing_reserved",
            ("reserve", S.SOLD): "listing_sold",
        }.get((name, from_status), "invalid_transition")
        assert excinfo.value.code == expected
        listing.refresh_from_db()
        assert listing.status == from_status
        assert ListingEvent.objects.count() == events_before


@pytest.mark.django_db
def test_table_and_expectations_agree():
    """The test's source sets follow the transitions table (publish/release narrowed)."""
    for name, (_service, to_status, sources, _actor) in TRANSITIONS.items():
        table_sources = {
            src for src, targets in services.LISTING_TRANSITIONS.items() if to_status in targets
        }
        assert sources <= table_sources, name


@pytest.mark.django_db
def test_publish_sets_lifetime_and_submit_clears_rejection(dealer, dealer_org, staff):
    listing = with_photo_set(
        ListingFactory(machine=MachineFactory(owner=dealer_org), status=S.REJECTED)
    )
    listing.rejection_reason = "旧原因"
    listing.save()
    services.listing_relist(listing=listing, actor=dealer)
    listing = services.listing_submit(listing=listing, actor=dealer)
    assert listing.rejection_reason == ""
    assert listing.submitted_at is not None
    listing = services.listing_publish(listing=listing, actor=staff)
    assert listing.expires_at - listing.published_at == services.LISTING_LIFETIME


@pytest.mark.django_db
def test_unverified_seller_cannot_publish_itself(dealer, dealer_org):
    dealer_org.kyc_status = "pending"
    dealer_org.save()
    listing = ListingFactory(machine=MachineFactory(owner=dealer_org), status=S.SUBMITTED)
    with pytest.raises(PermissionDeniedError):
        services.listing_publish(listing=listing, actor=dealer)
    listing.refresh_from_db()
    assert listing.status == S.SUBMITTED
    assert ListingEvent.objects.count() == 0


@pytest.mark.django_db
def test_reject_requires_reason(dealer_org, staff):
    listing = ListingFactory(machine=MachineFactory(owner=dealer_org), status=S.SUBMITTED)
    with pytest.raises(DomainError) as excinfo:
        services.listing_reject(listing=listing, actor=staff, reason="  ")
    assert excinfo.value.fields == {"reason": ["驳回时必须填写原因。"]}
    listing.refresh_from_db()
    assert listing.status == S.SUBMITTED


@pytest.mark.django_db
def test_dealer_cannot_reject(dealer, dealer_org):
    listing = ListingFactory(machine=MachineFactory(owner=dealer_org), status=S.SUBMITTED)
    with pytest.raises(PermissionDeniedError):
        services.listing_reject(listing=listing, actor=dealer, reason="不行")
    listing.refresh_from_db()
    assert listing.status == S.SUBMITTED


@pytest.mark.django_db
def test_second_live_listing_for_machine_is_refused_by_service(dealer, dealer_org):
    machine = MachineFactory(owner=dealer_org)
    ListingFactory(machine=machine, status=S.PUBLISHED)
    draft = with_photo_set(ListingFactory(machine=machine, status=S.DRAFT))
    with pytest.raises(ConflictError) as excinfo:
        services.listing_submit(listing=draft, actor=dealer)
    assert excinfo.value.code == "machine_already_listed"
    draft.refresh_from_db()
    assert draft.status == S.DRAFT
    assert ListingEvent.objects.filter(listing=draft).count() == 0


@pytest.mark.django_db
def test_mark_sold_writes_sale_record_and_transfers(dealer_org, buyer_org, staff):
    listing = ListingFactory(machine=MachineFactory(owner=dealer_org), status=S.RESERVED)
    record = services.listing_mark_sold(
        listing=listing,
        price=Decimal("351234.5"),
        channel=SaleChannel.OFFER,
        buyer=buyer_org,
        actor=staff,
    )
    assert SaleRecord.objects.count() == 1
    assert record.price == Decimal("351234.50")
    assert record.sale_channel == SaleChannel.OFFER
    listing.machine.refresh_from_db()
    assert listing.machine.owner == buyer_org


@pytest.mark.django_db
def test_scrapped_machine_cannot_be_submitted(dealer, dealer_org):
    listing = ListingFactory(machine=MachineFactory(owner=dealer_org, is_scrapped=True))
    with pytest.raises(ConflictError) as excinfo:
        services.listing_submit(listing=listing, actor=dealer)
    assert excinfo.value.code == "machine_scrapped"
    listing.refresh_from_db()
    assert listing.status == S.DRAFT


@pytest.mark.django_db
def test_staff_decisions_notify_listing_managers_in_their_language(dealer, dealer_org, staff):
    from accounts.models import Role
    from accounts.tests.factories import member_of
    from notifications.models import Notification

    english_sales = member_of(dealer_org, Role.SALES, username="sales_en", preferred_language="en")
    member_of(dealer_org, Role.VIEWER, username="viewer")
    listing = ListingFactory(
        machine=MachineFactory(owner=dealer_org), status=S.SUBMITTED, title="SY215C"
    )
    services.listing_reject(listing=listing, actor=staff, reason="缺少小时表照片")
    notes = {n.recipient.username: n for n in Notification.objects.all()}
    assert set(notes) == {"dealer", "sales_en"}
    assert notes["dealer"].title == "挂牌未通过审核：SY215C"
    # in the recipient's language, under the title composed from the catalogue
    assert notes["sales_en"].title == "Listing rejected: 2019 SANY SY215C Excavator"
    assert notes["dealer"].body == "缺少小时表照片"
    assert notes["dealer"].url == f"/dealer/listings/{listing.pk}/"
    assert english_sales.notifications.count() == 1


@pytest.mark.django_db
def test_self_publish_sends_no_notification(dealer, dealer_org):
    from notifications.models import Notification

    dealer_org.is_trusted_seller = True
    dealer_org.save(update_fields=["is_trusted_seller"])
    listing = ListingFactory(machine=MachineFactory(owner=dealer_org), status=S.SUBMITTED)
    services.listing_publish(listing=listing, actor=dealer)
    assert Notification.objects.count() == 0
