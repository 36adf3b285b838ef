"""Lessors publish and maintain their lease products."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organization, OrganizationKind, User
from accounts.permissions import Permission, require_org_permission, require_verified
from core.errors import DomainError
from leasing.engine.constants import MAX_TERM_MONTHS
from leasing.lock_objects import lease_product_lock
from leasing.models import LeaseProduct, LeaseRateBand
from marketplace.models import Category

ONE = Decimal(1)


@dataclass(frozen=True)
class RateBandInput:
    min_term_months: int
    max_term_months: int
    annual_rate: Decimal
    condition_grade: str = ""


@dataclass(frozen=True, kw_only=True)
class ProductInput:
    name: str
    category_ids: list[int]
    default_annual_rate: Decimal
    description: str = ""
    max_machine_age_years: int | None = None
    max_hours: int | None = None
    min_term_months: int = 12
    max_term_months: int = 60
    allowed_terms: list[int] = field(default_factory=list)
    min_down_payment_share: Decimal = Decimal("0.2")
    max_ltv: Decimal = Decimal("0.8")
    deposit_share: Decimal = Decimal(0)
    fee_fixed: Decimal = Decimal(0)
    fee_share: Decimal = Decimal(0)
    buyout_price: Decimal = Decimal(100)
    balloon_allowed: bool = False
    allows_direct: bool = True
    allows_sale_leaseback: bool = False
    rate_bands: list[RateBandInput] = field(default_factory=list)


def _validate(data: ProductInput) -> None:
    """Every problem at once, keyed by field; nothing is written when any is found."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not data.name.strip():
        add("name", _("请填写产品名称。"))
    if not data.category_ids:
        add("category_ids", _("请至少选择一个适用类别。"))
    elif Category.objects.filter(pk__in=data.category_ids).count() != len(set(data.category_ids)):
        add("category_ids", _("类别不存在。"))
    if not 1 <= data.min_term_months <= data.max_term_months <= MAX_TERM_MONTHS:
        add("max_term_months", _("期限范围无效（1–120 个月，最短不超过最长）。"))
    elif any(
        not data.min_term_months <= term <= data.max_term_months for term in data.allowed_terms
    ):
        add("allowed_terms", _("可选期限必须在期限范围内。"))
    if not Decimal(0) <= data.default_annual_rate <= ONE:
        add("default_annual_rate", _("年利率必须在 0 到 100% 之间。"))
    for name in ("min_down_payment_share", "deposit_share", "fee_share"):
        if not Decimal(0) <= getattr(data, name) < ONE:
            add(name, _("比例必须在 0 到 100% 之间（不含 100%）。"))
    if not Decimal(0) < data.max_ltv <= ONE:
        add("max_ltv", _("融资比例必须大于 0 且不超过 100%。"))
    if data.fee_fixed < 0 or data.buyout_price < 0:
        add("fee_fixed", _("金额不能为负数。"))
    if not (data.allows_direct or data.allows_sale_leaseback):
        add("allows_direct", _("请至少选择一种租赁方式。"))
    for band in data.rate_bands:
        if not (
            1 <= band.min_term_months <= band.max_term_months
            and Decimal(0) <= band.annual_rate <= ONE
        ):
            add("rate_bands", _("利率档无效。"))
            break
    if errors:
        raise DomainError(_("产品信息有误。"), code="invalid", fields=errors)


_SCALARS = (
    "name",
    "description",
    "max_machine_age_years",
    "max_hours",
    "min_term_months",
    "max_term_months",
    "allowed_terms",
    "default_annual_rate",
    "min_down_payment_share",
    "max_ltv",
    "deposit_share",
    "fee_fixed",
    "fee_share",
    "buyout_price",
    "balloon_allowed",
    "allows_direct",
    "allows_sale_leaseback",
)


def _write_relations(product: LeaseProduct, data: ProductInput) -> None:
    product.categories.set(data.category_ids)
    product.rate_bands.all().delete()
    LeaseRateBand.objects.bulk_create(
        LeaseRateBand(
            product=product,
            min_term_months=band.min_term_months,
            max_term_months=band.max_term_months,
            annual_rate=band.annual_rate,
            condition_grade=band.condition_grade,
        )
        for band in data.rate_bands
    )


@transaction.atomic
def product_create(*, actor: User, lessor: Organization, data: ProductInput) -> LeaseProduct:
    require_org_permission(actor, lessor, Permission.LEASE_PRODUCT_MANAGE)
    if lessor.kind != OrganizationKind.LESSOR:
        raise DomainError(_("只有融资租赁公司可以发布产品。"), code="not_a_lessor")
    require_verified(lessor, _("机构完成实名认证后才能发布租赁产品。"))
    _validate(data)
    product = LeaseProduct.objects.create(
        lessor=lessor, **{name: getattr(data, name) for name in _SCALARS}
    )
    _write_relations(product, data)
    return product


@transaction.atomic
def product_update(*, actor: User, product: LeaseProduct, data: ProductInput) -> LeaseProduct:
    locked = lease_product_lock(product.pk, related=("lessor",))
    require_org_permission(actor, locked.lessor, Permission.LEASE_PRODUCT_MANAGE)
    _validate(data)
    for name in _SCALARS:
        setattr(locked, name, getattr(data, name))
    locked.save(update_fields=[*_SCALARS, "updated_at"])
    _write_relations(locked, data)
    return locked


@transaction.atomic
def product_set_active(*, actor: User, product: LeaseProduct, is_active: bool) -> LeaseProduct:
    """Publish or withdraw a product; open applications keep the terms they were made on."""
    locked = lease_product_lock(product.pk, related=("lessor",))
    require_org_permission(actor, locked.lessor, Permission.LEASE_PRODUCT_MANAGE)
    if is_active:
        require_verified(locked.lessor, _("机构完成实名认证后才能发布租赁产品。"))
    locked.is_active = is_active
    locked.save(update_fields=["is_active", "updated_at"])
    return locked
