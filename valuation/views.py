"""HTML pages of the valuation app: value my machine, the stored back-test and the public
model cards."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from valuation.forms import EstimateForm
from valuation.model_cards import model_card_view
from valuation.models import ValuationKind
from valuation.panels import render_valuation
from valuation.records import record_from_inputs
from valuation.selectors import (
    active_model_version,
    latest_backtest_runs,
    model_version,
    model_versions,
)
from valuation.services import valuation_value_record


def value_my_machine(request: HttpRequest) -> HttpResponse:
    """A form; submitted (GET, so results can be shared), the same panel as a listing page."""
    form = EstimateForm(request.GET or None)
    panel = ""
    if form.is_valid():
        data = form.cleaned_data
        record = record_from_inputs(
            equipment_model=data["equipment_model"],
            year=data["year"],
            hours=data["hours"],
            city=data["city"],
            condition_grade=data["condition_grade"],
            emission_stage=data["emission_stage"],
            is_remanufactured=data["is_remanufactured"],
            sale_format=data["sale_format"],
        )
        valuation = valuation_value_record(record=record, kind=ValuationKind.ESTIMATE)
        panel = mark_safe(render_valuation(request, valuation))  # noqa: S308 - our template
    return render(
        request,
        "valuation/value_my_machine.html",
        {"form": form, "panel": panel, "submitted": form.is_bound},
    )


def backtest(request: HttpRequest) -> HttpResponse:
    """The newest stored rolling-origin back-test of each source (computed offline)."""
    return render(
        request,
        "valuation/backtest.html",
        {"runs": latest_backtest_runs(), "active": active_model_version()},
    )


def model_list(request: HttpRequest) -> HttpResponse:
    """Every model version, newest first, the active one marked."""
    return render(request, "valuation/model_list.html", {"versions": list(model_versions())})


def model_card(request: HttpRequest, version: str) -> HttpResponse:
    """The public card of one model version: data, method, figures, limits, changes."""
    found = model_version(version)
    if found is None:
        raise Http404(version)
    view = model_card_view(found)
    return render(request, "valuation/model_card.html", {"view": view})
