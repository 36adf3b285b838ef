"""HTML views of the trading app: parse input, call a service or selector, render.

Service refusals (DomainError) are shown as messages or form errors and change nothing.
"""

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.pdf import render_pdf
from leasing import rules as leasing_rules
from marketplace.models import Category, Listing
from marketplace.rules import current_marketplace_rules
from payments import methods as payment_methods
from payments import services as payments
from payments.selectors import payments_of_order
from trading import selectors
from trading.forms import BidForm, CounterForm, LotForm, OfferForm, QualificationForm
from trading.models import Lot, Offer, Order
from trading.payment_notice import order_payment_notice
from trading.rules import current_rules, published_figures
from trading.services import auctions, offers, orders
from trading.services import watchlist as watchlist_service


def _buyer_org(request: HttpRequest):
    organization_id = request.POST.get("organization") or request.GET.get("organization")
    return selectors.buyer_organization(
        request.user,
        int(organization_id) if organization_id and organization_id.isdigit() else None,
    )


def _refused(request: HttpRequest, exc: DomainError, to: str) -> HttpResponse:
    messages.error(request, exc.message)
    return redirect(to)


def rules_page(request: HttpRequest) -> HttpResponse:
    context = {
        **published_figures(current_rules()),
        "wallet_offers": [
            offer
            for offer in payment_methods.stripe_method_offers(Decimal("0"))
            if offer.method != "card"
        ],
        **_published_rules_of_other_apps(),
    }
    return render(request, "trading/rules.html", context)


def _published_rules_of_other_apps() -> dict:
    """The marketplace's listing rules and leasing's approval and registration rules, from
    the same objects their services apply."""
    market = current_marketplace_rules()
    names = {c.slug: c.display_name for c in Category.objects.filter(parent__isnull=True)}
    return {
        "market_rules": market,
        "annual_hour_rows": [
            (names.get(slug, slug), hours) for slug, hours in market.category_rows()
        ],
        "lease_document_rows": leasing_rules.required_document_rows(),
        "registry_digits": leasing_rules.REGISTRY_REFERENCE_DIGITS,
    }


# ---------------------------------------------------------------- buy now and offers


@login_required
def buy_now(request: HttpRequest, pk: int) -> HttpResponse:
    """GET shows the all-in price; POST commits."""
    listing = get_object_or_404(Listing.objects.published(), pk=pk)
    if listing.asking_price is None:
        raise Http404
    if request.method == "POST":
        try:
            order = orders.buy_now(listing=listing, buyer=_buyer_org(request), actor=request.user)
        except DomainError as exc:
            return _refused(request, exc, reverse("marketplace:listing_detail", args=[pk]))
        messages.success(request, _("已下单，设备已为您保留。请在截止时间前付款。"))
        return redirect("trading:order_detail", order.pk)
    quote = orders.order_quote(price=listing.asking_price)
    return render(
        request,
        "trading/buy_now.html",
        {"listing": listing, "quote": quote, "rules": current_rules()},
    )


@login_required
@require_POST
def offer_make(request: HttpRequest, pk: int) -> HttpResponse:
    listing = get_object_or_404(Listing, pk=pk)
    form = OfferForm(request.POST)
    back = reverse("marketplace:listing_detail", args=[pk])
    if not form.is_valid():
        messages.error(request, _("请输入有效的出价金额。"))
        return redirect(back)
    try:
        offers.offer_make(
            listing=listing,
            buyer=_buyer_org(request),
            actor=request.user,
            amount=form.cleaned_data["amount"],
            message=form.cleaned_data["message"],
        )
    except DomainError as exc:
        return _refused(request, exc, back)
    messages.success(request, _("议价已发送给卖家。"))
    return redirect("trading:offer_list")


def _side(request: HttpRequest) -> str:
    side = request.GET.get("side", "")
    return side if side in (selectors.BUYING, selectors.SELLING) else ""


@login_required
def offer_list(request: HttpRequest) -> HttpResponse:
    side = _side(request)
    user_offers = list(selectors.offers_for_user(request.user, side)[:100])
    for offer in user_offers:
        offer.seller_can_answer = offers.seller_can_answer(request.user, offer)
        offer.buyer_can_answer = offers.buyer_can_answer(request.user, offer)
        offer.buyer_can_withdraw = offers.buyer_can_withdraw(request.user, offer)
    return render(
        request,
        "trading/offer_list.html",
        {"offers": user_offers, "counter_form": CounterForm(), "side": side},
    )


