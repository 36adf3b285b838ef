"""Demo listings of the simulated machines, with the events of every status they went
through, the required photo set each (shared placeholder files), and for sold ones the sale
record and the new owner.

Prices are the simulated market's expected value (``pricing.log_value``) with a little noise
and a seller's markup; one listing per machine, found again through its machine.
"""

import datetime as dt
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from marketplace.catalog import CATEGORIES_BY_SLUG, ModelDef
from marketplace.demo.accounts import DemoAccounts
from marketplace.demo.machines import (
    BATCH,
    SERIAL_PREFIX,
    Catalogue,
    Progress,
    bulk_insert,
    root_slug,
)
from marketplace.demo.photos import demo_photo_set_ensure, photo_size
from marketplace.demo.pricing import (
    PriceInputs,
    log_value,
    rng_for,
    round_price,
    sample_condition,
)
from marketplace.models import (
    Listing,
    ListingEvent,
    ListingPhoto,
    ListingStatus,
    Machine,
    OwnershipTransfer,
    SaleFormat,
    SaleRecord,
    SaleSource,
)
from marketplace.photo_set import missing_photo_kinds
from marketplace.sale_records import sale_record_snapshot
from marketplace.services import LISTING_LIFETIME

S = ListingStatus

# The demo dealer's listings walk through every state so each screen has something to show.
DEALER_STATUS_CYCLE = (
    S.DRAFT,
    S.SUBMITTED,
    S.PUBLISHED,
    S.PUBLISHED,
    S.WITHDRAWN,
    S.PUBLISHED,
    S.SOLD,
    S.PUBLISHED,
    S.PUBLISHED,
    S.PUBLISHED,
)
STATUS_WEIGHTS = ((S.PUBLISHED, 0.91), (S.DRAFT, 0.02), (S.SUBMITTED, 0.025), (S.WITHDRAWN, 0.02))
FORMAT_WEIGHTS = ((SaleFormat.FIXED, 0.55), (SaleFormat.OFFER, 0.37), (SaleFormat.AUCTION, 0.08))
ATTACHMENTS = {
    "excavator": ("标准铲斗", "标准铲斗、破碎锤管路", "标准铲斗、快换接头", "岩石斗、破碎锤管路"),
    "wheel-loader": ("标准铲斗", "加大铲斗", "标准铲斗、快换"),
    "backhoe-loader": ("前装载斗、后挖斗",),
    "skid-steer": ("标准铲斗", "标准铲斗、货叉"),
    "forklift": ("标准货叉", "标准货叉、侧移器"),
}


# --- listings --------------------------------------------------------------------------------


@dataclass
class ListingPlan:
    listing: Listing
    events: list[tuple[str, str, dt.datetime]]  # (from, to, at)
    sold_at: dt.datetime | None = None
    sold_price: Decimal | None = None


def _weighted(rng, pairs: Iterable[tuple[str, float]]) -> str:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _status_for(machine: Machine, accounts: DemoAccounts, rng) -> str:
    index = int(machine.serial_number.removeprefix(SERIAL_PREFIX))
    if machine.owner_id in (accounts.orgs["dealer"].pk, accounts.orgs["dealer2"].pk):
        return DEALER_STATUS_CYCLE[index % len(DEALER_STATUS_CYCLE)]
    if rng.random() < 0.025:
        return S.SOLD
    return _weighted(rng, STATUS_WEIGHTS)


def machine_age_years(machine: Machine, on: dt.date) -> float:
    """Age from the year of manufacture, taking mid-year as the build date."""
    return max(on.year - (machine.year_of_manufacture or on.year) + (on.month - 6.5) / 12, 0.1)


def expected_value(machine: Machine, spec: ModelDef, *, on: dt.date, channel: str = "fixed"):
    """The simulated market's expected price (CNY, no noise) for this machine on a date."""
    inputs = PriceInputs(
        model=spec,
        age_years=machine_age_years(machine, on),
        hours=machine.current_hours or 0,
        sold_on=on,
        condition=machine.condition_grade or "C",
        emission_stage=machine.emission_stage,
        accident=machine.accident_history,
        channel=channel,
        city=machine.city,
        remanufactured=machine.is_remanufactured,
    )
    return math.exp(log_value(inputs))


def _title(machine: Machine, spec: ModelDef) -> str:
    root = CATEGORIES_BY_SLUG[spec.root]
    size = f" {spec.weight_t:g}吨" if spec.root == "excavator" and spec.weight_t else ""
    hours = f" {machine.current_hours:,}小时" if machine.current_hours else ""
    name = f"{machine.brand.name} {machine.equipment_model.name} {root.name}{size}"
    return f"{name} {machine.year_of_manufacture}年{hours}"[:120]


