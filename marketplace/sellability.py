"""One answer to "may this machine be sold now?", asked by every step that leads to a sale.

Publishing, reserving, putting to auction, bidding, buying now, accepting an offer and
creating an order all ask :func:`machine_sale_block` (or :func:`listing_sale_block`, which
adds the listing's own state), so a machine under a registered finance lease is refused when
the buyer clicks, not after the money has arrived. The listing page shows the same reason.

A later step may clear a lease inside the deal (the lessor is paid off from the price); until
then an encumbered machine is simply not for sale.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _

from core.errors import ConflictError
from marketplace.models import Listing, ListingStatus, Machine


class SaleBlockReason(StrEnum):
    ENCUMBERED = "machine_encumbered"
    SCRAPPED = "machine_scrapped"
    RESERVED = "listing_reserved"
    SOLD = "listing_sold"


@dataclass(frozen=True)
class SaleBlock:
    reason: SaleBlockReason
    message: str

    def raise_error(self) -> None:
        raise ConflictError(self.message, code=self.reason.value)


def _message(reason: SaleBlockReason) -> str:
    return {
        SaleBlockReason.ENCUMBERED: _(
            "该设备存在未解除的融资租赁登记（中登网），登记解除前不能出售。"
        ),
        SaleBlockReason.SCRAPPED: _("该设备已报废，不能出售。"),
        SaleBlockReason.RESERVED: _("该设备已被预订，正在等待付款。"),
        SaleBlockReason.SOLD: _("该设备已售出。"),
    }[reason]


def _block(reason: SaleBlockReason) -> SaleBlock:
    return SaleBlock(reason=reason, message=_message(reason))


def machine_sale_block(machine: Machine) -> SaleBlock | None:
    """Why the machine itself cannot be sold (scrapped, encumbered), or None."""
    if machine.is_scrapped:
        return _block(SaleBlockReason.SCRAPPED)
    if machine.is_encumbered:
        return _block(SaleBlockReason.ENCUMBERED)
    return None


def listing_sale_block(listing: Listing, *, machine: Machine | None = None) -> SaleBlock | None:
    """The machine's block, else the listing's: reserved by an open order, or sold."""
    block = machine_sale_block(machine or listing.machine)
    if block is not None:
        return block
    if listing.status == ListingStatus.RESERVED:
        return _block(SaleBlockReason.RESERVED)
    if listing.status == ListingStatus.SOLD:
        return _block(SaleBlockReason.SOLD)
    return None


def require_machine_sellable(machine: Machine) -> None:
    """Raise the block as a ConflictError (code = the reason), for services."""
    block = machine_sale_block(machine)
    if block is not None:
        block.raise_error()


def require_listing_sellable(listing: Listing, *, machine: Machine | None = None) -> None:
    block = listing_sale_block(listing, machine=machine)
    if block is not None:
        block.raise_error()
