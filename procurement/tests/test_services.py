"""Every transition and every refusal of the procurement services; refusals change nothing."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import KycStatus, OrganizationKind, Role
from accounts.tests.factories import OrganizationFactory, member_of
from core.errors import ConflictError, DomainError, PermissionDeniedError
from marketplace.tests.factories import MachineFactory
from procurement import selectors, services
from procurement.models import (
    Award,
    Quote,
    QuoteLine,
    RequestForQuotation,
    RfqEvent,
    RfqLine,
    RfqQuestion,
    RfqStatus,
)
from procurement.sealing import canonical_quote_json, sha256_hex
from procurement.tests.conftest import pass_deadline, quote, rfq_input
from procurement.tests.factories import QuoteFactory, RfqFactory

pytestmark = pytest.mark.django_db
D = Decimal


def snapshot(rfq):
    rfq = RequestForQuotation.objects.get(pk=rfq.pk)
    return (
        rfq.status,
        rfq.deadline,
        rfq.title,
        RequestForQuotation.objects.count(),
        RfqLine.objects.count(),
        RfqEvent.objects.count(),
        Quote.objects.count(),
        QuoteLine.objects.count(),
        Award.objects.count(),
        RfqQuestion.objects.filter(answered_at__isnull=False).count(),
    )


def refused(rfq, call, error, code):
    before = snapshot(rfq)
    with pytest.raises(error) as info:
        call()
    assert info.value.code == code
    assert info.value.message
    assert snapshot(rfq) == before
    return info.value


def kinds(rfq):
    return list(RfqEvent.objects.filter(rfq=rfq).values_list("kind", flat=True))


def opened_rfq(make_rfq, suppliers, buyer, prices=("480000", "455000", "470000"), **kwargs):
    rfq = make_rfq(**kwargs)
    for (org, user), price in zip(suppliers, prices, strict=False):
        quote(rfq, org, user, price)
    pass_deadline(rfq)
    return services.rfq_open(rfq=rfq, actor=buyer)


# --- creating and publishing -----------------------------------------------------------------


def test_create_and_publish_write_events(make_rfq, buyer):
    rfq = make_rfq()
    assert rfq.status == RfqStatus.PUBLISHED
    assert rfq.published_at is not None
    assert kinds(rfq) == ["created", "published"]
    event = RfqEvent.objects.get(rfq=rfq, kind="published")
    assert (event.from_status, event.to_status, event.actor) == ("draft", "published", buyer)


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN, Role.BUYER])
def test_managing_roles_may_create(buyer_org, category, role):
    user = member_of(buyer_org, role)
    rfq = services.rfq_create(buyer=buyer_org, actor=user, data=rfq_input())
    assert rfq.status == RfqStatus.DRAFT


@pytest.mark.parametrize("who", ["viewer", "finance", "other_org", "anonymous"])
def test_others_may_not_create_or_publish(buyer_org, make_rfq, who):
    from django.contrib.auth.models import AnonymousUser

    draft = make_rfq(publish=False)
    actor = {
        "viewer": lambda: member_of(buyer_org, Role.VIEWER),
        "finance": lambda: member_of(buyer_org, Role.FINANCE),
        "other_org": lambda: member_of(OrganizationFactory(kind=OrganizationKind.BUYER)),
        "anonymous": AnonymousUser,
    }[who]()
    with pytest.raises(PermissionDeniedError):
        services.rfq_create(buyer=buyer_org, actor=actor, data=rfq_input())
    refused(
        draft,
        lambda: services.rfq_publish(rfq=draft, actor=actor),
        PermissionDeniedError,
        "permission_denied",
    )


def test_create_refuses_bad_values_with_fields(buyer_org, buyer, category):
    data = rfq_input(
        title=" ",
        deadline=timezone.now() - dt.timedelta(hours=1),
        weights={"price": D("70")},
        budget_ceiling=D("0"),
        lines=[services.RfqLineInput(category="excavator", quantity=-1, conditions=[])],
    )
    with pytest.raises(DomainError) as info:
        services.rfq_create(buyer=buyer_org, actor=buyer, data=data)
    assert info.value.code == "invalid"
    assert sorted(info.value.fields) == [
        "budget_ceiling",
        "deadline",
        "lines.0.conditions",
        "lines.0.quantity",
        "title",
        "weights",
    ]
    assert info.value.fields["weights"] == ["各项评分权重不能为负，合计必须为 100。"]
    assert RequestForQuotation.objects.count() == 0


@pytest.mark.parametrize(
    ("method", "visibility"), [("open_tender", "invited"), ("invited_tender", "open")]
)
def test_tender_methods_fix_the_visibility(buyer_org, buyer, category, method, visibility):
    with pytest.raises(DomainError) as info:
        services.rfq_create(
            buyer=buyer_org, actor=buyer, data=rfq_input(method=method, visibility=visibility)
        )
    assert list(info.value.fields) == ["visibility"]


def test_the_weights_constraint_fires(buyer_org):
    with pytest.raises(IntegrityError), transaction.atomic():
        RfqFactory(buyer=buyer_org, weight_price=D("61"))


def test_publish_refuses_an_unverified_buyer(make_rfq, buyer_org, buyer):
    draft = make_rfq(publish=False)
    buyer_org.kyc_status = KycStatus.PENDING
    buyer_org.save()
    refused(
        draft,
        lambda: services.rfq_publish(rfq=draft, actor=buyer),
        PermissionDeniedError,
        "organization_not_verified",
    )


def test_publish_twice_is_a_conflict(make_rfq, buyer):
    rfq = make_rfq()
    error = refused(
        rfq, lambda: services.rfq_publish(rfq=rfq, actor=buyer), ConflictError, "invalid_transition"
    )
    assert error.message == "采购需求状态不能从“已发布”变为“已发布”。"


def test_a_request_under_the_tendering_law_gets_the_legal_period(make_rfq, buyer):
    draft = make_rfq(
        publish=False,
        method="open_tender",
        subject_to_tendering_law=True,
        deadline=timezone.now() + dt.timedelta(days=19),
    )
    error = refused(
        draft,
        lambda: services.rfq_publish(rfq=draft, actor=buyer),
        DomainError,
        "deadline_too_soon",
    )
    assert error.message == "截止时间至少应在发布后 20 天。"
    # Settings cannot shorten the law's period.
    with pytest.MonkeyPatch.context() as patch:
        from django.conf import settings

        patch.setattr(
            settings,
            "PROCUREMENT_RULES",
            {"minimum_response_days": {"open_tender": 5}},
            raising=False,
        )
        with pytest.raises(DomainError):
            services.rfq_publish(rfq=draft, actor=buyer)
    RequestForQuotation.objects.filter(pk=draft.pk).update(
        deadline=timezone.now() + dt.timedelta(days=21)
    )
    assert services.rfq_publish(rfq=draft, actor=buyer).status == RfqStatus.PUBLISHED


def test_an_invited_tender_under_the_law_needs_three_invitees(make_rfq, buyer, suppliers):
    draft = make_rfq(
        publish=False,
        subject_to_tendering_law=True,
        method="invited_tender",
        visibility="invited",
        invited_organizations=[suppliers[0][0].pk, suppliers[1][0].pk],
        deadline=timezone.now() + dt.timedelta(days=25),
    )
    error = refused(
        draft, lambda: services.rfq_publish(rfq=draft, actor=buyer), DomainError, "invalid"
    )
    assert error.message == "至少需要邀请 3 家供应商。"


def test_a_private_invited_request_needs_one_invitee(make_rfq, buyer, suppliers):
    draft = make_rfq(publish=False, visibility="invited")
    error = refused(
        draft, lambda: services.rfq_publish(rfq=draft, actor=buyer), DomainError, "invalid"
    )
    assert error.fields == {"invited_organizations": ["受邀供应商不足。"]}
    private = make_rfq(
        method="invited_tender",
        visibility="invited",
        invited_organizations=[suppliers[0][0].pk],
    )
    assert private.status == RfqStatus.PUBLISHED


def test_evaluate_then_award(make_rfq, buyer, suppliers):
    rfq = opened_rfq(make_rfq, suppliers, buyer)
    rfq = services.rfq_evaluate(rfq=rfq, actor=buyer)
    assert rfq.status == RfqStatus.EVALUATING
    assert kinds(rfq)[-1] == "evaluating"
    award = services.AwardInput(
        rfq_line=rfq.lines.get().pk, quote=Quote.objects.filter(rfq=rfq).first().pk, quantity=2
    )
    assert services.rfq_award(rfq=rfq, actor=buyer, awards=[award]).status == RfqStatus.PUBLICITY
    refused(
        rfq,
        lambda: services.rfq_evaluate(rfq=rfq, actor=buyer),
        ConflictError,
        "invalid_transition",
    )


# --- amending ----------------------------------------------------------------------------------


def test_an_early_amendment_keeps_the_deadline(make_rfq, buyer):
    rfq = make_rfq(deadline=timezone.now() + dt.timedelta(days=10))
    deadline = rfq.deadline
    line = rfq.lines.get()
    amended = services.rfq_amend(
        rfq=rfq, actor=buyer, title="新标题", specifications={line.pk: "需带破碎锤管路"}
    )
    assert amended.deadline == deadline
    assert amended.title == "新标题"
    assert RfqLine.objects.get(pk=line.pk).specification == "需带破碎锤管路"
    event = RfqEvent.objects.get(rfq=rfq, kind="amended")
    assert event.data["deadline_moved"] is False
    assert event.data["changes"] == ["title", f"line:{line.pk}"]


def test_a_late_amendment_moves_the_deadline(make_rfq, buyer):
    rfq = make_rfq(deadline=timezone.now() + dt.timedelta(days=1))
    before = timezone.now()
    amended = services.rfq_amend(rfq=rfq, actor=buyer, description="补充：需提供发票")
    # Inquiry: three days after the change (clarification cut-off).
    assert amended.deadline >= before + dt.timedelta(days=3)
    assert amended.deadline <= timezone.now() + dt.timedelta(days=3)
    assert RfqEvent.objects.get(rfq=rfq, kind="amended").data["deadline_moved"] is True


def test_amending_after_the_deadline_closed_it_is_refused(make_rfq, buyer):
    rfq = make_rfq()
    pass_deadline(rfq)
    assert services.rfq_close_due() == 1
    refused(
        rfq,
        lambda: services.rfq_amend(rfq=rfq, actor=buyer, title="x"),
        ConflictError,
        "invalid_transition",
    )


# --- quotes --------------------------------------------------------------------------------------


def test_replacing_a_quote_keeps_the_old_version(make_rfq, suppliers):
    rfq = make_rfq()
    org, user = suppliers[0]
    first = quote(rfq, org, user, "480000")
    second = quote(rfq, org, user, "470000")
    first.refresh_from_db()
    assert (first.version, first.is_active) == (1, False)
    assert (second.version, second.is_active) == (2, True)
    assert first.content_hash != second.content_hash
    assert [q["version"] for q in selectors.supplier_versions(rfq, org)] == [1, 2]
    assert Quote.objects.filter(rfq=rfq, supplier=org, is_active=True).count() == 1
    assert list(
        RfqEvent.objects.filter(kind="quote_submitted").values_list("data__version", flat=True)
    ) == [1, 2]


def test_the_stored_hash_is_the_sha256_of_the_canonical_json(make_rfq, suppliers):
    rfq = make_rfq()
    org, user = suppliers[0]
    submitted = quote(rfq, org, user, "480000.5", warranty_months=6)
    line = submitted.lines.get()
    text = canonical_quote_json(
        rfq_id=rfq.pk,
        supplier_id=org.pk,
        version=1,
        submitted_at=submitted.submitted_at.isoformat(),
        lines=[
            {
                "rfq_line": line.rfq_line_id,
                "unit_price": D("480000.50"),
                "vat_rate": D("0.130"),
                "quantity": 2,
                "machine": None,
                "offered_model": "",
                "lead_time_days": 0,
                "warranty_months": 6,
                "validity_days": 30,
            }
        ],
    )
    assert json.loads(text)["lines"][0]["unit_price"] == "480000.50"
    assert submitted.content_hash == sha256_hex(text)


def test_one_active_quote_per_supplier_is_enforced_by_the_database(make_rfq, suppliers):
    rfq = make_rfq()
    org, user = suppliers[0]
    quote(rfq, org, user)
    with pytest.raises(IntegrityError), transaction.atomic():
        QuoteFactory(rfq=rfq, supplier=org, version=7, is_active=True)


@pytest.mark.parametrize(
    ("change", "code", "error"),
    [
        ("unverified", "organization_not_verified", PermissionDeniedError),
        ("wrong_kind", "not_a_supplier", PermissionDeniedError),
        ("wrong_role", "permission_denied", PermissionDeniedError),
    ],
)
def test_who_may_quote(make_rfq, change, code, error):
    rfq = make_rfq()
    org = OrganizationFactory(
        kind=OrganizationKind.BUYER if change == "wrong_kind" else OrganizationKind.DEALER,
        kyc_status=KycStatus.PENDING if change == "unverified" else KycStatus.VERIFIED,
    )
    user = member_of(org, Role.VIEWER if change == "wrong_role" else Role.OWNER)
    refused(rfq, lambda: quote(rfq, org, user), error, code)


def test_no_quote_on_a_draft_or_after_the_deadline(make_rfq, suppliers):
    draft = make_rfq(publish=False)
    org, user = suppliers[0]
    refused(draft, lambda: quote(draft, org, user), ConflictError, "not_accepting_quotes")
    rfq = make_rfq()
    pass_deadline(rfq)
    error = refused(rfq, lambda: quote(rfq, org, user), DomainError, "deadline_passed")
    assert error.message == "报价截止时间已过。"


def test_a_machine_must_belong_to_the_supplier(make_rfq, suppliers):
    rfq = make_rfq()
    org, user = suppliers[0]
    foreign = MachineFactory(owner=suppliers[1][0])
    error = refused(rfq, lambda: quote(rfq, org, user, machine=foreign.pk), DomainError, "invalid")
    assert error.fields == {"lines.0.machine": ["只能用本机构名下的设备报价。"]}
    own = MachineFactory(owner=org)
    assert quote(rfq, org, user, machine=own.pk).lines.get().machine_id == own.pk


def test_sealed_selectors_before_the_opening(make_rfq, buyer, suppliers):
    rfq = make_rfq()
    for org, user in suppliers[:2]:
        quote(rfq, org, user)
    assert selectors.quotes_for(rfq, buyer) == {"count": 2}
    mine = selectors.quotes_for(rfq, suppliers[0][1])
    assert [q["supplier"] for q in mine["quotes"]] == [suppliers[0][0].pk]
    third = selectors.quotes_for(rfq, suppliers[2][1])
    assert third == {"count": 0, "quotes": []}
    with pytest.raises(ConflictError):
        selectors.comparison(rfq, buyer)
    # No price in any event written before the opening.
    for event in RfqEvent.objects.filter(rfq=rfq):
        assert "480000" not in json.dumps(event.data)


# --- closing, opening, failing, reissuing ------------------------------------------------------


def test_close_due_closes_only_past_deadlines(make_rfq):
    due = pass_deadline(make_rfq())
    later = make_rfq()
    assert services.rfq_close_due() == 1
    assert RequestForQuotation.objects.get(pk=due.pk).status == RfqStatus.CLOSED
    assert RequestForQuotation.objects.get(pk=later.pk).status == RfqStatus.PUBLISHED
    assert services.rfq_close_due() == 0


def test_opening_before_the_deadline_is_refused(make_rfq, buyer):
    rfq = make_rfq()
    refused(
        rfq, lambda: services.rfq_open(rfq=rfq, actor=buyer), ConflictError, "deadline_not_reached"
    )


def test_a_quote_after_the_opening_is_a_late_quote(make_rfq, buyer, suppliers):
    rfq = opened_rfq(make_rfq, suppliers, buyer)
    refused(rfq, lambda: quote(rfq, *suppliers[0]), DomainError, "deadline_passed")
    cancelled = services.rfq_cancel(rfq=make_rfq(), actor=buyer)
    refused(
        cancelled, lambda: quote(cancelled, *suppliers[0]), ConflictError, "not_accepting_quotes"
    )


def test_opening_records_the_hashes(make_rfq, buyer, suppliers):
    rfq = opened_rfq(make_rfq, suppliers, buyer)
    seen_by_supplier = selectors.rfq_data(rfq, suppliers[0][1])["opening_record"]
    own = Quote.objects.get(rfq=rfq, supplier=suppliers[0][0])
    assert {
        "quote": own.pk,
        "supplier": own.supplier_id,
        "version": 1,
        "hash": own.content_hash,
    } in (seen_by_supplier["quotes"])
    assert "unit_price" not in str(seen_by_supplier)
    assert rfq.status == RfqStatus.OPENED
    assert rfq.opened_at is not None
    assert kinds(rfq)[-2:] == ["closed", "opened"]
    record = selectors.opening_record(rfq)
    assert record["valid_quotes"] == 3
    assert record["minimum_quotes"] == 3
    assert sorted(q["hash"] for q in record["quotes"]) == sorted(
        Quote.objects.filter(rfq=rfq).values_list("content_hash", flat=True)
    )


def test_opening_only_counts_active_quotes(make_rfq, buyer, suppliers):
    rfq = make_rfq()
    org, user = suppliers[0]
    quote(rfq, org, user, "1")
    quote(rfq, org, user, "2")
    quote(rfq, *suppliers[1], "3")
    pass_deadline(rfq)
    failed = services.rfq_open(rfq=rfq, actor=buyer)
    assert failed.status == RfqStatus.FAILED
    assert selectors.opening_record(failed)["valid_quotes"] == 2
    assert kinds(failed)[-2:] == ["closed", "failed"]


def test_negotiation_needs_two_quotes(make_rfq, buyer, suppliers):
    rfq = opened_rfq(make_rfq, suppliers, buyer, prices=("1", "2"), method="negotiation")
    assert rfq.status == RfqStatus.OPENED


def test_only_managers_open(make_rfq, buyer_org, suppliers):
    rfq = pass_deadline(make_rfq())
    viewer = member_of(buyer_org, Role.VIEWER)
    refused(
        rfq,
        lambda: services.rfq_open(rfq=rfq, actor=viewer),
        PermissionDeniedError,
        "permission_denied",
    )
    refused(
        rfq,
        lambda: services.rfq_open(rfq=rfq, actor=suppliers[0][1]),
        PermissionDeniedError,
        "permission_denied",
    )


def test_reissue_copies_a_failed_request(make_rfq, buyer, suppliers):
    rfq = make_rfq(
        visibility="invited",
        invited_organizations=[suppliers[0][0].pk],
        budget_ceiling=D("1000000"),
    )
    line = rfq.lines.get()
    RfqLine.objects.filter(pk=line.pk).update(specification="带空调", max_hours=6000)
    pass_deadline(rfq)
    failed = services.rfq_open(rfq=rfq, actor=buyer)
    assert failed.status == RfqStatus.FAILED
    copy = services.rfq_reissue(rfq=failed, actor=buyer)
    assert copy.status == RfqStatus.DRAFT
    assert copy.reissued_from_id == rfq.pk
    assert copy.deadline > timezone.now()
    assert list(copy.invited_organizations.values_list("pk", flat=True)) == [suppliers[0][0].pk]
    assert copy.budget_ceiling == D("1000000.00")
    [copied] = copy.lines.all()
    assert copied.pk != line.pk
    assert (copied.category_id, copied.quantity, copied.conditions, copied.specification) == (
        line.category_id,
        2,
        ["used"],
        "带空调",
    )
    assert copied.max_hours == 6000
    assert RequestForQuotation.objects.get(pk=rfq.pk).status == RfqStatus.FAILED
    assert kinds(rfq)[-1] == "reissued"


def test_reissue_refused_for_a_live_request(make_rfq, buyer):
    rfq = make_rfq()
    refused(
        rfq, lambda: services.rfq_reissue(rfq=rfq, actor=buyer), ConflictError, "invalid_transition"
    )


def test_cancel(make_rfq, buyer):
    rfq = services.rfq_cancel(rfq=make_rfq(), actor=buyer, reason="预算取消")
    assert rfq.status == RfqStatus.CANCELLED
    event = RfqEvent.objects.get(rfq=rfq, kind="cancelled")
    assert (event.from_status, event.data) == ("published", {"reason": "预算取消"})
    refused(
        rfq, lambda: services.rfq_cancel(rfq=rfq, actor=buyer), ConflictError, "invalid_transition"
    )


# --- awarding and the publicity period ---------------------------------------------------------


def test_award_then_finalize_after_publicity(make_rfq, buyer, suppliers):
    rfq = opened_rfq(make_rfq, suppliers, buyer)
    line = rfq.lines.get()
    cheapest = Quote.objects.get(rfq=rfq, supplier=suppliers[1][0])
    rfq = services.rfq_award(
        rfq=rfq,
        actor=buyer,
        awards=[services.AwardInput(rfq_line=line.pk, quote=cheapest.pk, quantity=2)],
    )
    assert rfq.status == RfqStatus.PUBLICITY
    assert rfq.publicity_ends_at - timezone.now() > dt.timedelta(days=2, hours=23)
    award = Award.objects.get()
    assert (award.quote_id, award.quantity, award.unit_price) == (cheapest.pk, 2, D("455000.00"))
    assert services.rfq_finalize_due() == 0
    RequestForQuotation.objects.filter(pk=rfq.pk).update(
        publicity_ends_at=timezone.now() - dt.timedelta(seconds=1)
    )
    call_command("procurement_finalize_due", stdout=open("/dev/null", "w"))  # noqa: SIM115
    rfq.refresh_from_db()
    assert rfq.status == RfqStatus.AWARDED
    assert rfq.awarded_at is not None
    assert kinds(rfq)[-2:] == ["awarded", "finalized"]


@pytest.mark.parametrize(
    ("entry", "field", "message"),
    [
        ({"rfq_line": 0}, "awards.0.rfq_line", "没有这个采购明细。"),
        ({"quote": 0}, "awards.0.quote", "该报价不是此明细的有效报价。"),
        ({"quantity": 0}, "awards.0.quantity", "数量必须大于零。"),
        ({"quantity": 3}, "awards.0.quantity", "授标数量超过该报价的数量。"),
    ],
)
def test_award_refusals(make_rfq, buyer, suppliers, entry, field, message):
    rfq = opened_rfq(make_rfq, suppliers, buyer)
    values = {
        "rfq_line": rfq.lines.get().pk,
        "quote": Quote.objects.filter(rfq=rfq).first().pk,
        "quantity": 1,
        **entry,
    }
    error = refused(
        rfq,
        lambda: services.rfq_award(rfq=rfq, actor=buyer, awards=[services.AwardInput(**values)]),
        DomainError,
        "invalid",
    )
    assert error.fields == {field: [message]}


def test_an_inactive_version_cannot_be_awarded(make_rfq, buyer, suppliers):
    rfq = make_rfq()
    org, user = suppliers[0]
    old = quote(rfq, org, user, "1")
    quote(rfq, org, user, "2")
    for other in suppliers[1:]:
        quote(rfq, *other)
    pass_deadline(rfq)
    rfq = services.rfq_open(rfq=rfq, actor=buyer)
    award = services.AwardInput(rfq_line=rfq.lines.get().pk, quote=old.pk, quantity=1)
    refused(
        rfq,
        lambda: services.rfq_award(rfq=rfq, actor=buyer, awards=[award]),
        DomainError,
        "invalid",
    )


def test_award_before_the_opening_is_refused(make_rfq, buyer, suppliers):
    rfq = make_rfq()
    submitted = quote(rfq, *suppliers[0])
    award = services.AwardInput(rfq_line=rfq.lines.get().pk, quote=submitted.pk, quantity=1)
    refused(
        rfq,
        lambda: services.rfq_award(rfq=rfq, actor=buyer, awards=[award]),
        ConflictError,
        "invalid_transition",
    )


# --- questions ----------------------------------------------------------------------------------


def test_questions_are_answered_to_all_suppliers_anonymously(make_rfq, buyer, suppliers):
    rfq = make_rfq()
    asker_org, asker = suppliers[0]
    question = services.question_ask(
        rfq=rfq, supplier=asker_org, actor=asker, text="可否报国三机型？"
    )
    assert selectors.questions_for(rfq, suppliers[1][1]) == []
    services.question_answer(question=question, actor=buyer, answer="可以，需注明排放阶段。")
    [seen] = selectors.questions_for(rfq, suppliers[1][1])
    assert seen["answer"] == "可以，需注明排放阶段。"
    assert seen["mine"] is False
    assert "asked_by" not in seen
    assert selectors.questions_for(rfq, asker)[0]["mine"] is True
    refused(
        rfq,
        lambda: services.question_answer(question=question, actor=buyer, answer="再答"),
        ConflictError,
        "already_answered",
    )


def test_questions_close_at_the_deadline(make_rfq, suppliers):
    rfq = pass_deadline(make_rfq())
    org, user = suppliers[0]
    refused(
        rfq,
        lambda: services.question_ask(rfq=rfq, supplier=org, actor=user, text="?"),
        ConflictError,
        "questions_closed",
    )


def test_a_supplier_cannot_answer(make_rfq, suppliers):
    rfq = make_rfq()
    org, user = suppliers[0]
    question = services.question_ask(rfq=rfq, supplier=org, actor=user, text="交货地点？")
    refused(
        rfq,
        lambda: services.question_answer(question=question, actor=user, answer="自答"),
        PermissionDeniedError,
        "permission_denied",
    )


def test_the_sweep_task_closes_and_finalizes(make_rfq, buyer, suppliers, settings):
    from procurement.tasks import procurement_sweep_task

    assert settings.PERIODIC_TASKS["procurement.tasks.procurement_sweep_task"] == 300
    due = pass_deadline(make_rfq())
    in_publicity = opened_rfq(make_rfq, suppliers, buyer)
    award = services.AwardInput(
        rfq_line=in_publicity.lines.get().pk,
        quote=Quote.objects.filter(rfq=in_publicity).first().pk,
        quantity=1,
    )
    services.rfq_award(rfq=in_publicity, actor=buyer, awards=[award])
    RequestForQuotation.objects.filter(pk=in_publicity.pk).update(
        publicity_ends_at=timezone.now() - dt.timedelta(seconds=1)
    )
    result = procurement_sweep_task.enqueue()
    assert result.return_value == {"closed": 1, "finalized": 1}
    assert RequestForQuotation.objects.get(pk=due.pk).status == RfqStatus.CLOSED
    assert RequestForQuotation.objects.get(pk=in_publicity.pk).status == RfqStatus.AWARDED
