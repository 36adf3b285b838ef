"""``quote()``: price a finance lease and disclose what it really costs the lessee."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from . import messages
from .cashflows import lessee_cash_flows
from .constants import MONTHS_PER_YEAR, ZERO, DepositTreatment, LeaseType, Method, Timing
from .inputs import QuoteInput
from .money import engine_context, round_money, round_rate
from .rates import annualise, periodic_irr
from .rents import annuity_rent, equal_principal_rents, flat_rents
from .schedule import ScheduleRow, amortise
from .tax import lease_vat
from .validation import (
    NON_FIELD_ERRORS,
    ErrorCollector,
    Translate,
    untranslated,
    validate_quote_input,
)


@dataclass(frozen=True, kw_only=True)
class LeaseTerms:
    """A validated request in engine form: Decimals, enum members and the rent count."""

    principal: Decimal
    periods: int
    annual_rate: Decimal
    periods_per_year: int
    method: Method
    timing: Timing
    lease_type: LeaseType
    deposit_treatment: DepositTreatment
    deposit: Decimal
    fee: Decimal
    buyout_price: Decimal
    balloon: Decimal

    @property
    def periodic_rate(self) -> Decimal:
        """Nominal rate per period, i = r/m."""
        return self.annual_rate / self.periods_per_year

    @classmethod
    def from_input(cls, inp: QuoteInput) -> LeaseTerms:
        """Convert a request that has passed ``validate_quote_input``."""
        return cls(
            principal=Decimal(inp.price) - Decimal(inp.down_payment),
            periods=inp.term_months * inp.periods_per_year // MONTHS_PER_YEAR,
            annual_rate=Decimal(inp.annual_rate),
            periods_per_year=inp.periods_per_year,
            method=Method(inp.method),
            timing=Timing(inp.timing),
            lease_type=LeaseType(inp.lease_type),
            deposit_treatment=DepositTreatment(inp.deposit_treatment),
            deposit=Decimal(inp.deposit),
            fee=Decimal(inp.fee),
            buyout_price=Decimal(inp.buyout_price),
            balloon=Decimal(inp.balloon),
        )


@dataclass(frozen=True, kw_only=True)
class QuoteResult:
    """A priced lease. Money is in CNY rounded to the fen; rates are fractions.

    ``apr``/``ear`` are rounded to four places for disclosure; ``periodic_rate``,
    ``apr_unrounded`` and ``ear_unrounded`` keep full precision for checks and tests.
    ``payments`` are the contractual rents (balloon and buy-out excluded, before any
    deposit offset); ``cash_flows`` are the lessee's net flows at t=0..n behind the APR.
    """

    principal: Decimal
    payments: tuple[Decimal, ...]
    schedule: tuple[ScheduleRow, ...]
    cash_flows: tuple[Decimal, ...]
    balloon: Decimal
    buyout_price: Decimal
    total_payments: Decimal
    total_interest: Decimal
    total_cost: Decimal
    nominal_rate: Decimal
    periodic_rate: Decimal
    apr: Decimal
    ear: Decimal
    apr_unrounded: Decimal
    ear_unrounded: Decimal
    vat: Decimal
    vat_rate: Decimal
    vat_deductible: bool
    first_payment: Decimal
    last_payment: Decimal

    def to_dict(self) -> dict[str, object]:
        """JSON-ready view: money as 2-place and rates as 4-place decimal strings."""
        return {
            "principal": _money(self.principal),
            "payments": [_money(rent) for rent in self.payments],
            "total_payments": _money(self.total_payments),
            "total_interest": _money(self.total_interest),
            "total_cost": _money(self.total_cost),
            "apr": _rate(self.apr),
            "ear": _rate(self.ear),
            "nominal_rate": _rate(self.nominal_rate),
            "vat": _money(self.vat),
            "vat_rate": _rate(self.vat_rate),
            "vat_deductible": self.vat_deductible,
            "schedule": [_row_dict(row) for row in self.schedule],
        }


def quote(inp: QuoteInput, *, translate: Translate = untranslated) -> QuoteResult:
    """Price the lease in ``inp``: rents, schedule, totals, true rate and VAT.

    Raises ``QuoteValidationError`` with every problem at once (messages passed through
    ``translate``, e.g. Django's ``gettext``). Pure: no I/O, and the caller's Decimal
    context is left untouched.
    """
    with engine_context():
        validate_quote_input(inp, translate=translate)
        terms = LeaseTerms.from_input(inp)
        schedule = build_schedule(terms)
        flows = _lessee_flows(terms, schedule)
        _check_feasible(schedule, flows, translate)
        return _result(terms, schedule, flows)


def build_schedule(terms: LeaseTerms) -> list[ScheduleRow]:
    """The rent schedule for the chosen repayment method."""
    rate, periods, timing = terms.periodic_rate, terms.periods, terms.timing
    if terms.method == Method.FLAT:
        return _flat_schedule(terms)
    if terms.method == Method.EQUAL_PRINCIPAL:
        rents = equal_principal_rents(terms.principal, rate, periods, timing=timing)
    else:
        rent = annuity_rent(terms.principal, rate, periods, timing=timing, balloon=terms.balloon)
        rents = [rent] * periods
    return amortise(terms.principal, rate, rents, timing=timing, balloon=terms.balloon)


def _flat_schedule(terms: LeaseTerms) -> list[ScheduleRow]:
    """Split flat rents at their true periodic rate, so the interest shown is honest.

    Splitting at the flat nominal rate would show interest falling short of what the
    lessee pays; the IRR of financing against rents (fees aside) is the rate at which
    the balance really runs down.
    """
    rents = flat_rents(terms.principal, terms.annual_rate, terms.periods, terms.periods_per_year)
    flows = lessee_cash_flows(principal=terms.principal, rents=rents, timing=terms.timing)
    true_rate = periodic_irr(flows)
    return amortise(terms.principal, true_rate, rents, timing=terms.timing, fixed_last_rent=True)


def _lessee_flows(terms: LeaseTerms, schedule: Sequence[ScheduleRow]) -> list[Decimal]:
    return lessee_cash_flows(
        principal=terms.principal,
        rents=[row.rent for row in schedule],
        timing=terms.timing,
        balloon=terms.balloon,
        deposit=terms.deposit,
        fee=terms.fee,
        buyout_price=terms.buyout_price,
        deposit_treatment=terms.deposit_treatment,
    )


def _check_feasible(
    schedule: Sequence[ScheduleRow], flows: Sequence[Decimal], translate: Translate
) -> None:
    """Refuse quotes that pass field checks but make no economic sense once priced."""
    errors = ErrorCollector(translate)
    last = schedule[-1]
    if min(last.rent, last.principal, last.interest) < 0:
        errors.add(NON_FIELD_ERRORS, messages.AMOUNT_TOO_SMALL)
    if flows[0] <= 0:
        errors.add(NON_FIELD_ERRORS, messages.UPFRONT_EXCEEDS_FINANCING)
    errors.raise_if_any()


def _result(
    terms: LeaseTerms, schedule: Sequence[ScheduleRow], flows: Sequence[Decimal]
) -> QuoteResult:
    rents = tuple(row.rent for row in schedule)
    total_interest = sum((row.interest for row in schedule), ZERO)
    periodic_rate = periodic_irr(flows)
    apr, ear = annualise(periodic_rate, terms.periods_per_year)
    vat = lease_vat(terms.lease_type, schedule)
    return QuoteResult(
        principal=terms.principal,
        payments=rents,
        schedule=tuple(schedule),
        cash_flows=tuple(flows),
        balloon=terms.balloon,
        buyout_price=terms.buyout_price,
        total_payments=sum(rents, ZERO) + terms.balloon + terms.buyout_price,
        total_interest=total_interest,
        total_cost=total_interest + terms.fee + terms.buyout_price,
        nominal_rate=terms.annual_rate,
        periodic_rate=periodic_rate,
        apr=round_rate(apr),
        ear=round_rate(ear),
        apr_unrounded=apr,
        ear_unrounded=ear,
        vat=vat.amount,
        vat_rate=vat.rate,
        vat_deductible=vat.deductible,
        first_payment=rents[0],
        last_payment=rents[-1],
    )


def _money(amount: Decimal) -> str:
    return str(round_money(amount))


def _rate(rate: Decimal) -> str:
    return str(round_rate(rate))


def _row_dict(row: ScheduleRow) -> dict[str, object]:
    return {
        "period": row.period,
        "rent": _money(row.rent),
        "principal": _money(row.principal),
        "interest": _money(row.interest),
        "balance": _money(row.balance),
        "balloon": _money(row.balloon),
    }
