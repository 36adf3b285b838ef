"""Staff review organizations' KYC in the Wagtail admin through the accounts services."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import KycEvent, KycStatus, OrganizationKind
from accounts.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_staff(staff):
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return staff


@pytest.fixture
def pending_org(db):
    return OrganizationFactory(
        name="岳阳待审经销商", kind=OrganizationKind.DEALER, kyc_status=KycStatus.PENDING
    )


def test_queue_and_approve(client, admin_staff, pending_org):
    OrganizationFactory(name="已认证机构")
    client.force_login(admin_staff)
    home = client.get("/admin/").content.decode()
    assert '"name": "kyc-review"' in home  # the sidebar menu is rendered from JSON
    assert '"url": "/admin/kyc/"' in home
    html = client.get(reverse("accounts_kyc:index")).content.decode()
    assert "岳阳待审经销商" in html
    assert "已认证机构" not in html
    client.post(reverse("accounts_kyc:approve", args=[pending_org.pk]))
    pending_org.refresh_from_db()
    assert pending_org.kyc_status == KycStatus.VERIFIED
    event = KycEvent.objects.get(organization=pending_org)
    assert (event.from_status, event.to_status, event.actor) == ("pending", "verified", admin_staff)


def test_reject_requires_reason(client, admin_staff, pending_org):
    client.force_login(admin_staff)
    url = reverse("accounts_kyc:reject", args=[pending_org.pk])
    response = client.post(url, {"reason": ""})
    assert "驳回时必须填写原因。" in response.content.decode()
    pending_org.refresh_from_db()
    assert pending_org.kyc_status == KycStatus.PENDING
    client.post(url, {"reason": "营业执照与信用代码不一致"})
    pending_org.refresh_from_db()
    assert (pending_org.kyc_status, pending_org.kyc_note) == (
        "rejected",
        "营业执照与信用代码不一致",
    )


def test_approving_a_verified_org_is_refused(client, admin_staff):
    org = OrganizationFactory()
    client.force_login(admin_staff)
    response = client.post(reverse("accounts_kyc:approve", args=[org.pk]), follow=True)
    assert "认证状态不能从“已认证”变为“已认证”。" in response.content.decode()
    assert KycEvent.objects.count() == 0


def test_non_staff_gets_404(client, dealer, pending_org):
    dealer.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(dealer)
    assert client.post(reverse("accounts_kyc:approve", args=[pending_org.pk])).status_code == 404
    pending_org.refresh_from_db()
    assert pending_org.kyc_status == KycStatus.PENDING


def test_organizations_read_only(client, django_user_model, pending_org):
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.com", "pw"))
    assert client.get(reverse("organizations:index")).status_code == 200
    assert client.get(reverse("organizations:inspect", args=[pending_org.pk])).status_code == 200
    assert client.get(reverse("organizations:edit", args=[pending_org.pk])).status_code == 302
