"""The published procurement rules: one frozen object that pages render and services apply.

Figures come from ``settings.PROCUREMENT_RULES`` (a dict of overrides) with these defaults.
Legal minimums (招标投标法 and its 实施条例) are kept apart in ``LEGAL_MINIMUM_RESPONSE_DAYS``:
a request flagged ``subject_to_tendering_law`` is never given a shorter period than the law's,
whatever the settings say.
"""

from dataclasses import dataclass, field, replace

from django.conf import settings
from django.utils.translation import gettext as _

from procurement.models import Method

# 招标投标法 art. 24: at least 20 days from issuing the tender documents to the deadline.
LEGAL_MINIMUM_RESPONSE_DAYS = {Method.OPEN_TENDER: 20, Method.INVITED_TENDER: 20}
# 招标投标法 art. 23: clarifications at least 15 days before the deadline.
LEGAL_CLARIFICATION_CUTOFF_DAYS = {Method.OPEN_TENDER: 15, Method.INVITED_TENDER: 15}

TENDER_METHODS = frozenset({Method.OPEN_TENDER, Method.INVITED_TENDER})


@dataclass(frozen=True)
class ProcurementRules:
    # Fewer valid quotes than this at the opening: the request fails (流标).
    minimum_quotes: dict[str, int] = field(
        default_factory=lambda: {
            Method.INQUIRY: 3,
            Method.NEGOTIATION: 2,
            Method.INVITED_TENDER: 3,
            Method.OPEN_TENDER: 3,
        }
    )
    # Days from publishing to the deadline. Enforced for requests subject to the tendering
    # law (never below the law's figure); for private requests only when
    # ``response_days_apply_to_all`` is set, otherwise they are the recommended period and a
    # private buyer may set any future deadline.
    minimum_response_days: dict[str, int] = field(
        default_factory=lambda: {
            Method.INQUIRY: 3,
            Method.NEGOTIATION: 3,
            Method.INVITED_TENDER: 20,
            Method.OPEN_TENDER: 20,
        }
    )
    # A change published later than this many days before the deadline moves the deadline
    # to this many days after the change (tenders: 招标投标法 art. 23; inquiry and
    # negotiation: 3 days, 政府采购非招标采购方式管理办法 art. 10, counted in calendar days).
    clarification_cutoff_days: dict[str, int] = field(
        default_factory=lambda: {
            Method.INQUIRY: 3,
            Method.NEGOTIATION: 3,
            Method.INVITED_TENDER: 15,
            Method.OPEN_TENDER: 15,
        }
    )
    # Winning candidates are shown publicly this many days before the award is final
    # (实施条例 art. 54).
    publicity_days: int = 3
    # Objections to the documents at least this many days before the deadline (实施条例
    # art. 22), answered within ``objection_answer_days``.
    objection_window_days: int = 10
    objection_answer_days: int = 3
    response_days_apply_to_all: bool = False
    # Invited tenders invite at least this many suppliers (招标投标法 art. 17).
    minimum_invitees: int = 3

    def minimum_quotes_for(self, method: str) -> int:
        return self.minimum_quotes[method]

    def response_days_for(self, method: str, *, subject_to_tendering_law: bool) -> int:
        days = self.minimum_response_days[method]
        if subject_to_tendering_law:
            days = max(days, LEGAL_MINIMUM_RESPONSE_DAYS.get(method, 0))
        return days

    def enforced_response_days(self, method: str, *, subject_to_tendering_law: bool) -> int:
        if subject_to_tendering_law or self.response_days_apply_to_all:
            return self.response_days_for(method, subject_to_tendering_law=subject_to_tendering_law)
        return 0

    def clarification_cutoff_for(self, method: str, *, subject_to_tendering_law: bool) -> int:
        days = self.clarification_cutoff_days[method]
        if subject_to_tendering_law:
            days = max(days, LEGAL_CLARIFICATION_CUTOFF_DAYS.get(method, 0))
        return days


def current_procurement_rules() -> ProcurementRules:
    overrides = dict(getattr(settings, "PROCUREMENT_RULES", {}) or {})
    rules = ProcurementRules()
    for name in ("minimum_quotes", "minimum_response_days", "clarification_cutoff_days"):
        if name in overrides:
            overrides[name] = {**getattr(rules, name), **overrides[name]}
    return replace(rules, **overrides)


def rules_table(rules: ProcurementRules | None = None) -> list[dict]:
    """One row per method, for the rules page and the API: what each method requires."""
    rules = rules or current_procurement_rules()
    return [
        {
            "method": method.value,
            "label": str(method.label),
            "minimum_quotes": rules.minimum_quotes_for(method),
            "minimum_response_days": rules.response_days_for(
                method, subject_to_tendering_law=False
            ),
            "legal_minimum_response_days": LEGAL_MINIMUM_RESPONSE_DAYS.get(method),
            "clarification_cutoff_days": rules.clarification_cutoff_for(
                method, subject_to_tendering_law=False
            ),
            "publicity_days": rules.publicity_days,
            "objection_window_days": rules.objection_window_days,
            "note": _("适用招标投标法的项目不得短于法定期限。") if method in TENDER_METHODS else "",
        }
        for method in Method
    ]
