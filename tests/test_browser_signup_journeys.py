"""Every role's first journey through the UI only: sign up, open the verification link from
the e-mail, register the organization with its business licence, submit it for real-name
verification, a staff member approves it in the Wagtail KYC admin, then the role's first
action.

The live server runs in the test process, so the e-mails sent by the locmem backend are read
from ``django.core.mail.outbox``.
"""

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission as DjangoPermission
from django.core import mail

from accounts.models import KycStatus, Membership, Organization, OrganizationKind, Role
from accounts.tests.factories import OrganizationFactory, make_credit_code, member_of
from accounts.tests.helpers import pdf_bytes
from certification.models import InspectionRequest
from certification.services.inspections import inspection_request_create
from leasing.models import LeaseProduct
from marketplace.models import Listing
from marketplace.tests.factories import (
    BrandFactory,
    CategoryFactory,
    EquipmentModelFactory,
    MachineFactory,
    PublishedListingFactory,
)
from recycling.models import DisposalQuote
from recycling.services import disposal_request_create
from trading.models import Offer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Tie-huan-2026"
LINK = re.compile(r"https?://\S+")


@pytest.fixture
def licence(tmp_path):
    path = tmp_path / "营业执照.pdf"
    path.write_bytes(pdf_bytes())
    return path


@pytest.fixture
def reviewer(db):
    platform = OrganizationFactory(name="Ironloop 平台", kind=OrganizationKind.PLATFORM)
    user = member_of(platform, Role.ADMIN, username="reviewer", is_staff=True)
    user.user_permissions.add(DjangoPermission.objects.get(codename="access_admin"))
    return user


@pytest.fixture
def seller(db):
    organization = OrganizationFactory(name="长沙老牌经销商", kind=OrganizationKind.DEALER)
    return member_of(organization, Role.OWNER, username="oldseller")


def _link_sent_to(email: str) -> str:
    messages = [message for message in mail.outbox if email in message.to]
    assert messages, f"no e-mail to {email}"
    return LINK.findall(messages[-1].body)[0]


def sign_up_and_verify(page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/accounts/register/")
    page.fill("#id_email", email)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_selector("#verification-sent")
    page.goto(_link_sent_to(email))
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def register_organization(page, kind: str, name: str, code: str, licence) -> Organization:
    page.wait_for_url(re.compile(r"/accounts/organizations/new/$"))
    page.select_option("#id_kind", kind)
    page.fill("#id_name", name)
    page.fill("#id_credit_code", code)
    page.select_option("#id_city", "株洲市")
    page.fill("#id_phone", "0731-22334455")
    page.set_input_files("#id_business_licence", str(licence))
    page.get_by_role("button", name="登记机构").click()
    page.wait_for_url(re.compile(r"/accounts/organizations/\d+/kyc/$"))
    assert "已创建" in page.locator(".messages").inner_text()
    page.get_by_role("button", name="提交审核").click()
    page.wait_for_url(re.compile(r"/dashboard/$"))
    assert "已提交实名认证" in page.locator(".messages").inner_text()
    organization = Organization.objects.get(name=name)
    assert organization.kyc_status == KycStatus.PENDING
    return organization


def staff_approves(page, live_server, organization: Organization) -> None:
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "reviewer")
    page.fill("#id_password", "pass-1234")
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))
    page.goto(f"{live_server.url}/admin/kyc/")
    page.get_by_role("link", name=organization.name).click()
    page.wait_for_url(re.compile(rf"/admin/kyc/{organization.pk}/$"))
    with page.expect_download() as download:
        page.click("#kyc-licence")
    assert download.value.suggested_filename.endswith(".pdf")
    page.click("#kyc-approve")
    page.wait_for_url(re.compile(r"/admin/kyc/$"))
    organization.refresh_from_db()
    assert organization.kyc_status == KycStatus.VERIFIED


