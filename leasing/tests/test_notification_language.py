"""Leasing notifications are written in each recipient's language (issue #14)."""

import pytest
from django.utils import translation

from accounts.models import Role
from accounts.tests.factories import member_of
from leasing import services
from leasing.tests.factories import LeaseApplicationFactory
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_a_chinese_lessors_decline_reaches_the_english_applicant_in_english(
    product, listing, buyer_org, buyer, lessor
):
    buyer.preferred_language = "en"
    buyer.save(update_fields=["preferred_language"])
    colleague = member_of(buyer_org, Role.BUYER, username="colleague")  # zh-hans
    application = LeaseApplicationFactory(
        product=product, listing=listing, applicant=buyer_org, submitted_by=buyer
    )
    with translation.override("zh-hans"):
        services.application_decline(actor=lessor, application=application, reason="资料不全")
    english = Notification.objects.get(kind="leasing", recipient=buyer)
    assert english.title == f"Lease application #{application.pk} was declined"
    chinese = Notification.objects.get(kind="leasing", recipient=colleague)
    assert chinese.title == f"融资租赁申请 #{application.pk} 未获批准"
