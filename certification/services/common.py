"""Rules shared by the certification services: who may write, independence, audit rows."""

from django.utils.translation import gettext as _

from accounts.models import Organization, User
from accounts.permissions import Permission, require_org_permission
from certification.models import CertificateStatus, CertificationEvent, RemanCertificate
from core.errors import ConflictError, PermissionDeniedError
from marketplace.events import listing_changed
from marketplace.models import Machine


def require_inspector(actor: User | None, certifier: Organization, permission: Permission) -> None:
    """Only members of a certifier organization with the inspector role pass."""
    require_org_permission(actor, certifier, permission)


def ensure_independent(*, certifier: Organization, machine: Machine) -> None:
    """A certifier may not certify a machine its own organization owns or is selling."""
    if machine.owner_id == certifier.pk:
        raise PermissionDeniedError(
            _("检测机构不能检测或认证本机构拥有的设备。"), code="conflict_of_interest"
        )
    if machine.listings.live().filter(seller=certifier).exists():
        raise PermissionDeniedError(
            _("检测机构不能检测或认证本机构正在出售的设备。"), code="conflict_of_interest"
        )


def ensure_not_scrapped(machine: Machine) -> None:
    if machine.is_scrapped:
        raise ConflictError(_("该设备已报废。"), code="machine_scrapped")


def record_event(*, action: str, actor: User | None, note: str = "", **target: object) -> None:
    CertificationEvent.objects.create(action=action, actor=actor, note=note, **target)


def machine_listings_changed(machine: Machine) -> None:
    for listing_id in machine.listings.live().values_list("id", flat=True):
        listing_changed(listing_id)


def machine_certificate_flags_refresh(machine: Machine) -> None:
    """Project the machine's valid remanufacturing certificates onto its listing flags."""
    has_valid = RemanCertificate.objects.filter(
        machine=machine, status=CertificateStatus.ISSUED
    ).exists()
    machine.is_remanufactured = has_valid
    machine.is_certified = has_valid
    machine.save(update_fields=["is_remanufactured", "is_certified"])
    machine_listings_changed(machine)
