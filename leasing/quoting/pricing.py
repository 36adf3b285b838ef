"""Pure pricing: a product's terms and a machine's price in, an engine quote and notes out.

Limits applied here, each leaving a note that the page shows to explain the quote:

* the down payment is at least the product's minimum share of the price;
* the amount financed is at most the product's loan-to-value share of today's value
  (from ``leasing.valuation_adapter``; the asking price while no valuation model exists);
* a balloon/guaranteed residual is at most the valuation model's lower band (P10) at the
  end of the lease, and not allowed at all while no forecast is available.

No database reads: the inputs are the plain values of :mod:`leasing.quoting.terms` and a
``basis_for_term`` callable (the caller decides where today's value comes from). Whether a
set of terms can be priced is the engine's rule (``validate_quote_input``), not repeated here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from typing import Protocol

from django.utils import timezone
from django.utils.translation import gettext as _

from core.estimates import format_estimate
from core.money import format_cny, quantize_money
from leasing.engine import (
    NON_FIELD_ERRORS,
    Method,
    QuoteInput,
    QuoteResult,
    QuoteValidationError,
    Timing,
    annuity_rent,
    quote,
    validate_quote_input,
)
from leasing.engine.constants import MONTHS_PER_YEAR
from leasing.engine.money import engine_context
from leasing.models import LeaseType, RepaymentMethod
from leasing.quoting.terms import (
    DEFAULT_TERM_MONTHS,
    ZERO,
    MachineFacts,
    ProductTerms,
    QuoteRequest,
)
from leasing.valuation_adapter import SOURCE_ASKING_PRICE, SOURCE_FORECAST, ValueBasis

BasisForTerm = Callable[[int], ValueBasis]


class EligibilityLimits(Protocol):
    """The limits eligibility reads (a ``ProductTerms`` or a ``LeaseProduct``)."""

    max_machine_age_years: int | None
    max_hours: int | None


@dataclass
class PricedTerms:
    """The terms actually priced for one product, the engine's result (or its errors) and
    the notes explaining every adjustment to what the buyer asked."""

    quote_input: QuoteInput
    result: QuoteResult | None
    notes: list[str] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)


# --- eligibility --------------------------------------------------------------------------


def machine_age_years(year_of_manufacture: int | None, today: dt.date | None = None) -> int | None:
    if year_of_manufacture is None:
        return None
    today = today or timezone.localdate()
    return max(today.year - year_of_manufacture, 0)


def product_accepts_machine(
    product: EligibilityLimits, facts: MachineFacts, eligible_categories: set[int] | frozenset[int]
) -> bool:
    """Category, age and hours limits; an unknown age or hours fails a product that has one."""
    if facts.category_id not in eligible_categories:
        return False
    if product.max_machine_age_years is not None:
        age = machine_age_years(facts.year_of_manufacture)
        if age is None or age > product.max_machine_age_years:
            return False
    if product.max_hours is None:
        return True
    return facts.current_hours is not None and facts.current_hours <= product.max_hours


def terms_accept_machine(terms: ProductTerms, facts: MachineFacts) -> bool:
    return product_accepts_machine(terms, facts, terms.categories)


# --- terms and limits ---------------------------------------------------------------------


def _percent(share: Decimal) -> str:
    return f"{(share * 100).normalize():f}%"


def _round_up_yuan(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal(1), rounding=ROUND_CEILING)


def choose_term(product: ProductTerms, requested: int | None, notes: list[str]) -> int:
    choices = product.term_choices()
    wanted = requested if requested is not None else DEFAULT_TERM_MONTHS
    if wanted in choices:
        return wanted
    nearest = min(choices, key=lambda term: (abs(term - wanted), term))
    if requested is not None:  # never silently: say what the product offers instead
        notes.append(_term_note(sorted(choices), requested, nearest))
    return nearest


def _term_note(choices: list[int], requested: int, chosen: int) -> str:
    """ "该产品提供 12–36 个月期限（12/24/36 个月），不提供 48 个月；此处按 36 个月报价。" """
    values = {"wanted": requested, "term": chosen}
    if len(choices) == 1:
        return (
            _("该产品只提供 %(term)s 个月期限，不提供 %(wanted)s 个月；此处按 %(term)s 个月报价。")
            % values
        )
    values.update(low=choices[0], high=choices[-1], terms="/".join(map(str, choices)))
    return (
        _(
            "该产品提供 %(low)s–%(high)s 个月期限（%(terms)s 个月），不提供 %(wanted)s 个月；"
            "此处按 %(term)s 个月报价。"
        )
        % values
    )


def choose_down_payment(
    product: ProductTerms,
    price: Decimal,
    requested: Decimal | None,
    basis: ValueBasis,
    notes: list[str],
) -> Decimal:
    """Requested down payment, raised to the product minimum and to the LTV cap."""
    minimum = _round_up_yuan(price * product.min_down_payment_share)
    down = minimum if requested is None else requested
    if down < minimum:
        notes.append(
            _("该产品首付不低于 %(share)s（%(amount)s），已按最低首付报价。")
            % {"share": _percent(product.min_down_payment_share), "amount": format_cny(minimum)}
        )
        down = minimum
    if basis.today_value is not None:
        max_principal = quantize_money(product.max_ltv * basis.today_value)
        if price - down > max_principal:
            down = price - max_principal
            notes.append(_ltv_note(product, basis, max_principal))
    return down


def _ltv_note(product: ProductTerms, basis: ValueBasis, max_principal: Decimal) -> str:
    # A valuation reads as the valuation panel shows it (¥15.8 万, core.estimates); an
    # asking price and the cap are exact amounts.
    shown_value = (
        format_estimate(basis.today_value)
        if basis.source == SOURCE_FORECAST
        else format_cny(basis.today_value)
    )
    values = {
        "value": shown_value,
        "share": _percent(product.max_ltv),
        "cap": format_cny(max_principal),
    }
    if basis.source == SOURCE_FORECAST:
        return (
            _("融资额不超过设备今日估值 %(value)s 的 %(share)s（%(cap)s），首付已相应提高。")
            % values
        )
    return (
        _(
            "暂无估值模型，按挂牌价 %(value)s 计算：融资额不超过其 %(share)s（%(cap)s），"
            "首付已相应提高。"
        )
        % values
    )


def choose_balloon(
    product: ProductTerms, requested: Decimal, method: str, basis: ValueBasis, notes: list[str]
) -> Decimal:
    """Requested balloon, capped by the forecast's P10 at lease end, or refused."""
    if requested <= 0:
        return ZERO
    if not product.balloon_allowed:
        notes.append(_("该产品不支持尾付，已按无尾付报价。"))
        return ZERO
    if method != Method.ANNUITY:
        notes.append(_("尾付仅适用于等额本息，已按无尾付报价。"))
        return ZERO
    if basis.residual_floor is None:
        notes.append(_("残值预测暂不可用") + _("，暂不支持尾付。"))
        return ZERO
    if requested > basis.residual_floor:
        notes.append(
            _("尾付不能超过估值模型对租期末的保守预测（P10）%(floor)s，已按该金额报价。")
            % {"floor": format_cny(basis.residual_floor)}
        )
        return basis.residual_floor
    return requested


