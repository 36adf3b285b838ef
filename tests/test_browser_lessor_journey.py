"""The lessor's journey through the UI only (issue #11): a buyer applies for purchase finance
from the listing page and uploads the documents the rules require; the lessor opens them
inside the product (private files), cannot approve while one is missing, approves, the buyer
accepts, the lessor starts the lease with its 中登网 number (the machine is then encumbered and
cannot be bought), and releasing the registration needs the ticked confirmation."""

import re
from decimal import Decimal

import pytest

from accounts.tests.helpers import pdf_bytes
from leasing.models import LeaseApplication
from leasing.tests.factories import LeaseProductFactory
from marketplace.models import Machine
from marketplace.tests.factories import MachineFactory, PublishedListingFactory
from tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REGISTRY_NUMBER = "04470913000472823822"


def upload(page, kind: str, tmp_path) -> None:
    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(pdf_bytes())
    page.select_option("#id_kind", kind)
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="上传", exact=True).click()
    page.wait_for_load_state()


def test_apply_review_documents_approve_start_and_release(
    live_server, new_page, dealer_org, buyer, lessor, lessor_org, tmp_path
):
    machine = MachineFactory(owner=dealer_org, year_of_manufacture=2021, current_hours=3000)
    listing = PublishedListingFactory(machine=machine, asking_price=Decimal("1000000.00"))
    product = LeaseProductFactory(
        lessor=lessor_org, categories=[machine.category], name="湘江直租36"
    )

    applicant = new_page()
    login(applicant, live_server, "buyer")
    applicant.goto(f"{live_server.url}/leasing/listings/{listing.pk}/apply/")
    applicant.select_option("#id_product", str(product.pk))
    applicant.fill("#id_down_payment", "300000")
    applicant.fill("#id_term_months", "36")
    applicant.get_by_role("button", name="提交申请").click()
    applicant.wait_for_url(re.compile(r"/leasing/applications/\d+/$"))
    application = LeaseApplication.objects.get(listing=listing)
    assert application.status == "submitted"
    missing = applicant.locator("#documents-missing").inner_text()
    assert "营业执照" in missing and "银行流水" in missing
    upload(applicant, "business_license", tmp_path)
    upload(applicant, "id_card", tmp_path)

    reviewer = new_page()
    login(reviewer, live_server, "lessor")
    reviewer.goto(f"{live_server.url}/leasing/applications/{application.pk}/")
    links = reviewer.locator("section.card ul li a")
    assert links.count() == 2
    with reviewer.expect_download() as download:  # the private file opens inside the product
        links.first.click()
    assert download.value.path().read_bytes().startswith(b"%PDF-")
    reviewer.get_by_role("button", name="批准", exact=True).click()
    reviewer.wait_for_load_state()
    assert "银行流水" in reviewer.locator(".messages").inner_text()  # still missing
    application.refresh_from_db()
    assert application.status == "submitted"

    upload(applicant, "bank_statement", tmp_path)
    reviewer.reload()
    reviewer.get_by_role("button", name="批准", exact=True).click()
    reviewer.wait_for_load_state()
    application.refresh_from_db()
    assert application.status == "approved", reviewer.locator(".messages").inner_text()

    applicant.reload()
    applicant.get_by_role("button", name="接受批复").click()
    applicant.wait_for_load_state()
    application.refresh_from_db()
    assert application.status == "accepted"

    reviewer.reload()
    reviewer.fill("#id_registry_reference", "abc")
    reviewer.get_by_role("button", name="起租").click()
    reviewer.wait_for_load_state()
    assert not hasattr(LeaseApplication.objects.get(pk=application.pk), "contract")
    reviewer.fill("#id_registry_reference", "0447 0913 0004 7282 3822")
    reviewer.get_by_role("button", name="起租").click()
    reviewer.wait_for_url(re.compile(r"/leasing/contracts/\d+/$"))
    assert REGISTRY_NUMBER in reviewer.locator("main").inner_text()
    assert Machine.objects.get(pk=machine.pk).is_encumbered is True

    # The encumbered machine can no longer be bought: the listing page says why.
    applicant.goto(f"{live_server.url}/listings/{listing.pk}/")
    assert applicant.get_by_role("link", name="立即购买").count() == 0

    release = reviewer.get_by_role("button", name="记录解除登记")
    reviewer.evaluate("document.querySelector('input[name=confirm]').removeAttribute('required')")
    release.click()
    reviewer.wait_for_load_state()
    assert "请先勾选确认框" in reviewer.locator(".messages").inner_text()
    assert Machine.objects.get(pk=machine.pk).is_encumbered is True
    reviewer.check("input[name=confirm]")
    reviewer.get_by_role("button", name="记录解除登记").click()
    reviewer.wait_for_load_state()
    assert Machine.objects.get(pk=machine.pk).is_encumbered is False
