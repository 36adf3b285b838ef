"""Turn a SearchQuery into backend-neutral conditions (catalogue look-ups happen here)."""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from core.geo import CITIES, City
from marketplace.models import Brand, EquipmentModel
from search import catalogue, synonyms
from search.entries import CategoryTree
from search.query import SearchQuery, SearchValidationError
from search.text import CJK, TextPlan, Vocabulary, analyse, normalise

_CJK_NAME = re.compile(f"[{CJK}]+")


@dataclass(frozen=True)
class ResolvedQuery:
    query: SearchQuery
    plan: TextPlan
    tree: CategoryTree
    category_ids: tuple[int, ...] | None = None
    brand_id: int | None = None
    near_city: City | None = None
    restrict_ids: tuple[int, ...] | None = None

    @property
    def hours_max(self) -> int | None:
        limits = [v for v in (self.query.hours_max, self.plan.hours_max) if v is not None]
        return min(limits) if limits else None

    @property
    def weight_range(self) -> tuple[Decimal | None, Decimal | None]:
        return self.plan.weight_min, self.plan.weight_max


def model_labels() -> dict[int, tuple[int, str]]:
    """Model id -> (brand id, model name) for every model (a few thousand at most)."""
    return catalogue.cached(
        "models",
        lambda: {
            pk: (brand_id, name)
            for pk, brand_id, name in EquipmentModel.objects.values_list("pk", "brand_id", "name")
        },
    )


def _english_forms(name_en: str) -> set[str]:
    """The head word of an English category name, plural and singular: "Wheel loaders (<12 t)"
    -> {"loaders", "loader"}; the whole name too when it is one word."""
    words = re.findall(r"[a-z][a-z-]*", normalise(re.sub(r"\(.*?\)", " ", name_en or "")))
    if not words:
        return set()
    head = words[-1]
    forms = {head}
    if head.endswith("es") and head[:-2].endswith(("sh", "ch", "x", "s")):
        forms.add(head[:-2])
    elif head.endswith("s") and not head.endswith("ss"):
        forms.add(head[:-1])
    return forms


def _chinese_name(name: str) -> str:
    """The leading Chinese run of a category name: "小型挖掘机（6–13吨）" -> "小型挖掘机"."""
    match = _CJK_NAME.search(normalise(name))
    return match.group(0) if match else ""


def _shortest_covering(names: set[str]) -> tuple[str, ...]:
    """Drop names that contain another of the names (a substring match finds them anyway)."""
    kept = [n for n in names if not any(o != n and o in n for o in names)]
    return tuple(sorted(kept))


def english_words(tree: CategoryTree) -> dict[str, tuple[str, ...]]:
    """English words of the catalogue -> its Chinese names: category head words (from
    Category.name_en) and the cities and provinces of core.geo."""
    found: dict[str, set[str]] = {}
    for node in tree.nodes.values():
        chinese = _chinese_name(node.name)
        if chinese:
            for form in _english_forms(node.name_en):
                found.setdefault(form, set()).add(chinese)
    for city in CITIES:
        found.setdefault(normalise(city.name_en), set()).add(city.name.removesuffix("市"))
    found.setdefault("hunan", set()).add("湖南")
    return {word: _shortest_covering(names) for word, names in found.items()}


def load_vocabulary(tree: CategoryTree) -> Vocabulary:
    table = synonyms.load()
    vocabulary = Vocabulary(
        english=english_words(tree),
        synonyms=dict(table.expansions),
        stopwords=table.stopwords,
    )
    vocabulary.words.update(word for word in table.words if len(word) > 1)
    for brand in Brand.objects.only("name", "name_en", "slug"):
        vocabulary.words.update(normalise(w) for w in (brand.name, brand.name_en) if w)
        for word in (brand.name_en, brand.slug):
            if word and word.isascii():
                vocabulary.brand_names[normalise(word)] = normalise(word)
    for node in tree.nodes.values():
        vocabulary.words.update(normalise(w) for w in (node.name, node.name_en) if w)
    for city in CITIES:
        vocabulary.words.update({city.name, city.name.removesuffix("市"), city.province})
        vocabulary.words.add(city.province.removesuffix("省"))
    return vocabulary


def brand_ids_by_slug() -> dict[str, int]:
    return catalogue.cached("brand_ids", lambda: dict(Brand.objects.values_list("slug", "pk")))


def resolve(query: SearchQuery, *, restrict_ids: list[int] | None = None) -> ResolvedQuery:
    tree = CategoryTree.cached()
    errors: dict[str, list[str]] = {}
    category_ids = brand_id = None
    if query.category:
        category = tree.by_slug(query.category)
        if category is None:
            errors["category"] = [_("未知类别。")]
        else:
            category_ids = tuple(tree.descendants(category.pk))
    if query.brand:
        brand_id = brand_ids_by_slug().get(query.brand)
        if brand_id is None:
            errors["brand"] = [_("未知品牌。")]
    if query.model and query.model not in model_labels():
        errors["model"] = [_("未知机型。")]
    if errors:
        raise SearchValidationError(_("搜索条件有误。"), fields=errors)
    vocabulary = catalogue.cached("vocabulary", lambda: load_vocabulary(tree))
    plan = analyse(query.text, vocabulary) if query.text else TextPlan()
    return ResolvedQuery(
        query=query,
        plan=plan,
        tree=tree,
        category_ids=category_ids,
        brand_id=brand_id,
        near_city=query.near_city,
        restrict_ids=tuple(restrict_ids) if restrict_ids is not None else None,
    )
