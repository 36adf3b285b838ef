"""Registering an organization, its licence in private storage, KYC submission and review
with notifications both ways, and who may open the licence."""

import pytest
from django.urls import reverse

from accounts.models import KycEvent, KycStatus, Membership, Organization, OrganizationKind, Role
from accounts.services import (
    organization_kyc_approve,
    organization_kyc_reject,
    organization_kyc_submit,
    organization_register,
    organization_set_trusted_seller,
)
from accounts.tests.factories import OrganizationFactory, UserFactory, make_credit_code, member_of
from accounts.tests.helpers import disguised_html, licence_pdf, licence_png, pdf_bytes
from core.errors import ConflictError, DomainError, PermissionDeniedError
from core.storage import private_storage
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def _stored_files() -> list[str]:
    storage = private_storage()
    found = []

    def walk(prefix: str) -> None:
        directories, files = storage.listdir(prefix) if storage.exists(prefix) else ([], [])
        found.extend(f"{prefix}/{name}" for name in files)
        for directory in directories:
            walk(f"{prefix}/{directory}")

    walk("kyc")
    return found


def _form(**overrides):
    data = {
        "kind": OrganizationKind.DEALER,
        "name": "长沙新星机械有限公司",
        "credit_code": make_credit_code(501),
        "city": "长沙市",
        "phone": "0731-88886666",
    }
    data.update(overrides)
    return data


@pytest.fixture
def newcomer(db):
    return UserFactory(username="newcomer")


def test_the_form_offers_every_kind_but_the_platform(client, newcomer):
    client.force_login(newcomer)
    html = client.get(reverse("accounts:organization_register")).content.decode()
    for kind in OrganizationKind:
        assert (f'value="{kind.value}"' in html) is (kind != OrganizationKind.PLATFORM)


def test_register_through_the_page_makes_the_creator_owner(client, newcomer):
    client.force_login(newcomer)
    response = client.post(
        reverse("accounts:organization_register"),
        {**_form(), "business_licence": licence_pdf()},
    )
    organization = Organization.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:organization_kyc", args=[organization.pk])
    assert (organization.kind, organization.kyc_status) == ("dealer", KycStatus.UNVERIFIED)
    assert (organization.province, organization.city) == ("湖南省", "长沙市")
    assert organization.phone == "0731-88886666"
    membership = Membership.objects.get(organization=organization)
    assert (membership.user, membership.role) == (newcomer, Role.OWNER)
    # Private storage, random name, extension from the content, not the uploader's name.
    name = organization.business_licence.name
    assert name.startswith("kyc/licences/") and name.endswith(".pdf")
    assert "营业执照" not in name
    assert _stored_files() == [name]
    assert private_storage().open(name).read() == pdf_bytes()


