"""The reads behind a quote: active products, their terms as plain values, machine facts.

Everything the pure pricing (:mod:`leasing.quoting.pricing`) needs is gathered here in a
fixed number of queries (products with lessor, categories and rate bands; the category
tree; the machines of a page), then priced without touching the database. Today's value
comes from ``leasing.valuation_adapter`` through the ``basis_for_term`` callable.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from core.money import quantize_money
from leasing.engine import QuoteInput, QuoteResult
from leasing.models import LeaseProduct
from leasing.quoting.pricing import (
    BasisForTerm,
    cheapest_terms,
    price_terms,
    terms_accept_machine,
)
from leasing.quoting.terms import MachineFacts, ProductTerms, QuoteRequest
from leasing.valuation_adapter import ValueBasis, machine_value_basis
from marketplace.category_tree import ChildMap, category_children, category_closure
from marketplace.models import Listing, Machine


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


@dataclass(frozen=True)
class IndicativePayment:
    monthly: Decimal
    product: LeaseProduct


# --- reading products and machines --------------------------------------------------------


def active_products() -> list[LeaseProduct]:
    """Every active product of a verified lessor, with what pricing needs (3 queries)."""
    return list(
        LeaseProduct.objects.active()
        .filter(lessor__kyc_status="verified")
        .select_related("lessor")
        .prefetch_related("categories", "rate_bands")
    )


def category_descendants(category_ids: Iterable[int]) -> set[int]:
    """The given categories and all their descendants (one query over the small tree)."""
    return set(category_closure(category_ids, category_children()))


def eligible_categories_by_product(products: Iterable[LeaseProduct]) -> dict[int, set[int]]:
    """Product id → eligible category ids incl. descendants (uses prefetched categories)."""
    products = list(products)
    if not products:
        return {}
    children = category_children()
    return {product.pk: _eligible(product, children) for product in products}


def _eligible(product: LeaseProduct, children: ChildMap) -> set[int]:
    return set(category_closure((category.pk for category in product.categories.all()), children))


def product_terms(product: LeaseProduct, categories: Iterable[int] = ()) -> ProductTerms:
    """The product as plain values (uses its prefetched rate bands; no query when prefetched).

    Rates are evaluated by the product's own rule for each term it offers and each grade a
    band names, so pricing cannot drift from ``LeaseProduct.annual_rate_for``."""
    terms = tuple(product.term_choices())
    grades = {""} | {band.condition_grade for band in product.rate_bands.all()}
    return ProductTerms(
        pk=product.pk,
        categories=frozenset(categories),
        max_machine_age_years=product.max_machine_age_years,
        max_hours=product.max_hours,
        term_options=terms,
        rates={
            (term, grade): product.annual_rate_for(term_months=term, condition_grade=grade)
            for term in terms
            for grade in grades
        },
        min_down_payment_share=product.min_down_payment_share,
        max_ltv=product.max_ltv,
        deposit_share=product.deposit_share,
        fee_fixed=product.fee_fixed,
        fee_share=product.fee_share,
        buyout_price=product.buyout_price,
        balloon_allowed=product.balloon_allowed,
        lease_types=tuple(product.lease_types),
    )


def products_terms(products: list[LeaseProduct]) -> list[ProductTerms]:
    """Terms of each product with its eligible categories (one query for the tree)."""
    if not products:
        return []
    children = category_children()
    return [product_terms(product, _eligible(product, children)) for product in products]


def machine_facts(machine: Machine) -> MachineFacts:
    return MachineFacts(
        category_id=machine.category_id,
        year_of_manufacture=machine.year_of_manufacture,
        current_hours=machine.current_hours,
        condition_grade=machine.condition_grade,
    )


def machines_facts(machine_ids: set[int]) -> dict[int, MachineFacts]:
    rows = Machine.objects.filter(pk__in=machine_ids).values_list(
        "pk", "category_id", "year_of_manufacture", "current_hours", "condition_grade"
    )
    return {row[0]: MachineFacts(*row[1:]) for row in rows}


# --- quotes: read, then price -------------------------------------------------------------


def price_product(
    *,
    product: LeaseProduct,
    price: Decimal,
    condition_grade: str,
    request: QuoteRequest,
    basis_for_term: BasisForTerm,
) -> ProductQuote:
    """One product's quote (eligibility already checked by the caller)."""
    priced = price_terms(
        terms=product_terms(product),
        price=price,
        condition_grade=condition_grade,
        request=request,
        basis_for_term=basis_for_term,
    )
    return ProductQuote(
        product=product,
        quote_input=priced.quote_input,
        result=priced.result,
        notes=priced.notes,
        errors=priced.errors,
    )


def listing_quotes(listing: Listing, request: QuoteRequest | None = None) -> list[ProductQuote]:
    """Every matching product's quote for ``listing``, best true rate (APR) first."""
    request = request or QuoteRequest()
    price = listing.asking_price
    if price is None:
        return []
    machine = listing.machine
    facts = machine_facts(machine)
    products = active_products()
    bases: dict[int, ValueBasis] = {}

    def basis_for_term(term: int) -> ValueBasis:
        if term not in bases:
            bases[term] = machine_value_basis(machine, term_months=term, asking_price=price)
        return bases[term]

    quotes = []
    for product, terms in zip(products, products_terms(products), strict=True):
        if not terms_accept_machine(terms, facts):
            continue
        priced = price_terms(
            terms=terms,
            price=price,
            condition_grade=facts.condition_grade,
            request=request,
            basis_for_term=basis_for_term,
        )
        quotes.append(
            ProductQuote(
                product=product,
                quote_input=priced.quote_input,
                result=priced.result,
                notes=priced.notes,
                errors=priced.errors,
            )
        )
    return sorted(quotes, key=_quote_rank)


def _quote_rank(item: ProductQuote) -> tuple:
    if item.result is None:
        return (1, Decimal(0), Decimal(0), item.product.pk)
    return (0, item.result.apr_unrounded, item.result.first_payment, item.product.pk)


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
    terms = products_terms(products)
    product_by_pk = {product.pk: product for product in products}
    facts_by_machine = machines_facts({listing.machine_id for listing in listings})
    payments: dict[int, IndicativePayment] = {}
    for listing in listings:
        facts = facts_by_machine.get(listing.machine_id)
        if listing.asking_price is None or facts is None:
            continue
        best = cheapest_terms(listing.asking_price, facts, terms)
        if best is not None:
            payments[listing.pk] = IndicativePayment(
                monthly=best[1], product=product_by_pk[best[0].pk]
            )
    return payments
