"""Certification's document number prefixes; the numbers come from core.documents."""

from certification.documents import REMAN_CERTIFICATE_PREFIX, REPORT_PREFIX
from core.documents import format_number, next_document_number

__all__ = ["REMAN_CERTIFICATE_PREFIX", "REPORT_PREFIX", "format_number", "next_document_number"]
