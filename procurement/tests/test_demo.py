"""The procurement demo seeder: one request in each state, idempotent, prices still sealed."""

import pytest
from django.test import Client

from accounts.models import User
from marketplace.demo.accounts import demo_accounts_ensure
from marketplace.tests.factories import CategoryFactory
from procurement import demo
from procurement.models import RequestForQuotation, RfqStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_accounts(db):
    demo_accounts_ensure(seed=1, log=lambda message: None)
    CategoryFactory(slug="excavator")


def test_seed_makes_one_request_per_state_and_is_idempotent(demo_accounts):
    lines: list[str] = []
    demo.seed(log=lines.append)
    statuses = list(RequestForQuotation.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == [
        RfqStatus.DRAFT,
        RfqStatus.PUBLISHED,
        RfqStatus.OPENED,
        RfqStatus.PUBLICITY,
        RfqStatus.AWARDED,
        RfqStatus.FAILED,
        RfqStatus.CANCELLED,
    ]
    assert lines == ["procurement: 7 demo requests"]
    demo.seed(log=lines.append)
    assert RequestForQuotation.objects.count() == 7
    assert lines[-1] == "procurement: demo requests exist, nothing to do"


def test_seeded_pages_open_for_the_demo_logins(demo_accounts):
    demo.seed(log=lambda message: None)
    for username in ("buyer", "dealer", "dealer2"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        for rfq in RequestForQuotation.objects.all():
            expected = 200 if username == "buyer" or rfq.status != RfqStatus.DRAFT else 404
            assert client.get(f"/procurement/{rfq.pk}/").status_code == expected
    sealed = RequestForQuotation.objects.get(status=RfqStatus.PUBLISHED)
    client = Client()
    client.force_login(User.objects.get(username="buyer"))
    html = client.get(f"/procurement/{sealed.pk}/").content.decode()
    assert "¥468,000.00" not in html
    assert "¥455,000.00" not in html


def test_seed_without_the_demo_accounts_does_nothing(db):
    lines: list[str] = []
    demo.seed(log=lines.append)
    assert RequestForQuotation.objects.count() == 0
    assert "skipped" in lines[0]
