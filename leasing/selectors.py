"""Reads of the leasing app used by other apps."""

from accounts.models import Organization


def organization_has_active_preapproval(organization: Organization) -> bool:
    """True when a lessor has approved a finance pre-approval for this organization that is
    still valid; trading uses it to waive auction deposits.

    Lease applications are not modelled yet, so no organization has one.
    """
    return False
