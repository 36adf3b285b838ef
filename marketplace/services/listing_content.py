"""Writes behind the listing page's buyer features: price changes and public questions.

Price changes: only the seller's listing managers change the asking price of a published
fixed-price or negotiable listing; each change is recorded (``ListingPriceChange``) in the
same transaction, and search learns of it after commit.

Questions (``QuestionStatus``): a signed-in buyer asks (awaiting_answer) → the seller's
listing managers answer (awaiting_review) → platform staff publish or reject. Nothing a buyer
or a seller writes is public before staff have read it: questions are where phone numbers
and off-platform deals turn up, which the trading rules bar. Staff may also reject a question
before it is answered (spam, contact details). The seller is notified of each question, the
asker of the decision.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from accounts.permissions import (
    Permission,
    has_org_permission,
    require_org_permission,
    require_platform_staff,
)
from core.errors import ConflictError, DomainError, PermissionDeniedError
from core.money import format_cny, quantize_money
from marketplace.events import listing_changed
from marketplace.lock_objects import listing_lock
from marketplace.models import (
    Listing,
    ListingPriceChange,
    ListingQuestion,
    ListingStatus,
    QuestionStatus,
    SaleFormat,
)
from marketplace.rules import current_marketplace_rules

QUESTION_MIN_LENGTH = 5
QUESTION_MAX_LENGTH = 500
ANSWER_MAX_LENGTH = 1000
OPEN_QUESTIONS_PER_ASKER = 3  # unanswered questions one buyer may have on one listing
PRICE_REASON_MAX_LENGTH = 200

QUESTION_ASKED_TITLE = gettext_noop("买家对您的挂牌提问：%(title)s")
QUESTION_PUBLISHED_TITLE = gettext_noop("您的提问已公开：%(title)s")
QUESTION_REJECTED_TITLE = gettext_noop("您的提问未通过审核：%(title)s")


# --- price changes ---------------------------------------------------------------------------


def can_change_price(user: User | None, listing: Listing) -> bool:
    return (
        listing.status == ListingStatus.PUBLISHED
        and listing.sale_format != SaleFormat.AUCTION
        and has_org_permission(user, listing.seller, Permission.LISTING_MANAGE)
    )


@transaction.atomic
def listing_price_change(
    *, listing: Listing, actor: User, new_price: Decimal, reason: str = ""
) -> ListingPriceChange:
    """Change a published listing's asking price and record the change (a drop shows as
    "降价" on cards and the listing page)."""
    listing = listing_lock(listing.pk)
    require_org_permission(actor, listing.seller, Permission.LISTING_MANAGE)
    if listing.status != ListingStatus.PUBLISHED:
        raise ConflictError(_("只有在售的挂牌可以调价。"), code="not_published")
    if listing.sale_format == SaleFormat.AUCTION:
        raise ConflictError(_("拍卖挂牌的价格由竞价决定，不能调价。"), code="auction")
    new_price = _valid_price(new_price, listing.asking_price)
    if len(reason) > PRICE_REASON_MAX_LENGTH:
        raise DomainError(
            _("请检查填写的内容。"),
            fields={
                "reason": [_("调价说明不能超过 %(n)s 个字。") % {"n": PRICE_REASON_MAX_LENGTH}]
            },
        )
    change = ListingPriceChange.objects.create(
        listing=listing,
        old_price=listing.asking_price,
        new_price=new_price,
        currency=listing.currency,
        changed_by=actor,
        reason=reason.strip(),
    )
    listing.asking_price = new_price
    listing.save(update_fields=["asking_price", "updated_at"])
    listing_changed(listing.pk)
    return change


def _valid_price(new_price: Decimal | None, current: Decimal | None) -> Decimal:
    floor = current_marketplace_rules().listing_price_floor
    if new_price is None:
        message = _("请填写新价格。")
    elif new_price < floor:
        message = _("价格不能低于 %(floor)s（平台公开的挂牌最低价）。") % {
            "floor": format_cny(floor)
        }
    elif quantize_money(new_price) == current:
        message = _("新价格与当前价格相同。")
    else:
        return quantize_money(new_price)
    raise DomainError(_("请检查填写的内容。"), fields={"new_price": [message]})


# --- questions -------------------------------------------------------------------------------


def can_ask_question(user: User | None, listing: Listing) -> bool:
    """Signed-in users outside the seller's organization, on a published listing."""
    return (
        user is not None
        and user.is_authenticated
        and listing.status == ListingStatus.PUBLISHED
        and not listing.seller.memberships.filter(user=user).exists()
    )


def can_answer_question(user: User | None, question: ListingQuestion) -> bool:
    return question.status in (
        QuestionStatus.AWAITING_ANSWER,
        QuestionStatus.AWAITING_REVIEW,
    ) and has_org_permission(user, question.listing.seller, Permission.LISTING_MANAGE)


def _text(value: str, *, field: str, minimum: int, maximum: int) -> str:
    text = (value or "").strip()
    if len(text) < minimum:
        message = _("请至少写 %(n)s 个字。") % {"n": minimum}
    elif len(text) > maximum:
        message = _("不能超过 %(n)s 个字。") % {"n": maximum}
    else:
        return text
    raise DomainError(_("请检查填写的内容。"), fields={field: [message]})


