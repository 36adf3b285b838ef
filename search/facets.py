"""Facet definitions and the labelling shared by both backends.

Facets are counted over the current result set (every active filter applies), so each count is
exactly the number of results that choosing that value would give.
"""

from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.models import SellerType
from core.geo import place_name
from marketplace.models import Brand, ConditionGrade, SaleFormat
from search import catalogue
from search.entries import CategoryTree
from search.results import FacetValue, RawFacets

# name -> list of (min inclusive, max inclusive) ; None = open.
YEAR_BUCKETS = [(None, 2011), (2012, 2015), (2016, 2018), (2019, 2021), (2022, None)]
HOURS_BUCKETS = [(None, 1999), (2000, 4999), (5000, 9999), (10000, None)]
PRICE_BUCKETS = [
    (None, Decimal("99999.99")),
    (Decimal("100000"), Decimal("299999.99")),
    (Decimal("300000"), Decimal("599999.99")),
    (Decimal("600000"), Decimal("999999.99")),
    (Decimal("1000000"), None),
]
RANGE_FIELDS = {"year": YEAR_BUCKETS, "hours": HOURS_BUCKETS, "price": PRICE_BUCKETS}
DISTANCE_BUCKETS_KM = [25, 50, 100, 200]
FLAGS = ("inspected", "certified", "remanufactured", "financing")
TERM_FACETS = ("category", "brand", "model", "province", "city", "grade", "sale_format")
TERM_FACETS += ("seller_type",)


def range_key(bounds: tuple) -> str:
    low, high = bounds
    return f"{'' if low is None else low}:{'' if high is None else high}"


def _range_bound(name: str, value) -> str:
    if name == "price":
        return f"¥{int(value / 1000)}k" if _english() else f"{int(value / 10000)}万元"
    if name == "hours":
        return f"{value:,} h" if _english() else f"{value}小时"
    return str(value)


def _range_label(name: str, bounds: tuple) -> str:
    low, high = bounds
    if high is not None and name != "year":  # inclusive upper bounds 4999 / 99999.99 shown as 5000
        high = high + (Decimal("0.01") if name == "price" else 1)
    if low is None:
        return _("%(value)s以下") % {"value": _range_bound(name, high)}
    if high is None:
        return _("%(value)s及以上") % {"value": _range_bound(name, low)}
    return f"{_range_bound(name, low)}–{_range_bound(name, high)}"


def _flag_labels() -> dict[str, str]:
    return {
        "inspected": _("已检测"),
        "certified": _("已认证"),
        "remanufactured": _("再制造"),
        "financing": _("可融资租赁"),
    }


def _english() -> bool:
    return (get_language() or "").startswith("en")


def _category_facet(counts: dict[str, int], tree: CategoryTree) -> list[FacetValue]:
    totals: dict[int, int] = {}
    for category_id, count in counts.items():
        for node in tree.ancestors(int(category_id)):
            totals[node.pk] = totals.get(node.pk, 0) + count
    values: list[FacetValue] = []

    def walk(parent_id: int | None, depth: int) -> None:
        children = [n for n in tree.nodes.values() if n.parent_id == parent_id and n.pk in totals]
        for node in sorted(children, key=lambda n: (n.position, n.pk)):
            values.append(FacetValue(node.slug, node.display_name, totals[node.pk], depth))
            walk(node.pk, depth + 1)

    walk(None, 0)
    return values


def _sorted_terms(counts: dict[str, int], labels: dict[str, str]) -> list[FacetValue]:
    items = [(value, labels.get(value, value), count) for value, count in counts.items() if count]
    items.sort(key=lambda item: (-item[2], item[1]))
    return [FacetValue(value, label, count) for value, label, count in items]


def _term_labels(name: str, values: list[str]) -> dict[str, str]:
    if name == "brand":
        brands = _brands()
        return {value: brands[value].display_name for value in values if value in brands}
    if name == "model":
        from search.resolve import model_labels

        models, brands = model_labels(), {b.pk: b for b in _brands().values()}
        labels = {}
        for value in values:
            brand_id, model_name = models.get(int(value), (None, value))
            brand = brands.get(brand_id)
            labels[value] = f"{brand.display_name} {model_name}" if brand else model_name
        return labels
    if name in ("city", "province") and _english():
        return {value: place_name(value, "en") for value in values}
    choices = {
        "grade": ConditionGrade,
        "sale_format": SaleFormat,
        "seller_type": SellerType,
    }.get(name)
    return {value: str(choices(value).label) for value in values} if choices else {}


def _brands() -> dict[str, Brand]:
    return catalogue.cached("brands", lambda: {b.slug: b for b in Brand.objects.all()})


def build_facets(raw: RawFacets, tree: CategoryTree) -> dict[str, list[FacetValue]]:
    facets: dict[str, list[FacetValue]] = {}
    for name in TERM_FACETS:
        counts = {k: v for k, v in raw.terms.get(name, {}).items() if k not in ("", None)}
        if name == "category":
            facets[name] = _category_facet(counts, tree)
        else:
            facets[name] = _sorted_terms(counts, _term_labels(name, list(counts)))
    flag_labels = _flag_labels()
    facets["features"] = [
        FacetValue(flag, flag_labels[flag], raw.flags.get(flag, 0))
        for flag in FLAGS
        if raw.flags.get(flag, 0)
    ]
    for name, buckets in RANGE_FIELDS.items():
        counts = raw.ranges.get(name, {})
        facets[name] = [
            FacetValue(range_key(b), _range_label(name, b), counts.get(range_key(b), 0))
            for b in buckets
            if counts.get(range_key(b), 0)
        ]
    if "distance" in raw.ranges:
        facets["distance"] = [
            FacetValue(str(km), _("%(km)s 公里内") % {"km": km}, raw.ranges["distance"][str(km)])
            for km in DISTANCE_BUCKETS_KM
            if raw.ranges["distance"].get(str(km))
        ]
    return facets
