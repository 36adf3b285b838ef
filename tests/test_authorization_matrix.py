"""The authorization matrix (tests/authz_matrix.py) run against the API.

For every mutating operation: each actor outside ``allowed`` gets 401/403/404 and the watched
tables are exactly as before; the first allowed actor succeeds in the same scenario (so a row
cannot pass by refusing everyone). A guard test fails when the schema has a mutating
operation without a row.
"""

import io
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from accounts.models import KycStatus, OrganizationKind, Role
from accounts.tests.factories import OrganizationFactory, member_of
from certification.tests.factories import draft_certificate, filled_report, issued_certificate
from leasing import services as leasing
from leasing.tests.factories import LeaseApplicationFactory, LeaseProductFactory
from marketplace.tests.factories import MachineFactory, PublishedListingFactory
from payments.services import order_bank_pay
from recycling import services as recycling
from tests.authz_matrix import ACTORS, DENIED_STATUSES, MATRIX, Endpoint
from trading.services import offers, orders
from trading.tests.factories import LotFactory, QualificationFactory

MUTATING = {"post", "put", "patch", "delete"}
ORGANIZATION_KINDS = {
    "dealer_org": OrganizationKind.DEALER,
    "other_dealer_org": OrganizationKind.DEALER,
    "buyer_org": OrganizationKind.BUYER,
    "other_buyer_org": OrganizationKind.BUYER,
    "lessor_org": OrganizationKind.LESSOR,
    "other_lessor_org": OrganizationKind.LESSOR,
    "certifier_org": OrganizationKind.CERTIFIER,
    "other_certifier_org": OrganizationKind.CERTIFIER,
    "recycler_org": OrganizationKind.RECYCLER,
    "other_recycler_org": OrganizationKind.RECYCLER,
    "platform_org": OrganizationKind.PLATFORM,
}


def _pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@dataclass
class World:
    """Every organization of ACTORS with one member per actor, and one target per row."""

    def pdf_upload(self) -> SimpleUploadedFile:
        return SimpleUploadedFile("licence.pdf", _pdf_bytes(), content_type="application/pdf")


def build_world() -> World:
    world = World()
    for name, kind in ORGANIZATION_KINDS.items():
        setattr(world, name, OrganizationFactory(kind=kind, kyc_status=KycStatus.VERIFIED))
    world.users = {}
    for actor, membership in ACTORS.items():
        if membership is None:
            continue
        organization, role = membership
        world.users[actor] = member_of(
            getattr(world, organization),
            Role(role),
            username=actor,
            is_staff=(organization == "platform_org"),
        )
    dealer, inspector = world.users["dealer"], world.users["inspector"]
    # marketplace and trading
    world.listing = PublishedListingFactory(machine__owner=world.dealer_org)
    world.machine = world.listing.machine
    world.lease_listing = PublishedListingFactory(machine__owner=world.dealer_org)
    world.lot = LotFactory(listing__machine__owner=world.dealer_org)
    QualificationFactory(lot=world.lot, bidder=world.buyer_org)
    sold = PublishedListingFactory(machine__owner=world.dealer_org)
    order = orders.buy_now(listing=sold, buyer=world.buyer_org, actor=world.users["buyer"])
    world.bank_payment = order_bank_pay(order=order, actor=world.users["buyer"])
    world.offer = offers.offer_make(
        listing=PublishedListingFactory(machine__owner=world.dealer_org),
        buyer=world.buyer_org,
        actor=world.users["buyer"],
        amount=Decimal("300000.00"),
    )
    # leasing
    world.product = LeaseProductFactory(lessor=world.lessor_org)
    world.application = LeaseApplicationFactory(
        applicant=world.buyer_org, listing=world.lease_listing, product=world.product
    )
    world.fresh_listing = PublishedListingFactory(machine__owner=world.dealer_org)
    _leasing_states(world)
    # certification
    world.inspection_request = _inspection_request(world)
    world.report = filled_report(
        machine=MachineFactory(owner=world.dealer_org),
        certifier=world.certifier_org,
        inspector=inspector,
    )
    world.draft_certificate = draft_certificate(
        machine=MachineFactory(owner=world.dealer_org),
        certifier=world.certifier_org,
        inspector=inspector,
    )
    world.issued_certificate = issued_certificate(
        machine=MachineFactory(owner=world.dealer_org),
        certifier=world.certifier_org,
        inspector=inspector,
    )
    # recycling
    world.spare_machine = MachineFactory(owner=world.dealer_org)
    world.disposal_request = recycling.disposal_request_create(
        machine=MachineFactory(owner=world.dealer_org), actor=dealer
    )
    world.open_disposal_request = recycling.disposal_request_create(
        machine=MachineFactory(owner=world.dealer_org), actor=dealer
    )
    world.disposal_quote = recycling.disposal_quote_submit(
        request=world.disposal_request,
        recycler=world.recycler_org,
        actor=world.users["recycler"],
        price=Decimal("30000.00"),
    )
    accepted = recycling.disposal_request_create(
        machine=MachineFactory(owner=world.dealer_org), actor=dealer
    )
    quote = recycling.disposal_quote_submit(
        request=accepted,
        recycler=world.recycler_org,
        actor=world.users["recycler"],
        price=Decimal("30000.00"),
    )
    world.accepted_disposal_request = recycling.disposal_quote_accept(quote=quote, actor=dealer)
    _procurement_states(world)
    return world


