"""HTML views of the listing page's buyer sections: printable sheet, price change,
questions and their moderation. Each parses a form, calls one service, and redirects back
to the listing; bad input re-renders the form with its errors (400), a refusal shows the
service's message (403 for permissions, 409 for a state conflict)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import is_platform_staff
from core.errors import ConflictError, DomainError, PermissionDeniedError
from core.pdf import image_data_uri, qr_data_uri, render_pdf
from core.urls_absolute import absolute_url
from marketplace import listing_page, selectors
from marketplace.listing_content_forms import (
    AnswerForm,
    ModerationForm,
    PriceChangeForm,
    QuestionForm,
)
from marketplace.models import ListingQuestion
from marketplace.services import listing_content


def _listing_or_404(request: HttpRequest, pk: int):
    listing = selectors.listing_get_for_user(listing_id=pk, user=request.user)
    if listing is None:
        raise Http404
    return listing


def _back(listing_id: int, anchor: str) -> HttpResponse:
    return redirect(reverse("marketplace:listing_detail", args=[listing_id]) + f"#{anchor}")


def _form_page(request, form, *, title: str, listing, status: int = 400, message: str = ""):
    return render(
        request,
        "marketplace/listing_content_form.html",
        {"form": form, "title": title, "listing": listing, "message": message},
        status=status,
    )


def _refused(request, exc: DomainError, form, *, title: str, listing) -> HttpResponse:
    for name, field_messages in exc.fields.items():
        for text in field_messages:
            form.add_error(name if name in form.fields else None, text)
    if not exc.fields:
        form.add_error(None, exc.message)
    status = (
        403
        if isinstance(exc, PermissionDeniedError)
        else 409
        if isinstance(exc, ConflictError)
        else 400
    )
    return _form_page(request, form, title=title, listing=listing, status=status)


# --- the printable sheet ---------------------------------------------------------------------


def listing_sheet_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The listing as an A4 sheet (WeasyPrint) at a stable URL, with a QR code back to the
    listing page: what buyers print and take to the yard."""
    listing = _listing_or_404(request, pk)
    url = absolute_url(reverse("marketplace:listing_detail", args=[listing.pk]), request)
    photo = next(iter(listing.photos.all()), None)
    context = {
        "listing": listing,
        "machine": listing.machine,
        "url": url,
        "qr": qr_data_uri(url),
        "photo": image_data_uri(photo.image) if photo else "",
        "history": listing_page.listing_price_history(listing=listing),
        "printed_at": timezone.localtime(),
    }
    response = HttpResponse(
        render_pdf("marketplace/listing_sheet_pdf.html", context), "application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="listing-{listing.pk}.pdf"'
    return response


# --- price changes ---------------------------------------------------------------------------


@login_required
@require_POST
def listing_price_change(request: HttpRequest, pk: int) -> HttpResponse:
    listing = _listing_or_404(request, pk)
    form = PriceChangeForm(request.POST)
    title = _("调整价格")
    if not form.is_valid():
        return _form_page(request, form, title=title, listing=listing)
    try:
        change = listing_content.listing_price_change(
            listing=listing,
            actor=request.user,
            new_price=form.cleaned_data["new_price"],
            reason=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        return _refused(request, exc, form, title=title, listing=listing)
    messages.success(
        request,
        _("价格已调整为 %(price)s。") % {"price": f"¥{change.new_price:,.2f}"},
    )
    return _back(listing.pk, "price-history")


# --- questions -------------------------------------------------------------------------------


@login_required
@require_POST
def question_ask(request: HttpRequest, pk: int) -> HttpResponse:
    listing = _listing_or_404(request, pk)
    form = QuestionForm(request.POST)
    title = _("向卖家提问")
    if not form.is_valid():
        return _form_page(request, form, title=title, listing=listing)
    try:
        listing_content.question_ask(
            listing=listing, actor=request.user, question=form.cleaned_data["question"]
        )
    except DomainError as exc:
        return _refused(request, exc, form, title=title, listing=listing)
    messages.success(request, _("问题已发送给卖家；卖家回答并经平台审核后公开显示。"))
    return _back(listing.pk, "questions")


@login_required
@require_POST
def question_answer(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(ListingQuestion.objects.select_related("listing"), pk=pk)
    form = AnswerForm(request.POST)
    title = _("回答买家提问")
    if not form.is_valid():
        return _form_page(request, form, title=title, listing=question.listing)
    try:
        listing_content.question_answer(
            question=question, actor=request.user, answer=form.cleaned_data["answer"]
        )
    except DomainError as exc:
        return _refused(request, exc, form, title=title, listing=question.listing)
    messages.success(request, _("回答已提交，平台审核后与问题一起公开。"))
    return _back(question.listing_id, "questions")


@login_required
@require_POST
def question_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(ListingQuestion.objects.select_related("listing"), pk=pk)
    form = ModerationForm(request.POST)
    title = _("审核买家提问")
    if not form.is_valid():
        return _form_page(request, form, title=title, listing=question.listing)
    try:
        listing_content.question_moderate(
            question=question,
            actor=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            reason=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        return _refused(request, exc, form, title=title, listing=question.listing)
    messages.success(request, _("审核结果已保存。"))
    return redirect("marketplace:question_moderation")


@login_required
def question_moderation(request: HttpRequest) -> HttpResponse:
    """The staff queue: answered questions to publish or reject, and unanswered ones (which
    staff may reject, e.g. when they carry contact details)."""
    if not is_platform_staff(request.user):
        return render(
            request,
            "marketplace/forbidden.html",
            {"message": _("仅平台工作人员可以执行此操作。")},
            status=403,
        )
    return render(
        request,
        "marketplace/question_moderation.html",
        {
            "to_review": list(listing_page.questions_awaiting_review(request.user)),
            "unanswered": list(listing_page.questions_unanswered(request.user)[:100]),
            "form": ModerationForm(),
        },
    )
