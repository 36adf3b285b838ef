"""In a real browser: from a listing's inspected badge to the public verification page, the
passport chart, and issuing a certificate through the edit page."""

import datetime as dt

import pytest

from certification.tests.factories import draft_certificate, machine_for, submitted_report
from marketplace.tests.factories import PublishedListingFactory
from tests.conftest import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("certification.tests.urls"),
]


def test_buyer_follows_inspected_badge_to_verification(
    page, live_server, dealer_org, certifier_org, inspector
):
    machine = machine_for(dealer_org, year_of_manufacture=dt.date.today().year - 1)
    listing = PublishedListingFactory(machine=machine)
    report = submitted_report(machine=machine, certifier=certifier_org, inspector=inspector)
    page.goto(f"{live_server.url}/listings/{listing.pk}/")
    page.click(f"text=已检测 · {report.number}")
    page.wait_for_load_state()
    assert "/verify/" in page.url
    assert page.locator("h1").inner_text().endswith(report.number)
    assert page.locator(".verify-banner.ok").is_visible()
    page.click("text=设备档案")
    page.wait_for_load_state()
    assert page.locator("svg.hours-chart circle.reading").count() == 1


def test_inspector_issues_certificate_in_the_browser(
    page, live_server, dealer_org, certifier_org, inspector
):
    certificate = draft_certificate(
        machine=machine_for(dealer_org), certifier=certifier_org, inspector=inspector
    )
    login(page, live_server, "inspector")
    page.goto(f"{live_server.url}/certification/certificates/{certificate.pk}/edit/")
    page.click("text=签发证书（签发后不可修改）")
    page.wait_for_load_state()
    certificate.refresh_from_db()
    assert certificate.status == "issued"
    assert certificate.number in page.content()
    page.click(f"a[href^='/verify/{certificate.number}/']")
    page.wait_for_load_state()
    assert "92.30%" in page.content()
