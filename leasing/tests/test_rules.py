"""Leasing rules at their boundaries: the documents an approval needs, and the 中登网
registration number's format. Refusals change nothing; API and HTML show the field."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import get_resolver, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core.errors import DomainError
from leasing import services
from leasing.models import (
    ApplicationStatus,
    DocumentKind,
    LeaseApplicationEvent,
    LeaseContract,
)
from leasing.rules import normalize_registry_reference, required_documents
from leasing.tests.factories import LeaseApplicationFactory, approved_fields, attach_document

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _project_imported():
    """Load every app's modules (through the URLconf) before ``no_valuation`` swaps in its
    stand-in ``valuation.selectors``, so this file also passes when run on its own."""
    get_resolver().url_patterns  # noqa: B018


REQUIRED = [DocumentKind.BUSINESS_LICENSE, DocumentKind.ID_CARD, DocumentKind.BANK_STATEMENT]


def terms() -> services.ApprovalTerms:
    return services.ApprovalTerms(
        price=Decimal(1000000), down_payment=Decimal(300000), term_months=36,
        annual_rate=Decimal("0.06"), buyout_price=Decimal(100),
        valid_until=timezone.localdate() + dt.timedelta(days=30),
    )  # fmt: skip


@pytest.fixture
def bare_application(product, listing, buyer_org, buyer):
    return LeaseApplicationFactory(
        product=product, listing=listing, applicant=buyer_org, submitted_by=buyer, documents=False
    )


def test_default_required_documents_per_kind():
    assert list(required_documents("purchase")) == REQUIRED
    assert list(required_documents("preapproval")) == REQUIRED
    assert list(required_documents("sale_leaseback")) == [*REQUIRED, DocumentKind.OWNERSHIP_PROOF]


def test_approval_without_documents_is_refused_and_changes_nothing(
    bare_application, lessor, no_valuation
):
    events = LeaseApplicationEvent.objects.count()
    with pytest.raises(DomainError) as excinfo:
        services.application_approve(actor=lessor, application=bare_application, terms=terms())
    assert excinfo.value.code == "documents_missing"
    assert "营业执照" in excinfo.value.fields["documents"][0]
    bare_application.refresh_from_db()
    assert bare_application.status == ApplicationStatus.SUBMITTED
    assert bare_application.approved_price is None
    assert LeaseApplicationEvent.objects.count() == events


def test_approval_needs_every_required_document(bare_application, lessor, no_valuation):
    for kind in REQUIRED[:-1]:
        attach_document(bare_application, kind)
    attach_document(bare_application, DocumentKind.OTHER)  # another kind does not count
    with pytest.raises(DomainError) as excinfo:
        services.application_approve(actor=lessor, application=bare_application, terms=terms())
    assert excinfo.value.fields["documents"] == ["批准前申请人须上传以下资料：银行流水。"]
    attach_document(bare_application, REQUIRED[-1])
    approved = services.application_approve(
        actor=lessor, application=bare_application, terms=terms()
    )
    assert approved.status == ApplicationStatus.APPROVED


def test_required_documents_follow_the_setting(bare_application, lessor, no_valuation, settings):
    settings.LEASING_REQUIRED_DOCUMENTS = {"purchase": ["financial_statement"]}
    with pytest.raises(DomainError) as excinfo:
        services.application_approve(actor=lessor, application=bare_application, terms=terms())
    assert "财务报表" in excinfo.value.fields["documents"][0]
    attach_document(bare_application, DocumentKind.FINANCIAL_STATEMENT)
    services.application_approve(actor=lessor, application=bare_application, terms=terms())


def test_api_approval_without_documents_is_400_with_field(bare_application, lessor, no_valuation):
    client = APIClient()
    client.force_authenticate(lessor)
    response = client.post(
        f"/api/leasing/applications/{bare_application.pk}/approve/",
        {"price": "1000000", "down_payment": "300000", "term_months": 36, "annual_rate": "0.06"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["documents"]
    bare_application.refresh_from_db()
    assert bare_application.status == ApplicationStatus.SUBMITTED


def test_html_approval_without_documents_shows_the_error(
    client, bare_application, lessor, no_valuation
):
    client.force_login(lessor)
    response = client.post(
        reverse("leasing:application_action", args=[bare_application.pk, "approve"]),
        {
            "price": "1000000",
            "down_payment": "300000",
            "term_months": 36,
            "annual_rate": "0.06",
            "deposit": "0",
            "fee": "0",
            "buyout_price": "100",
            "balloon": "0",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "批准前申请人须上传以下资料" in response.content.decode()
    bare_application.refresh_from_db()
    assert bare_application.status == ApplicationStatus.SUBMITTED


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("04470913000472823822", "04470913000472823822"),
        (" 0447 0913 0004 7282 3822 ", "04470913000472823822"),
        ("0447-0913-0004-7282-3822", "04470913000472823822"),
        ("abc", None),
        ("0447091300047282382", None),  # 19 digits
        ("044709130004728238221", None),  # 21 digits
        ("ZD044709130004728238", None),
        ("０４４７０９１３０００４７２８２３８２２", None),  # full-width digits
    ],
)
def test_registry_reference_format(value, stored):
    assert normalize_registry_reference(value) == stored


@pytest.fixture
def accepted(product, listing, buyer_org, buyer):
    application = LeaseApplicationFactory(
        product=product, listing=listing, applicant=buyer_org, submitted_by=buyer,
        status=ApplicationStatus.ACCEPTED,
    )  # fmt: skip
    for name, value in approved_fields(application).items():
        setattr(application, name, value)
    application.save()
    return application


def test_registration_abc_is_refused_on_the_form_and_stores_nothing(
    client, accepted, lessor, listing
):
    client.force_login(lessor)
    response = client.post(
        reverse("leasing:application_action", args=[accepted.pk, "start_contract"]),
        {"registry_reference": "abc"},
        follow=True,
    )
    assert response.status_code == 200
    assert "20 位数字" in response.content.decode()
    assert LeaseContract.objects.count() == 0
    listing.machine.refresh_from_db()
    assert listing.machine.is_encumbered is False


def test_registration_abc_over_api_is_400(accepted, lessor):
    client = APIClient()
    client.force_authenticate(lessor)
    response = client.post(
        f"/api/leasing/applications/{accepted.pk}/start-contract/",
        {"registry_reference": "abc"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["registry_reference"]
    assert LeaseContract.objects.count() == 0


def test_release_page_asks_for_confirmation(client, accepted, lessor):
    contract = services.contract_start(
        actor=lessor, application=accepted, registry_reference="04470913000472823822",
        start_date=timezone.localdate(),
    )  # fmt: skip
    client.force_login(lessor)
    page = client.get(reverse("leasing:contract_detail", args=[contract.pk])).content.decode()
    assert 'name="confirm"' in page and "required" in page


def test_application_page_lists_the_missing_documents(client, bare_application, lessor):
    attach_document(bare_application, DocumentKind.BUSINESS_LICENSE)
    client.force_login(lessor)
    url = reverse("leasing:application_detail", args=[bare_application.pk])
    page = client.get(url).content.decode()
    section = page[page.index('id="documents-missing"') :]
    assert "银行流水" in section and "法定代表人身份证" in section
    assert "营业执照</li>" not in section[: section.index("</div>")]
    for kind in REQUIRED[1:]:
        attach_document(bare_application, kind)
    assert 'id="documents-missing"' not in client.get(url).content.decode()
