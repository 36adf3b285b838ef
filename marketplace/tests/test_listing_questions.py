"""Public questions to the seller, answered by the seller, published by staff (issue #14)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import member_of
from core.errors import ConflictError, DomainError, PermissionDeniedError
from marketplace.listing_page import listing_questions_for, questions_awaiting_review
from marketplace.models import ListingQuestion, ListingStatus, QuestionStatus
from marketplace.services.listing_content import (
    question_answer,
    question_ask,
    question_moderate,
)
from marketplace.tests.factories import MachineFactory, PublishedListingFactory
from notifications.models import Notification

pytestmark = pytest.mark.django_db
QUESTION = "请问斗齿和履带板的磨损情况如何？"


@pytest.fixture
def listing(dealer_org):
    return PublishedListingFactory(machine=MachineFactory(owner=dealer_org))


@pytest.fixture
def asked(listing, buyer, dealer):
    return question_ask(listing=listing, actor=buyer, question=QUESTION)


def test_a_buyer_asks_and_the_sellers_managers_are_notified(listing, buyer, dealer, dealer_org):
    member_of(dealer_org, Role.VIEWER, username="viewer")  # may not answer: not notified
    item = question_ask(listing=listing, actor=buyer, question=f"  {QUESTION}  ")
    assert (item.question, item.status) == (QUESTION, QuestionStatus.AWAITING_ANSWER)
    notes = list(Notification.objects.values_list("recipient__username", "kind", "url"))
    assert notes == [("dealer", "listing_question", f"/listings/{listing.pk}/#questions")]


@pytest.mark.parametrize("who", ["anonymous", "seller"])
def test_anonymous_users_and_the_seller_cannot_ask(who, listing, dealer):
    actor = AnonymousUser() if who == "anonymous" else dealer
    with pytest.raises(PermissionDeniedError):
        question_ask(listing=listing, actor=actor, question=QUESTION)
    assert ListingQuestion.objects.count() == 0


@pytest.mark.parametrize(
    ("text", "message"), [("好？", "请至少写 5 个字。"), ("问" * 501, "不能超过 500 个字。")]
)
def test_bad_questions_get_a_field_error(listing, buyer, text, message):
    with pytest.raises(DomainError) as caught:
        question_ask(listing=listing, actor=buyer, question=text)
    assert caught.value.fields == {"question": [message]}


def test_questions_only_on_published_listings_and_at_most_three_open(listing, buyer, dealer_org):
    draft = PublishedListingFactory(machine__owner=dealer_org, status=ListingStatus.DRAFT)
    with pytest.raises(ConflictError):
        question_ask(listing=draft, actor=buyer, question=QUESTION)
    for _ in range(3):
        question_ask(listing=listing, actor=buyer, question=QUESTION)
    with pytest.raises(ConflictError) as caught:
        question_ask(listing=listing, actor=buyer, question=QUESTION)
    assert caught.value.code == "too_many_open_questions"
    assert ListingQuestion.objects.count() == 3


@pytest.mark.parametrize("who", ["buyer", "other_dealer", "viewer"])
def test_only_the_sellers_managers_answer(who, asked, buyer, other_dealer, dealer_org):
    actor = {
        "buyer": buyer,
        "other_dealer": other_dealer,
        "viewer": member_of(dealer_org, Role.VIEWER, username="viewer"),
    }[who]
    with pytest.raises(PermissionDeniedError):
        question_answer(question=asked, actor=actor, answer="九成新。")
    asked.refresh_from_db()
    assert (asked.answer, asked.status) == ("", QuestionStatus.AWAITING_ANSWER)


def test_nothing_is_public_until_staff_publish_it(listing, asked, buyer, dealer, staff):
    question_answer(question=asked, actor=dealer, answer="斗齿去年更换，履带板约七成新。")
    anonymous = listing_questions_for(listing=listing, user=None)
    assert anonymous.published == []
    assert listing_questions_for(listing=listing, user=buyer).own_pending == [asked]
    assert listing_questions_for(listing=listing, user=dealer).to_answer == [asked]
    assert list(questions_awaiting_review(staff)) == [asked]
    assert list(questions_awaiting_review(buyer)) == []
    question_moderate(question=asked, actor=staff, approve=True)
    assert listing_questions_for(listing=listing, user=None).published == [asked]
    assert Notification.objects.filter(recipient=buyer, kind="listing_question_published").exists()


def test_moderation_rules(asked, buyer, dealer, staff):
    with pytest.raises(PermissionDeniedError):
        question_moderate(question=asked, actor=dealer, approve=True)
    with pytest.raises(ConflictError) as caught:
        question_moderate(question=asked, actor=staff, approve=True)
    assert caught.value.message == "只能公开卖家已回答的问题。"
    with pytest.raises(DomainError) as caught:
        question_moderate(question=asked, actor=staff, approve=False, reason=" ")
    assert caught.value.fields == {"reason": ["请填写驳回原因。"]}
    question_moderate(question=asked, actor=staff, approve=False, reason="含联系方式")
    asked.refresh_from_db()
    assert (asked.status, asked.rejection_reason) == (QuestionStatus.REJECTED, "含联系方式")
    with pytest.raises(ConflictError):
        question_answer(question=asked, actor=dealer, answer="加我微信")


def test_the_page_shows_published_answers_and_the_form(
    client, listing, asked, dealer, staff, buyer
):
    question_answer(question=asked, actor=dealer, answer="履带板约七成新。")
    url = reverse("marketplace:listing_detail", args=[listing.pk])
    assert "履带板约七成新。" not in client.get(url).content.decode()
    question_moderate(question=asked, actor=staff, approve=True)
    page = client.get(url).content.decode()
    assert QUESTION in page and "履带板约七成新。" in page
    assert "登录后向卖家提问" in page
    client.force_login(buyer)
    page = client.get(url).content.decode()
    assert f'action="/listings/{listing.pk}/questions/"' in page


def test_views_give_field_errors_and_refusals_not_500(client, listing, buyer, dealer, staff):
    ask_url = reverse("marketplace:question_ask", args=[listing.pk])
    assert client.post(ask_url, {"question": QUESTION}).status_code == 302  # to the login
    client.force_login(buyer)
    short = client.post(ask_url, {"question": "好？"})
    assert short.status_code == 400
    assert "请至少写 5 个字。" in short.content.decode()
    assert client.post(ask_url, {"question": QUESTION})["Location"].endswith("#questions")
    item = ListingQuestion.objects.get()
    answer_url = reverse("marketplace:question_answer", args=[item.pk])
    assert client.post(answer_url, {"answer": "好"}).status_code == 403  # buyer
    moderation = reverse("marketplace:question_moderation")
    assert client.get(moderation).status_code == 403
    client.force_login(dealer)
    assert client.post(answer_url, {"answer": "七成新"}).status_code == 302
    client.force_login(staff)
    queue = client.get(moderation).content.decode()
    assert QUESTION in queue and "七成新" in queue
    moderate_url = reverse("marketplace:question_moderate", args=[item.pk])
    assert client.post(moderate_url, {"decision": "maybe"}).status_code == 400
    assert client.post(moderate_url, {"decision": "approve"}).status_code == 302
    item.refresh_from_db()
    assert item.status == QuestionStatus.PUBLISHED
