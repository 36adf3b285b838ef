"""The procurement pages fit a phone (390 px): wide tables scroll inside their wrapper, the
hashes wrap, the forms' fields stay inside the screen."""

import pytest

from procurement import services
from procurement.models import Quote
from procurement.tests.conftest import pass_deadline, quote
from tests.browser import signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_procurement_pages_fit_a_phone(new_page, live_server, make_rfq, buyer, suppliers):
    sealed = make_rfq()
    rfq = make_rfq(title="二十吨级挖掘机两台，附带详细技术要求与交付条件说明" * 2)
    for (org, user), price in zip(suppliers, ("480000", "455000", "470000"), strict=True):
        quote(sealed, org, user, price)
        quote(rfq, org, user, price)
    pass_deadline(rfq)
    rfq = services.rfq_open(rfq=rfq, actor=buyer)
    cheapest = Quote.objects.get(rfq=rfq, supplier=suppliers[1][0])
    services.rfq_award(
        rfq=rfq,
        actor=buyer,
        awards=[services.AwardInput(rfq_line=rfq.lines.get().pk, quote=cheapest.pk, quantity=2)],
    )
    for user, paths in (
        (buyer, ["/procurement/", "/procurement/new/", f"/procurement/{rfq.pk}/"]),
        (suppliers[0][1], [f"/procurement/{sealed.pk}/", f"/procurement/{rfq.pk}/"]),
        (None, [f"/procurement/{rfq.pk}/publicity/"]),
    ):
        page = signed_in_page(new_page, live_server, user) if user else new_page()
        page.set_viewport_size(PHONE)
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            assert page.evaluate("document.documentElement.scrollWidth") == PHONE["width"], path
