"""The scheduled retraining task and the staff model registry in the Wagtail admin."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from valuation.models import ModelVersion
from valuation.services import valuation_train
from valuation.tasks import valuation_train_task

from .conftest import FAST


@pytest.mark.django_db
def test_scheduled_task_skips_unchanged_data(trained):
    result = valuation_train_task.enqueue()
    assert result.return_value == (
        f"training data unchanged since {trained.version}; skipped (use --force)"
    )
    assert ModelVersion.objects.count() == 1


@pytest.mark.django_db
def test_staff_lists_activates_and_rolls_back_in_the_admin(trained, staff, client):
    second = valuation_train(config=FAST, force=True).version
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    assert '"name": "valuation-models"' in client.get("/admin/").content.decode()
    page = client.get(reverse("valuation_models:index")).content.decode()
    assert f'data-version="{trained.version}"' in page
    assert f'data-version="{second.version}"' in page
    assert f'href="/valuation/models/{second.version}/"' in page  # the public model card

    client.post(reverse("valuation_models:rollback"))
    assert ModelVersion.objects.get(is_active=True) == trained
    client.post(reverse("valuation_models:activate", args=[second.version]))
    assert ModelVersion.objects.get(is_active=True) == second


@pytest.mark.django_db
def test_non_staff_cannot_reach_the_registry_admin(trained, dealer, client):
    valuation_train(config=FAST, force=True)
    dealer.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(dealer)
    response = client.post(reverse("valuation_models:activate", args=[trained.version]))
    assert response.status_code == 404
    assert ModelVersion.objects.get(is_active=True) != trained
