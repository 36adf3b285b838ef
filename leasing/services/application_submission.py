"""Submitting lease applications, pre-approvals and sale-and-leaseback requests, and
adding their documents. The quote is priced by :mod:`leasing.quoting` from the product and
the machine's value basis at submission."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from accounts.permissions import Permission, require_org_permission
from core.errors import ConflictError, DomainError, PermissionDeniedError
from core.storage import save_deleted_on_rollback
from core.uploads import clean_document_upload
from leasing.engine import QuoteInput
from leasing.models import (
    ApplicationKind,
    DocumentKind,
    LeaseApplication,
    LeaseApplicationEvent,
    LeaseDocument,
    LeaseProduct,
    LeaseType,
)
from leasing.quoting import (
    MachineFacts,
    QuoteRequest,
    eligible_categories_by_product,
    price_product,
    product_accepts_machine,
)
from leasing.services.application_access import (
    DOCUMENT_STATUSES,
    MAX_DOCUMENT_BYTES,
    MAX_DOCUMENTS,
    S,
    locked_application,
    notify_lessor,
    require_application_permission,
)
from leasing.valuation_adapter import machine_value_basis
from marketplace.lock_objects import machine_lock
from marketplace.models import Listing, ListingStatus, Machine

# --- submission ---------------------------------------------------------------------------


def _check_product(product: LeaseProduct, facts: MachineFacts | None) -> LeaseProduct:
    product = (
        LeaseProduct.objects.select_related("lessor")
        .prefetch_related("categories", "rate_bands")
        .get(pk=product.pk)
    )
    if not product.is_active or not product.lessor.is_verified:
        raise ConflictError(_("该产品已下架。"), code="product_inactive")
    if facts is not None:
        eligible = eligible_categories_by_product([product])[product.pk]
        if not product_accepts_machine(product, facts, eligible):
            raise DomainError(_("该设备不符合此产品的准入条件。"), code="not_eligible")
    return product


def _facts(machine: Machine) -> MachineFacts:
    return MachineFacts(
        category_id=machine.category_id,
        year_of_manufacture=machine.year_of_manufacture,
        current_hours=machine.current_hours,
        condition_grade=machine.condition_grade,
    )


def _priced_terms(
    product: LeaseProduct, machine: Machine, price: Decimal, request: QuoteRequest
) -> tuple[QuoteInput, list[str]]:
    """The request within the product's limits; refused with field errors if unpriceable."""
    priced = price_product(
        product=product,
        price=price,
        condition_grade=machine.condition_grade,
        request=request,
        basis_for_term=lambda term: machine_value_basis(
            machine, term_months=term, asking_price=price
        ),
    )
    if priced.result is None:
        raise DomainError(_("无法按该条件报价。"), code="invalid", fields=priced.errors)
    return priced.quote_input, priced.notes


def _create(
    *, actor: User, applicant: Organization, product: LeaseProduct, fields: dict[str, object]
) -> LeaseApplication:
    try:
        with transaction.atomic():
            application = LeaseApplication.objects.create(
                applicant=applicant,
                submitted_by=actor,
                lessor=product.lessor,
                product=product,
                **fields,
            )
    except IntegrityError as exc:
        raise ConflictError(
            _("您已就该设备向此产品提交过申请，请勿重复提交。"), code="duplicate_application"
        ) from exc
    LeaseApplicationEvent.objects.create(
        application=application, from_status="", to_status=S.SUBMITTED, actor=actor
    )
    notify_lessor(application, _("收到新的融资租赁申请 #%(id)s") % {"id": application.pk})
    return application


@transaction.atomic
def application_submit(
    *,
    actor: User,
    applicant: Organization,
    product: LeaseProduct,
    listing: Listing,
    request: QuoteRequest,
    message: str = "",
) -> LeaseApplication:
    """Apply to finance the purchase of a published listing on the product's terms."""
    require_org_permission(actor, applicant, Permission.LEASE_APPLY)
    listing = Listing.objects.select_related("machine").get(pk=listing.pk)
    if listing.status != ListingStatus.PUBLISHED or listing.asking_price is None:
        raise ConflictError(_("该挂牌当前不可申请融资。"), code="listing_not_available")
    if listing.seller_id == applicant.pk:
        raise DomainError(_("不能为自己机构的挂牌申请购机融资。"), code="own_listing")
    product = _check_product(product, _facts(listing.machine))
    inp, notes = _priced_terms(product, listing.machine, listing.asking_price, request)
    return _create(
        actor=actor,
        applicant=applicant,
        product=product,
        fields={
            "kind": ApplicationKind.PURCHASE,
            "listing": listing,
            "machine": listing.machine,
            **_request_fields(inp),
            "message": "\n".join([message.strip(), *notes]).strip(),
        },
    )


