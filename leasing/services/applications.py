"""Lease applications: submission, the lessor's review state machine, documents.

Visibility is part of the rule: an actor who is not a member of the applicant or of the
lessor gets ``NotFoundError`` (the application does not exist for them); a member without
the right permission gets ``PermissionDeniedError``. Every refusal changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.models import Membership, Organization, User
from accounts.permissions import GRANTS, Permission, has_org_permission, require_org_permission
from core.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from core.storage import save_deleted_on_rollback
from core.uploads import clean_document_upload
from leasing.engine import NON_FIELD_ERRORS, QuoteInput, QuoteValidationError, quote
from leasing.lock_objects import lease_application_lock
from leasing.models import (
    ApplicationKind,
    ApplicationStatus,
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
from leasing.rules import required_documents
from leasing.valuation_adapter import ValueBasis, machine_value_basis
from marketplace.lock_objects import machine_lock
from marketplace.models import Listing, ListingStatus, Machine
from notifications.services import notification_send

S = ApplicationStatus
MAX_DOCUMENTS = 20
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
DEFAULT_VALIDITY = dt.timedelta(days=90)
DOCUMENT_STATUSES = (S.SUBMITTED, S.INFO_REQUESTED, S.RESUBMITTED)


# --- who may do what ----------------------------------------------------------------------


def _is_party(actor: User | None, application: LeaseApplication) -> bool:
    if actor is None or not actor.is_authenticated:
        return False
    return Membership.objects.filter(
        user=actor, organization_id__in=[application.applicant_id, application.lessor_id]
    ).exists()


def require_application_permission(
    actor: User | None, application: LeaseApplication, permission: Permission
) -> None:
    organization = (
        application.lessor
        if permission == Permission.LEASE_APPLICATION_REVIEW
        else application.applicant
    )
    if has_org_permission(actor, organization, permission):
        return
    if _is_party(actor, application):
        raise PermissionDeniedError(_("您没有执行此操作的权限。"))
    raise NotFoundError(_("申请不存在。"))


def can_review_application(user: User | None, application: LeaseApplication) -> bool:
    return has_org_permission(user, application.lessor, Permission.LEASE_APPLICATION_REVIEW)


def can_act_as_applicant(user: User | None, application: LeaseApplication) -> bool:
    return has_org_permission(user, application.applicant, Permission.LEASE_APPLY)


def locked_application(application: LeaseApplication) -> LeaseApplication:
    return lease_application_lock(
        application.pk,
        related=("lessor", "applicant", "product", "listing", "machine", "submitted_by"),
    )


def _check_transition(application: LeaseApplication, to_status: str) -> None:
    if not application.can_transition(to_status):
        raise ConflictError(
            _("申请状态不能从“%(src)s”变为“%(dst)s”。")
            % {"src": application.get_status_display(), "dst": ApplicationStatus(to_status).label},
            code="invalid_transition",
        )


def _transition(
    application: LeaseApplication,
    *,
    to_status: str,
    actor: User,
    note: str = "",
    fields: dict[str, object] | None = None,
) -> LeaseApplication:
    """Check the source state, save with update_fields, write the event row."""
    _check_transition(application, to_status)
    from_status = application.status
    application.status = to_status
    update_fields = ["status", "updated_at"]
    for name, value in (fields or {}).items():
        setattr(application, name, value)
        update_fields.append(name)
    application.save(update_fields=update_fields)
    LeaseApplicationEvent.objects.create(
        application=application,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        note=note,
    )
    return application


def _notify(organization: Organization, permission: Permission, title: str, url: str) -> None:
    roles = GRANTS.get((organization.kind, permission), set())
    members = Membership.objects.filter(organization=organization, role__in=roles).select_related(
        "user"
    )
    for membership in members:
        notification_send(recipient=membership.user, kind="leasing", title=title, url=url)


def _url(application: LeaseApplication) -> str:
    return reverse("leasing:application_detail", args=[application.pk])


def notify_lessor(application: LeaseApplication, title: str) -> None:
    _notify(application.lessor, Permission.LEASE_APPLICATION_REVIEW, title, _url(application))


def notify_applicant(application: LeaseApplication, title: str) -> None:
    _notify(application.applicant, Permission.LEASE_APPLY, title, _url(application))


def _required_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message, code="required", fields={field: [message]})
    return value


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


# --- review -------------------------------------------------------------------------------


@transaction.atomic
def application_request_info(
    *, actor: User, application: LeaseApplication, note: str
) -> LeaseApplication:
    application = locked_application(application)
    require_application_permission(actor, application, Permission.LEASE_APPLICATION_REVIEW)
    note = _required_text(note, "note", _("请说明需要补充的资料。"))
    _transition(
        application,
        to_status=S.INFO_REQUESTED,
        actor=actor,
        note=note,
        fields={"info_request_note": note},
    )
    notify_applicant(application, _("融资租赁申请 #%(id)s 需要补充资料") % {"id": application.pk})
    return application


@transaction.atomic
def application_resubmit(
    *, actor: User, application: LeaseApplication, note: str = ""
) -> LeaseApplication:
    application = locked_application(application)
    require_application_permission(actor, application, Permission.LEASE_APPLY)
    _transition(application, to_status=S.RESUBMITTED, actor=actor, note=note.strip())
    notify_lessor(application, _("融资租赁申请 #%(id)s 已补充资料") % {"id": application.pk})
    return application


@dataclass(frozen=True, kw_only=True)
class ApprovalTerms:
    """The lessor's final terms; for a pre-approval ``price`` is the approved limit."""

    price: Decimal
    down_payment: Decimal
    term_months: int
    annual_rate: Decimal
    deposit: Decimal = Decimal(0)
    fee: Decimal = Decimal(0)
    buyout_price: Decimal = Decimal(0)
    balloon: Decimal = Decimal(0)
    valid_until: dt.date | None = None


