"""Certification notifications are written in each recipient's language (issue #14)."""

import pytest
from django.utils import translation

from certification.services import inspections
from certification.tests.factories import machine_for
from notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "title", "body"),
    [
        ("en", "Inspection request accepted", "{org} accepted the inspection request for SANY"),
        ("zh-hans", "检测申请已受理", "{org} 已受理 三一"),
    ],
)
def test_accepted_request_in_the_requesters_language(
    dealer_org, dealer, certifier_org, inspector, language, title, body
):
    dealer.preferred_language = language
    dealer.save(update_fields=["preferred_language"])
    machine = machine_for(dealer_org)
    request = inspections.inspection_request_create(
        machine=machine, requester=dealer_org, certifier=certifier_org, actor=dealer
    )
    other = "zh-hans" if language == "en" else "en"
    with translation.override(other):
        inspections.inspection_request_accept(request=request, actor=inspector)
    notification = Notification.objects.get(recipient=dealer, kind="inspection_accepted")
    assert notification.title == title
    assert notification.body.startswith(body.format(org=certifier_org.name))
    assert f"#{machine.serial_number}" in notification.body
