"""Writes for the marketplace: machines, hour readings, listings and their state machine.

Every transition locks the listing row, checks the source state against
``LISTING_TRANSITIONS``, checks the actor's permission, saves with ``update_fields`` and
writes a ``ListingEvent`` in the same transaction. Search learns of the change after commit.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from accounts.models import Organization, User
from accounts.permissions import (
    Permission,
    has_org_permission,
    is_platform_staff,
    require_org_permission,
    require_platform_staff,
    require_verified,
)
from core.errors import ConflictError, DomainError, PermissionDeniedError
from core.geo import find_city
from core.money import format_cny, quantize_money
from core.storage import save_deleted_on_rollback
from core.uploads import clean_image_upload
from marketplace.events import listing_changed
from marketplace.hour_anomalies import machine_hours_anomaly_refresh
from marketplace.lock_objects import listing_lock, machine_lock
from marketplace.models import (
    Category,
    EquipmentModel,
    HourMeterReading,
    HourReadingSource,
    Listing,
    ListingEvent,
    ListingPhoto,
    ListingStatus,
    Machine,
    MaintenanceRecord,
    OwnershipTransfer,
    SaleFormat,
    SaleRecord,
    SaleSource,
)
from marketplace.rules import current_marketplace_rules
from marketplace.sale_records import sale_record_snapshot
from marketplace.sellability import require_listing_sellable, require_machine_sellable

S = ListingStatus
LISTING_TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED, S.WITHDRAWN},
    S.SUBMITTED: {S.PUBLISHED, S.REJECTED, S.WITHDRAWN},
    S.PUBLISHED: {S.RESERVED, S.WITHDRAWN, S.EXPIRED, S.REJECTED},
    S.RESERVED: {S.SOLD, S.PUBLISHED},
    S.REJECTED: {S.DRAFT},
    S.WITHDRAWN: {S.DRAFT},
    S.EXPIRED: {S.DRAFT},
    S.SOLD: set(),
}
EDITABLE_STATUSES = {S.DRAFT, S.REJECTED}
# Notification titles: marked here, translated per recipient when sent.
LISTING_APPROVED_TITLE = gettext_noop("挂牌已通过审核并发布：%(title)s")
LISTING_REJECTED_TITLE = gettext_noop("挂牌未通过审核：%(title)s")
LISTING_LIFETIME = dt.timedelta(days=90)
MAX_PHOTOS_PER_LISTING = 30
# Enough for a full dealer write-up; the column is unbounded text, so the limit lives here.
MAX_DESCRIPTION_LENGTH = 5000
DESCRIPTION_TOO_LONG = gettext_lazy(
    "描述不能超过 %(limit_value)d 个字符（现有 %(show_value)d 个）。"
)


# --- machines -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MachineInput:
    equipment_model: EquipmentModel
    serial_number: str
    year_of_manufacture: int | None
    city: str
    hours: int | None = None
    emission_stage: str = ""
    district: str = ""
    accident_history: str = "none"


@transaction.atomic
def machine_create(
    *, owner: Organization, actor: User, data: MachineInput, is_simulated: bool = False
) -> Machine:
    require_org_permission(actor, owner, Permission.LISTING_MANAGE)
    city = find_city(data.city)
    current_year = timezone.localdate().year
    if data.year_of_manufacture and data.year_of_manufacture > current_year:
        raise DomainError(
            _("出厂年份不能晚于今年。"),
            fields={"year_of_manufacture": [_("出厂年份不能晚于今年。")]},
        )
    machine = Machine(
        equipment_model=data.equipment_model,
        brand=data.equipment_model.brand,
        category=data.equipment_model.category,
        serial_number=data.serial_number.strip().upper(),
        year_of_manufacture=data.year_of_manufacture,
        emission_stage=data.emission_stage,
        owner=owner,
        province=city.province if city else owner.province,
        city=city.name if city else data.city,
        district=data.district,
        latitude=Decimal(str(city.latitude)) if city else None,
        longitude=Decimal(str(city.longitude)) if city else None,
        accident_history=data.accident_history,
        is_simulated=is_simulated,
    )
    if data.hours is not None:
        check_hours_plausible(
            hours=data.hours,
            year_of_manufacture=data.year_of_manufacture,
            category=machine.category,
            read_at=timezone.now(),
        )
    if Machine.objects.filter(brand=machine.brand, serial_number=machine.serial_number).exists():
        raise DomainError(
            _("该品牌下已存在相同出厂编号的设备。"),
            fields={"serial_number": [_("该品牌下已存在相同出厂编号的设备。")]},
        )
    machine.save()
    if data.hours is not None:
        hour_reading_record(
            machine=machine, hours=data.hours, source=HourReadingSource.SELLER, actor=actor
        )
    return machine


def check_hours_plausible(
    *,
    hours: int,
    year_of_manufacture: int | None,
    category: Category,
    read_at: dt.datetime,
    field: str = "hours",
) -> None:
    """Refuse a reading the machine cannot have reached by ``read_at`` (see marketplace.rules).

    Ceilings: 24 h per day and the category's annual maximum, both counted from 1 January of
    the year of manufacture; an unknown year is bounded by the absolute maximum."""
    if hours < 0:
        raise DomainError(_("小时数不能为负数。"), fields={field: [_("小时数不能为负数。")]})
    rules = current_marketplace_rules()
    ceiling = rules.max_hours_for(
        year_of_manufacture=year_of_manufacture,
        category_slug=category.root.slug,
        on=timezone.localtime(read_at).date(),
    )
    if hours > ceiling:
        message = _(
            "小时数 %(hours)s 不可能：按出厂年份和设备类别，到读数日期最多 %(max)s 小时。"
        ) % {"hours": f"{hours:,}", "max": f"{ceiling:,}"}
        raise DomainError(message, code="hours_implausible", fields={field: [message]})


def _refresh_machine_hours(machine: Machine) -> None:
    """Current hours and the anomaly flag from the readings in force (corrections applied)."""
    readings = list(machine.hour_readings.effective().order_by("read_at", "id"))
    latest = max(readings, key=lambda r: (r.read_at, r.id)) if readings else None
    current = latest.hours if latest is not None else None
    Machine.objects.filter(pk=machine.pk).update(current_hours=current)
    machine.current_hours = current
    machine_hours_anomaly_refresh(machine=machine, readings=readings, reindex=False)
    for listing_id in machine.listings.live().values_list("id", flat=True):
        listing_changed(listing_id)


def hour_reading_record(
    *,
    machine: Machine,
    hours: int,
    source: str,
    actor: User | None,
    read_at: dt.datetime | None = None,
    note: str = "",
) -> HourMeterReading:
    """Append a reading. Readings are never edited; a correction is a new reading
    (:func:`hour_reading_correct`).

    A reading above what the machine can physically have run is refused. Also refreshes the
    machine's current hours and its hours-anomaly flag (rollbacks, implausible jumps), so
    buyers see a suspicious meter as soon as the reading lands.
    """
    read_at = read_at or timezone.now()
    check_hours_plausible(
        hours=hours,
        year_of_manufacture=machine.year_of_manufacture,
        category=machine.category,
        read_at=read_at,
    )
    with transaction.atomic():
        reading = HourMeterReading.objects.create(
            machine=machine,
            hours=hours,
            source=source,
            recorded_by=actor,
            read_at=read_at,
            note=note,
        )
        _refresh_machine_hours(machine)
    return reading


def can_correct_reading(user: User | None, reading: HourMeterReading) -> bool:
    """Staff correct any reading; the owner corrects the readings it declared itself."""
    if is_platform_staff(user):
        return True
    return reading.source == HourReadingSource.SELLER and has_org_permission(
        user, reading.machine.owner, Permission.LISTING_MANAGE
    )


@transaction.atomic
def hour_reading_correct(
    *, reading: HourMeterReading, actor: User, hours: int, reason: str
) -> HourMeterReading:
    """Supersede a mistaken reading with a corrected one at the same time, saying why.

    The original stays in the history (shown as superseded) and stops counting for the
    current hours and the anomaly flag. A correction can itself be corrected.
    """
    machine = machine_lock(reading.machine_id)
    reading = HourMeterReading.objects.select_related("machine__owner").get(pk=reading.pk)
    if not can_correct_reading(actor, reading):
        raise PermissionDeniedError(_("只有设备所有人（其申报的读数）或平台人员可以更正读数。"))
    reason = (reason or "").strip()
    if not reason:
        message = _("更正读数时必须填写原因。")
        raise DomainError(message, code="reason_required", fields={"reason": [message]})
    if HourMeterReading.objects.filter(corrects=reading).exists():
        raise ConflictError(_("该读数已被更正。"), code="already_corrected")
    check_hours_plausible(
        hours=hours,
        year_of_manufacture=machine.year_of_manufacture,
        category=machine.category,
        read_at=reading.read_at,
    )
    correction = HourMeterReading.objects.create(
        machine=machine,
        hours=hours,
        source=reading.source,
        recorded_by=actor,
        read_at=reading.read_at,
        note=reading.note,
        corrects=reading,
        correction_reason=reason[:200],
    )
    _refresh_machine_hours(machine)
    return correction


@transaction.atomic
def maintenance_record_add(
    *,
    machine: Machine,
    actor: User,
    performed_on: dt.date,
    kind: str,
    description: str,
    hours: int | None = None,
    performed_by: str = "",
    cost: Decimal | None = None,
) -> MaintenanceRecord:
    require_org_permission(actor, machine.owner, Permission.LISTING_MANAGE)
    record = MaintenanceRecord.objects.create(
        machine=machine,
        performed_on=performed_on,
        kind=kind,
        description=description,
        hours=hours,
        performed_by=performed_by,
        cost=cost,
    )
    if hours is not None:
        hour_reading_record(
            machine=machine,
            hours=hours,
            source=HourReadingSource.SERVICE,
            actor=actor,
            read_at=timezone.make_aware(dt.datetime.combine(performed_on, dt.time(12))),
        )
    return record


# --- listing predicates ---------------------------------------------------------------------


def can_manage_listing(user: User | None, listing: Listing) -> bool:
    return has_org_permission(user, listing.seller, Permission.LISTING_MANAGE)


def can_edit_listing(user: User | None, listing: Listing) -> bool:
    return listing.status in EDITABLE_STATUSES and can_manage_listing(user, listing)


def can_transition(listing: Listing, to_status: str) -> bool:
    return to_status in LISTING_TRANSITIONS[listing.status]


def seller_publishes_directly(organization: Organization) -> bool:
    """Publishing always passes moderation, unless staff marked the seller trusted."""
    return organization.is_verified and organization.is_trusted_seller


def can_publish_listing(user: User | None, listing: Listing) -> bool:
    """Staff approve; a trusted seller (marked by staff) may publish its own listing."""
    if not can_transition(listing, S.PUBLISHED) or listing.status != S.SUBMITTED:
        return False
    if is_platform_staff(user):
        return True
    return seller_publishes_directly(listing.seller) and can_manage_listing(user, listing)


def can_submit_listing(user: User | None, listing: Listing) -> bool:
    return can_transition(listing, S.SUBMITTED) and can_manage_listing(user, listing)


def can_withdraw_listing(user: User | None, listing: Listing) -> bool:
    if not can_transition(listing, S.WITHDRAWN):
        return False
    return is_platform_staff(user) or can_manage_listing(user, listing)


def can_relist_listing(user: User | None, listing: Listing) -> bool:
    return (
        listing.status != S.DRAFT
        and can_transition(listing, S.DRAFT)
        and can_manage_listing(user, listing)
    )


def listing_actions(*, listing: Listing, can_manage: bool, is_staff: bool = False) -> list[str]:
    """The seller-side actions shown for a listing, without a query per predicate.

    Mirrors the ``can_*`` predicates for pages that list many listings at once; the
    services still check everything again when the action is posted.
    """
    if not can_manage:
        return []
    actions = []
    if listing.status in EDITABLE_STATUSES:
        actions.append("edit")
    if can_transition(listing, S.SUBMITTED):
        actions.append("submit")
    if listing.status == S.SUBMITTED and (is_staff or seller_publishes_directly(listing.seller)):
        actions.append("publish")
    if can_transition(listing, S.WITHDRAWN):
        actions.append("withdraw")
    if listing.status != S.DRAFT and can_transition(listing, S.DRAFT):
        actions.append("relist")
    return actions


# --- listing writes -------------------------------------------------------------------------


@dataclass(frozen=True)
class ListingInput:
    title: str
    sale_format: str
    asking_price: Decimal | None
    description: str = ""
    invoice_available: bool = True
    attachments: str = ""


def _validate_listing_input(data: ListingInput) -> None:
    errors: dict[str, list[str]] = {}
    if not data.title.strip():
        errors["title"] = [_("请填写标题。")]
    if len(data.description) > MAX_DESCRIPTION_LENGTH:
        errors["description"] = [
            DESCRIPTION_TOO_LONG
            % {"limit_value": MAX_DESCRIPTION_LENGTH, "show_value": len(data.description)}
        ]
    if data.sale_format not in SaleFormat.values:
        errors["sale_format"] = [_("未知的销售方式。")]
    if data.asking_price is None and data.sale_format != SaleFormat.AUCTION:
        errors["asking_price"] = [_("一口价和议价必须填写价格。")]
    floor = current_marketplace_rules().listing_price_floor
    if data.asking_price is not None and data.asking_price < floor:
        errors["asking_price"] = [
            _("价格不能低于 %(floor)s（平台公开的挂牌最低价）。") % {"floor": format_cny(floor)}
        ]
    if errors:
        raise DomainError(_("请检查填写的内容。"), fields=errors)


def _ensure_machine_listable(machine: Machine) -> None:
    """Drafts may be prepared for an encumbered machine (the lease may be paid off first);
    a scrapped machine cannot be listed at all. Submitting and publishing apply the full
    sellability guard (marketplace.sellability)."""
    if machine.is_scrapped:
        raise ConflictError(_("该设备已报废，不能挂牌。"), code="machine_scrapped")


def _fresh_machine(listing: Listing) -> Machine:
    """The machine as stored now: encumbrance may have changed since the listing was read."""
    return Machine.objects.get(pk=listing.machine_id)


@transaction.atomic
def listing_create(
    *, machine: Machine, actor: User, data: ListingInput, is_simulated: bool = False
) -> Listing:
    require_org_permission(actor, machine.owner, Permission.LISTING_MANAGE)
    _ensure_machine_listable(machine)
    _validate_listing_input(data)
    listing = Listing.objects.create(
        machine=machine,
        seller=machine.owner,
        created_by=actor,
        title=data.title.strip(),
        sale_format=data.sale_format,
        asking_price=quantize_money(data.asking_price) if data.asking_price else None,
        description=data.description,
        invoice_available=data.invoice_available,
        attachments=data.attachments,
        is_simulated=is_simulated,
    )
    ListingEvent.objects.create(listing=listing, from_status="", to_status=S.DRAFT, actor=actor)
    return listing


@transaction.atomic
def listing_create_with_machine(
    *, owner: Organization, actor: User, machine_data: MachineInput, listing_data: ListingInput
) -> Listing:
    """The dealer's one-form flow: register a new machine and draft its listing together.

    Both rows are written in one transaction, so a refused listing leaves no orphan machine.
    """
    _validate_listing_input(listing_data)
    machine = machine_create(owner=owner, actor=actor, data=machine_data)
    return listing_create(machine=machine, actor=actor, data=listing_data)


@transaction.atomic
def machine_hours_report(
    *,
    machine: Machine,
    actor: User,
    hours: int,
    read_at: dt.datetime | None = None,
    note: str = "",
) -> HourMeterReading:
    """The owner declares an hour-meter reading (source: seller).

    A declared reading may not go below an earlier reading or lie in the future: a meter that
    was replaced is recorded by an inspection, not by the seller.
    """
    require_org_permission(actor, machine.owner, Permission.LISTING_MANAGE)
    machine = machine_lock(machine.pk)
    read_at = read_at or timezone.now()
    if read_at > timezone.now() + dt.timedelta(minutes=5):
        raise DomainError(
            _("读数时间不能晚于现在。"), fields={"read_at": [_("读数时间不能晚于现在。")]}
        )
    earlier = (
        machine.hour_readings.effective()
        .filter(read_at__lte=read_at)
        .order_by("-read_at", "-id")
        .first()
    )
    if earlier is not None and hours < earlier.hours:
        message = _("小时数不能低于 %(date)s 的读数 %(hours)d 小时。") % {
            "date": timezone.localtime(earlier.read_at).date().isoformat(),
            "hours": earlier.hours,
        }
        raise DomainError(message, code="hours_decreased", fields={"hours": [message]})
    return hour_reading_record(
        machine=machine,
        hours=hours,
        source=HourReadingSource.SELLER,
        actor=actor,
        read_at=read_at,
        note=note,
    )


@transaction.atomic
def listing_update(*, listing: Listing, actor: User, data: ListingInput) -> Listing:
    listing = listing_lock(listing.pk)
    require_org_permission(actor, listing.seller, Permission.LISTING_MANAGE)
    if listing.status not in EDITABLE_STATUSES:
        raise ConflictError(_("只有草稿或未通过审核的挂牌可以编辑。"), code="not_editable")
    _validate_listing_input(data)
    listing.title = data.title.strip()
    listing.sale_format = data.sale_format
    listing.asking_price = quantize_money(data.asking_price) if data.asking_price else None
    listing.description = data.description
    listing.invoice_available = data.invoice_available
    listing.attachments = data.attachments
    listing.save(
        update_fields=[
            "title",
            "sale_format",
            "asking_price",
            "description",
            "invoice_available",
            "attachments",
            "updated_at",
        ]
    )
    return listing


@transaction.atomic
def listing_photo_add(
    *, listing: Listing, actor: User, upload: UploadedFile, kind: str = "other"
) -> ListingPhoto:
    listing = listing_lock(listing.pk)
    require_org_permission(actor, listing.seller, Permission.LISTING_MANAGE)
    if listing.status in {S.SOLD}:
        raise ConflictError(_("已售出的挂牌不能再添加照片。"))
    if listing.photos.count() >= MAX_PHOTOS_PER_LISTING:
        raise ConflictError(_("每个挂牌最多 %(n)d 张照片。") % {"n": MAX_PHOTOS_PER_LISTING})
    try:
        clean = clean_image_upload(upload)
    except ValidationError as exc:
        raise DomainError(
            exc.messages[0], code="invalid_image", fields={"image": exc.messages}
        ) from exc
    position = listing.photos.count()
    photo = ListingPhoto(listing=listing, kind=kind, position=position)
    # A batch refused later (or any rollback) takes the file with it (core.storage).
    save_deleted_on_rollback(photo.image, clean.content.name, clean.content)
    photo.save()
    listing_changed(listing.pk)
    return photo


@transaction.atomic
def listing_photo_delete(*, photo: ListingPhoto, actor: User) -> None:
    require_org_permission(actor, photo.listing.seller, Permission.LISTING_MANAGE)
    listing_id = photo.listing_id
    photo.image.delete(save=False)
    photo.delete()
    listing_changed(listing_id)


def _transition(
    *,
    listing: Listing,
    to_status: str,
    actor: User | None,
    reason: str = "",
    extra_fields: dict | None = None,
    sources: set[str] | None = None,
    is_locked: bool = False,
) -> Listing:
    """Lock, check the source state, save, write the event, mark for reindex.

    ``sources`` narrows the table for services that share a target state (publishing a
    submitted listing and releasing a reserved one both lead to "published").
    ``is_locked``: the caller already holds ``listing`` from ``listing_lock`` in this
    transaction (and checked what it needed under that lock).
    """
    locked = listing if is_locked else listing_lock(listing.pk, related=("seller", "machine"))
    if not can_transition(locked, to_status) or (
        sources is not None and locked.status not in sources
    ):
        raise ConflictError(
            _("挂牌状态不能从“%(src)s”变为“%(dst)s”。")
            % {"src": locked.get_status_display(), "dst": ListingStatus(to_status).label},
            code="invalid_transition",
        )
    from_status = locked.status
    locked.status = to_status
    fields = ["status", "updated_at"]
    for name, value in (extra_fields or {}).items():
        setattr(locked, name, value)
        fields.append(name)
    try:
        with transaction.atomic():
            locked.save(update_fields=fields)
    except IntegrityError as exc:
        raise ConflictError(
            _("该设备已有一个在售或待审核的挂牌。"), code="machine_already_listed"
        ) from exc
    ListingEvent.objects.create(
        listing=locked, from_status=from_status, to_status=to_status, actor=actor, reason=reason
    )
    listing_changed(locked.pk)
    return locked


def _notify_sellers(listing: Listing, *, kind: str, title: str, body: str = "") -> None:
    """Tell the seller's listing managers about a staff decision, each in their language."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    from notifications.services import notification_send

    url = reverse("marketplace:listing_manage", args=[listing.pk])
    memberships = listing.seller.memberships.select_related("user").order_by("id")
    for membership in memberships:
        if not has_org_permission(membership.user, listing.seller, Permission.LISTING_MANAGE):
            continue
        language = membership.user.preferred_language or settings.LANGUAGE_CODE
        with translation.override(language):
            notification_send(
                recipient=membership.user,
                kind=kind,
                title=_(title) % {"title": listing.title},
                body=body,
                url=url,
            )