def _check_approval_limits(application: LeaseApplication, terms: ApprovalTerms) -> None:
    """Final terms obey the same LTV and residual limits as the quotes."""
    errors: dict[str, list[str]] = {}
    inp = QuoteInput(
        price=terms.price,
        down_payment=terms.down_payment,
        term_months=terms.term_months,
        annual_rate=terms.annual_rate,
        method=application.method,
        timing=application.timing,
        lease_type=application.lease_type,
        deposit=terms.deposit,
        fee=terms.fee,
        buyout_price=terms.buyout_price,
        balloon=terms.balloon,
    )
    try:
        quote(inp, translate=_)
    except QuoteValidationError as exc:
        for key, messages in exc.errors.items():
            errors.setdefault("non_field_errors" if key == NON_FIELD_ERRORS else key, messages)
    if application.machine_id is not None and not errors:
        basis = machine_value_basis(
            application.machine, term_months=terms.term_months, asking_price=terms.price
        )
        _check_basis(application.product, basis, terms, errors)
    if terms.valid_until is not None and terms.valid_until < timezone.localdate():
        errors.setdefault("valid_until", []).append(_("有效期不能早于今天。"))
    if errors:
        raise DomainError(_("批准条件有误。"), code="invalid", fields=errors)


def _check_basis(
    product: LeaseProduct, basis: ValueBasis, terms: ApprovalTerms, errors: dict
) -> None:
    if basis.today_value is not None:
        cap = product.max_ltv * basis.today_value
        if terms.price - terms.down_payment > cap:
            errors.setdefault("down_payment", []).append(
                _("融资额超过设备估值的 %(share)s。") % {"share": f"{product.max_ltv * 100:.0f}%"}
            )
    if terms.balloon > 0:
        if basis.residual_floor is None:
            errors.setdefault("balloon", []).append(ValueBasis.unavailable_message())
        elif terms.balloon > basis.residual_floor:
            errors.setdefault("balloon", []).append(
                _("尾付不能超过估值模型对租期末的保守预测（P10）。")
            )


def missing_documents(application: LeaseApplication) -> list[str]:
    """Required document kinds (leasing.rules) the application does not carry yet."""
    present = set(application.documents.values_list("kind", flat=True))
    return [kind for kind in required_documents(application.kind) if kind not in present]


def _list_separator() -> str:
    return "、" if (get_language() or "zh").startswith("zh") else ", "


def _check_required_documents(application: LeaseApplication) -> None:
    missing = missing_documents(application)
    if missing:
        message = _("批准前申请人须上传以下资料：%(kinds)s。") % {
            "kinds": _list_separator().join(str(DocumentKind(kind).label) for kind in missing)
        }
        raise DomainError(message, code="documents_missing", fields={"documents": [message]})


@transaction.atomic
def application_approve(
    *, actor: User, application: LeaseApplication, terms: ApprovalTerms
) -> LeaseApplication:
    application = locked_application(application)
    require_application_permission(actor, application, Permission.LEASE_APPLICATION_REVIEW)
    _check_transition(application, S.APPROVED)
    _check_required_documents(application)
    _check_approval_limits(application, terms)
    _transition(
        application,
        to_status=S.APPROVED,
        actor=actor,
        fields={
            "approved_price": terms.price,
            "approved_down_payment": terms.down_payment,
            "approved_term_months": terms.term_months,
            "approved_annual_rate": terms.annual_rate,
            "approved_deposit": terms.deposit,
            "approved_fee": terms.fee,
            "approved_buyout_price": terms.buyout_price,
            "approved_balloon": terms.balloon,
            "valid_until": terms.valid_until or timezone.localdate() + DEFAULT_VALIDITY,
            "decided_at": timezone.now(),
        },
    )
    notify_applicant(application, _("融资租赁申请 #%(id)s 已获批准") % {"id": application.pk})
    return application


@transaction.atomic
def application_decline(
    *, actor: User, application: LeaseApplication, reason: str
) -> LeaseApplication:
    application = locked_application(application)
    require_application_permission(actor, application, Permission.LEASE_APPLICATION_REVIEW)
    reason = _required_text(reason, "reason", _("拒绝时必须填写原因。"))
    _transition(
        application,
        to_status=S.DECLINED,
        actor=actor,
        note=reason,
        fields={"decline_reason": reason, "decided_at": timezone.now()},
    )
    notify_applicant(application, _("融资租赁申请 #%(id)s 未获批准") % {"id": application.pk})
    return application


# --- the applicant's answer ---------------------------------------------------------------


@transaction.atomic
def application_accept(*, actor: User, application: LeaseApplication) -> LeaseApplication:
    application = locked_application(application)
    require_application_permission(actor, application, Permission.LEASE_APPLY)
    if (
        application.status == S.APPROVED
        and application.valid_until is not None
        and application.valid_until < timezone.localdate()
    ):
        raise ConflictError(_("批复已过有效期，请重新申请。"), code="approval_expired")
    _transition(application, to_status=S.ACCEPTED, actor=actor)
    notify_lessor(application, _("融资租赁申请 #%(id)s 的批复已被接受") % {"id": application.pk})
    return application


@transaction.atomic
def application_withdraw(
    *, actor: User, application: LeaseApplication, reason: str = ""
) -> LeaseApplication:
    application = locked_application(application)
    require_application_permission(actor, application, Permission.LEASE_APPLY)
    _transition(application, to_status=S.WITHDRAWN, actor=actor, note=reason.strip())
    notify_lessor(application, _("融资租赁申请 #%(id)s 已撤回") % {"id": application.pk})
    return application
