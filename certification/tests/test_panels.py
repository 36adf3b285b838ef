import datetime as dt

import pytest

from certification.panels import card_extras, listing_panel
from certification.tests.factories import issued_certificate, machine_for, submitted_report
from certification.verification import verify_path
from marketplace.services import hour_reading_record
from marketplace.tests.factories import PublishedListingFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("certification.tests.urls")]


def test_listing_panel_links_badges_to_documents(rf, dealer_org, certifier_org, inspector):
    machine = machine_for(dealer_org, year_of_manufacture=dt.date.today().year - 1)
    listing = PublishedListingFactory(machine=machine)
    report = submitted_report(machine=machine, certifier=certifier_org, inspector=inspector)
    certificate = issued_certificate(machine=machine, certifier=certifier_org, inspector=inspector)
    listing.machine.refresh_from_db()
    html = listing_panel(rf.get("/"), listing)
    assert "成色 A 级" in html
    assert f'href="{verify_path(report)}"' in html
    assert f'href="{verify_path(certificate)}"' in html
    assert "已检测" in html and "再制造" in html
    assert "小时数异常" not in html


def test_hours_anomaly_warning_reaches_buyers(rf, dealer_org):
    machine = machine_for(dealer_org)
    listing = PublishedListingFactory(machine=machine)
    for hours, day in ((5000, 1), (4000, 20)):
        hour_reading_record(
            machine=machine,
            hours=hours,
            source="seller",
            actor=None,
            read_at=dt.datetime(2025, 3, day, tzinfo=dt.UTC),
        )
    listing.machine.refresh_from_db()
    html = listing_panel(rf.get("/"), listing)
    assert "小时数异常" in html
    assert f"/certification/machines/{machine.pk}/passport/" in html
    extras = card_extras(rf.get("/"), [listing])
    assert "小时数异常" in extras[listing.pk]


def test_card_extras_need_no_query_per_listing(rf, dealer_org, django_assert_num_queries):
    from marketplace.models import Listing

    for _ in range(3):
        PublishedListingFactory(machine=machine_for(dealer_org, condition_grade="B"))
    listings = list(Listing.objects.select_related("machine"))
    with django_assert_num_queries(0):
        extras = card_extras(rf.get("/"), listings)
    assert all("成色 B 级" in html for html in extras.values())


def test_panel_offers_actions_by_role(rf, dealer, dealer_org, inspector, buyer):
    machine = machine_for(dealer_org)
    listing = PublishedListingFactory(machine=machine)
    for user, expected, absent in (
        (dealer, ["/certification/machines/", "/request/"], ["开始检测", "申请报废处置"]),
        (inspector, ["开始检测", "新建再制造证书"], ["申请报废处置"]),
        (buyer, [], ["申请报废处置", "开始检测"]),
    ):
        request = rf.get("/")
        request.user = user
        html = listing_panel(request, listing)
        for text in expected:
            assert text in html, (user, text)
        for text in absent:
            assert text not in html, (user, text)


def test_listing_page_and_cards_show_the_badges(client, dealer_org, certifier_org, inspector):
    machine = machine_for(dealer_org, year_of_manufacture=dt.date.today().year - 1)
    listing = PublishedListingFactory(machine=machine)
    report = submitted_report(machine=machine, certifier=certifier_org, inspector=inspector)
    detail = client.get(f"/listings/{listing.pk}/").content.decode()
    assert "成色 A 级" in detail and report.number in detail
    from search.sync import rebuild_index

    rebuild_index()  # the browse page lists what the search index holds
    cards = client.get("/listings/").content.decode()
    assert "成色 A 级" in cards and "已检测" in cards
