"""Demo data of the recycling app, called by `manage.py seed_demo` after the marketplace data.

Four old simulated machines that are not for sale get a disposal request each, one per stage the
``recycler`` login works with: waiting for quotes, quoted, recycler chosen, dismantled (with an
issued, verifiable disposal certificate). Everything goes through the real services.

Idempotent: a machine that already has a disposal request is not picked again, and nothing is
created once four demo requests exist.
"""

from collections.abc import Callable
from decimal import Decimal

from django.db import transaction

from accounts.models import Membership, Organization, OrganizationKind, Role, User
from marketplace.models import ListingStatus, Machine
from recycling.models import DisposalRequest
from recycling.services import (
    MaterialInput,
    disposal_complete,
    disposal_quote_accept,
    disposal_quote_submit,
    disposal_request_create,
)

STAGES = ("completed", "accepted", "quoted", "requested")  # the oldest machine is dismantled
NOTE = "整机老化，发动机大修不经济，申请报废拆解（模拟数据）"
QUOTE_NOTE = "含上门拆运，钢材按当日废钢价结算（模拟数据）"
# A 20-tonne excavator, by mass (kg): what a dismantling report lists.
MATERIALS = [
    MaterialInput("steel", "recycle", Decimal("15200")),
    MaterialInput("copper", "recycle", Decimal("240")),
    MaterialInput("aluminium", "recycle", Decimal("410")),
    MaterialInput("components", "reuse", Decimal("1800")),
    MaterialInput("fluids", "energy", Decimal("420")),
    MaterialInput("rubber", "energy", Decimal("380")),
    MaterialInput("plastics", "recycle", Decimal("160")),
    MaterialInput("glass", "disposal", Decimal("90")),
]


def _recycler() -> tuple[Organization, User] | None:
    """The marketplace seeder's simulated recycler and its owner (the ``recycler`` login)."""
    membership = (
        Membership.objects.filter(
            organization__kind=OrganizationKind.RECYCLER,
            organization__is_simulated=True,
            role=Role.OWNER,
        )
        .select_related("organization", "user")
        .order_by("id")
        .first()
    )
    return (membership.organization, membership.user) if membership else None


def _owner_user(machine: Machine) -> User | None:
    membership = (
        Membership.objects.filter(organization=machine.owner, role=Role.OWNER)
        .select_related("user")
        .order_by("id")
        .first()
    )
    return membership.user if membership else None


# A machine whose listings all ended like this is not for sale: its owner may scrap it.
ENDED = (ListingStatus.WITHDRAWN, ListingStatus.EXPIRED, ListingStatus.REJECTED)


def _candidates(recycler: Organization):
    """Old simulated machines of other organisations that are not for sale (never listed, or
    every listing withdrawn or expired) and were never offered for disposal, oldest first."""
    return (
        Machine.objects.filter(is_simulated=True, is_scrapped=False, disposal_requests__isnull=True)
        .exclude(listings__status__in=[s for s in ListingStatus.values if s not in ENDED])
        .exclude(owner=recycler)
        .exclude(year_of_manufacture__isnull=True)
        .select_related("owner")
        .order_by("year_of_manufacture", "id")
    )


def seed(*, log: Callable[[str], None]) -> None:
    found = _recycler()
    if found is None:
        log("recycling: no simulated recycler (run the marketplace seeder first); skipped")
        return
    recycler_org, recycler = found
    created = DisposalRequest.objects.filter(note=NOTE).count()
    made = 0
    with transaction.atomic():
        for machine in _candidates(recycler_org).iterator():
            if created + made >= len(STAGES):
                break
            owner = _owner_user(machine)
            if owner is None:
                continue
            _advance(machine, owner, recycler_org, recycler, STAGES[created + made])
            made += 1
    log(f"recycling: {made} disposal requests")


def _advance(
    machine: Machine, owner: User, recycler_org: Organization, recycler: User, stage: str
) -> None:
    request = disposal_request_create(machine=machine, actor=owner, note=NOTE)
    if stage == "requested":
        return
    quote = disposal_quote_submit(
        request=request,
        recycler=recycler_org,
        actor=recycler,
        price=Decimal("38000"),
        note=QUOTE_NOTE,
    )
    if stage == "quoted":
        return
    disposal_quote_accept(quote=quote, actor=owner)
    if stage == "accepted":
        return
    request.refresh_from_db()
    disposal_complete(request=request, actor=recycler, materials=MATERIALS)
