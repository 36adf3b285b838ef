"""Listings: drafting and editing, and every state transition through ``_transition``.

Every transition locks the listing (marketplace.lock_objects), checks the source state against
``LISTING_TRANSITIONS``, checks the actor's permission, saves with ``update_fields`` and writes a
``ListingEvent`` in the same transaction. Search learns of the change after commit.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

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
from core.money import format_cny, quantize_money
from marketplace.events import listing_changed
from marketplace.lock_objects import listing_lock
from marketplace.models import Listing, ListingEvent, ListingStatus, Machine, SaleFormat
from marketplace.photo_set import require_photo_set
from marketplace.rules import current_marketplace_rules
from marketplace.sellability import require_listing_sellable, require_machine_sellable
from marketplace.services.machines import MachineInput, machine_create
from marketplace.services.predicates import (
    EDITABLE_STATUSES,
    S,
    can_transition,
    seller_publishes_directly,
)

# Notification titles: marked here, translated per recipient when sent.
LISTING_APPROVED_TITLE = gettext_noop("挂牌已通过审核并发布：%(title)s")


LISTING_REJECTED_TITLE = gettext_noop("挂牌未通过审核：%(title)s")


LISTING_LIFETIME = dt.timedelta(days=90)


# Enough for a full dealer write-up; the column is unbounded text, so the limit lives here.
MAX_DESCRIPTION_LENGTH = 5000


DESCRIPTION_TOO_LONG = gettext_lazy(
    "描述不能超过 %(limit_value)d 个字符（现有 %(show_value)d 个）。"
)


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
    from django.urls import reverse

    from notifications.services import notification_send

    url = reverse("marketplace:listing_manage", args=[listing.pk])
    memberships = listing.seller.memberships.select_related("user").order_by("id")
    for membership in memberships:
        if not has_org_permission(membership.user, listing.seller, Permission.LISTING_MANAGE):
            continue
        notification_send(
            recipient=membership.user,
            kind=kind,
            title=lambda: _(title) % {"title": listing.display_title},
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
    # Under the listing lock, which photo deletion takes too: a required photo deleted
    # meanwhile cannot slip through. A wrong state is reported before missing photos.
    locked = listing_lock(listing.pk, related=("seller", "machine"))
    if can_transition(locked, S.SUBMITTED):
        require_photo_set(locked)
    return _transition(
        listing=locked,
        to_status=S.SUBMITTED,
        actor=actor,
        extra_fields={"submitted_at": timezone.now(), "rejection_reason": ""},
        is_locked=True,
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
