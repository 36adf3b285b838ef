"""The payment kinds registry (payments.kinds): every purpose has a kind, and payments does
not import the apps whose subjects it is paid for."""

import ast
from pathlib import Path

import pytest

from payments.kinds import PaymentKind, UnknownPaymentKindError, payment_kind
from payments.models import Payment, PaymentPurpose

PAYMENTS_DIR = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("purpose", PaymentPurpose.values)
def test_every_purpose_has_a_kind_naming_a_payment_foreign_key(purpose):
    kind = payment_kind(purpose)
    assert isinstance(kind, PaymentKind)
    assert kind.purpose == purpose
    field = Payment._meta.get_field(kind.subject_field)
    assert field.many_to_one


def test_an_unregistered_purpose_is_a_configuration_error(settings):
    settings.PAYMENT_KINDS = {}
    with pytest.raises(UnknownPaymentKindError):
        payment_kind(PaymentPurpose.ORDER)


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_payments_code_imports_no_trading_module_even_inside_functions():
    sources = [p for p in PAYMENTS_DIR.rglob("*.py") if "tests" not in p.parts]
    assert len(sources) > 10
    importing = {
        str(path.relative_to(PAYMENTS_DIR)): sorted(
            name for name in _imported_modules(path) if name.split(".")[0] == "trading"
        )
        for path in sources
    }
    assert {path: names for path, names in importing.items() if names} == {}
