"""The search page and saved searches (HTML). Parse input, call selectors/services, render."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.geo import CITIES
from core.panels import card_extras
from search.facets import RANGE_FIELDS
from search.models import SavedSearch
from search.query import SearchQuery, SearchValidationError, parse_search_query
from search.query import sort_labels as make_sort_labels
from search.results import SearchResult
from search.selectors import listing_search, listings_for_hits
from search.services import saved_search_create, saved_search_delete, saved_search_url

RADIUS_CHOICES = (25, 50, 100, 200)


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


def search_page(request: HttpRequest) -> HttpResponse:
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
        context.update({"errors": error.fields, "error_message": error.message})
        return render(request, "search/search.html", context, status=400)
    listings = listings_for_hits(result)
    hits = {hit.listing_id: hit for hit in result.hits}
    params = query.to_params()
    context.update(
        {
            "query": query,
            "result": result,
            "listings": listings,
            "hits": hits,
            "extras": card_extras(request, listings),
            "facet_groups": facet_groups(result, query),
            "page_links": _page_links(result, query),
            "sort_links": [
                (value, label, _href({**params, "sort": value}), value == query.sort)
                for value, label in make_sort_labels()
            ],
            "clear_href": _href({"q": query.text} if query.text else {}),
            "query_string": urlencode(params),
            "hidden_params": {
                k: v for k, v in params.items() if k not in ("near", "radius_km", "page")
            },
        }
    )
    return render(request, "search/search.html", context)


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
