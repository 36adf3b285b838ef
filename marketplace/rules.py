"""The published marketplace rules: the listing price floor and the plausible hour-meter range.

One frozen object that the services apply and the rules page renders (as
``trading.rules`` does for fees and bidding), so the figures shown are the figures enforced.
Staff change a figure through the ``MARKETPLACE_RULES`` setting (a dict of field overrides),
e.g. ``MARKETPLACE_RULES = {"listing_price_floor": Decimal("2000")}``.

Hour bounds: a meter cannot run more than 24 hours a day (the physical ceiling named in
``marketplace.hour_anomalies``), and no machine of a category works more than its category's
annual maximum. Both are counted from 1 January of the year of manufacture (the day the
machine may first have run, at the earliest); a reading above the lower of the two is refused.
"""

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.conf import settings

from marketplace.hour_anomalies import PHYSICAL_MAX_HOURS_PER_DAY

DAYS_PER_YEAR = Decimal("365.25")


@dataclass(frozen=True)
class MarketplaceRules:
    # A fixed price or an offer listing must ask at least this much (CNY, VAT included).
    listing_price_floor: Decimal = Decimal("1000.00")
    # The meter's physical ceiling per day since the year of manufacture began.
    max_hours_per_day: int = PHYSICAL_MAX_HOURS_PER_DAY
    # Hours a machine of a category can work in a year at most (three shifts, no downtime);
    # categories not named use the default. Keyed by the root category's slug.
    annual_hours_default: int = 6000
    annual_hours_by_category: tuple[tuple[str, int], ...] = field(
        default=(("aerial-work-platform", 3000), ("forklift", 5000), ("crane", 5000))
    )
    # A machine whose year of manufacture is unknown is still bounded by this reading.
    max_hours_unknown_age: int = 100_000

    def annual_hours_for(self, category_slug: str) -> int:
        return dict(self.annual_hours_by_category).get(category_slug, self.annual_hours_default)

    def max_hours_for(
        self, *, year_of_manufacture: int | None, category_slug: str, on: dt.date
    ) -> int:
        """The highest plausible reading on ``on`` for a machine of this year and category."""
        if year_of_manufacture is None:
            return self.max_hours_unknown_age
        days = max((on - dt.date(year_of_manufacture, 1, 1)).days + 1, 0)
        by_day = self.max_hours_per_day * days
        by_year = int(self.annual_hours_for(category_slug) * Decimal(days) / DAYS_PER_YEAR)
        return min(by_day, by_year)

    def category_rows(self) -> list[tuple[str, int]]:
        """(root category slug, annual maximum) rows for the rules page."""
        return list(self.annual_hours_by_category)


RULES = MarketplaceRules()


def current_marketplace_rules() -> MarketplaceRules:
    """The rules in force: the defaults above with the ``MARKETPLACE_RULES`` overrides."""
    overrides = getattr(settings, "MARKETPLACE_RULES", None)
    return replace(RULES, **overrides) if overrides else RULES