def _request_fields(inp: QuoteInput) -> dict[str, object]:
    return {
        "lease_type": inp.lease_type,
        "price": inp.price,
        "down_payment": inp.down_payment,
        "term_months": inp.term_months,
        "method": inp.method,
        "timing": inp.timing,
        "balloon": inp.balloon,
    }


@transaction.atomic
def preapproval_request(
    *,
    actor: User,
    applicant: Organization,
    product: LeaseProduct,
    amount: Decimal,
    term_months: int,
    message: str = "",
) -> LeaseApplication:
    """Ask a lessor for a financing limit before choosing a machine (waives auction deposits)."""
    require_org_permission(actor, applicant, Permission.LEASE_APPLY)
    product = _check_product(product, None)
    if amount <= 0:
        raise DomainError(
            _("额度必须大于零。"), code="invalid", fields={"amount": [_("额度必须大于零。")]}
        )
    if term_months not in product.term_choices():
        raise DomainError(
            _("该产品不提供此期限。"),
            code="invalid",
            fields={"term_months": [_("该产品不提供此期限。")]},
        )
    return _create(
        actor=actor,
        applicant=applicant,
        product=product,
        fields={
            "kind": ApplicationKind.PREAPPROVAL,
            "lease_type": product.lease_types[0],
            "price": amount,
            "down_payment": Decimal(0),
            "term_months": term_months,
            "message": message.strip(),
        },
    )


@transaction.atomic
def sale_leaseback_request(
    *,
    actor: User,
    applicant: Organization,
    product: LeaseProduct,
    machine: Machine,
    price: Decimal,
    term_months: int,
    message: str = "",
) -> LeaseApplication:
    """A dealer sells a machine it owns to the lessor and leases it back (售后回租)."""
    require_org_permission(actor, applicant, Permission.LEASE_APPLY)
    machine = machine_lock(machine.pk)
    if machine.owner_id != applicant.pk:
        raise PermissionDeniedError(_("只能为本机构名下的设备申请售后回租。"), code="not_owner")
    if machine.is_encumbered or machine.is_scrapped:
        raise ConflictError(_("该设备已有融资登记或已报废，不能售后回租。"), code="encumbered")
    product = _check_product(product, _facts(machine))
    if not product.allows_sale_leaseback:
        raise DomainError(_("该产品不支持售后回租。"), code="not_eligible")
    request = QuoteRequest(
        down_payment=Decimal(0), term_months=term_months, lease_type=LeaseType.SALE_LEASEBACK
    )
    inp, notes = _priced_terms(product, machine, price, request)
    return _create(
        actor=actor,
        applicant=applicant,
        product=product,
        fields={
            "kind": ApplicationKind.SALE_LEASEBACK,
            "machine": machine,
            **_request_fields(inp),
            "message": "\n".join([message.strip(), *notes]).strip(),
        },
    )


@transaction.atomic
def application_document_add(
    *, actor: User, application: LeaseApplication, kind: str, upload: UploadedFile
) -> LeaseDocument:
    """Attach a KYC document: a PDF without active content or an image, at most 10 MB.

    The file goes to the private storage under a server-chosen name; the uploader's name and
    extension are discarded."""
    application = locked_application(application)
    require_application_permission(actor, application, Permission.LEASE_APPLY)
    if application.status not in DOCUMENT_STATUSES:
        raise ConflictError(_("当前状态不能上传资料。"), code="invalid_state")
    if kind not in DocumentKind.values:
        raise DomainError(
            _("资料类型无效。"), code="invalid", fields={"kind": [_("资料类型无效。")]}
        )
    if application.documents.count() >= MAX_DOCUMENTS:
        raise ConflictError(
            _("每个申请最多上传 %(count)s 份资料。") % {"count": MAX_DOCUMENTS},
            code="too_many_documents",
        )
    try:
        clean = clean_document_upload(upload, max_bytes=MAX_DOCUMENT_BYTES)
    except ValidationError as exc:
        raise DomainError(
            exc.messages[0], code="invalid_file", fields={"file": list(exc.messages)}
        ) from exc
    document = LeaseDocument(
        application=application,
        kind=kind,
        content_type=clean.kind,
        size=clean.content.size,
        uploaded_by=actor,
    )
    # Private storage, random name with the detected type's extension; gone on rollback.
    save_deleted_on_rollback(document.file, clean.content.name, clean.content)
    document.save()
    return document
