"""Staff tools in the Wagtail admin: the model registry (read-only) with activate/rollback.

Switching models goes through the same services as the command line, so the artifact is
verified before activation and the switch is atomic.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts.permissions import is_platform_staff
from core.admin_policies import StaffMenuMixin
from core.errors import DomainError
from valuation.selectors import model_versions
from valuation.services import model_version_activate, model_version_rollback


def _staff_only(request: HttpRequest) -> None:
    if not is_platform_staff(request.user):
        raise Http404


def models_index(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    return render(
        request,
        "valuation/admin/models_index.html",
        {"versions": model_versions(), "page_title": _("估值模型"), "header_icon": "history"},
    )


@require_POST
def models_activate(request: HttpRequest, version: str) -> HttpResponse:
    _staff_only(request)
    try:
        model_version_activate(version=version, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已启用模型 %(version)s") % {"version": version})
    return redirect("valuation_models:index")


@require_POST
def models_rollback(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    try:
        version = model_version_rollback(actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已回滚到模型 %(version)s") % {"version": version.version})
    return redirect("valuation_models:index")


@hooks.register("register_admin_urls")
def register_valuation_urls():
    return [
        path(
            "valuation/models/",
            (
                [
                    path("", models_index, name="index"),
                    path("rollback/", models_rollback, name="rollback"),
                    path("<str:version>/activate/", models_activate, name="activate"),
                ],
                "valuation_models",
                "valuation_models",
            ),
        )
    ]


class StaffMenuItem(StaffMenuMixin, MenuItem):
    pass


@hooks.register("register_admin_menu_item")
def register_valuation_menu_item():
    return StaffMenuItem(
        gettext_lazy("估值模型"),
        reverse("valuation_models:index"),
        name="valuation-models",
        icon_name="history",
        order=900,
    )
