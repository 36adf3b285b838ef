"""REST API of integrated procurement, mounted under /api/procurement/.

Views parse input, call one service or selector and render the result. Errors use the
project format ``{"error": {"code", "message", "fields"}}`` (core.api); a bad value inside a
line is named by its path, e.g. ``lines.0.unit_price``.
"""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from core.errors import DomainError, NotFoundError, PermissionDeniedError
from procurement import selectors, services
from procurement.errors import ProcurementErrorCode as Code
from procurement.models import ItemCondition, Method, RequestForQuotation, RfqQuestion, Visibility
from procurement.rules import rules_table

# --- input -----------------------------------------------------------------------------------

# Bounds that keep generated or hostile input inside the database's integer range (a 400,
# never a 500); the service applies the business limits.
MAX_ID = 2**31 - 1
MAX_COUNT = 1_000_000


def _id(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def _count(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=-MAX_COUNT, max_value=MAX_COUNT, **kwargs)


class RfqLineInSerializer(serializers.Serializer):
    category = serializers.SlugField(max_length=80)
    quantity = _count()
    conditions = serializers.ListField(
        child=serializers.ChoiceField(choices=ItemCondition.choices), allow_empty=False
    )
    size_class = serializers.CharField(required=False, allow_blank=True, max_length=100)
    min_grade = serializers.CharField(required=False, allow_blank=True, max_length=1)
    max_age_years = _count(required=False, allow_null=True)
    max_hours = _count(required=False, allow_null=True)
    delivery_city = serializers.CharField(required=False, allow_blank=True, max_length=50)
    delivery_date = serializers.DateField(required=False, allow_null=True)
    specification = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class WeightsSerializer(serializers.Serializer):
    price = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    quality = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    delivery = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    service = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    finance = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)


class RfqInSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    method = serializers.ChoiceField(choices=Method.choices)
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.OPEN)
    invited_organizations = serializers.ListField(child=_id(), required=False, default=list)
    deadline = serializers.DateTimeField()
    opening_at = serializers.DateTimeField(required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    budget_ceiling = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )
    budget_published = serializers.BooleanField(required=False, default=False)
    weights = WeightsSerializer(required=False)
    subject_to_tendering_law = serializers.BooleanField(required=False, default=False)
    organization = _id(required=False)
    lines = RfqLineInSerializer(many=True, allow_empty=False)


class QuoteLineInSerializer(serializers.Serializer):
    rfq_line = _id()
    unit_price = serializers.DecimalField(max_digits=14, decimal_places=2)
    quantity = _count()
    vat_rate = serializers.DecimalField(max_digits=4, decimal_places=3, required=False)
    lead_time_days = _count(required=False, default=0)
    warranty_months = _count(required=False, default=0)
    validity_days = _count(required=False, default=30)
    machine = _id(required=False, allow_null=True)
    offered_model = serializers.CharField(required=False, allow_blank=True, max_length=200)


class QuoteInSerializer(serializers.Serializer):
    organization = _id(required=False)
    lines = QuoteLineInSerializer(many=True, allow_empty=False)


class AwardItemSerializer(serializers.Serializer):
    rfq_line = _id()
    quote = _id()
    quantity = _count()


class AwardInSerializer(serializers.Serializer):
    awards = AwardItemSerializer(many=True, allow_empty=False)


class CancelInSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ReissueInSerializer(serializers.Serializer):
    deadline = serializers.DateTimeField(required=False)


class AmendInSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    deadline = serializers.DateTimeField(required=False)
    specifications = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=2000), required=False
    )


class QuestionInSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000)
    organization = _id(required=False)


class AnswerInSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=2000)


# --- output (for the schema; views return the selectors' dicts) -----------------------------


class StatusSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()