def dealer_creates_a_draft_listing(page, live_server, organization, context) -> None:
    page.goto(f"{live_server.url}/dashboard/")
    page.goto(f"{live_server.url}/dealer/listings/new/")
    page.select_option("#id_equipment_model", str(context["model"].pk))
    page.fill("#id_serial_number", "SY215C-JOURNEY-1")
    page.fill("#id_year_of_manufacture", "2021")
    page.fill("#id_hours", "3650")
    page.select_option("#id_emission_stage", "china4")
    page.select_option("#id_city", "株洲市")
    page.fill("#id_title", "2021年 三一 SY215C 新经销商")
    page.select_option("#id_sale_format", "fixed")
    page.fill("#id_asking_price", "456000")
    page.get_by_role("button", name="创建挂牌草稿").click()
    page.wait_for_url(re.compile(r"/dealer/listings/\d+/photos/$"))
    listing = Listing.objects.get(title="2021年 三一 SY215C 新经销商")
    assert (listing.seller, listing.status) == (organization, "draft")


def buyer_makes_an_offer(page, live_server, organization, context) -> None:
    listing = context["listing"]
    page.goto(f"{live_server.url}/listings/{listing.pk}/")
    page.fill("#trading-panel input[name=amount]", "350000")
    page.get_by_role("button", name="提交议价").click()
    page.wait_for_url(re.compile(r"/trading/offers/"))
    assert "议价已发送给卖家" in page.locator(".messages").inner_text()
    offer = Offer.objects.get()
    assert (offer.buyer, offer.listing, offer.amount) == (
        organization,
        listing,
        Decimal("350000.00"),
    )


def lessor_creates_a_product(page, live_server, organization, context) -> None:
    page.goto(f"{live_server.url}/leasing/products/new/")
    page.fill("#id_name", "株洲设备直租36期")
    page.select_option("#id_categories", str(context["category"].pk))
    page.fill("#id_min_term_months", "12")
    page.fill("#id_max_term_months", "36")
    page.fill("#id_allowed_terms", "12,24,36")
    page.fill("#id_default_annual_rate", "0.07")
    page.fill("#id_min_down_payment_share", "0.2")
    page.fill("#id_max_ltv", "0.8")
    page.fill("#id_deposit_share", "0")
    page.fill("#id_fee_fixed", "0")
    page.fill("#id_fee_share", "0")
    page.fill("#id_buyout_price", "100")
    page.check("#id_allows_direct")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/leasing/products/$"))
    assert "产品已发布" in page.locator(".messages").inner_text()
    assert LeaseProduct.objects.get().lessor == organization


def certifier_invites_an_inspector_who_accepts_a_request(
    page, live_server, organization, context
) -> None:
    """Only inspectors handle inspections, so the owner invites one; the inspector signs up
    from the invitation e-mail and accepts the request waiting for the new certifier."""
    seller = context["seller"]
    inspection_request_create(
        machine=MachineFactory(owner=seller.organization),
        requester=seller.organization,
        certifier=organization,
        actor=seller,
    )
    page.goto(f"{live_server.url}/accounts/organizations/{organization.pk}/members/")
    page.fill("#id_email", "inspector.li@example.com")
    page.select_option("#id_role", Role.INSPECTOR)
    page.get_by_role("button", name="发送邀请").click()
    page.wait_for_load_state()
    assert "邀请已发送" in page.locator(".messages").inner_text()

    inspector = context["new_page"]()
    inspector.goto(_link_sent_to("inspector.li@example.com"))
    inspector.locator("main").get_by_role("link", name="注册").click()
    inspector.fill("#id_email", "inspector.li@example.com")
    inspector.fill("#id_password1", PASSWORD)
    inspector.fill("#id_password2", PASSWORD)
    inspector.click("main form button[type=submit]")
    inspector.wait_for_selector("#verification-sent")
    inspector.goto(_link_sent_to("inspector.li@example.com"))
    inspector.click("main form button[type=submit]")
    inspector.wait_for_url(re.compile(r"/accounts/invitations/"))
    inspector.get_by_role("button", name="接受邀请").click()
    inspector.wait_for_url(re.compile(r"/dashboard/$"))
    membership = Membership.objects.get(user__email="inspector.li@example.com")
    assert (membership.organization, membership.role) == (organization, Role.INSPECTOR)

    inspector.goto(f"{live_server.url}/certification/")
    incoming = inspector.locator("#incoming")
    assert seller.organization.name in incoming.inner_text()
    incoming.get_by_role("button", name="受理").click()
    inspector.wait_for_load_state()
    assert InspectionRequest.objects.get().status == "accepted"


