"""HTML pages of the procurement app: parse input, call a service or selector, render.

Every price shown here comes through ``procurement.selectors`` (``quotes_for``,
``supplier_versions``, ``comparison``, ``rfq_data``), which keep the quotes sealed before the
opening, so the pages cannot show more than the API. Refusals (``DomainError``) become form
errors or messages and change nothing.
"""

import csv
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Organization
from core.errors import ConflictError, DomainError, PermissionDeniedError
from marketplace.models import Machine
from procurement import selectors, services
from procurement.forms import (
    AnswerForm,
    CancelForm,
    DeadlineForm,
    QuestionForm,
    QuoteLineForm,
    RfqForm,
    RfqLineFormSet,
)
from procurement.models import RequestForQuotation, RfqQuestion, RfqStatus
from procurement.rules import rules_table
from procurement.states import prices_revealed
from valuation.services import valuation_value_machine


def _visible(request: HttpRequest, pk: int) -> RequestForQuotation:
    rfq = RequestForQuotation.objects.select_related("buyer").filter(pk=pk).first()
    if rfq is None or not selectors.rfq_visible_to(request.user, rfq):
        raise Http404
    return rfq


def _put_errors(exc: DomainError, form, formset=None) -> None:
    """The service's field paths (``title``, ``lines.0.quantity``) on the forms."""
    for path, field_messages in exc.fields.items():
        parts = path.split(".")
        target, name = form, parts[0]
        if formset is not None and parts[0] == "lines" and len(parts) == 3:
            index = int(parts[1])
            if index < len(formset.forms):
                target, name = formset.forms[index], parts[2]
        for message in field_messages:
            target.add_error(name if name in target.fields else None, message)
    if not exc.fields:
        form.add_error(None, exc.message)


@login_required
def rfq_list(request: HttpRequest) -> HttpResponse:
    rfqs = selectors.rfqs_visible_to(request.user).select_related("buyer")[:100]
    return render(
        request,
        "procurement/rfq_list.html",
        {
            "rfqs": rfqs,
            "can_create": selectors.buyer_organization(request.user) is not None,
        },
    )


@login_required
def rfq_create(request: HttpRequest) -> HttpResponse:
    buyer = selectors.buyer_organization(request.user)
    if buyer is None:
        raise PermissionDenied
    form = RfqForm(request.POST or None)
    formset = RfqLineFormSet(request.POST or None, prefix="lines")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        lines = [
            services.RfqLineInput(
                category=line["category"].slug,
                quantity=line["quantity"],
                conditions=line["conditions"],
                delivery_city=line["delivery_city"],
                specification=line["specification"],
            )
            for line in formset.cleaned_data
            if line and not line.get("DELETE")
        ]
        try:
            rfq = services.rfq_create(
                buyer=buyer,
                actor=request.user,
                data=services.RfqInput(
                    title=data["title"],
                    description=data["description"],
                    method=data["method"],
                    visibility=data["visibility"],
                    invited_organizations=[org.pk for org in data["invited_organizations"]],
                    deadline=data["deadline"],
                    lines=lines,
                ),
            )
        except DomainError as exc:
            _put_errors(exc, form, formset)
        else:
            messages.success(request, _("采购需求已保存为草稿。"))
            return redirect("procurement:rfq_detail", rfq.pk)
    return render(request, "procurement/rfq_form.html", {"form": form, "formset": formset})


def _valued(entry: dict, machines: dict[int, Machine]) -> dict:
    """A comparison entry with the offered machine's facts and the platform valuation."""
    machine = machines.get(entry["machine"]) if entry["machine"] else None
    if machine is None:
        return entry
    valuation = valuation_value_machine(machine=machine, store=False)
    value = valuation.p50 if valuation is not None else None
    against = None
    if value:
        against = (Decimal(entry["unit_price"]) / value - 1) * 100
    return {
        **entry,
        "offered_machine": machine,
        "valuation": value,
        "against_valuation": against.quantize(Decimal("0.1")) if against is not None else None,
    }


def _comparison_view(rfq: RequestForQuotation, user) -> list[dict]:
    table = selectors.comparison(rfq, user)
    ids = {q["machine"] for line in table["lines"] for q in line["quotes"] if q["machine"]}
    machines = Machine.objects.select_related("equipment_model").in_bulk(ids)
    lines = {line.pk: line for line in rfq.lines.select_related("category")}
    return [
        {
            "line": lines[row["rfq_line"]],
            "quotes": [_valued(entry, machines) for entry in row["quotes"]],
        }
        for row in table["lines"]
    ]


