"""The application state machine, its permissions, documents and pre-approvals."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.models import OrganizationKind, Role
from accounts.tests.factories import OrganizationFactory, member_of
from core.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from core.tests.documents import pdf_bytes
from leasing import services
from leasing.models import (
    ApplicationKind,
    ApplicationStatus,
    LeaseApplication,
    LeaseApplicationEvent,
    LeaseDocument,
)
from leasing.quoting import QuoteRequest
from leasing.rules import required_documents
from leasing.tests.factories import LeaseApplicationFactory, LeaseProductFactory, attach_document
from marketplace.tests.factories import MachineFactory
from notifications.models import Notification

S = ApplicationStatus


@pytest.fixture
def application(product, listing, buyer_org, buyer):
    return LeaseApplicationFactory(
        product=product, listing=listing, applicant=buyer_org, submitted_by=buyer
    )


def terms(**overrides):
    values = {
        "price": Decimal(1000000),
        "down_payment": Decimal(300000),
        "term_months": 36,
        "annual_rate": Decimal("0.06"),
        "deposit": Decimal(50000),
        "fee": Decimal(7000),
        "buyout_price": Decimal(100),
    }
    values.update(overrides)
    return services.ApprovalTerms(**values)


def snapshot(application):
    application.refresh_from_db()
    return (application.status, application.events.count(), application.decided_at)


class TestSubmit:
    def test_submit_records_event_and_notifies_lessor(
        self, product, listing, buyer_org, buyer, lessor, no_valuation
    ):
        application = services.application_submit(
            actor=buyer,
            applicant=buyer_org,
            product=product,
            listing=listing,
            request=QuoteRequest(down_payment=Decimal(300000), term_months=36),
        )
        assert application.status == S.SUBMITTED
        assert application.kind == ApplicationKind.PURCHASE
        assert application.lessor == product.lessor
        assert (application.price, application.down_payment) == (Decimal(1000000), Decimal(300000))
        assert list(application.events.values_list("from_status", "to_status")) == [
            ("", S.SUBMITTED)
        ]
        assert Notification.objects.filter(recipient=lessor).count() == 1

    def test_submit_applies_limits(self, product, listing, buyer_org, buyer, no_valuation):
        application = services.application_submit(
            actor=buyer,
            applicant=buyer_org,
            product=product,
            listing=listing,
            request=QuoteRequest(down_payment=Decimal(1000)),
        )
        assert application.down_payment == Decimal(300000)
        assert "30%" in application.message

    def test_duplicate_open_application_refused(
        self, product, listing, buyer_org, buyer, no_valuation
    ):
        kwargs = {
            "actor": buyer,
            "applicant": buyer_org,
            "product": product,
            "listing": listing,
            "request": QuoteRequest(),
        }
        services.application_submit(**kwargs)
        with pytest.raises(ConflictError):
            services.application_submit(**kwargs)
        assert LeaseApplication.objects.count() == 1

    def test_dealer_cannot_finance_own_listing(
        self, product, listing, dealer_org, dealer, no_valuation
    ):
        with pytest.raises(DomainError):
            services.application_submit(
                actor=dealer,
                applicant=dealer_org,
                product=product,
                listing=listing,
                request=QuoteRequest(),
            )
        assert LeaseApplication.objects.count() == 0

    def test_lessor_cannot_apply(self, product, listing, lessor_org, lessor, no_valuation):
        with pytest.raises(PermissionDeniedError):
            services.application_submit(
                actor=lessor,
                applicant=lessor_org,
                product=product,
                listing=listing,
                request=QuoteRequest(),
            )
        assert LeaseApplication.objects.count() == 0


class TestTransitions:
    def test_full_happy_path(self, application, buyer, lessor, no_valuation):
        services.application_request_info(
            actor=lessor, application=application, note="请补充近6个月银行流水"
        )
        services.application_resubmit(actor=buyer, application=application, note="已上传")
        services.application_approve(actor=lessor, application=application, terms=terms())
        services.application_accept(actor=buyer, application=application)
        application.refresh_from_db()
        assert application.status == S.ACCEPTED
        assert application.approved_deposit == Decimal(50000)
        assert application.valid_until == timezone.localdate() + dt.timedelta(days=90)
        assert list(application.events.values_list("from_status", "to_status")) == [
            (S.SUBMITTED, S.INFO_REQUESTED),
            (S.INFO_REQUESTED, S.RESUBMITTED),
            (S.RESUBMITTED, S.APPROVED),
            (S.APPROVED, S.ACCEPTED),
        ]

    def test_decline_needs_a_reason(self, application, lessor):
        before = snapshot(application)
        with pytest.raises(DomainError) as excinfo:
            services.application_decline(actor=lessor, application=application, reason="  ")
        assert "reason" in excinfo.value.fields
        assert snapshot(application) == before
        services.application_decline(actor=lessor, application=application, reason="负债率过高")
        application.refresh_from_db()
        assert (application.status, application.decline_reason) == (S.DECLINED, "负债率过高")

    @pytest.mark.parametrize(
        ("status", "call"),
        [
            (S.SUBMITTED, "accept"),
            (S.SUBMITTED, "resubmit"),
            (S.INFO_REQUESTED, "approve"),
            (S.APPROVED, "approve"),
            (S.APPROVED, "request_info"),
            (S.DECLINED, "accept"),
            (S.DECLINED, "withdraw"),
            (S.WITHDRAWN, "approve"),
            (S.ACCEPTED, "withdraw"),
            (S.ACCEPTED, "decline"),
        ],
    )
    def test_refused_transitions_change_nothing(
        self, application, buyer, lessor, status, call, no_valuation
    ):
        LeaseApplication.objects.filter(pk=application.pk).update(status=status)
        before = snapshot(application)
        actions = {
            "accept": lambda: services.application_accept(actor=buyer, application=application),
            "resubmit": lambda: services.application_resubmit(actor=buyer, application=application),
            "withdraw": lambda: services.application_withdraw(actor=buyer, application=application),
            "approve": lambda: services.application_approve(
                actor=lessor, application=application, terms=terms()
            ),
            "request_info": lambda: services.application_request_info(
                actor=lessor, application=application, note="x"
            ),
            "decline": lambda: services.application_decline(
                actor=lessor, application=application, reason="x"
            ),
        }
        with pytest.raises(ConflictError):
            actions[call]()
        assert snapshot(application) == before

    def test_expired_approval_cannot_be_accepted(self, application, buyer, lessor, no_valuation):
        services.application_approve(actor=lessor, application=application, terms=terms())
        LeaseApplication.objects.filter(pk=application.pk).update(
            valid_until=timezone.localdate() - dt.timedelta(days=1)
        )
        with pytest.raises(ConflictError):
            services.application_accept(actor=buyer, application=application)
        application.refresh_from_db()
        assert application.status == S.APPROVED

    def test_approval_over_ltv_refused(self, application, lessor, fake_forecast):
        fake_forecast(today="800000", p10_at_end="200000")
        before = snapshot(application)
        with pytest.raises(DomainError) as excinfo:
            services.application_approve(actor=lessor, application=application, terms=terms())
        assert "down_payment" in excinfo.value.fields
        assert snapshot(application) == before

    def test_approval_balloon_over_p10_refused(self, application, lessor, fake_forecast):
        fake_forecast(today="1000000", p10_at_end="200000")
        with pytest.raises(DomainError) as excinfo:
            services.application_approve(
                actor=lessor, application=application, terms=terms(balloon=Decimal(250000))
            )
        assert list(excinfo.value.fields) == ["balloon"]
        services.application_approve(
            actor=lessor, application=application, terms=terms(balloon=Decimal(200000))
        )
        application.refresh_from_db()
        assert application.approved_balloon == Decimal(200000)

    def test_approval_balloon_without_forecast_refused(self, application, lessor, no_valuation):
        with pytest.raises(DomainError) as excinfo:
            services.application_approve(
                actor=lessor, application=application, terms=terms(balloon=Decimal(1000))
            )
        assert excinfo.value.fields["balloon"] == ["残值预测暂不可用"]


@pytest.fixture
def actors(db, buyer_org, lessor_org):
    other_lessor_org = OrganizationFactory(kind=OrganizationKind.LESSOR)
    return {
        "anonymous": None,
        "other_org": member_of(other_lessor_org, Role.FINANCE),
        "lessor_viewer": member_of(lessor_org, Role.VIEWER),
        "buyer_viewer": member_of(buyer_org, Role.VIEWER),
    }


REVIEW_CALLS = {
    "approve": lambda actor, app: services.application_approve(
        actor=actor, application=app, terms=terms()
    ),
    "request_info": lambda actor, app: services.application_request_info(
        actor=actor, application=app, note="x"
    ),
    "decline": lambda actor, app: services.application_decline(
        actor=actor, application=app, reason="x"
    ),
}


class TestPermissions:
    @pytest.mark.parametrize("call", list(REVIEW_CALLS))
    @pytest.mark.parametrize(
        ("who", "error"),
        [
            ("anonymous", NotFoundError),
            ("other_org", NotFoundError),
            ("lessor_viewer", PermissionDeniedError),
            ("buyer", PermissionDeniedError),
        ],
    )
    def test_review_refused(self, application, actors, buyer, who, error, call, no_valuation):
        actor = buyer if who == "buyer" else actors[who]
        if actor is None:
            from django.contrib.auth.models import AnonymousUser

            actor = AnonymousUser()
        before = snapshot(application)
        with pytest.raises(error):
            REVIEW_CALLS[call](actor, application)
        assert snapshot(application) == before

    @pytest.mark.parametrize("call", list(REVIEW_CALLS))
    def test_review_allowed_for_lessor_finance(self, application, lessor, call, no_valuation):
        REVIEW_CALLS[call](lessor, application)
        application.refresh_from_db()
        assert application.status != S.SUBMITTED

    @pytest.mark.parametrize(
        ("who", "error"),
        [
            ("other_org", NotFoundError),
            ("buyer_viewer", PermissionDeniedError),
            ("lessor", PermissionDeniedError),
        ],
    )
    def test_withdraw_refused(self, application, actors, lessor, who, error):
        actor = lessor if who == "lessor" else actors[who]
        before = snapshot(application)
        with pytest.raises(error):
            services.application_withdraw(actor=actor, application=application)
        assert snapshot(application) == before

    def test_withdraw_allowed_for_buyer(self, application, buyer):
        services.application_withdraw(actor=buyer, application=application, reason="已买到")
        application.refresh_from_db()
        assert application.status == S.WITHDRAWN


def pdf_upload(name="licence.pdf", size=0):
    """A real one-page PDF, padded after %%EOF to ``size`` extra bytes when asked."""
    return SimpleUploadedFile(name, pdf_bytes() + b"\n" * size, content_type="application/pdf")


def png_upload():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, format="PNG")
    return SimpleUploadedFile("id.png", buffer.getvalue(), content_type="image/png")


class TestDocuments:
    @pytest.fixture
    def application(self, product, listing, buyer_org, buyer):
        """Without the factory's required documents: these tests count uploads."""
        return LeaseApplicationFactory(
            product=product, listing=listing, applicant=buyer_org, submitted_by=buyer,
            documents=False,
        )  # fmt: skip

    def test_pdf_and_image_accepted(self, application, buyer):
        pdf = services.application_document_add(
            actor=buyer, application=application, kind="business_license", upload=pdf_upload()
        )
        image = services.application_document_add(
            actor=buyer, application=application, kind="id_card", upload=png_upload()
        )
        assert (pdf.content_type, image.content_type) == ("pdf", "image")
        assert application.documents.count() == 2

    def test_fake_pdf_refused_by_content(self, application, buyer):
        fake = SimpleUploadedFile(
            "licence.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
        )
        with pytest.raises(DomainError) as excinfo:
            services.application_document_add(
                actor=buyer, application=application, kind="business_license", upload=fake
            )
        assert "file" in excinfo.value.fields
        assert LeaseDocument.objects.count() == 0

    def test_too_large_refused(self, application, buyer):
        big = pdf_upload(size=10 * 1024 * 1024 + 1)
        with pytest.raises(DomainError):
            services.application_document_add(
                actor=buyer, application=application, kind="bank_statement", upload=big
            )
        assert LeaseDocument.objects.count() == 0

    def test_lessor_cannot_upload_and_closed_application_refuses(self, application, buyer, lessor):
        with pytest.raises(PermissionDeniedError):
            services.application_document_add(
                actor=lessor, application=application, kind="other", upload=pdf_upload()
            )
        services.application_decline(actor=lessor, application=application, reason="x")
        with pytest.raises(ConflictError):
            services.application_document_add(
                actor=buyer, application=application, kind="other", upload=pdf_upload()
            )
        assert LeaseDocument.objects.count() == 0