@transaction.atomic
def listing_submit(*, listing: Listing, actor: User) -> Listing:
    require_org_permission(actor, listing.seller, Permission.LISTING_MANAGE)
    require_verified(listing.seller, _("机构完成实名认证后才能提交挂牌。"))
    require_machine_sellable(_fresh_machine(listing))
    if listing.sale_format != SaleFormat.AUCTION and listing.asking_price is None:
        raise DomainError(_("提交前请填写价格。"), code="price_required")
    return _transition(
        listing=listing,
        to_status=S.SUBMITTED,
        actor=actor,
        extra_fields={"submitted_at": timezone.now(), "rejection_reason": ""},
    )


@transaction.atomic
def listing_publish(*, listing: Listing, actor: User) -> Listing:
    """Staff approval, or direct publication by a seller staff marked trusted.

    Every other seller's listing waits in the moderation queue, verified or not."""
    listing = Listing.objects.select_related("seller", "machine").get(pk=listing.pk)
    if not is_platform_staff(actor):
        require_org_permission(actor, listing.seller, Permission.LISTING_MANAGE)
        if not seller_publishes_directly(listing.seller):
            raise PermissionDeniedError(
                _("挂牌须经平台审核后发布（平台认定的信誉卖家除外），请等待审核。"),
                code="moderation_required",
            )
    require_machine_sellable(_fresh_machine(listing))
    now = timezone.now()
    published = _transition(
        listing=listing,
        to_status=S.PUBLISHED,
        actor=actor,
        extra_fields={"published_at": now, "expires_at": now + LISTING_LIFETIME},
        sources={S.SUBMITTED},
    )
    if is_platform_staff(actor):
        _notify_sellers(published, kind="listing_approved", title=LISTING_APPROVED_TITLE)
    return published


