"""Every user-facing message of the quote engine, in English, in one place.

The engine must not import Django, yet its messages must be translatable. Each template is
wrapped in a local no-op ``gettext_noop`` so that Django's ``makemessages`` (which extracts
that keyword) finds it; at run time the caller hands its ``gettext`` to the engine, which
translates the template first and only then interpolates the ``%(name)s`` parameters.
"""


def gettext_noop(message: str) -> str:
    """Mark a message for extraction without translating it (Django's contract)."""
    return message


NOT_A_NUMBER = gettext_noop("Enter a number.")
AMOUNT_TOO_LARGE = gettext_noop("This amount is too large.")
NEGATIVE = gettext_noop("This amount must not be negative.")
TOO_MANY_DECIMALS = gettext_noop("Use at most two decimal places.")
PRICE_NOT_POSITIVE = gettext_noop("The price must be greater than zero.")
DOWN_PAYMENT_TOO_HIGH = gettext_noop("The down payment must be less than the price.")

TERM_NOT_INTEGER = gettext_noop("The term must be a whole number of months.")
TERM_TOO_SHORT = gettext_noop("The term must be at least one month.")
TERM_TOO_LONG = gettext_noop("The term must be at most %(limit)s months.")
TERM_NOT_WHOLE_PERIODS = gettext_noop("The term must be a whole number of payment periods.")
ADVANCE_TERM_TOO_SHORT = gettext_noop("Rents in advance need at least two payment periods.")
PERIODS_PER_YEAR_INVALID = gettext_noop("Payments per year must be one of %(choices)s.")

RATE_NEGATIVE = gettext_noop("The interest rate must not be negative.")
RATE_TOO_HIGH = gettext_noop("The interest rate must be at most 100%%.")

INVALID_CHOICE = gettext_noop("“%(value)s” is not one of the available choices.")

BALLOON_TOO_HIGH = gettext_noop("The balloon must be less than the amount financed.")
BALLOON_NEEDS_ANNUITY = gettext_noop("A balloon is only possible with equal instalments.")
DEPOSIT_TOO_HIGH = gettext_noop("The deposit must be less than the amount financed.")
FEE_TOO_HIGH = gettext_noop("The fee must be less than the amount financed.")
DEPOSIT_AND_FEE_TOO_HIGH = gettext_noop(
    "The deposit and the fee together must be less than the amount financed."
)
UPFRONT_EXCEEDS_FINANCING = gettext_noop(
    "The deposit, the fee and the first rent together must be less than the amount financed."
)
AMOUNT_TOO_SMALL = gettext_noop("The amount to repay is too small for this term.")
