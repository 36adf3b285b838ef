"""The search page and saved searches (HTML). Parse input, call selectors/services, render."""

import html
import re
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import RedirectView

from core.errors import DomainError
from core.geo import CITIES, find_city
from core.panels import card_extras
from marketplace.models import Brand, ConditionGrade, EquipmentModel, SaleFormat
from search.entries import CategoryTree
from search.facets import RANGE_FIELDS
from search.models import SavedSearch
from search.query import SearchQuery, SearchValidationError, parse_search_query
from search.query import sort_labels as make_sort_labels
from search.results import SearchResult
from search.selectors import (
    ALL_FILTERS,
    Relaxation,
    listing_search,
    listings_for_hits,
    search_relaxations,
)
from search.services import saved_search_create, saved_search_delete, saved_search_url

RADIUS_CHOICES = (25, 50, 100, 200)
# The custom ranges of the filter form: (field, minimum input, maximum input).
RANGE_INPUTS = (
    ("year", "year_min", "year_max"),
    ("hours", "hours_min", "hours_max"),
    ("price", "price_min", "price_max"),
)
RANGE_PARAMS = frozenset(name for _field, low, high in RANGE_INPUTS for name in (low, high))
_EM = re.compile(r"(</?em>)")


@dataclass(frozen=True)
class FacetLink:
    label: str
    count: int
    href: str
    selected: bool
    depth: int = 0


def _facet_titles() -> dict[str, str]:
    return {
        "category": _("类别"),
        "brand": _("品牌"),
        "model": _("型号"),
        "year": _("出厂年份"),
        "hours": _("小时数"),
        "price": _("价格"),
        "province": _("省份"),
        "city": _("城市"),
        "distance": _("距离"),
        "grade": _("成色等级"),
        "features": _("检测与服务"),
        "sale_format": _("销售方式"),
        "seller_type": _("卖家类型"),
    }


def _href(params: dict[str, str]) -> str:
    params = {k: v for k, v in params.items() if v not in ("", None) and k != "page"}
    return f"{reverse('search:search')}?{urlencode(params)}" if params else reverse("search:search")


def _facet_params(name: str, value: str, params: dict[str, str]) -> tuple[dict, bool]:
    """The parameters after clicking this facet value (a click on a chosen value clears it)."""
    params = dict(params)
    if name in RANGE_FIELDS:
        low, _sep, high = value.partition(":")
        keys = (f"{name}_min", f"{name}_max")
        selected = (params.get(keys[0], ""), params.get(keys[1], "")) == (low, high)
        for key, bound in zip(keys, (low, high), strict=True):
            params[key] = "" if selected else bound
        return params, selected
    key = {"features": value, "distance": "radius_km"}.get(name, name)
    target = "1" if name == "features" else value
    selected = params.get(key) == target
    params[key] = "" if selected else target
    return params, selected


def facet_groups(result: SearchResult, query: SearchQuery) -> list[tuple[str, str, list]]:
    params = query.to_params()
    groups = []
    for name, title in _facet_titles().items():
        links = []
        for value in result.facets.get(name, []):
            new_params, selected = _facet_params(name, value.value, params)
            links.append(
                FacetLink(value.label, value.count, _href(new_params), selected, value.depth)
            )
        if links:
            groups.append((name, title, links))
    return groups


def _page_links(result: SearchResult, query: SearchQuery) -> dict[str, str]:
    params = query.to_params()
    links = {}
    if result.has_previous:
        links["previous"] = _href(params) + _page_suffix(params, result.page - 1)
    if result.has_next:
        links["next"] = _href(params) + _page_suffix(params, result.page + 1)
    return links


def _page_suffix(params: dict, page: int) -> str:
    if page <= 1:
        return ""
    return ("&" if params else "?") + urlencode({"page": page})


def _field_labels() -> dict[str, str]:
    """Names of the query parameters as the page shows them beside their messages."""
    titles = _facet_titles()
    return {
        "q": _("关键词"),
        "category": titles["category"],
        "brand": titles["brand"],
        "model": titles["model"],
        "year_min": _("最早出厂年份"),
        "year_max": _("最晚出厂年份"),
        "hours_min": _("最少小时数"),
        "hours_max": _("最多小时数"),
        "price_min": _("最低价格"),
        "price_max": _("最高价格"),
        "province": titles["province"],
        "city": titles["city"],
        "near": _("距离城市"),
        "radius_km": _("范围"),
        "grade": titles["grade"],
        "inspected": _("已检测"),
        "certified": _("已认证"),
        "remanufactured": _("再制造"),
        "financing": _("可融资租赁"),
        "sale_format": titles["sale_format"],
        "closing_before": _("截止时间"),
        "seller_type": titles["seller_type"],
        "sort": _("排序"),
        "page": _("页码"),
        "page_size": _("每页数量"),
    }


def _highlighted(fragment: str) -> SafeString:
    """A backend's highlighted title as safe HTML: only <em> kept, everything else escaped
    (both backends already escape; unescaping first keeps that from doubling)."""
    parts = _EM.split(fragment)
    escaped = "".join(
        part if _EM.fullmatch(part) else escape(html.unescape(part)) for part in parts
    )
    return mark_safe(escaped)  # noqa: S308 - every part but the <em> tags is escaped above


