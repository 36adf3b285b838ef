"""A buyer with a published-ready request and three verified dealers who may quote."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import OrganizationKind, Role
from accounts.tests.factories import OrganizationFactory, member_of
from marketplace.tests.factories import CategoryFactory
from procurement import services
from procurement.models import RequestForQuotation
from procurement.tests.factories import BuyerOrganizationFactory


@pytest.fixture
def category(db):
    return CategoryFactory()


@pytest.fixture
def buyer_org(db):
    return BuyerOrganizationFactory(name="湘江建工集团")


@pytest.fixture
def buyer(buyer_org):
    return member_of(buyer_org, Role.BUYER, username="buyer")


@pytest.fixture
def suppliers(db):
    """Three verified dealers, each with an owner: [(org, user), ...]."""
    result = []
    for index in range(3):
        org = OrganizationFactory(name=f"供应商{index}", kind=OrganizationKind.DEALER)
        result.append((org, member_of(org, Role.OWNER, username=f"supplier{index}")))
    return result


def rfq_input(**overrides) -> services.RfqInput:
    values = {
        "title": "20 吨级挖掘机两台",
        "method": "inquiry",
        "deadline": timezone.now() + dt.timedelta(days=10),
        "lines": [
            services.RfqLineInput(
                category="excavator", quantity=2, conditions=["used"], delivery_city="长沙市"
            )
        ],
    }
    values.update(overrides)
    return services.RfqInput(**values)


@pytest.fixture
def make_rfq(buyer_org, buyer, category):
    def make(publish: bool = True, **overrides) -> RequestForQuotation:
        rfq = services.rfq_create(buyer=buyer_org, actor=buyer, data=rfq_input(**overrides))
        if publish:
            rfq = services.rfq_publish(rfq=rfq, actor=buyer)
        return rfq

    return make


def quote(rfq, org, user, price="480000", quantity=2, **line) -> services.QuoteLineInput:
    first = rfq.lines.order_by("position").first()
    return services.quote_submit(
        rfq=rfq,
        supplier=org,
        actor=user,
        lines=[
            services.QuoteLineInput(
                rfq_line=first.pk, unit_price=Decimal(price), quantity=quantity, **line
            )
        ],
    )


def pass_deadline(rfq) -> RequestForQuotation:
    RequestForQuotation.objects.filter(pk=rfq.pk).update(
        deadline=timezone.now() - dt.timedelta(minutes=1)
    )
    rfq.refresh_from_db()
    return rfq


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client
