"""The lease contract and its repayment schedule as a PDF (WeasyPrint, CJK font)."""

from __future__ import annotations

from django.utils import translation

from core.pdf import render_pdf
from leasing.models import LeaseContract

PDF_FONT_FAMILY = "Noto Sans CJK SC"


def contract_pdf(contract: LeaseContract, *, language: str | None = None) -> bytes:
    """Render the contract summary and full rent schedule; pure read, returns the bytes."""
    with translation.override(language or translation.get_language()):
        return render_pdf(
            "leasing/contract_pdf.html", {"contract": contract, "font_family": PDF_FONT_FAMILY}
        )
