"""Bidder qualification: the right to bid on a lot up to a limit, backed by a deposit.

QUALIFICATION_TRANSITIONS: pending → active (deposit held) | cancelled (lot closed first);
active → released (lost, lot unsold or withdrawn) | applied (won: the deposit pays the
order); applied → forfeited (the order defaulted). Every change goes through
``qualification_transition``: it checks the table under the row lock, saves with
``update_fields`` and writes a QualificationEvent. The deposit money itself is the payments
ledger's (payments.services.deposit_*), told the amounts by the callers here.
"""

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from core.errors import ConflictError, DomainError
from core.money import format_cny, quantize_money
from leasing import selectors as leasing_selectors
from payments import services as payments
from trading.errors import TradingErrorCode as Code
from trading.lock_objects import qualification_lock, qualifications_lock
from trading.models import (
    BidderQualification,
    DepositMethod,
    Lot,
    LotStatus,
    QualificationEvent,
    QualificationEventKind,
    QualificationStatus,
)
from trading.rules import current_rules
from trading.services.common import require_buyer

Q = QualificationStatus
QUALIFICATION_TRANSITIONS: dict[str, set[str]] = {
    Q.PENDING: {Q.ACTIVE, Q.CANCELLED},
    Q.ACTIVE: {Q.RELEASED, Q.APPLIED},
    Q.APPLIED: {Q.FORFEITED},
    Q.RELEASED: set(),
    Q.FORFEITED: set(),
    Q.CANCELLED: set(),
}
EVENT_KIND = {
    Q.ACTIVE: QualificationEventKind.ACTIVATED,
    Q.RELEASED: QualificationEventKind.RELEASED,
    Q.APPLIED: QualificationEventKind.APPLIED,
    Q.FORFEITED: QualificationEventKind.FORFEITED,
    Q.CANCELLED: QualificationEventKind.CANCELLED,
}


def can_transition(qualification: BidderQualification, to_status: str) -> bool:
    return to_status in QUALIFICATION_TRANSITIONS[qualification.status]


def qualification_transition(
    *,
    qualification: BidderQualification,
    to_status: str,
    actor: User | None = None,
    note: str = "",
    is_locked: bool = False,
) -> BidderQualification:
    """Lock (unless the caller holds the row), check the table, save, write the event."""
    locked = qualification if is_locked else qualification_lock(qualification.pk)
    if not can_transition(locked, to_status):
        raise ConflictError(
            _("竞买资格状态不能从“%(src)s”变为“%(dst)s”。")
            % {"src": locked.get_status_display(), "dst": QualificationStatus(to_status).label},
            code=Code.INVALID_TRANSITION,
        )
    from_status = locked.status
    locked.status = to_status
    locked.save(update_fields=["status", "updated_at"])
    QualificationEvent.objects.create(
        qualification=locked,
        kind=EVENT_KIND[to_status],
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        note=note,
    )
    return locked


def _check_method(*, lot: Lot, method: str, deposit: Decimal) -> None:
    rules = current_rules()
    window = dt.timedelta(days=rules.card_deposit_window_days)
    if method == DepositMethod.CARD and lot.ends_at > timezone.now() + window:
        message = _(
            "该拍品 %(ends)s 结束，银行卡预授权约 %(days)s 天后失效，覆盖不到结束：请选择对公转账，"
            "或在结束前 %(window)s 天内再用银行卡申请。"
        ) % {
            "ends": timezone.localtime(lot.ends_at).strftime("%Y-%m-%d %H:%M"),
            "days": rules.card_hold_days,
            "window": rules.card_deposit_window_days,
        }
        raise DomainError(message, code=Code.CARD_HOLD_TOO_SHORT, fields={"method": [message]})
    if method == DepositMethod.CARD and (
        deposit > rules.card_charge_limit or not payments.card_enabled()
    ):
        raise DomainError(_("该保证金请使用对公转账缴纳。"), code=Code.CARD_UNAVAILABLE)


