"""Reads for the marketplace. Views and the API call these; they never filter ad hoc."""

from dataclasses import dataclass

from django.db.models import F, Prefetch, Q, QuerySet

from accounts.models import User
from marketplace.category_tree import category_descendant_ids
from marketplace.listing_query import ListingQuery, Sort
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


def _with_card_data(queryset: QuerySet[Listing]) -> QuerySet[Listing]:
    return queryset.select_related(
        "machine",
        "machine__brand",
        "machine__category__parent",
        "machine__equipment_model",
        "seller",
    ).prefetch_related(Prefetch("photos", queryset=ListingPhoto.objects.order_by("position", "id")))


# The listing query object's fields as lookups on the listing tables, for the live path
# (browse page, /api/listings/). ``category`` is resolved to its subtree first.
LIVE_LOOKUPS: dict[str, str] = {
    "brand": "machine__brand__slug",
    "model": "machine__equipment_model_id",
    "year_min": "machine__year_of_manufacture__gte",
    "year_max": "machine__year_of_manufacture__lte",
    "hours_min": "machine__current_hours__gte",
    "hours_max": "machine__current_hours__lte",
    "price_min": "asking_price__gte",
    "price_max": "asking_price__lte",
    "province": "machine__province",
    "city": "machine__city",
    "grade": "machine__condition_grade",
    "inspected": "machine__is_inspected",
    "certified": "machine__is_certified",
    "remanufactured": "machine__is_remanufactured",
    "sale_format": "sale_format",
    "seller_type": "seller__seller_type",
}
# Sorts the live path can do (the others fall back to newest first); ties newest first.
LIVE_SORTS = {
    Sort.PRICE_ASC: F("asking_price").asc(nulls_last=True),
    Sort.PRICE_DESC: F("asking_price").desc(nulls_last=True),
    Sort.YEAR_DESC: F("machine__year_of_manufacture").desc(nulls_last=True),
    Sort.HOURS_ASC: F("machine__current_hours").asc(nulls_last=True),
}


def _live_conditions(query: ListingQuery) -> dict[str, object]:
    default = ListingQuery()
    return {
        lookup: getattr(query, name)
        for name, lookup in LIVE_LOOKUPS.items()
        if getattr(query, name) not in (getattr(default, name), None, "")
    }


def listing_query_queryset(query: ListingQuery) -> QuerySet[Listing]:
    """Published listings matching the listing query object, live on the listing tables.

    The browse page and /api/listings/ read this, so a listing shows the moment it is
    published. The fields that need the search index (``listing_query.INDEX_ONLY_FIELDS``:
    text, distance, financing, auction close) are the search page's; every other field
    applies as search applies it. Newest first unless sorted by price, year or hours.
    """
    queryset = Listing.objects.published()
    if query.category:
        category = Category.objects.filter(slug=query.category).first()
        if category is None:
            return Listing.objects.none()
        queryset = queryset.filter(machine__category_id__in=category_descendant_ids(category))
    queryset = queryset.filter(**_live_conditions(query))
    first = [LIVE_SORTS[query.sort]] if query.sort in LIVE_SORTS else []
    return _with_card_data(queryset).order_by(*first, "-published_at", "-id")


def listings_with_card_data(listing_ids: list[int]) -> dict[int, Listing]:
    """The listings with what a listing card shows (machine, brand, photos, seller), by id."""
    return _with_card_data(Listing.objects.filter(pk__in=listing_ids)).in_bulk()


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
