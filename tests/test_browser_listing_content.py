"""The listing page's buyer sections in a real browser (issue #14): the share box copies the
absolute link, a buyer asks the seller a question and sees it waiting, the seller answers,
and the sheet link serves a PDF."""

from decimal import Decimal

import pytest

from marketplace.models import ListingQuestion, QuestionStatus
from marketplace.tests.factories import MachineFactory, PublishedListingFactory
from tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
QUESTION = "请问履带板磨损情况如何？"


def test_share_copy_question_and_answer(new_page, live_server, dealer_org, dealer, buyer):
    listing = PublishedListingFactory(
        machine=MachineFactory(owner=dealer_org), asking_price=Decimal("380000.00")
    )
    url = f"{live_server.url}/listings/{listing.pk}/"
    page = new_page()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    login(page, live_server, "buyer")
    page.goto(url)
    assert page.input_value("#share-url") == url
    page.click("[data-copy-target=share-url]")
    page.wait_for_selector("#share .share-status:has-text('已复制链接')")
    assert page.evaluate("navigator.clipboard.readText()") == url
    page.fill("#questions textarea[name=question]", QUESTION)
    page.click("#questions .question-form button[type=submit]")
    page.wait_for_selector(f"#questions .qa-pending:has-text('{QUESTION}')")
    assert page.locator("#questions .qa-pending .badge").inner_text() == "待卖家回答"
    sheet = page.request.get(f"{live_server.url}/listings/{listing.pk}/sheet.pdf")
    assert sheet.headers["content-type"] == "application/pdf"

    seller = new_page()
    login(seller, live_server, "dealer")
    seller.goto(url)
    seller.fill("#questions textarea[name=answer]", "约七成新。")
    seller.click("#questions .qa-pending button[type=submit]")
    seller.wait_for_selector("#questions .qa-pending:has-text('待平台审核')")
    question = ListingQuestion.objects.get()
    assert (question.answer, question.status) == ("约七成新。", QuestionStatus.AWAITING_REVIEW)