CONDITION_PHRASES = {
    "A": "车况近新，外观与底盘磨损很小",
    "B": "车况良好，正常使用痕迹，底盘磨损约一半以内",
    "C": "车况一般，可直接上工，部分易损件需要关注",
    "D": "结构件有修复痕迹，价格已考虑维修成本",
    "E": "适合拆件或整机大修",
}


def _description(machine: Machine, spec: ModelDef, condition: str, rng) -> str:
    emission = machine.get_emission_stage_display()
    parts = [
        "【模拟数据】本条挂牌由演示数据生成器创建，设备、价格和卖家均为虚构，仅用于功能演示。",
        "",
        f"{machine.year_of_manufacture}年出厂，仪表读数约{machine.current_hours or 0:,}小时，"
        f"排放标准{emission}。设备停放在{machine.city}{machine.district}。",
        f"{CONDITION_PHRASES[condition]}。",
    ]
    if spec.power_kw:
        parts.append(f"发动机功率{spec.power_kw:g} kW。")
    if machine.accident_history not in ("none", "unknown"):
        parts.append(f"有{machine.get_accident_history_display()}记录，已如实告知。")
    parts.append(
        rng.choice(
            (
                "定期在服务站保养，保养记录齐全。",
                "一手车主，手续齐全，可现场试机。",
                "欢迎预约看机，支持第三方检测。",
                "可协助办理融资租赁，支持异地看机。",
            )
        )
    )
    return "\n".join(parts)


def _event_chain(status: str, published_at: dt.datetime, rng) -> list[tuple[str, str, dt.datetime]]:
    created = published_at - dt.timedelta(hours=rng.uniform(6, 96))
    submitted = published_at - dt.timedelta(hours=rng.uniform(0.5, 5))
    chain = [("", S.DRAFT, created)]
    if status == S.DRAFT:
        return chain
    chain.append((S.DRAFT, S.SUBMITTED, submitted))
    if status == S.SUBMITTED:
        return chain
    chain.append((S.SUBMITTED, S.PUBLISHED, published_at))
    return chain


def plan_listing(
    *, machine: Machine, spec: ModelDef, seed: int, accounts: DemoAccounts, actor: User | None
) -> ListingPlan:
    rng = rng_for(seed, "listing", machine.serial_number)
    now = timezone.now()
    status = _status_for(machine, accounts, rng)
    sale_format = _weighted(rng, FORMAT_WEIGHTS)
    condition = sample_condition(
        machine_age_years(machine, now.date()), machine.current_hours or 0, rng
    )
    value = expected_value(machine, spec, on=now.date()) * math.exp(rng.gauss(0.0, 0.08))
    markup = 1.10 if sale_format == SaleFormat.OFFER else 1.05
    asking = None if sale_format == SaleFormat.AUCTION else Decimal(round_price(value * markup))
    if status in (S.SOLD, S.WITHDRAWN):
        published_at = now - dt.timedelta(days=rng.uniform(40, 200))
    else:
        published_at = now - dt.timedelta(hours=rng.uniform(0.5, 80 * 24))
    listing = Listing(
        machine=machine,
        seller=machine.owner,
        created_by=actor,
        title=_title(machine, spec),
        sale_format=sale_format,
        asking_price=asking,
        invoice_available=rng.random() < 0.8,
        description=_description(machine, spec, condition, rng),
        attachments=rng.choice(ATTACHMENTS.get(spec.root, ("",))),
        status=status,
        is_simulated=True,
    )
    plan = ListingPlan(listing=listing, events=_event_chain(status, published_at, rng))
    if status != S.DRAFT:
        listing.submitted_at = plan.events[1][2]
    if status in (S.PUBLISHED, S.WITHDRAWN, S.SOLD):
        listing.published_at = published_at
        listing.expires_at = published_at + LISTING_LIFETIME
    if status == S.WITHDRAWN:
        plan.events.append(
            (S.PUBLISHED, S.WITHDRAWN, published_at + dt.timedelta(days=rng.uniform(3, 30)))
        )
    if status == S.SOLD:
        reserved = published_at + dt.timedelta(days=rng.uniform(5, 35))
        plan.sold_at = reserved + dt.timedelta(days=rng.uniform(1, 6))
        plan.events += [(S.PUBLISHED, S.RESERVED, reserved), (S.RESERVED, S.SOLD, plan.sold_at)]
        price = float(asking) * rng.uniform(0.92, 1.0) if asking else value * rng.uniform(0.9, 1.05)
        plan.sold_price = Decimal(round_price(price))
    return plan