@login_required
def rfq_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rfq = _visible(request, pk)
    user = request.user
    buyer_side = selectors.is_buyer_member(user, rfq)
    manager = selectors.can_manage(user, rfq)
    supplier = None if buyer_side else selectors.supplier_organization(user)
    context = {
        "rfq": rfq,
        "data": selectors.rfq_data(rfq, user),
        "lines": list(rfq.lines.select_related("category")),
        "rules": [row for row in rules_table() if row["method"] == rfq.method],
        "events": list(rfq.events.all()),
        "questions": selectors.questions_for(rfq, user),
        "buyer_side": buyer_side,
        "manager": manager,
        "supplier": supplier,
        "revealed": prices_revealed(rfq),
        "deadline_form": DeadlineForm(initial={"deadline": rfq.deadline}),
        "cancel_form": CancelForm(),
        "question_form": QuestionForm(),
        "answer_form": AnswerForm(),
    }
    context["opening_rows"] = _opening_rows(context["data"].get("opening_record"))
    if buyer_side:
        context["quotes"] = selectors.quotes_for(rfq, user)
        if prices_revealed(rfq):
            context["comparison"] = _comparison_view(rfq, user)
    elif supplier is not None:
        versions = selectors.supplier_versions(rfq, supplier)
        context["versions"] = versions
        context["quote_forms"] = _quote_forms(context["lines"], versions)
    return render(request, "procurement/rfq_detail.html", context)


def _opening_rows(record: dict | None) -> list[dict]:
    """The opening record's hashes with the suppliers' names (never a price)."""
    if not record:
        return []
    names = dict(
        Organization.objects.filter(pk__in=[q["supplier"] for q in record["quotes"]]).values_list(
            "pk", "name"
        )
    )
    return [{**item, "supplier_name": names.get(item["supplier"], "")} for item in record["quotes"]]


def _quote_forms(lines, versions, data=None) -> list[tuple]:
    active = next((v for v in versions if v["is_active"]), None)
    current = {line["rfq_line"]: line for line in (active or {}).get("lines", [])}
    result = []
    for line in lines:
        initial = current.get(line.pk, {"quantity": line.quantity})
        initial = {k: v for k, v in initial.items() if k in QuoteLineForm.base_fields}
        result.append((line, QuoteLineForm(data, prefix=f"line-{line.pk}", initial=initial)))
    return result


# --- buyer actions ---------------------------------------------------------------------------


@login_required
@require_POST
def rfq_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    rfq = _visible(request, pk)
    user = request.user
    try:
        if action == "publish":
            services.rfq_publish(rfq=rfq, actor=user)
            messages.success(request, _("采购需求已发布。"))
        elif action == "open":
            opened = services.rfq_open(rfq=rfq, actor=user)
            if opened.status == RfqStatus.FAILED:
                messages.warning(request, _("有效报价不足，采购已流标。"))
            else:
                messages.success(request, _("已开标。"))
        elif action == "cancel":
            form = CancelForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.rfq_cancel(rfq=rfq, actor=user, reason=reason)
            messages.success(request, _("采购需求已取消。"))
        elif action == "amend":
            form = DeadlineForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("请填写有效的截止时间。"))
                return redirect("procurement:rfq_detail", pk)
            services.rfq_amend(rfq=rfq, actor=user, deadline=form.cleaned_data["deadline"])
            messages.success(request, _("截止时间已变更。"))
        elif action == "reissue":
            copy = services.rfq_reissue(rfq=rfq, actor=user)
            messages.success(request, _("已重新发起，新的采购需求为草稿。"))
            return redirect("procurement:rfq_detail", copy.pk)
        elif action == "award":
            services.rfq_award(rfq=rfq, actor=user, awards=_award_inputs(request))
            messages.success(request, _("定标候选人已进入公示。"))
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, _error_text(exc))
    return redirect("procurement:rfq_detail", pk)


def _error_text(exc: DomainError) -> str:
    details = [message for field_messages in exc.fields.values() for message in field_messages]
    return " ".join([exc.message, *details])


def _award_inputs(request: HttpRequest) -> list[services.AwardInput]:
    """``award-<line>-<quote>`` fields with a positive whole quantity."""
    awards = []
    for name, value in request.POST.items():
        parts = name.split("-")
        if len(parts) != 3 or parts[0] != "award" or not value.strip():
            continue
        if not (parts[1].isdigit() and parts[2].isdigit() and value.strip().isdigit()):
            raise DomainError(_("授标数量必须是正整数。"))
        quantity = int(value)
        if quantity > 0:
            awards.append(
                services.AwardInput(rfq_line=int(parts[1]), quote=int(parts[2]), quantity=quantity)
            )
    return awards


