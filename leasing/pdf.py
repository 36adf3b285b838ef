"""The lease contract and its repayment schedule as a PDF (WeasyPrint, CJK font)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from leasing.models import LeaseContract

PDF_FONT_FAMILY = "Noto Sans CJK SC"


def contract_pdf(contract: LeaseContract, *, language: str | None = None) -> bytes:
    """Render the contract summary and full rent schedule; pure read, returns the bytes."""
    from weasyprint import HTML  # heavy import, only when a PDF is asked for

    with translation.override(language or translation.get_language()):
        html = render_to_string(
            "leasing/contract_pdf.html",
            {"contract": contract, "font_family": PDF_FONT_FAMILY},
        )
    return HTML(string=html).write_pdf()