def _flatten(errors, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested errors as dotted paths: ``{"lines": [{"quantity": [..]}]}`` →
    ``{"lines.0.quantity": [..]}``."""
    if isinstance(errors, dict):
        flat: dict[str, list[str]] = {}
        for key, value in errors.items():
            flat.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(errors, list) and errors and all(isinstance(e, dict | list) for e in errors):
        flat = {}
        for index, value in enumerate(errors):
            flat.update(_flatten(value, f"{prefix}.{index}"))
        return flat
    items = errors if isinstance(errors, list) else [errors]
    return {prefix or "non_field_errors": [str(item) for item in items]} if items else {}


def _parse(serializer_class, request: Request) -> dict:
    serializer = serializer_class(data=request.data)
    if not serializer.is_valid():
        raise DomainError(
            _("输入有误，请检查标出的字段。"), code=Code.INVALID, fields=_flatten(serializer.errors)
        )
    return serializer.validated_data


def _visible_rfq(request: Request, pk: int) -> RequestForQuotation:
    rfq = RequestForQuotation.objects.select_related("buyer").filter(pk=pk).first()
    if rfq is None or not selectors.rfq_visible_to(request.user, rfq):
        raise NotFoundError(_("未找到采购需求。"))
    return rfq


def _detail(request: Request, rfq: RequestForQuotation, code: int = 200) -> Response:
    rfq = RequestForQuotation.objects.select_related("buyer").get(pk=rfq.pk)
    return Response(selectors.rfq_data(rfq, request.user), status=code)


# --- views -------------------------------------------------------------------------------------


@extend_schema(
    methods=["GET"],
    operation_id="procurement_rfqs_list",
    responses={200: OpenApiTypes.OBJECT},
    description="Requests you may see.",
)
@extend_schema(
    methods=["POST"],
    request=RfqInSerializer,
    responses={201: OpenApiTypes.OBJECT},
    description="Create a draft request for quotation for your buying organization.",
)
@api_view(["GET", "POST"])
@permission_classes([IsAuthenticated])
def rfq_list(request: Request) -> Response:
    if request.method == "GET":
        rfqs = selectors.rfqs_visible_to(request.user).select_related("buyer")[:100]
        return Response(
            {
                "results": [
                    {
                        "id": rfq.pk,
                        "title": rfq.title,
                        "method": rfq.method,
                        "status": rfq.status,
                        "deadline": rfq.deadline.isoformat(),
                        "buyer": rfq.buyer_id,
                    }
                    for rfq in rfqs
                ]
            }
        )
    data = _parse(RfqInSerializer, request)
    buyer = selectors.buyer_organization(request.user, data.get("organization"))
    if buyer is None:
        raise PermissionDeniedError(
            _("您不属于可以发起采购的机构。"), code=Code.NO_BUYER_ORGANIZATION
        )
    rfq = services.rfq_create(
        buyer=buyer,
        actor=request.user,
        data=services.RfqInput(
            title=data["title"],
            method=data["method"],
            visibility=data["visibility"],
            invited_organizations=data["invited_organizations"],
            deadline=data["deadline"],
            opening_at=data.get("opening_at"),
            description=data.get("description", ""),
            budget_ceiling=data.get("budget_ceiling"),
            budget_published=data["budget_published"],
            weights=dict(data["weights"]) if data.get("weights") else None,
            subject_to_tendering_law=data["subject_to_tendering_law"],
            lines=[services.RfqLineInput(**line) for line in data["lines"]],
        ),
    )
    return _detail(request, rfq, status.HTTP_201_CREATED)


@extend_schema(responses={200: OpenApiTypes.OBJECT}, description="A request and its lines.")
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def rfq_detail(request: Request, pk: int) -> Response:
    return _detail(request, _visible_rfq(request, pk))


@extend_schema(request=None, responses={200: StatusSerializer})
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def rfq_publish(request: Request, pk: int) -> Response:
    rfq = services.rfq_publish(rfq=_visible_rfq(request, pk), actor=request.user)
    return Response({"id": rfq.pk, "status": rfq.status, "deadline": rfq.deadline.isoformat()})


@extend_schema(request=AmendInSerializer, responses={200: OpenApiTypes.OBJECT})
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def rfq_amend(request: Request, pk: int) -> Response:
    """Change a draft or published request; a late change moves the deadline."""
    data = _parse(AmendInSerializer, request)
    specifications = data.get("specifications")
    try:
        specifications = {int(k): v for k, v in specifications.items()} if specifications else None
    except ValueError as exc:
        raise DomainError(
            _("输入有误，请检查标出的字段。"),
            code=Code.INVALID,
            fields={"specifications": [_("没有这个采购明细。")]},
        ) from exc
    rfq = services.rfq_amend(
        rfq=_visible_rfq(request, pk),
        actor=request.user,
        title=data.get("title"),
        description=data.get("description"),
        deadline=data.get("deadline"),
        specifications=specifications,
    )
    return _detail(request, rfq)


@extend_schema(request=None, responses={200: StatusSerializer})
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def rfq_open(request: Request, pk: int) -> Response:
    """The opening, after the deadline: status "opened", or "failed" (流标) with too few
    quotes. The opening record lists each quote's SHA-256."""
    rfq = services.rfq_open(rfq=_visible_rfq(request, pk), actor=request.user)
    return Response(
        {"id": rfq.pk, "status": rfq.status, "opening_record": selectors.opening_record(rfq)}
    )


@extend_schema(request=None, responses={200: StatusSerializer})
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def rfq_evaluate(request: Request, pk: int) -> Response:
    """Start the evaluation of an opened request."""
    rfq = services.rfq_evaluate(rfq=_visible_rfq(request, pk), actor=request.user)
    return Response({"id": rfq.pk, "status": rfq.status})


@extend_schema(request=AwardInSerializer, responses={200: StatusSerializer})
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def rfq_award(request: Request, pk: int) -> Response:
    """Award lines (several entries for one line split it); the result goes into publicity."""
    data = _parse(AwardInSerializer, request)
    rfq = services.rfq_award(
        rfq=_visible_rfq(request, pk),
        actor=request.user,
        awards=[services.AwardInput(**item) for item in data["awards"]],
    )
    return Response(
        {
            "id": rfq.pk,
            "status": rfq.status,
            "publicity_ends_at": rfq.publicity_ends_at.isoformat(),
        }
    )


@extend_schema(request=CancelInSerializer, responses={200: StatusSerializer})
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def rfq_cancel(request: Request, pk: int) -> Response:
    data = _parse(CancelInSerializer, request)
    rfq = services.rfq_cancel(
        rfq=_visible_rfq(request, pk), actor=request.user, reason=data.get("reason", "")
    )
    return Response({"id": rfq.pk, "status": rfq.status})


@extend_schema(request=ReissueInSerializer, responses={201: OpenApiTypes.OBJECT})
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def rfq_reissue(request: Request, pk: int) -> Response:
    """A new draft copied from a failed or cancelled request."""
    data = _parse(ReissueInSerializer, request)
    copy = services.rfq_reissue(
        rfq=_visible_rfq(request, pk), actor=request.user, deadline=data.get("deadline")
    )
    return _detail(request, copy, status.HTTP_201_CREATED)


@extend_schema(
    methods=["GET"],
    responses={200: OpenApiTypes.OBJECT},
    description='Before the opening the buyer gets only {"count"}; a supplier only its own '
    "quote; after the opening the buyer gets every active quote.",
)
@extend_schema(
    methods=["POST"],
    request=QuoteInSerializer,
    responses={201: OpenApiTypes.OBJECT},
    description="Submit or replace (a new version) your organization's sealed quote.",
)
@api_view(["GET", "POST"])
@permission_classes([IsAuthenticated])
def rfq_quotes(request: Request, pk: int) -> Response:
    if request.method == "GET":
        return Response(selectors.quotes_for(_visible_rfq(request, pk), request.user))
    # Not the visibility 404: a supplier left out of an invited request is told so (403).
    rfq = RequestForQuotation.objects.select_related("buyer").filter(pk=pk).first()
    if rfq is None:
        raise NotFoundError(_("未找到采购需求。"))
    data = _parse(QuoteInSerializer, request)
    supplier = selectors.supplier_organization(request.user, data.get("organization"))
    if supplier is None:
        raise PermissionDeniedError(
            _("您不属于可以报价的供应商机构。"), code=Code.NO_SUPPLIER_ORGANIZATION
        )
    quote = services.quote_submit(
        rfq=rfq,
        supplier=supplier,
        actor=request.user,
        lines=[services.QuoteLineInput(**line) for line in data["lines"]],
    )
    quote = type(quote).objects.select_related("supplier").get(pk=quote.pk)
    return Response(selectors.quote_data(quote), status=status.HTTP_201_CREATED)


@extend_schema(responses={200: OpenApiTypes.OBJECT}, description="After the opening, buyer only.")
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def rfq_comparison(request: Request, pk: int) -> Response:
    return Response(selectors.comparison(_visible_rfq(request, pk), request.user))


@extend_schema(
    methods=["GET"], responses={200: OpenApiTypes.OBJECT}, description="Questions and answers."
)
@extend_schema(methods=["POST"], request=QuestionInSerializer, responses={201: OpenApiTypes.OBJECT})
@api_view(["GET", "POST"])
@permission_classes([IsAuthenticated])
def rfq_questions(request: Request, pk: int) -> Response:
    rfq = _visible_rfq(request, pk)
    if request.method == "GET":
        return Response({"results": selectors.questions_for(rfq, request.user)})
    data = _parse(QuestionInSerializer, request)
    supplier = selectors.supplier_organization(request.user, data.get("organization"))
    if supplier is None:
        raise PermissionDeniedError(
            _("您不属于可以报价的供应商机构。"), code=Code.NO_SUPPLIER_ORGANIZATION
        )
    question = services.question_ask(
        rfq=rfq, supplier=supplier, actor=request.user, text=data["text"]
    )
    return Response({"id": question.pk, "text": question.text}, status=status.HTTP_201_CREATED)


@extend_schema(request=AnswerInSerializer, responses={200: OpenApiTypes.OBJECT})
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def question_answer(request: Request, pk: int) -> Response:
    question = RfqQuestion.objects.filter(pk=pk).first()
    if question is None or not selectors.rfq_visible_to(request.user, question.rfq):
        raise NotFoundError(_("未找到问题。"))
    data = _parse(AnswerInSerializer, request)
    question = services.question_answer(
        question=question, actor=request.user, answer=data["answer"]
    )
    return Response(
        {"id": question.pk, "answer": question.answer, "answered_at": question.answered_at}
    )


@extend_schema(responses={200: OpenApiTypes.OBJECT}, description="The procurement rules.")
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def rules(request: Request) -> Response:
    return Response({"methods": rules_table()})