def recycler_quotes_on_a_disposal_request(page, live_server, organization, context) -> None:
    seller = context["seller"]
    disposal = disposal_request_create(
        machine=MachineFactory(owner=seller.organization), actor=seller, note="整机报废"
    )
    page.goto(f"{live_server.url}/recycling/")
    page.get_by_role("link", name=str(disposal.pk), exact=True).click()
    page.wait_for_url(re.compile(rf"/recycling/requests/{disposal.pk}/$"))
    page.fill("#id_price", "42000")
    page.get_by_role("button", name="提交报价").click()
    page.wait_for_load_state()
    assert "报价已提交" in page.locator(".messages").inner_text()
    quote = DisposalQuote.objects.get()
    assert (quote.recycler, quote.price) == (organization, Decimal("42000.00"))


JOURNEYS = {
    OrganizationKind.DEALER: dealer_creates_a_draft_listing,
    OrganizationKind.BUYER: buyer_makes_an_offer,
    OrganizationKind.LESSOR: lessor_creates_a_product,
    OrganizationKind.CERTIFIER: certifier_invites_an_inspector_who_accepts_a_request,
    OrganizationKind.RECYCLER: recycler_quotes_on_a_disposal_request,
}


@pytest.mark.parametrize("kind", list(JOURNEYS), ids=str)
def test_signup_to_first_action(live_server, new_page, reviewer, seller, licence, kind):
    category = CategoryFactory()
    context = {
        "seller": seller,
        "category": category,
        "model": EquipmentModelFactory(brand=BrandFactory(), category=category),
        "listing": PublishedListingFactory(
            machine__owner=seller.organization, asking_price=Decimal("380000.00")
        ),
        "new_page": new_page,
    }
    email = f"founder.{kind}@example.com"
    page = new_page()
    sign_up_and_verify(page, live_server, email)
    name = f"株洲{OrganizationKind(kind).label}测试公司"
    organization = register_organization(
        page, kind, name, make_credit_code(900 + list(JOURNEYS).index(kind)), licence
    )
    membership = Membership.objects.get(user__email=email)
    assert (membership.organization, membership.role) == (organization, Role.OWNER)
    assert organization.business_licence.name.endswith(".pdf")

    staff_approves(new_page(), live_server, organization)
    page.goto(f"{live_server.url}/notifications/")
    assert "已通过实名认证" in page.locator("main").inner_text()
    JOURNEYS[kind](page, live_server, organization, context)


def test_owner_changes_a_role_and_removes_a_member_after_confirming(live_server, page):
    from tests.conftest import login

    organization = OrganizationFactory(name="湘潭成员管理测试")
    member_of(organization, Role.OWNER, username="founder")
    colleague = member_of(organization, Role.SALES, username="colleague")
    membership = Membership.objects.get(user=colleague)
    login(page, live_server, "founder")
    page.goto(f"{live_server.url}/accounts/organizations/{organization.pk}/members/")
    row = page.locator(f"tr[data-membership-id='{membership.pk}']")
    row.locator("select[name=role]").select_option(Role.FINANCE)
    row.get_by_role("button", name="更改角色").click()
    page.locator(".messages").wait_for()
    assert "已更新" in page.locator(".messages").inner_text()
    membership.refresh_from_db()
    assert membership.role == Role.FINANCE

    row = page.locator(f"tr[data-membership-id='{membership.pk}']")
    page.once("dialog", lambda dialog: dialog.dismiss())
    row.get_by_role("button", name="移除").click()
    page.wait_for_timeout(300)
    assert Membership.objects.filter(pk=membership.pk).exists()

    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="移除").click()
    page.get_by_text("已移除成员").wait_for()
    assert not Membership.objects.filter(pk=membership.pk).exists()
