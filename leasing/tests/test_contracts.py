"""Contract start encumbers the machine; a sale is refused until the lessor's release."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from core.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from leasing import services
from leasing.models import ApplicationStatus, ContractStatus, LeaseContract
from leasing.pdf import contract_pdf
from leasing.selectors import machine_lease_history
from leasing.services.contracts import add_months
from leasing.tests.factories import LeaseApplicationFactory, approved_fields
from marketplace.models import Listing, ListingStatus, SaleRecord
from marketplace.services import listing_mark_sold, listing_reserve


@pytest.fixture
def accepted(product, listing, buyer_org, buyer):
    application = LeaseApplicationFactory(
        product=product,
        listing=listing,
        applicant=buyer_org,
        submitted_by=buyer,
        status=ApplicationStatus.ACCEPTED,
    )
    for name, value in approved_fields(
        application,
        approved_deposit=Decimal(50000),
        approved_fee=Decimal(7000),
    ).items():
        setattr(application, name, value)
    application.save()
    return application


def start(application, actor, reference="20261128000123456789"):
    return services.contract_start(
        actor=actor,
        application=application,
        registry_reference=reference,
        start_date=dt.date(2026, 1, 31),
    )


@pytest.fixture
def index_calls(monkeypatch):
    calls = []
    monkeypatch.setattr(
        "leasing.services.contracts.listing_changed", lambda listing_id: calls.append(listing_id)
    )
    return calls


def test_contract_start_encumbers_machine(accepted, lessor, listing, index_calls):
    contract = start(accepted, lessor)
    listing.machine.refresh_from_db()
    assert listing.machine.is_encumbered is True
    assert contract.contract_number == f"ILZL202601{accepted.pk:08d}"
    assert contract.registry_reference == "20261128000123456789"
    assert contract.principal == Decimal("700000.00")
    assert contract.apr == Decimal("0.0769")
    assert contract.end_date == dt.date(2029, 1, 31)
    assert len(contract.schedule) == 36
    assert contract.schedule[0]["rent"] == "21295.36"
    assert index_calls == [listing.pk]


def test_encumbered_machine_cannot_be_sold_until_released(accepted, lessor, listing, buyer_org):
    contract = start(accepted, lessor)
    # The sellability guard refuses the reservation before any order exists ...
    with pytest.raises(ConflictError) as excinfo:
        listing_reserve(listing=listing, actor=None, reason="order")
    assert excinfo.value.code == "machine_encumbered"
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PUBLISHED
    # ... and the sale itself is refused too (a listing reserved before the lease started).
    Listing.objects.filter(pk=listing.pk).update(status=ListingStatus.RESERVED)
    with pytest.raises(ConflictError) as excinfo:
        listing_mark_sold(
            listing=listing, price=Decimal(1000000), channel="fixed", buyer=buyer_org, actor=None
        )
    assert excinfo.value.code == "machine_encumbered"
    listing.refresh_from_db()
    assert listing.status == ListingStatus.RESERVED
    assert SaleRecord.objects.count() == 0

    services.contract_release(actor=lessor, contract=contract)
    contract.refresh_from_db()
    listing.machine.refresh_from_db()
    assert contract.status == ContractStatus.RELEASED
    assert contract.released_at is not None
    assert listing.machine.is_encumbered is False
    listing_mark_sold(
        listing=listing, price=Decimal(1000000), channel="fixed", buyer=buyer_org, actor=None
    )
    assert SaleRecord.objects.count() == 1


@pytest.mark.parametrize(
    "reference",
    ["", "   ", "abc", "ZD-2026/001", "中登123", "A" * 31, "1" * 19, "1" * 21, "ZD20261128000123"],
)
def test_implausible_registry_reference_refused(accepted, lessor, listing, reference):
    with pytest.raises(DomainError) as excinfo:
        start(accepted, lessor, reference)
    assert "registry_reference" in excinfo.value.fields
    listing.machine.refresh_from_db()
    assert listing.machine.is_encumbered is False
    assert LeaseContract.objects.count() == 0


def test_contract_needs_an_accepted_application(accepted, lessor, listing):
    accepted.status = ApplicationStatus.APPROVED
    accepted.save()
    with pytest.raises(ConflictError):
        start(accepted, lessor)
    listing.machine.refresh_from_db()
    assert (listing.machine.is_encumbered, LeaseContract.objects.count()) == (False, 0)


def test_contract_started_once(accepted, lessor):
    start(accepted, lessor)
    with pytest.raises(ConflictError):
        start(accepted, lessor)
    assert LeaseContract.objects.count() == 1


@pytest.mark.parametrize(
    ("who", "error"), [("buyer", PermissionDeniedError), ("other_dealer", NotFoundError)]
)
def test_only_the_lessor_starts_and_releases(
    accepted, lessor, buyer, other_dealer, listing, who, error
):
    actor = {"buyer": buyer, "other_dealer": other_dealer}[who]
    with pytest.raises(error):
        start(accepted, actor)
    assert LeaseContract.objects.count() == 0
    contract = start(accepted, lessor)
    with pytest.raises(error):
        services.contract_release(actor=actor, contract=contract)
    contract.refresh_from_db()
    listing.machine.refresh_from_db()
    assert (contract.status, listing.machine.is_encumbered) == (ContractStatus.ACTIVE, True)


def test_release_twice_refused(accepted, lessor):
    contract = start(accepted, lessor)
    services.contract_release(actor=lessor, contract=contract)
    with pytest.raises(ConflictError):
        services.contract_release(actor=lessor, contract=contract)


def test_lease_history_for_the_passport(accepted, lessor, listing):
    contract = start(accepted, lessor)
    [entry] = machine_lease_history(listing.machine)
    assert entry.contract_number == contract.contract_number
    assert entry.lessor_name == "湘江融资租赁"
    assert entry.registry_reference == "20261128000123456789"
    assert (entry.start_date, entry.end_date) == (dt.date(2026, 1, 31), dt.date(2029, 1, 31))
    assert (entry.status, entry.is_active, entry.released_at) == ("active", True, None)
    services.contract_release(actor=lessor, contract=contract)
    [entry] = machine_lease_history(listing.machine)
    assert entry.is_active is False
    assert entry.released_at is not None


def test_pdf_contains_contract_number_and_schedule(accepted, lessor):
    contract = start(accepted, lessor)
    data = contract_pdf(contract)
    assert data.startswith(b"%PDF-")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert contract.contract_number in text
    assert "20261128000123456789" in text
    assert "21295.36" in text
    assert "融资租赁合同" in text
    assert "7.69%" in text


def test_pdf_download_only_for_parties(client, accepted, lessor, buyer, other_dealer):
    contract = start(accepted, lessor)
    url = f"/leasing/contracts/{contract.pk}/pdf/"
    client.force_login(buyer)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    client.force_login(other_dealer)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("start_date", "months", "end"),
    [
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2027, 12, 15), 36, dt.date(2030, 12, 15)),
        (dt.date(2028, 1, 31), 1, dt.date(2028, 2, 29)),
    ],
)
def test_add_months(start_date, months, end):
    assert add_months(start_date, months) == end


def test_database_allows_one_active_contract_per_machine(accepted, lessor, product, buyer_org):
    from django.db import IntegrityError, transaction

    contract = start(accepted, lessor)
    second = LeaseApplicationFactory(
        product=product,
        listing=None,
        machine=contract.machine,
        kind="sale_leaseback",
        applicant=buyer_org,
        price=Decimal(500000),
    )
    fields = {
        f.name: getattr(contract, f.name)
        for f in LeaseContract._meta.concrete_fields
        if f.name not in ("id", "application", "contract_number")
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        LeaseContract.objects.create(application=second, contract_number="X1", **fields)
    fields["status"] = ContractStatus.RELEASED
    LeaseContract.objects.create(application=second, contract_number="X1", **fields)
    assert LeaseContract.objects.count() == 2
