"""Turn a lessor's product and a listed machine into a priced quote, within the limits.

Limits applied here, each leaving a note that the page shows to explain the quote:

* the down payment is at least the product's minimum share of the price;
* the amount financed is at most the product's loan-to-value share of today's value
  (from ``leasing.valuation_adapter``; the asking price while no valuation model exists);
* a balloon/guaranteed residual is at most the valuation model's lower band (P10) at the
  end of the lease, and not allowed at all while no forecast is available.

Pure reads: nothing here writes to the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

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
)
from leasing.engine.constants import MONTHS_PER_YEAR
from leasing.engine.money import engine_context
from leasing.models import LeaseProduct, LeaseType, RepaymentMethod
from leasing.valuation_adapter import (
    SOURCE_ASKING_PRICE,
    SOURCE_FORECAST,
    ValueBasis,
    machine_value_basis,
)
from marketplace.models import Category, Listing, Machine

DEFAULT_TERM_MONTHS = 36
ZERO = Decimal(0)


@dataclass(frozen=True)
class QuoteRequest:
    """What the buyer chose in the calculator; ``None`` means "the product's default"."""

    down_payment: Decimal | None = None
    term_months: int | None = None
    method: str = Method.ANNUITY.value
    timing: str = "arrears"
    lease_type: str = LeaseType.DIRECT.value
    balloon: Decimal = ZERO


@dataclass(frozen=True)
class MachineFacts:
    """The machine attributes a product's eligibility depends on."""

    category_id: int
    year_of_manufacture: int | None
    current_hours: int | None
    condition_grade: str


@dataclass
class ProductQuote:
    """One lessor's quote for one listing, with the terms actually priced and why."""

    product: LeaseProduct
    quote_input: QuoteInput
    result: QuoteResult | None
    notes: list[str] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def monthly_payment(self) -> Decimal | None:
        return self.result.first_payment if self.result else None

    def to_dict(self) -> dict[str, object]:
        inp = self.quote_input
        return {
            "product": {
                "id": self.product.pk,
                "name": self.product.name,
                "lessor": self.product.lessor.name,
            },
            "terms": {
                "price": _money(inp.price),
                "down_payment": _money(inp.down_payment),
                "term_months": inp.term_months,
                "annual_rate": f"{Decimal(inp.annual_rate):.4f}",
                "method": str(inp.method),
                "timing": str(inp.timing),
                "lease_type": str(inp.lease_type),
                "deposit": _money(inp.deposit),
                "fee": _money(inp.fee),
                "buyout_price": _money(inp.buyout_price),
                "balloon": _money(inp.balloon),
            },
            "quote": self.result.to_dict() if self.result else None,
            "notes": list(self.notes),
            "errors": self.errors,
        }


def _money(amount: Decimal) -> str:
    return str(quantize_money(amount))


# --- eligibility --------------------------------------------------------------------------


def _category_children() -> dict[int | None, list[int]]:
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Category.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    return children


def _closure(roots: Iterable[int], children: dict[int | None, list[int]]) -> set[int]:
    result: set[int] = set()
    stack = list(roots)
    while stack:
        node = stack.pop()
        if node not in result:
            result.add(node)
            stack.extend(children.get(node, []))
    return result


def category_descendants(category_ids: Iterable[int]) -> set[int]:
    """The given categories and all their descendants (one query over the small tree)."""
    return _closure(category_ids, _category_children())


def eligible_categories_by_product(products: Iterable[LeaseProduct]) -> dict[int, set[int]]:
    """Product id → eligible category ids incl. descendants (uses prefetched categories)."""
    products = list(products)
    if not products:
        return {}
    children = _category_children()
    return {
        product.pk: _closure((category.pk for category in product.categories.all()), children)
        for product in products
    }


def machine_age_years(year_of_manufacture: int | None, today: dt.date | None = None) -> int | None:
    if year_of_manufacture is None:
        return None
    today = today or timezone.localdate()
    return max(today.year - year_of_manufacture, 0)


