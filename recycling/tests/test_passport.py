"""Recycling's card on the machine passport (settings.MACHINE_PASSPORT_SECTIONS)."""

import pytest
from django.urls import reverse

from core.documents import verify_path
from marketplace.tests.factories import MachineFactory
from recycling.services import disposal_complete
from recycling.tests.test_services import MATERIALS, _accepted

pytestmark = [pytest.mark.django_db, pytest.mark.urls("certification.tests.urls")]


@pytest.fixture
def machine(dealer_org):
    return MachineFactory(owner=dealer_org)


def test_passport_json_lists_the_disposal_certificate_under_end_of_life(
    client, machine, dealer, recycler_org, recycler
):
    request = _accepted(machine, dealer, recycler_org, recycler)
    certificate = disposal_complete(request=request, actor=recycler, materials=MATERIALS)
    response = client.get(reverse("certification:passport_json", args=[machine.pk]))
    assert response.status_code == 200
    assert response.json()["end_of_life"] == [
        {
            "number": certificate.number,
            "completed_on": certificate.completed_on.isoformat(),
            "recoverability_rate": "94.73",
            "recyclability_rate": str(certificate.recyclability_rate),
            "verify_url": verify_path(certificate),
        }
    ]


def test_passport_page_links_the_disposal_certificate_to_its_public_page(
    client, machine, dealer, recycler_org, recycler
):
    request = _accepted(machine, dealer, recycler_org, recycler)
    certificate = disposal_complete(request=request, actor=recycler, materials=MATERIALS)
    page = client.get(reverse("certification:passport", args=[machine.pk])).content.decode()
    assert "报废与回收" in page
    assert f'<a href="{verify_path(certificate)}">{certificate.number}</a>' in page
    assert "可回收利用率 94.73%" in page


def test_passport_without_disposal_shows_an_empty_end_of_life(client, machine):
    response = client.get(reverse("certification:passport_json", args=[machine.pk]))
    assert response.json()["end_of_life"] == []
    page = client.get(reverse("certification:passport", args=[machine.pk])).content.decode()
    assert "报废与回收" in page
