"""Reads of the leasing app, including the ones other apps call.

* ``organization_has_active_preapproval`` — trading waives auction deposits with it;
* ``listing_ids_with_financing`` — search's "financing available" facet;
* ``machine_lease_history`` — the machine passport's leases and encumbrances.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import Membership, Organization, User
from accounts.permissions import Permission, is_platform_staff, organizations_with_permission
from leasing.models import (
    ApplicationKind,
    ApplicationStatus,
    ContractStatus,
    LeaseApplication,
    LeaseContract,
    LeaseDocument,
    LeaseProduct,
)
from leasing.quoting import indicative_payments
from marketplace.models import Listing, Machine

PREAPPROVAL_USABLE_STATUSES = (ApplicationStatus.APPROVED, ApplicationStatus.ACCEPTED)


def organization_has_active_preapproval(organization: Organization) -> bool:
    """True when a lessor approved a finance pre-approval for this organization that is
    still valid (approved or accepted, ``valid_until`` today or later)."""
    if organization is None or organization.pk is None:
        return False
    return LeaseApplication.objects.filter(
        applicant=organization,
        kind=ApplicationKind.PREAPPROVAL,
        status__in=PREAPPROVAL_USABLE_STATUSES,
        valid_until__gte=timezone.localdate(),
    ).exists()


def listing_ids_with_financing(listing_ids: Iterable[int]) -> set[int]:
    """The listings among ``listing_ids`` that at least one active product can finance.

    A constant number of queries whatever the number of listings (listings, machines,
    products with categories and rate bands, the category tree).
    """
    ids = list(listing_ids)
    if not ids:
        return set()
    listings = list(Listing.objects.filter(pk__in=ids).only("pk", "machine_id", "asking_price"))
    return set(indicative_payments(listings))


@dataclass(frozen=True)
class LeaseHistoryEntry:
    """One lease of a machine as the passport shows it."""

    lessor_name: str
    lessee_name: str
    contract_number: str
    registry_reference: str
    start_date: dt.date
    end_date: dt.date
    status: str
    status_label: str
    released_at: dt.datetime | None

    @property
    def is_active(self) -> bool:
        return self.status == ContractStatus.ACTIVE


def machine_lease_history(machine: Machine) -> list[LeaseHistoryEntry]:
    """Every lease contract registered on ``machine``, newest first."""
    contracts = LeaseContract.objects.filter(machine=machine).select_related("lessor", "lessee")
    return [
        LeaseHistoryEntry(
            lessor_name=contract.lessor.name,
            lessee_name=contract.lessee.name,
            contract_number=contract.contract_number,
            registry_reference=contract.registry_reference,
            start_date=contract.start_date,
            end_date=contract.end_date,
            status=contract.status,
            status_label=contract.get_status_display(),
            released_at=contract.released_at,
        )
        for contract in contracts.order_by("-start_date", "-id")
    ]


# --- products -----------------------------------------------------------------------------


def product_list_public() -> QuerySet[LeaseProduct]:
    return (
        LeaseProduct.objects.active()
        .filter(lessor__kyc_status="verified")
        .select_related("lessor")
        .prefetch_related("categories", "rate_bands")
    )


def products_managed_by(user: User | None) -> QuerySet[LeaseProduct]:
    organizations = organizations_with_permission(user, Permission.LEASE_PRODUCT_MANAGE)
    return (
        LeaseProduct.objects.filter(lessor__in=organizations)
        .select_related("lessor")
        .prefetch_related("categories", "rate_bands")
    )


# --- applications -------------------------------------------------------------------------


def _member_org_ids(user: User | None) -> list[int]:
    if user is None or not user.is_authenticated:
        return []
    return list(Membership.objects.filter(user=user).values_list("organization_id", flat=True))


def applications_visible_to(user: User | None) -> QuerySet[LeaseApplication]:
    """Applications of the user's organizations and those addressed to them as lessor."""
    org_ids = _member_org_ids(user)
    return (
        LeaseApplication.objects.filter(Q(applicant_id__in=org_ids) | Q(lessor_id__in=org_ids))
        .select_related("applicant", "lessor", "product", "listing", "machine")
        .order_by("-submitted_at", "-id")
    )


def applications_of_applicant(user: User | None) -> QuerySet[LeaseApplication]:
    """The buyer's (or dealer's) own applications."""
    return applications_visible_to(user).filter(applicant_id__in=_member_org_ids(user))


def applications_for_review(user: User | None) -> QuerySet[LeaseApplication]:
    """Applications addressed to lessors in which the user may review."""
    organizations = organizations_with_permission(user, Permission.LEASE_APPLICATION_REVIEW)
    return applications_visible_to(user).filter(lessor__in=organizations)


def application_get_for_user(*, application_id: int, user: User | None) -> LeaseApplication | None:
    """The application if the user's organization applied or is its lessor, else None."""
    return (
        applications_visible_to(user)
        .prefetch_related("events__actor", "documents")
        .filter(pk=application_id)
        .first()
    )


def document_get_for_user(
    *, application_id: int, document_id: int, user: User | None
) -> LeaseDocument | None:
    """A KYC document for whoever may open its application page, and for platform staff.

    The applicant's members, the lessor's members (who review it) and staff; None otherwise,
    which views turn into a 404 so that a document's existence is not revealed.
    """
    documents = LeaseDocument.objects.filter(pk=document_id, application_id=application_id)
    if is_platform_staff(user):
        return documents.first()
    visible = applications_visible_to(user).filter(pk=application_id)
    return documents.filter(application__in=visible).first()


def contract_get_for_user(*, contract_id: int, user: User | None) -> LeaseContract | None:
    org_ids = _member_org_ids(user)
    return (
        LeaseContract.objects.filter(Q(lessor_id__in=org_ids) | Q(lessee_id__in=org_ids))
        .select_related("lessor", "lessee", "machine__brand", "machine__equipment_model")
        .filter(pk=contract_id)
        .first()
    )


def contracts_visible_to(user: User | None) -> QuerySet[LeaseContract]:
    org_ids = _member_org_ids(user)
    return LeaseContract.objects.filter(
        Q(lessor_id__in=org_ids) | Q(lessee_id__in=org_ids)
    ).select_related("lessor", "lessee", "machine__brand", "machine__equipment_model")
