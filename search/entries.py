"""What search knows about a listing, computed once for both backends."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from core.geo import find_city
from marketplace.category_tree import category_child_map, category_closure
from marketplace.models import Category, Listing, ListingStatus, SaleFormat
from search import enrichers
from search.text import index_tokens, normalise, normalise_code

MAX_VALUE_RATIO = Decimal("9999.9999")  # ListingSearchEntry.value_ratio: max_digits=8, 4 places


@dataclass
class CategoryTree:
    """The whole (small) category tree in memory: names per node and ancestor chains."""

    nodes: dict[int, Category]

    @classmethod
    def load(cls) -> "CategoryTree":
        return cls({category.pk: category for category in Category.objects.all()})

    @classmethod
    def cached(cls) -> "CategoryTree":
        from search import catalogue

        return catalogue.cached("category_tree", cls.load)

    def ancestors(self, category_id: int) -> list[Category]:
        """The node and its ancestors, root last."""
        chain: list[Category] = []
        node = self.nodes.get(category_id)
        while node is not None and len(chain) < 20:
            chain.append(node)
            node = self.nodes.get(node.parent_id) if node.parent_id else None
        return chain

    def descendants(self, category_id: int) -> list[int]:
        """The node and every node below it (marketplace's closure rule, no query)."""
        rows = sorted((node.pk, node.parent_id) for node in self.nodes.values())
        return category_closure([category_id], category_child_map(rows))

    def by_slug(self, slug: str) -> Category | None:
        return next((node for node in self.nodes.values() if node.slug == slug), None)


def entry_listings(listing_ids: Iterable[int] | None = None) -> QuerySet[Listing]:
    queryset = Listing.objects.filter(status=ListingStatus.PUBLISHED).select_related(
        "machine", "machine__brand", "machine__equipment_model", "seller"
    )
    if listing_ids is not None:
        queryset = queryset.filter(pk__in=list(listing_ids))
    return queryset.order_by("pk")


def _closes_at(listing: Listing, auction_ends: dict | None):
    if listing.sale_format != SaleFormat.AUCTION:
        return None
    if auction_ends is not None and listing.pk in auction_ends:
        return auction_ends[listing.pk]
    return listing.expires_at


def _value_ratio(listing: Listing, valuations: dict | None) -> Decimal | None:
    valuation = (valuations or {}).get(listing.pk)
    if not valuation or not listing.asking_price:
        return None
    ratio = (listing.asking_price / Decimal(valuation)).quantize(Decimal("0.0001"))
    # The column holds 9999.9999 at most: a price thousands of times its valuation (a wrong
    # valuation) sorts last among the valued listings instead of failing the index write.
    return min(ratio, MAX_VALUE_RATIO)


def build_entries(listings: list[Listing], tree: CategoryTree) -> Iterator[dict]:
    """One flat dict per listing; keys are ListingSearchEntry fields (ES adds a few)."""
    ids = [listing.pk for listing in listings]
    financing = enrichers.financing_available(ids) or set()
    valuations = enrichers.latest_valuations(ids)
    auction_ends = enrichers.auction_end_times(ids)
    for listing in listings:
        machine = listing.machine
        model = machine.equipment_model
        brand = machine.brand
        categories = tree.ancestors(machine.category_id)
        category_words = [name for node in categories for name in (node.name, node.name_en)]
        codes = [model.name, model.base_model]
        city = find_city(machine.city) if machine.city else None
        city_en = city.name_en if city is not None else ""
        text_parts = [
            listing.title,
            brand.name,
            brand.name_en,
            *category_words,
            *codes,
            *(normalise_code(code) for code in codes if code),
            machine.province,
            machine.city,
            city_en,
            machine.district,
            listing.description,
            listing.attachments,
        ]
        search_text = normalise(" ".join(part for part in text_parts if part))
        yield {
            "listing_id": listing.pk,
            "category_id": machine.category_id,
            "category_path": [node.pk for node in categories],
            "category_names": " ".join(name for name in category_words if name),
            "brand_id": brand.pk,
            "brand_slug": brand.slug,
            "brand_names": " ".join(filter(None, [brand.name, brand.name_en, brand.slug])),
            "equipment_model_id": model.pk,
            "model_codes": [code for code in codes if code],
            "title": listing.title,
            "description": listing.description,
            "year": machine.year_of_manufacture,
            "hours": machine.current_hours,
            "price": listing.asking_price,
            "weight_t": model.operating_weight_t,
            "province": machine.province,
            "city": machine.city,
            "city_en": city_en,
            "latitude": float(machine.latitude) if machine.latitude is not None else None,
            "longitude": float(machine.longitude) if machine.longitude is not None else None,
            "condition_grade": machine.condition_grade,
            "is_inspected": machine.is_inspected,
            "is_certified": machine.is_certified,
            "is_remanufactured": machine.is_remanufactured,
            "has_financing": listing.pk in financing,
            "sale_format": listing.sale_format,
            "seller_type": listing.seller.seller_type,
            "published_at": listing.published_at,
            "closes_at": _closes_at(listing, auction_ends),
            "value_ratio": _value_ratio(listing, valuations),
            "search_text": search_text,
            # Database backend on PostgreSQL: the words stored as token ids.
            "index_words": list(dict.fromkeys(index_tokens(search_text))),
            "title_words": list(dict.fromkeys(index_tokens(listing.title))),
        }
