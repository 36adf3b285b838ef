"""The one result shape both backends return."""

from dataclasses import dataclass, field
from typing import NamedTuple


class FacetValue(NamedTuple):
    value: str
    label: str
    count: int
    depth: int = 0


@dataclass(frozen=True)
class Hit:
    listing_id: int
    score: float | None = None
    highlights: dict[str, list[str]] = field(default_factory=dict)
    distance_km: float | None = None


@dataclass
class SearchResult:
    hits: list[Hit]
    total: int
    facets: dict[str, list[FacetValue]]
    page: int = 1
    page_size: int = 20
    notices: list[str] = field(default_factory=list)

    @property
    def listing_ids(self) -> list[int]:
        return [hit.listing_id for hit in self.hits]

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


@dataclass
class RawFacets:
    """Counts as the backends read them, before labels and the category roll-up."""

    terms: dict[str, dict[str, int]] = field(default_factory=dict)
    ranges: dict[str, dict[str, int]] = field(default_factory=dict)
    flags: dict[str, int] = field(default_factory=dict)


@dataclass
class Completions:
    """What the search box can complete to from the index: brands (slugs) and models (ids)
    that published listings have, in the backend's order."""

    brand_slugs: list[str] = field(default_factory=list)
    model_ids: list[int] = field(default_factory=list)
