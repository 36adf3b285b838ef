"""Lessors manage their products; everyone else is refused and nothing changes."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import OrganizationKind, Role
from accounts.tests.factories import OrganizationFactory, member_of
from core.errors import DomainError, PermissionDeniedError
from leasing import services
from leasing.models import LeaseProduct


def product_input(category, **overrides):
    values = {
        "name": "新直租产品",
        "category_ids": [category.pk],
        "default_annual_rate": Decimal("0.07"),
        "rate_bands": [services.RateBandInput(12, 24, Decimal("0.065"))],
    }
    values.update(overrides)
    return services.ProductInput(**values)


@pytest.fixture
def outsiders(db, lessor_org, buyer):
    other_lessor = OrganizationFactory(kind=OrganizationKind.LESSOR)
    return {
        "anonymous": AnonymousUser(),
        "other_org": member_of(other_lessor, Role.FINANCE),
        "wrong_role": member_of(lessor_org, Role.VIEWER),
        "buyer": buyer,
    }


@pytest.mark.parametrize("who", ["anonymous", "other_org", "wrong_role", "buyer"])
def test_create_refused(outsiders, who, lessor_org, category):
    with pytest.raises(PermissionDeniedError):
        services.product_create(
            actor=outsiders[who], lessor=lessor_org, data=product_input(category)
        )
    assert LeaseProduct.objects.count() == 0


@pytest.mark.parametrize("who", ["anonymous", "other_org", "wrong_role", "buyer"])
def test_update_and_deactivate_refused(outsiders, who, product, category):
    with pytest.raises(PermissionDeniedError):
        services.product_update(
            actor=outsiders[who], product=product, data=product_input(category, name="改名")
        )
    with pytest.raises(PermissionDeniedError):
        services.product_set_active(actor=outsiders[who], product=product, is_active=False)
    product.refresh_from_db()
    assert (product.name, product.is_active, product.rate_bands.count()) == ("湘江直租36", True, 0)


def test_right_role_creates_updates_and_deactivates(lessor, lessor_org, category):
    product = services.product_create(actor=lessor, lessor=lessor_org, data=product_input(category))
    assert list(product.categories.all()) == [category]
    assert product.annual_rate_for(term_months=12) == Decimal("0.065")
    assert product.annual_rate_for(term_months=36) == Decimal("0.07")
    services.product_update(
        actor=lessor, product=product, data=product_input(category, name="改名", rate_bands=[])
    )
    services.product_set_active(actor=lessor, product=product, is_active=False)
    product.refresh_from_db()
    assert (product.name, product.is_active, product.rate_bands.count()) == ("改名", False, 0)


def test_invalid_product_reports_every_field(lessor, lessor_org, category):
    data = product_input(
        category,
        name=" ",
        category_ids=[],
        min_term_months=48,
        max_term_months=24,
        max_ltv=Decimal(0),
        allows_direct=False,
    )
    with pytest.raises(DomainError) as excinfo:
        services.product_create(actor=lessor, lessor=lessor_org, data=data)
    assert set(excinfo.value.fields) == {
        "name",
        "category_ids",
        "max_term_months",
        "max_ltv",
        "allows_direct",
    }
    assert LeaseProduct.objects.count() == 0


def test_database_refuses_a_product_without_lease_type(lessor_org):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        LeaseProduct.objects.create(
            lessor=lessor_org,
            name="x",
            default_annual_rate=Decimal("0.05"),
            allows_direct=False,
            allows_sale_leaseback=False,
        )
