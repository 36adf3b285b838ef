"""Who may call each mutating API operation: the authorization matrix as data.

One row per mutating operation (POST/PUT/PATCH/DELETE) of the OpenAPI schema. ``allowed``
names the actors (role x organization, see ``ACTORS``) who may act on the scenario's target;
every other actor must get 401/403/404 and change nothing (tests/test_authorization_matrix.py).
``watch`` names the models whose rows must stay exactly as they were after a refusal.
``public`` marks an operation that needs no authorization, with the reason; it is still listed
so that tests/test_authorization_matrix.py can fail on any operation missing from this table.

A new app's mutating endpoint appears in the schema, so the guard test fails until a row is
added here: authorization is decided for it, not inherited by accident.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

# name -> (organization in the scenario, role); "anonymous" is the logged-out client.
ACTORS: dict[str, tuple[str, str] | None] = {
    "anonymous": None,
    "dealer": ("dealer_org", "owner"),
    "dealer_sales": ("dealer_org", "sales"),
    "dealer_viewer": ("dealer_org", "viewer"),
    "other_dealer": ("other_dealer_org", "owner"),
    "buyer": ("buyer_org", "buyer"),
    "buyer_viewer": ("buyer_org", "viewer"),
    "other_buyer": ("other_buyer_org", "buyer"),
    "lessor": ("lessor_org", "finance"),
    "lessor_viewer": ("lessor_org", "viewer"),
    "other_lessor": ("other_lessor_org", "finance"),
    "inspector": ("certifier_org", "inspector"),
    "certifier_owner": ("certifier_org", "owner"),
    "other_inspector": ("other_certifier_org", "inspector"),
    "recycler": ("recycler_org", "sales"),
    "recycler_viewer": ("recycler_org", "viewer"),
    "other_recycler": ("other_recycler_org", "sales"),
    "staff": ("platform_org", "admin"),
}

# Holders of trade.buy / inspection requests other than the target's own parties.
_INSPECTION_REQUESTERS = {"dealer", "dealer_sales", "other_dealer", "buyer", "other_buyer"}


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # the schema's path template
    allowed: frozenset[str] = frozenset()
    watch: tuple[str, ...] = ()  # "app_label.ModelName"
    target: str = ""  # scenario attribute whose pk fills the path's id
    payload: Callable[[object], dict] | None = field(default=None, compare=False)
    content: str = "json"  # or "multipart"
    public: str = ""


def _application_note(world) -> dict:
    return {"note": "请补充资料", "reason": "不符合要求"}


def _approval(world) -> dict:
    application = world.application
    return {
        "price": str(application.price),
        "down_payment": str(application.down_payment),
        "term_months": application.term_months,
        "annual_rate": "0.0600",
    }


def _document(world) -> dict:
    return {"kind": "business_license", "file": world.pdf_upload()}


MATRIX: list[Endpoint] = [
    Endpoint(
        "POST",
        "/api/auth/token/",
        public="Exchanges a username and password for the caller's own token (throttled).",
    ),
    Endpoint(
        "POST",
        "/api/leasing/quote-preview/",
        public="Prices terms sent in the request; reads and writes nothing.",
    ),
    Endpoint(
        "POST",
        "/api/valuation/estimate/",
        public="Values a machine described in the request; no organization's data.",
    ),
    # certification
    Endpoint(
        "POST",
        "/api/certification/requests/",
        allowed=frozenset(_INSPECTION_REQUESTERS),
        watch=("certification.InspectionRequest",),
        payload=lambda w: {"machine": w.machine.pk, "certifier": w.certifier_org.pk},
    ),
    Endpoint(
        "POST",
        "/api/certification/requests/{id}/accept/",
        allowed=frozenset({"inspector"}),
        watch=("certification.InspectionRequest", "certification.InspectionReport"),
        target="inspection_request",
    ),
    Endpoint(
        "POST",
        "/api/certification/reports/{id}/submit/",
        allowed=frozenset({"inspector"}),
        watch=("certification.InspectionReport",),
        target="report",
    ),
    Endpoint(
        "POST",
        "/api/certification/certificates/{id}/issue/",
        allowed=frozenset({"inspector"}),
        watch=("certification.RemanCertificate",),
        target="draft_certificate",
    ),
    Endpoint(
        "POST",
        "/api/certification/certificates/{id}/revoke/",
        allowed=frozenset({"inspector", "staff"}),
        watch=("certification.RemanCertificate",),
        target="issued_certificate",
        payload=lambda w: {"reason": "证书信息有误"},
    ),
    # leasing
    Endpoint(
        "POST",
        "/api/leasing/applications/",
        allowed=frozenset({"buyer"}),
        watch=("leasing.LeaseApplication",),
        payload=lambda w: {
            "kind": "purchase",
            "applicant": w.buyer_org.pk,
            "product": w.product.pk,
            "listing": w.fresh_listing.pk,
            "down_payment": "114000.00",
            "term_months": 36,
        },
    ),
    *[
        Endpoint(
            "POST",
            f"/api/leasing/applications/{{id}}/{action}/",
            allowed=frozenset(allowed),
            watch=("leasing.LeaseApplication", "leasing.LeaseApplicationEvent"),
            target=target,
            payload=payload,
        )
        for action, allowed, target, payload in [
            ("request-info", {"lessor"}, "application", _application_note),
            ("approve", {"lessor"}, "application", _approval),
            ("decline", {"lessor"}, "application", _application_note),
            ("resubmit", {"buyer"}, "info_requested_application", _application_note),
            ("withdraw", {"buyer"}, "application", _application_note),
            ("accept", {"buyer"}, "approved_application", None),
            (
                "start-contract",
                {"lessor"},
                "accepted_application",
                lambda w: {"registry_reference": "20261128000123456789"},
            ),
        ]
    ],
    Endpoint(
        "POST",
        "/api/leasing/applications/{id}/documents/",
        allowed=frozenset({"buyer"}),
        watch=("leasing.LeaseDocument",),
        target="application",
        payload=_document,
        content="multipart",
    ),
    # payments
    Endpoint(
        "POST",
        "/api/payments/bank-transfers/confirm/",
        allowed=frozenset({"staff"}),
        watch=("payments.Payment", "trading.Order"),
        payload=lambda w: {
            "reference": w.bank_payment.bank_reference,
            "amount": str(w.bank_payment.amount),
        },
    ),
    # recycling
    Endpoint(
        "POST",
        "/api/recycling/requests/new/",
        allowed=frozenset({"dealer", "dealer_sales"}),
        watch=("recycling.DisposalRequest",),
        payload=lambda w: {"machine": w.spare_machine.pk},
    ),
    Endpoint(
        "POST",
        "/api/recycling/requests/{id}/quotes/",
        allowed=frozenset({"recycler"}),
        watch=("recycling.DisposalQuote",),
        target="open_disposal_request",
        payload=lambda w: {"recycler": w.recycler_org.pk, "price": "30000.00"},
    ),
    Endpoint(
        "POST",
        "/api/recycling/quotes/{id}/accept/",
        allowed=frozenset({"dealer", "dealer_sales"}),
        watch=("recycling.DisposalQuote", "recycling.DisposalRequest"),
        target="disposal_quote",
    ),
    Endpoint(
        "POST",
        "/api/recycling/requests/{id}/complete/",
        allowed=frozenset({"recycler"}),
        watch=("recycling.DisposalRequest", "marketplace.Machine"),
        target="accepted_disposal_request",
        payload=lambda w: {
            "materials": [{"material": "steel", "treatment": "recycle", "mass_kg": "750"}]
        },
    ),
    # trading: acting for the buyer organization named in the body
    Endpoint(
        "POST",
        "/api/trading/listings/{id}/buy-now/",
        allowed=frozenset({"buyer"}),
        watch=("trading.Order", "marketplace.Listing"),
        target="listing",
        payload=lambda w: {"organization": w.buyer_org.pk},
    ),
    Endpoint(
        "POST",
        "/api/trading/listings/{id}/offers/",
        allowed=frozenset({"buyer"}),
        watch=("trading.Offer",),
        target="listing",
        payload=lambda w: {"amount": "300000.00", "organization": w.buyer_org.pk},
    ),
    Endpoint(
        "POST",
        "/api/trading/offers/{id}/withdraw/",
        allowed=frozenset({"buyer"}),
        watch=("trading.Offer", "trading.OfferEvent"),
        target="offer",
    ),
    Endpoint(
        "POST",
        "/api/trading/lots/{id}/bids/",
        allowed=frozenset({"buyer"}),
        watch=("trading.Bid", "trading.Lot"),
        target="lot",
        payload=lambda w: {"maximum": "120000.00", "organization": w.buyer_org.pk},
    ),
    # procurement: the buyer organization's owners, admins and buyers manage its requests
    # (dealers may procure too); verified dealers' owners, admins and sales staff quote.
    Endpoint(
        "POST",
        "/api/procurement/rfqs/",
        allowed=frozenset({"buyer", "other_buyer", "dealer", "other_dealer"}),
        watch=("procurement.RequestForQuotation", "procurement.RfqLine"),
        payload=lambda w: {
            "title": "挖掘机采购",
            "method": "inquiry",
            "deadline": "2099-01-01T00:00:00+08:00",
            "lines": [{"category": "excavator", "quantity": 1, "conditions": ["used"]}],
        },
    ),
    Endpoint(
        "POST",
        "/api/procurement/rfqs/{id}/publish/",
        allowed=frozenset({"buyer"}),
        watch=("procurement.RequestForQuotation", "procurement.RfqEvent"),
        target="rfq_draft",
    ),
    Endpoint(
        "POST",
        "/api/procurement/rfqs/{id}/amend/",
        allowed=frozenset({"buyer"}),
        watch=("procurement.RequestForQuotation", "procurement.RfqEvent"),
        target="rfq_draft",
        payload=lambda w: {"title": "挖掘机采购（变更）"},
    ),
    Endpoint(
        "POST",
        "/api/procurement/rfqs/{id}/open/",
        allowed=frozenset({"buyer"}),
        watch=("procurement.RequestForQuotation", "procurement.RfqEvent"),
        target="rfq_due",
    ),
    Endpoint(
        "POST",
        "/api/procurement/rfqs/{id}/evaluate/",
        allowed=frozenset({"buyer"}),
        watch=("procurement.RequestForQuotation", "procurement.RfqEvent"),
        target="rfq_opened",
    ),
    Endpoint(
        "POST",
        "/api/procurement/rfqs/{id}/award/",
        allowed=frozenset({"buyer"}),
        watch=("procurement.RequestForQuotation", "procurement.Award"),
        target="rfq_opened",
        payload=lambda w: {
            "awards": [
                {
                    "rfq_line": w.rfq_opened.lines.get().pk,
                    "quote": w.rfq_winning_quote.pk,
                    "quantity": 1,
                }
            ]
        },
    ),
    Endpoint(
        "POST",
        "/api/procurement/rfqs/{id}/cancel/",
        allowed=frozenset({"buyer"}),
        watch=("procurement.RequestForQuotation", "procurement.RfqEvent"),
        target="rfq_published",
    ),
    Endpoint(
        "POST",
        "/api/procurement/rfqs/{id}/reissue/",
        allowed=frozenset({"buyer"}),
        watch=("procurement.RequestForQuotation", "procurement.RfqLine"),
        target="rfq_failed",
    ),
    Endpoint(
        "POST",
        "/api/procurement/rfqs/{id}/quotes/",
        allowed=frozenset({"dealer", "dealer_sales", "other_dealer"}),
        watch=("procurement.Quote", "procurement.QuoteLine"),
        target="rfq_published",
        payload=lambda w: {
            "lines": [
                {"rfq_line": w.rfq_published.lines.get().pk, "unit_price": "1.00", "quantity": 1}
            ]
        },
    ),
    Endpoint(
        "POST",
        "/api/procurement/rfqs/{id}/questions/",
        allowed=frozenset({"dealer", "dealer_sales", "other_dealer"}),
        watch=("procurement.RfqQuestion",),
        target="rfq_published",
        payload=lambda w: {"text": "交货地点在哪里？"},
    ),
    Endpoint(
        "POST",
        "/api/procurement/questions/{id}/answer/",
        allowed=frozenset({"buyer"}),
        watch=("procurement.RfqQuestion",),
        target="rfq_question",
        payload=lambda w: {"answer": "长沙市"},
    ),
]

DENIED_STATUSES = {401, 403, 404}
