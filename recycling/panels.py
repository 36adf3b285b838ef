"""What the recycling app adds to listing pages (see core.panels): the owner's entry point
to request a disposal, after certification's badges."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from accounts.permissions import Permission, has_org_permission
from marketplace.models import Listing


def listing_panel(request: HttpRequest, listing: Listing) -> str:
    """The "request disposal" button for the owner's members; the service decides again."""
    machine = listing.machine
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or machine.is_scrapped:
        return ""
    if not has_org_permission(user, machine.owner, Permission.LISTING_MANAGE):
        return ""
    return render_to_string(
        "recycling/includes/listing_actions.html", {"machine": machine}, request=request
    )
