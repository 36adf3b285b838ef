"""core.documents: the registry of public document kinds, numbering and the code derivation."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings

from core import documents
from core.documents import (
    DocumentKind,
    code_for_content,
    document_kinds,
    find_verified_document,
    kind_for_number,
    next_document_number,
    verification_code,
)
from core.models import DocumentCounter

TEST_KIND = DocumentKind(
    prefix="TT",
    model="core.DocumentCounter",
    content="core.tests.test_document_registry.content_of_test_document",
    statuses=("issued",),
    valid_statuses=("issued",),
    template="t.html",
    pdf_template="t_pdf.html",
)
SAME_PREFIX = DocumentKind(**{**TEST_KIND.__dict__, "model": "core.Other"})
BAD_PREFIX = DocumentKind(**{**TEST_KIND.__dict__, "prefix": "T1"})


def content_of_test_document(document) -> dict:
    return {"number": document.number, "value": document.value}


def test_registry_holds_each_apps_kinds_in_settings_order():
    assert list(document_kinds()) == ["RC", "IR", "DC"]
    assert document_kinds()["DC"].model == "recycling.DisposalCertificate"
    assert document_kinds()["IR"].model == "certification.InspectionReport"
    assert kind_for_number("IL-DC-2026-000001") is document_kinds()["DC"]
    assert kind_for_number("IL-XX-2026-000001") is None
    assert kind_for_number("IL-DC-26-1") is None


def test_registry_follows_the_setting():
    with override_settings(VERIFIABLE_DOCUMENTS=["core.tests.test_document_registry.TEST_KIND"]):
        assert document_kinds() == {"TT": TEST_KIND}
        document = SimpleNamespace(number="IL-TT-2026-000003", value="7")
        assert documents.document_content(document) == {
            "kind": "TT",
            "number": "IL-TT-2026-000003",
            "value": "7",
        }
    assert list(document_kinds()) == ["RC", "IR", "DC"]


@pytest.mark.parametrize(
    ("paths", "message"),
    [
        (["TEST_KIND", "SAME_PREFIX"], "prefix TT is registered twice"),
        (["BAD_PREFIX"], "a document prefix is two capital letters"),
    ],
)
def test_registry_refuses_an_ambiguous_prefix(paths, message):
    dotted = [f"core.tests.test_document_registry.{name}" for name in paths]
    with (
        override_settings(VERIFIABLE_DOCUMENTS=dotted),
        pytest.raises(ImproperlyConfigured, match=message),
    ):
        document_kinds()


@override_settings(CERTIFICATE_SECRET="fixed-test-secret")
def test_code_derivation_is_unchanged_from_the_certification_era():
    """The literal was computed by certification.verification before the move: printed codes
    must go on verifying."""
    content = {"kind": "DC", "number": "IL-DC-2026-000007", "rate": "92.30", "机器": "挖掘机"}
    assert code_for_content(content) == "LUU6CUQYJR7AIKZYR2OW"


@override_settings(CERTIFICATE_SECRET="fixed-test-secret")
def test_the_kind_is_signed_so_a_code_never_verifies_another_kind():
    with override_settings(VERIFIABLE_DOCUMENTS=["core.tests.test_document_registry.TEST_KIND"]):
        document = SimpleNamespace(number="IL-TT-2026-000003", value="7")
        assert verification_code(document) == code_for_content(
            {"kind": "TT", "number": "IL-TT-2026-000003", "value": "7"}
        )
        assert verification_code(document) != code_for_content(
            {"number": "IL-TT-2026-000003", "value": "7"}
        )


@pytest.mark.django_db
def test_numbers_count_per_prefix_and_year():
    assert next_document_number(prefix="ZZ", year=2026) == "IL-ZZ-2026-000001"
    assert next_document_number(prefix="ZZ", year=2026) == "IL-ZZ-2026-000002"
    assert next_document_number(prefix="ZZ", year=2027) == "IL-ZZ-2027-000001"
    assert next_document_number(prefix="YY", year=2026) == "IL-YY-2026-000001"
    counters = DocumentCounter.objects.order_by("prefix", "year")
    assert [(c.prefix, c.year, c.last_value) for c in counters] == [
        ("YY", 2026, 1),
        ("ZZ", 2026, 2),
        ("ZZ", 2027, 1),
    ]


@pytest.mark.django_db
def test_unknown_number_or_short_code_finds_nothing():
    assert find_verified_document("IL-XX-2026-000001", "A" * 20) is None
    assert find_verified_document("IL-DC-2026-000001", "A" * 19) is None
    assert find_verified_document("IL-DC-2026-000001", "A" * 20) is None


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_counter_move_keeps_rows_forward_and_back():
    """Certification 0005 / core 0001 move the model in state only: the table and its rows
    stay, and migrating back gives certification the same counter again."""
    before = [("certification", "0004_private_inspection_photos"), ("core", None)]
    after = [("certification", "0005_document_counter_to_core")]
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(before)
        executor.loader.build_graph()
        old_state = executor.loader.project_state(before[:1])
        old_counter = old_state.apps.get_model("certification", "DocumentCounter")
        old_counter.objects.create(prefix="QQ", year=2026, last_value=41)

        executor.migrate(after)
        executor.loader.build_graph()
        assert next_document_number(prefix="QQ", year=2026) == "IL-QQ-2026-000042"

        executor.migrate(before)
        executor.loader.build_graph()
        old_counter = executor.loader.project_state(before[:1]).apps.get_model(
            "certification", "DocumentCounter"
        )
        assert old_counter.objects.get(prefix="QQ", year=2026).last_value == 42
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
