"""Raw payloads (JSON bodies, query strings, forms) into engine inputs, errors per field.

Values that cannot be converted are passed to the engine unchanged so that its
validation reports them together with every other problem, in one response.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from leasing.engine import NON_FIELD_ERRORS, QuoteInput, QuoteValidationError, quote
from leasing.engine.quote import QuoteResult

REQUIRED_FIELDS = ("price", "down_payment", "term_months", "annual_rate", "method")
DECIMAL_FIELDS = (
    "price",
    "down_payment",
    "annual_rate",
    "deposit",
    "fee",
    "buyout_price",
    "balloon",
)
DEFAULTS: dict[str, object] = {
    "deposit": "0",
    "fee": "0",
    "buyout_price": "0",
    "balloon": "0",
    "timing": "arrears",
    "lease_type": "direct",
    "deposit_treatment": "returned",
}
NON_FIELD_KEY = "non_field_errors"


class PayloadError(Exception):
    def __init__(self, fields: dict[str, list[str]]) -> None:
        super().__init__(fields)
        self.fields = fields


def to_decimal(value: object) -> object:
    """Decimal for a number or a numeric string; anything else unchanged (reported later)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            return value
    return value


def to_int(value: object) -> object:
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return value


def engine_errors(exc: QuoteValidationError) -> dict[str, list[str]]:
    return {
        (NON_FIELD_KEY if key == NON_FIELD_ERRORS else key): list(value)
        for key, value in exc.errors.items()
    }


def quote_input_from_payload(payload: object) -> tuple[QuoteInput, set[str]]:
    """The QuoteInput for a quote-preview body and the set of required fields missing."""
    if not isinstance(payload, Mapping):
        raise PayloadError({NON_FIELD_KEY: [_("请求体必须是 JSON 对象。")]})
    missing = {name for name in REQUIRED_FIELDS if payload.get(name) in (None, "")}
    values = {**DEFAULTS, **{k: v for k, v in payload.items() if v not in (None, "")}}
    inp = QuoteInput(
        price=to_decimal(values.get("price")),
        down_payment=to_decimal(values.get("down_payment")),
        term_months=to_int(values.get("term_months")),
        annual_rate=to_decimal(values.get("annual_rate")),
        method=values.get("method"),
        timing=values.get("timing"),
        lease_type=values.get("lease_type"),
        deposit=to_decimal(values.get("deposit")),
        fee=to_decimal(values.get("fee")),
        buyout_price=to_decimal(values.get("buyout_price")),
        balloon=to_decimal(values.get("balloon")),
        deposit_treatment=values.get("deposit_treatment"),
    )
    return inp, missing


def quote_preview(payload: object) -> tuple[QuoteInput, QuoteResult]:
    """Price a raw payload or raise ``PayloadError`` with every field's problems.

    A missing required field reaches the engine as ``None``, which it always refuses, so
    the "required" message replaces the engine's one for exactly those fields.
    """
    inp, missing = quote_input_from_payload(payload)
    try:
        result = quote(inp, translate=_)
    except QuoteValidationError as exc:
        errors = engine_errors(exc)
        for name in missing:
            errors[name] = [_("该字段是必填项。")]
        raise PayloadError(errors) from exc
    return inp, result


def preview_dict(inp: QuoteInput, result: QuoteResult) -> dict[str, object]:
    """The quote-preview response: the engine's JSON view plus the upfront amounts."""
    body = result.to_dict()
    body.update(
        {
            "price": f"{inp.price:.2f}",
            "down_payment": f"{inp.down_payment:.2f}",
            "term_months": inp.term_months,
            "method": str(inp.method),
            "timing": str(inp.timing),
            "lease_type": str(inp.lease_type),
            "deposit": f"{inp.deposit:.2f}",
            "fee": f"{inp.fee:.2f}",
            "buyout_price": f"{inp.buyout_price:.2f}",
            "balloon": f"{inp.balloon:.2f}",
            "first_payment": f"{result.first_payment:.2f}",
            "last_payment": f"{result.last_payment:.2f}",
        }
    )
    return body