def _filter_value_label(name: str, query: SearchQuery) -> str:
    value = getattr(query, name)
    if name == "category":
        node = CategoryTree.cached().by_slug(value)
        return node.display_name if node else value
    if name == "brand":
        brand = Brand.objects.filter(slug=value).first()
        return brand.display_name if brand else value
    if name == "model":
        model = EquipmentModel.objects.filter(pk=value).select_related("brand").first()
        return f"{model.brand.display_name} {model.name}" if model else str(value)
    if name == "grade":
        return str(ConditionGrade(value).label)
    if name == "sale_format":
        return str(SaleFormat(value).label)
    if name in ("near", "city"):
        city = find_city(value)
        english = (get_language() or "").startswith("en")
        value = city.name_en if city is not None and english else value
        if name == "near":
            return _("%(city)s %(km)s 公里内") % {"city": value, "km": query.radius_km}
    if isinstance(value, bool):
        return ""
    return str(value)


@dataclass(frozen=True)
class RelaxLink:
    label: str
    value: str
    count: int
    href: str


def _relax_links(relaxations: list[Relaxation], query: SearchQuery) -> list[RelaxLink]:
    labels = _field_labels()
    links = []
    for relaxation in relaxations:
        name = relaxation.dropped[0]
        if relaxation.dropped == ALL_FILTERS:
            href = _href(relaxation.query.to_params())
            links.append(RelaxLink(_("全部筛选条件"), "", relaxation.total, href))
            continue
        param = "q" if name == "text" else name
        value = query.text if name == "text" else _filter_value_label(name, query)
        links.append(
            RelaxLink(labels[param], value, relaxation.total, _href(relaxation.query.to_params()))
        )
    return links


def _labelled_errors(errors: dict[str, list[str]]) -> list[tuple[str, str, str]]:
    labels = _field_labels()
    return [
        (field, labels.get(field, field), message)
        for field, messages_ in errors.items()
        for message in messages_
    ]


def _form_context(request: HttpRequest, errors: dict[str, list[str]]) -> dict:
    """What the filter form shows: the ranges' inputs with their values and messages, and the
    other parameters as hidden inputs (the bad ones left out, so a new search drops them)."""
    visible = {"q", "near", "radius_km", "page", *RANGE_PARAMS}
    return {
        "range_inputs": [
            {
                "title": _facet_titles()[field],
                "min": (low, request.GET.get(low, ""), errors.get(low, [])),
                "max": (high, request.GET.get(high, ""), errors.get(high, [])),
                "step": "0.01" if field == "price" else "1",
            }
            for field, low, high in RANGE_INPUTS
        ],
        "hidden_params": {
            key: value
            for key, value in request.GET.items()
            if key not in visible and key not in errors and value != ""
        },
        "field_errors": _labelled_errors(errors),
    }


def search_page(request: HttpRequest) -> HttpResponse:
    """The browse page: every published listing, narrowed by text, facets and ranges."""
    context = {
        "cities": CITIES,
        "radius_choices": RADIUS_CHOICES,
        "sort_labels": make_sort_labels(),
        "params": request.GET,
    }
    try:
        query = parse_search_query(request.GET)
        result = listing_search(query)
    except SearchValidationError as error:
        context.update(_form_context(request, error.fields))
        context.update({"errors": error.fields, "error_message": error.message})
        return render(request, "search/search.html", context, status=400)
    listings = listings_for_hits(result)
    params = query.to_params()
    titles, notes = {}, {}
    for hit in result.hits:
        if hit.highlights.get("title"):
            titles[hit.listing_id] = _highlighted(hit.highlights["title"][0])
        if hit.distance_km is not None:
            notes[hit.listing_id] = _("距离 %(km)s 公里") % {"km": hit.distance_km}
    relax_links = []
    if result.total == 0 and params.keys() - {"sort", "page", "page_size"}:
        relax_links = _relax_links(search_relaxations(query), query)
    context.update(_form_context(request, {}))
    context.update(
        {
            "query": query,
            "result": result,
            "listings": listings,
            "card_titles": titles,
            "card_notes": notes,
            "extras": card_extras(request, listings),
            "facet_groups": facet_groups(result, query),
            "page_links": _page_links(result, query),
            "relax_links": relax_links,
            "sort_links": [
                (value, label, _href({**params, "sort": value}), value == query.sort)
                for value, label in make_sort_labels()
            ],
            "clear_href": _href({"q": query.text} if query.text else {}),
            "query_string": urlencode(params),
        }
    )
    return render(request, "search/search.html", context)


# /search/ was the address of this page beside a second browse page at /listings/; the one
# page is /listings/ now, and old links and bookmarks keep their parameters.
search_moved = RedirectView.as_view(pattern_name="search:search", permanent=True, query_string=True)


@login_required
@require_POST
def saved_search_add(request: HttpRequest) -> HttpResponse:
    params = QueryDict(request.POST.get("params", ""))
    try:
        saved_search_create(user=request.user, name=request.POST.get("name", ""), params=params)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_href(params.dict()))
    messages.success(request, _("已保存搜索。有新设备符合条件时我们会通知您。"))
    return redirect("search:saved_list")


@login_required
def saved_search_list(request: HttpRequest) -> HttpResponse:
    saved = [
        (item, saved_search_url(item)) for item in SavedSearch.objects.filter(user=request.user)
    ]
    return render(request, "search/saved_list.html", {"saved_searches": saved})


@login_required
@require_POST
def saved_search_remove(request: HttpRequest, pk: int) -> HttpResponse:
    saved = get_object_or_404(SavedSearch, pk=pk, user=request.user)
    saved_search_delete(user=request.user, saved_search=saved)
    messages.success(request, _("已删除。"))
    return redirect("search:saved_list")
