"""A machine's passport page and its JSON export."""

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from certification import selectors
from certification.charts import ChartPoint, hours_chart_svg
from marketplace.models import HourReadingSource

# --- passport -----------------------------------------------------------------------------------


def _passport_or_404(request: HttpRequest, pk: int):
    machine = selectors.machine_for_passport(pk)
    if machine is None:
        raise Http404
    return selectors.machine_passport(machine=machine, user=request.user)


def passport(request: HttpRequest, pk: int) -> HttpResponse:
    data = _passport_or_404(request, pk)
    labels = dict(HourReadingSource.choices)
    chart = hours_chart_svg(
        [ChartPoint(r.read_at, r.hours, r.source) for r in data.readings],
        labels={k: str(v) for k, v in labels.items()},
    )
    return render(request, "certification/passport.html", {"p": data, "chart": chart})


def passport_json(request: HttpRequest, pk: int) -> JsonResponse:
    data = _passport_or_404(request, pk)
    response = JsonResponse(
        selectors.passport_as_dict(data), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = f'inline; filename="machine-{pk}-passport.json"'
    return response
