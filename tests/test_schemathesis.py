"""The API against its own OpenAPI schema (schemathesis 4 through the WSGI app).

Every operation is called with generated input, valid and invalid, as an anonymous client, a
verified buyer and a dealer (token authentication); a 5xx or a response body that does not
match the documented schema fails. Path ids point at real objects (a published listing, a
lot, an order, a lease application, a machine) for half of the examples, so the operations
do more than answer 404. Runs in the test transaction: nothing outlives the test.
"""

import os

import pytest
import schemathesis
import schemathesis.config
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from leasing.tests.factories import LeaseApplicationFactory, LeaseProductFactory
from marketplace.tests.factories import PublishedListingFactory
from trading.services import orders
from trading.tests.factories import LotFactory

CHECKS = [not_a_server_error, response_schema_conformance]
MAX_EXAMPLES = 10
COVERAGE_PHASE = os.environ.get("SCHEMATHESIS_COVERAGE", "0") == "1"


@pytest.fixture
def api_objects(buyer, buyer_org, dealer, dealer_org):
    """Objects that the path ids of the generated calls point at, by path parameter."""
    listing = PublishedListingFactory(machine__owner=dealer_org)
    sold = PublishedListingFactory(machine__owner=dealer_org)
    order = orders.buy_now(listing=sold, buyer=buyer_org, actor=buyer)
    lot = LotFactory(listing__machine__owner=dealer_org)
    application = LeaseApplicationFactory(
        applicant=buyer_org, listing=listing, product=LeaseProductFactory()
    )
    return {
        "/api/listings/{id}/": listing.pk,
        "/api/trading/listings/{id}/buy-now/": listing.pk,
        "/api/trading/listings/{id}/offers/": listing.pk,
        "/api/trading/lots/{id}/": lot.pk,
        "/api/trading/lots/{id}/bids/": lot.pk,
        "/api/trading/orders/{id}/": order.pk,
        "/api/valuation/listings/{listing_id}/": listing.pk,
        "/api/leasing/listings/{listing_id}/quotes/": listing.pk,
        "/api/certification/machines/{id}/passport/": listing.machine_id,
        **{
            f"/api/leasing/applications/{{id}}/{action}": application.pk
            for action in (
                "",
                "accept/",
                "approve/",
                "decline/",
                "documents/",
                "request-info/",
                "resubmit/",
                "start-contract/",
                "withdraw/",
            )
        },
    }


@pytest.fixture
def identities(buyer, dealer):
    return {
        "anonymous": {},
        "buyer": {"Authorization": f"Token {Token.objects.create(user=buyer).key}"},
        "dealer": {"Authorization": f"Token {Token.objects.create(user=dealer).key}"},
    }


# Loaded once at collection from the served schema view (it reads no database). One test per
# operation, each in its own test transaction.
schema = schemathesis.openapi.from_wsgi(
    "/api/schema/?format=json",
    get_wsgi_application(),
    config=schemathesis.config.SchemathesisConfig.from_dict(
        {"phases": {"coverage": {"enabled": COVERAGE_PHASE}}}
    ),
)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI handler closes "old" connections around each request, which on PostgreSQL
    closes the test transaction's connection; Django's test client unhooks this the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _point_at_known_objects(case, api_objects: dict) -> None:
    known = api_objects.get(case.operation.path)
    parameters = case.path_parameters or {}
    if known is None or not parameters:
        return
    for name, value in parameters.items():
        if isinstance(value, int) and value % 2 == 0:
            parameters[name] = known


@pytest.mark.slow
@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_matches_its_schema(case, api_objects, identities):
    _point_at_known_objects(case, api_objects)
    for headers in identities.values():
        case.call_and_validate(headers=headers, checks=CHECKS)
