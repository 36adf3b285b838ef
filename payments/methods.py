"""The ways a buyer can pay and the platform's escrow account, read from settings.

Bank transfer is always offered. The Stripe methods (card, Alipay, WeChat Pay) are offered
when Stripe is configured and the method is listed in ``settings.STRIPE_PAYMENT_METHODS``,
each up to its per-charge limit (``settings.STRIPE_CHARGE_LIMITS``); above the limit only
bank transfer is offered and the payment services refuse the method.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.money import format_cny
from payments import stripe_gateway
from payments.errors import PaymentsErrorCode
from payments.models import STRIPE_RAILS, PaymentRailChoice


@dataclass(frozen=True)
class EscrowAccount:
    bank: str
    branch: str
    account_name: str
    account_number: str
    is_demo: bool


def escrow_account() -> EscrowAccount:
    """The platform's escrow account buyers transfer to (``settings.ESCROW_ACCOUNT``)."""
    values = settings.ESCROW_ACCOUNT
    return EscrowAccount(
        bank=values["bank"],
        branch=values["branch"],
        account_name=values["account_name"],
        account_number=values["account_number"],
        is_demo=bool(values.get("is_demo")),
    )


def stripe_method_enabled(method: str) -> bool:
    return (
        method in STRIPE_RAILS
        and stripe_gateway.is_enabled()
        and method in settings.STRIPE_PAYMENT_METHODS
    )


def charge_limit(method: str) -> Decimal:
    """The largest single charge ``method`` takes (CNY)."""
    return Decimal(settings.STRIPE_CHARGE_LIMITS[method])


@dataclass(frozen=True)
class MethodOffer:
    """One Stripe method as the order page offers it for an amount."""

    method: str
    label: str
    limit: Decimal
    within_limit: bool


def stripe_method_offers(amount: Decimal) -> list[MethodOffer]:
    """The enabled Stripe methods in the configured order, each with its limit."""
    return [
        MethodOffer(
            method=method,
            label=PaymentRailChoice(method).label,
            limit=charge_limit(method),
            within_limit=amount <= charge_limit(method),
        )
        for method in settings.STRIPE_PAYMENT_METHODS
        if stripe_method_enabled(method)
    ]


def require_stripe_method(method: str, amount: Decimal) -> None:
    """Refuse a Stripe method that is not offered, or an amount above its per-charge limit."""
    if not stripe_method_enabled(method):
        raise DomainError(
            _("暂未开通该支付方式，请使用对公转账。"), code=PaymentsErrorCode.METHOD_UNAVAILABLE
        )
    if amount > charge_limit(method):
        raise DomainError(
            _("金额超过%(method)s单笔上限 %(limit)s，请使用对公转账。")
            % {
                "method": PaymentRailChoice(method).label,
                "limit": format_cny(charge_limit(method)),
            },
            code=PaymentsErrorCode.CHARGE_LIMIT_EXCEEDED,
        )
