import datetime as dt
from decimal import Decimal

import pytest

from accounts.models import Role
from accounts.tests.factories import member_of
from core.documents import verification_code
from core.errors import ConflictError, DomainError, PermissionDeniedError
from marketplace.models import Listing, ListingEvent, ListingStatus
from marketplace.services import ListingInput, listing_create
from marketplace.tests.factories import ListingFactory, MachineFactory, PublishedListingFactory
from recycling.models import DisposalCertificate, DisposalRequest, QuoteStatus
from recycling.services import (
    MaterialInput,
    disposal_certificate_revoke,
    disposal_complete,
    disposal_quote_accept,
    disposal_quote_submit,
    disposal_request_cancel,
    disposal_request_create,
)

pytestmark = pytest.mark.django_db

MATERIALS = [
    MaterialInput("steel", "recycle", Decimal("15000")),
    MaterialInput("components", "reuse", Decimal("2000")),
    MaterialInput("rubber", "energy", Decimal("1000")),
    MaterialInput("glass", "disposal", Decimal("1000")),
]


@pytest.fixture
def machine(dealer_org):
    return MachineFactory(owner=dealer_org)


def _accepted(machine, dealer, recycler_org, recycler):
    request = disposal_request_create(machine=machine, actor=dealer, note="发动机报废")
    quote = disposal_quote_submit(
        request=request, recycler=recycler_org, actor=recycler, price=Decimal("42000")
    )
    disposal_quote_accept(quote=quote, actor=dealer)
    request.refresh_from_db()
    return request


def test_full_disposal_scraps_machine_withdraws_listing_and_certifies(
    machine, dealer, recycler_org, recycler
):
    listing = PublishedListingFactory(machine=machine)
    request = _accepted(machine, dealer, recycler_org, recycler)
    certificate = disposal_complete(
        request=request, actor=recycler, materials=MATERIALS, completed_on=dt.date.today()
    )
    machine.refresh_from_db()
    listing.refresh_from_db()
    assert machine.is_scrapped is True
    assert listing.status == ListingStatus.WITHDRAWN
    event = ListingEvent.objects.filter(listing=listing).last()
    assert (event.to_status, event.actor) == ("withdrawn", dealer)
    assert certificate.number.startswith("IL-DC-")
    assert certificate.recoverability_rate == Decimal("94.73")
    assert certificate.recyclability_rate == Decimal("89.47")
    assert len(verification_code(certificate)) == 20
    request.refresh_from_db()
    assert request.status == "completed"


def test_scrapped_machine_cannot_be_listed_again(machine, dealer, recycler_org, recycler):
    request = _accepted(machine, dealer, recycler_org, recycler)
    disposal_complete(request=request, actor=recycler, materials=MATERIALS)
    machine.refresh_from_db()
    with pytest.raises(ConflictError) as exc:
        listing_create(
            machine=machine,
            actor=dealer,
            data=ListingInput(title="再卖一次", sale_format="fixed", asking_price=Decimal("1")),
        )
    assert exc.value.code == "machine_scrapped"
    assert Listing.objects.filter(machine=machine).count() == 0
    with pytest.raises(ConflictError):
        disposal_request_create(machine=machine, actor=dealer)


def test_reserved_listing_blocks_disposal_and_nothing_changes(
    machine, dealer, recycler_org, recycler
):
    request = _accepted(machine, dealer, recycler_org, recycler)
    listing = ListingFactory(machine=machine, status=ListingStatus.RESERVED)
    with pytest.raises(ConflictError) as exc:
        disposal_complete(request=request, actor=recycler, materials=MATERIALS)
    assert exc.value.code == "machine_reserved"
    machine.refresh_from_db()
    listing.refresh_from_db()
    request.refresh_from_db()
    assert (machine.is_scrapped, listing.status, request.status) == (False, "reserved", "accepted")
    assert DisposalCertificate.objects.count() == 0


def test_only_the_chosen_recycler_completes(machine, dealer, recycler_org, recycler, other_dealer):
    from accounts.models import OrganizationKind
    from accounts.tests.factories import OrganizationFactory

    other_recycler_org = OrganizationFactory(kind=OrganizationKind.RECYCLER)
    other_recycler = member_of(other_recycler_org, Role.OWNER)
    request = disposal_request_create(machine=machine, actor=dealer)
    chosen = disposal_quote_submit(
        request=request, recycler=recycler_org, actor=recycler, price=Decimal("40000")
    )
    other = disposal_quote_submit(
        request=request, recycler=other_recycler_org, actor=other_recycler, price=Decimal("38000")
    )
    disposal_quote_accept(quote=chosen, actor=dealer)
    other.refresh_from_db()
    assert other.status == QuoteStatus.DECLINED
    for actor in (other_recycler, other_dealer, dealer):
        with pytest.raises(PermissionDeniedError):
            disposal_complete(request=request, actor=actor, materials=MATERIALS)
    machine.refresh_from_db()
    assert machine.is_scrapped is False
    assert DisposalCertificate.objects.count() == 0


def test_permissions_on_request_quote_and_accept(
    machine, dealer, other_dealer, recycler_org, recycler
):
    with pytest.raises(PermissionDeniedError):
        disposal_request_create(machine=machine, actor=other_dealer)
    with pytest.raises(PermissionDeniedError):
        disposal_request_create(machine=machine, actor=recycler)
    assert DisposalRequest.objects.count() == 0
    request = disposal_request_create(machine=machine, actor=dealer)
    with pytest.raises(PermissionDeniedError):
        disposal_quote_submit(
            request=request, recycler=recycler_org, actor=dealer, price=Decimal("1")
        )
    with pytest.raises(DomainError):
        disposal_quote_submit(
            request=request, recycler=recycler_org, actor=recycler, price=Decimal("-1")
        )
    quote = disposal_quote_submit(
        request=request, recycler=recycler_org, actor=recycler, price=Decimal("1")
    )
    with pytest.raises(ConflictError):
        disposal_quote_submit(
            request=request, recycler=recycler_org, actor=recycler, price=Decimal("2")
        )
    with pytest.raises(PermissionDeniedError):
        disposal_quote_accept(quote=quote, actor=recycler)
    quote.refresh_from_db()
    assert quote.status == "offered"


