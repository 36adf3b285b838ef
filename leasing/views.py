"""HTML views of the leasing app: parse input, call a selector or service, render.

A ``NotFoundError`` from a service becomes a 404, a ``PermissionDeniedError`` a 403 page,
any other ``DomainError`` a form error or message; nothing has changed in those cases.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import Permission, has_org_permission, organizations_with_permission
from core.confirm import confirmed
from core.errors import DomainError, NotFoundError, PermissionDeniedError
from core.private_files import private_file_response
from leasing import selectors, services
from leasing.forms import (
    ApplyForm,
    ApprovalForm,
    ContractStartForm,
    DocumentForm,
    NoteForm,
    PreapprovalForm,
    ProductForm,
    SaleLeasebackForm,
)
from leasing.models import (
    ApplicationStatus,
    ContractStatus,
    LeaseApplication,
    LeaseContract,
    LeaseProduct,
)
from leasing.pdf import contract_pdf
from leasing.quoting import QuoteRequest, listing_quotes
from marketplace import selectors as marketplace_selectors
from marketplace.models import Machine


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "leasing/forbidden.html", {"message": message}, status=403)


def _run(
    request: HttpRequest, call: Callable[[], object], form=None
) -> tuple[object | None, HttpResponse | None]:
    """Call a service; map refusals to a response or to form/message errors."""
    try:
        return call(), None
    except NotFoundError as exc:
        raise Http404 from exc
    except PermissionDeniedError as exc:
        return None, _forbidden(request, exc.message)
    except DomainError as exc:
        if form is not None and exc.fields:
            for field, errors in exc.fields.items():
                target = field if field in form.fields else None
                for error in errors:
                    form.add_error(target, error)
        else:
            messages.error(request, exc.message)
        return None, None


# --- products -----------------------------------------------------------------------------


def product_list(request: HttpRequest) -> HttpResponse:
    managed = selectors.products_managed_by(request.user)
    lessors = organizations_with_permission(request.user, Permission.LEASE_PRODUCT_MANAGE)
    return render(
        request,
        "leasing/product_list.html",
        {
            "products": selectors.product_list_public(),
            "managed": managed,
            "can_create": bool(lessors),
        },
    )


@login_required
def product_create(request: HttpRequest) -> HttpResponse:
    lessors = organizations_with_permission(request.user, Permission.LEASE_PRODUCT_MANAGE)
    if not lessors:
        return _forbidden(request, _("只有融资租赁公司的产品管理人员可以发布产品。"))
    form = ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        product, response = _run(
            request,
            lambda: services.product_create(
                actor=request.user, lessor=lessors[0], data=form.to_input()
            ),
            form,
        )
        if response:
            return response
        if product:
            messages.success(request, _("产品已发布。"))
            return redirect("leasing:product_list")
    return render(request, "leasing/product_form.html", {"form": form})


@login_required
def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    product = get_object_or_404(selectors.products_managed_by(request.user), pk=pk)
    form = ProductForm(request.POST or None, initial=ProductForm.initial_for(product))
    if request.method == "POST" and form.is_valid():
        saved, response = _run(
            request,
            lambda: services.product_update(
                actor=request.user, product=product, data=form.to_input()
            ),
            form,
        )
        if response:
            return response
        if saved:
            messages.success(request, _("产品已更新。"))
            return redirect("leasing:product_list")
    return render(request, "leasing/product_form.html", {"form": form, "product": product})


@login_required
@require_POST
def product_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    product = get_object_or_404(LeaseProduct, pk=pk)
    _result, response = _run(
        request,
        lambda: services.product_set_active(
            actor=request.user, product=product, is_active=not product.is_active
        ),
    )
    return response or redirect("leasing:product_list")


# --- applying -----------------------------------------------------------------------------


def _applicant(request: HttpRequest):
    organizations = organizations_with_permission(request.user, Permission.LEASE_APPLY)
    return organizations[0] if organizations else None


@login_required
def listing_apply(request: HttpRequest, listing_id: int) -> HttpResponse:
    listing = marketplace_selectors.listing_get_for_user(listing_id=listing_id, user=request.user)
    if listing is None:
        raise Http404
    applicant = _applicant(request)
    if applicant is None:
        return _forbidden(request, _("您所在的机构没有申请融资租赁的权限。"))
    products = [item.product for item in listing_quotes(listing) if item.result is not None]
    initial = {
        key: request.GET.get(key)
        for key in ("product", "down_payment", "term_months", "method", "timing", "lease_type")
        if request.GET.get(key)
    }
    form = ApplyForm(request.POST or None, initial=initial, products=products)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        application, response = _run(
            request,
            lambda: services.application_submit(
                actor=request.user,
                applicant=applicant,
                product=data["product"],
                listing=listing,
                request=QuoteRequest(
                    down_payment=data["down_payment"],
                    term_months=data["term_months"],
                    method=data["method"],
                    timing=data["timing"],
                    lease_type=data["lease_type"],
                    balloon=data["balloon"] or Decimal(0),
                ),
                message=data["message"],
            ),
            form,
        )
        if response:
            return response
        if application:
            messages.success(request, _("申请已提交，请上传 KYC 资料。"))
            return redirect("leasing:application_detail", application.pk)
    return render(
        request, "leasing/apply_form.html", {"form": form, "listing": listing, "kind": "purchase"}
    )


@login_required
def preapproval_apply(request: HttpRequest) -> HttpResponse:
    applicant = _applicant(request)
    if applicant is None:
        return _forbidden(request, _("您所在的机构没有申请融资租赁的权限。"))
    form = PreapprovalForm(request.POST or None, products=selectors.product_list_public())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        application, response = _run(
            request,
            lambda: services.preapproval_request(
                actor=request.user,
                applicant=applicant,
                product=data["product"],
                amount=data["amount"],
                term_months=data["term_months"],
                message=data["message"],
            ),
            form,
        )
        if response:
            return response
        if application:
            messages.success(request, _("预审批申请已提交。"))
            return redirect("leasing:application_detail", application.pk)
    return render(request, "leasing/apply_form.html", {"form": form, "kind": "preapproval"})


@login_required
def sale_leaseback_apply(request: HttpRequest, machine_id: int) -> HttpResponse:
    applicant = _applicant(request)
    machine = get_object_or_404(
        Machine.objects.select_related("brand", "equipment_model"), pk=machine_id
    )
    if applicant is None or machine.owner_id != applicant.pk:
        raise Http404
    products = selectors.product_list_public().filter(allows_sale_leaseback=True)
    form = SaleLeasebackForm(request.POST or None, products=products)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        application, response = _run(
            request,
            lambda: services.sale_leaseback_request(
                actor=request.user,
                applicant=applicant,
                product=data["product"],
                machine=machine,
                price=data["amount"],
                term_months=data["term_months"],
                message=data["message"],
            ),
            form,
        )
        if response:
            return response
        if application:
            messages.success(request, _("售后回租申请已提交。"))
            return redirect("leasing:application_detail", application.pk)
    return render(
        request,
        "leasing/apply_form.html",
        {"form": form, "machine": machine, "kind": "sale_leaseback"},
    )


# --- applications -------------------------------------------------------------------------


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "leasing/application_list.html",
        {
            "mine": selectors.applications_of_applicant(request.user),
            "inbox": selectors.applications_for_review(request.user),
            "contracts": selectors.contracts_visible_to(request.user),
        },
    )


def _application_or_404(request: HttpRequest, pk: int) -> LeaseApplication:
    application = selectors.application_get_for_user(application_id=pk, user=request.user)
    if application is None:
        raise Http404
    return application


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_or_404(request, pk)
    is_reviewer = services.can_review_application(request.user, application)
    is_applicant = has_org_permission(request.user, application.applicant, Permission.LEASE_APPLY)
    approval_initial = {
        "price": application.price,
        "down_payment": application.down_payment,
        "term_months": application.term_months,
        "annual_rate": application.product.annual_rate_for(
            term_months=application.term_months,
            condition_grade=application.machine.condition_grade if application.machine else "",
        ),
        "deposit": Decimal(0),
        "fee": application.product.fee_fixed,
        "buyout_price": application.product.buyout_price,
        "balloon": application.balloon,
    }
    return render(
        request,
        "leasing/application_detail.html",
        {
            "application": application,
            "contract": LeaseContract.objects.filter(application=application).first(),
            "is_reviewer": is_reviewer,
            "is_applicant": is_applicant,
            "S": ApplicationStatus,
            "document_form": DocumentForm(),
            "note_form": NoteForm(),
            "approval_form": ApprovalForm(initial=approval_initial),
            "contract_form": ContractStartForm(),
        },
    )


def _note(request: HttpRequest) -> str:
    return request.POST.get("note", "")


ACTIONS: dict[str, Callable] = {
    "request_info": lambda request, app: services.application_request_info(
        actor=request.user, application=app, note=_note(request)
    ),
    "resubmit": lambda request, app: services.application_resubmit(
        actor=request.user, application=app, note=_note(request)
    ),
    "decline": lambda request, app: services.application_decline(
        actor=request.user, application=app, reason=_note(request)
    ),
    "accept": lambda request, app: services.application_accept(actor=request.user, application=app),
    "withdraw": lambda request, app: services.application_withdraw(
        actor=request.user, application=app, reason=_note(request)
    ),
}


@login_required
@require_POST
def application_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    application = _application_or_404(request, pk)
    if action == "approve":
        return _approve(request, application)
    if action == "start_contract":
        return _start_contract(request, application)
    if action == "document":
        return _upload(request, application)
    if action not in ACTIONS:
        raise Http404
    result, response = _run(request, lambda: ACTIONS[action](request, application))
    if response:
        return response
    if result:
        messages.success(request, _("操作成功。"))
    return redirect("leasing:application_detail", application.pk)


def _approve(request: HttpRequest, application: LeaseApplication) -> HttpResponse:
    form = ApprovalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("批准条件有误：%(errors)s") % {"errors": form.errors.as_text()})
        return redirect("leasing:application_detail", application.pk)
    _result, response = _run(
        request,
        lambda: services.application_approve(
            actor=request.user,
            application=application,
            terms=services.ApprovalTerms(**form.cleaned_data),
        ),
    )
    return response or redirect("leasing:application_detail", application.pk)


def _start_contract(request: HttpRequest, application: LeaseApplication) -> HttpResponse:
    form = ContractStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors.as_text())
        return redirect("leasing:application_detail", application.pk)
    contract, response = _run(
        request,
        lambda: services.contract_start(
            actor=request.user,
            application=application,
            registry_reference=form.cleaned_data["registry_reference"],
            start_date=form.cleaned_data["start_date"],
        ),
    )
    if response:
        return response
    if contract:
        return redirect("leasing:contract_detail", contract.pk)
    return redirect("leasing:application_detail", application.pk)


def _upload(request: HttpRequest, application: LeaseApplication) -> HttpResponse:
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, form.errors.as_text())
        return redirect("leasing:application_detail", application.pk)
    document, response = _run(
        request,
        lambda: services.application_document_add(
            actor=request.user,
            application=application,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
        ),
    )
    if response:
        return response
    if document:
        messages.success(request, _("资料已上传。"))
    return redirect("leasing:application_detail", application.pk)


def application_document_download(request: HttpRequest, pk: int, document_id: int):
    """A KYC document as a download, for those who may open the application (and staff).

    Anyone else, signed in or not, gets a 404: the document's existence is not revealed.
    """
    document = selectors.document_get_for_user(
        application_id=pk, document_id=document_id, user=request.user
    )
    if document is None:
        raise Http404
    name = f"{document.get_kind_display()}-{pk}-{document.pk}"
    return private_file_response(document.file, download_name=name)


# --- contracts ----------------------------------------------------------------------------


def _contract_or_404(request: HttpRequest, pk: int):
    contract = selectors.contract_get_for_user(contract_id=pk, user=request.user)
    if contract is None:
        raise Http404
    return contract


@login_required
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract_or_404(request, pk)
    return render(
        request,
        "leasing/contract_detail.html",
        {
            "contract": contract,
            "can_release": contract.status == ContractStatus.ACTIVE
            and has_org_permission(
                request.user, contract.lessor, Permission.LEASE_APPLICATION_REVIEW
            ),
        },
    )


@login_required
def contract_download(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract_or_404(request, pk)
    response = HttpResponse(contract_pdf(contract), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{contract.contract_number}.pdf"'
    return response


@login_required
@require_POST
def contract_release(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract_or_404(request, pk)
    if not confirmed(request):
        return redirect("leasing:contract_detail", contract.pk)
    result, response = _run(
        request, lambda: services.contract_release(actor=request.user, contract=contract)
    )
    if response:
        return response
    if result:
        messages.success(request, _("已记录解除登记，设备不再处于融资租赁登记状态。"))
    return redirect("leasing:contract_detail", contract.pk)