def _procurement_states(world: World) -> None:
    """Requests of the buyer organization in each state a row acts on."""
    import datetime as dt

    from django.utils import timezone

    from procurement import services as procurement
    from procurement.models import RequestForQuotation

    buyer = world.users["buyer"]

    def request(publish: bool = True, method: str = "negotiation"):
        rfq = procurement.rfq_create(
            buyer=world.buyer_org,
            actor=buyer,
            data=procurement.RfqInput(
                title="挖掘机采购",
                method=method,
                deadline=timezone.now() + dt.timedelta(days=10),
                lines=[
                    procurement.RfqLineInput(category="excavator", quantity=2, conditions=["used"])
                ],
            ),
        )
        return procurement.rfq_publish(rfq=rfq, actor=buyer) if publish else rfq

    def past_deadline(rfq):
        RequestForQuotation.objects.filter(pk=rfq.pk).update(
            deadline=timezone.now() - dt.timedelta(minutes=1)
        )
        rfq.refresh_from_db()
        return rfq

    def quote(rfq, org, user):
        line = rfq.lines.get()
        return procurement.quote_submit(
            rfq=rfq,
            supplier=org,
            actor=user,
            lines=[
                procurement.QuoteLineInput(rfq_line=line.pk, unit_price=Decimal("1.00"), quantity=1)
            ],
        )

    world.rfq_draft = request(publish=False)
    world.rfq_published = request()
    world.rfq_question = procurement.question_ask(
        rfq=world.rfq_published,
        supplier=world.dealer_org,
        actor=world.users["dealer"],
        text="可否报国三机型？",
    )
    world.rfq_due = past_deadline(request())
    world.rfq_failed = procurement.rfq_open(rfq=past_deadline(request()), actor=buyer)
    opened = request()
    world.rfq_winning_quote = quote(opened, world.dealer_org, world.users["dealer"])
    quote(opened, world.other_dealer_org, world.users["other_dealer"])
    world.rfq_opened = procurement.rfq_open(rfq=past_deadline(opened), actor=buyer)


def _leasing_states(world: World) -> None:
    """One application per state a row acts on: info requested, approved, accepted."""
    buyer, lessor = world.users["buyer"], world.users["lessor"]

    def application():
        return LeaseApplicationFactory(
            applicant=world.buyer_org,
            listing=PublishedListingFactory(machine__owner=world.dealer_org),
            product=world.product,
        )

    world.info_requested_application = leasing.application_request_info(
        actor=lessor, application=application(), note="请补充银行流水"
    )

    def approved():
        pending = application()
        terms = leasing.ApprovalTerms(
            price=pending.price,
            down_payment=pending.down_payment,
            term_months=pending.term_months,
            annual_rate=Decimal("0.06"),
        )
        return leasing.application_approve(actor=lessor, application=pending, terms=terms)

    world.approved_application = approved()
    world.accepted_application = leasing.application_accept(actor=buyer, application=approved())


def _inspection_request(world: World):
    from certification.services.inspections import inspection_request_create

    return inspection_request_create(
        machine=MachineFactory(owner=world.dealer_org),
        requester=world.dealer_org,
        certifier=world.certifier_org,
        actor=world.users["dealer"],
    )


def _snapshot(endpoint: Endpoint) -> dict:
    """Every row of every watched table, field by field."""
    return {
        label: list(apps.get_model(label).objects.order_by("pk").values())
        for label in endpoint.watch
    }


def _call(world: World, endpoint: Endpoint, actor: str):
    client = APIClient(raise_request_exception=False)
    if actor != "anonymous":
        client.force_authenticate(world.users[actor])
    path = endpoint.path
    if endpoint.target:
        path = path.replace("{id}", str(getattr(world, endpoint.target).pk))
    body = endpoint.payload(world) if endpoint.payload else {}
    return getattr(client, endpoint.method.lower())(path, body, format=endpoint.content)


GUARDED = [endpoint for endpoint in MATRIX if not endpoint.public]


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", GUARDED, ids=[f"{e.method} {e.path}" for e in GUARDED])
def test_everyone_outside_the_matrix_is_refused_and_nothing_changes(endpoint):
    world = build_world()
    before = _snapshot(endpoint)
    outcomes = {}
    for actor in ACTORS:
        if actor in endpoint.allowed:
            continue
        outcomes[actor] = _call(world, endpoint, actor).status_code
    wrongly_let_through = {a: s for a, s in outcomes.items() if s not in DENIED_STATUSES}
    assert wrongly_let_through == {}
    assert _snapshot(endpoint) == before


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", GUARDED, ids=[f"{e.method} {e.path}" for e in GUARDED])
def test_the_allowed_actor_succeeds(endpoint):
    world = build_world()
    actor = sorted(endpoint.allowed)[0]
    response = _call(world, endpoint, actor)
    assert 200 <= response.status_code < 300, (actor, response.content[:300])


def test_every_mutating_operation_of_the_schema_has_a_matrix_row():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = {
        (method.upper(), path)
        for path, item in schema["paths"].items()
        for method in item
        if method in MUTATING
    }
    rows = {(endpoint.method, endpoint.path) for endpoint in MATRIX}
    assert operations - rows == set()
    assert rows - operations == set()  # no stale rows either


def test_every_allowed_actor_is_a_known_actor():
    unknown = {
        (endpoint.path, actor)
        for endpoint in MATRIX
        for actor in endpoint.allowed
        if actor not in ACTORS
    }
    assert unknown == set()
    assert all(endpoint.allowed or endpoint.public for endpoint in MATRIX)
