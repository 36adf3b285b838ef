"""Finance-lease quote engine: pure functions on Decimal, no Django.

Conventions (see DOMAIN.md, "Finance-lease quoting (China)"):

* Principal P = price - down payment; n = term_months · periods_per_year / 12 rents;
  nominal periodic rate i = annual_rate / periods_per_year.
* Rents are rounded to the fen half-up; interest is rounded on the balance actually
  outstanding and the last rent absorbs all rounding, so principal parts sum to exactly
  P - B (flat rate: the contractual total is kept and the last interest part absorbs).
* Rents fall at the end of each period (arrears, t=1..n) or at its start (advance,
  t=0..n-1, the first one at signing and free of interest). A balloon is paid with the
  last rent. Deposit refund and buy-out price are settled at the end of the term, t=n.
* The disclosed rate is the IRR j of the lessee's cash flows (``cashflows`` module),
  APR = m·j and EAR = (1 + j)^m - 1, as PBOC Announcement 2021 No. 3 asks.
"""

from .cashflows import lessee_cash_flows
from .constants import DepositTreatment, LeaseType, Method, Timing
from .inputs import QuoteInput
from .messages import gettext_noop
from .quote import QuoteResult, quote
from .rates import RateNotFoundError, annualise, net_present_value, periodic_irr
from .rents import annuity_rent, equal_principal_rents, flat_rents
from .schedule import ScheduleRow, amortise
from .tax import VAT_RATE_DIRECT_LEASE, VAT_RATE_SALE_LEASEBACK, VatBreakdown, lease_vat
from .validation import NON_FIELD_ERRORS, QuoteValidationError, validate_quote_input

__all__ = [
    "NON_FIELD_ERRORS",
    "VAT_RATE_DIRECT_LEASE",
    "VAT_RATE_SALE_LEASEBACK",
    "DepositTreatment",
    "LeaseType",
    "Method",
    "QuoteInput",
    "QuoteResult",
    "QuoteValidationError",
    "RateNotFoundError",
    "ScheduleRow",
    "Timing",
    "VatBreakdown",
    "amortise",
    "annualise",
    "annuity_rent",
    "equal_principal_rents",
    "flat_rents",
    "gettext_noop",
    "lease_vat",
    "lessee_cash_flows",
    "net_present_value",
    "periodic_irr",
    "quote",
    "validate_quote_input",
]
