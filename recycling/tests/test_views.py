from decimal import Decimal

import pytest

from core.documents import verify_path
from marketplace.tests.factories import MachineFactory, PublishedListingFactory
from recycling.models import DisposalRequest

pytestmark = [pytest.mark.django_db, pytest.mark.urls("certification.tests.urls")]


def test_disposal_through_the_pages(client, dealer, dealer_org, recycler):
    machine = MachineFactory(owner=dealer_org)
    listing = PublishedListingFactory(machine=machine)
    client.force_login(dealer)
    response = client.post(f"/recycling/machines/{machine.pk}/request/", {"note": "整机报废"})
    disposal = DisposalRequest.objects.get()
    assert response.status_code == 302
    client.force_login(recycler)
    client.post(f"/recycling/requests/{disposal.pk}/quote/", {"price": "36000", "note": ""})
    quote = disposal.quotes.get()
    client.force_login(dealer)
    client.post(f"/recycling/quotes/{quote.pk}/accept/")
    client.force_login(recycler)
    form = {
        "completed_on": "2026-01-05",
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "1",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-material": "steel",
        "form-0-treatment": "recycle",
        "form-0-mass_kg": "18000",
        "form-1-material": "glass",
        "form-1-treatment": "disposal",
        "form-1-mass_kg": "2000",
    }
    client.post(f"/recycling/requests/{disposal.pk}/complete/", form)
    disposal.refresh_from_db()
    listing.refresh_from_db()
    assert disposal.status == "completed"
    assert listing.status == "withdrawn"
    certificate = disposal.certificate
    assert str(certificate.recoverability_rate) == "90.00"
    public = client.get(verify_path(certificate))
    assert public.status_code == 200
    assert certificate.number in public.content.decode()
    pdf = client.get(verify_path(certificate) + "pdf/")
    import io

    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert certificate.number in text and "回收" in text


def test_the_recycler_revokes_the_certificate_on_its_page(client, dealer, dealer_org, recycler):
    from decimal import Decimal

    from recycling.services import (
        MaterialInput,
        disposal_complete,
        disposal_quote_accept,
        disposal_quote_submit,
        disposal_request_create,
    )

    machine = MachineFactory(owner=dealer_org)
    disposal = disposal_request_create(machine=machine, actor=dealer)
    quote = disposal_quote_submit(
        request=disposal, recycler=recycler.memberships.get().organization, actor=recycler,
        price=Decimal("30000"),
    )  # fmt: skip
    disposal_quote_accept(quote=quote, actor=dealer)
    certificate = disposal_complete(
        request=disposal,
        actor=recycler,
        materials=[MaterialInput("steel", "recycle", Decimal("20000"))],
    )
    page = f"/recycling/requests/{disposal.pk}/"
    revoke = f"/recycling/requests/{disposal.pk}/certificate/revoke/"
    client.force_login(dealer)
    assert revoke not in client.get(page).content.decode()  # the owner did not issue it
    assert client.post(revoke, {"reason": "不要了", "confirm": "yes"}).status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == "issued"
    client.force_login(recycler)
    assert revoke in client.get(page).content.decode()
    client.post(revoke, {"reason": ""})
    certificate.refresh_from_db()
    assert certificate.status == "issued"
    refused = client.post(revoke, {"reason": "登记错了设备"}, follow=True)  # box not ticked
    certificate.refresh_from_db()
    assert certificate.status == "issued"
    assert "请先勾选确认框" in refused.content.decode()
    response = client.post(revoke, {"reason": "登记错了设备", "confirm": "yes"}, follow=True)
    certificate.refresh_from_db()
    assert certificate.status == "revoked"
    body = response.content.decode()
    assert "证书已撤销。" in body and "登记错了设备" in body
    assert revoke not in body  # nothing left to revoke


def test_platform_staff_see_every_request(client, dealer, dealer_org, staff, other_dealer):
    from recycling.services import disposal_request_create

    disposal = disposal_request_create(machine=MachineFactory(owner=dealer_org), actor=dealer)
    page = f"/recycling/requests/{disposal.pk}/"
    client.force_login(other_dealer)
    assert client.get(page).status_code == 404
    client.force_login(staff)
    assert client.get(page).status_code == 200
    assert page in client.get("/recycling/").content.decode()


def test_completion_skips_untouched_rows_and_names_the_row_to_fix(
    client, dealer, dealer_org, recycler
):
    machine = MachineFactory(owner=dealer_org)
    client.force_login(dealer)
    client.post(f"/recycling/machines/{machine.pk}/request/", {"note": ""})
    disposal = DisposalRequest.objects.get()
    client.force_login(recycler)
    client.post(f"/recycling/requests/{disposal.pk}/quote/", {"price": "36000", "note": ""})
    client.force_login(dealer)
    client.post(f"/recycling/quotes/{disposal.quotes.get().pk}/accept/")
    client.force_login(recycler)
    # What the page posts: six rows, the untouched ones blank (the selects start empty).
    page = client.get(f"/recycling/requests/{disposal.pk}/").content.decode()
    assert '<option value="" selected>—</option>' in page
    form = {
        "completed_on": "2026-01-05",
        "form-TOTAL_FORMS": "6",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "1",
        "form-MAX_NUM_FORMS": "1000",
        **{
            f"form-{i}-{name}": ""
            for i in range(6)
            for name in ("material", "treatment", "mass_kg")
        },
        "form-0-material": "steel",
        "form-0-treatment": "recycle",
        "form-0-mass_kg": "18000",
        "form-1-material": "glass",  # chosen, but no treatment or mass
    }
    refused = client.post(f"/recycling/requests/{disposal.pk}/complete/", form, follow=True)
    body = refused.content.decode()
    assert "第 2 行 处理方式：" in body and "第 2 行 质量（kg）：" in body
    assert "第 3 行" not in body
    disposal.refresh_from_db()
    assert disposal.status == "accepted"
    form["form-1-material"] = ""
    client.post(f"/recycling/requests/{disposal.pk}/complete/", form)
    disposal.refresh_from_db()
    assert disposal.status == "completed"
    assert list(disposal.certificate.materials.values_list("material", "mass_kg")) == [
        ("steel", Decimal("18000.000"))
    ]
