"""Reads for the marketplace. Views and the API call these; they never filter ad hoc."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet

from accounts.models import User
from marketplace.category_tree import category_descendant_ids
from marketplace.models import (
    Category,
    EquipmentModel,
    HourMeterReading,
    Listing,
    ListingEvent,
    ListingPhoto,
    ListingStatus,
    MaintenanceRecord,
)


@dataclass(frozen=True)
class ListingFilters:
    category: str = ""
    brand: str = ""
    city: str = ""
    year_min: int | None = None
    year_max: int | None = None
    hours_min: int | None = None
    hours_max: int | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    sale_format: str = ""


def _with_card_data(queryset: QuerySet[Listing]) -> QuerySet[Listing]:
    return queryset.select_related(
        "machine", "machine__brand", "machine__category", "machine__equipment_model", "seller"
    ).prefetch_related(Prefetch("photos", queryset=ListingPhoto.objects.order_by("position", "id")))


def listing_search_orm(filters: ListingFilters) -> QuerySet[Listing]:
    """Published listings matching simple filters, newest first."""
    queryset = Listing.objects.published()
    if filters.category:
        category = Category.objects.filter(slug=filters.category).first()
        if category is None:
            return Listing.objects.none()
        queryset = queryset.filter(machine__category_id__in=category_descendant_ids(category))
    if filters.brand:
        queryset = queryset.filter(machine__brand__slug=filters.brand)
    if filters.city:
        queryset = queryset.filter(machine__city=filters.city)
    if filters.sale_format:
        queryset = queryset.filter(sale_format=filters.sale_format)
    ranges = {
        "machine__year_of_manufacture__gte": filters.year_min,
        "machine__year_of_manufacture__lte": filters.year_max,
        "machine__current_hours__gte": filters.hours_min,
        "machine__current_hours__lte": filters.hours_max,
        "asking_price__gte": filters.price_min,
        "asking_price__lte": filters.price_max,
    }
    queryset = queryset.filter(**{key: value for key, value in ranges.items() if value is not None})
    return _with_card_data(queryset).order_by("-published_at", "-id")


def listing_featured(*, limit: int = 8) -> list[Listing]:
    return list(
        _with_card_data(
            Listing.objects.published().filter(photos__isnull=False).distinct()
        ).order_by("-published_at", "-id")[:limit]
    )


def listing_visible_to(user: User | None) -> Q:
    """Published listings for everyone; every status for members of the seller organization."""
    visible = Q(status__in=[ListingStatus.PUBLISHED, ListingStatus.RESERVED, ListingStatus.SOLD])
    if user is not None and user.is_authenticated:
        if user.is_staff:
            return Q()
        visible |= Q(seller__memberships__user=user)
    return visible


def listing_detail_queryset(*, user: User | None) -> QuerySet[Listing]:
    """Listings the user may see, with everything the detail page and API show."""
    return (
        _with_card_data(Listing.objects.filter(listing_visible_to(user)))
        .prefetch_related(
            Prefetch(
                "machine__hour_readings",
                queryset=HourMeterReading.objects.for_history(),
            ),
            Prefetch(
                "machine__maintenance",
                queryset=MaintenanceRecord.objects.order_by("performed_on", "id"),
            ),
            "events",
        )
        .distinct()
    )


def listing_get_for_user(*, listing_id: int, user: User | None) -> Listing | None:
    return listing_detail_queryset(user=user).filter(pk=listing_id).first()


def listings_of_user_organizations(user: User) -> QuerySet[Listing]:
    return _with_card_data(
        Listing.objects.filter(seller__memberships__user=user).distinct()
    ).order_by("-updated_at", "-id")


def listings_pending_moderation() -> QuerySet[Listing]:
    return _with_card_data(Listing.objects.filter(status=ListingStatus.SUBMITTED)).order_by(
        "submitted_at", "id"
    )


def category_roots() -> QuerySet[Category]:
    return Category.objects.filter(parent__isnull=True).prefetch_related("children")


@dataclass(frozen=True)
class CategoryOption:
    category: Category
    depth: int


def category_tree() -> list[CategoryOption]:
    """Every category depth-first with its depth, from one query (for pickers and filters)."""
    categories = list(Category.objects.order_by("position", "id"))
    children: dict[int | None, list[Category]] = {}
    for category in categories:
        children.setdefault(category.parent_id, []).append(category)
    ordered: list[CategoryOption] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for category in children.get(parent_id, []):
            ordered.append(CategoryOption(category, depth))
            walk(category.pk, depth + 1)

    walk(None, 0)
    return ordered


def listing_get_for_member(*, listing_id: int, user: User | None) -> Listing | None:
    """A listing of one of the user's organizations (any role), in any status.

    Used by the seller's management pages: another organization's listing is "not found".
    """
    if user is None or not user.is_authenticated:
        return None
    return (
        _with_card_data(Listing.objects.filter(seller__memberships__user=user))
        .prefetch_related(
            Prefetch(
                "machine__hour_readings",
                queryset=HourMeterReading.objects.for_history(),
            ),
            Prefetch("events", queryset=ListingEvent.objects.select_related("actor")),
        )
        .filter(pk=listing_id)
        .distinct()
        .first()
    )


def equipment_models_for_picker() -> QuerySet[EquipmentModel]:
    return EquipmentModel.objects.select_related("brand", "category").order_by(
        "brand__name", "category__position", "category__id", "name"
    )
