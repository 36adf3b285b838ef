"""Stripe webhook endpoint and the staff pages for bank transfers: reconciling what arrives,
recording deposits paid back."""

from decimal import Decimal, InvalidOperation

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


@staff_member_required
def bank_transfers(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            amount = Decimal(request.POST.get("amount", "").replace(",", ""))
        except InvalidOperation:
            messages.error(request, _("请输入有效的金额。"))
            return redirect("payments:bank_transfers")
        try:
            payment = services.bank_transfer_confirm(
                reference=request.POST.get("reference", ""), amount=amount, actor=request.user
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("已确认到账：%(reference)s") % {"reference": payment.bank_reference}
            )
        return redirect("payments:bank_transfers")
    return render(
        request, "payments/bank_transfers.html", {"payments": selectors.pending_bank_transfers()}
    )


@staff_member_required
def bank_refunds(request: HttpRequest) -> HttpResponse:
    """Bank deposits owed back to bidders; staff record each transfer they make."""
    if request.method == "POST":
        payment = get_object_or_404(Payment, pk=request.POST.get("payment") or 0)
        try:
            services.bank_refund_record(
                payment=payment, reference=request.POST.get("reference", ""), actor=request.user
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已登记退款。"))
        return redirect("payments:bank_refunds")
    return render(request, "payments/bank_refunds.html", {"refunds": selectors.bank_refunds_due()})
