"""Checks a quote request and reports every problem at once, keyed by field.

Reporting all errors together lets a form show them in one round trip. Cross-field checks
run only on fields that passed their own checks, so one bad value yields one message.
"""

from collections.abc import Callable
from decimal import Decimal
from enum import StrEnum
from typing import TypeGuard

from . import messages
from .constants import (
    MAX_AMOUNT,
    MAX_ANNUAL_RATE,
    MAX_TERM_MONTHS,
    MONTHS_PER_YEAR,
    PERIODS_PER_YEAR_CHOICES,
    DepositTreatment,
    LeaseType,
    Method,
    Timing,
)
from .inputs import QuoteInput
from .money import engine_context, round_money

Translate = Callable[[str], str]
NON_FIELD_ERRORS = "__all__"  # the key Django forms use for errors of the whole form
MONEY_FIELDS = ("price", "down_payment", "deposit", "fee", "buyout_price", "balloon")
CHOICE_FIELDS: tuple[tuple[str, type[StrEnum]], ...] = (
    ("method", Method),
    ("timing", Timing),
    ("lease_type", LeaseType),
    ("deposit_treatment", DepositTreatment),
)


def untranslated(message: str) -> str:
    """Default translator: keep the English template."""
    return message


class QuoteValidationError(ValueError):
    """The request cannot be quoted; ``errors`` maps field name to messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


class ErrorCollector:
    """Accumulates messages per field, translating each template before interpolation."""

    def __init__(self, translate: Translate) -> None:
        self._translate = translate
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, template: str, **params: object) -> None:
        """Record one message; templates are always %-interpolated (so '%%' means '%')."""
        message = self._translate(template) % params
        self.by_field.setdefault(field, []).append(message)

    def has(self, field: str) -> bool:
        """Whether the field already failed, so dependent checks can be skipped."""
        return field in self.by_field

    def raise_if_any(self) -> None:
        """Raise one error carrying everything collected so far."""
        if self.by_field:
            raise QuoteValidationError(self.by_field)


def validate_quote_input(inp: QuoteInput, *, translate: Translate = untranslated) -> None:
    """Raise ``QuoteValidationError`` listing every problem with ``inp``; no side effects."""
    errors = ErrorCollector(translate)
    with engine_context():
        _check_amounts(inp, errors)
        _check_term(inp, errors)
        _check_rate(inp, errors)
        _check_choices(inp, errors)
        _check_balloon_method(inp, errors)
        _check_against_principal(inp, errors)
    errors.raise_if_any()


def is_integer(value: object) -> TypeGuard[int]:
    """True for real ints; ``bool`` is an int subclass but never a valid count."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: object) -> TypeGuard[Decimal | int]:
    """True for finite Decimals and ints; floats are refused as inexact money."""
    if isinstance(value, Decimal):
        return value.is_finite()
    return is_integer(value)


def _check_amounts(inp: QuoteInput, errors: ErrorCollector) -> None:
    for field in MONEY_FIELDS:
        for template in _amount_problems(getattr(inp, field)):
            errors.add(field, template)
    price = _valid(inp, "price", errors)
    if price is not None and price == 0:
        errors.add("price", messages.PRICE_NOT_POSITIVE)
    down_payment = _valid(inp, "down_payment", errors)
    if price and down_payment is not None and down_payment >= price:
        errors.add("down_payment", messages.DOWN_PAYMENT_TOO_HIGH)


def _amount_problems(value: object) -> list[str]:
    if not is_number(value):
        return [messages.NOT_A_NUMBER]
    amount = Decimal(value)
    if abs(amount) >= MAX_AMOUNT:
        return [messages.AMOUNT_TOO_LARGE]
    problems = []
    if amount < 0:
        problems.append(messages.NEGATIVE)
    if amount != round_money(amount):
        problems.append(messages.TOO_MANY_DECIMALS)
    return problems


def _valid(inp: QuoteInput, field: str, errors: ErrorCollector) -> Decimal | None:
    """The field as a Decimal if it passed its own checks, else None."""
    return None if errors.has(field) else Decimal(getattr(inp, field))


def _check_term(inp: QuoteInput, errors: ErrorCollector) -> None:
    term = inp.term_months
    if not is_integer(term):
        errors.add("term_months", messages.TERM_NOT_INTEGER)
    elif term < 1:
        errors.add("term_months", messages.TERM_TOO_SHORT)
    elif term > MAX_TERM_MONTHS:
        errors.add("term_months", messages.TERM_TOO_LONG, limit=MAX_TERM_MONTHS)
    _check_periods(inp, errors)


def _check_periods(inp: QuoteInput, errors: ErrorCollector) -> None:
    """The term must split into whole periods; rents in advance need two of them."""
    per_year = inp.periods_per_year
    if not is_integer(per_year) or per_year not in PERIODS_PER_YEAR_CHOICES:
        choices = ", ".join(str(choice) for choice in PERIODS_PER_YEAR_CHOICES)
        errors.add("periods_per_year", messages.PERIODS_PER_YEAR_INVALID, choices=choices)
        return
    if errors.has("term_months"):
        return
    periods, remainder = divmod(inp.term_months * per_year, MONTHS_PER_YEAR)
    if remainder:
        errors.add("term_months", messages.TERM_NOT_WHOLE_PERIODS)
    elif inp.timing == Timing.ADVANCE and periods < 2:
        errors.add("term_months", messages.ADVANCE_TERM_TOO_SHORT)


def _check_rate(inp: QuoteInput, errors: ErrorCollector) -> None:
    rate = inp.annual_rate
    if not is_number(rate):
        errors.add("annual_rate", messages.NOT_A_NUMBER)
    elif rate < 0:
        errors.add("annual_rate", messages.RATE_NEGATIVE)
    elif rate > MAX_ANNUAL_RATE:
        errors.add("annual_rate", messages.RATE_TOO_HIGH)


def _check_choices(inp: QuoteInput, errors: ErrorCollector) -> None:
    for field, choices in CHOICE_FIELDS:
        value = getattr(inp, field)
        # A list, not a set: the value may be unhashable junk from a payload.
        if value not in [choice.value for choice in choices]:
            errors.add(field, messages.INVALID_CHOICE, value=value)


def _check_balloon_method(inp: QuoteInput, errors: ErrorCollector) -> None:
    """Only level instalments have a closed form that leaves a balloon outstanding."""
    balloon = _valid(inp, "balloon", errors)
    if balloon and not errors.has("method") and inp.method != Method.ANNUITY:
        errors.add("balloon", messages.BALLOON_NEEDS_ANNUITY)


def _check_against_principal(inp: QuoteInput, errors: ErrorCollector) -> None:
    """Amounts that would swallow the whole financing make the quote meaningless."""
    if errors.has("price") or errors.has("down_payment"):
        return
    principal = Decimal(inp.price) - Decimal(inp.down_payment)
    limits = (
        ("balloon", messages.BALLOON_TOO_HIGH),
        ("deposit", messages.DEPOSIT_TOO_HIGH),
        ("fee", messages.FEE_TOO_HIGH),
    )
    for field, template in limits:
        amount = _valid(inp, field, errors)
        if amount is not None and amount >= principal:
            errors.add(field, template)
    if errors.has("deposit") or errors.has("fee"):
        return
    if Decimal(inp.deposit) + Decimal(inp.fee) >= principal:
        errors.add(NON_FIELD_ERRORS, messages.DEPOSIT_AND_FEE_TOO_HIGH)
