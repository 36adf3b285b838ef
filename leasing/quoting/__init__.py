"""Turn a lessor's product and a listed machine into a priced quote, within the limits.

Two halves: :mod:`.selectors` reads products, rate bands, machines and the value basis into
the plain values of :mod:`.terms`; :mod:`.pricing` applies the product's limits to them and
calls the engine (``leasing.engine``), whose validation decides what can be priced. Nothing
here writes to the database.
"""

from leasing.quoting.pricing import (
    PricedTerms,
    build_quote_input,
    cheapest_terms,
    choose_balloon,
    choose_down_payment,
    choose_lease_type,
    choose_term,
    indicative_rent,
    machine_age_years,
    price_terms,
    product_accepts_machine,
    terms_accept_machine,
)
from leasing.quoting.selectors import (
    IndicativePayment,
    ProductQuote,
    active_products,
    category_descendants,
    eligible_categories_by_product,
    indicative_payments,
    listing_quotes,
    machine_facts,
    machines_facts,
    price_product,
    product_terms,
    products_terms,
)
from leasing.quoting.terms import (
    DEFAULT_TERM_MONTHS,
    MachineFacts,
    ProductTerms,
    QuoteRequest,
)

__all__ = [
    "DEFAULT_TERM_MONTHS",
    "IndicativePayment",
    "MachineFacts",
    "PricedTerms",
    "ProductQuote",
    "ProductTerms",
    "QuoteRequest",
    "active_products",
    "build_quote_input",
    "category_descendants",
    "cheapest_terms",
    "choose_balloon",
    "choose_down_payment",
    "choose_lease_type",
    "choose_term",
    "eligible_categories_by_product",
    "indicative_payments",
    "indicative_rent",
    "listing_quotes",
    "machine_age_years",
    "machine_facts",
    "machines_facts",
    "price_product",
    "price_terms",
    "product_accepts_machine",
    "product_terms",
    "products_terms",
    "terms_accept_machine",
]