def product_accepts_machine(
    product: LeaseProduct, facts: MachineFacts, eligible_categories: set[int]
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


# --- terms and limits ---------------------------------------------------------------------


def _percent(share: Decimal) -> str:
    return f"{(share * 100).normalize():f}%"


def _round_up_yuan(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal(1), rounding=ROUND_CEILING)


def choose_term(product: LeaseProduct, requested: int | None, notes: list[str]) -> int:
    choices = product.term_choices()
    wanted = requested if requested is not None else DEFAULT_TERM_MONTHS
    if wanted in choices:
        return wanted
    nearest = min(choices, key=lambda term: (abs(term - wanted), term))
    if requested is not None:
        notes.append(
            _("该产品不提供 %(wanted)s 个月期限，已按 %(term)s 个月报价。")
            % {"wanted": requested, "term": nearest}
        )
    return nearest


def choose_down_payment(
    product: LeaseProduct,
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
            if basis.source == SOURCE_FORECAST:
                notes.append(
                    _(
                        "融资额不超过设备今日估值 %(value)s 的 %(share)s（%(cap)s），"
                        "首付已相应提高。"
                    )
                    % {
                        "value": format_cny(basis.today_value),
                        "share": _percent(product.max_ltv),
                        "cap": format_cny(max_principal),
                    }
                )
            else:
                notes.append(
                    _(
                        "暂无估值模型，按挂牌价 %(value)s 计算：融资额不超过其 %(share)s"
                        "（%(cap)s），首付已相应提高。"
                    )
                    % {
                        "value": format_cny(basis.today_value),
                        "share": _percent(product.max_ltv),
                        "cap": format_cny(max_principal),
                    }
                )
    return down


def choose_balloon(
    product: LeaseProduct, requested: Decimal, method: str, basis: ValueBasis, notes: list[str]
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


def choose_lease_type(product: LeaseProduct, requested: str, notes: list[str]) -> str:
    if requested in product.lease_types:
        return requested
    chosen = product.lease_types[0]
    notes.append(_("该产品仅支持%(type)s。") % {"type": LeaseType(chosen).label})
    return chosen


def build_quote_input(
    *,
    product: LeaseProduct,
    price: Decimal,
    condition_grade: str,
    request: QuoteRequest,
    basis_for_term,
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


def price_product(
    *,
    product: LeaseProduct,
    price: Decimal,
    condition_grade: str,
    request: QuoteRequest,
    basis_for_term,
) -> ProductQuote:
    notes: list[str] = []
    inp = build_quote_input(
        product=product,
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
        return ProductQuote(
            product=product, quote_input=inp, result=None, notes=notes, errors=errors
        )
    return ProductQuote(product=product, quote_input=inp, result=result, notes=notes)


# --- whole listings -----------------------------------------------------------------------


def active_products() -> list[LeaseProduct]:
    """Every active product of a verified lessor, with what pricing needs (3 queries)."""
    return list(
        LeaseProduct.objects.active()
        .filter(lessor__kyc_status="verified")
        .select_related("lessor")
        .prefetch_related("categories", "rate_bands")
    )


def listing_quotes(listing: Listing, request: QuoteRequest | None = None) -> list[ProductQuote]:
    """Every matching product's quote for ``listing``, best true rate (APR) first."""
    request = request or QuoteRequest()
    price = listing.asking_price
    if price is None:
        return []
    machine = listing.machine
    facts = MachineFacts(
        category_id=machine.category_id,
        year_of_manufacture=machine.year_of_manufacture,
        current_hours=machine.current_hours,
        condition_grade=machine.condition_grade,
    )
    products = active_products()
    eligible = eligible_categories_by_product(products)
    bases: dict[int, ValueBasis] = {}

    def basis_for_term(term: int) -> ValueBasis:
        if term not in bases:
            bases[term] = machine_value_basis(machine, term_months=term, asking_price=price)
        return bases[term]

    quotes = [
        price_product(
            product=product,
            price=price,
            condition_grade=facts.condition_grade,
            request=request,
            basis_for_term=basis_for_term,
        )
        for product in products
        if product_accepts_machine(product, facts, eligible[product.pk])
    ]
    return sorted(quotes, key=_quote_rank)


def _quote_rank(item: ProductQuote) -> tuple:
    if item.result is None:
        return (1, Decimal(0), Decimal(0), item.product.pk)
    return (0, item.result.apr_unrounded, item.result.first_payment, item.product.pk)


@dataclass(frozen=True)
class IndicativePayment:
    monthly: Decimal
    product: LeaseProduct


def indicative_payments(
    listings: list[Listing], products: list[LeaseProduct] | None = None
) -> dict[int, IndicativePayment]:
    """Cheapest monthly rent per listing under each product's default terms.

    For a whole page at once: products once, machine facts in one query, then Python.
    Today's value is the asking price here (a per-machine forecast would cost a query per
    card); the listing page prices against the valuation and says so when it differs.
    """
    products = active_products() if products is None else products
    if not products or not listings:
        return {}
    eligible = eligible_categories_by_product(products)
    machine_ids = {listing.machine_id for listing in listings}
    facts_by_machine = {row[0]: MachineFacts(*row[1:]) for row in _machine_rows(machine_ids)}
    payments: dict[int, IndicativePayment] = {}
    for listing in listings:
        facts = facts_by_machine.get(listing.machine_id)
        if listing.asking_price is None or facts is None:
            continue
        best = _cheapest(listing.asking_price, facts, products, eligible)
        if best is not None:
            payments[listing.pk] = best
    return payments


def _machine_rows(machine_ids: set[int]):
    return Machine.objects.filter(pk__in=machine_ids).values_list(
        "pk", "category_id", "year_of_manufacture", "current_hours", "condition_grade"
    )


def _indicative_rent(product: LeaseProduct, price: Decimal, facts: MachineFacts) -> Decimal | None:
    """First monthly rent under the product's default terms, without the full quote.

    Default terms are equal instalments in arrears with no balloon, so the rent has a
    closed form (``annuity_rent``) and equals the first rent of the full schedule; the
    IRR, VAT and schedule that ``quote()`` adds are not needed on a card. None when the
    product cannot price it (nothing left to finance, or deposit and fee swallow it).
    """
    basis = ValueBasis(today_value=price, residual_floor=None, source=SOURCE_ASKING_PRICE)
    inp = build_quote_input(
        product=product,
        price=price,
        condition_grade=facts.condition_grade,
        request=QuoteRequest(),
        basis_for_term=lambda _term: basis,
        notes=[],
    )
    principal = inp.price - inp.down_payment
    if principal <= 0 or inp.deposit + inp.fee >= principal:
        return None
    with engine_context():
        return annuity_rent(
            principal, inp.annual_rate / MONTHS_PER_YEAR, inp.term_months, timing=Timing.ARREARS
        )


def _cheapest(
    price: Decimal,
    facts: MachineFacts,
    products: list[LeaseProduct],
    eligible: dict[int, set[int]],
) -> IndicativePayment | None:
    best: IndicativePayment | None = None
    for product in products:
        if not product_accepts_machine(product, facts, eligible[product.pk]):
            continue
        monthly = _indicative_rent(product, price, facts)
        if monthly is not None and (best is None or monthly < best.monthly):
            best = IndicativePayment(monthly=monthly, product=product)
    return best
