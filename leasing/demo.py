"""Demo data of the leasing app, called by `manage.py seed_demo` after the marketplace data.

Idempotent: products are keyed by (demo lessor, name); the applications and the contract are
created only when the demo lessor has no simulated application yet. Everything goes through
the real services (permissions, limits, state machine, encumbrance) and is marked simulated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Organization, User
from leasing import services
from leasing.models import LeaseApplication, LeaseContract, LeaseDocument, LeaseProduct
from leasing.quoting import QuoteRequest, listing_quotes
from leasing.rules import required_documents
from marketplace.demo.accounts import demo_credit_code
from marketplace.models import Category, Listing

D = Decimal
PRODUCTS = (
    {
        "name": "湘江·挖掘机直租（演示）",
        "categories": ["excavator"],
        "description": "模拟数据：挖掘机直租，按期限分档定价，可约定尾付。",
        "max_machine_age_years": 8,
        "max_hours": 12000,
        "min_term_months": 12,
        "max_term_months": 60,
        "default_annual_rate": D("0.065"),
        "min_down_payment_share": D("0.3"),
        "max_ltv": D("0.75"),
        "deposit_share": D("0.05"),
        "fee_share": D("0.01"),
        "buyout_price": D(100),
        "balloon_allowed": True,
        "bands": [(12, 24, D("0.055"), ""), (25, 36, D("0.06"), ""), (37, 60, D("0.068"), "")],
    },
    {
        "name": "湘江·起重泵送售后回租（演示）",
        "categories": ["crane", "concrete-pump-truck", "mixer-truck"],
        "description": "模拟数据：起重机、泵车、搅拌车的直租与售后回租。",
        "max_machine_age_years": 10,
        "max_hours": 20000,
        "min_term_months": 12,
        "max_term_months": 48,
        "allowed_terms": [12, 24, 36, 48],
        "default_annual_rate": D("0.072"),
        "min_down_payment_share": D("0.2"),
        "max_ltv": D("0.7"),
        "deposit_share": D("0.1"),
        "fee_fixed": D(3000),
        "buyout_price": D(1000),
        "allows_sale_leaseback": True,
    },
    {
        "name": "湘江·通用设备低首付（演示）",
        "categories": [
            "excavator",
            "wheel-loader",
            "dozer",
            "roller",
            "grader",
            "forklift",
            "backhoe-loader",
            "skid-steer",
        ],
        "description": "模拟数据：首付低至 15%，利率较高，适合现金流紧张的施工队。",
        "max_machine_age_years": 6,
        "max_hours": 8000,
        "min_term_months": 12,
        "max_term_months": 36,
        "default_annual_rate": D("0.085"),
        "min_down_payment_share": D("0.15"),
        "max_ltv": D("0.85"),
        "fee_share": D("0.02"),
        "buyout_price": D(100),
    },
    {
        "name": "湘江·A 级优选（演示）",
        "categories": ["excavator", "wheel-loader", "crane"],
        "description": "模拟数据：经检测评为 A/B 级的设备享受优惠利率。",
        "max_machine_age_years": 5,
        "max_hours": 6000,
        "min_term_months": 12,
        "max_term_months": 60,
        "default_annual_rate": D("0.062"),
        "min_down_payment_share": D("0.3"),
        "max_ltv": D("0.8"),
        "buyout_price": D(100),
        "bands": [(12, 60, D("0.052"), "A"), (12, 60, D("0.056"), "B")],
    },
)


def _org(key: str, city: str) -> Organization | None:
    return Organization.objects.filter(credit_code=demo_credit_code(key, city)).first()


def _product_input(spec: dict) -> services.ProductInput:
    categories = list(
        Category.objects.filter(slug__in=spec["categories"]).values_list("pk", flat=True)
    )
    fields = {k: v for k, v in spec.items() if k not in ("categories", "bands")}
    bands = [
        services.RateBandInput(low, high, rate, grade)
        for low, high, rate, grade in spec.get("bands", [])
    ]
    return services.ProductInput(category_ids=categories, rate_bands=bands, **fields)


def _seed_products(lessor: Organization, actor: User, log: Callable[[str], None]) -> None:
    created = 0
    for spec in PRODUCTS:
        if LeaseProduct.objects.filter(lessor=lessor, name=spec["name"]).exists():
            continue
        data = _product_input(spec)
        if not data.category_ids:
            log(f"leasing: categories of {spec['name']} missing, product skipped")
            continue
        product = services.product_create(actor=actor, lessor=lessor, data=data)
        LeaseProduct.objects.filter(pk=product.pk).update(is_simulated=True)
        created += 1
    log(f"leasing: {created} demo lease products created")


def _financeable_listings(lessor: Organization, buyer_org: Organization, count: int):
    """Published simulated listings that one of the demo lessor's products can quote."""
    found = []
    candidates = (
        Listing.objects.published()
        .filter(is_simulated=True, asking_price__isnull=False, machine__is_encumbered=False)
        .exclude(seller=buyer_org)
        .select_related("machine")
        .order_by("id")
    )
    for listing in candidates.iterator(chunk_size=200):
        quotes = [
            item
            for item in listing_quotes(listing)
            if item.result is not None and item.product.lessor_id == lessor.pk
        ]
        if quotes:
            found.append((listing, quotes[0]))
        if len(found) == count:
            break
    return found