@transaction.atomic
def listing_reject(*, listing: Listing, actor: User, reason: str) -> Listing:
    require_platform_staff(actor)
    if not reason.strip():
        raise DomainError(
            _("驳回时必须填写原因。"),
            code="reason_required",
            fields={"reason": [_("驳回时必须填写原因。")]},
        )
    rejected = _transition(
        listing=listing,
        to_status=S.REJECTED,
        actor=actor,
        reason=reason,
        extra_fields={"rejection_reason": reason},
    )
    _notify_sellers(rejected, kind="listing_rejected", title=LISTING_REJECTED_TITLE, body=reason)
    return rejected


@transaction.atomic
def listing_withdraw(*, listing: Listing, actor: User, reason: str = "") -> Listing:
    if not is_platform_staff(actor):
        require_org_permission(actor, listing.seller, Permission.LISTING_MANAGE)
    return _transition(listing=listing, to_status=S.WITHDRAWN, actor=actor, reason=reason)


@transaction.atomic
def listing_relist(*, listing: Listing, actor: User) -> Listing:
    """Bring a withdrawn, expired or rejected listing back to draft for editing."""
    require_org_permission(actor, listing.seller, Permission.LISTING_MANAGE)
    _ensure_machine_listable(listing.machine)
    return _transition(
        listing=listing,
        to_status=S.DRAFT,
        actor=actor,
        extra_fields={"published_at": None, "expires_at": None},
    )