def test_bad_materials_change_nothing(machine, dealer, recycler_org, recycler):
    request = _accepted(machine, dealer, recycler_org, recycler)
    with pytest.raises(DomainError):
        disposal_complete(
            request=request,
            actor=recycler,
            materials=[MaterialInput("steel", "recycle", Decimal("0"))],
        )
    with pytest.raises(DomainError):
        disposal_complete(request=request, actor=recycler, materials=[])
    machine.refresh_from_db()
    assert machine.is_scrapped is False


def test_cancelled_request_frees_the_machine(machine, dealer, recycler_org, recycler):
    request = _accepted(machine, dealer, recycler_org, recycler)
    disposal_request_cancel(request=request, actor=dealer)
    with pytest.raises(ConflictError):
        disposal_complete(request=request, actor=recycler, materials=MATERIALS)
    assert disposal_request_create(machine=machine, actor=dealer).status == "requested"


def test_issued_disposal_certificate_is_immutable_in_the_database(
    client, machine, dealer, recycler_org, recycler
):
    from django.db import IntegrityError, transaction

    from recycling.models import MaterialLine

    request = _accepted(machine, dealer, recycler_org, recycler)
    certificate = disposal_complete(request=request, actor=recycler, materials=MATERIALS)
    rows = DisposalCertificate.objects.filter(pk=certificate.pk)
    for action in (
        lambda: rows.update(recoverability_rate=Decimal("99.00")),
        lambda: rows.delete(),
        lambda: MaterialLine.objects.filter(certificate=certificate).update(mass_kg=1),
        lambda: MaterialLine.objects.filter(certificate=certificate).delete(),
    ):
        with pytest.raises(IntegrityError, match="immutable"), transaction.atomic():
            action()
    certificate.refresh_from_db()
    assert certificate.recoverability_rate == Decimal("94.73")


@pytest.mark.urls("certification.tests.urls")
def test_altered_disposal_certificate_no_longer_verifies(
    client, machine, dealer, recycler_org, recycler
):
    from certification.tests.tampering import tampering
    from core.documents import verify_path

    request = _accepted(machine, dealer, recycler_org, recycler)
    certificate = disposal_complete(request=request, actor=recycler, materials=MATERIALS)
    path = verify_path(certificate)
    assert client.get(path).status_code == 200
    with tampering("recycling_disposalcertificate"):
        DisposalCertificate.objects.filter(pk=certificate.pk).update(
            recoverability_rate=Decimal("99.00")
        )
    assert client.get(path).status_code == 404


# --- revocation ----------------------------------------------------------------------------


@pytest.mark.urls("certification.tests.urls")
def test_recycler_revokes_a_certificate_and_verification_says_so(
    client, machine, dealer, recycler_org, recycler
):
    from core.documents import verify_path

    request = _accepted(machine, dealer, recycler_org, recycler)
    certificate = disposal_complete(request=request, actor=recycler, materials=MATERIALS)
    revoked = disposal_certificate_revoke(
        certificate=certificate, actor=recycler, reason="  证书填错了设备  "
    )
    certificate.refresh_from_db()
    assert (certificate.status, certificate.revocation_reason) == ("revoked", "证书填错了设备")
    assert certificate.revoked_at is not None
    assert revoked.pk == certificate.pk
    # Still resolves (the content is unchanged) and says it was revoked, with the reason.
    page = client.get(verify_path(certificate))
    assert page.status_code == 200
    body = page.content.decode()
    assert "已撤销" in body and "证书填错了设备" in body
    machine.refresh_from_db()
    assert machine.is_scrapped is True  # withdrawing a document does not unscrap a machine
    with pytest.raises(ConflictError):
        disposal_certificate_revoke(certificate=certificate, actor=recycler, reason="再次")


def test_revocation_needs_a_reason_and_the_right_actor(
    machine, dealer, recycler_org, recycler, staff
):
    request = _accepted(machine, dealer, recycler_org, recycler)
    certificate = disposal_complete(request=request, actor=recycler, materials=MATERIALS)
    with pytest.raises(DomainError) as empty:
        disposal_certificate_revoke(certificate=certificate, actor=recycler, reason="  ")
    assert empty.value.fields == {"reason": ["请填写撤销原因。"]}
    with pytest.raises(PermissionDeniedError):  # the machine's owner did not issue it
        disposal_certificate_revoke(certificate=certificate, actor=dealer, reason="不想要了")
    certificate.refresh_from_db()
    assert (certificate.status, certificate.revoked_at) == ("issued", None)
    disposal_certificate_revoke(certificate=certificate, actor=staff, reason="平台核查：重复签发")
    certificate.refresh_from_db()
    assert certificate.status == "revoked"


def test_a_revoked_certificate_cannot_be_changed_in_the_database(
    machine, dealer, recycler_org, recycler
):
    from django.db import IntegrityError, transaction

    request = _accepted(machine, dealer, recycler_org, recycler)
    certificate = disposal_complete(request=request, actor=recycler, materials=MATERIALS)
    disposal_certificate_revoke(certificate=certificate, actor=recycler, reason="填错设备")
    with pytest.raises(IntegrityError), transaction.atomic():
        DisposalCertificate.objects.filter(pk=certificate.pk).update(revocation_reason="改掉")
