"""The title a listing is shown under, in the viewer's language.

The stored ``Listing.title`` is what the seller typed (Chinese on this platform). In English
the title is composed from the catalogue instead: year of manufacture, the brand's English
name, the model and the category, e.g. "2019 SANY SY215C Excavator". Cards, the listing
page, order pages and notifications in a known language all use :func:`listing_title` (or
``Listing.display_title``), so one listing never carries two names on one page.
"""

from django.utils.translation import get_language


def _singular(name: str) -> str:
    """Category names are plural ("Wheel loaders"); a title names one machine."""
    return name[:-1] if name.endswith("s") and not name.endswith("ss") else name


def listing_title(listing: object, language: str | None = None) -> str:
    language = language or get_language() or ""
    if not language.startswith("en"):
        return listing.title
    machine = listing.machine
    brand = machine.brand
    root = machine.category.root
    parts = [
        str(machine.year_of_manufacture) if machine.year_of_manufacture else "",
        brand.name_en or brand.name,
        machine.equipment_model.name,
        _singular(root.name_en) if root.name_en else "",
    ]
    return " ".join(part for part in parts if part)
