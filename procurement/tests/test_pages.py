"""The HTML pages: they render in both languages, forms put the services' refusals on the
fields and change nothing, and the sealed-quote rule holds on every page."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import member_of
from procurement import services
from procurement.models import Quote, RequestForQuotation, RfqStatus
from procurement.tests.conftest import pass_deadline, quote

pytestmark = pytest.mark.django_db

PRICES = ("480000", "455000", "470000")
# How the pages write the prices above (format_cny).
SHOWN = ("¥480,000.00", "¥455,000.00", "¥470,000.00")


def browser(user, language: str = "zh-hans") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def with_quotes(make_rfq, suppliers):
    rfq = make_rfq()
    for (org, user), price in zip(suppliers, PRICES, strict=True):
        quote(rfq, org, user, price)
    return rfq


def opened(make_rfq, suppliers, buyer):
    rfq = with_quotes(make_rfq, suppliers)
    pass_deadline(rfq)
    return services.rfq_open(rfq=rfq, actor=buyer)


def awarded(make_rfq, suppliers, buyer):
    rfq = opened(make_rfq, suppliers, buyer)
    cheapest = Quote.objects.get(rfq=rfq, supplier=suppliers[1][0])
    return services.rfq_award(
        rfq=rfq,
        actor=buyer,
        awards=[services.AwardInput(rfq_line=rfq.lines.get().pk, quote=cheapest.pk, quantity=2)],
    )


def test_pages_need_a_login(make_rfq):
    rfq = make_rfq()
    client = Client()
    for path in ("/procurement/", "/procurement/new/", f"/procurement/{rfq.pk}/"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("language", "expected"), [("zh-hans", "集成采购"), ("en", "Integrated procurement")]
)
def test_list_and_detail_render_in_both_languages(make_rfq, buyer, suppliers, language, expected):
    rfq = with_quotes(make_rfq, suppliers)
    client = browser(buyer, language)
    listing = client.get("/procurement/")
    assert listing.status_code == 200
    assert expected in listing.content.decode()
    assert f'href="/procurement/{rfq.pk}/"' in listing.content.decode()
    detail = client.get(f"/procurement/{rfq.pk}/")
    assert detail.status_code == 200
    assert f'<html lang="{language}">' in detail.content.decode()
    assert browser(buyer, language).get("/procurement/new/").status_code == 200


def test_buyer_page_before_the_opening_shows_the_count_and_no_price(make_rfq, buyer, suppliers):
    rfq = with_quotes(make_rfq, suppliers)
    html = browser(buyer).get(f"/procurement/{rfq.pk}/").content.decode()
    assert "已收到 3 份有效报价。" in html
    for price in (*PRICES, *SHOWN, "480,000", "455,000", "470,000"):
        assert price not in html
    for other in Quote.objects.filter(rfq=rfq):
        assert other.content_hash not in html  # hashes are listed only at the opening


def test_supplier_page_shows_only_its_own_quote(make_rfq, suppliers):
    rfq = with_quotes(make_rfq, suppliers)
    (own_org, own_user), *others = suppliers
    html = browser(own_user).get(f"/procurement/{rfq.pk}/").content.decode()
    assert SHOWN[0] in html
    assert Quote.objects.get(rfq=rfq, supplier=own_org).content_hash in html
    for shown in SHOWN[1:]:
        assert shown not in html
    for org, _user in others:
        assert Quote.objects.get(rfq=rfq, supplier=org).content_hash not in html
        assert org.name not in html


def test_supplier_page_after_the_opening_still_shows_no_other_price(make_rfq, buyer, suppliers):
    rfq = opened(make_rfq, suppliers, buyer)
    html = browser(suppliers[0][1]).get(f"/procurement/{rfq.pk}/").content.decode()
    assert SHOWN[0] in html
    assert SHOWN[1] not in html
    assert SHOWN[2] not in html
    for other in Quote.objects.filter(rfq=rfq):
        assert other.content_hash in html  # the opening record lets each verify its own


def test_buyer_sees_the_comparison_and_the_opening_record_after_the_opening(
    make_rfq, buyer, suppliers
):
    rfq = opened(make_rfq, suppliers, buyer)
    html = browser(buyer).get(f"/procurement/{rfq.pk}/").content.decode()
    assert rfq.status == RfqStatus.OPENED
    for shown in SHOWN:
        assert shown in html
    assert html.index(SHOWN[1]) < html.index(SHOWN[2]) < html.index(SHOWN[0])  # cheapest first
    for other in Quote.objects.filter(rfq=rfq):
        assert other.content_hash in html
    assert f"/procurement/{rfq.pk}/comparison.csv" in html


def test_create_form_makes_a_draft(buyer, category):
    deadline = (timezone.localtime() + dt.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    response = browser(buyer).post(
        "/procurement/new/",
        {
            "title": "两台挖掘机",
            "method": "inquiry",
            "visibility": "open",
            "deadline": deadline,
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "1",
            "lines-MAX_NUM_FORMS": "1000",
            "lines-0-category": category.slug,
            "lines-0-quantity": "2",
            "lines-0-conditions": ["used"],
            "lines-0-delivery_city": "长沙市",
            "lines-0-specification": "",
        },
    )
    rfq = RequestForQuotation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/procurement/{rfq.pk}/"
    assert rfq.status == RfqStatus.DRAFT
    assert rfq.lines.get().quantity == 2


def test_create_form_shows_the_services_field_errors_and_changes_nothing(buyer, category):
    past = (timezone.localtime() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = browser(buyer).post(
        "/procurement/new/",
        {
            "title": "两台挖掘机",
            "method": "open_tender",
            "visibility": "invited",
            "deadline": past,
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-0-category": category.slug,
            "lines-0-quantity": "0",
            "lines-0-conditions": ["used"],
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "确保该值大于或等于1" in html  # the form's own check on the line
    assert RequestForQuotation.objects.count() == 0
    response = browser(buyer).post(
        "/procurement/new/",
        {
            "title": "两台挖掘机",
            "method": "open_tender",
            "visibility": "invited",
            "deadline": past,
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-0-category": category.slug,
            "lines-0-quantity": "1",
            "lines-0-conditions": ["used"],
        },
    )
    html = response.content.decode()
    assert "公开招标必须公开发布。" in html
    assert "截止时间必须晚于现在。" in html
    assert RequestForQuotation.objects.count() == 0


def test_a_supplier_cannot_create_a_request(suppliers):
    owner = suppliers[0][1]
    # A dealer's owner may buy too (RFQ_CREATE): a sales-only member may not.
    sales = member_of(suppliers[0][0], Role.SALES, username="sales")
    assert browser(owner).get("/procurement/new/").status_code == 200
    assert browser(sales).get("/procurement/new/").status_code == 403


def test_quote_form_submits_and_replaces(make_rfq, suppliers):
    rfq = make_rfq()
    org, user = suppliers[0]
    line = rfq.lines.get()
    body = {
        f"line-{line.pk}-unit_price": "480000",
        f"line-{line.pk}-quantity": "2",
        f"line-{line.pk}-lead_time_days": "7",
        f"line-{line.pk}-warranty_months": "6",
        f"line-{line.pk}-machine": "",
    }
    assert browser(user).post(f"/procurement/{rfq.pk}/quote/", body).status_code == 302
    body[f"line-{line.pk}-unit_price"] = "470000"
    assert browser(user).post(f"/procurement/{rfq.pk}/quote/", body).status_code == 302
    versions = list(Quote.objects.filter(rfq=rfq, supplier=org).order_by("version"))
    assert [(q.version, q.is_active) for q in versions] == [(1, False), (2, True)]


def test_quote_form_with_bad_input_shows_errors_and_changes_nothing(make_rfq, suppliers):
    rfq = make_rfq()
    _org, user = suppliers[0]
    line = rfq.lines.get()
    response = browser(user).post(
        f"/procurement/{rfq.pk}/quote/",
        {f"line-{line.pk}-unit_price": "-5", f"line-{line.pk}-quantity": "2"},
    )
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    response = browser(user).post(
        f"/procurement/{rfq.pk}/quote/",
        {
            f"line-{line.pk}-unit_price": "480000",
            f"line-{line.pk}-quantity": "9",  # more than the line asks for
            f"line-{line.pk}-lead_time_days": "0",
            f"line-{line.pk}-warranty_months": "0",
        },
    )
    assert response.status_code == 400
    assert Quote.objects.count() == 0


def test_buyer_actions_publish_then_open_and_award(make_rfq, buyer, suppliers):
    rfq = make_rfq(publish=False)
    client = browser(buyer)
    client.post(f"/procurement/{rfq.pk}/publish/")
    rfq.refresh_from_db()
    assert rfq.status == RfqStatus.PUBLISHED
    for (org, user), price in zip(suppliers, PRICES, strict=True):
        quote(rfq, org, user, price)
    pass_deadline(rfq)
    client.post(f"/procurement/{rfq.pk}/open/")
    rfq.refresh_from_db()
    assert rfq.status == RfqStatus.OPENED
    cheapest = Quote.objects.get(rfq=rfq, supplier=suppliers[1][0])
    line = rfq.lines.get()
    client.post(f"/procurement/{rfq.pk}/award/", {f"award-{line.pk}-{cheapest.pk}": "2"})
    rfq.refresh_from_db()
    assert rfq.status == RfqStatus.PUBLICITY
    assert [(a.quote_id, a.quantity) for a in rfq.awards.all()] == [(cheapest.pk, 2)]


def test_an_action_by_a_supplier_is_refused_and_changes_nothing(make_rfq, suppliers):
    rfq = make_rfq()
    response = browser(suppliers[0][1]).post(f"/procurement/{rfq.pk}/cancel/")
    rfq.refresh_from_db()
    assert response.status_code == 302
    assert rfq.status == RfqStatus.PUBLISHED


def test_publicity_page_is_public_during_publicity_only(make_rfq, buyer, suppliers):
    draft = make_rfq(publish=False)
    assert Client().get(f"/procurement/{draft.pk}/publicity/").status_code == 404
    rfq = awarded(make_rfq, suppliers, buyer)
    for language in ("zh-hans", "en"):
        client = Client()
        client.cookies["django_language"] = language
        response = client.get(f"/procurement/{rfq.pk}/publicity/")
        html = response.content.decode()
        assert response.status_code == 200
        assert suppliers[1][0].name in html
        assert SHOWN[1] in html
        assert SHOWN[0] not in html  # losing prices are not published


@pytest.mark.parametrize("who", ["anonymous", "supplier", "other_buyer", "buyer"])
def test_comparison_csv_is_for_the_buyer_after_the_opening(make_rfq, buyer, suppliers, who):
    rfq = opened(make_rfq, suppliers, buyer)
    client = Client()
    if who == "supplier":
        client.force_login(suppliers[0][1])
    elif who == "other_buyer":
        from procurement.tests.factories import BuyerOrganizationFactory

        client.force_login(member_of(BuyerOrganizationFactory(), Role.BUYER, username="other"))
    elif who == "buyer":
        client.force_login(buyer)
    response = client.get(f"/procurement/{rfq.pk}/comparison.csv")
    expected = {"anonymous": 302, "supplier": 403, "other_buyer": 403, "buyer": 200}[who]
    assert response.status_code == expected
    if who == "buyer":
        rows = response.content.decode("utf-8-sig").splitlines()
        assert len(rows) == 4
        assert rows[1].split(",")[2] == "455000.00"


def test_comparison_csv_before_the_opening_is_not_there(make_rfq, buyer, suppliers):
    rfq = with_quotes(make_rfq, suppliers)
    assert browser(buyer).get(f"/procurement/{rfq.pk}/comparison.csv").status_code == 404


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_pages_speak_one_language(make_rfq, buyer, suppliers, language):
    """The project's own check (tests/test_page_languages.py) on every procurement page."""
    from tests.test_page_languages import walk

    draft = make_rfq(publish=False)
    sealed = with_quotes(make_rfq, suppliers)
    rfq = awarded(make_rfq, suppliers, buyer)
    paths = {
        "/procurement/",
        "/procurement/new/",
        f"/procurement/{draft.pk}/",
        f"/procurement/{sealed.pk}/",
        f"/procurement/{rfq.pk}/",
    }
    for user in (buyer, suppliers[0][1]):
        reached, _charted, failures = walk(language, paths, user)
        assert f"/procurement/{rfq.pk}/" in reached
        assert failures == []
    reached, _charted, failures = walk(language, {f"/procurement/{rfq.pk}/publicity/"})
    assert reached == {f"/procurement/{rfq.pk}/publicity/"}
    assert failures == []


