import datetime as dt
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import OrganizationKind
from accounts.tests.factories import OrganizationFactory
from leasing.models import (
    ApplicationKind,
    ApplicationStatus,
    LeaseApplication,
    LeaseDocument,
    LeaseProduct,
    LeaseType,
)
from leasing.rules import required_documents
from marketplace.tests.factories import CategoryFactory


class LessorFactory(OrganizationFactory):
    kind = OrganizationKind.LESSOR
    name = factory.Sequence(lambda n: f"测试融资租赁{n}")


class LeaseProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeaseProduct
        skip_postgeneration_save = True

    lessor = factory.SubFactory(LessorFactory)
    name = factory.Sequence(lambda n: f"工程机械直租{n}")
    max_machine_age_years = 10
    max_hours = 15000
    min_term_months = 12
    max_term_months = 60
    default_annual_rate = Decimal("0.06")
    min_down_payment_share = Decimal("0.3")
    max_ltv = Decimal("0.8")
    deposit_share = Decimal(0)
    fee_fixed = Decimal(0)
    fee_share = Decimal(0)
    buyout_price = Decimal(100)
    balloon_allowed = True

    @factory.post_generation
    def categories(self, create: bool, extracted: object, **kwargs: object) -> None:
        if not create:
            return
        self.categories.set(extracted if extracted is not None else [CategoryFactory()])


class LeaseApplicationFactory(factory.django.DjangoModelFactory):
    """A purchase application for a published listing (pass ``listing`` and ``product``)."""

    class Meta:
        model = LeaseApplication

    kind = ApplicationKind.PURCHASE
    lessor = factory.LazyAttribute(lambda o: o.product.lessor)
    machine = factory.LazyAttribute(lambda o: o.listing.machine if o.listing else None)
    lease_type = LeaseType.DIRECT
    price = factory.LazyAttribute(
        lambda o: o.listing.asking_price if o.listing else Decimal(500000)
    )
    down_payment = factory.LazyAttribute(lambda o: (o.price * Decimal("0.3")).quantize(Decimal(1)))
    term_months = 36
    status = ApplicationStatus.SUBMITTED

    @factory.post_generation
    def documents(self, create: bool, extracted: object, **kwargs: object) -> None:
        """The documents the rules require before approval (``documents=False``: none)."""
        if not create or extracted is False:
            return
        for kind in required_documents(self.kind):
            attach_document(self, kind)


def attach_document(application: LeaseApplication, kind: str) -> LeaseDocument:
    return LeaseDocument.objects.create(
        application=application,
        kind=kind,
        file=ContentFile(b"%PDF-1.4\n%test\n", name=f"{kind}.pdf"),
        content_type="pdf",
        size=15,
    )


def approved_fields(application: LeaseApplication, **overrides) -> dict:
    fields = {
        "approved_price": application.price,
        "approved_down_payment": application.down_payment,
        "approved_term_months": application.term_months,
        "approved_annual_rate": Decimal("0.06"),
        "approved_deposit": Decimal(0),
        "approved_fee": Decimal(0),
        "approved_buyout_price": Decimal(100),
        "approved_balloon": Decimal(0),
        "valid_until": timezone.localdate() + dt.timedelta(days=30),
    }
    fields.update(overrides)
    return fields