@login_required
@require_POST
def question_answer(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    rfq = _visible(request, pk)
    question = RfqQuestion.objects.filter(rfq=rfq, pk=question_pk).first()
    if question is None:
        raise Http404
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写答复（不超过 2000 字）。"))
        return redirect("procurement:rfq_detail", pk)
    try:
        services.question_answer(
            question=question, actor=request.user, answer=form.cleaned_data["answer"]
        )
    except DomainError as exc:
        messages.error(request, _error_text(exc))
    return redirect("procurement:rfq_detail", pk)


# --- supplier actions ------------------------------------------------------------------------


@login_required
@require_POST
def quote_submit(request: HttpRequest, pk: int) -> HttpResponse:
    rfq = _visible(request, pk)
    supplier = selectors.supplier_organization(request.user)
    if supplier is None or selectors.is_buyer_member(request.user, rfq):
        raise PermissionDenied
    lines = list(rfq.lines.select_related("category"))
    versions = selectors.supplier_versions(rfq, supplier)
    forms = _quote_forms(lines, versions, request.POST)
    if all(form.is_valid() for _line, form in forms):
        try:
            services.quote_submit(
                rfq=rfq,
                supplier=supplier,
                actor=request.user,
                lines=[
                    services.QuoteLineInput(rfq_line=line.pk, **form.cleaned_data)
                    for line, form in forms
                ],
            )
        except DomainError as exc:
            _quote_errors(exc, forms)
        else:
            messages.success(request, _("报价已密封提交。"))
            return redirect("procurement:rfq_detail", pk)
    messages.error(request, _("输入有误，请检查标出的字段。"))
    return render(
        request,
        "procurement/quote_form.html",
        {"rfq": rfq, "quote_forms": forms, "supplier": supplier},
        status=400,
    )


def _quote_errors(exc: DomainError, forms: list[tuple]) -> None:
    first = forms[0][1]
    for path, field_messages in exc.fields.items():
        parts = path.split(".")
        target, name = first, None
        if parts[0] == "lines" and len(parts) == 3 and parts[1].isdigit():
            index = int(parts[1])
            if index < len(forms):
                target, name = forms[index][1], parts[2]
        for message in field_messages:
            target.add_error(name if name in target.fields else None, message)
    if not exc.fields:
        first.add_error(None, exc.message)


@login_required
@require_POST
def question_ask(request: HttpRequest, pk: int) -> HttpResponse:
    rfq = _visible(request, pk)
    supplier = selectors.supplier_organization(request.user)
    form = QuestionForm(request.POST)
    if supplier is None:
        raise PermissionDenied
    if not form.is_valid():
        messages.error(request, _("请填写问题（不超过 2000 字）。"))
        return redirect("procurement:rfq_detail", pk)
    try:
        services.question_ask(
            rfq=rfq, supplier=supplier, actor=request.user, text=form.cleaned_data["text"]
        )
    except DomainError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("问题已提交。"))
    return redirect("procurement:rfq_detail", pk)


# --- public page and export ------------------------------------------------------------------


def rfq_publicity(request: HttpRequest, pk: int) -> HttpResponse:
    """The award as published: during the publicity period and after the award is final."""
    rfq = (
        RequestForQuotation.objects.select_related("buyer")
        .filter(pk=pk, status__in=[RfqStatus.PUBLICITY, RfqStatus.AWARDED])
        .first()
    )
    if rfq is None:
        raise Http404
    data = selectors.rfq_data(rfq, None)
    lines = {line.pk: line for line in rfq.lines.select_related("category")}
    awards = [
        {**award, "line": lines[award["rfq_line"]], "unit_price": Decimal(award["unit_price"])}
        for award in data.get("awards", [])
    ]
    return render(request, "procurement/publicity.html", {"rfq": rfq, "awards": awards})


@login_required
def comparison_csv(request: HttpRequest, pk: int) -> HttpResponse:
    rfq = _visible(request, pk)
    try:
        table = selectors.comparison(rfq, request.user)
    except PermissionDeniedError as exc:
        raise PermissionDenied from exc
    except ConflictError as exc:
        raise Http404 from exc
    lines = {line.pk: line for line in rfq.lines.select_related("category")}
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rfq-{rfq.pk}-comparison.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 with a byte order mark
    writer = csv.writer(response)
    writer.writerow(
        [
            _("采购明细"),
            _("供应商"),
            _("含税单价"),
            _("数量"),
            _("合计"),
            _("交货期（天）"),
            _("质保期（月）"),
        ]
    )
    for row in table["lines"]:
        line = lines[row["rfq_line"]]
        for entry in row["quotes"]:
            writer.writerow(
                [
                    f"{line.position + 1} {line.category.display_name}",
                    entry["supplier_name"],
                    entry["unit_price"],
                    entry["quantity"],
                    entry["total"],
                    entry["lead_time_days"],
                    entry["warranty_months"],
                ]
            )
    return response