def test_buyer_amends_the_deadline_cancels_and_reissues(make_rfq, buyer):
    rfq = make_rfq()
    client = browser(buyer)
    later = timezone.localtime() + dt.timedelta(days=20)
    client.post(f"/procurement/{rfq.pk}/amend/", {"deadline": later.strftime("%Y-%m-%dT%H:%M")})
    rfq.refresh_from_db()
    assert timezone.localtime(rfq.deadline).strftime("%Y-%m-%d %H:%M") == later.strftime(
        "%Y-%m-%d %H:%M"
    )
    response = client.post(f"/procurement/{rfq.pk}/amend/", {"deadline": "not a date"})
    assert response.status_code == 302
    rfq.refresh_from_db()
    assert rfq.events.filter(kind="amended").count() == 1  # the bad one changed nothing
    client.post(f"/procurement/{rfq.pk}/cancel/", {"reason": "项目延期"})
    rfq.refresh_from_db()
    assert rfq.status == RfqStatus.CANCELLED
    response = client.post(f"/procurement/{rfq.pk}/reissue/")
    copy = RequestForQuotation.objects.get(reissued_from=rfq)
    assert response["Location"] == f"/procurement/{copy.pk}/"
    assert copy.status == RfqStatus.DRAFT


def test_an_award_form_with_a_bad_quantity_changes_nothing(make_rfq, buyer, suppliers):
    rfq = opened(make_rfq, suppliers, buyer)
    line = rfq.lines.get()
    first = Quote.objects.filter(rfq=rfq).first()
    for value in ("abc", "9"):
        browser(buyer).post(f"/procurement/{rfq.pk}/award/", {f"award-{line.pk}-{first.pk}": value})
        rfq.refresh_from_db()
        assert rfq.status == RfqStatus.OPENED
        assert rfq.awards.count() == 0


