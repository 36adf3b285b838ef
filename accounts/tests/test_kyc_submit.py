import pytest
from django.urls import reverse

from accounts.models import KycEvent, KycStatus, OrganizationKind, Role
from accounts.services import organization_kyc_submit
from accounts.tests.factories import OrganizationFactory, make_credit_code, member_of
from accounts.tests.helpers import licence_pdf
from core.errors import DomainError, PermissionDeniedError

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_org():
    """An unverified buyer with its business licence on file but no credit code yet."""
    organization = OrganizationFactory(
        kind=OrganizationKind.BUYER, kyc_status=KycStatus.UNVERIFIED, credit_code=""
    )
    organization.business_licence.save("licence.pdf", licence_pdf(), save=True)
    return organization


def test_owner_submits_with_a_valid_code(client, new_org):
    owner = member_of(new_org, Role.OWNER)
    client.force_login(owner)
    code = make_credit_code(4242)
    response = client.post(
        reverse("accounts:organization_kyc", args=[new_org.pk]), {"credit_code": code}
    )
    assert response.status_code == 302
    new_org.refresh_from_db()
    assert (new_org.kyc_status, new_org.credit_code) == (KycStatus.PENDING, code)
    assert KycEvent.objects.filter(organization=new_org, to_status=KycStatus.PENDING).count() == 1


def test_bad_check_character_is_a_form_error_and_changes_nothing(client, new_org):
    owner = member_of(new_org, Role.OWNER)
    client.force_login(owner)
    code = make_credit_code(7)
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    response = client.post(
        reverse("accounts:organization_kyc", args=[new_org.pk]), {"credit_code": wrong}
    )
    assert response.status_code == 200
    assert "校验位错误" in response.content.decode()
    new_org.refresh_from_db()
    assert (new_org.kyc_status, new_org.credit_code) == (KycStatus.UNVERIFIED, "")
    assert KycEvent.objects.count() == 0


@pytest.mark.parametrize("role", [Role.VIEWER, Role.BUYER])
def test_members_without_manager_role_cannot_submit(new_org, role):
    member = member_of(new_org, role)
    with pytest.raises(PermissionDeniedError):
        organization_kyc_submit(organization=new_org, actor=member, credit_code=make_credit_code(1))
    new_org.refresh_from_db()
    assert (new_org.kyc_status, new_org.credit_code) == (KycStatus.UNVERIFIED, "")


def test_other_organization_gets_404(client, new_org, other_dealer):
    client.force_login(other_dealer)
    response = client.post(
        reverse("accounts:organization_kyc", args=[new_org.pk]),
        {"credit_code": make_credit_code(3)},
    )
    assert response.status_code == 404
    new_org.refresh_from_db()
    assert new_org.kyc_status == KycStatus.UNVERIFIED


def test_code_of_another_organization_is_refused(new_org):
    taken = OrganizationFactory(credit_code=make_credit_code(99))
    owner = member_of(new_org, Role.OWNER)
    with pytest.raises(DomainError) as excinfo:
        organization_kyc_submit(organization=new_org, actor=owner, credit_code=taken.credit_code)
    assert list(excinfo.value.fields) == ["credit_code"]
    new_org.refresh_from_db()
    assert new_org.kyc_status == KycStatus.UNVERIFIED


def test_anonymous_is_sent_to_login(client, new_org):
    response = client.get(reverse("accounts:organization_kyc", args=[new_org.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
