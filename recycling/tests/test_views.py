import pytest

from certification.verification import verify_path
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