@transaction.atomic
def listing_expire(*, listing: Listing) -> Listing:
    return _transition(listing=listing, to_status=S.EXPIRED, actor=None, reason="lifetime ended")


def listings_expire_due(*, now: dt.datetime | None = None) -> int:
    """Expire published listings whose lifetime ended (called by a scheduled task)."""
    now = now or timezone.now()
    expired = 0
    due = Listing.objects.published().filter(
        expires_at__lte=now, sale_format__in=[SaleFormat.FIXED, SaleFormat.OFFER]
    )
    for listing in due.only("id"):
        listing_expire(listing=listing)
        expired += 1
    return expired


@transaction.atomic
def listing_reserve(*, listing: Listing, actor: User | None, reason: str = "") -> Listing:
    """Take a listing off the market while an order is open (called by trading services).

    Refused (ConflictError with the sale-block reason as code) for a machine that cannot be
    sold, before any order exists."""
    locked = listing_lock(listing.pk, related=("seller", "machine"))
    require_listing_sellable(locked, machine=_fresh_machine(locked))
    return _transition(
        listing=locked, to_status=S.RESERVED, actor=actor, reason=reason, is_locked=True
    )


@transaction.atomic
def listing_release(*, listing: Listing, actor: User | None, reason: str = "") -> Listing:
    """Put a reserved listing back on sale (order cancelled or defaulted)."""
    return _transition(
        listing=listing, to_status=S.PUBLISHED, actor=actor, reason=reason, sources={S.RESERVED}
    )