def _sale_record(plan: ListingPlan, listing_id: int) -> SaleRecord:
    """The snapshot ``listing_mark_sold`` takes (marketplace.sale_records), for bulk insert."""
    machine = plan.listing.machine
    plan.listing.pk = listing_id  # bulk-inserted: the id comes from the query after insert
    return SaleRecord(
        **sale_record_snapshot(
            machine,
            plan.listing,
            price=plan.sold_price,
            sold_on=timezone.localtime(plan.sold_at).date(),
            source=SaleSource.SIMULATED,
            external_id=f"listing-{machine.serial_number}",
            category_root=root_slug(machine),
        )
    )


def demo_listings_seed(
    *, seed: int, catalogue: Catalogue, accounts: DemoAccounts, log: Callable[[str], None]
) -> int:
    """One listing per simulated machine that has none, with its events, photo and sale."""
    machines = list(
        Machine.objects.filter(is_simulated=True, listings__isnull=True)
        .select_related("equipment_model", "brand", "category", "owner")
        .order_by("id")
    )
    actors = {
        accounts.orgs["dealer"].pk: accounts.users["dealer"],
        accounts.orgs["dealer2"].pk: accounts.users["dealer2"],
    }
    plans = [
        plan_listing(
            machine=m,
            spec=catalogue.specs[m.equipment_model_id],
            seed=seed,
            accounts=accounts,
            actor=actors.get(m.owner_id),
        )
        for m in machines
    ]
    with transaction.atomic():
        bulk_insert(Listing, [p.listing for p in plans], Progress("listings", len(plans), log))
        ids = dict(Listing.objects.filter(machine__in=machines).values_list("machine_id", "id"))
        events = [
            ListingEvent(
                listing_id=ids[p.listing.machine_id],
                from_status=src,
                to_status=dst,
                actor=p.listing.created_by,
                created_at=at,
            )
            for p in plans
            for src, dst, at in p.events
        ]
        bulk_insert(ListingEvent, events, Progress("listing events", len(events), log))
        demo_photo_sets_complete(log)
        _record_sales(plans, ids, accounts, seed, log)
    return len(plans)


def demo_photo_sets_complete(log: Callable[[str], None]) -> int:
    """Give every simulated listing a photo of each required kind it lacks (shared placeholder
    files), so demo listings satisfy the submit rule (marketplace.photo_set). Also tops up a
    database seeded before the rule, which had the front photo only. Returns the rows added."""
    listings = list(
        Listing.objects.filter(is_simulated=True)
        .select_related("machine__brand", "machine__category")
        .order_by("id")
    )
    present: dict[int, set[str]] = {}
    positions: dict[int, int] = {}
    for listing_id, kind, position in ListingPhoto.objects.filter(
        listing__is_simulated=True
    ).values_list("listing_id", "kind", "position"):
        present.setdefault(listing_id, set()).add(kind)
        positions[listing_id] = max(positions.get(listing_id, -1), position)
    files: dict[tuple[str, str], dict[str, str]] = {}
    rows = []
    for listing in listings:
        missing = missing_photo_kinds(present.get(listing.pk, ()))
        if not missing:
            continue
        pair = (listing.machine.brand.slug, root_slug(listing.machine))
        if pair not in files:
            files[pair] = demo_photo_set_ensure(*pair)
        start = positions.get(listing.pk, -1) + 1
        for offset, kind in enumerate(missing):
            width, height = photo_size(kind)
            rows.append(
                ListingPhoto(
                    listing_id=listing.pk,
                    image=files[pair][kind],
                    width=width,
                    height=height,
                    kind=kind,
                    position=start + offset,
                )
            )
    bulk_insert(ListingPhoto, rows, Progress("listing photos", len(rows), log))
    return len(rows)


def _record_sales(plans, ids, accounts, seed, log) -> None:
    """Sold demo listings: a SaleRecord, an ownership transfer and the new owner."""
    sold = [p for p in plans if p.listing.status == S.SOLD]
    records, transfers, machines = [], [], []
    for plan in sold:
        machine = plan.listing.machine
        records.append(_sale_record(plan, ids[machine.pk]))
        buyer = rng_for(seed, "buyer", machine.serial_number).choice(accounts.buyers)
        transfers.append(
            OwnershipTransfer(
                machine=machine,
                from_owner=machine.owner,
                to_owner=buyer,
                transferred_at=plan.sold_at,
                reason="sale",
            )
        )
        machine.owner = buyer
        machines.append(machine)
    bulk_insert(SaleRecord, records, Progress("sales of demo listings", len(records), log))
    OwnershipTransfer.objects.bulk_create(transfers, batch_size=BATCH)
    Machine.objects.bulk_update(machines, ["owner"], batch_size=BATCH)
