import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import OrganizationKind
from accounts.tests.factories import OrganizationFactory
from marketplace.tests.factories import CategoryFactory
from procurement.models import (
    ItemCondition,
    Method,
    Quote,
    QuoteLine,
    RequestForQuotation,
    RfqLine,
    RfqStatus,
    Visibility,
)


class BuyerOrganizationFactory(OrganizationFactory):
    name = factory.Sequence(lambda n: f"测试采购单位{n}")
    kind = OrganizationKind.BUYER


class RfqFactory(factory.django.DjangoModelFactory):
    """A draft request (inquiry, open) due in ten days."""

    class Meta:
        model = RequestForQuotation

    title = factory.Sequence(lambda n: f"挖掘机采购 {n}")
    buyer = factory.SubFactory(BuyerOrganizationFactory)
    method = Method.INQUIRY
    visibility = Visibility.OPEN
    deadline = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=10))
    status = RfqStatus.DRAFT


class RfqLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RfqLine

    rfq = factory.SubFactory(RfqFactory)
    category = factory.SubFactory(CategoryFactory)
    quantity = 2
    conditions = factory.LazyFunction(lambda: [ItemCondition.USED])
    delivery_city = "长沙市"


class QuoteFactory(factory.django.DjangoModelFactory):
    """A raw quote row (for constraint tests); real quotes go through ``quote_submit``."""

    class Meta:
        model = Quote

    rfq = factory.SubFactory(RfqFactory)
    supplier = factory.SubFactory(OrganizationFactory)
    version = 1
    is_active = True
    content_hash = "0" * 64
    submitted_at = factory.LazyFunction(timezone.now)


class QuoteLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuoteLine

    quote = factory.SubFactory(QuoteFactory)
    rfq_line = factory.SubFactory(RfqLineFactory)
    unit_price = Decimal("500000.00")
    quantity = 1