@transaction.atomic
def listing_mark_sold(
    *,
    listing: Listing,
    price: Decimal,
    channel: str,
    buyer: Organization | None,
    actor: User | None,
    sold_on: dt.date | None = None,
) -> SaleRecord:
    """Close a sale: listing sold, ownership transferred, and a SaleRecord for the model
    (in the listing's currency, see marketplace.sale_records).

    Locks the listing, then its machine (marketplace.lock_objects order)."""
    locked = listing_lock(listing.pk, related=("seller",))
    machine = machine_lock(locked.machine_id)
    if machine.is_encumbered:
        raise ConflictError(
            _("该设备存在未解除的融资租赁登记，解除前不能过户。"), code="machine_encumbered"
        )
    locked.machine = machine
    listing = _transition(listing=locked, to_status=S.SOLD, actor=actor, is_locked=True)
    record = SaleRecord.objects.create(
        **sale_record_snapshot(
            machine,
            listing,
            price=price,
            channel=channel,
            sold_on=sold_on or timezone.localdate(),
            source=SaleSource.PLATFORM,
        )
    )
    if buyer is not None and buyer.pk != machine.owner_id:
        OwnershipTransfer.objects.create(
            machine=machine, from_owner=machine.owner, to_owner=buyer, reason="sale"
        )
        machine.owner = buyer
        machine.save(update_fields=["owner"])
    return record
