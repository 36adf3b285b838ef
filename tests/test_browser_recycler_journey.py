"""The recycler's journey through the UI only (issue #11): the owner asks for disposal from its
listings page, the recycler quotes, the owner accepts, the recycler records the dismantling
with its materials, the certificate's public page verifies, the machine is scrapped, and
revoking needs the ticked confirmation."""

import re

import pytest

from accounts.models import OrganizationKind, Role
from accounts.tests.factories import OrganizationFactory, member_of
from marketplace.models import Machine
from marketplace.tests.factories import ListingFactory, MachineFactory
from recycling.models import DisposalRequest
from tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_request_quote_accept_dismantle_verify_and_revoke(
    live_server, new_page, dealer_org, dealer
):
    recycler_org = OrganizationFactory(name="湘潭再生资源回收", kind=OrganizationKind.RECYCLER)
    member_of(recycler_org, Role.SALES, username="recycler")
    machine = MachineFactory(owner=dealer_org)
    listing = ListingFactory(machine=machine)  # a draft on the dealer's listings page

    owner = new_page()
    login(owner, live_server, "dealer")
    owner.goto(f"{live_server.url}/dealer/listings/")
    owner.get_by_role("link", name=listing.title).first.click()
    owner.wait_for_url(f"{live_server.url}/dealer/listings/{listing.pk}/")
    owner.get_by_role("link", name="申请报废回收").click()
    owner.wait_for_url(re.compile(r"/recycling/machines/\d+/request/$"))
    owner.fill("#id_note", "发动机报废，整机回收")
    owner.locator("main form button[type=submit]").click()
    owner.wait_for_url(re.compile(r"/recycling/requests/\d+/$"))
    disposal = DisposalRequest.objects.get(machine=machine)

    recycler = new_page()
    login(recycler, live_server, "recycler")
    recycler.goto(f"{live_server.url}/recycling/")
    recycler.get_by_role("link", name=str(disposal.pk), exact=True).click()
    recycler.fill("#id_price", "42000")
    recycler.get_by_role("button", name="提交报价").click()
    recycler.wait_for_load_state()
    assert "¥42,000.00" in recycler.locator("table").first.inner_text()

    owner.reload()
    owner.get_by_role("button", name="接受报价").click()
    owner.wait_for_load_state()
    disposal.refresh_from_db()
    assert disposal.status == "accepted"

    recycler.reload()
    for row, (material, treatment, mass) in enumerate(
        [("steel", "recycle", "15000"), ("rubber", "energy", "1000"), ("glass", "disposal", "500")]
    ):
        recycler.select_option(f"#id_form-{row}-material", material)
        recycler.select_option(f"#id_form-{row}-treatment", treatment)
        recycler.fill(f"#id_form-{row}-mass_kg", mass)
    recycler.get_by_role("button", name="完成拆解并签发证书").click()
    recycler.wait_for_load_state()
    disposal.refresh_from_db()
    assert disposal.status == "completed", recycler.locator(".messages").inner_text()
    assert Machine.objects.get(pk=machine.pk).is_scrapped is True
    body = recycler.locator("table.specs").inner_text()
    # ISO 16714: (reuse + recycle) / total and (reuse + recycle + energy) / total, rounded
    # down so a certificate never overstates what was recovered.
    assert "16500" in body and "90.90%" in body and "96.96%" in body

    visitor = new_page()
    visitor.goto(live_server.url + recycler.locator("#certificate-verify").get_attribute("href"))
    assert "验证通过" in visitor.locator(".verify-banner").inner_text()

    recycler.fill("#id_reason", "登记错了设备")
    recycler.evaluate("document.querySelector('input[name=confirm]').removeAttribute('required')")
    recycler.get_by_role("button", name="撤销证书").click()
    recycler.wait_for_load_state()
    assert "请先勾选确认框" in recycler.locator(".messages").inner_text()
    recycler.fill("#id_reason", "登记错了设备")
    recycler.check("input[name=confirm]")
    recycler.get_by_role("button", name="撤销证书").click()
    recycler.wait_for_load_state()
    visitor.reload()
    assert "已撤销" in visitor.locator(".verify-banner").inner_text()