def qualification_request(
    *,
    lot: Lot,
    bidder: Organization,
    actor: User,
    bidding_limit: Decimal,
    method: str,
    payment_method: str = "",
) -> BidderQualification:
    """Ask to bid up to ``bidding_limit``. The deposit is waived for finance-approved buyers;
    otherwise a card hold (Stripe, manual capture) or a bank deposit confirmed by staff."""
    lot = Lot.objects.select_related("listing__seller").get(pk=lot.pk)
    require_buyer(actor=actor, buyer=bidder, seller=lot.listing.seller)
    bidding_limit = quantize_money(bidding_limit)
    if bidding_limit < lot.opening_bid:
        message = _("竞价上限不能低于起拍价 %(amount)s。") % {"amount": format_cny(lot.opening_bid)}
        raise DomainError(message, code=Code.LIMIT_TOO_LOW, fields={"bidding_limit": [message]})
    if lot.status != LotStatus.OPEN:
        raise ConflictError(_("拍卖已结束。"), code=Code.LOT_CLOSED)
    waived = leasing_selectors.organization_has_active_preapproval(bidder)  # finance-approved
    if waived:
        method = DepositMethod.WAIVED
    elif method not in (DepositMethod.CARD, DepositMethod.BANK):
        raise DomainError(_("请选择保证金缴纳方式。"), code=Code.INVALID_METHOD)
    deposit = Decimal("0.00") if waived else current_rules().deposit_for(bidding_limit)
    _check_method(lot=lot, method=method, deposit=deposit)
    try:
        with transaction.atomic():
            qualification = BidderQualification.objects.create(
                lot=lot,
                bidder=bidder,
                requested_by=actor,
                bidding_limit=bidding_limit,
                deposit_amount=deposit,
                currency=lot.currency,
                method=method,
                status=Q.ACTIVE if waived else Q.PENDING,
            )
            QualificationEvent.objects.create(
                qualification=qualification,
                kind=QualificationEventKind.REQUESTED,
                to_status=qualification.status,
                actor=actor,
                note="deposit waived" if waived else "",
            )
    except IntegrityError as exc:
        raise ConflictError(
            _("您已申请该拍品的竞买资格。"), code=Code.QUALIFICATION_EXISTS
        ) from exc
    if method == DepositMethod.BANK:
        payments.deposit_bank_expect(qualification=qualification)
    elif method == DepositMethod.CARD:
        payments.deposit_card_hold(qualification=qualification, payment_method=payment_method)
        qualification.refresh_from_db()
    return qualification


def qualification_deposit_held(*, qualification: BidderQualification) -> BidderQualification:
    """The deposit is held (card) or received (bank): a pending bidder may bid. Called by
    the deposit payment kind with ``qualification`` locked; news for a qualification that
    moved on (a late transfer after the close) changes nothing."""
    if qualification.status != Q.PENDING:
        return qualification
    return qualification_transition(qualification=qualification, to_status=Q.ACTIVE, is_locked=True)


def qualification_activate(*, qualification: BidderQualification) -> BidderQualification:
    """The deposit is held, the bidder may bid (locks the qualification)."""
    with transaction.atomic():
        return qualification_deposit_held(qualification=qualification_lock(qualification.pk))


def qualifications_settle_at_close(
    *, lot: Lot, winner_id: int | None
) -> BidderQualification | None:
    """At the close (the lot locked): every live qualification but the winner's ends, its
    deposit released (active) or its expected deposit cancelled (pending). Returns the
    winner's qualification, still active and locked, if the winner had one."""
    winner = None
    for qualification in qualifications_lock(lot=lot, status__in=[Q.ACTIVE, Q.PENDING]):
        if winner_id is not None and qualification.bidder_id == winner_id:
            winner = qualification
            continue
        to_status = Q.RELEASED if qualification.status == Q.ACTIVE else Q.CANCELLED
        qualification_transition(
            qualification=qualification, to_status=to_status, note="lot closed", is_locked=True
        )
        payments.deposit_release(qualification=qualification)
    return winner


def qualification_forfeit_for_default(*, qualification: BidderQualification, order) -> None:
    """The winner's order defaulted (both rows locked, qualification first): the
    qualification is forfeited and the ledger keeps the rule's ``order.forfeited_amount``."""
    qualification_transition(
        qualification=qualification,
        to_status=Q.FORFEITED,
        note=f"order {order.pk} defaulted",
        is_locked=True,
    )
    payments.deposit_forfeit(
        qualification=qualification, order=order, amount=order.forfeited_amount
    )
