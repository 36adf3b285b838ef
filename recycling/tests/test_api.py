import pytest
from rest_framework.test import APIClient

from marketplace.tests.factories import MachineFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("certification.tests.urls")]


def test_disposal_through_the_api(dealer, dealer_org, recycler, recycler_org):
    api = APIClient()
    machine = MachineFactory(owner=dealer_org)
    api.force_authenticate(dealer)
    created = api.post("/api/recycling/requests/new/", {"machine": machine.pk}, format="json")
    assert created.status_code == 201
    pk = created.json()["id"]
    api.force_authenticate(recycler)
    quote = api.post(
        f"/api/recycling/requests/{pk}/quotes/",
        {"recycler": recycler_org.pk, "price": "30000"},
        format="json",
    )
    assert quote.status_code == 201
    early = api.post(
        f"/api/recycling/requests/{pk}/complete/",
        {"materials": [{"material": "steel", "treatment": "recycle", "mass_kg": "100"}]},
        format="json",
    )
    assert early.status_code == 409
    api.force_authenticate(dealer)
    assert api.post(f"/api/recycling/quotes/{quote.json()['id']}/accept/").status_code == 200
    api.force_authenticate(recycler)
    done = api.post(
        f"/api/recycling/requests/{pk}/complete/",
        {
            "materials": [
                {"material": "steel", "treatment": "recycle", "mass_kg": "750"},
                {"material": "glass", "treatment": "disposal", "mass_kg": "250"},
            ]
        },
        format="json",
    )
    assert done.status_code == 201
    assert done.json()["recoverability_rate"] == "75.00"
    machine.refresh_from_db()
    assert machine.is_scrapped is True
