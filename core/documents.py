"""Public documents: their numbers and their verification codes, for every app that issues one.

Numbers are ``IL-<prefix>-<year>-<six digits>`` (e.g. ``IL-RC-2026-000123``), drawn from a
per-prefix, per-year :class:`core.models.DocumentCounter` row locked for update, so two
documents issued at the same moment never share a number (the apps' unique number columns
are the backstop). The counter is the last row an issuing service locks (after the machine
and the document, see the lock order in marketplace.lock_objects), so taking a number never
waits while holding a lock another service needs first.

Verification codes are ``base32(HMAC-SHA256(secret, canonical JSON))[:20]`` with the secret
taken from ``settings.CERTIFICATE_SECRET`` (falling back to ``SECRET_KEY``). A code is never
stored: the public page recomputes it from the row as it is now, so a changed character, a row
altered after issue or an invented number all fail to verify. What a document certifies, its
canonical content, is the issuing app's business: each app describes its documents as a
:class:`DocumentKind` and lists it in ``settings.VERIFIABLE_DOCUMENTS``; core imports none of
them. The kind's prefix is part of the signed content, so a code never verifies another kind.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import hmac
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

CODE_LENGTH = 20
PREFIX_PATTERN = re.compile(r"^[A-Z]{2}$")
NUMBER_PATTERN = re.compile(r"^IL-(?P<prefix>[A-Z]{2})-\d{4}-\d{6}$")


@dataclass(frozen=True)
class DocumentKind:
    """One kind of public document, as its app registers it.

    ``model`` is ``"app_label.ModelName"`` (a row with ``number`` and ``status``); ``content``
    the dotted path of ``(document) -> dict`` giving what the code signs; ``statuses`` the
    statuses whose documents are public (revoked ones still resolve and say so), of which
    ``valid_statuses`` are the ones in force; ``template`` and ``pdf_template`` render the
    public page and its PDF.
    """

    prefix: str
    model: str
    content: str
    statuses: tuple[str, ...]
    valid_statuses: tuple[str, ...]
    template: str
    pdf_template: str

    def content_of(self, document: Any) -> dict[str, Any]:
        content: Callable[[Any], dict[str, Any]] = import_string(self.content)
        return {"kind": self.prefix, **content(document)}

    def published(self):
        """The kind's public documents, as a queryset of its model."""
        return apps.get_model(self.model).objects.filter(status__in=self.statuses)


@functools.cache
def document_kinds() -> dict[str, DocumentKind]:
    """The registered kinds by prefix, in the order of ``settings.VERIFIABLE_DOCUMENTS``."""
    kinds: dict[str, DocumentKind] = {}
    for path in settings.VERIFIABLE_DOCUMENTS:
        kind = import_string(path)
        if not PREFIX_PATTERN.match(kind.prefix):
            raise ImproperlyConfigured(f"{path}: a document prefix is two capital letters")
        if kind.prefix in kinds:
            raise ImproperlyConfigured(f"{path}: prefix {kind.prefix} is registered twice")
        kinds[kind.prefix] = kind
    return kinds


@receiver(setting_changed)
def _registry_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == "VERIFIABLE_DOCUMENTS":
        document_kinds.cache_clear()


# --- numbers ------------------------------------------------------------------------------------


def format_number(prefix: str, year: int, value: int) -> str:
    return f"IL-{prefix}-{year}-{value:06d}"


def next_document_number(*, prefix: str, year: int | None = None) -> str:
    """The next free number of ``prefix`` this year; the counter stays locked until commit."""
    from core.models import DocumentCounter

    year = year or timezone.localdate().year
    with transaction.atomic():
        DocumentCounter.objects.get_or_create(prefix=prefix, year=year)
        counter = DocumentCounter.objects.select_for_update(of=("self",)).get(
            prefix=prefix, year=year
        )
        counter.last_value += 1
        counter.save(update_fields=["last_value"])
    return format_number(prefix, year, counter.last_value)


# --- canonical content --------------------------------------------------------------------------


def decimal_text(value: Decimal | None, places: int) -> str | None:
    return None if value is None else f"{value:.{places}f}"


def instant_text(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(dt.UTC).replace(microsecond=0).isoformat()


def date_text(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def canonical_bytes(content: dict[str, Any]) -> bytes:
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


# --- codes --------------------------------------------------------------------------------------


def _secret() -> bytes:
    secret = settings.CERTIFICATE_SECRET or settings.SECRET_KEY
    if not secret:
        raise RuntimeError("CERTIFICATE_SECRET or SECRET_KEY must be set to sign certificates")
    return secret.encode("utf-8")


def code_for_content(content: dict[str, Any]) -> str:
    digest = hmac.new(_secret(), canonical_bytes(content), hashlib.sha256).digest()
    return base64.b32encode(digest).decode("ascii")[:CODE_LENGTH]


def kind_for_number(number: str) -> DocumentKind | None:
    match = NUMBER_PATTERN.match(number or "")
    return document_kinds().get(match.group("prefix")) if match else None


def document_content(document: Any) -> dict[str, Any]:
    kind = kind_for_number(document.number)
    if kind is None:
        raise ValueError(f"not a document number: {document.number!r}")
    return kind.content_of(document)


def verification_code(document: Any) -> str:
    """The code printed on the document and in its QR link."""
    return code_for_content(document_content(document))


def published_document(number: str) -> tuple[DocumentKind, Any] | None:
    """The public document with this number (whatever its code), else None."""
    kind = kind_for_number(number)
    if kind is None:
        return None
    document = kind.published().filter(number=number).first()
    return None if document is None else (kind, document)


def find_verified_document(number: str, code: str) -> tuple[DocumentKind, Any] | None:
    """The published document whose current content matches ``code``, else None."""
    if len(code) != CODE_LENGTH:
        return None
    found = published_document(number)
    if found is None:
        return None
    if not hmac.compare_digest(verification_code(found[1]).encode(), code.encode("utf-8")):
        return None
    return found


def verify_path(document: Any) -> str:
    """The public page of ``document`` (the ``verify`` URL namespace)."""
    return reverse(
        "verify:certificate",
        kwargs={"number": document.number, "code": verification_code(document)},
    )