@transaction.atomic
def question_ask(*, listing: Listing, actor: User, question: str) -> ListingQuestion:
    """A buyer's question; the seller's listing managers are notified. Not public yet."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDeniedError(_("请先登录再提问。"))
    listing = listing_lock(listing.pk)
    if listing.status != ListingStatus.PUBLISHED:
        raise ConflictError(_("只能对在售的挂牌提问。"), code="not_published")
    if listing.seller.memberships.filter(user=actor).exists():
        raise PermissionDeniedError(_("卖家不能对自己的挂牌提问。"))
    text = _text(
        question, field="question", minimum=QUESTION_MIN_LENGTH, maximum=QUESTION_MAX_LENGTH
    )
    waiting = ListingQuestion.objects.filter(
        listing=listing, asked_by=actor, status=QuestionStatus.AWAITING_ANSWER
    ).count()
    if waiting >= OPEN_QUESTIONS_PER_ASKER:
        raise ConflictError(
            _("您在此挂牌已有 %(n)s 个问题等待卖家回答，请等回答后再提问。")
            % {"n": OPEN_QUESTIONS_PER_ASKER},
            code="too_many_open_questions",
        )
    item = ListingQuestion.objects.create(listing=listing, asked_by=actor, question=text)
    _notify_seller(listing, text)
    return item


@transaction.atomic
def question_answer(*, question: ListingQuestion, actor: User, answer: str) -> ListingQuestion:
    """The seller's answer; it goes to staff review (again, if the answer is edited)."""
    question = _locked_question(question)
    require_org_permission(actor, question.listing.seller, Permission.LISTING_MANAGE)
    if question.status not in (QuestionStatus.AWAITING_ANSWER, QuestionStatus.AWAITING_REVIEW):
        raise ConflictError(
            _("该问题当前状态为“%(s)s”，不能再回答。") % {"s": question.get_status_display()},
            code="invalid_transition",
        )
    question.answer = _text(answer, field="answer", minimum=1, maximum=ANSWER_MAX_LENGTH)
    question.answered_by = actor
    question.answered_at = timezone.now()
    question.status = QuestionStatus.AWAITING_REVIEW
    question.save(update_fields=["answer", "answered_by", "answered_at", "status"])
    return question


@transaction.atomic
def question_moderate(
    *, question: ListingQuestion, actor: User, approve: bool, reason: str = ""
) -> ListingQuestion:
    """Staff publish an answered question, or reject one (with a reason the asker sees)."""
    require_platform_staff(actor)
    question = _locked_question(question)
    allowed = (
        (QuestionStatus.AWAITING_REVIEW,)
        if approve
        else (QuestionStatus.AWAITING_ANSWER, QuestionStatus.AWAITING_REVIEW)
    )
    if question.status not in allowed:
        message = (
            _("只能公开卖家已回答的问题。")
            if approve and question.status == QuestionStatus.AWAITING_ANSWER
            else _("该问题当前状态为“%(s)s”，不能审核。") % {"s": question.get_status_display()}
        )
        raise ConflictError(message, code="invalid_transition")
    if not approve and not reason.strip():
        raise DomainError(_("请填写驳回原因。"), fields={"reason": [_("请填写驳回原因。")]})
    question.status = QuestionStatus.PUBLISHED if approve else QuestionStatus.REJECTED
    question.rejection_reason = "" if approve else reason.strip()[:200]
    question.moderated_by = actor
    question.moderated_at = timezone.now()
    question.save(update_fields=["status", "rejection_reason", "moderated_by", "moderated_at"])
    _notify_asker(question)
    return question


def _locked_question(question: ListingQuestion) -> ListingQuestion:
    return (
        ListingQuestion.objects.select_for_update(of=("self",))
        .select_related("listing__seller", "asked_by")
        .get(pk=question.pk)
    )


def _listing_url(listing: Listing) -> str:
    return reverse("marketplace:listing_detail", args=[listing.pk]) + "#questions"


def _notify_seller(listing: Listing, text: str) -> None:
    from notifications.services import notification_send

    for membership in listing.seller.memberships.select_related("user").order_by("id"):
        if not has_org_permission(membership.user, listing.seller, Permission.LISTING_MANAGE):
            continue
        notification_send(
            recipient=membership.user,
            kind="listing_question",
            title=lambda: _(QUESTION_ASKED_TITLE) % {"title": listing.display_title},
            body=text,
            url=_listing_url(listing),
        )


def _notify_asker(question: ListingQuestion) -> None:
    from notifications.services import notification_send

    asker = question.asked_by
    published = question.status == QuestionStatus.PUBLISHED
    message = QUESTION_PUBLISHED_TITLE if published else QUESTION_REJECTED_TITLE
    notification_send(
        recipient=asker,
        kind="listing_question_published" if published else "listing_question_rejected",
        title=lambda: _(message) % {"title": question.listing.display_title},
        body=question.rejection_reason,
        url=_listing_url(question.listing),
    )
