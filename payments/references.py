"""Bank transfer references ("转账附言"): the code a payer quotes so staff can match a
transfer to what it pays. Payments owns them; a subject that shows one before any payment
exists (an order's page) takes it from here."""

import secrets


def bank_reference_new() -> str:
    """A fresh reference: "IL" and ten hex digits (uniqueness is the columns' constraint)."""
    return "IL" + secrets.token_hex(5).upper()
