"""Pricing without the database: plain ProductTerms in, engine quote out (no django_db
mark, so any ORM read here would fail the test)."""

from decimal import Decimal

from leasing.quoting import (
    MachineFacts,
    ProductTerms,
    QuoteRequest,
    cheapest_terms,
    indicative_rent,
    price_terms,
    terms_accept_machine,
)
from leasing.valuation_adapter import SOURCE_ASKING_PRICE, ValueBasis

FACTS = MachineFacts(
    category_id=7, year_of_manufacture=None, current_hours=None, condition_grade="B"
)


def _terms(pk: int = 1, **changes) -> ProductTerms:
    values = {
        "pk": pk,
        "categories": frozenset({7}),
        "max_machine_age_years": None,
        "max_hours": None,
        "term_options": (12, 24, 36),
        "rates": {(t, ""): Decimal("0.06") for t in (12, 24, 36)} | {(36, "B"): Decimal("0.05")},
        "min_down_payment_share": Decimal("0.2"),
        "max_ltv": Decimal("0.8"),
        "deposit_share": Decimal(0),
        "fee_fixed": Decimal(0),
        "fee_share": Decimal(0),
        "buyout_price": Decimal(100),
        "balloon_allowed": False,
        "lease_types": ("direct",),
    }
    return ProductTerms(**(values | changes))


def _basis(_term: int) -> ValueBasis:
    return ValueBasis(today_value=None, residual_floor=None, source=SOURCE_ASKING_PRICE)


def test_price_terms_applies_the_grade_rate_and_the_minimum_down_payment():
    priced = price_terms(
        terms=_terms(), price=Decimal("100000.00"), condition_grade="B",
        request=QuoteRequest(down_payment=Decimal(1000), term_months=33), basis_for_term=_basis,
    )  # fmt: skip
    inp = priced.quote_input
    assert (inp.term_months, inp.annual_rate, inp.down_payment) == (36, Decimal("0.05"), 20000)
    assert priced.errors == {}
    assert priced.result is not None
    assert priced.result.principal == Decimal("80000.00")
    assert len(priced.notes) == 2  # term moved to 36, down payment raised to 20%


def test_unpriceable_terms_carry_the_engines_errors():
    swallowing = _terms(fee_fixed=Decimal("90000"))
    priced = price_terms(
        terms=swallowing, price=Decimal("100000.00"), condition_grade="",
        request=QuoteRequest(), basis_for_term=_basis,
    )  # fmt: skip
    assert priced.result is None
    assert list(priced.errors) == ["fee"]
    assert indicative_rent(swallowing, Decimal("100000.00"), FACTS) is None


def test_cheapest_terms_skips_ineligible_and_unpriceable_products():
    cheap_but_elsewhere = _terms(pk=2, categories=frozenset({8}), rates={(36, ""): Decimal(0)})
    too_costly = _terms(pk=3, deposit_share=Decimal("0.5"), fee_share=Decimal("0.5"))
    plain = _terms(pk=4)
    assert terms_accept_machine(cheap_but_elsewhere, FACTS) is False
    best = cheapest_terms(Decimal("100000.00"), FACTS, [cheap_but_elsewhere, too_costly, plain])
    assert best is not None
    assert best[0].pk == 4
    assert best[1] == Decimal("2397.67")  # 80,000 over 36 months at grade B's 5%, in arrears