def test_an_image_licence_is_stored_as_an_image(newcomer):
    organization = organization_register(
        actor=newcomer, **_form(), business_licence=licence_png("scan.PDF")
    )
    assert organization.business_licence.name.endswith(".png")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"credit_code": make_credit_code(7)[:17] + "Z"}, "credit_code"),
        ({"credit_code": "12345"}, "credit_code"),
        ({"kind": OrganizationKind.PLATFORM}, "kind"),
        ({"city": "北京市"}, "city"),
        ({"phone": "call me"}, "phone"),
        ({"name": "   "}, "name"),
    ],
)
def test_bad_fields_are_inline_errors_and_change_nothing(client, newcomer, overrides, field):
    client.force_login(newcomer)
    response = client.post(
        reverse("accounts:organization_register"),
        {**_form(**overrides), "business_licence": licence_pdf()},
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {field}
    assert 'class="form-row has-error"' in response.content.decode()
    assert Organization.objects.count() == 0
    assert Membership.objects.count() == 0
    assert _stored_files() == []


def test_a_disguised_html_licence_is_refused_and_nothing_is_stored(client, newcomer):
    client.force_login(newcomer)
    response = client.post(
        reverse("accounts:organization_register"),
        {**_form(), "business_licence": disguised_html()},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["business_licence"]
    assert Organization.objects.count() == 0
    assert _stored_files() == []


def test_a_taken_credit_code_is_refused_and_leaves_no_file(newcomer):
    taken = OrganizationFactory(credit_code=make_credit_code(77))
    with pytest.raises(DomainError) as excinfo:
        organization_register(
            actor=newcomer, **_form(credit_code=taken.credit_code), business_licence=licence_pdf()
        )
    assert list(excinfo.value.fields) == ["credit_code"]
    assert Organization.objects.count() == 1
    assert _stored_files() == []


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("accounts:organization_register"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_dashboard_leads_an_organizationless_user_to_registration(client, newcomer):
    client.force_login(newcomer)
    html = client.get(reverse("dashboard:index")).content.decode()
    assert reverse("accounts:organization_register") in html


# --- KYC ---------------------------------------------------------------------------------


@pytest.fixture
def registered(newcomer):
    return organization_register(actor=newcomer, **_form(), business_licence=licence_pdf())


def test_submit_without_a_licence_is_refused(newcomer):
    organization = OrganizationFactory(kyc_status=KycStatus.UNVERIFIED, credit_code="")
    member_of(organization, Role.OWNER, username="owner2")
    owner = organization.memberships.get().user
    with pytest.raises(DomainError) as excinfo:
        organization_kyc_submit(
            organization=organization, actor=owner, credit_code=make_credit_code(3)
        )
    assert list(excinfo.value.fields) == ["business_licence"]
    organization.refresh_from_db()
    assert (organization.kyc_status, organization.credit_code) == (KycStatus.UNVERIFIED, "")
    assert KycEvent.objects.count() == 0


def test_submission_notifies_every_staff_member(client, registered, newcomer, staff):
    second_staff = UserFactory(username="staff2", is_staff=True)
    UserFactory(username="retired", is_staff=True, is_active=False)
    client.force_login(newcomer)
    response = client.post(
        reverse("accounts:organization_kyc", args=[registered.pk]),
        {"credit_code": registered.credit_code},
    )
    assert response.status_code == 302
    registered.refresh_from_db()
    assert registered.kyc_status == KycStatus.PENDING
    notified = Notification.objects.filter(kind="kyc_submitted").order_by("recipient_id")
    assert [n.recipient for n in notified] == [staff, second_staff]
    assert {n.url for n in notified} == {reverse("accounts_kyc:review", args=[registered.pk])}
    assert Notification.objects.filter(recipient=newcomer).count() == 0


def test_approval_notifies_the_members(registered, newcomer, staff):
    colleague = member_of(registered, Role.SALES, username="colleague")
    organization_kyc_submit(organization=registered, actor=newcomer)
    organization_kyc_approve(organization=registered, actor=staff)
    decided = Notification.objects.filter(kind="kyc_decision").order_by("recipient_id")
    assert [n.recipient for n in decided] == [newcomer, colleague]
    assert "已通过实名认证" in decided[0].title


def test_rejection_carries_the_reason_to_the_members(registered, newcomer, staff):
    organization_kyc_submit(organization=registered, actor=newcomer)
    organization_kyc_reject(organization=registered, actor=staff, reason="  营业执照模糊  ")
    registered.refresh_from_db()
    assert (registered.kyc_status, registered.kyc_note) == (KycStatus.REJECTED, "营业执照模糊")
    notice = Notification.objects.get(kind="kyc_decision")
    assert notice.recipient == newcomer
    assert "营业执照模糊" in notice.body


def test_rejection_without_reason_changes_nothing(registered, newcomer, staff):
    organization_kyc_submit(organization=registered, actor=newcomer)
    with pytest.raises(ConflictError):
        organization_kyc_reject(organization=registered, actor=staff, reason="  ")
    registered.refresh_from_db()
    assert registered.kyc_status == KycStatus.PENDING
    assert Notification.objects.filter(kind="kyc_decision").count() == 0


def test_a_rejected_organization_resubmits_with_a_new_licence(client, registered, newcomer, staff):
    organization_kyc_submit(organization=registered, actor=newcomer)
    organization_kyc_reject(organization=registered, actor=staff, reason="看不清")
    old_name = registered.business_licence.name
    client.force_login(newcomer)
    response = client.post(
        reverse("accounts:organization_kyc", args=[registered.pk]),
        {"credit_code": registered.credit_code, "business_licence": licence_png()},
    )
    assert response.status_code == 302
    registered.refresh_from_db()
    assert registered.kyc_status == KycStatus.PENDING
    assert registered.business_licence.name != old_name
    assert registered.business_licence.name.endswith(".png")


def test_non_staff_cannot_decide(registered, newcomer):
    organization_kyc_submit(organization=registered, actor=newcomer)
    with pytest.raises(PermissionDeniedError):
        organization_kyc_approve(organization=registered, actor=newcomer)
    registered.refresh_from_db()
    assert registered.kyc_status == KycStatus.PENDING


# --- The licence file ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [("staff", 200), ("owner", 200), ("admin", 200), ("sales", 404), ("other", 404)],
)
def test_who_may_open_the_licence(client, registered, newcomer, staff, who, expected):
    users = {
        "staff": staff,
        "owner": newcomer,
        "admin": member_of(registered, Role.ADMIN, username="admin1"),
        "sales": member_of(registered, Role.SALES, username="sales1"),
        "other": member_of(OrganizationFactory(), Role.OWNER, username="stranger"),
    }
    client.force_login(users[who])
    response = client.get(reverse("accounts:organization_licence", args=[registered.pk]))
    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment;")
        assert b"".join(response.streaming_content) == pdf_bytes()


def test_anonymous_cannot_open_the_licence(client, registered):
    response = client.get(reverse("accounts:organization_licence", args=[registered.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_licence_has_no_public_url(client, registered):
    name = registered.business_licence.name
    assert client.get(f"/media/{name}").status_code == 404


# --- Staff review in the Wagtail admin --------------------------------------------------


@pytest.fixture
def admin_staff(staff):
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return staff


def test_review_page_shows_the_licence_link_and_decides(client, registered, newcomer, admin_staff):
    organization_kyc_submit(organization=registered, actor=newcomer)
    client.force_login(admin_staff)
    html = client.get(reverse("accounts_kyc:review", args=[registered.pk])).content.decode()
    assert reverse("accounts:organization_licence", args=[registered.pk]) in html
    assert registered.credit_code in html
    response = client.post(reverse("accounts_kyc:approve", args=[registered.pk]))
    assert response.status_code == 302
    registered.refresh_from_db()
    assert registered.kyc_status == KycStatus.VERIFIED


def test_review_page_is_hidden_from_non_staff(client, registered, newcomer):
    client.force_login(newcomer)
    response = client.get(reverse("accounts_kyc:review", args=[registered.pk]))
    assert response.status_code in (302, 404)


def test_staff_mark_a_verified_organization_trusted_seller(client, admin_staff):
    organization = OrganizationFactory(kyc_status=KycStatus.VERIFIED)
    client.force_login(admin_staff)
    url = reverse("accounts_kyc:trusted_seller", args=[organization.pk])
    assert client.post(url, {"is_trusted": "1"}).status_code == 302
    organization.refresh_from_db()
    assert organization.is_trusted_seller is True
    client.post(url, {"is_trusted": "0"})
    organization.refresh_from_db()
    assert organization.is_trusted_seller is False


def test_an_unverified_organization_cannot_be_trusted(admin_staff):
    organization = OrganizationFactory(kyc_status=KycStatus.PENDING)
    with pytest.raises(ConflictError):
        organization_set_trusted_seller(
            organization=organization, actor=admin_staff, is_trusted=True
        )
    organization.refresh_from_db()
    assert organization.is_trusted_seller is False


def test_only_staff_set_trusted_seller(dealer, dealer_org):
    with pytest.raises(PermissionDeniedError):
        organization_set_trusted_seller(organization=dealer_org, actor=dealer, is_trusted=True)
    dealer_org.refresh_from_db()
    assert dealer_org.is_trusted_seller is False


def test_django_admin_organization_page_links_the_licence(client, registered, staff):
    staff.is_superuser = True
    staff.save(update_fields=["is_superuser"])
    client.force_login(staff)
    url = reverse("admin:accounts_organization_change", args=[registered.pk])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("accounts:organization_licence", args=[registered.pk]) in html
    assert registered.business_licence.name not in html


def test_dashboard_shows_managers_their_members_and_verification(client, registered, newcomer):
    client.force_login(newcomer)
    html = client.get(reverse("dashboard:index")).content.decode()
    assert reverse("accounts:organization_members", args=[registered.pk]) in html
    assert reverse("accounts:organization_kyc", args=[registered.pk]) in html  # not yet submitted
    sales = member_of(registered, Role.SALES, username="seller1")
    client.force_login(sales)
    html = client.get(reverse("dashboard:index")).content.decode()
    assert reverse("accounts:organization_members", args=[registered.pk]) not in html


def test_the_decision_reaches_each_member_in_their_language(registered, newcomer, staff):
    from django.utils import translation

    newcomer.preferred_language = "en"
    newcomer.save(update_fields=["preferred_language"])
    colleague = member_of(registered, Role.SALES, username="colleague")
    organization_kyc_submit(organization=registered, actor=newcomer)
    with translation.override("zh-hans"):
        organization_kyc_approve(organization=registered, actor=staff)
    english = Notification.objects.get(kind="kyc_decision", recipient=newcomer)
    assert english.title == f"Organization verified: {registered.name}"
    assert english.body == "You can now trade on the platform."
    chinese = Notification.objects.get(kind="kyc_decision", recipient=colleague)
    assert chinese.title == f"机构已通过实名认证：{registered.name}"
    assert chinese.body == "现在可以在平台上交易了。"
