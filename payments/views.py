"""Stripe webhook endpoint and the staff pages for bank transfers: reconciling what arrives,
recording deposits paid back."""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.api import error_body
from core.errors import DomainError
from payments import selectors, services
from payments.forms import BankRefundRecordForm, BankTransferConfirmForm
from payments.models import Payment


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> JsonResponse:
    try:
        event, created = services.webhook_receive(
            payload=request.body, signature=request.headers.get("Stripe-Signature", "")
        )
    except DomainError as exc:
        return JsonResponse(error_body(exc.code, exc.message), status=400)
    return JsonResponse(
        {"id": event.stripe_event_id, "status": event.status, "duplicate": not created}
    )


def _form_errors(form) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


@staff_member_required
def bank_transfers(request: HttpRequest) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = BankTransferConfirmForm(request.POST)
        if not form.is_valid():
            messages.error(request, _form_errors(form))
            status = 400
        else:
            try:
                payment = services.bank_transfer_confirm(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request, _("已确认到账：%(reference)s") % {"reference": payment.bank_reference}
                )
            return redirect("payments:bank_transfers")
    return render(
        request,
        "payments/bank_transfers.html",
        {"payments": selectors.pending_bank_transfers()},
        status=status,
    )


@staff_member_required
def bank_refunds(request: HttpRequest) -> HttpResponse:
    """Every deposit amount owed back, with how long it has been owed. Staff record each bank
    transfer they make; a card refund listed here failed at Stripe and can be asked again."""
    status = 200
    if request.method == "POST":
        form = BankRefundRecordForm(request.POST)
        if not form.is_valid():
            messages.error(request, _form_errors(form))
            status = 400
        else:
            payment = get_object_or_404(Payment, pk=form.cleaned_data["payment"])
            try:
                if form.cleaned_data["action"] == "retry":
                    services.deposit_card_refund_retry(payment=payment, actor=request.user)
                    done = _("已向 Stripe 重新发起退款。")
                else:
                    services.bank_refund_record(
                        payment=payment,
                        reference=form.cleaned_data["reference"],
                        actor=request.user,
                    )
                    done = _("已登记退款。")
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, done)
            return redirect("payments:bank_refunds")
    refunds = selectors.refunds_due()
    return render(
        request,
        "payments/bank_refunds.html",
        {"refunds": refunds, "total_owed": sum(due.amount for due in refunds)},
        status=status,
    )