def test_questions_are_asked_and_answered_without_the_askers_name(make_rfq, buyer, suppliers):
    rfq = make_rfq()
    (asker_org, asker), (_other_org, other) = suppliers[0], suppliers[1]
    browser(asker).post(f"/procurement/{rfq.pk}/questions/", {"text": "可否接受再制造设备？"})
    question = rfq.questions.get()
    assert (
        "可否接受再制造设备？" not in browser(other).get(f"/procurement/{rfq.pk}/").content.decode()
    )
    browser(buyer).post(
        f"/procurement/{rfq.pk}/questions/{question.pk}/answer/", {"answer": "可以接受。"}
    )
    html = browser(other).get(f"/procurement/{rfq.pk}/").content.decode()
    assert "可否接受再制造设备？" in html
    assert "可以接受。" in html
    assert asker_org.name not in html


def test_comparison_shows_an_offered_machine_of_the_platform(make_rfq, buyer, suppliers):
    from marketplace.tests.factories import MachineFactory

    rfq = make_rfq()
    org, user = suppliers[0]
    machine = MachineFactory(
        owner=org, year_of_manufacture=2021, current_hours=4321, condition_grade="B"
    )
    quote(rfq, org, user, "480000", machine=machine.pk)
    for other_org, other_user in suppliers[1:]:
        quote(rfq, other_org, other_user, "470000")
    pass_deadline(rfq)
    rfq = services.rfq_open(rfq=rfq, actor=buyer)
    html = browser(buyer).get(f"/procurement/{rfq.pk}/").content.decode()
    assert "2021 · 4321 h · B" in html