class TestPreapprovalAndLeaseback:
    def test_preapproval_flow(self, product, buyer_org, buyer, lessor, no_valuation):
        application = services.preapproval_request(
            actor=buyer,
            applicant=buyer_org,
            product=product,
            amount=Decimal(800000),
            term_months=36,
        )
        assert (application.kind, application.listing, application.machine) == (
            ApplicationKind.PREAPPROVAL,
            None,
            None,
        )
        for kind in required_documents(ApplicationKind.PREAPPROVAL):
            attach_document(application, kind)
        services.application_approve(
            actor=lessor,
            application=application,
            terms=terms(price=Decimal(800000), down_payment=Decimal(0)),
        )
        application.refresh_from_db()
        assert application.status == S.APPROVED
        assert application.approved_price == Decimal(800000)

    def test_sale_leaseback_for_own_machine(
        self, lessor_org, category, dealer_org, dealer, no_valuation
    ):
        product = LeaseProductFactory(
            lessor=lessor_org,
            categories=[category],
            allows_sale_leaseback=True,
            min_down_payment_share=Decimal(0),
        )
        machine = MachineFactory(owner=dealer_org, year_of_manufacture=2022)
        application = services.sale_leaseback_request(
            actor=dealer,
            applicant=dealer_org,
            product=product,
            machine=machine,
            price=Decimal(600000),
            term_months=24,
        )
        assert (application.kind, application.lease_type) == (
            ApplicationKind.SALE_LEASEBACK,
            "sale_leaseback",
        )
        assert application.machine == machine
        # Financing is capped at 80% of today's value (the price, without a valuation model).
        assert application.down_payment == Decimal(120000)
        assert "80%" in application.message

    def test_sale_leaseback_refused_for_machine_of_another_org(
        self, lessor_org, category, dealer_org, dealer, other_dealer_org, no_valuation
    ):
        product = LeaseProductFactory(
            lessor=lessor_org, categories=[category], allows_sale_leaseback=True
        )
        machine = MachineFactory(owner=other_dealer_org, year_of_manufacture=2022)
        with pytest.raises(PermissionDeniedError):
            services.sale_leaseback_request(
                actor=dealer,
                applicant=dealer_org,
                product=product,
                machine=machine,
                price=Decimal(600000),
                term_months=24,
            )
        assert LeaseApplication.objects.count() == 0

    def test_sale_leaseback_refused_when_product_does_not_offer_it(
        self, product, dealer_org, dealer, no_valuation
    ):
        machine = MachineFactory(owner=dealer_org, year_of_manufacture=2022)
        with pytest.raises(DomainError):
            services.sale_leaseback_request(
                actor=dealer,
                applicant=dealer_org,
                product=product,
                machine=machine,
                price=Decimal(600000),
                term_months=24,
            )
        assert LeaseApplicationEvent.objects.count() == 0


def test_inactive_product_refuses_applications(product, listing, buyer_org, buyer):
    product.is_active = False
    product.save()
    with pytest.raises(ConflictError):
        services.application_submit(
            actor=buyer,
            applicant=buyer_org,
            product=product,
            listing=listing,
            request=QuoteRequest(),
        )
    assert LeaseApplication.objects.count() == 0