def _approval_terms(item) -> services.ApprovalTerms:
    inp = item.quote_input
    return services.ApprovalTerms(
        price=inp.price,
        down_payment=inp.down_payment,
        term_months=inp.term_months,
        annual_rate=inp.annual_rate,
        deposit=inp.deposit,
        fee=inp.fee,
        buyout_price=inp.buyout_price,
    )


DEMO_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _attach_demo_documents(application: LeaseApplication, user: User) -> None:
    """The documents the published rules require before approval (placeholder PDFs)."""
    for kind in required_documents(application.kind):
        LeaseDocument.objects.create(
            application=application,
            kind=kind,
            file=ContentFile(DEMO_PDF, name=f"demo-{kind}.pdf"),
            content_type="pdf",
            size=len(DEMO_PDF),
            uploaded_by=user,
        )


def _seed_applications(
    lessor: Organization, lessor_user: User, buyer_org: Organization, buyer: User, log
) -> None:
    pairs = _financeable_listings(lessor, buyer_org, 5)
    if len(pairs) < 5:
        log(f"leasing: only {len(pairs)} financeable demo listings, applications skipped")
        return
    applications = []
    for listing, item in pairs:
        inp = item.quote_input
        application = services.application_submit(
            actor=buyer,
            applicant=buyer_org,
            product=item.product,
            listing=listing,
            request=QuoteRequest(down_payment=inp.down_payment, term_months=inp.term_months),
            message="模拟数据：演示申请。",
        )
        applications.append((application, item))
    LeaseApplication.objects.filter(pk__in=[a.pk for a, _ in applications]).update(
        is_simulated=True
    )
    (_submitted, _), (info, _), (approved, approved_item), (declined, _), (leased, leased_item) = (
        applications
    )
    services.application_request_info(
        actor=lessor_user, application=info, note="请补充近 6 个月对公账户流水。"
    )
    for application in (approved, leased):
        _attach_demo_documents(application, buyer)
    services.application_approve(
        actor=lessor_user, application=approved, terms=_approval_terms(approved_item)
    )
    services.application_decline(
        actor=lessor_user, application=declined, reason="模拟数据：资产负债率偏高。"
    )
    services.application_approve(
        actor=lessor_user, application=leased, terms=_approval_terms(leased_item)
    )
    services.application_accept(actor=buyer, application=leased)
    contract = services.contract_start(
        actor=lessor_user,
        application=leased,
        # 20 digits like a 中登网 registration number (leasing.rules); demo data only.
        registry_reference=f"{timezone.localdate():%Y%m%d}{leased.pk:012d}",
        start_date=timezone.localdate() - dt.timedelta(days=60),
    )
    LeaseContract.objects.filter(pk=contract.pk).update(is_simulated=True)
    preapproval = services.preapproval_request(
        actor=buyer,
        applicant=buyer_org,
        product=pairs[0][1].product,
        amount=D(800000),
        term_months=36,
        message="模拟数据：拍卖前申请预审批额度。",
    )
    LeaseApplication.objects.filter(pk=preapproval.pk).update(is_simulated=True)
    _attach_demo_documents(preapproval, buyer)
    services.application_approve(
        actor=lessor_user,
        application=preapproval,
        terms=services.ApprovalTerms(
            price=D(800000), down_payment=D(0), term_months=36, annual_rate=D("0.065")
        ),
    )
    log(
        f"leasing: 6 demo applications, contract {contract.contract_number} "
        f"encumbering machine #{contract.machine_id}"
    )


def seed(*, log: Callable[[str], None]) -> None:
    lessor = _org("lessor", "长沙市")
    buyer_org = _org("buyer", "湘潭市")
    lessor_user = User.objects.filter(username="lessor").first()
    buyer = User.objects.filter(username="buyer").first()
    if None in (lessor, buyer_org, lessor_user, buyer):
        log("leasing: demo lessor/buyer accounts missing, run the marketplace seed first")
        return
    with transaction.atomic():
        _seed_products(lessor, lessor_user, log)
    if LeaseApplication.objects.filter(lessor=lessor, is_simulated=True).exists():
        log("leasing: demo applications already present")
        return
    with transaction.atomic():
        _seed_applications(lessor, lessor_user, buyer_org, buyer, log)
