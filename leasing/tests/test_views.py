"""HTML pages: products, applying from a listing, the review page, visibility."""

from decimal import Decimal

import pytest
from django.urls import reverse

from leasing.models import ApplicationStatus, LeaseApplication, LeaseProduct
from leasing.tests.factories import LeaseApplicationFactory


def test_product_list_public(client, product):
    response = client.get(reverse("leasing:product_list"))
    assert response.status_code == 200
    assert "湘江直租36" in response.content.decode()


def test_lessor_creates_product(client, lessor, category):
    client.force_login(lessor)
    response = client.post(
        reverse("leasing:product_create"),
        {
            "name": "新产品",
            "categories": [category.pk],
            "min_term_months": 12,
            "max_term_months": 36,
            "allowed_terms": "12,24,36",
            "default_annual_rate": "0.07",
            "rate_bands": "12-24:0.065\n25-36:0.07 A",
            "min_down_payment_share": "0.2",
            "max_ltv": "0.8",
            "deposit_share": "0",
            "fee_fixed": "0",
            "fee_share": "0",
            "buyout_price": "100",
            "allows_direct": "on",
        },
    )
    assert response.status_code == 302
    product = LeaseProduct.objects.get(name="新产品")
    assert product.allowed_terms == [12, 24, 36]
    assert list(product.rate_bands.values_list("min_term_months", "condition_grade")) == [
        (12, ""),
        (25, "A"),
    ]


@pytest.mark.parametrize("who", ["buyer", "dealer"])
def test_non_lessor_cannot_create_product(client, request, who, category):
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("leasing:product_create"), {"name": "x"})
    assert response.status_code == 403
    assert LeaseProduct.objects.count() == 0


def test_buyer_applies_from_listing(client, buyer, product, listing, no_valuation):
    client.force_login(buyer)
    url = reverse("leasing:listing_apply", args=[listing.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "product": product.pk,
            "down_payment": "300000",
            "term_months": 36,
            "method": "annuity",
            "timing": "arrears",
            "lease_type": "direct",
        },
    )
    application = LeaseApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("leasing:application_detail", args=[application.pk])


def test_review_page_and_actions(client, buyer, lessor, buyer_org, product, listing, no_valuation):
    application = LeaseApplicationFactory(product=product, listing=listing, applicant=buyer_org)
    url = reverse("leasing:application_detail", args=[application.pk])
    client.force_login(lessor)
    page = client.get(url).content.decode()
    assert "批准" in page
    client.post(
        reverse("leasing:application_action", args=[application.pk, "request_info"]),
        {"note": "请补充流水"},
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.INFO_REQUESTED
    client.force_login(buyer)
    client.post(reverse("leasing:application_action", args=[application.pk, "resubmit"]))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RESUBMITTED
    client.force_login(lessor)
    client.post(
        reverse("leasing:application_action", args=[application.pk, "approve"]),
        {
            "price": "1000000",
            "down_payment": "300000",
            "term_months": 36,
            "annual_rate": "0.06",
            "deposit": "0",
            "fee": "0",
            "buyout_price": "100",
            "balloon": "0",
        },
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert application.approved_price == Decimal(1000000)


def test_application_hidden_from_other_orgs(client, other_dealer, product, listing, buyer_org):
    application = LeaseApplicationFactory(product=product, listing=listing, applicant=buyer_org)
    client.force_login(other_dealer)
    assert (
        client.get(reverse("leasing:application_detail", args=[application.pk])).status_code == 404
    )
    response = client.post(reverse("leasing:application_action", args=[application.pk, "withdraw"]))
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_application_list(client, buyer, buyer_org, product, listing):
    LeaseApplicationFactory(product=product, listing=listing, applicant=buyer_org)
    client.force_login(buyer)
    response = client.get(reverse("leasing:application_list"))
    assert response.status_code == 200
    assert "湘江融资租赁" in response.content.decode()


def test_staff_sees_leasing_in_wagtail_admin_read_only(client, staff, product):
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "view_leaseproduct"])
    )
    client.force_login(staff)
    response = client.get("/admin/leaseproduct/")
    assert response.status_code == 200
    assert "湘江直租36" in response.content.decode()
    # Read-only: no add form, whatever Django permissions the user holds.
    staff.is_superuser = True
    staff.save()
    assert client.get("/admin/leaseproduct/new/").status_code in (302, 403)


def test_preapproval_page_and_contract_page(client, lessor, buyer, buyer_org, product, listing):
    from leasing.tests.factories import approved_fields

    preapproval = LeaseApplicationFactory(
        product=product, listing=None, machine=None, kind="preapproval", applicant=buyer_org
    )
    client.force_login(lessor)
    page = client.get(reverse("leasing:application_detail", args=[preapproval.pk]))
    assert page.status_code == 200
    assert "预审批额度" in page.content.decode()

    accepted = LeaseApplicationFactory(
        product=product,
        listing=listing,
        applicant=buyer_org,
        status=ApplicationStatus.ACCEPTED,
        **approved_fields(LeaseApplicationFactory.build(product=product, listing=listing)),
    )
    response = client.post(
        reverse("leasing:application_action", args=[accepted.pk, "start_contract"]),
        {"registry_reference": "0447 0913 0004 7282 3822"},
    )
    contract = accepted.contract
    assert response["Location"] == reverse("leasing:contract_detail", args=[contract.pk])
    page = client.get(response["Location"]).content.decode()
    assert "04470913000472823822" in page
    assert "记录解除登记" in page
    # Without the ticked confirmation box nothing changes and the page says why.
    refused = client.post(reverse("leasing:contract_release", args=[contract.pk]), follow=True)
    contract.refresh_from_db()
    assert contract.status == "active"
    assert "请先勾选确认框" in refused.content.decode()
    client.post(reverse("leasing:contract_release", args=[contract.pk]), {"confirm": "yes"})
    contract.refresh_from_db()
    assert contract.status == "released"