@login_required
@require_POST
def offer_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    offer = get_object_or_404(Offer, pk=pk)
    try:
        if action == "accept":
            order = offers.offer_accept(offer=offer, actor=request.user)
            messages.success(request, _("已接受议价，订单已生成。"))
            return redirect("trading:order_detail", order.pk)
        if action == "decline":
            offers.offer_decline(offer=offer, actor=request.user)
            messages.success(request, _("已拒绝该议价。"))
        elif action == "withdraw":
            offers.offer_withdraw(offer=offer, actor=request.user)
            messages.success(request, _("已撤回该议价。"))
        elif action == "counter":
            form = CounterForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("请输入有效的还价金额。"))
                return redirect("trading:offer_list")
            offers.offer_counter(
                offer=offer, actor=request.user, amount=form.cleaned_data["counter_amount"]
            )
            messages.success(request, _("已向买家还价。"))
        else:
            raise Http404
    except DomainError as exc:
        return _refused(request, exc, "trading:offer_list")
    return redirect("trading:offer_list")


# ---------------------------------------------------------------- auctions


@login_required
def lot_create(request: HttpRequest, pk: int) -> HttpResponse:
    listing = get_object_or_404(Listing, pk=pk)
    form = LotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lot = auctions.lot_create(listing=listing, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            for field, field_messages in exc.fields.items():
                for message in field_messages:
                    form.add_error(field if field in form.fields else None, message)
            if not exc.fields:
                form.add_error(None, exc.message)
        else:
            messages.success(request, _("拍卖已开始。"))
            return redirect("trading:lot_detail", lot.pk)
    return render(request, "trading/lot_create.html", {"listing": listing, "form": form})


def lot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lot = get_object_or_404(Lot.objects.select_related("listing", "listing__seller", "sale"), pk=pk)
    organization = _buyer_org(request) if request.user.is_authenticated else None
    context = {
        "lot": lot,
        "listing": lot.listing,
        "status": selectors.lot_status(lot=lot, organization=organization),
        "qualification": selectors.qualification_for(lot=lot, organization=organization),
        "organization": organization,
        "bid_form": BidForm(),
        "qualification_form": QualificationForm(initial={"method": "bank"}),
        "card_enabled": payments.card_enabled(),
        "rules": current_rules(),
        "deposit_percent": current_rules().percent(current_rules().deposit_share),
        "stripe_publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
    }
    return render(request, "trading/lot_detail.html", context)


def lot_status_json(request: HttpRequest, pk: int) -> JsonResponse:
    lot = get_object_or_404(Lot, pk=pk)
    organization = _buyer_org(request) if request.user.is_authenticated else None
    response = JsonResponse(selectors.lot_status(lot=lot, organization=organization))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def lot_bid(request: HttpRequest, pk: int) -> HttpResponse:
    lot = get_object_or_404(Lot, pk=pk)
    form = BidForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请输入有效的出价金额。"))
        return redirect("trading:lot_detail", pk)
    try:
        result = auctions.bid_place(
            lot=lot,
            bidder=_buyer_org(request),
            actor=request.user,
            maximum=form.cleaned_data["maximum"],
        )
    except DomainError as exc:
        return _refused(request, exc, reverse("trading:lot_detail", args=[pk]))
    if result.leading:
        messages.success(request, _("出价成功，您目前领先。"))
    else:
        messages.warning(request, _("出价已记录，但其他竞买人的最高出价更高。"))
    return redirect("trading:lot_detail", pk)


@login_required
@require_POST
def lot_qualify(request: HttpRequest, pk: int) -> HttpResponse:
    lot = get_object_or_404(Lot, pk=pk)
    form = QualificationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写竞价上限和保证金方式。"))
        return redirect("trading:lot_detail", pk)
    try:
        auctions.qualification_request(
            lot=lot,
            bidder=_buyer_org(request),
            actor=request.user,
            bidding_limit=form.cleaned_data["bidding_limit"],
            method=form.cleaned_data["method"],
            payment_method=request.POST.get("payment_method", ""),
        )
    except DomainError as exc:
        return _refused(request, exc, reverse("trading:lot_detail", args=[pk]))
    messages.success(request, _("竞买资格申请已提交。"))
    return redirect("trading:lot_detail", pk)


# ---------------------------------------------------------------- orders


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    side = _side(request)
    return render(
        request,
        "trading/order_list.html",
        {"orders": selectors.orders_for_user(request.user, side)[:100], "side": side},
    )


@login_required
def payout_list(request: HttpRequest) -> HttpResponse:
    """The seller's payouts: gross, commission, fees and net per order, with totals. Only
    members of the seller organizations (and platform staff) have rows to see."""
    payouts = selectors.payouts_of_user(request.user)
    return render(
        request,
        "trading/payout_list.html",
        {
            "payouts": payouts[:100],
            "totals": selectors.payout_totals(payouts),
            "rules": current_rules(),
            "commission_percent": current_rules().percent(current_rules().seller_commission_rate),
        },
    )


# ---------------------------------------------------------------- watchlist and my bids


@login_required
def watchlist(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "trading/watchlist.html",
        {"watched": selectors.watchlist_of(request.user)[:200]},
    )


@login_required
@require_POST
def watch_toggle(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Watch or unwatch a listing, then go back where the button was (a local path only)."""
    listing = get_object_or_404(Listing, pk=pk)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("marketplace:listing_detail", args=[pk])
    try:
        if action == "add":
            watchlist_service.watchlist_add(user=request.user, listing=listing)
            messages.success(request, _("已加入关注列表。"))
        elif action == "remove":
            watchlist_service.watchlist_remove(user=request.user, listing=listing)
            messages.success(request, _("已取消关注。"))
        else:
            raise Http404
    except DomainError as exc:
        # The listing may not be visible to this user: tell them on their watchlist.
        return _refused(request, exc, reverse("trading:watchlist"))
    return redirect(back)


@login_required
def my_bids(request: HttpRequest) -> HttpResponse:
    return render(request, "trading/my_bids.html", {"rows": selectors.bids_of_user(request.user)})


WALLET_RAILS = ("alipay", "wechat_pay")


@login_required
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Buyer and staff see how to pay (the escrow account, reference, amount, deadline);
    only the buyer's buying staff get the pay buttons; the seller sees the status."""
    order = get_object_or_404(Order.objects.select_related("listing", "buyer", "seller"), pk=pk)
    if not selectors.order_visible_to(order, request.user):
        raise Http404
    order_payments = list(payments_of_order(order=order))
    pending = [p for p in order_payments if p.status == "pending"]
    awaiting = order.status == "awaiting_payment"
    if request.GET.get("returned") and awaiting:
        messages.info(request, _("支付结果以支付平台的到账通知为准，确认后订单状态会自动更新。"))
    context = {
        "order": order,
        "payments": order_payments,
        "pending_card": next((p for p in pending if p.rail == "card" and p.client_secret), None),
        "pending_wallet": next(
            (p for p in pending if p.rail in WALLET_RAILS and (p.action_url or p.action_qr_data)),
            None,
        ),
        "can_pay": awaiting and orders.may_pay(request.user, order),
        "buyer_side": selectors.order_on_buyer_side(order, request.user),
        "notice": order_payment_notice(order),
        "stripe_methods": payment_methods.stripe_method_offers(order.amount_due),
        "stripe_publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
        "rules": current_rules(),
        "storage": selectors.order_storage(order),
        "can_confirm_collection": orders.awaits_collection(order)
        and orders.may_confirm_collection(request.user, order),
    }
    return render(request, "trading/order_detail.html", context)


@login_required
def order_payment_notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The bank-transfer payment notice as a PDF, for the buyer's members and staff only."""
    order = get_object_or_404(Order.objects.select_related("listing", "buyer"), pk=pk)
    if not selectors.order_on_buyer_side(order, request.user):
        raise Http404
    pdf = render_pdf(
        "trading/pdf/payment_notice.html",
        {"order": order, "notice": order_payment_notice(order)},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="payment-notice-{order.bank_reference}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def order_collected(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_object_or_404(Order, pk=pk)
    if not selectors.order_visible_to(order, request.user):
        raise Http404
    try:
        orders.order_mark_collected(order=order, actor=request.user)
    except DomainError as exc:
        return _refused(request, exc, reverse("trading:order_detail", args=[pk]))
    messages.success(request, _("已确认提货。"))
    return redirect("trading:order_detail", pk)


PAY_RAILS = ("bank", "card", *WALLET_RAILS)


@login_required
@require_POST
def order_pay(request: HttpRequest, pk: int) -> HttpResponse:
    """The buyer starts a payment. Anyone else (the seller, a stranger) is refused with 403
    before any service runs; the services check the same rule again."""
    order = get_object_or_404(Order, pk=pk)
    if not orders.may_pay(request.user, order):
        raise PermissionDenied
    rail = request.POST.get("rail", "bank")
    if rail not in PAY_RAILS:
        return HttpResponseBadRequest(_("未知的付款方式。"))
    back = reverse("trading:order_detail", args=[pk])
    try:
        if rail == "card":
            payments.order_card_pay(
                order=order,
                actor=request.user,
                payment_method=request.POST.get("payment_method", ""),
            )
        elif rail in WALLET_RAILS:
            payment = payments.order_wallet_pay(
                order=order,
                actor=request.user,
                method=rail,
                return_url=request.build_absolute_uri(f"{back}?returned={rail}"),
            )
            if payment.action_url:
                return redirect(payment.action_url)  # Alipay's page; back to return_url
        else:
            payments.order_bank_pay(order=order, actor=request.user)
    except DomainError as exc:
        return _refused(request, exc, back)
    return redirect(back)
