"""Staff see requests and sealed quotes in the Wagtail admin, but never a quoted amount."""

import pytest

from accounts.tests.factories import UserFactory
from procurement.tests.conftest import quote

pytestmark = pytest.mark.django_db


def test_staff_list_and_inspect_requests_and_quotes_without_prices(client, make_rfq, suppliers):
    rfq = make_rfq()
    submitted = quote(rfq, *suppliers[0], price="487654.32")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    pages = {
        "requests": client.get("/admin/procurement/requests/"),
        "request": client.get(f"/admin/procurement/requests/inspect/{rfq.pk}/"),
        "quotes": client.get("/admin/procurement/quotes/"),
        "quote": client.get(f"/admin/procurement/quotes/inspect/{submitted.pk}/"),
    }

    assert {name: page.status_code for name, page in pages.items()} == dict.fromkeys(pages, 200)
    assert rfq.title in pages["requests"].content.decode()
    for name in ("quotes", "quote"):
        html = pages[name].content.decode()
        assert submitted.content_hash in html, name
        assert "487654" not in html and "487,654" not in html, name
    edit = client.get(f"/admin/procurement/quotes/edit/{submitted.pk}/")
    assert edit.status_code in (302, 403)
