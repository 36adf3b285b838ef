"""HTML views: parse input, call a selector or service, render.

Refusals come back from the services as ``DomainError``: a permission refusal renders a 403
page with its message, any other refusal is shown as a message or as form errors.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.permissions import Permission, is_platform_staff, organizations_with_permission
from core.errors import DomainError, PermissionDeniedError
from core.panels import render_listing_panels
from marketplace import selectors, services
from marketplace.forms import (
    HourReadingCorrectionForm,
    HourReadingForm,
    ListingCreateForm,
    ListingEditForm,
    PhotoFormSet,
    WithdrawForm,
)
from marketplace.models import HourMeterReading, Listing, ListingPhoto, ListingStatus, Machine
from marketplace.photo_set import photo_checklist

DEALER_LISTINGS_PER_PAGE = 50


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "marketplace/forbidden.html", {"message": message}, status=403)


def _apply_domain_error(form, exc: DomainError) -> None:
    """Show a service refusal on the form: per field where the service named one."""
    placed = False
    for field, field_messages in exc.fields.items():
        target = field if field in form.fields else None
        for message in field_messages:
            form.add_error(target, message)
        placed = True
    if not placed:
        form.add_error(None, exc.message)


def _member_listing_or_404(request: HttpRequest, pk: int) -> Listing:
    listing = selectors.listing_get_for_member(listing_id=pk, user=request.user)
    if listing is None:
        raise Http404
    return listing


# --- public pages ---------------------------------------------------------------------------


def listing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    listing = selectors.listing_get_for_user(listing_id=pk, user=request.user)
    if listing is None:
        raise Http404
    can_manage = services.can_manage_listing(request.user, listing)
    return render(
        request,
        "marketplace/listing_detail.html",
        {
            "listing": listing,
            "machine": listing.machine,
            "can_manage": can_manage,
            "can_edit": services.can_edit_listing(request.user, listing),
            "can_publish": services.can_publish_listing(request.user, listing),
            "panel_badges": render_listing_panels(request, listing, "badges"),
            "panel_aside": render_listing_panels(request, listing, "aside"),
            "panel_main": render_listing_panels(request, listing, "main"),
            "panel_price": render_listing_panels(request, listing, "price"),
        },
    )


# --- the seller's pages ---------------------------------------------------------------------


@login_required
def dealer_listings(request: HttpRequest) -> HttpResponse:
    manageable = organizations_with_permission(request.user, Permission.LISTING_MANAGE)
    manageable_ids = {org.pk for org in manageable}
    staff = is_platform_staff(request.user)
    listings = selectors.listings_of_user_organizations(request.user)
    status = request.GET.get("status", "")
    if status in ListingStatus.values:  # the dashboard links here by status
        listings = listings.filter(status=status)
    page = Paginator(listings, DEALER_LISTINGS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        (
            listing,
            services.listing_actions(
                listing=listing, can_manage=listing.seller_id in manageable_ids, is_staff=staff
            ),
        )
        for listing in page.object_list
    ]
    return render(
        request,
        "marketplace/dealer_listings.html",
        {
            "rows": rows,
            "page": page,
            "can_create": bool(manageable),
            "status": ListingStatus(status) if status in ListingStatus.values else None,
        },
    )


@login_required
def listing_create(request: HttpRequest) -> HttpResponse:
    organizations = organizations_with_permission(request.user, Permission.LISTING_MANAGE)
    if not organizations:
        return _forbidden(request, _("您所在的机构没有发布挂牌的权限。"))
    form = ListingCreateForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        try:
            listing = services.listing_create_with_machine(
                owner=form.cleaned_data["organization"],
                actor=request.user,
                machine_data=form.machine_input(),
                listing_data=form.listing_input(),
            )
        except DomainError as exc:
            _apply_domain_error(form, exc)
        else:
            messages.success(request, _("挂牌草稿已创建，请上传照片后提交审核。"))
            return redirect("marketplace:listing_photos", pk=listing.pk)
    return render(request, "marketplace/listing_form.html", {"form": form, "listing": None})


@login_required
def listing_manage(request: HttpRequest, pk: int) -> HttpResponse:
    listing = _member_listing_or_404(request, pk)
    can_manage = services.can_manage_listing(request.user, listing)
    return render(
        request,
        "marketplace/listing_manage.html",
        {
            "listing": listing,
            "machine": listing.machine,
            "can_manage": can_manage,
            "actions": _actions_for(request, listing),
            "withdraw_form": WithdrawForm(),
            "checklist": photo_checklist(listing),
        },
    )


def _actions_for(request: HttpRequest, listing: Listing) -> list[str]:
    user = request.user
    predicates = {
        "edit": services.can_edit_listing,
        "submit": services.can_submit_listing,
        "publish": services.can_publish_listing,
        "withdraw": services.can_withdraw_listing,
        "relist": services.can_relist_listing,
    }
    return [name for name, allowed in predicates.items() if allowed(user, listing)]


@login_required
def listing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    listing = _member_listing_or_404(request, pk)
    if not services.can_manage_listing(request.user, listing):
        return _forbidden(request, _("您没有执行此操作的权限。"))
    if not services.can_edit_listing(request.user, listing):
        messages.error(request, _("只有草稿或未通过审核的挂牌可以编辑。"))
        return redirect("marketplace:listing_manage", pk=listing.pk)
    form = ListingEditForm(request.POST or None, initial=ListingEditForm.initial_from(listing))
    if request.method == "POST" and form.is_valid():
        try:
            services.listing_update(listing=listing, actor=request.user, data=form.listing_input())
        except DomainError as exc:
            _apply_domain_error(form, exc)
        else:
            messages.success(request, _("挂牌已保存。"))
            return redirect("marketplace:listing_manage", pk=listing.pk)
    return render(request, "marketplace/listing_form.html", {"form": form, "listing": listing})


@login_required
def listing_photos(request: HttpRequest, pk: int) -> HttpResponse:
    listing = _member_listing_or_404(request, pk)
    if not services.can_manage_listing(request.user, listing):
        return _forbidden(request, _("您没有执行此操作的权限。"))
    checklist = photo_checklist(listing)
    # The empty rows start on the kinds still missing, so one upload can complete the set.
    initial = [{"kind": item.kind} for item in checklist if not item.is_present]
    formset = PhotoFormSet(
        request.POST or None, request.FILES or None, prefix="photos", initial=initial
    )
    if request.method == "POST" and formset.is_valid() and _save_photos(request, listing, formset):
        messages.success(request, _("照片已上传。"))
        return redirect("marketplace:listing_manage", pk=listing.pk)
    return render(
        request,
        "marketplace/listing_photos.html",
        {
            "listing": listing,
            "formset": formset,
            "photos": listing.photos.all(),
            "checklist": checklist,
        },
    )


def _save_photos(request: HttpRequest, listing: Listing, formset) -> bool:
    """All photos of one upload or none: a refused file rolls back the ones before it."""
    try:
        with transaction.atomic():
            for form in formset.forms:
                upload = form.cleaned_data.get("image")
                if not upload:
                    continue
                try:
                    services.listing_photo_add(
                        listing=listing,
                        actor=request.user,
                        upload=upload,
                        kind=form.cleaned_data["kind"],
                    )
                except DomainError as exc:
                    form.add_error("image" if "image" in exc.fields else None, exc.message)
                    raise
    except DomainError:
        return False
    return True


@login_required
@require_POST
def listing_photo_delete(request: HttpRequest, pk: int) -> HttpResponse:
    photo = (
        ListingPhoto.objects.select_related("listing__seller")
        .filter(pk=pk, listing__seller__memberships__user=request.user)
        .first()
    )
    if photo is None:
        raise Http404
    listing_id = photo.listing_id
    try:
        services.listing_photo_delete(photo=photo, actor=request.user)
    except PermissionDeniedError as exc:
        return _forbidden(request, exc.message)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("marketplace:listing_photos", pk=listing_id)
    messages.success(request, _("照片已删除。"))
    return redirect("marketplace:listing_photos", pk=listing_id)


LISTING_ACTIONS = {
    "submit": (services.listing_submit, gettext_lazy("挂牌已提交审核。")),
    "publish": (services.listing_publish, gettext_lazy("挂牌已发布。")),
    "withdraw": (services.listing_withdraw, gettext_lazy("挂牌已下架。")),
    "relist": (services.listing_relist, gettext_lazy("挂牌已恢复为草稿，可以编辑后重新提交。")),
}


@login_required
@require_POST
def listing_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """POST-only seller actions; the service checks permission and the source state."""
    if action not in LISTING_ACTIONS:
        raise Http404
    listing = selectors.listing_get_for_user(listing_id=pk, user=request.user)
    if listing is None:
        raise Http404
    service, success_message = LISTING_ACTIONS[action]
    kwargs = {}
    if action == "withdraw":
        form = WithdrawForm(request.POST)
        kwargs["reason"] = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        service(listing=listing, actor=request.user, **kwargs)
    except PermissionDeniedError as exc:
        return _forbidden(request, exc.message)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, str(success_message))
    return redirect(_back_to(request, listing))


def _back_to(request: HttpRequest, listing: Listing) -> str:
    """Only two named targets, never a URL from the request (no open redirect)."""
    if request.POST.get("next") == "dashboard":
        return reverse("marketplace:dealer_listings")
    return reverse("marketplace:listing_manage", args=[listing.pk])


@login_required
def machine_hours_add(request: HttpRequest, pk: int) -> HttpResponse:
    machine = (
        Machine.objects.select_related("owner", "brand", "equipment_model")
        .filter(pk=pk, owner__memberships__user=request.user)
        .first()
    )
    if machine is None:
        raise Http404
    form = HourReadingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.machine_hours_report(
                machine=machine,
                actor=request.user,
                hours=form.cleaned_data["hours"],
                read_at=form.cleaned_data["read_at"],
                note=form.cleaned_data["note"],
            )
        except PermissionDeniedError as exc:
            return _forbidden(request, exc.message)
        except DomainError as exc:
            _apply_domain_error(form, exc)
        else:
            messages.success(request, _("小时表读数已记录。"))
            listing = machine.listings.order_by("-id").first()
            if listing is not None:
                return redirect("marketplace:listing_manage", pk=listing.pk)
            return redirect("marketplace:dealer_listings")
    readings = machine.hour_readings.for_history().reverse()
    return render(
        request,
        "marketplace/machine_hours_form.html",
        {"machine": machine, "form": form, "readings": readings},
    )


@login_required
def hour_reading_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Supersede a mistaken reading (the owner's own declarations; staff any reading)."""
    reading = (
        HourMeterReading.objects.select_related("machine__owner", "machine__equipment_model")
        .filter(pk=pk)
        .first()
    )
    if reading is None or not services.can_correct_reading(request.user, reading):
        raise Http404
    form = HourReadingCorrectionForm(request.POST or None, initial={"hours": reading.hours})
    if request.method == "POST" and form.is_valid():
        try:
            services.hour_reading_correct(
                reading=reading,
                actor=request.user,
                hours=form.cleaned_data["hours"],
                reason=form.cleaned_data["reason"],
            )
        except PermissionDeniedError as exc:
            return _forbidden(request, exc.message)
        except DomainError as exc:
            _apply_domain_error(form, exc)
        else:
            messages.success(request, _("读数已更正，原读数保留在记录中。"))
            return redirect("marketplace:machine_hours_add", pk=reading.machine_id)
    return render(
        request,
        "marketplace/hour_reading_correct.html",
        {"reading": reading, "machine": reading.machine, "form": form},
    )