def choose_lease_type(product: ProductTerms, requested: str, notes: list[str]) -> str:
    if requested in product.lease_types:
        return requested
    chosen = product.lease_types[0]
    notes.append(_("该产品仅支持%(type)s。") % {"type": LeaseType(chosen).label})
    return chosen


def build_quote_input(
    *,
    product: ProductTerms,
    price: Decimal,
    condition_grade: str,
    request: QuoteRequest,
    basis_for_term: BasisForTerm,
    notes: list[str],
) -> QuoteInput:
    """The engine input for ``product`` on a machine priced ``price``."""
    term = choose_term(product, request.term_months, notes)
    basis = basis_for_term(term)
    down = choose_down_payment(product, price, request.down_payment, basis, notes)
    balloon = choose_balloon(product, request.balloon, request.method, basis, notes)
    lease_type = choose_lease_type(product, request.lease_type, notes)
    principal = price - down
    if request.method == RepaymentMethod.FLAT:
        notes.append(_("平息报价仅供对比：名义利率相同，但实际年化利率明显更高。"))
    return QuoteInput(
        price=price,
        down_payment=down,
        term_months=term,
        annual_rate=product.annual_rate_for(term_months=term, condition_grade=condition_grade),
        method=request.method,
        timing=request.timing,
        lease_type=lease_type,
        deposit=quantize_money(principal * product.deposit_share),
        fee=quantize_money(product.fee_fixed + principal * product.fee_share),
        buyout_price=product.buyout_price,
        balloon=balloon,
    )


def price_terms(
    *,
    terms: ProductTerms,
    price: Decimal,
    condition_grade: str,
    request: QuoteRequest,
    basis_for_term: BasisForTerm,
) -> PricedTerms:
    """The product's quote within its limits, or the engine's field errors."""
    notes: list[str] = []
    inp = build_quote_input(
        product=terms,
        price=price,
        condition_grade=condition_grade,
        request=request,
        basis_for_term=basis_for_term,
        notes=notes,
    )
    try:
        result = quote(inp, translate=_)
    except QuoteValidationError as exc:
        errors = {
            ("non_field_errors" if key == NON_FIELD_ERRORS else key): value
            for key, value in exc.errors.items()
        }
        return PricedTerms(quote_input=inp, result=None, notes=notes, errors=errors)
    return PricedTerms(quote_input=inp, result=result, notes=notes)


# --- indicative rents (listing cards) -----------------------------------------------------


def indicative_rent(terms: ProductTerms, price: Decimal, facts: MachineFacts) -> Decimal | None:
    """First monthly rent under the product's default terms, without the full quote.

    Default terms are equal instalments in arrears with no balloon, so the rent has a
    closed form (``annuity_rent``) and equals the first rent of the full schedule; the
    IRR, VAT and schedule that ``quote()`` adds are not needed on a card. None when the
    engine would refuse the terms (nothing left to finance, deposit and fee swallow it).
    """
    basis = ValueBasis(today_value=price, residual_floor=None, source=SOURCE_ASKING_PRICE)
    inp = build_quote_input(
        product=terms,
        price=price,
        condition_grade=facts.condition_grade,
        request=QuoteRequest(),
        basis_for_term=lambda _term: basis,
        notes=[],
    )
    try:
        validate_quote_input(inp)
    except QuoteValidationError:
        return None
    with engine_context():
        return annuity_rent(
            inp.price - inp.down_payment,
            inp.annual_rate / MONTHS_PER_YEAR,
            inp.term_months,
            timing=Timing.ARREARS,
        )


def cheapest_terms(
    price: Decimal, facts: MachineFacts, candidates: Sequence[ProductTerms]
) -> tuple[ProductTerms, Decimal] | None:
    """The eligible terms with the lowest indicative rent (the first one on a tie)."""
    best: tuple[ProductTerms, Decimal] | None = None
    for terms in candidates:
        if not terms_accept_machine(terms, facts):
            continue
        monthly = indicative_rent(terms, price, facts)
        if monthly is not None and (best is None or monthly < best[1]):
            best = (terms, monthly)
    return best
