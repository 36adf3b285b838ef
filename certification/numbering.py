"""Public document numbers: ``IL-<prefix>-<year>-<six digits>``, e.g. ``IL-RC-2026-000123``.

Numbers come from a per-prefix, per-year counter row locked with ``select_for_update``, so two
documents issued at the same moment never share a number (the unique column is the backstop).
"""

from django.db import transaction
from django.utils import timezone

from certification.models import DocumentCounter

REPORT_PREFIX = "IR"
REMAN_CERTIFICATE_PREFIX = "RC"
DISPOSAL_CERTIFICATE_PREFIX = "DC"


def format_number(prefix: str, year: int, value: int) -> str:
    return f"IL-{prefix}-{year}-{value:06d}"


def next_document_number(*, prefix: str, year: int | None = None) -> str:
    year = year or timezone.localdate().year
    with transaction.atomic():
        DocumentCounter.objects.get_or_create(prefix=prefix, year=year)
        counter = DocumentCounter.objects.select_for_update().get(prefix=prefix, year=year)
        counter.last_value += 1
        counter.save(update_fields=["last_value"])
    return format_number(prefix, year, counter.last_value)
